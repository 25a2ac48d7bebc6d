// Charts drawn with Apache ECharts from the JSON each <div class="chart" data-chart="..."> carries.
"use strict";

function drawChart(box) {
  const data = JSON.parse(box.querySelector("script[type='application/json']").textContent);
  const kind = box.dataset.chart;
  const canvas = document.createElement("div");
  canvas.className = "chart-canvas";
  box.appendChild(canvas);
  const chart = echarts.init(canvas, null, { renderer: "svg" });
  const stacked = kind === "stacked";
  const option = {
    animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    title: { text: box.dataset.title || "", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { top: 24 },
    grid: { top: 64, left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
    yAxis: { type: "value" },
    series: data.series.map((s) => (stacked ? { name: s.name, type: "bar", data: s.data, stack: "all" } : { name: s.name, type: "bar", data: s.data })),
  };
  if (stacked) option.color = ["#b3261e", "#e8a33d", "#7a8b99"];
  chart.setOption(option);
  window.addEventListener("resize", () => chart.resize());
}

document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("div.chart[data-chart]").forEach(drawChart);
});
