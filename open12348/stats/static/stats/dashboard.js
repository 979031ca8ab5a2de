// Draws the dashboard's charts from the JSON the page carries (each chart also has a table of its
// data beside it, so nothing here is the only way to read a figure).
(function () {
  "use strict";
  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the site's
  // Content Security Policy (style-src 'self') refuses.
  var TOOLTIP = "richText";
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var trend = document.getElementById("chart-trend");
    if (trend) {
      echarts.init(trend).setOption({
        tooltip: {trigger: "axis", renderMode: TOOLTIP}, legend: {}, grid: {left: 40, right: 16, bottom: 24, top: 32},
        xAxis: {type: "category", data: charts.trend.months},
        yAxis: {type: "value", minInterval: 1},
        series: charts.trend.series.map(function (s) { return {name: s.name, type: "line", data: s.data}; })
      });
    }
    // Every other chart is a bar per label: {labels: [...], data: [...]} drawn in #chart-<name>.
    Object.keys(charts).forEach(function (name) {
      var element = document.getElementById("chart-" + name);
      if (name === "trend" || !element || !charts[name].labels) return;
      echarts.init(element).setOption({
        tooltip: {renderMode: TOOLTIP}, grid: {left: 110, right: 16, bottom: 24, top: 8},
        xAxis: {type: "value", minInterval: 1},
        yAxis: {type: "category", data: charts[name].labels, inverse: true},
        series: [{type: "bar", data: charts[name].data}]
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
