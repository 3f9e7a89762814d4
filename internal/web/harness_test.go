package web

// The web tests' harness: a server over a real database (env), the demo
// catalogue and a scripted or the real assistant, and a browser-like
// client that keeps cookies, conversation tokens and CSRF tokens.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var testMigrations = []store.Migrations{kb.Migrations, search.Migrations, assistant.Migrations, convo.Migrations, audit.Migrations, auth.Migrations}

// fakeAssistant answers from a script: 户口 → FT-001 answered, 证 →
// clarify, 转人工 → handoff, anything else → out of scope.
type fakeAssistant struct {
	mu    sync.Mutex
	n     int
	fail  bool
	calls []assistant.Request
}

func (f *fakeAssistant) Ask(ctx context.Context, req assistant.Request) (assistant.Reply, error) {
	return f.Stream(ctx, req, nil)
}

func (f *fakeAssistant) Stream(ctx context.Context, req assistant.Request, onDelta func(string)) (assistant.Reply, error) {
	f.mu.Lock()
	f.n++
	f.calls = append(f.calls, req)
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return assistant.Reply{}, fmt.Errorf("model and index both down")
	}
	rep := assistant.Reply{ConversationID: req.ConversationID}
	if rep.ConversationID == "" {
		rep.ConversationID = assistant.NewConversationID()
	}
	switch {
	case strings.Contains(req.Message, "转人工"):
		rep.Status, rep.Answer, rep.HandoffID = assistant.Handoff, "已为您转接人工服务，工作人员会尽快回复。", 7
	case strings.Contains(req.Message, "户口"):
		rep.Status = assistant.Answered
		rep.Answer = "【新生儿入户登记】\n可以网上办理，需要出生医学证明。"
		rep.Citations = []assistant.Citation{{ID: "FT-001", Name: "新生儿入户登记"}}
		rep.Route = &assistant.Route{Mode: "online", ItemID: "FT-001", OnlineURL: "https://fuwu.example/guide/FT-001",
			OnlineDepth: "全程网办", Appointment: true, Halls: []assistant.RouteHall{{ID: "HALL-01", Name: "福田区政务服务中心",
				Address: "福民路123号", Hours: "周一至周五", Phone: "0755-82918000", AppointmentURL: "https://fuwu.example/booking/HALL-01"}}}
		rep.Suggestions = []string{"需要什么材料", "在哪里办"}
	case strings.Contains(req.Message, "模型"):
		rep.Status, rep.Generated = assistant.Answered, true
		rep.Answer = "模型写的回答。\n\n" + assistant.AILabel
	case strings.Contains(req.Message, "证"):
		rep.Status, rep.Answer = assistant.Clarify, "您想办理哪一项？"
		rep.Suggestions = []string{"深圳市居住证申领", "居民身份证换领"}
	default:
		rep.Status, rep.Answer = assistant.OutOfScope, "抱歉，这个问题不在政务服务范围内，可拨打 12345。"
	}
	if onDelta != nil {
		for _, r := range rep.Answer {
			onDelta(string(r))
		}
	}
	return rep, nil
}

// testNow is the instant the web tests run at unless a test names
// another: Wednesday 2 December 2026, 10:00 in Asia/Shanghai. Nothing in
// these tests reads the wall clock.
var testNow = clock.At("2026-12-02 10:00", nil)

type env struct {
	t    testing.TB
	clk  *clock.Manual // the server's, the record's and the audit log's clock
	srv  *httptest.Server
	s    *Server
	kb   *kb.Store
	auth *auth.Store
	conv *ConvoConversations
	log  *audit.Log
}

// newEnv serves the web over db with svc (nil: the real assistant over
// the demo catalogue), configured by mod, at testNow.
func newEnv(t testing.TB, db *store.DB, svc assistant.Service, mod func(*Config)) *env {
	t.Helper()
	return newEnvAt(t, db, svc, clock.NewManual(testNow), mod)
}

