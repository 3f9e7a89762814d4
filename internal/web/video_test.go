package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/video"
)

// A video session opens only with the cookie its request set: not by its
// id, not with another session's cookie.
func TestVideoSessionNeedsItsCookie(t *testing.T) {
	e, _, _ := servicesEnv(t, servicesDB(t))
	a, b := e.client(), e.client()
	request := func(c *client, item string) string {
		t.Helper()
		tok := c.csrf("/video?item=" + item)
		r := c.post("/video", url.Values{"csrf": {tok}, "item": {item}, "channel": {"item"}})
		loc := r.hdr.Get("Location")
		if r.code != 303 || !strings.HasPrefix(loc, "/video/s/") {
			t.Fatalf("request = %d %s: %.300s", r.code, loc, r.body)
		}
		return loc
	}
	pa := request(a, "FT-001")
	pb := request(b, "FT-002")
	if r := a.get(pa); r.code != 200 || !strings.Contains(r.body, `data-ws="`+pa+`/ws"`) {
		t.Errorf("own session = %d", r.code)
	}
	for _, c := range []struct {
		who  *client
		path string
	}{{a, pb}, {b, pa}, {e.client(), pa}, {a, pb + "/ws"}} {
		if r := c.who.get(c.path); r.code != 404 {
			t.Errorf("GET %s without its cookie = %d", c.path, r.code)
		}
	}
	id := strings.TrimPrefix(pa, "/video/s/")
	s, err := e.s.cfg.Video.Get(context.Background(), id)
	if err != nil || s.ItemID != "FT-001" || s.Channel != "item" || s.Status != video.Waiting {
		t.Errorf("session %+v %v", s, err)
	}
	// Camera and screen only on the video pages.
	if r := a.get(pa); !strings.Contains(r.hdr.Get("Permissions-Policy"), "camera=(self)") {
		t.Errorf("video page Permissions-Policy %q", r.hdr.Get("Permissions-Policy"))
	}
	if r := a.get("/"); !strings.Contains(r.hdr.Get("Permissions-Policy"), "camera=()") {
		t.Errorf("chat page Permissions-Policy %q", r.hdr.Get("Permissions-Policy"))
	}
	// Leaving the queue.
	tok := a.csrf(pa)
	if r := a.post(pa+"/leave", url.Values{"csrf": {tok}}); r.code != 303 {
		t.Errorf("leave = %d", r.code)
	}
	if s, _ := e.s.cfg.Video.Get(context.Background(), id); s.Status != video.Abandoned {
		t.Errorf("after leaving: %s", s.Status)
	}
}

// "我想视频咨询" in the chat (without scripts) goes to the video page with
// the conversation; the item page offers the call; items not listed in
// VideoItems do not.
func TestVideoEntryPoints(t *testing.T) {
	e, _, _ := servicesEnvAt(t, servicesDB(t), testNow, func(c *Config) { c.VideoItems = []string{"FT-001"} })
	c := e.client()
	tok := c.csrf("/")
	r := c.post("/chat", url.Values{"csrf": {tok}, "message": {"生了孩子怎么上户口"}})
	conv := strings.TrimPrefix(strings.Split(r.hdr.Get("Location"), "#")[0], "/?c=")
	if conv == "" {
		t.Fatalf("chat = %d %s", r.code, r.hdr.Get("Location"))
	}
	r = c.post("/chat", url.Values{"csrf": {tok}, "message": {"我想视频咨询"}, "conversation_id": {conv}})
	if loc := r.hdr.Get("Location"); r.code != 303 || loc != "/video?c="+conv {
		t.Errorf("我想视频咨询 = %d %s", r.code, loc)
	}
	if r := c.get("/video?c=" + conv); !strings.Contains(r.body, `name="conversation_id" value="`+conv+`"`) {
		t.Error("the video page does not carry the conversation")
	}
	// Someone else's conversation id is not carried.
	if r := e.client().get("/video?c=" + conv); strings.Contains(r.body, `name="conversation_id"`) {
		t.Error("the video page carries a conversation the browser does not hold")
	}
	if r := c.get("/items/FT-001"); !strings.Contains(r.body, `href="/video?item=FT-001"`) {
		t.Error("FT-001's page does not offer 视频导办")
	}
	if r := c.get("/items/FT-002"); strings.Contains(r.body, `/video?item=`) {
		t.Error("FT-002 is not in VideoItems but its page offers 视频导办")
	}
	// Nobody online: booking offered.
	if r := c.get("/video?item=FT-001"); !strings.Contains(r.body, `href="/booking?item=FT-001"`) {
		t.Error("no booking link while no clerk is online")
	}
}

