// PIBK dashboard charts (Chart.js, vendored): the attendance rate of each
// activity, and KPI 1 / KPI 2 across the years against this year's targets.
(function () {
  const script = document.currentScript;
  const data = JSON.parse(document.getElementById("pibk-chart").textContent);
  function start() {
    new Chart(document.getElementById("chart-activities"), {
      type: "bar",
      data: {labels: ["A", "B", "C", "D", "E", "F"],
             datasets: [{label: script.dataset.labelRate, data: data.activities, backgroundColor: "#0b4f6c"}]},
      options: {responsive: true, animation: false, plugins: {legend: {display: false}}, scales: {y: {min: 0, max: 100}}},
    });
    const flat = (value) => data.years.map(() => value);
    new Chart(document.getElementById("chart-trend"), {
      type: "line",
      data: {labels: data.years, datasets: [
        {label: "KPI 1", data: data.kpi1, borderColor: "#0b4f6c", backgroundColor: "#0b4f6c"},
        {label: "KPI 2", data: data.kpi2, borderColor: "#01baef", backgroundColor: "#01baef"},
        {label: script.dataset.labelTarget + " KPI 1", data: flat(data.kpi1_target), borderColor: "#0b4f6c", borderDash: [4, 4], pointRadius: 0},
        {label: script.dataset.labelTarget + " KPI 2", data: flat(data.kpi2_target), borderColor: "#01baef", borderDash: [4, 4], pointRadius: 0},
      ]},
      options: {responsive: true, animation: false, scales: {y: {min: 0, max: 100}}},
    });
    document.body.dataset.chartsDrawn = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
