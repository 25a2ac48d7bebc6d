// Charts drawn with Apache ECharts from the JSON each <div class="chart" data-chart="..."> carries.
"use strict";

// A histogram: data = {categories, counts, mark}; the bar at index ``mark`` (where a plan falls) is red.
function drawHistogram(box, data) {
  const canvas = document.createElement("div");
  canvas.className = "chart-canvas";
  box.appendChild(canvas);
  const chart = echarts.init(canvas, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    title: { text: box.dataset.title || "", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    grid: { top: 40, left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.categories, axisLabel: { rotate: 30 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.counts.map((c, i) => (i === data.mark ? { value: c, itemStyle: { color: "#d62728" } } : c)) }],
  });
  window.addEventListener("resize", () => chart.resize());
}

function drawChart(box) {
  const data = JSON.parse(box.querySelector("script[type='application/json']").textContent);
  const kind = box.dataset.chart;
  if (kind === "histogram") return drawHistogram(box, data);
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

// A Gantt chart: data = {start: "YYYY-MM-DD", labels: {plan, critical}, bars: [{id, name, s, d, critical}]}
// (s = first day from start, d = days). Bars are an invisible offset stacked under the duration; the
// critical ones are drawn in red.
function drawGantt(box) {
  const data = JSON.parse(box.querySelector("script[type='application/json']").textContent);
  const canvas = document.createElement("div");
  canvas.className = "chart-canvas gantt-canvas";
  canvas.style.height = Math.max(240, 22 * data.bars.length + 80) + "px";
  box.appendChild(canvas);
  const chart = echarts.init(canvas, null, { renderer: "svg" });
  const base = Date.parse(data.start);
  const day = (v) => new Date(base + v * 86400000).toISOString().slice(0, 10);
  const names = data.bars.map((b) => b.id + " " + b.name);
  chart.setOption({
    title: { text: box.dataset.title || "", textStyle: { fontSize: 14 } },
    tooltip: {
      formatter: (p) => {
        const b = data.bars[p.dataIndex];
        return names[p.dataIndex] + "<br>" + day(b.s) + " – " + day(b.s + b.d) + (b.critical ? "<br>" + data.labels.critical : "");
      },
    },
    grid: { top: 40, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value", axisLabel: { formatter: day } },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 260, overflow: "truncate" } },
    series: [
      { type: "bar", stack: "g", silent: true, itemStyle: { color: "transparent" }, data: data.bars.map((b) => b.s) },
      {
        name: data.labels.plan,
        type: "bar",
        stack: "g",
        data: data.bars.map((b) => ({ value: b.d, itemStyle: { color: b.critical ? "#b3261e" : "#5b7c99" } })),
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
}

document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("div.gantt[data-gantt]").forEach(drawGantt);
});
