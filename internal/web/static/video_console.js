// 视频导办 console: the queue, live over a WebSocket (which also counts
// this clerk online), the masked conversation of each request on demand,
// and the clerk's number and hall remembered in this browser.
(function () {
  "use strict";
  var root = document.getElementById("video-console");
  if (!root || !window.WebSocket) return;
  var list = document.getElementById("vq-list");
  var number = document.getElementById("vq-number"), hall = document.getElementById("vq-hall");
  var csrf = root.querySelector("input[name=csrf]");
  try {
    if (localStorage.getItem("fuwu.video.number")) number.value = localStorage.getItem("fuwu.video.number");
    if (localStorage.getItem("fuwu.video.hall")) hall.value = localStorage.getItem("fuwu.video.hall");
  } catch (e) { /* private mode */ }
  function remember() {
    try { localStorage.setItem("fuwu.video.number", number.value); localStorage.setItem("fuwu.video.hall", hall.value); } catch (e) { /* ignore */ }
  }
  number.addEventListener("change", remember);
  hall.addEventListener("change", remember);
  document.getElementById("vq-me").addEventListener("submit", function (e) { e.preventDefault(); });

  var channels = { chat: "来自智能咨询", item: "来自办事指南" };
  function minutes(s) { return s < 60 ? s + " 秒" : Math.floor(s / 60) + " 分 " + (s % 60) + " 秒"; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(entries) {
    document.getElementById("vq-count").textContent = entries.length;
    list.textContent = "";
    if (!entries.length) { list.appendChild(el("li", "vq-empty", "暂无排队。")); return; }
    entries.forEach(function (q) {
      var li = el("li");
      li.setAttribute("data-id", q.id);
      li.appendChild(el("strong", "", q.item_name || "未指定事项"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "hint", (channels[q.channel] || "居民直接发起") + " · 已等待 " + minutes(q.waited_s) + (q.present ? "" : " · 居民暂时离线")));
      if (q.has_conversation) {
        var d = el("details", "vq-conv");
        d.setAttribute("data-src", "/admin/video/" + q.id + "/conversation");
        d.appendChild(el("summary", "", "此前的对话（已脱敏）"));
        d.appendChild(el("div"));
        li.appendChild(d);
      }
      var f = el("form", "inline vq-accept");
      f.method = "post";
      f.action = "/admin/video/" + q.id + "/accept";
      ["csrf", "number", "hall"].forEach(function (n) {
        var i = el("input");
        i.type = "hidden";
        i.name = n;
        if (n === "csrf" && csrf) i.value = csrf.value;
        f.appendChild(i);
      });
      var b = el("button", "btn primary", "接听");
      f.appendChild(b);
      li.appendChild(f);
      list.appendChild(li);
    });
  }

  // Accepting sends the clerk's number and hall along.
  list.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.classList.contains("vq-accept")) return;
    if (!number.value.trim() || !hall.value.trim()) { e.preventDefault(); number.focus(); return; }
    remember();
    f.querySelector("input[name=number]").value = number.value;
    f.querySelector("input[name=hall]").value = hall.value;
  });
  // The conversation loads when opened (each opening is audited).
  list.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.open || d.getAttribute("data-loaded")) return;
    d.setAttribute("data-loaded", "1");
    fetch(d.getAttribute("data-src"), { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (html) { d.querySelector("div").innerHTML = html; });
  }, true);

  var retry = 500;
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.getAttribute("data-ws"));
    ws.onopen = function () { retry = 500; document.getElementById("vq-online").textContent = "您已在线，居民排队时会即时显示在下方。"; };
    ws.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === "queue") render(m.list || []);
    };
    ws.onclose = function () {
      document.getElementById("vq-online").textContent = "连接中断，正在重新连接…";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }
  connect();
})();
