// Dashboard charts (Chart.js, vendored) and the node's map. The map is SVG
// drawn by the server from DOSM's boundaries (monitoring/maps.py): no
// map-tile server is needed or used; here it only switches the measure the
// areas are coloured by and shows the figures of the area pointed at.
(function () {
  const script = document.currentScript;
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  function start() {
    new Chart(document.getElementById("chart-stars"), {
      type: "bar",
      data: {
        labels: JSON.parse(script.dataset.labelsStars).map((s) => s + " ★"),
        datasets: [
          {label: script.dataset.labelProvisional, data: data.stars.provisional, backgroundColor: "#9ec5fe"},
          {label: script.dataset.labelFinal, data: data.stars.final, backgroundColor: "#0b4f6c"},
        ],
      },
      options: {responsive: true, animation: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}},
    });
    new Chart(document.getElementById("chart-indicators"), {
      type: "bar",
      data: {labels: JSON.parse(script.dataset.labelsIndicators),
             datasets: [{data: data.indicators, backgroundColor: "#01baef"}]},
      options: {responsive: true, animation: false, plugins: {legend: {display: false}}, scales: {y: {min: 0, max: 100}}},
    });
    mapControls(document.getElementById("geo-wrap"));
  }
  function mapControls(wrap) {
    if (!wrap) return;
    const select = document.getElementById("map-measure");
    const detail = document.getElementById("map-detail");
    if (select) select.addEventListener("change", () => { wrap.dataset.measure = select.value; });
    const show = (event) => {
      const item = event.target.closest("[data-label]");
      if (item) detail.textContent = item.dataset.label;
    };
    wrap.addEventListener("mouseover", show);
    wrap.addEventListener("focusin", show);
    wrap.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