// newEnvAt is newEnv on the clock clk.
func newEnvAt(t testing.TB, db *store.DB, svc assistant.Service, clk *clock.Manual, mod func(*Config)) *env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	if svc == nil {
		svc = realAssistant(ctx, t, kbs, ix, func(c *assistant.Config) { c.Now = clk.Now })
	} else if err := search.Load(ctx, ix, kbs); err != nil {
		t.Fatal(err)
	}
	as := auth.NewStore(db)
	as.Hash = auth.HashParams{Time: 1, Memory: 1024, Threads: 1}
	cs := convo.NewStore(db).WithClock(clk.Now, nil)
	conv := NewConvoConversations(cs, kbs)
	log := audit.New(db).WithClock(clk.Now, nil)
	cfg := Config{KB: kbs, Auth: as, Assistant: conv.Record(svc), Conversations: conv, Search: ix, Convo: cs, Audit: log, Now: clk.Now}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &env{t: t, clk: clk, srv: srv, s: s, kb: kbs, auth: as, conv: conv, log: log}
}

// realAssistant is the production assistant over the store, following
// its changes like fuwu serve does.
func realAssistant(ctx context.Context, t testing.TB, kbs *kb.Store, ix *search.Index, mods ...func(*assistant.Config)) assistant.Service {
	t.Helper()
	items, halls := kbs.DB().Subscribe(kb.Topic), kbs.DB().Subscribe(kb.Topic)
	if err := search.Load(ctx, ix, kbs); err != nil {
		t.Fatal(err)
	}
	go search.Follow(ctx, ix, kbs, items)
	hc, err := kb.NewHallCache(ctx, kbs)
	if err != nil {
		t.Fatal(err)
	}
	go hc.Follow(ctx, halls)
	cfg := assistant.Config{Index: ix, Halls: hc, States: assistant.DBState{DB: kbs.DB()}, Now: clock.Fixed(testNow)}
	for _, mod := range mods {
		mod(&cfg)
	}
	cfg.Recorder = assistant.ConvoRecorder{Store: convo.NewStore(kbs.DB()).WithClock(cfg.Now, nil)}
	as, err := assistant.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// client is a browser-like client: cookies, no redirects followed. Like
// an API client it keeps the conversation tokens replies hand out and
// sends each back with requests about its conversation.
type client struct {
	e *env
	c *http.Client

	mu     sync.Mutex
	tokens map[string]string // conversation id → token
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, tokens: map[string]string{},
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// keepToken remembers the conversation token of an API reply.
func (c *client) keepToken(body string) {
	var rep struct {
		ID    string `json:"conversation_id"`
		Token string `json:"conversation_token"`
	}
	if json.Unmarshal([]byte(body), &rep) == nil && rep.Token != "" {
		c.mu.Lock()
		c.tokens[rep.ID] = rep.Token
		c.mu.Unlock()
	}
}

func (c *client) token(conv string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens[conv]
}

type resp struct {
	code int
	hdr  http.Header
	body string
}

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	r, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{r.StatusCode, r.Header, string(b)}
}

func (c *client) get(path string) resp {
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	if conv, ok := strings.CutPrefix(path, "/api/v1/conversations/"); ok {
		if tok := c.token(conv); tok != "" {
			req.Header.Set("X-Conversation-Token", tok)
		}
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) resp {
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) postJSON(path string, body any, hdr ...string) resp {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	var about struct {
		ID string `json:"conversation_id"`
	}
	if json.Unmarshal(b, &about) == nil {
		if tok := c.token(about.ID); tok != "" {
			req.Header.Set("X-Conversation-Token", tok)
		}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	r := c.do(req)
	c.keepToken(r.body)
	return r
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads a page and returns its form token.
func (c *client) csrf(path string) string {
	c.e.t.Helper()
	r := c.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		c.e.t.Fatalf("no csrf token on %s (%d): %.300s", path, r.code, r.body)
	}
	return html.UnescapeString(m[1])
}

func (c *client) login(user, pw string) resp {
	c.e.t.Helper()
	tok := c.csrf("/admin/login")
	return c.post("/admin/login", url.Values{"csrf": {tok}, "username": {user}, "password": {pw}, "next": {"/admin"}})
}

func sqliteDB(t testing.TB) *store.DB { return storetest.Open(t, store.SQLite, testMigrations...) }
