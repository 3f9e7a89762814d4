// 视频导办: one script for both sides of a call. The page says which side
// it is (data-side) and where its signalling WebSocket is (data-ws).
// The clerk always offers; the resident answers. A dropped WebSocket
// reconnects and the same session resumes: the server tells the clerk the
// resident is back, and the clerk offers afresh.
(function () {
  "use strict";
  var root = document.getElementById("video");
  if (!root || !window.WebSocket) return;
  var side = root.getAttribute("data-side");
  var wsPath = root.getAttribute("data-ws");
  // ?relay=1 forces media through TURN (checking the district's relay).
  var forceRelay = /[?&]relay=1(&|$)/.test(location.search);
  var ws = null, pc = null, iceConfig = null, local = null, screen = null;
  var pending = [], status = root.getAttribute("data-status");
  var consented = false, peerPresent = false, over = false, audioOnly = false, retry = 500;
  var lossStrikes = 0, lastLoss = null, generation = 0;
  // Offers are numbered: an answer to an older offer, or an offer older
  // than one already received, is dropped (a reconnect can cross them).
  var offerSeq = 0, appliedSeq = -1, chain = Promise.resolve(), mediaPromise = null, mediaReady = false;

  function $(id) { return document.getElementById(id); }
  function show(id, on) { var e = $(id); if (e) e.hidden = !on; }
  function text(id, t) { var e = $(id); if (e) e.textContent = t; }
  function state(t) { text("v-state", t); }
  function send(m) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(m)); }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + wsPath);
    ws.onopen = function () { retry = 500; };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      handle(m);
    };
    ws.onclose = function () {
      if (over) return;
      state("网络连接中断，正在重新连接…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  function waitLabel(s) {
    if (s <= 0) return "即将接通";
    if (s < 60) return "不到 1 分钟";
    return "约 " + Math.ceil(s / 60) + " 分钟";
  }

  function showClerk(s) {
    text("v-clerk-name", s.clerk_name || "");
    text("v-clerk-number", s.clerk_number || "");
    text("v-clerk-hall", s.hall || "");
    text("v-with", "正在与 " + (s.clerk_name || "") + "（工号 " + (s.clerk_number || "") + "，" + (s.hall || "") + "）通话");
  }

  function handle(m) {
    switch (m.type) {
      case "hello":
        iceConfig = m.ice || { iceServers: [] };
        if (forceRelay) iceConfig.iceTransportPolicy = "relay";
        status = m.session.status;
        peerPresent = !!m.present;
        consented = !!m.consented;
        (m.backlog || []).forEach(handle);
        if (status === "ended" || status === "abandoned") { finish(); return; }
        if (side === "clerk") {
          state(peerPresent ? "居民已在线" + (consented ? "" : "，等待居民同意开启摄像头") : "等待居民连接…");
          startMedia(false).then(function () { mediaReady = true; maybeOffer(); });
        } else if (status === "active") {
          showClerk(m.session);
          if (consented) { enterCall(); startMedia(audioOnly); } else { show("v-queue", false); show("v-consent", true); }
        } else {
          show("v-queue", true);
        }
        break;
      case "queue":
        if (m.queue) {
          text("v-pos", m.queue.position || "—");
          text("v-wait", waitLabel(m.queue.wait_s));
          show("v-noclerk", !m.queue.clerks);
        }
        break;
      case "accepted":
        status = "active";
        showClerk(m.session);
        show("v-queue", false);
        show("v-consent", true);
        state("工作人员已接听");
        break;
      case "consent":
        consented = true;
        maybeOffer();
        break;
      case "peer":
        peerPresent = !!m.present;
        if (m.consented) consented = true;
        if (!peerPresent) { state("对方网络中断，正在等待重新连接…"); break; }
        state("对方已连接");
        if (side === "clerk") maybeOffer();
        break;
      case "restart":
        if (side === "clerk") maybeOffer();
        break;
      case "offer":
        offerSeq = Math.max(offerSeq, m.seq || 0);
        pending = []; // candidates from here on belong to this offer
        answer(m.sdp, m.seq || 0);
        break;
      case "answer":
        if (pc && (m.seq || 0) === offerSeq && pc.signalingState === "have-local-offer") {
          var seq = offerSeq;
          pc.setRemoteDescription(m.sdp).then(function () { appliedSeq = seq; flush(); }).catch(report);
        }
        break;
      case "ice":
        if (pc && pc.remoteDescription && appliedSeq === offerSeq) pc.addIceCandidate(m.candidate).catch(report);
        else pending.push(m.candidate);
        break;
      case "chat":
        var li = document.createElement("li");
        li.className = "from-" + m.from;
        li.textContent = (m.from === side ? "我：" : (m.from === "clerk" ? "工作人员：" : "居民：")) + m.text;
        $("v-chatlog").appendChild(li);
        break;
      case "caption":
        if (side === "resident") text("v-caption", m.text || "");
        break;
      case "push":
        if (m.card) card(m.card);
        break;
      case "ended":
        finish();
        break;
      case "error":
        state(m.text || "操作失败");
        break;
    }
  }

  function card(c) {
    var box = document.createElement("article");
    box.className = "v-card " + c.kind;
    var h = document.createElement("h2");
    h.textContent = c.title;
    box.appendChild(h);
    if (c.lines && c.lines.length) {
      var ol = document.createElement(c.kind === "materials" ? "ul" : "ol");
      if (c.kind === "guide") ol = document.createElement("div");
      c.lines.forEach(function (l) {
        var li = document.createElement(c.kind === "guide" ? "p" : "li");
        li.textContent = l;
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    if (c.url) {
      var a = document.createElement("a");
      a.href = c.url;
      a.className = "btn big";
      a.textContent = c.kind === "link" ? "打开链接" : "查看完整指南";
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      box.appendChild(a);
    }
    var cards = $("v-cards");
    cards.insertBefore(box, cards.firstChild);
  }

  function enterCall() {
    show("v-queue", false);
    show("v-consent", false);
    show("v-call", true);
    show("v-chat", true);
  }

  // startMedia opens the camera and microphone (or the microphone only);
  // without either, the page still receives.
  function startMedia(voiceOnly) {
    if (mediaPromise) return mediaPromise;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return (mediaPromise = Promise.resolve(null));
    var want = { audio: true, video: voiceOnly ? false : { width: { ideal: 640 }, height: { ideal: 480 } } };
    mediaPromise = navigator.mediaDevices.getUserMedia(want).catch(function () {
      state("无法打开摄像头，改为仅语音");
      return navigator.mediaDevices.getUserMedia({ audio: true });
    }).then(function (s) {
      local = s;
      var v = $("v-local");
      if (v) v.srcObject = s;
      return s;
    }).catch(function () { state("无法打开麦克风和摄像头，您仍可看到和听到对方"); return null; });
    return mediaPromise;
  }

  function fresh() {
    if (pc) { pc.onconnectionstatechange = null; pc.close(); }
    appliedSeq = -1;
    pc = new RTCPeerConnection(iceConfig);
    generation++;
    if (local) local.getTracks().forEach(function (t) { pc.addTrack(t, local); });
    if (side === "clerk" && screen && local) {
      var sender = videoSender();
      if (sender) sender.replaceTrack(screen.getVideoTracks()[0]);
    }
    // Receive both kinds even when sending neither.
    if (!local || !local.getVideoTracks().length) pc.addTransceiver("video", { direction: "recvonly" });
    if (!local || !local.getAudioTracks().length) pc.addTransceiver("audio", { direction: "recvonly" });
    pc.onicecandidate = function (e) { if (e.candidate) send({ type: "ice", candidate: e.candidate.toJSON() }); };
    pc.ontrack = function (e) {
      var v = $("v-remote");
      if (!v) return;
      if (!v.srcObject) v.srcObject = new MediaStream();
      v.srcObject.addTrack(e.track);
    };
    var mine = pc;
    pc.onconnectionstatechange = function () {
      if (mine !== pc) return;
      var s = pc.connectionState;
      if (s === "connected") state("通话中");
      else if (s === "disconnected") state("网络不稳定，正在恢复…");
      else if (s === "failed") {
        state("连接失败，正在重新连接…");
        if (side === "clerk") setTimeout(maybeOffer, 1000);
        else send({ type: "restart" });
      }
    };
    var v = $("v-remote");
    if (v) v.srcObject = null;
    return pc;
  }

  function flush() {
    pending.forEach(function (c) { pc.addIceCandidate(c).catch(report); });
    pending = [];
  }

  function maybeOffer() {
    if (side !== "clerk" || over || !peerPresent || !consented || !iceConfig || !mediaReady) return;
    pending = [];
    var p = fresh(), seq = ++offerSeq;
    p.createOffer().then(function (o) { return p.setLocalDescription(o); })
      .then(function () { if (p === pc) send({ type: "offer", seq: seq, sdp: p.localDescription }); }).catch(report);
  }

  // answer handles offers one at a time, skipping any a newer one replaced.
  function answer(sdp, seq) {
    if (side !== "resident" || over) return;
    enterCall();
    chain = chain.then(function () { return startMedia(audioOnly); }).then(function () {
      if (seq !== offerSeq || over) return;
      var p = fresh();
      return p.setRemoteDescription(sdp).then(function () { appliedSeq = seq; flush(); return p.createAnswer(); })
        .then(function (a) { return p.setLocalDescription(a); })
        .then(function () { if (p === pc) send({ type: "answer", seq: seq, sdp: p.localDescription }); });
    }).catch(report);
  }

  function report(err) { if (window.console) console.warn("video:", err); }

  function finish() {
    over = true;
    if (pc) { pc.close(); pc = null; }
    if (local) local.getTracks().forEach(function (t) { t.stop(); });
    if (screen) screen.getTracks().forEach(function (t) { t.stop(); });
    local = null;
    mediaPromise = null;
    show("v-queue", false);
    show("v-consent", false);
    show("v-call", side === "clerk");
    show("v-ended", true);
    state("通话已结束");
    if (side === "resident" && !$("v-rate") && !$("v-rated") && status !== "abandoned") location.reload(); // the rating form comes with the page
    if (ws) ws.close();
  }

  function videoSender() {
    if (!pc) return null;
    var s = pc.getSenders().filter(function (x) { return x.track && x.track.kind === "video"; });
    return s[0] || null;
  }

  // Weak connection: more than 15% of the video lost twice running turns
  // the resident's camera off (audio only) and says so.
  function watchQuality() {
    if (!pc || audioOnly || side !== "resident") return;
    pc.getStats().then(function (r) {
      var lost = 0, got = 0;
      r.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "video") { lost += s.packetsLost || 0; got += s.packetsReceived || 0; } });
      if (lastLoss) {
        var dl = lost - lastLoss.lost, dg = got - lastLoss.got;
        if (dl + dg > 50 && dl / (dl + dg) > 0.15) lossStrikes++; else lossStrikes = 0;
        if (lossStrikes >= 2) { goAudioOnly(); state("网络较差，已自动切换为仅语音"); }
      }
      lastLoss = { lost: lost, got: got };
    }).catch(report);
  }

  function goAudioOnly() {
    audioOnly = true;
    if (local) local.getVideoTracks().forEach(function (t) { t.stop(); local.removeTrack(t); });
    var s = videoSender();
    if (s) s.replaceTrack(null);
    var b = $("v-audio-only");
    if (b) b.hidden = true;
  }

  function bind(id, ev, fn) { var e = $(id); if (e) e.addEventListener(ev, fn); }

  bind("v-agree", "click", function () {
    send({ type: "consent" });
    consented = true;
    enterCall();
    state("正在开启摄像头…");
    startMedia(false);
  });
  bind("v-agree-audio", "click", function () {
    audioOnly = true;
    send({ type: "consent" });
    consented = true;
    enterCall();
    startMedia(true);
  });
  bind("v-audio-only", "click", function () { goAudioOnly(); state("已切换为仅语音"); });
  bind("v-mute", "click", function () {
    if (!local) return;
    var tracks = local.getAudioTracks();
    var on = tracks.length && tracks[0].enabled;
    tracks.forEach(function (t) { t.enabled = !on; });
    this.textContent = on ? "取消静音" : "静音";
  });
  bind("v-hangup", "click", function () { send({ type: "leave" }); });
  bind("v-chatform", "submit", function (e) {
    e.preventDefault();
    var i = $("v-chattext");
    if (i.value.trim()) send({ type: "chat", text: i.value });
    i.value = "";
  });
  bind("v-captionform", "submit", function (e) { e.preventDefault(); });
  bind("v-captiontext", "input", function () { send({ type: "caption", text: this.value }); });
  bind("v-linkform", "submit", function (e) {
    e.preventDefault();
    send({ type: "push", kind: "link", url: $("v-linkurl").value, title: $("v-linktitle").value });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-push]"), function (b) {
    b.addEventListener("click", function () { send({ type: "push", kind: b.getAttribute("data-push"), item_id: ($("v-push-item") || {}).value || "" }); });
  });
  bind("v-share", "click", function () {
    var btn = this;
    if (screen) { stopShare(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) { state("此浏览器不支持共享屏幕"); return; }
    navigator.mediaDevices.getDisplayMedia({ video: true }).then(function (s) {
      screen = s;
      btn.textContent = "停止共享";
      var sender = videoSender();
      if (sender) sender.replaceTrack(s.getVideoTracks()[0]);
      s.getVideoTracks()[0].onended = stopShare;
    }).catch(report);
    function stopShare() {
      if (!screen) return;
      screen.getTracks().forEach(function (t) { t.stop(); });
      screen = null;
      btn.textContent = "共享屏幕";
      var sender = videoSender();
      if (sender && local && local.getVideoTracks()[0]) sender.replaceTrack(local.getVideoTracks()[0]);
    }
  });

  // For diagnostics (and the browser tests): RTP received so far and the
  // kind of the local candidate in use ("host", "srflx", "relay").
  window.fuwuVideo = {
    stats: function () {
      if (!pc) return Promise.resolve({ audio: 0, video: 0, candidate: "" });
      return pc.getStats().then(function (r) {
        var out = { audio: 0, video: 0, candidate: "" }, pairs = {}, cands = {};
        r.forEach(function (s) {
          if (s.type === "inbound-rtp") out[s.kind] += s.packetsReceived || 0;
          if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") pairs[s.localCandidateId] = true;
          if (s.type === "local-candidate") cands[s.id] = s.candidateType;
        });
        Object.keys(pairs).forEach(function (id) { out.candidate = cands[id] || out.candidate; });
        return out;
      });
    },
    drop: function () { if (ws) ws.close(); },
    generation: function () { return generation; }
  };

  setInterval(watchQuality, 3000);
  if (status === "ended" || status === "abandoned") { over = true; return; }
  connect();
})();
