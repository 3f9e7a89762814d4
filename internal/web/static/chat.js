// Fuwu chat page: streams answers over Server-Sent Events when scripts run.
// Without this file the page is a plain form that posts and reloads.
"use strict";
(function () {
  var form = document.getElementById("ask");
  if (!form || !window.fetch || !window.TextDecoder) return;
  var transcript = document.getElementById("transcript");
  var box = document.getElementById("message");
  var convField = document.getElementById("conversation_id");
  var csrf = form.querySelector("input[name=csrf]").value;
  var busy = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function dropOldChips() {
    transcript.querySelectorAll(".turn .chips, .intro .chips, .intro .hint").forEach(function (c) { c.remove(); });
  }

  // Parses an SSE byte stream; calls onEvent(name, data) per event.
  function readSSE(resp, onEvent) {
    var reader = resp.body.getReader();
    var dec = new TextDecoder("utf-8");
    var buf = "";
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) return;
        buf += dec.decode(r.value, { stream: true }).replace(/\r\n/g, "\n");
        var i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          var block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          var name = "message", data = [];
          block.split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
          });
          if (data.length) onEvent(name, JSON.parse(data.join("\n")));
        }
        return pump();
      });
    }
    return pump();
  }

  function send(message) {
    message = (message || "").trim();
    if (!message || busy) return;
    // "我想视频咨询": straight to 视频导办 with this conversation.
    if (form.getAttribute("data-video") === "1" && /视频(咨询|导办|办理|通话|指导|连线)/.test(message.replace(/\s/g, ""))) {
      location.href = "/video" + (convField.value ? "?c=" + encodeURIComponent(convField.value) : "");
      return;
    }
    busy = true;
    form.classList.add("busy");
    dropOldChips();
    var section = el("section", "turn pending");
    var me = el("div", "msg me");
    me.appendChild(el("p", null, message));
    var bot = el("div", "msg bot streaming");
    var answer = el("div", "answer");
    bot.appendChild(answer);
    section.appendChild(me);
    section.appendChild(bot);
    transcript.appendChild(section);
    section.scrollIntoView({ block: "end" });
    var body = new URLSearchParams();
    body.set("message", message);
    body.set("conversation_id", convField.value);
    body.set("csrf", csrf);
    var done = false;
    function fail(msg) {
      bot.classList.remove("streaming");
      answer.textContent = "";
      answer.appendChild(el("p", "error", msg));
    }
    fetch("/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf, "Accept": "text/event-stream" },
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (resp) {
      var ct = resp.headers.get("Content-Type") || "";
      if (!resp.ok || ct.indexOf("text/event-stream") !== 0) {
        return resp.json().then(function (j) { fail(j.error || "发送失败，请稍后再试。"); },
          function () { fail("发送失败，请稍后再试。"); });
      }
      return readSSE(resp, function (name, data) {
        if (name === "delta") {
          answer.textContent += data.text;
        } else if (name === "turn") {
          done = true;
          var holder = document.createElement("div");
          holder.innerHTML = data.html;
          var fresh = holder.firstElementChild;
          section.replaceWith(fresh);
          convField.value = data.conversation_id;
          if (window.history && history.replaceState) history.replaceState(null, "", "/?c=" + encodeURIComponent(data.conversation_id) + "#t" + data.turn_id);
          fresh.scrollIntoView({ block: "start" });
          if (data.status === "handoff") watchStaff();
        } else if (name === "error") {
          done = true;
          fail(data.error);
        }
      }).then(function () { if (!done) fail("连接中断，请重试。"); });
    }).catch(function () {
      fail("网络连接失败，请检查网络后重试。");
    }).then(function () {
      busy = false;
      form.classList.remove("busy");
    });
  }

  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f === form) {
      e.preventDefault();
      var m = box.value;
      box.value = "";
      send(m);
    } else if (f.classList.contains("ask")) {
      e.preventDefault();
      send(f.querySelector("input[name=message]").value);
    } else if (f.classList.contains("feedback")) {
      e.preventDefault();
      var fd = new URLSearchParams(new FormData(f));
      if (e.submitter && e.submitter.name === "score") fd.set("score", e.submitter.value);
      fetch("/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf, "Accept": "application/json" },
        body: fd.toString(), credentials: "same-origin"
      }).then(function (r) { return r.json(); }).then(function (j) {
        var p = el("p", j.ok ? "rated" : "error", j.ok ? "您的评价已收到，感谢您的反馈！" : (j.error || "评价失败"));
        f.replaceWith(p);
      }, function () { f.appendChild(el("span", "error", "评价失败，请重试")); });
    }
  });

  // After 转人工, staff replies appear without reloading: the page asks the
  // API for the conversation now and then while the ticket is open.
  var watching = false;
  function watchStaff() {
    if (watching || !convField.value) return;
    watching = true;
    var shown = transcript.querySelectorAll("#staff p.reply").length;
    if (!document.getElementById("handoff-wait")) {
      var hint = el("p", "hint", "已为您转接人工服务，工作人员回复后将显示在本页。");
      hint.id = "handoff-wait";
      transcript.appendChild(hint);
    }
    function poll() {
      fetch("/api/v1/conversations/" + encodeURIComponent(convField.value), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (c) {
          var replies = c.staff_replies || [];
          if (replies.length > shown) {
            var box = document.getElementById("staff");
            if (!box) {
              box = el("section", "staff-reply");
              box.id = "staff";
              var head = el("p");
              head.appendChild(el("strong", null, "人工服务回复"));
              box.appendChild(head);
              var wait = document.getElementById("handoff-wait");
              transcript.insertBefore(box, wait);
            }
            replies.slice(shown).forEach(function (r) { box.appendChild(el("p", "reply", r.body)); });
            shown = replies.length;
          }
          if (c.handoff_state === "open" || c.handoff_state === "claimed") setTimeout(poll, 10000);
          else watching = false;
        }, function () { setTimeout(poll, 30000); });
    }
    setTimeout(poll, 3000);
  }
  if (document.getElementById("handoff-wait")) watchStaff();

  // Enter sends, Shift+Enter breaks the line.
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  // Voice input: recorded here and transcribed by the server's configured
  // endpoint, never by the browser's own speech recognition, which sends
  // the audio to servers a government intranet cannot reach (and should
  // not). Without an endpoint the page has no voice button at all.
  var voice = document.getElementById("voice");
  var status = document.getElementById("voice-status");
  function say(msg) { status.hidden = !msg; status.textContent = msg || ""; }
  if (voice && form.dataset.transcribe === "1" && window.MediaRecorder && navigator.mediaDevices) {
    voice.hidden = false;
    var recorder = null, chunks = [];
    voice.addEventListener("click", function () {
      if (recorder) { recorder.stop(); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (ev) { if (ev.data.size) chunks.push(ev.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          voice.classList.remove("recording");
          voice.textContent = "语音";
          var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          recorder = null;
          say("正在识别…");
          var fd = new FormData();
          fd.append("audio", blob, "voice.webm");
          fetch("/api/v1/transcribe", { method: "POST", body: fd }).then(function (r) { return r.json(); }).then(function (j) {
            if (j.text) { box.value = j.text; say(""); box.focus(); } else say(j.error || "没有识别出内容。");
          }, function () { say("语音识别失败，请直接输入文字。"); });
        };
        recorder.start();
        voice.classList.add("recording");
        voice.textContent = "停止";
        say("正在录音，再按一次结束。");
      }, function () { say("无法使用麦克风，请直接输入文字。"); });
    });
  }
})();