// The console: accept from the queue (with number and hall), another
// agent cannot open the call, end with an outcome, figures and export.
func TestVideoConsole(t *testing.T) {
	e, _, _ := servicesEnv(t, servicesDB(t))
	ctx := context.Background()
	if _, err := e.auth.AddUser(ctx, "agent2", "另一位坐席", auth.Agent, "agent2 password"); err != nil {
		t.Fatal(err)
	}
	vs := e.s.cfg.Video
	sess, _, err := vs.Request(ctx, video.NewRequest{ItemID: "FT-001", ItemName: "新生儿入户登记", Channel: "item"})
	if err != nil {
		t.Fatal(err)
	}
	agent := e.client()
	agent.login("agent", "agent password")
	r := agent.get("/admin/video")
	if r.code != 200 || !strings.Contains(r.body, `data-id="`+sess.ID+`"`) {
		t.Fatalf("console = %d: %.500s", r.code, r.body)
	}
	tok := agent.csrf("/admin/video")
	if r := agent.post("/admin/video/"+sess.ID+"/accept", url.Values{"csrf": {tok}, "number": {"FT0123"}, "hall": {"福田区政务服务中心"}}); r.code != 303 || r.hdr.Get("Location") != "/admin/video/"+sess.ID {
		t.Fatalf("accept = %d %s", r.code, r.hdr.Get("Location"))
	}
	if s, _ := vs.Get(ctx, sess.ID); s.ClerkNumber != "FT0123" || s.Hall != "福田区政务服务中心" || s.ClerkName != "窗口人员" {
		t.Errorf("accepted as %+v", s)
	}
	if r := agent.get("/admin/video/" + sess.ID); r.code != 200 || !strings.Contains(r.body, `id="v-push-item" value="FT-001"`) {
		t.Errorf("call page = %d", r.code)
	}
	other := e.client()
	other.login("agent2", "agent2 password")
	if r := other.get("/admin/video/" + sess.ID); r.code == 200 {
		t.Error("another agent opened the call")
	}
	if r := agent.post("/admin/video/"+sess.ID+"/end", url.Values{"csrf": {tok}, "outcome": {"nonsense"}}); !strings.Contains(r.hdr.Get("Location"), "err=") {
		t.Errorf("a bad outcome = %d %s", r.code, r.hdr.Get("Location"))
	}
	if r := agent.post("/admin/video/"+sess.ID+"/end", url.Values{"csrf": {tok}, "outcome": {"resolved"}}); r.code != 303 {
		t.Errorf("end = %d", r.code)
	}
	if s, _ := vs.Get(ctx, sess.ID); s.Status != video.Ended || s.Outcome != video.Resolved {
		t.Errorf("ended %+v", s)
	}
	if r := agent.get("/admin/video/stats"); r.code != 200 || !strings.Contains(r.body, "接通 <strong>1</strong>") {
		t.Errorf("stats = %d", r.code)
	}
	r = agent.get("/admin/video/export.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	rows, _ := f.GetRows("通话明细")
	if len(rows) != 2 || rows[1][1] != "新生儿入户登记" || rows[1][9] != "问题已解答" {
		t.Errorf("export rows %v", rows)
	}
	// The audit log has the session's metadata.
	entries, _, _ := e.log.List(ctx, audit.Filter{Action: "video."}, audit.Page{Limit: 50})
	if len(entries) < 3 {
		t.Errorf("audit entries for the call: %d", len(entries))
	}
}

// recordingEnv is servicesEnv with recording on (kept 30 days).
func recordingEnv(t *testing.T) *env {
	t.Helper()
	e, _, _ := servicesEnvAt(t, servicesDB(t), testNow, func(c *Config) {
		keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		vs, err := video.New(c.Auth.DB(), video.Config{Key: []byte("0123456789abcdef-video-key"), Cards: VideoCards{KB: c.KB}, Audit: c.Audit,
			Now: c.Now, RecordDays: 30, Seal: keys})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(vs.Close)
		c.Video = vs
	})
	if _, err := e.auth.AddUser(context.Background(), "admin", "", auth.Admin, "admin password"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (c *client) postChunk(path, tokenPage string, data []byte) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "video/webm;codecs=vp8,opus")
	req.Header.Set("X-CSRF-Token", c.csrf(tokenPage))
	return c.do(req)
}

// Recording: off by default (the pages say nothing is recorded, uploads
// are refused); on, the resident's page asks separately and unticked,
// the clerk's upload is refused without that consent and accepted with
// it, the stored chunk is sealed, and only a role allowed to download
// recordings gets the file back, opened; the download is audited.
func TestVideoRecording(t *testing.T) {
	ctx := context.Background()

	// Off: the default.
	off, _, _ := servicesEnv(t, servicesDB(t))
	if r := off.client().get("/video"); !strings.Contains(r.body, "通话不录音、不录像") || strings.Contains(r.body, "录像加密保存") {
		t.Error("with recording off the request page must say nothing is recorded")
	}
	sess, _, err := off.s.cfg.Video.Request(ctx, video.NewRequest{ItemID: "FT-001", ItemName: "新生儿入户登记"})
	if err != nil {
		t.Fatal(err)
	}
	agent := off.client()
	agent.login("agent", "agent password")
	if _, err := off.s.cfg.Video.Accept(ctx, sess.ID, video.Clerk{User: "agent", Number: "FT0123", Hall: "福田区政务服务中心"}); err != nil {
		t.Fatal(err)
	}
	if r := agent.get("/admin/video/" + sess.ID); strings.Contains(r.body, `id="v-record"`) {
		t.Error("the call page offers recording while it is off")
	}
	if r := agent.postChunk("/admin/video/"+sess.ID+"/recording?part=1&seq=0", "/admin/video/"+sess.ID, []byte("webm")); r.code < 400 {
		t.Errorf("upload with recording off = %d", r.code)
	}

	// On.
	e := recordingEnv(t)
	vs := e.s.cfg.Video
	res := e.client()
	tok := res.csrf("/video?item=FT-001")
	r := res.post("/video", url.Values{"csrf": {tok}, "item": {"FT-001"}, "channel": {"item"}})
	page := r.hdr.Get("Location")
	id := strings.TrimPrefix(page, "/video/s/")
	if _, err := vs.Accept(ctx, id, video.Clerk{User: "agent", Role: "agent", Number: "FT0123", Hall: "福田区政务服务中心"}); err != nil {
		t.Fatal(err)
	}
	r = res.get(page)
	if !strings.Contains(r.body, `<input type="checkbox" id="v-record-consent">`) || !strings.Contains(r.body, "加密保存 30 天后自动删除") {
		t.Errorf("the consent panel does not ask separately, unticked: %.2000s", r.body)
	}
	agent = e.client()
	agent.login("agent", "agent password")
	call := "/admin/video/" + id
	if r := agent.get(call); !strings.Contains(r.body, "居民未同意录音录像") || !strings.Contains(r.body, `id="v-record" class="btn" disabled`) {
		t.Errorf("before consent the clerk's page must say no and disable recording: %.300s", r.body)
	}
	webm := []byte{0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 'p', 'a', 'r', 't'}
	if r := agent.postChunk(call+"/recording?part=1&seq=0", call, webm); r.code < 400 {
		t.Errorf("upload without the resident's consent = %d", r.code)
	}
	if _, err := vs.Consent(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if r := agent.get(call); !strings.Contains(r.body, "居民已同意录音录像") || strings.Contains(r.body, `id="v-record" class="btn" disabled`) {
		t.Error("after consent the clerk's page must say so and allow recording")
	}
	for _, c := range []struct {
		name, path string
		who        *client
	}{
		{"no csrf token", call + "/recording?part=1&seq=0", nil},
		{"bad part", call + "/recording?part=x&seq=0", agent},
	} {
		if c.who == nil {
			req, _ := http.NewRequest("POST", e.srv.URL+c.path, bytes.NewReader(webm))
			if r := agent.do(req); r.code < 400 {
				t.Errorf("%s = %d", c.name, r.code)
			}
			continue
		}
		if r := c.who.postChunk(c.path, call, webm); r.code < 400 {
			t.Errorf("%s = %d", c.name, r.code)
		}
	}
	if r := agent.postChunk(call+"/recording?part=1&seq=0", call, webm[:9]); r.code != 204 {
		t.Fatalf("upload = %d %.300s", r.code, r.body)
	}
	if r := agent.postChunk(call+"/recording?part=1&seq=1", call, webm[9:]); r.code != 204 {
		t.Fatalf("upload = %d", r.code)
	}
	var sealed string
	if err := e.s.cfg.Auth.DB().QueryRow(ctx, `SELECT data_sealed FROM video_recordings WHERE session_id = ? AND seq = 1`, id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "part") || !strings.HasPrefix(sealed, "v1:") {
		t.Errorf("chunk stored unsealed: %q", sealed)
	}

	// Downloading: not the agent; the admin gets the file, opened.
	if r := agent.get(call + "/recordings/1"); r.code != 403 {
		t.Errorf("agent download = %d", r.code)
	}
	admin := e.client()
	admin.login("admin", "admin password")
	if r := admin.get("/admin/video"); !strings.Contains(r.body, `href="/admin/video/`+id+`/recordings"`) {
		t.Error("the console's list does not link the recording for the admin")
	}
	if r := admin.get(call + "/recordings"); r.code != 200 || !strings.Contains(r.body, `href="/admin/video/`+id+`/recordings/1"`) {
		t.Errorf("recordings page = %d: %.500s", r.code, r.body)
	}
	r = admin.get(call + "/recordings/1")
	if r.code != 200 || r.body != string(webm) || r.hdr.Get("Content-Type") != "video/webm;codecs=vp8,opus" ||
		!strings.Contains(r.hdr.Get("Content-Disposition"), "attachment") {
		t.Errorf("download = %d %q %q", r.code, r.hdr.Get("Content-Type"), r.body)
	}
	if r := admin.get(call + "/recordings/2"); r.code != 404 {
		t.Errorf("a part never recorded = %d", r.code)
	}
	entries, _, _ := e.log.List(ctx, audit.Filter{Action: "video.record.download"}, audit.Page{Limit: 5})
	if len(entries) != 1 || entries[0].Actor != "admin" || entries[0].Target != "video:"+id {
		t.Errorf("download audit %+v", entries)
	}
}
