package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func TestSecurityHeadersAndOps(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	r := c.get("/")
	if r.code != 200 {
		t.Fatalf("GET / = %d", r.code)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := r.hdr.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := r.hdr.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	// No inline scripts or styles, no other origins.
	for _, bad := range []string{"<script>", "style=\"", "onclick=", "http://fonts", "cdn."} {
		if strings.Contains(r.body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(r.body, `<script src="/static/chat.js" defer>`) {
		t.Error("chat page does not load its script file")
	}
	if r := c.get("/healthz"); r.code != 200 || r.body != "ok\n" {
		t.Errorf("healthz = %d %q", r.code, r.body)
	}
	if r := c.get("/readyz"); r.code != 200 {
		t.Errorf("readyz = %d %q", r.code, r.body)
	}
	if r := c.get("/static/chat.js"); r.code != 200 || !strings.Contains(r.hdr.Get("Content-Type"), "javascript") {
		t.Errorf("static js = %d %s", r.code, r.hdr.Get("Content-Type"))
	}
	if r := c.get("/no/such/page"); r.code != 404 || !strings.Contains(r.body, "页面不存在") {
		t.Errorf("unknown page = %d %s", r.code, r.body)
	}
	if r := c.get("/api/v1/nothing"); r.code != 404 || !strings.Contains(r.body, `"error":"页面不存在。"`) {
		t.Errorf("unknown API path = %d %s", r.code, r.body)
	}
	if r := c.get("/api/openapi.yaml"); r.code != 200 || !strings.Contains(r.body, "/api/v1/chat/stream:") {
		t.Errorf("openapi = %d", r.code)
	}
	c.postJSON("/api/v1/chat", map[string]string{"message": "生了孩子怎么上户口"})
	m := resp{body: scrape(e)}
	for _, want := range []string{
		`fuwu_http_requests_total{route="GET /{$}",code="200"} 1`,
		`fuwu_answers_total{status="answered"} 1`,
		`fuwu_http_request_duration_seconds_bucket{route="POST /api/v1/chat",le="+Inf"} 1`,
		"fuwu_model_fallbacks_total 0",
		"# TYPE fuwu_chat_turn_duration_seconds histogram",
	} {
		if !strings.Contains(m.body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestChatAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	r := c.postJSON("/api/v1/chat", map[string]string{"message": "生了孩子怎么上户口，电话13812345678"})
	if r.code != 200 {
		t.Fatalf("chat = %d %s", r.code, r.body)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"conversation_id", "status", "answer", "citations", "route", "suggestions", "turn_id"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("reply lacks %q: %s", k, r.body)
		}
	}
	if rep["status"] != "answered" || rep["citations"].([]any)[0].(map[string]any)["id"] != "FT-001" {
		t.Errorf("reply = %s", r.body)
	}
	conv := rep["conversation_id"].(string)
	// Out of scope still has empty lists, never null.
	r = c.postJSON("/api/v1/chat", map[string]string{"conversation_id": conv, "message": "写首诗"})
	if !strings.Contains(r.body, `"citations":[]`) || !strings.Contains(r.body, `"suggestions":[]`) || !strings.Contains(r.body, `"route":null`) {
		t.Errorf("out-of-scope reply = %s", r.body)
	}
	// The conversation reads back, masked.
	r = c.get("/api/v1/conversations/" + conv)
	var got struct {
		ConversationID string `json:"conversation_id"`
		Turns          []struct {
			TurnID  int64  `json:"turn_id"`
			Message string `json:"message"`
			Reply   struct {
				Status string `json:"status"`
			} `json:"reply"`
		} `json:"turns"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got.Turns) != 2 {
		t.Fatalf("conversation = %d %s", r.code, r.body)
	}
	if strings.Contains(got.Turns[0].Message, "13812345678") || got.Turns[1].Reply.Status != "out_of_scope" || got.Turns[1].TurnID != 2 {
		t.Errorf("conversation turns = %+v", got.Turns)
	}
	if r := c.get("/api/v1/conversations/nope"); r.code != 404 || !strings.Contains(r.body, "对话不存在") {
		t.Errorf("unknown conversation = %d %s", r.code, r.body)
	}
	// Feedback.
	r = c.postJSON("/api/v1/feedback", map[string]any{"conversation_id": conv, "turn_id": 1, "score": 5, "comment": "很清楚"})
	if r.code != 200 || !strings.Contains(r.body, `"ok":true`) {
		t.Errorf("feedback = %d %s", r.code, r.body)
	}
	for _, bad := range []map[string]any{
		{"conversation_id": conv, "turn_id": 1, "score": 6},
		{"conversation_id": conv, "turn_id": 0, "score": 3},
		{"conversation_id": "", "turn_id": 1, "score": 3},
	} {
		if r := c.postJSON("/api/v1/feedback", bad); r.code != 400 {
			t.Errorf("feedback %v = %d %s", bad, r.code, r.body)
		}
	}
	if r := c.postJSON("/api/v1/feedback", map[string]any{"conversation_id": conv, "turn_id": 9, "score": 3}); r.code != 404 {
		t.Errorf("feedback on unknown turn = %d", r.code)
	}
	c2, _ := e.conv.Conversation(context.Background(), conv)
	if c2.Turns[0].Feedback != 5 {
		t.Errorf("feedback not kept: %+v", c2.Turns[0])
	}
	// Bad requests get Chinese errors.
	for _, tc := range []struct {
		body string
		ct   string
		code int
		want string
	}{
		{`{"message":""}`, "application/json", 400, "请输入"},
		{`{"message":"` + strings.Repeat("长", 501) + `"}`, "application/json", 400, "太长"},
		{`not json`, "application/json", 400, "JSON"},
		{`message=hi`, "application/x-www-form-urlencoded", 415, "JSON"},
	} {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/chat", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ct)
		r := c.do(req)
		if r.code != tc.code || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s = %d %s", tc.body[:min(20, len(tc.body))], r.code, r.body)
		}
	}
}

// readSSE splits an event stream into (event, data) pairs.
func readSSE(t *testing.T, body string) [][2]string {
	t.Helper()
	var out [][2]string
	sc := bufio.NewScanner(strings.NewReader(body))
	var ev, dat string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			dat = strings.TrimPrefix(line, "data: ")
		case line == "":
			if ev != "" {
				out = append(out, [2]string{ev, dat})
			}
			ev, dat = "", ""
		}
	}
	return out
}

func TestChatStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	for _, tc := range []struct {
		path string
		hdr  []string
	}{{"/api/v1/chat/stream", nil}, {"/api/v1/chat", []string{"Accept", "text/event-stream"}}} {
		r := c.postJSON(tc.path, map[string]string{"message": "上户口"}, tc.hdr...)
		if !strings.HasPrefix(r.hdr.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("%s content type %q", tc.path, r.hdr.Get("Content-Type"))
		}
		evs := readSSE(t, r.body)
		if len(evs) < 3 {
			t.Fatalf("%s events = %v", tc.path, evs)
		}
		var text strings.Builder
		for _, ev := range evs[:len(evs)-1] {
			if ev[0] != "delta" {
				t.Fatalf("event %v before the reply", ev)
			}
			var d deltaEvent
			_ = json.Unmarshal([]byte(ev[1]), &d)
			text.WriteString(d.Text)
		}
		last := evs[len(evs)-1]
		var rep apiReply
		if last[0] != "reply" || json.Unmarshal([]byte(last[1]), &rep) != nil {
			t.Fatalf("last event = %v", last)
		}
		if text.String() != rep.Answer || rep.Status != assistant.Answered || rep.TurnID <= 0 {
			t.Errorf("streamed %q, reply %+v", text.String(), rep)
		}
	}
	// An assistant failure ends the stream with an error event.
	e2 := newEnv(t, sqliteDB(t), &fakeAssistant{fail: true}, nil)
	r := e2.client().postJSON("/api/v1/chat/stream", map[string]string{"message": "上户口"})
	evs := readSSE(t, r.body)
	if len(evs) != 1 || evs[0][0] != "error" || !strings.Contains(evs[0][1], "12345") {
		t.Errorf("failure stream = %v", evs)
	}
	if r := e2.client().postJSON("/api/v1/chat", map[string]string{"message": "上户口"}); r.code != 503 {
		t.Errorf("failure = %d", r.code)
	}
}

func TestChatRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, func(c *Config) { c.ChatRate, c.ChatBurst = 1, 3 })
	c := e.client()
	for i := 0; i < 3; i++ {
		if r := c.postJSON("/api/v1/chat", map[string]string{"message": "上户口"}); r.code != 200 {
			t.Fatalf("message %d = %d", i, r.code)
		}
	}
	r := c.postJSON("/api/v1/chat", map[string]string{"message": "上户口"})
	if r.code != 429 || !strings.Contains(r.body, "您的提问太频繁了") || r.hdr.Get("Retry-After") == "" {
		t.Fatalf("over the limit = %d %s %v", r.code, r.body, r.hdr)
	}
	// The page form says the same in a page.
	tok := c.csrf("/")
	r = c.post("/chat", url.Values{"csrf": {tok}, "message": {"上户口"}})
	if r.code != 429 || !strings.Contains(r.body, "您的提问太频繁了") {
		t.Errorf("form over the limit = %d", r.code)
	}
	if !strings.Contains(scrape(e), "fuwu_chat_rate_limited_total 2") {
		t.Error("rate limiting not counted")
	}
}

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	l := newRateLimiter(1, 2)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a"); ok != want {
			t.Fatalf("request %d allowed = %v", i, ok)
		}
	}
	if ok, _ := l.allow("b"); !ok {
		t.Fatal("another address shares the bucket")
	}
	off := newRateLimiter(-1, 0)
	for i := 0; i < 100; i++ {
		if ok, _ := off.allow("a"); !ok {
			t.Fatal("a negative rate limits")
		}
	}
	now = now.Add(1500 * time.Millisecond)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("bucket did not refill")
	}
}

// The page works as a plain form: post, redirect, the answer rendered.
func TestChatWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	tok := c.csrf("/")
	r := c.post("/chat", url.Values{"csrf": {tok}, "message": {"生了孩子怎么上户口"}})
	if r.code != 303 {
		t.Fatalf("post = %d %s", r.code, r.body)
	}
	loc := r.hdr.Get("Location")
	if !strings.HasPrefix(loc, "/?c=") || !strings.HasSuffix(loc, "#t1") {
		t.Fatalf("redirect to %q", loc)
	}
	page := c.get(strings.TrimSuffix(loc, "#t1")).body
	for _, want := range []string{
		"生了孩子怎么上户口", "可以网上办理", `class="btn primary online" href="https://fuwu.example/guide/FT-001"`,
		"福田区政务服务中心", `href="https://fuwu.example/booking/HALL-01"`, ">预约<", "0755-82918000",
		`<details class="card">`, "出生医学证明", "办理时限", "收费标准", "需要什么材料", ">转人工<", "非常满意", `name="turn_id" value="1"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("answer page lacks %q", want)
		}
	}
	conv, _ := url.ParseQuery(strings.TrimPrefix(strings.TrimSuffix(loc, "#t1"), "/?"))
	// A clarification chip posts its choice in the same conversation.
	r = c.post("/chat", url.Values{"csrf": {tok}, "conversation_id": {conv.Get("c")}, "message": {"我要办个证"}})
	page = c.get(strings.Split(r.hdr.Get("Location"), "#")[0]).body
	if !strings.Contains(page, `value="深圳市居住证申领"><button class="chip">深圳市居住证申领</button>`) {
		t.Error("clarify choices not offered as chips")
	}
	if strings.Count(page, `class="chip human"`) != 1 {
		t.Error("转人工 offered other than once (on the latest turn)")
	}
	// 好差评 from the form.
	r = c.post("/feedback", url.Values{"csrf": {tok}, "conversation_id": {conv.Get("c")}, "turn_id": {"1"}, "score": {"4"}})
	if r.code != 303 {
		t.Fatalf("feedback = %d", r.code)
	}
	page = c.get("/?c=" + conv.Get("c")).body
	if !strings.Contains(page, "您的评价：满意") {
		t.Error("rating not shown")
	}
	// A model-written answer carries the AI label once.
	r = c.post("/chat", url.Values{"csrf": {tok}, "conversation_id": {conv.Get("c")}, "message": {"请模型回答"}})
	page = c.get(strings.Split(r.hdr.Get("Location"), "#")[0]).body
	if strings.Count(page, assistant.AILabel) != 1 || !strings.Contains(page, `<p class="ailabel">`+assistant.AILabel) {
		t.Errorf("AI label shown %d times", strings.Count(page, assistant.AILabel))
	}
	// An empty message comes back with an explanation.
	r = c.post("/chat", url.Values{"csrf": {tok}, "message": {"  "}})
	if page := c.get(r.hdr.Get("Location")).body; !strings.Contains(page, "请输入您的问题") {
		t.Error("empty message not explained")
	}
	// Large text mode.
	r = c.post("/prefs", url.Values{"csrf": {tok}, "large": {"1"}, "back": {"/items"}})
	if r.hdr.Get("Location") != "/items" || !strings.Contains(c.get("/").body, `<html lang="zh-CN" class="large">`) {
		t.Error("large-text mode not kept")
	}
	if r := c.post("/prefs", url.Values{"csrf": {tok}, "large": {"1"}, "back": {"//evil.example"}}); r.hdr.Get("Location") != "/" {
		t.Errorf("open redirect: %s", r.hdr.Get("Location"))
	}
}

func TestPageStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	tok := c.csrf("/")
	req, _ := http.NewRequest("POST", e.srv.URL+"/chat/stream", strings.NewReader(url.Values{"message": {"上户口"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", tok)
	evs := readSSE(t, c.do(req).body)
	last := evs[len(evs)-1]
	var te turnEvent
	if last[0] != "turn" || json.Unmarshal([]byte(last[1]), &te) != nil {
		t.Fatalf("last event %v", last)
	}
	if te.TurnID != 1 || !strings.Contains(te.HTML, `<details class="card">`) || !strings.Contains(te.HTML, `id="t1"`) {
		t.Errorf("turn event = %+v", te)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	if _, err := e.auth.AddUser(context.Background(), "admin", "", auth.Admin, "admin password"); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.csrf("/") // has a CSRF cookie, but posts without the token
	for _, path := range []string{"/chat", "/feedback", "/admin/login", "/prefs"} {
		r := c.post(path, url.Values{"message": {"上户口"}, "username": {"admin"}, "password": {"admin password"}})
		if r.code != 403 || !strings.Contains(r.body, "页面已过期") {
			t.Errorf("POST %s without token = %d", path, r.code)
		}
	}
	// A token from another browser does not fit this one's cookie.
	other := e.client().csrf("/")
	if r := c.post("/chat", url.Values{"csrf": {other}, "message": {"上户口"}}); r.code != 403 {
		t.Errorf("foreign token = %d", r.code)
	}
	// Logged in, a console post without the token is refused too.
	if r := c.login("admin", "admin password"); r.code != 303 {
		t.Fatalf("login = %d", r.code)
	}
	r := c.post("/admin/items/FT-001/status", url.Values{"to": {"withdrawn"}})
	if r.code != 403 {
		t.Errorf("console post without token = %d", r.code)
	}
	if rec, _ := e.kb.Item(context.Background(), "FT-001"); rec.Status != kb.Published {
		t.Error("CSRF-less post changed the item")
	}
	if e.s.metrics.csrfRefused.Load() < 6 {
		t.Errorf("csrf refusals counted %d", e.s.metrics.csrfRefused.Load())
	}
}

func TestConsoleAuth(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, &fakeAssistant{}, func(c *Config) {
			c.LoginGuard = auth.NewLoginGuard(db)
			c.LoginGuard.PerAccount = 3
		})
		ctx := context.Background()
		for _, u := range []struct {
			name string
			role auth.Role
		}{{"admin", auth.Admin}, {"editor", auth.Editor}, {"reviewer", auth.Reviewer}, {"agent", auth.Agent}} {
			if _, err := e.auth.AddUser(ctx, u.name, "", u.role, u.name+" password"); err != nil {
				t.Fatal(err)
			}
		}
		anon := e.client()
		if r := anon.get("/admin/items"); r.code != 303 || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=%2Fadmin%2Fitems") {
			t.Errorf("anonymous console = %d %s", r.code, r.hdr.Get("Location"))
		}
		// Wrong passwords, then the throttle.
		for i := 0; i < 3; i++ {
			if r := anon.login("editor", "wrong password"); r.code != 401 || !strings.Contains(r.body, "用户名或密码错误") {
				t.Fatalf("wrong password = %d", r.code)
			}
		}
		if r := anon.login("editor", "editor password"); r.code != 429 || !strings.Contains(r.body, "登录失败次数过多") {
			t.Fatalf("throttled login = %d", r.code)
		}
		ed := e.client()
		if _, err := e.s.login.Unlock(ctx, "editor", ""); err != nil {
			t.Fatal(err)
		}
		r := ed.login("editor", "editor password")
		if r.code != 303 || r.hdr.Get("Location") != "/admin" {
			t.Fatalf("login = %d %s", r.code, r.body)
		}
		ck := r.hdr.Get("Set-Cookie")
		for _, want := range []string{"fuwu_session=", "HttpOnly", "SameSite=Strict"} {
			if !strings.Contains(ck, want) {
				t.Errorf("session cookie %q lacks %s", ck, want)
			}
		}
		if r := ed.get("/admin"); r.code != 200 || !strings.Contains(r.body, "工作台概览") {
			t.Errorf("dashboard = %d", r.code)
		}
		// Non-admins are refused admin pages.
		if r := ed.get("/admin/users"); r.code != 403 || !strings.Contains(r.body, "无权访问") {
			t.Errorf("editor on /admin/users = %d", r.code)
		}
		ag := e.client()
		ag.login("agent", "agent password")
		if r := ag.get("/admin/items"); r.code != 403 {
			t.Errorf("agent on items = %d", r.code)
		}
		// An editor may not publish.
		tok := ed.csrf("/admin/items/FT-002")
		if r := ed.post("/admin/items/FT-002/status", url.Values{"csrf": {tok}, "to": {"withdrawn"}}); r.code != 403 {
			t.Errorf("editor withdrawing = %d", r.code)
		}
		// Admin manages accounts.
		ad := e.client()
		ad.login("admin", "admin password")
		tok = ad.csrf("/admin/users")
		if r := ad.post("/admin/users", url.Values{"csrf": {tok}, "username": {"new.agent"}, "role": {"agent"}, "password": {"new agent password"}}); r.code != 303 {
			t.Errorf("add user = %d", r.code)
		}
		if u, err := e.auth.UserByName(ctx, "new.agent"); err != nil || u.Role != auth.Agent {
			t.Errorf("added user = %+v %v", u, err)
		}
		admin, _ := e.auth.UserByName(ctx, "admin")
		r = ad.post(fmt.Sprintf("/admin/users/%d", admin.ID), url.Values{"csrf": {tok}, "role": {"editor"}})
		if page := ad.get(r.hdr.Get("Location")).body; !strings.Contains(page, "最后一个管理员") {
			t.Error("last admin could be demoted")
		}
		// Logout ends the session.
		ad.post("/admin/logout", url.Values{"csrf": {tok}})
		if r := ad.get("/admin"); r.code != 303 {
			t.Errorf("after logout = %d", r.code)
		}
	})
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	r := c.get("/items")
	if r.code != 200 || strings.Count(r.body, `<a class="name"`) != 120 {
		t.Fatalf("catalogue = %d, %d items", r.code, strings.Count(r.body, `<a class="name"`))
	}
	r = c.get("/items?theme=" + url.QueryEscape("户籍"))
	if n := strings.Count(r.body, `<a class="name"`); n == 0 || n >= 120 || !strings.Contains(r.body, "新生儿入户登记") {
		t.Errorf("theme filter: %d items", n)
	}
	r = c.get("/items?audience=" + url.QueryEscape("法人"))
	if strings.Contains(r.body, "新生儿入户登记") || !strings.Contains(r.body, "<span class=\"tag\">法人</span>") {
		t.Error("audience filter")
	}
	r = c.get("/items?q=" + url.QueryEscape("生孩子上户口"))
	if !strings.Contains(r.body, "/items/FT-001") {
		t.Error("search did not find FT-001")
	}
	r = c.get("/items/FT-001")
	for _, want := range []string{"<h1>新生儿入户登记</h1>", "申请材料", "出生医学证明", "福田区政务服务中心", "data-print", "设定依据"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	if err := e.kb.SetStatus(context.Background(), "FT-002", kb.Withdrawn, "t", ""); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/items/FT-002"); r.code != 404 {
		t.Errorf("withdrawn item = %d", r.code)
	}
	if r := c.get("/api/v1/items/FT-001"); r.code != 200 || !strings.Contains(r.body, `"name":"新生儿入户登记"`) {
		t.Errorf("item API = %d", r.code)
	}
}

// Staff fix an answer of a published item: the editor's change waits as a
// revision while the chat keeps answering from the published text; the
// reviewer sees what changed and publishes it; the real assistant answers
// from the new text at once.
func TestEditPublishReachesChat(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, nil, nil)
		ctx := context.Background()
		e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
		e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
		ed := e.client()
		ed.login("editor", "editor password")
		page := ed.get("/admin/items/FT-001").body
		if !strings.Contains(page, "已发布版本在用，修改将作为待审核修订") {
			t.Error("editor does not say that edits of a published item become a revision")
		}
		tok := html.UnescapeString(csrfField.FindStringSubmatch(page)[1])
		rec, _ := e.kb.Item(ctx, "FT-001")
		oldFee := rec.Item.Fee
		form := editorForm(rec.Item)
		form.Set("csrf", tok)
		form.Set("fee", "不收费（测试修订）")
		form.Set("action", "review")
		form.Set("note", "工本费取消")
		if r := ed.post("/admin/items/FT-001", form); r.code != 303 {
			t.Fatalf("save = %d %s", r.code, r.body)
		}
		rec, _ = e.kb.Item(ctx, "FT-001")
		if rec.Status != kb.Published || rec.Item.Fee != oldFee || rec.Pending != kb.Review {
			t.Fatalf("after submit: %s %q pending %q", rec.Status, rec.Item.Fee, rec.Pending)
		}
		rev, err := e.kb.Revision(ctx, "FT-001")
		if err != nil || rev.Item.Fee != "不收费（测试修订）" || rev.SubmittedBy != "editor" {
			t.Fatalf("revision = %+v %v", rev, err)
		}
		if len(rev.Item.Materials) != 4 || rev.Item.Materials[0].Form != "原件" || len(rev.Item.FAQ) != 1 || !rev.Item.Online.Available {
			t.Errorf("fields lost in the round trip: %+v", rev.Item)
		}
		// The chat and the guide still serve the published text.
		c := e.client()
		if r := c.postJSON("/api/v1/chat", map[string]string{"message": "新生儿入户登记收费吗"}); strings.Contains(r.body, "测试修订") || !strings.Contains(r.body, oldFee) {
			t.Errorf("chat before review: %s", r.body)
		}
		if g := c.get("/items/FT-001").body; strings.Contains(g, "测试修订") {
			t.Error("guide shows the unpublished revision")
		}
		// The editor may not publish it.
		if r := ed.post("/admin/items/FT-001/revision", url.Values{"csrf": {tok}, "do": {"publish"}, "rev": {rev.Hash}}); r.code != 403 {
			t.Errorf("editor publishing a revision = %d", r.code)
		}
		rv := e.client()
		rv.login("reviewer", "reviewer password")
		page = rv.get("/admin/items/FT-001").body
		for _, want := range []string{`id="diff"`, "收费标准", "<ins>", `value="` + rev.Hash + `"`, "修订待审核", `id="rev-publish"`} {
			if !strings.Contains(page, want) {
				t.Errorf("reviewer's page lacks %s", want)
			}
		}
		if list := rv.get("/admin/items?status=pending").body; !strings.Contains(list, "/admin/items/FT-001#revision") || strings.Contains(list, "/admin/items/FT-002\"") {
			t.Error("item list does not show the pending revision")
		}
		if dash := rv.get("/admin").body; !strings.Contains(dash, "已发布事项的待审核修订（1）") {
			t.Error("dashboard does not list the revision awaiting review")
		}
		tok = rv.csrf("/admin/items/FT-001")
		if r := rv.post("/admin/items/FT-001/revision", url.Values{"csrf": {tok}, "do": {"publish"}, "rev": {rev.Hash}, "note": {"核对无误"}}); r.code != 303 {
			t.Fatalf("publish = %d %s", r.code, r.body)
		}
		hist, _ := e.kb.ItemHistory(ctx, "FT-001")
		last := hist[len(hist)-1]
		if last.Status != kb.Published || last.Revision != kb.RevisionPublished || last.Actor != "reviewer" || last.Note != "核对无误" {
			t.Errorf("history = %+v", last)
		}
		if page := rv.get("/admin/items/FT-001").body; !strings.Contains(page, "核对无误") || !strings.Contains(page, "发布 reviewer") || !strings.Contains(page, "修订发布") {
			t.Error("editor page does not show who published")
		}
		// Both steps are in the audit trail, with role and address.
		entries, _, err := e.log.List(ctx, audit.Filter{Action: "kb."}, audit.Page{})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit = %+v %v", entries, err)
		}
		byAction := map[string]audit.Entry{}
		for _, en := range entries {
			byAction[en.Action] = en
		}
		if en := byAction["kb.item.revision"]; en.Actor != "reviewer" || en.Role != "reviewer" || en.Target != "item:FT-001" || en.IP != "127.0.0.1" || en.Details["do"] != "publish" {
			t.Errorf("publish audit entry = %+v", en)
		}
		if en := byAction["kb.item.revise"]; en.Actor != "editor" || en.Details["action"] != "review" {
			t.Errorf("save audit entry = %+v", en)
		}
		// The chat sees the change (the index follows kb.Topic).
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := c.postJSON("/api/v1/chat", map[string]string{"message": "新生儿入户登记收费吗"})
			if strings.Contains(r.body, "测试修订") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("chat never saw the published change: %s", r.body)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// A hall's new address reaches the answers' routes too.
		tok = ed.csrf("/admin/halls/HALL-01")
		if r := ed.post("/admin/halls/HALL-01", url.Values{"csrf": {tok}, "name": {"福田区政务服务中心"}, "address": {"福田区测试路 1 号（新址）"},
			"hours": {"周一至周五 9:00-18:00"}, "phone": {"0755-82918000"}, "appointment_url": {"https://fuwu.example/booking/HALL-01"}}); r.code != 303 {
			t.Fatalf("hall save = %d", r.code)
		}
		// A live hall's change waits for review (issue 10, finding 14).
		tok = rv.csrf("/admin/halls/HALL-01")
		if r := rv.post("/admin/halls/HALL-01/change", url.Values{"csrf": {tok}, "do": {"publish"}}); r.code != 303 {
			t.Fatalf("hall publish = %d", r.code)
		}
		for deadline := time.Now().Add(10 * time.Second); ; {
			r := c.postJSON("/api/v1/chat", map[string]string{"message": "新生儿入户登记在哪里办"})
			if strings.Contains(r.body, "福田区测试路 1 号（新址）") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("chat never saw the hall's new address: %s", r.body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// editorForm fills the editor's fields from an item, as the page does.
func editorForm(it kb.Item) url.Values {
	f := url.Values{}
	f.Set("name", it.Name)
	f.Set("aliases", strings.Join(it.Aliases, "\n"))
	f.Set("theme", it.Theme)
	f["audience"] = it.Audience
	f.Set("department", it.Department)
	f.Set("kind", it.Kind)
	f.Set("summary", it.Summary)
	f.Set("conditions", strings.Join(it.Conditions, "\n"))
	f.Set("process", strings.Join(it.Process, "\n"))
	f.Set("legal_basis", strings.Join(it.LegalBasis, "\n"))
	f.Set("fee", it.Fee)
	f.Set("benefit", it.Benefit)
	f.Set("internal_notes", it.InternalNotes)
	f.Set("contact", it.Contact)
	f.Set("legal_days", fmt.Sprint(it.TimeLimit.LegalDays))
	f.Set("promised_days", fmt.Sprint(it.TimeLimit.PromisedDays))
	if it.Online.Available {
		f.Set("online_available", "1")
	}
	f.Set("online_depth", it.Online.Depth)
	f.Set("online_url", it.Online.URL)
	f["halls"] = it.Offline.Halls
	if it.Offline.Appointment {
		f.Set("appointment", "1")
	}
	for _, m := range it.Materials {
		f.Add("m_name", m.Name)
		f.Add("m_form", m.Form)
		f.Add("m_copies", fmt.Sprint(m.Copies))
		f.Add("m_note", m.Note)
	}
	for _, q := range it.FAQ {
		f.Add("faq_q", q.Q)
		f.Add("faq_a", q.A)
	}
	return f
}

func TestEditorValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	ctx := context.Background()
	e.auth.AddUser(ctx, "admin", "", auth.Admin, "admin password")
	c := e.client()
	c.login("admin", "admin password")
	tok := c.csrf("/admin/items/new")
	// Bad input is explained and nothing is stored.
	f := url.Values{"csrf": {tok}, "id": {"FT 999"}, "name": {"测试事项"}, "action": {"draft"}}
	if r := c.post("/admin/items/new", f); r.code != 422 || !strings.Contains(r.body, "未保存") {
		t.Errorf("bad id = %d", r.code)
	}
	f.Set("id", "FT-999")
	f.Set("online_url", "javascript:alert(1)")
	if r := c.post("/admin/items/new", f); r.code != 422 || !strings.Contains(r.body, "not an http(s) link") {
		t.Errorf("bad link = %d", r.code)
	}
	f.Set("online_url", "")
	f["m_name"], f["m_copies"] = []string{"身份证"}, []string{"两份"}
	if r := c.post("/admin/items/new", f); r.code != 422 || !strings.Contains(r.body, "份数须为整数") {
		t.Errorf("bad copies = %d", r.code)
	}
	if _, err := e.kb.Item(ctx, "FT-999"); err == nil {
		t.Fatal("invalid item stored")
	}
	f["m_copies"] = []string{"2"}
	f.Set("action", "publish")
	if r := c.post("/admin/items/new", f); r.code != 303 {
		t.Fatalf("create = %d %s", r.code, r.body)
	}
	rec, err := e.kb.Item(ctx, "FT-999")
	if err != nil || rec.Status != kb.Published || rec.PublishedBy != "admin" || rec.Item.Materials[0].Copies != 2 {
		t.Errorf("created = %+v %v", rec, err)
	}
	if r := c.post("/admin/items/new", f); r.code != 422 || !strings.Contains(r.body, "已存在") {
		t.Errorf("duplicate id = %d", r.code)
	}
}

func upload(c *client, tok, name, content, status string) resp {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", tok)
	mw.WriteField("status", status)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/admin/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	ctx := context.Background()
	e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
	c := e.client()
	c.login("editor", "editor password")
	tok := c.csrf("/admin/upload")
	content := `{"id":"UP-1","name":"上传事项一","theme":"户籍"}
this is not json
{"id":"","name":"没有编码"}
{"id":"UP-2","name":"上传事项二"}
`
	// An editor asking for "published" gets review.
	r := upload(c, tok, "items.jsonl", content, "published")
	if r.code != 200 {
		t.Fatalf("upload = %d %s", r.code, r.body)
	}
	for _, want := range []string{"新增 2", "跳过 2 行", "第 2 行", "第 3 行"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(r.body, "fuwu-upload-") {
		t.Error("report shows the server's temporary path")
	}
	rec, err := e.kb.Item(ctx, "UP-2")
	if err != nil || rec.Status != kb.Review || rec.UpdatedBy != "editor" {
		t.Errorf("uploaded item = %+v %v", rec, err)
	}
	// A spreadsheet with a row lacking its code.
	sheet := "事项编码,事项名称,主题\nCSV-1,表格事项一,户籍\n,没有编码的行,社保\nCSV-2,表格事项二,社保\n"
	r = upload(c, tok, "新事项.csv", sheet, "draft")
	if r.code != 200 || !strings.Contains(r.body, "新增 2") || !strings.Contains(r.body, "跳过 1 行") || !strings.Contains(r.body, "第 3 行") {
		t.Errorf("csv upload = %d %s", r.code, r.body[strings.Index(r.body, "<main"):])
	}
	if rec, err := e.kb.Item(ctx, "CSV-2"); err != nil || rec.Status != kb.Draft || rec.Item.Theme != "社保" {
		t.Errorf("csv item = %+v %v", rec, err)
	}
	if r := upload(c, tok, "evil.exe", "x", "draft"); r.code != 400 || !strings.Contains(r.body, "不支持的文件类型") {
		t.Errorf("bad type = %d", r.code)
	}
}

func TestFAQAndHalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	ctx := context.Background()
	e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
	c := e.client()
	c.login("editor", "editor password")
	tok := c.csrf("/admin/faq")
	r := c.post("/admin/faq", url.Values{"csrf": {tok}, "question": {"周末能办户口吗"}, "answer": {"周六上午可以办理部分事项。"}, "item_id": {"FT-001"}, "status": {"published"}})
	if r.code != 303 {
		t.Fatalf("faq add = %d", r.code)
	}
	es, _ := e.kb.Entries(ctx, "")
	if len(es) != 1 || es[0].Status != kb.Review || es[0].ItemID != "FT-001" {
		t.Fatalf("entries = %+v (an editor's 'published' must become review)", es)
	}
	if page := c.get("/admin/faq?question=" + url.QueryEscape("能代办吗") + "&item=FT-002").body; !strings.Contains(page, `value="能代办吗"`) {
		t.Error("FAQ form not prefilled from a question")
	}
	r = c.post("/admin/faq", url.Values{"csrf": {tok}, "id": {fmt.Sprint(es[0].ID)}, "question": {"周末能办户口吗"}, "answer": {"改过的回答"}, "status": {"draft"}})
	es, _ = e.kb.Entries(ctx, "")
	if r.code != 303 || es[0].Answer != "改过的回答" {
		t.Errorf("faq update = %d %+v", r.code, es)
	}
	r = c.post("/admin/halls/HALL-01", url.Values{"csrf": {tok}, "name": {"福田区政务服务中心"}, "address": {"新地址 1 号"}, "hours": {"周一至周日"}, "phone": {"0755-1"}, "appointment_url": {"https://fuwu.example/b"}})
	if r.code != 303 {
		t.Fatalf("hall save = %d %s", r.code, r.body)
	}
	ch, _ := e.kb.HallChange(ctx, "HALL-01")
	if h := ch.Hall; h.Address != "新地址 1 号" || h.Lat == 0 {
		t.Errorf("hall change = %+v (coordinates must survive)", h)
	}
	if r := c.post("/admin/halls/HALL-01", url.Values{"csrf": {tok}, "name": {"x"}, "appointment_url": {"ftp://x"}}); r.code != 422 {
		t.Errorf("bad hall link = %d", r.code)
	}
	r = c.post("/admin/halls/new", url.Values{"csrf": {tok}, "id": {"HALL-99"}, "name": {"新大厅"}})
	if _, err := e.kb.Hall(ctx, "HALL-99"); r.code != 303 || err != nil {
		t.Errorf("new hall = %d %v", r.code, err)
	}
}

func TestMetricsExposition(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	m.ObserveReply(assistant.Reply{Status: assistant.Answered, Generated: true}, 20*time.Millisecond)
	m.ObserveReply(assistant.Reply{Status: assistant.Answered, Fallback: "timeout", Notice: "智能问答暂时不可用"}, 3*time.Second)
	m.ObserveReply(assistant.Reply{Status: assistant.Clarify, Notice: "您的问题较长"}, time.Millisecond)
	m.observeRequest(`GET /items/{id}`, 200, 30*time.Millisecond)
	m.observeRequest(`GET /items/{id}`, 404, 2*time.Millisecond)
	var b strings.Builder
	m.Write(&b)
	out := b.String()
	for _, want := range []string{
		`fuwu_answers_total{status="answered"} 2`,
		`fuwu_answers_total{status="clarify"} 1`,
		"fuwu_model_answers_total 1",
		"fuwu_model_fallbacks_total 1",
		`fuwu_http_requests_total{route="GET /items/{id}",code="404"} 1`,
		`fuwu_http_request_duration_seconds_bucket{route="GET /items/{id}",le="0.005"} 1`,
		`fuwu_http_request_duration_seconds_bucket{route="GET /items/{id}",le="0.05"} 2`,
		`fuwu_http_request_duration_seconds_count{route="GET /items/{id}"} 2`,
		`fuwu_chat_turn_duration_seconds_bucket{le="2.5"} 2`,
		`fuwu_chat_turn_duration_seconds_bucket{le="+Inf"} 3`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
	// Every non-comment line is "name{labels} value".
	line := regexp.MustCompile(`^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$`)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "#") && !line.MatchString(l) {
			t.Errorf("malformed exposition line %q", l)
		}
	}
}

func TestQualityAndHandoffPages(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, &fakeAssistant{}, nil)
		ctx := context.Background()
		for _, u := range []struct {
			name string
			role auth.Role
		}{{"admin", auth.Admin}, {"reviewer", auth.Reviewer}, {"agent", auth.Agent}, {"editor", auth.Editor}} {
			if _, err := e.auth.AddUser(ctx, u.name, "", u.role, u.name+" password"); err != nil {
				t.Fatal(err)
			}
		}
		res := e.client()
		ask := func(conv, msg string) apiReply {
			r := res.postJSON("/api/v1/chat", map[string]string{"conversation_id": conv, "message": msg})
			var rep apiReply
			if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
				t.Fatalf("chat: %d %s", r.code, r.body)
			}
			return rep
		}
		a1 := ask("", "生了孩子怎么上户口，我电话13812345678")
		ask(a1.ConversationID, "帮我写首诗")
		b := ask("", "帮我写一首诗")
		res.postJSON("/api/v1/feedback", map[string]any{"conversation_id": a1.ConversationID, "turn_id": a1.TurnID, "score": 5})
		res.postJSON("/api/v1/feedback", map[string]any{"conversation_id": b.ConversationID, "turn_id": b.TurnID, "score": 1, "comment": "没用"})
		h, err := e.s.cfg.Convo.OpenHandoff(ctx, b.ConversationID, b.TurnID, "居民要求人工")
		if err != nil {
			t.Fatal(err)
		}

		rv := e.client()
		rv.login("reviewer", "reviewer password")
		page := rv.get("/admin/conversations").body
		if !strings.Contains(page, "生了孩子怎么上户口") || !strings.Contains(page, "帮我写一首诗") {
			t.Error("conversation list lacks conversations")
		}
		if strings.Contains(page, "13812345678") {
			t.Error("phone number shown unmasked")
		}
		// Times are China time's (testNow, 10:00), not the process's UTC.
		if !strings.Contains(page, "<td>2026-12-02 10:00</td>") || strings.Contains(page, "2026-12-02 02:00") {
			t.Errorf("conversation list not in the display zone: %.3000s", page)
		}
		page = rv.get("/admin/conversations?status=out_of_scope&bad=1").body
		if !strings.Contains(page, "帮我写一首诗") || strings.Contains(page, "生了孩子怎么上户口") {
			t.Error("filters not applied")
		}
		page = rv.get("/admin/conversations/" + a1.ConversationID).body
		if !strings.Contains(page, "帮我写首诗") || !strings.Contains(page, "评价：非常满意") || strings.Contains(page, "13812345678") {
			t.Error("conversation page")
		}
		page = rv.get("/admin/unanswered").body
		if !strings.Contains(page, "<td>2</td>") || !strings.Contains(page, "整理为知识") || !strings.Contains(page, `action="/admin/unanswered/learn"`) {
			t.Errorf("unanswered groups page: %.3000s", page)
		}
		page = rv.get("/admin/feedback").body
		for _, want := range []string{"<svg", "<rect", "评价总数", "50%", "FT-001 新生儿入户登记"} {
			if !strings.Contains(page, want) {
				t.Errorf("feedback page lacks %q", want)
			}
		}
		if page := rv.get("/admin").body; !strings.Contains(page, "待处理转人工工单") {
			t.Error("dashboard lacks quality figures")
		}
		if r := rv.get("/admin/handoffs"); r.code != 403 {
			t.Errorf("reviewer on handoffs = %d", r.code)
		}
		if r := e.client().get("/admin/feedback"); r.code != 303 {
			t.Errorf("anonymous feedback stats = %d", r.code)
		}

		ag := e.client()
		ag.login("agent", "agent password")
		page = ag.get("/admin/handoffs").body
		if !strings.Contains(page, fmt.Sprintf("#%d", h.ID)) || !strings.Contains(page, "居民要求人工") {
			t.Error("queue lacks the ticket")
		}
		if !strings.Contains(page, "<td>2026-12-02 10:00</td>") {
			t.Errorf("handoff queue not in the display zone: %.3000s", page)
		}
		// 居民最近的问题 is what the resident wrote, not the assistant's reply;
		// a complaint is marked as one.
		if !strings.Contains(page, "<td>帮我写一首诗</td>") || strings.Contains(page, "不在政务服务范围内") {
			t.Errorf("queue's last question: %.3000s", page)
		}
		if strings.Contains(page, `class="status complaint"`) {
			t.Error("a plain request shown as a complaint")
		}
		if _, err := e.s.cfg.Convo.OpenHandoff(ctx, a1.ConversationID, a1.TurnID, convo.ReasonComplaint+"：窗口态度差"); err != nil {
			t.Fatal(err)
		}
		if page := ag.get("/admin/handoffs").body; strings.Count(page, `<span class="status complaint">投诉</span>`) != 1 {
			t.Errorf("the complaint is not told apart: %.3000s", page)
		}
		path := fmt.Sprintf("/admin/handoffs/%d", h.ID)
		tok := ag.csrf(path)
		if r := ag.post(path+"/claim", url.Values{"csrf": {tok}}); r.code != 303 {
			t.Errorf("claim = %d", r.code)
		}
		if r := ag.post(path+"/claim", url.Values{"csrf": {tok}}); !strings.Contains(ag.get(r.hdr.Get("Location")).body, "不允许此操作") {
			t.Error("second claim not refused")
		}
		if r := ag.post(path+"/reply", url.Values{"csrf": {tok}, "body": {"您好，诗歌创作不在服务范围，如需办事请告诉我。"}}); r.code != 303 {
			t.Errorf("reply = %d", r.code)
		}
		// The resident sees the reply in the chat and the API.
		if page := res.get("/?c=" + b.ConversationID).body; !strings.Contains(page, "人工服务回复") || !strings.Contains(page, "诗歌创作不在服务范围") {
			t.Error("staff reply not on the resident's page")
		}
		if r := res.get("/api/v1/conversations/" + b.ConversationID); !strings.Contains(r.body, `"staff_replies":[{`) || !strings.Contains(r.body, `"handoff_state":"claimed"`) {
			t.Errorf("API conversation = %s", r.body)
		}
		if r := ag.post(path+"/close", url.Values{"csrf": {tok}}); r.code != 303 {
			t.Errorf("close = %d", r.code)
		}
		if page := ag.get("/admin/handoffs").body; strings.Contains(page, fmt.Sprintf(">#%d<", h.ID)) {
			t.Error("closed ticket still queued")
		}

		ad := e.client()
		ad.login("admin", "admin password")
		page = ad.get("/admin/audit?action=handoff.").body
		for _, want := range []string{"handoff.claim", "handoff.reply", "handoff.close", "agent"} {
			if !strings.Contains(page, want) {
				t.Errorf("audit page lacks %q", want)
			}
		}
		if page := ad.get("/admin/audit?verify=1").body; !strings.Contains(page, "哈希链完整") {
			t.Error("audit chain not verified")
		}
		ed := e.client()
		ed.login("editor", "editor password")
		if r := ed.get("/admin/audit"); r.code != 403 {
			t.Errorf("editor on audit = %d", r.code)
		}
	})
}

func TestFeedbackChart(t *testing.T) {
	t.Parallel()
	days := []convo.DayStats{{Day: "2026-11-01"}, {Day: "2026-11-02", Counts: [6]int{0, 1, 0, 0, 2, 3}, Total: 6}, {Day: "2026-11-03", Counts: [6]int{0, 0, 0, 0, 0, 1}, Total: 1}}
	svg := string(feedbackChart(days))
	if strings.Count(svg, "<rect") != 4 || !strings.Contains(svg, "<polyline") || !strings.Contains(svg, "11-02") {
		t.Errorf("chart = %s", svg)
	}
	// The 非常满意 bar of day 2 is 3/10 of the plot (scale rounds 6 up to 10).
	if !strings.Contains(svg, `height="62.4" fill="#1c7c3a"><title>2026-11-02 非常满意：3</title>`) {
		t.Errorf("bar heights: %s", svg)
	}
	if feedbackChart(nil) != "" {
		t.Error("empty chart")
	}
}
