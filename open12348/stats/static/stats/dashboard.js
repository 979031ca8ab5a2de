// Draws the dashboard's charts from the JSON the page carries (each chart also has a table of its
// data beside it, so nothing here is the only way to read a figure).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var trend = document.getElementById("chart-trend");
    if (trend) {
      echarts.init(trend).setOption({
        tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 16, bottom: 24, top: 32},
        xAxis: {type: "category", data: charts.trend.months},
        yAxis: {type: "value", minInterval: 1},
        series: charts.trend.series.map(function (s) { return {name: s.name, type: "line", data: s.data}; })
      });
    }
    var channels = document.getElementById("chart-channels");
    if (channels) {
      echarts.init(channels).setOption({
        tooltip: {}, grid: {left: 110, right: 16, bottom: 24, top: 8},
        xAxis: {type: "value", minInterval: 1},
        yAxis: {type: "category", data: charts.channels.labels, inverse: true},
        series: [{type: "bar", data: charts.channels.data}]
      });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
