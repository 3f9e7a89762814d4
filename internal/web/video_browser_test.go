package web

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/browsertest"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/video"
)

// videoEnv is the services' web with 视频导办 behind the embedded TURN
// server on loopback; relay forces every call through it.
func videoEnv(t *testing.T, relay bool) (*env, *video.Service, *video.TURN) {
	t.Helper()
	return videoEnvRecording(t, relay, 0)
}

// videoEnvRecording is videoEnv recording calls whose resident consents,
// kept days (0: off).
func videoEnvRecording(t *testing.T, relay bool, days int) (*env, *video.Service, *video.TURN) {
	t.Helper()
	keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("turn secret for the browser tests")
	var vs *video.Service
	var tr *video.TURN
	e, _, _ := servicesEnvAt(t, servicesDB(t), testNow, func(c *Config) {
		var err error
		tr, err = video.StartTURN(video.TURNConfig{Listen: "127.0.0.1:0", Secret: secret, Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tr.Close() })
		vs, err = video.New(c.Auth.DB(), video.Config{Key: []byte("0123456789abcdef-video-browser"), Cards: VideoCards{KB: c.KB},
			ICE: &video.ICE{Secret: secret, TURN: []string{tr.URL()}, Relay: relay, Now: c.Now}, Audit: c.Audit, Now: c.Now,
			RecordDays: days, Seal: keys})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(vs.Close)
		c.Video, c.VideoHall = vs, "福田区政务服务中心"
	})
	return e, vs, tr
}

// mediaBrowser is a headless Chromium with a fake camera and microphone
// that needs no permission prompt.
func mediaBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true), chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
}

type rtpStats struct {
	Audio     int    `json:"audio"`
	Video     int    `json:"video"`
	Candidate string `json:"candidate"`
}

// mediaGrows waits until the page has received audio and video RTP beyond
// what it had, and returns the new counts.
func mediaGrows(t *testing.T, ctx context.Context, who string, from rtpStats) rtpStats {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		s := eval[rtpStats](t, ctx, `window.fuwuVideo.stats()`)
		if s.Audio > from.Audio+5 && s.Video > from.Video+5 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: inbound RTP did not grow past %+v: %+v; page: %.600s", who, from, s, eval[string](t, ctx, "document.body.innerText"))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func clerkLogin(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	step(t, ctx, "agent login", chromedp.Navigate(base+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "agent"), chromedp.SendKeys(chromedp.ID("password"), "agent password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
}

