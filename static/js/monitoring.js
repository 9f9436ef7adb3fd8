// Dashboard charts (Chart.js, vendored) and the school map drawn on a canvas
// from the schools' coordinates: no map-tile server is needed or used.
(function () {
  const script = document.currentScript;
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const starColours = ["#d9534f", "#f0ad4e", "#f4d03f", "#5cb85c", "#1e7e34"];
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
    drawMap(document.getElementById("school-map"));
  }
  function drawMap(canvas) {
    if (!canvas) return;
    fetch(canvas.dataset.src, {credentials: "same-origin"}).then((r) => r.json()).then(({points}) => {
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth, height = canvas.height;
      canvas.width = width * ratio; canvas.height = height * ratio;
      canvas.style.height = height + "px";
      const ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      if (!points.length) return;
      const lons = points.map((p) => p[0]), lats = points.map((p) => p[1]);
      const minX = Math.min(...lons), maxX = Math.max(...lons);
      const minY = Math.min(...lats), maxY = Math.max(...lats);
      const pad = 12;
      const scale = Math.min((width - 2 * pad) / Math.max(maxX - minX, 0.01),
                             (height - 2 * pad) / Math.max(maxY - minY, 0.01));
      // Centred: one scale keeps the shape, the spare width or height is split evenly.
      const left = (width - (maxX - minX) * scale) / 2, bottom = (height - (maxY - minY) * scale) / 2;
      const radius = points.length > 2000 ? 1.6 : 4;
      for (const [lon, lat, stars] of points) {
        ctx.fillStyle = stars ? starColours[stars - 1] : "#adb5bd";
        ctx.beginPath();
        ctx.arc(left + (lon - minX) * scale, height - bottom - (lat - minY) * scale, radius, 0, 2 * Math.PI);
        ctx.fill();
      }
      canvas.dataset.drawn = String(points.length);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
