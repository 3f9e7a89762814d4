// Greening maintenance (绿化管养): the tree map on /admin/greening (the
// city dashboard's schematic district map with every tree as a point,
// coloured by typhoon risk, health or species), the evaluation charts on
// /admin/greening/evaluation, and the "use my location" button of the
// residents' tree report. Everything comes from this server.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // Read by the browser tests: what each chart was drawn with.
  var drawn = window.greeningDrawn = {};

  function getJSON(url, fn) {
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(fn).catch(function (e) { drawn.error = String(e); });
  }

  // ---- the map ----
  var mapData = null, mapChart = null;
  function drawMap() {
    var m = mapData.map, mode = $("greening-map-mode") ? $("greening-map-mode").value : "risk";
    var series = [];
    m.streets.forEach(function (s) {
      var line = s.outline.concat([s.outline[0]]);
      series.push({ type: "line", data: line, symbol: "none", silent: true, lineStyle: { color: "#999", width: 1 }, z: 1 });
    });
    m.rivers.forEach(function (r) {
      series.push({ type: "line", data: r.line, symbol: "none", silent: true, lineStyle: { color: "#5dade2", width: 2 }, z: 1 });
    });
    var dim = mode === "risk" ? 4 : mode === "health" ? 3 : 2;
    series.push({ name: "树木", type: "scatter", large: false, progressive: 5000, symbolSize: 3, data: mapData.trees, encode: { x: 0, y: 1 }, z: 3 });
    series.push({ name: "古树名木", type: "scatter", symbol: "diamond", symbolSize: 10, itemStyle: { color: "#8e44ad" },
      data: mapData.ancient, encode: { x: 0, y: 1 }, z: 4,
      tooltip: { formatter: function (p) { return p.value[2]; } } });
    var vm;
    if (mode === "risk") {
      vm = { type: "piecewise", dimension: 4, seriesIndex: series.length - 2, orient: "horizontal", top: 0,
        pieces: [{ min: 60, label: "高风险", color: "#c0392b" }, { min: 35, max: 60, label: "中风险", color: "#f39c12" }, { max: 35, label: "低风险", color: "#27ae60" }] };
    } else if (mode === "health") {
      var hc = ["#27ae60", "#a3cb38", "#f39c12", "#c0392b"];
      vm = { type: "piecewise", dimension: 3, seriesIndex: series.length - 2, orient: "horizontal", top: 0,
        pieces: mapData.grades.map(function (g, i) { return { value: i, label: g, color: hc[i] }; }) };
    } else {
      var pal = ["#1abc9c", "#3498db", "#9b59b6", "#e67e22", "#e74c3c", "#f1c40f", "#2ecc71", "#34495e", "#16a085", "#d35400", "#7f8c8d", "#c0392b", "#2980b9"];
      vm = { type: "piecewise", dimension: 2, seriesIndex: series.length - 2, orient: "horizontal", top: 0,
        pieces: mapData.species.map(function (s, i) { return { value: i, label: s, color: pal[i % pal.length] }; }) };
    }
    var b = m.bounds;
    mapChart.setOption({
      animation: false,
      grid: { left: 10, right: 10, top: 40, bottom: 10 },
      xAxis: { type: "value", min: b[0], max: b[2], show: false },
      yAxis: { type: "value", min: b[1], max: b[3], show: false },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesName !== "树木") return p.value[2] || "";
        var v = p.value;
        return mapData.species[v[2]] + " · " + mapData.grades[v[3]] + " · 倒伏风险 " + v[4].toFixed(0);
      } },
      visualMap: vm,
      series: series
    }, true);
    drawn.map = { trees: mapData.trees.length, ancient: mapData.ancient.length, mode: mode };
    if ($("greening-map-count")) $("greening-map-count").textContent = "共 " + mapData.trees.length + " 株" + (mapData.demo ? "（合成演示数据）" : "");
  }
  function initMap() {
    var el = $("greening-map");
    if (!el || typeof echarts === "undefined") return;
    mapChart = echarts.init(el, null, { renderer: "canvas" });
    getJSON(el.getAttribute("data-src"), function (d) { mapData = d; drawMap(); });
    if ($("greening-map-mode")) $("greening-map-mode").addEventListener("change", function () { if (mapData) drawMap(); });
    window.addEventListener("resize", function () { mapChart.resize(); });
  }

  // ---- the evaluation ----
  function initEval() {
    var el = $("greening-eval");
    if (!el || typeof echarts === "undefined") return;
    getJSON(el.getAttribute("data-src"), function (d) {
      var months = d.Health.map(function (h) { return h.month; });
      var names = { A: "健康", B: "较健康", C: "衰弱", D: "濒死" }, colours = { A: "#27ae60", B: "#a3cb38", C: "#f39c12", D: "#c0392b" };
      var hs = ["A", "B", "C", "D"].map(function (g) {
        return { name: names[g], type: "bar", stack: "h", itemStyle: { color: colours[g] }, data: d.Health.map(function (h) { return h.grades[g] || 0; }) };
      });
      hs.push({ name: "健康+较健康占比", type: "line", yAxisIndex: 1, data: d.Health.map(function (h) { return +(h.good_share * 100).toFixed(1); }) });
      echarts.init($("chart-health")).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 40, left: 60, right: 60, bottom: 30 },
        xAxis: { type: "category", data: months }, yAxis: [{ type: "value", name: "株" }, { type: "value", name: "%", min: 50, max: 100 }], series: hs
      });
      echarts.init($("chart-planned")).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 40, left: 60, right: 60, bottom: 30 },
        xAxis: { type: "category", data: d.Planned.map(function (p) { return p.month; }) },
        yAxis: [{ type: "value", name: "株" }, { type: "value", name: "完成率 %", min: 0, max: 120 }],
        series: [
          { name: "计划", type: "bar", data: d.Planned.map(function (p) { return p.planned; }) },
          { name: "完成", type: "bar", data: d.Planned.map(function (p) { return p.done; }) },
          { name: "完成率", type: "line", yAxisIndex: 1, data: d.Planned.map(function (p) { return +(p.rate * 100).toFixed(1); }) }
        ]
      });
      echarts.init($("chart-coverage")).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 40, left: 60, right: 60, bottom: 50 },
        xAxis: { type: "category", data: d.Coverage.map(function (c) { return c.street; }), axisLabel: { rotate: 30 } },
        yAxis: [{ type: "value", name: "覆盖率 %" }, { type: "value", name: "人均 m²" }],
        series: [
          { name: "绿化覆盖率", type: "bar", data: d.Coverage.map(function (c) { return +(c.coverage * 100).toFixed(1); }) },
          { name: "人均公共绿地", type: "line", yAxisIndex: 1, data: d.Coverage.map(function (c) { return c.per_capita_m2; }) }
        ]
      });
      drawn.eval = { months: months.length, lastGood: d.Health.length ? d.Health[d.Health.length - 1].good_share : null, streets: d.Coverage.length };
    });
  }

  // ---- the residents' report: the browser's location, when shared ----
  function initReport() {
    var b = $("use-location");
    if (!b) return;
    b.addEventListener("click", function () {
      if (!navigator.geolocation) { b.textContent = "浏览器不支持定位"; return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        $("lon").value = p.coords.longitude.toFixed(6);
        $("lat").value = p.coords.latitude.toFixed(6);
        b.textContent = "已获取位置";
      }, function () { b.textContent = "未能获取位置"; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initMap(); initEval(); initReport(); });
})();
