// The risk map on /admin/risk: the city dashboard's schematic district
// map (streets, rivers) drawn with the embedded ECharts, each community a
// point in the colour of its latest waterlogging level. Everything comes
// from this server.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // Read by the browser tests: what the map was drawn with.
  var drawn = window.riskDrawn = {};

  function draw(chart, d) {
    var m = d.map, series = [];
    m.streets.forEach(function (s) {
      series.push({ type: "line", data: s.outline.concat([s.outline[0]]), symbol: "none", silent: true, lineStyle: { color: "#999", width: 1 }, z: 1 });
    });
    m.rivers.forEach(function (r) {
      series.push({ type: "line", data: r.line, symbol: "none", silent: true, lineStyle: { color: "#5dade2", width: 2 }, z: 1 });
    });
    series.push({ type: "scatter", silent: true, symbolSize: 0, z: 2,
      data: m.streets.map(function (s) { return { value: s.label, name: s.name }; }),
      label: { show: true, formatter: "{b}", color: "#888", fontSize: 11 } });
    var pts = d.communities.map(function (c) {
      return { value: [c.lon, c.lat], name: c.name, c: c,
        symbolSize: c.level >= 3 ? 20 : c.level === 2 ? 16 : 12,
        itemStyle: { color: c.colour, borderColor: c.no_data ? "#555" : "#fff", borderWidth: c.no_data ? 2 : 1, borderType: c.no_data ? "dashed" : "solid" },
        label: { show: c.level >= 2, formatter: c.name + " " + c.level_name, position: "right", fontSize: 11 } };
    });
    series.push({ name: "社区", type: "scatter", data: pts, z: 3, labelLayout: { hideOverlap: true } });
    var b = m.bounds;
    chart.setOption({
      animation: false,
      grid: { left: 10, right: 10, top: 10, bottom: 10 },
      xAxis: { type: "value", min: b[0], max: b[2], show: false },
      yAxis: { type: "value", min: b[1], max: b[3], show: false },
      tooltip: { trigger: "item", formatter: function (p) {
        var c = p.data && p.data.c;
        if (!c) return "";
        var s = c.name + "（" + c.street + "）<br>" + c.level_name;
        if (c.reason) s += "<br>主因：" + c.reason;
        s += "<br>" + (c.no_data ? "无数据" : c.confidence);
        return s;
      } },
      series: series
    }, true);
    chart.on("click", function (p) {
      var c = p.data && p.data.c, row = c && $("area-" + c.id);
      if (row) { row.open = true; row.scrollIntoView({ block: "start" }); }
    });
    var counts = {};
    d.communities.forEach(function (c) { counts[c.level_name] = (counts[c.level_name] || 0) + 1; });
    drawn.map = { communities: d.communities.length, counts: counts, at: d.at };
    var note = $("risk-map-note");
    if (note) {
      note.textContent = d.at ? "" : "尚未评估。";
      d.legend.concat([{ name: "未评估", colour: "#9e9e9e" }]).forEach(function (l) {
        var s = document.createElement("span"), dot = document.createElement("span");
        dot.className = "level-dot";
        dot.style.background = l.colour;
        s.appendChild(dot);
        s.appendChild(document.createTextNode(l.name + "　"));
        note.appendChild(s);
      });
      note.appendChild(document.createTextNode("虚线边框：无监测数据。" + (d.demo ? "（合成演示数据）" : "")));
    }
  }

  function init() {
    var el = $("risk-map");
    if (!el || typeof echarts === "undefined") return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    fetch(el.getAttribute("data-src"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (d) { draw(chart, d); }).catch(function (e) { drawn.error = String(e); });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
