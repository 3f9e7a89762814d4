package web

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
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
