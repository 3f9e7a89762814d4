// 视频导办 figures: calls, waits and durations per day; outcomes and
// satisfaction. ECharts is embedded (/static/echarts.min.js).
(function () {
  "use strict";
  var calls = document.getElementById("v-chart-calls");
  if (!calls || !window.echarts) return;
  fetch(calls.getAttribute("data-src"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var st = d.stats, days = st.days || [];
    var c1 = echarts.init(calls, null, { renderer: "svg" });
    c1.setOption({
      animation: false,
      title: { text: "每日通话" },
      tooltip: { trigger: "axis" },
      legend: { top: 24, data: ["请求", "接通", "放弃", "平均等待（秒）", "平均通话（秒）"] },
      grid: { top: 64, left: 48, right: 56, bottom: 32 },
      xAxis: { type: "category", data: days.map(function (x) { return x.day; }) },
      yAxis: [{ type: "value", name: "次", minInterval: 1 }, { type: "value", name: "秒" }],
      series: [
        { name: "请求", type: "bar", data: days.map(function (x) { return x.requests; }) },
        { name: "接通", type: "bar", data: days.map(function (x) { return x.answered; }) },
        { name: "放弃", type: "bar", data: days.map(function (x) { return x.abandoned; }) },
        { name: "平均等待（秒）", type: "line", yAxisIndex: 1, data: days.map(function (x) { return x.wait_s; }) },
        { name: "平均通话（秒）", type: "line", yAxisIndex: 1, data: days.map(function (x) { return x.duration_s; }) }
      ]
    });
    var out = document.getElementById("v-chart-outcomes");
    var c2 = echarts.init(out, null, { renderer: "svg" });
    var labels = d.outcome_labels || {}, outcomes = st.all.outcomes || {};
    c2.setOption({
      animation: false,
      title: { text: "办理结果与满意度（平均 " + st.all.stars + " 星）" },
      tooltip: {},
      series: [
        { name: "办理结果", type: "pie", radius: "55%", center: ["28%", "58%"],
          data: Object.keys(outcomes).map(function (k) { return { name: labels[k] || k, value: outcomes[k] }; }) },
        { name: "满意度", type: "pie", radius: "55%", center: ["74%", "58%"],
          data: [{ name: "满意（4-5 星）", value: st.all.satisfied }, { name: "其他评价", value: st.all.rated - st.all.satisfied }] }
      ]
    });
    window.addEventListener("resize", function () { c1.resize(); c2.resize(); });
  });
})();