// TestBrowserVideoCall is 视频导办 end to end in two browsers: a resident
// asks in the chat, joins the queue and sees it update live; a clerk
// accepts on the console; the resident sees who answers and agrees; media
// flows both ways; the clerk pushes the guide card and types a caption;
// the resident's connection drops and the same session resumes, then the
// page reloads and it resumes again; the clerk ends the call with its
// outcome; the resident rates it; the call is in the figures.
func TestBrowserVideoCall(t *testing.T) {
	e, vs, _ := videoEnv(t, false)
	bg := context.Background()
	res := mediaBrowser(t)
	clerk := mediaBrowser(t)

	// The resident: chat first, then "我想视频咨询".
	step(t, res, "chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.SendKeys(chromedp.ID("message"), "生了孩子怎么上户口"), chromedp.Click(chromedp.ID("send")))
	// The finished turn, not the pending one: a message sent while the
	// answer still streams is ignored by the page.
	waitJS(t, res, "answer", `document.querySelector(".turn[data-turn] .msg.bot") && !document.querySelector(".turn.pending, form.busy")`)
	step(t, res, "ask for video", chromedp.SendKeys(chromedp.ID("message"), "我想视频咨询"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, res, "video page", `location.pathname === "/video" && document.getElementById("v-request")`)
	if txt := eval[string](t, res, "document.body.innerText"); !strings.Contains(txt, "暂无工作人员在线") || !strings.Contains(txt, "预约视频办理时段") {
		t.Errorf("no clerk online: the page should offer booking: %.500s", txt)
	}
	navigate(t, res, chromedp.Click(chromedp.ID("v-request")))
	waitJS(t, res, "queued", `document.getElementById("v-pos").textContent === "1" && !document.getElementById("v-noclerk").hidden`)
	id := eval[string](t, res, `location.pathname.split("/")[3]`)
	e.clk.Add(90 * time.Second)

	// The clerk comes online: the resident's wait updates without a reload.
	clerkLogin(t, clerk, e.srv.URL)
	step(t, clerk, "console", chromedp.Navigate(e.srv.URL+"/admin/video"), chromedp.WaitVisible(chromedp.ID("vq-list")))
	waitJS(t, clerk, "queue entry", `document.querySelector("#vq-list li[data-id='`+id+`'] details.vq-conv")`)
	waitJS(t, res, "live queue update", `document.getElementById("v-noclerk").hidden && document.getElementById("v-wait").textContent === "即将接通"`)
	// The conversation so far, masked, on demand.
	eval[bool](t, clerk, `(document.querySelector("#vq-list details.vq-conv").open = true, true)`)
	waitJS(t, clerk, "conversation", `document.querySelector("#vq-list details.vq-conv div").textContent.includes("生了孩子怎么上户口")`)
	screenshot(t, clerk, "video-console-queue")
	step(t, clerk, "number", chromedp.SetValue(chromedp.ID("vq-number"), "FT0123"))
	navigate(t, clerk, chromedp.Click(chromedp.CSS("#vq-list li[data-id='"+id+"'] .vq-accept button")))
	waitJS(t, clerk, "call page", `location.pathname === "/admin/video/`+id+`"`)

	// The resident sees who answers and agrees; only then the camera.
	waitJS(t, res, "consent", `!document.getElementById("v-consent").hidden`)
	if txt := eval[string](t, res, `document.getElementById("v-consent").innerText`); !strings.Contains(txt, "窗口人员") || !strings.Contains(txt, "FT0123") || !strings.Contains(txt, "福田区政务服务中心") {
		t.Errorf("consent shows %q", txt)
	}
	if eval[int](t, res, `window.fuwuVideo.stats().then(s => s.audio + s.video)`) != 0 {
		t.Error("media before consent")
	}
	step(t, res, "agree", chromedp.Click(chromedp.ID("v-agree")))
	r1 := mediaGrows(t, res, "resident", rtpStats{})
	c1 := mediaGrows(t, clerk, "clerk", rtpStats{})

	// The clerk pushes the item's guide card and types a caption.
	step(t, clerk, "push guide", chromedp.Click(chromedp.ID("v-push-guide")))
	waitJS(t, res, "guide card", `document.querySelector("#v-cards .v-card.guide h2") && document.querySelector("#v-cards .v-card.guide h2").textContent.includes("办事指南")`)
	step(t, clerk, "caption", chromedp.SendKeys(chromedp.ID("v-captiontext"), "请准备出生医学证明"))
	waitJS(t, res, "caption", `document.getElementById("v-caption").textContent === "请准备出生医学证明"`)
	step(t, res, "chat", chromedp.SendKeys(chromedp.ID("v-chattext"), "好的，谢谢"), chromedp.Click(chromedp.CSS("#v-chatform button")))
	waitJS(t, clerk, "resident's chat line", `document.getElementById("v-chatlog").textContent.includes("好的，谢谢")`)
	screenshot(t, res, "video-resident-call")

	// A network blip: the WebSocket drops; the page reconnects to the
	// same session and media flows again on a fresh connection.
	gen := eval[int](t, res, `window.fuwuVideo.generation()`)
	eval[bool](t, res, `(window.fuwuVideo.drop(), true)`)
	waitJS(t, res, "a fresh connection", `window.fuwuVideo.generation() > `+strconv.Itoa(gen))
	mediaGrows(t, res, "resident after the drop", rtpStats{})
	mediaGrows(t, clerk, "clerk after the drop", c1)
	// A reload: same session (the cookie holds its token), consent kept,
	// the card pushed before is still there.
	step(t, res, "reload", chromedp.Reload())
	waitJS(t, res, "card after reload", `document.querySelector("#v-cards .v-card.guide")`)
	waitJS(t, res, "a connection after the reload", `window.fuwuVideo.generation() > 0`)
	mediaGrows(t, res, "resident after the reload", rtpStats{})
	if r1.Video == 0 {
		t.Error("no video before the drop")
	}
	if s, _ := vs.Get(bg, id); s.Status != video.Active || s.Resumes < 2 {
		t.Errorf("after the drop and the reload: status %s, resumes %d", s.Status, s.Resumes)
	}

	// The clerk ends the call with its outcome; the resident rates it.
	e.clk.Add(6 * time.Minute)
	step(t, clerk, "outcome", chromedp.SetValue(chromedp.ID("v-outcome"), "applied"))
	navigate(t, clerk, chromedp.Click(chromedp.CSS("#v-endform button")))
	waitJS(t, res, "rating form", `document.getElementById("v-rate")`)
	navigate(t, res, chromedp.Click(chromedp.CSS("#v-rate button.s5")))
	waitJS(t, res, "rated", `document.getElementById("v-rated")`)
	s, _ := vs.Get(bg, id)
	if s.Status != video.Ended || s.Outcome != video.Applied || s.Rating != 5 || s.ConversationID == "" || s.Channel != "chat" {
		t.Errorf("session after the call: %+v", s)
	}

	// The figures.
	step(t, clerk, "figures", chromedp.Navigate(e.srv.URL+"/admin/video/stats"), chromedp.WaitVisible(chromedp.CSS("#v-chart-calls svg")))
	if txt := eval[string](t, clerk, `document.getElementById("v-summary").innerText`); !strings.Contains(txt, "接通 1") || !strings.Contains(txt, "平均等待 90 秒") || !strings.Contains(txt, "平均 5 星") {
		t.Errorf("figures: %s", txt)
	}
	screenshot(t, clerk, "video-console-stats")
}

// TestBrowserVideoRelay forces both browsers through the embedded TURN
// server (iceTransportPolicy "relay"): media flows both ways over relay
// candidates only.
func TestBrowserVideoRelay(t *testing.T) {
	e, vs, tr := videoEnv(t, true)
	bg := context.Background()
	res := mediaBrowser(t)
	clerk := mediaBrowser(t)
	step(t, res, "item page", chromedp.Navigate(e.srv.URL+"/items/FT-001"), chromedp.WaitVisible(chromedp.ID("item-video")))
	navigate(t, res, chromedp.Click(chromedp.ID("item-video")))
	navigate(t, res, chromedp.Click(chromedp.ID("v-request")))
	waitJS(t, res, "queued", `document.getElementById("v-pos").textContent === "1"`)
	id := eval[string](t, res, `location.pathname.split("/")[3]`)
	if _, err := vs.Accept(bg, id, video.Clerk{User: "agent", Role: "agent", Name: "窗口人员", Number: "FT0007", Hall: "福田区政务服务中心"}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, res, "consent", `!document.getElementById("v-consent").hidden`)
	step(t, res, "agree", chromedp.Click(chromedp.ID("v-agree")))
	clerkLogin(t, clerk, e.srv.URL)
	step(t, clerk, "call page", chromedp.Navigate(e.srv.URL+"/admin/video/"+id), chromedp.WaitVisible(chromedp.ID("v-remote")))
	r := mediaGrows(t, res, "resident", rtpStats{})
	c := mediaGrows(t, clerk, "clerk", rtpStats{})
	if r.Candidate != "relay" || c.Candidate != "relay" {
		t.Errorf("candidates in use: resident %q, clerk %q; want relay", r.Candidate, c.Candidate)
	}
	if tr.Allocations() < 2 {
		t.Errorf("TURN allocations %d, want one per browser", tr.Allocations())
	}
	if s, _ := vs.Get(bg, id); s.Channel != "item" || s.ItemID != "FT-001" {
		t.Errorf("session %+v", s)
	}

	// A weak connection: the resident's page sees more than 15 % of the
	// video lost twice running (loss added to the real statistics through
	// the diagnostics hook) and falls back to audio only, by itself: the
	// camera stops, the clerk keeps receiving audio and no more video.
	if got := eval[string](t, res, `window.fuwuVideo.sending()`); got != "audio,video" {
		t.Fatalf("resident sends %q before the fallback", got)
	}
	eval[bool](t, res, `(window.fuwuVideo.simulateLoss(0.5), true)`)
	waitJS(t, res, "audio-only fallback", `document.getElementById("v-state").textContent.includes("网络较差，已自动切换为仅语音")`)
	if got := eval[string](t, res, `window.fuwuVideo.sending()`); got != "audio" {
		t.Errorf("resident sends %q after the fallback, want audio only", got)
	}
	time.Sleep(time.Second) // video in flight arrives
	before := eval[rtpStats](t, clerk, `window.fuwuVideo.stats()`)
	time.Sleep(3 * time.Second)
	after := eval[rtpStats](t, clerk, `window.fuwuVideo.stats()`)
	if after.Audio < before.Audio+20 || after.Video > before.Video+5 {
		t.Errorf("clerk after the fallback: audio %d → %d (want flowing), video %d → %d (want stopped)", before.Audio, after.Audio, before.Video, after.Video)
	}
}

// TestBrowserVideoRecording: with recording configured, the resident
// ticks the separate consent; the clerk's page says so, records (the
// resident sees that it does) and stops; the chunks arrive sealed and
// open to a WebM file; start and stop are in the audit log.
func TestBrowserVideoRecording(t *testing.T) {
	e, vs, _ := videoEnvRecording(t, false, 30)
	bg := context.Background()
	res := mediaBrowser(t)
	clerk := mediaBrowser(t)
	step(t, res, "request page", chromedp.Navigate(e.srv.URL+"/video?item=FT-001"), chromedp.WaitVisible(chromedp.ID("v-request")))
	if txt := eval[string](t, res, "document.body.innerText"); !strings.Contains(txt, "未经您单独同意，通话不录音、不录像") {
		t.Errorf("request page with recording on: %.400s", txt)
	}
	navigate(t, res, chromedp.Click(chromedp.ID("v-request")))
	waitJS(t, res, "queued", `document.getElementById("v-pos").textContent === "1"`)
	id := eval[string](t, res, `location.pathname.split("/")[3]`)
	if _, err := vs.Accept(bg, id, video.Clerk{User: "agent", Role: "agent", Name: "窗口人员", Number: "FT0007", Hall: "福田区政务服务中心"}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, res, "consent", `!document.getElementById("v-consent").hidden`)
	if eval[bool](t, res, `document.getElementById("v-record-consent").checked`) {
		t.Fatal("recording consent ticked by default")
	}
	step(t, res, "consent to both", chromedp.Click(chromedp.ID("v-record-consent")), chromedp.Click(chromedp.ID("v-agree")))
	clerkLogin(t, clerk, e.srv.URL)
	step(t, clerk, "call page", chromedp.Navigate(e.srv.URL+"/admin/video/"+id), chromedp.WaitVisible(chromedp.ID("v-remote")))
	mediaGrows(t, res, "resident", rtpStats{})
	mediaGrows(t, clerk, "clerk", rtpStats{})
	waitJS(t, clerk, "consent shown", `document.getElementById("v-rec-consent").textContent.includes("已同意") && !document.getElementById("v-record").disabled`)

	step(t, clerk, "record", chromedp.Click(chromedp.ID("v-record")))
	waitJS(t, res, "recording shown to the resident", `!document.getElementById("v-recording").hidden`)
	// Chunks every two seconds, uploaded in order.
	for deadline := time.Now().Add(20 * time.Second); eval[map[string]int](t, clerk, `window.fuwuVideo.recorded()`)["uploaded"] < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("no chunks uploaded: %v", eval[map[string]int](t, clerk, `window.fuwuVideo.recorded()`))
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A network blip mid-recording: the call resumes on new tracks, and
	// the recorder starts part 2 by itself.
	gen := eval[int](t, res, `window.fuwuVideo.generation()`)
	eval[bool](t, res, `(window.fuwuVideo.drop(), true)`)
	waitJS(t, res, "a fresh connection", `window.fuwuVideo.generation() > `+strconv.Itoa(gen))
	mediaGrows(t, clerk, "clerk after the drop", eval[rtpStats](t, clerk, `window.fuwuVideo.stats()`))
	for deadline := time.Now().Add(20 * time.Second); ; {
		r := eval[map[string]int](t, clerk, `window.fuwuVideo.recorded()`)
		if r["parts"] == 2 && r["part_uploaded"] >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no second part after the resume: %v", r)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if eval[bool](t, res, `document.getElementById("v-recording").hidden`) {
		t.Error("the resident no longer sees the recording after the resume")
	}
	step(t, clerk, "stop", chromedp.Click(chromedp.ID("v-record")))
	waitJS(t, res, "recording stopped for the resident", `document.getElementById("v-recording").hidden`)
	// The last chunk follows the stop.
	var r map[string]int
	for deadline := time.Now().Add(10 * time.Second); ; {
		if r = eval[map[string]int](t, clerk, `window.fuwuVideo.recorded()`); r["recorders"] == 0 {
			r = eval[map[string]int](t, clerk, `window.fuwuVideo.recorded()`) // its upload done
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the recorder did not stop: %v", r)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r["failed"] != 0 || r["parts"] != 2 {
		t.Errorf("recorder: %v", r)
	}
	parts, err := vs.Recordings(bg, id)
	if err != nil || len(parts) != 2 {
		t.Fatalf("recordings %+v %v (recorder %v)", parts, err, r)
	}
	for _, p := range parts {
		if p.Chunks < 2 || p.Bytes < 1000 || !strings.HasPrefix(p.Mime, "video/webm") {
			t.Errorf("part %+v", p)
		}
		// Each part is a file of its own: it opens to a WebM (EBML) header.
		var buf bytes.Buffer
		if _, err := vs.OpenRecording(bg, id, p.Part, &buf); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte{0x1a, 0x45, 0xdf, 0xa3}) {
			t.Errorf("part %d does not open to WebM: %v %x", p.Part, err, buf.Bytes()[:min(8, buf.Len())])
		}
	}
	entries, _, _ := e.log.List(bg, audit.Filter{Action: "video.record."}, audit.Page{Limit: 20})
	got := map[string]int{}
	for _, en := range entries {
		got[en.Action]++
	}
	if got["video.record.consent"] != 1 || got["video.record.start"] != 2 || got["video.record.stop"] != 2 {
		t.Errorf("audit %v", got)
	}
}
