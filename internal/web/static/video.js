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
        if (m.record) recordAllowed();
        if (side === "resident") show("v-recording", !!m.recording);
        // The server thinks this page records but it does not (reloaded):
        // say the recording stopped.
        if (side === "clerk" && m.recording && !rec.on) send({ type: "record", text: "stop", seq: 0 });
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
        if (m.record) recordAllowed();
        maybeOffer();
        break;
      case "record":
        if (side === "resident") show("v-recording", !!m.recording);
        break;
      case "peer":
        peerPresent = !!m.present;
        if (m.consented) consented = true;
        if (m.record) recordAllowed();
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
      if (s === "connected") { state("通话中"); if (rec.on) recordRestartIfNew(); }
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
    if (rec.on) recordStop(false);
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
  // the resident's camera off (audio only) and says so. lossBias (a
  // diagnostics hook, 0 normally) adds that share of loss to what the
  // statistics say, to rehearse the fallback on a good network.
  var lossBias = 0;
  function watchQuality() {
    if (!pc || audioOnly || side !== "resident") return;
    pc.getStats().then(function (r) {
      var lost = 0, got = 0;
      r.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "video") { lost += s.packetsLost || 0; got += s.packetsReceived || 0; } });
      if (lossBias > 0) lost += Math.round(got * lossBias / (1 - lossBias));
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

  // The resident's separate, unticked consent to be recorded (only shown
  // when the deployment records).
  function recordConsent() { var c = $("v-record-consent"); return !!(c && c.checked); }

  bind("v-agree", "click", function () {
    send({ type: "consent", record: recordConsent() });
    consented = true;
    enterCall();
    state("正在开启摄像头…");
    startMedia(false);
  });
  bind("v-agree-audio", "click", function () {
    audioOnly = true;
    send({ type: "consent", record: recordConsent() });
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

  // Recording (clerk's page; only when the deployment records and the
  // resident ticked the separate consent). The recorder takes the
  // resident's video and both voices mixed, and uploads a chunk every two
  // seconds, in order. A resumed call has new tracks: the running part
  // stops and a new one starts.
  var rec = { on: false, ok: false, part: 0, recorder: null, audio: null, video: null, queue: Promise.resolve(), uploaded: 0, failed: 0,
    partUploaded: 0, recorders: 0 };
  var recPanel = $("v-rec-panel");
  if (recPanel && recPanel.getAttribute("data-record-consent") === "yes") rec.ok = true;
  var csrfInput = document.querySelector("#v-endform input[name=csrf]");
  var sessionID = wsPath.split("/")[3];

  function recordAllowed() {
    if (side !== "clerk" || !recPanel || rec.ok) return;
    rec.ok = true;
    text("v-rec-consent", "居民已同意录音录像。");
    var b = $("v-record");
    if (b) b.disabled = false;
  }

  // remoteKey names the remote tracks a part records: a resume brings new ones.
  function remoteKey() {
    var remote = $("v-remote") && $("v-remote").srcObject;
    if (!remote) return "";
    return remote.getTracks().map(function (t) { return t.id; }).sort().join(",");
  }

  function recordStream() {
    var remote = $("v-remote") && $("v-remote").srcObject;
    var tracks = [];
    rec.key = remoteKey();
    rec.video = remote && remote.getVideoTracks()[0] || null;
    if (rec.video) tracks.push(rec.video);
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) {
      if (!rec.audio) rec.audio = new Ctx();
      if (rec.audio.state === "suspended") rec.audio.resume();
      var dest = rec.audio.createMediaStreamDestination();
      [remote, local].forEach(function (s) {
        if (s && s.getAudioTracks().length) rec.audio.createMediaStreamSource(new MediaStream(s.getAudioTracks())).connect(dest);
      });
      tracks.push(dest.stream.getAudioTracks()[0]);
    } else if (remote && remote.getAudioTracks()[0]) {
      tracks.push(remote.getAudioTracks()[0]);
    }
    return new MediaStream(tracks);
  }

  function recordMime(hasVideo) {
    var want = hasVideo ? ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"] : ["audio/webm;codecs=opus", "audio/webm", "audio/mp4"];
    for (var i = 0; i < want.length; i++) if (MediaRecorder.isTypeSupported(want[i])) return want[i];
    return "";
  }

  // upload sends one chunk after the ones before it, trying twice more
  // after a network error (a refusal is final).
  function upload(part, seq, blob, mime) {
    function post(tries) {
      return fetch("/admin/video/" + sessionID + "/recording?part=" + part + "&seq=" + seq, {
        method: "POST", credentials: "same-origin", body: blob,
        headers: { "Content-Type": mime || "video/webm", "X-CSRF-Token": csrfInput ? csrfInput.value : "" }
      }).catch(function (err) {
        if (tries <= 1) throw err;
        return new Promise(function (ok) { setTimeout(ok, 1000); }).then(function () { return post(tries - 1); });
      });
    }
    rec.queue = rec.queue.then(function () {
      return post(3).then(function (r) {
        if (!r.ok) throw new Error("upload " + r.status);
        rec.uploaded++;
        if (part === rec.part) rec.partUploaded++;
        text("v-rec-state", rec.on ? "正在录制（已上传 " + rec.uploaded + " 段）" : "录制已停止，已上传 " + rec.uploaded + " 段");
      });
    }).catch(function (err) { rec.failed++; text("v-rec-state", "录像上传失败"); report(err); });
  }

  function recordPart() {
    var stream = recordStream();
    var mime = recordMime(!!rec.video);
    var r = new MediaRecorder(stream, mime ? { mimeType: mime, videoBitsPerSecond: 600000 } : { videoBitsPerSecond: 600000 });
    var part = ++rec.part, seq = 0;
    rec.partUploaded = 0;
    rec.recorders++;
    r.ondataavailable = function (e) { if (e.data && e.data.size) upload(part, seq++, e.data, r.mimeType || mime); };
    r.onstop = function () { rec.recorders--; }; // after its last chunk
    r.start(2000);
    rec.recorder = r;
    send({ type: "record", text: "start", seq: part });
  }

  function recordStop(tell) {
    if (rec.recorder && rec.recorder.state !== "inactive") rec.recorder.stop(); // the last chunk follows
    if (tell && rec.part) send({ type: "record", text: "stop", seq: rec.part });
    rec.recorder = null;
    rec.on = false;
    var b = $("v-record");
    if (b) b.textContent = "开始录制";
  }

  function recordRestartIfNew() {
    if (remoteKey() === rec.key) return;
    recordStop(true);
    rec.on = true;
    recordPart();
    var b = $("v-record");
    if (b) b.textContent = "停止录制";
  }

  bind("v-record", "click", function () {
    if (!rec.ok || !window.MediaRecorder) { state("此浏览器不能录制"); return; }
    if (rec.on) { recordStop(true); return; }
    rec.on = true;
    try { recordPart(); } catch (err) { rec.on = false; report(err); state("无法开始录制"); return; }
    this.textContent = "停止录制";
    text("v-rec-state", "正在录制");
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
    simulateLoss: function (share) { lossBias = Math.max(0, Math.min(0.9, share || 0)); },
    sending: function () { return local ? local.getTracks().filter(function (t) { return t.readyState === "live"; }).map(function (t) { return t.kind; }).sort().join(",") : ""; },
    recorded: function () {
      return rec.queue.then(function () {
        return { parts: rec.part, uploaded: rec.uploaded, part_uploaded: rec.partUploaded, failed: rec.failed, recorders: rec.recorders };
      });
    },
    generation: function () { return generation; }
  };

  setInterval(watchQuality, 3000);
  if (status === "ended" || status === "abandoned") { over = true; return; }
  connect();
})();
