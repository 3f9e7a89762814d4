// The one-screen dashboard (/city → /admin/city/screen): renders
// /admin/city/api/state into the schematic map and the ECharts charts, and
// fetches it again whenever /admin/city/events says something changed
// (stored readings, an alert), with a slow poll as a fallback. No other
// origin is contacted.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var ZONE = "Asia/Shanghai";
  var state = null, charts = {}, trendScope = "", loading = false, again = false;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fmtTime(iso, withDate) {
    if (!iso) return "—";
    var o = { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hour12: false };
    if (withDate) { o.month = "2-digit"; o.day = "2-digit"; }
    return new Date(iso).toLocaleString("zh-CN", o);
  }

  // ---- the map ----
  function projector(m) {
    var w = m.bounds[0], s = m.bounds[1], e = m.bounds[2], n = m.bounds[3];
    var k = Math.cos(((s + n) / 2) * Math.PI / 180);
    var H = Math.round(1000 * (n - s) / ((e - w) * k));
    return { H: H, p: function (lon, lat) { return [(lon - w) / (e - w) * 1000, (n - lat) / (n - s) * H]; } };
  }
  function pts(line, p) {
    return line.map(function (c) { var q = p(c[0], c[1]); return q[0].toFixed(1) + "," + q[1].toFixed(1); }).join(" ");
  }
  var kindColour = { dust_monitor: "#bcaaa4", outlet: "#ce93d8", treatment: "#80cbc4", rain_gauge: "#64b5f6", water_level: "#4dd0e1", weather: "#fff59d", smoke_detector: "#ef9a9a", hydrant_pressure: "#ff8a65" };

  function drawMap(st) {
    var svg = $("city-map"), m = st.map, pr = projector(m), p = pr.p;
    svg.setAttribute("viewBox", "0 0 1000 " + pr.H);
    // Markers and labels keep a readable size when the map is drawn small
    // (a laptop): scale them up by as much as the map is scaled down.
    var shown = Math.min(svg.clientWidth / 1000, svg.clientHeight / pr.H) || 1;
    var k = Math.max(1, Math.min(2.2, 0.75 / shown)), ks = " scale(" + k.toFixed(2) + ")";
    svg.style.setProperty("--label", (13 * k).toFixed(1) + "px");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var base = el("g", { "class": "base" });
    m.streets.forEach(function (a) {
      base.appendChild(el("polygon", { "class": "street", points: pts(a.outline, p) }));
      var c = p(a.label[0], a.label[1]);
      base.appendChild(el("text", { "class": "street-name", x: c[0], y: c[1] + 60 }, a.name));
    });
    (m.roads || []).forEach(function (r) { base.appendChild(el("polyline", { "class": "road", points: pts(r, p), fill: "none" })); });
    m.rivers.forEach(function (r) {
      base.appendChild(el("polyline", { "class": "river", points: pts(r.line, p) }));
      var c = p(r.line[1][0], r.line[1][1]);
      base.appendChild(el("text", { "class": "river-name", x: c[0] + 8, y: c[1] - 6 }, r.name));
    });
    (m.labels || []).forEach(function (l) { var c = p(l.at[0], l.at[1]); base.appendChild(el("text", { "class": "place", x: c[0], y: c[1] }, l.text)); });
    base.appendChild(el("text", { "class": "note", x: 10, y: pr.H - 10 }, m.note));
    svg.appendChild(base);

    var plumes = el("g", { "class": "plumes" });
    st.dust.forEach(function (d) {
      if (d.outline && d.outline.length > 2) {
        var pg = el("polygon", { "class": "plume", points: pts(d.outline, p), "data-site": d.site });
        pg.appendChild(el("title", {}, d.name + " 扬尘扩散估算（PM10 贡献 ≥10 µg/m³ 范围）"));
        plumes.appendChild(pg);
      }
    });
    svg.appendChild(plumes);

    var pois = el("g", { "class": "pois" });
    st.sensitive.forEach(function (s) {
      var c = p(s.lon, s.lat), r = el("rect", { "class": "sensitive", x: c[0] - 6 * k, y: c[1] - 6 * k, width: 12 * k, height: 12 * k });
      r.appendChild(el("title", {}, s.name));
      pois.appendChild(r);
    });
    st.devices.forEach(function (d) {
      var c = p(d.lon, d.lat), ci = el("circle", { "class": "device", cx: c[0], cy: c[1], r: 6 * k, fill: d.online ? (kindColour[d.kind] || "#90a4ae") : "#555", "data-device": d.id });
      ci.appendChild(el("title", {}, d.name + (d.online ? "" : "（离线）")));
      pois.appendChild(ci);
    });
    svg.appendChild(pois);

    var water = el("g", { "class": "sections" });
    st.water.forEach(function (w) {
      var c = p(w.lon, w.lat), g = el("g", { "class": "section", "data-section": w.section, transform: "translate(" + c[0].toFixed(1) + "," + c[1].toFixed(1) + ")" + ks });
      g.appendChild(el("rect", { x: -15, y: -15, width: 30, height: 30, transform: "rotate(45)", fill: w.colour, stroke: "#0b1726", "stroke-width": 2 }));
      g.appendChild(el("text", { "class": "station-aqi", y: 0 }, w.class || "—"));
      g.appendChild(el("text", { "class": "section-name", y: 36 }, w.name));
      g.appendChild(el("title", {}, w.name + "：" + (w.class ? w.class + "类" : "无数据") + (w.target ? "，目标 " + w.target + "类" : "")));
      water.appendChild(g);
    });
    svg.appendChild(water);

    var air = el("g", { "class": "stations" });
    st.stations.forEach(function (s) {
      var c = p(s.lon, s.lat), v = s.aqi.aqi;
      var g = el("g", { "class": "station", "data-station": s.id, transform: "translate(" + c[0].toFixed(1) + "," + c[1].toFixed(1) + ")" + ks });
      g.appendChild(el("circle", { r: 24, fill: s.aqi.colour || "#bbbbbb", stroke: s.online ? "#fff" : "#666", "stroke-width": 3 }));
      g.appendChild(el("text", { "class": "station-aqi", id: "aqi-" + s.id }, v == null ? "—" : String(v)));
      g.appendChild(el("text", { "class": "station-name", y: 40 }, s.name));
      g.appendChild(el("title", {}, s.name + "：AQI " + (v == null ? "无数据" : v + " " + s.aqi.category) + (s.online ? "" : "（离线）")));
      air.appendChild(g);
    });
    svg.appendChild(air);

    var rings = el("g", { "class": "alarms-on-map" });
    st.alarms.forEach(function (a) {
      if (!a.lon && !a.lat) return;
      var c = p(a.lon, a.lat);
      rings.appendChild(el("circle", { "class": "alarm-ring", cx: c[0], cy: c[1], r: 30 * k }));
    });
    svg.appendChild(rings);
    $("map-note").textContent = "（" + m.note.split("：")[0] + "）";
  }

  function drawLegend(st) {
    var lg = $("legend");
    lg.textContent = "";
    lg.appendChild(h("span", "", "AQI："));
    st.legend.aqi.forEach(function (i) {
      var s = h("span"), sw = h("span", "sw");
      sw.style.background = i.colour;
      s.appendChild(sw); s.appendChild(document.createTextNode(i.label + " " + i.range));
      lg.appendChild(s);
    });
    lg.appendChild(h("span", "", "水质："));
    st.legend.water.forEach(function (i) {
      var s = h("span"), sw = h("span", "sw");
      sw.style.background = i.colour;
      s.appendChild(sw); s.appendChild(document.createTextNode(i.label));
      lg.appendChild(s);
    });
    lg.appendChild(h("span", "", st.legend.note));
  }

  // ---- the side panels ----
  function drawKPIs(st) {
    var sum = st.summary, d = sum.district_aqi, big = $("district-aqi");
    big.textContent = "";
    var sw = h("span", "swatch"); sw.style.background = d.colour || "#bbb";
    big.appendChild(sw);
    big.appendChild(h("span", "n", d.aqi == null ? "—" : String(d.aqi)));
    big.appendChild(h("span", "cat", (d.category || "无数据") + (d.primary && d.primary.length ? " · 首要污染物 " + d.primary.join("、") : "")));
    big.title = "全区实时 AQI（" + fmtTime(d.at, true) + " 时段，各站浓度均值）";
    var f = $("figures");
    f.textContent = "";
    function row(k, v) { f.appendChild(h("dt", "", k)); f.appendChild(h("dd", "", v)); }
    row("全区 AQI 时段", fmtTime(d.at, true));
    var conc = d.conc || {};
    [["PM2.5", "PM2.5"], ["PM10", "PM10"], ["O3", "O₃"], ["NO2", "NO₂"]].forEach(function (p) {
      if (conc[p[0]] != null) row(p[1] + " 浓度", conc[p[0]].toFixed(1) + " µg/m³");
    });
    (sum.devices || []).forEach(function (x) { row(x.name, x.online + "/" + x.total + " 在线"); });
    row("未处理告警", sum.alerts.open + "（已确认 " + sum.alerts.acked + "）");
    row("超标事件", String(sum.open_exceedances));
    row("水质达标断面", sum.water.compliant + " / " + sum.water.sections);
    row("24 小时隔离读数", String(sum.quarantine_24h));
    $("edition").textContent = sum.edition;

    var wl = $("water-list");
    wl.textContent = "";
    st.water.forEach(function (w) {
      var li = h("li"), c = h("span", "cls", w.class ? w.class + "类" : "无数据");
      c.style.background = w.colour;
      li.appendChild(h("span", "", w.name));
      li.appendChild(c);
      var ok = w.compliant == null ? h("span", "", "—") : h("span", w.compliant ? "ok" : "bad", (w.compliant ? "达标" : "未达标") + "（目标 " + w.target + "）");
      li.appendChild(ok);
      wl.appendChild(li);
    });
  }

  function drawAlarms(st) {
    var ol = $("alarms");
    ol.textContent = "";
    $("alarm-count").textContent = String(st.alarms.length);
    if (!st.alarms.length) { ol.appendChild(h("li", "", "当前无告警")); return; }
    st.alarms.slice(0, 30).forEach(function (a) {
      var li = h("li", "l" + a.level, a.title);
      li.dataset.alarm = a.source + "-" + a.id;
      li.appendChild(h("span", "meta", a.device + " · 自 " + fmtTime(a.since, true) + " · " + ({ open: "未处理", acked: "已确认", acknowledged: "已确认" }[a.status] || a.status)));
      ol.appendChild(li);
    });
  }

  // ---- charts ----
  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init($(id), "dark", { renderer: "canvas" });
    return charts[id];
  }
  var aqiPieces = function (st) {
    var lo = 0;
    return st.legend.aqi.map(function (i, k) {
      var hi = [50, 100, 150, 200, 300, 100000][k], p = { gt: lo, lte: hi, color: i.colour };
      if (k === 0) { delete p.gt; p.gte = 0; }
      lo = hi;
      return p;
    });
  };
  var base = { backgroundColor: "transparent", textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" }, animation: false,
    tooltip: { trigger: "axis", renderMode: "richText" }, grid: { left: 44, right: 16, top: 20, bottom: 28 } };
  function opts(extra) { return Object.assign({}, base, extra); }

  function drawTrend(points) {
    chart("chart-trend").setOption(opts({
      xAxis: { type: "category", data: points.map(function (p) { return fmtTime(p.at, false); }) },
      yAxis: { type: "value", name: "AQI", min: 0 },
      visualMap: { show: false, pieces: aqiPieces(state), dimension: 1 },
      series: [{ type: "line", name: "AQI", data: points.map(function (p) { return p.value; }), connectNulls: false, symbolSize: 6, lineStyle: { width: 3 } }]
    }), true);
  }
  function drawCharts(st) {
    var ss = st.rankings.stations.filter(function (s) { return s.aqi.aqi != null; }).slice(0, 12).reverse();
    chart("chart-stations").setOption(opts({
      grid: { left: 90, right: 30, top: 6, bottom: 20 },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "value", min: 0 }, yAxis: { type: "category", data: ss.map(function (s) { return s.name; }) },
      series: [{ type: "bar", name: "AQI", label: { show: true, position: "right" },
        data: ss.map(function (s) { return { value: s.aqi.aqi, itemStyle: { color: s.aqi.colour } }; }) }]
    }), true);
    var streets = st.rankings.streets;
    $("rank-day").textContent = st.rankings.day;
    chart("chart-streets").setOption(opts({
      grid: { left: 44, right: 10, top: 24, bottom: 44 },
      xAxis: { type: "category", data: streets.map(function (s) { return s.street.replace("街道", ""); }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", name: "日 AQI", min: 0 },
      series: [{ type: "bar", name: "日 AQI", label: { show: true, position: "top" },
        data: streets.map(function (s) { return { value: s.aqi.aqi, itemStyle: { color: s.aqi.colour || "#bbb" } }; }) }]
    }), true);
    var ent = st.rankings.enterprises;
    chart("chart-enterprises").setOption(opts({
      grid: { left: 130, right: 40, top: 6, bottom: 20 },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: ent.map(function (e) { return e.enterprise; }) },
      series: [{ type: "bar", name: "达标率", label: { show: true, position: "right", formatter: "{c}%" },
        data: ent.map(function (e) { var v = Math.round(e.rate * 1000) / 10; return { value: v, itemStyle: { color: v >= 95 ? "#00c853" : v >= 80 ? "#ffb300" : "#ff5252" } }; }) }]
    }), true);
  }

  function fillScopes(st) {
    var sel = $("trend-scope");
    if (sel.options.length > 1) return;
    var streets = {};
    st.stations.forEach(function (s) { streets[s.street] = true; });
    Object.keys(streets).sort().forEach(function (n) { var o = h("option", "", n); o.value = n; sel.appendChild(o); });
    st.stations.forEach(function (s) { var o = h("option", "", s.name); o.value = s.id; sel.appendChild(o); });
    sel.addEventListener("change", function () { trendScope = sel.value; loadTrend(); });
  }
  function loadTrend() {
    if (trendScope === "") { drawTrend(state.trend); return; }
    fetch("/admin/city/api/trend?scope=" + encodeURIComponent(trendScope) + "&hours=24", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) { drawTrend(j.points); })
      .catch(function () {});
  }

  function render(st) {
    state = st;
    drawKPIs(st); drawMap(st); drawLegend(st); drawAlarms(st); drawCharts(st); fillScopes(st); loadTrend();
    $("updated").textContent = fmtTime(st.at, true);
    document.body.dataset.version = String(st.version);
    document.body.dataset.rendered = String((Number(document.body.dataset.rendered) || 0) + 1);
  }

  function load() {
    if (loading) { again = true; return; }
    loading = true;
    fetch("/admin/city/api/state", { credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { location.href = "/admin/login?next=/admin/city/screen"; return null; }
        return r.ok ? r.json() : Promise.reject(r.status);
      })
      .then(function (st) { if (st) render(st); })
      .catch(function () { $("live").textContent = "数据读取失败，稍后重试"; $("live").className = "live off"; })
      .then(function () { loading = false; if (again) { again = false; load(); } });
  }

  function connect() {
    if (!window.EventSource) { $("live").textContent = "定时刷新"; return; }
    var es = new EventSource("/admin/city/events");
    es.addEventListener("hello", function () { $("live").textContent = "实时"; $("live").className = "live on"; load(); });
    es.addEventListener("change", function () { $("live").textContent = "实时"; $("live").className = "live on"; load(); });
    es.onerror = function () { $("live").textContent = "重新连接中…"; $("live").className = "live off"; };
  }

  // Counted for the browser test: the page must work under the strict
  // Content-Security-Policy (no inline style or script).
  document.addEventListener("securitypolicyviolation", function (e) {
    document.body.dataset.csp = String((Number(document.body.dataset.csp) || 0) + 1);
    document.body.dataset.cspLast = e.violatedDirective + " " + (e.sourceFile || "") + ":" + (e.lineNumber || "");
  });
  document.addEventListener("DOMContentLoaded", function () {
    load();
    connect();
    setInterval(load, 60000); // offline status and the hour roll over without a change event
    window.addEventListener("resize", function () { for (var k in charts) charts[k].resize(); });
  });
})();
