package web

import (
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// The tests in this file each close one finding of issue 10's security
// review; each failed on the code before its fix.

// Finding 1: a conversation id alone opens nothing. The server issues
// ids; a made-up or someone else's id starts a fresh conversation; reading
// needs the capability the reply handed out (cookie or token); staff read
// through the console, and that is audited.
func TestConversationNeedsCapability(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, nil, nil)
		ctx := context.Background()

		// An attacker picks an id and sends the resident the link.
		chosen := "attacker-picked-0001"
		victim := e.client()
		page := victim.get("/?c=" + chosen)
		if page.code != 200 || !strings.Contains(page.body, "不属于本浏览器") {
			t.Errorf("page for an unknown id = %d", page.code)
		}
		tok := victim.csrf("/?c=" + chosen)
		r := victim.post("/chat", url.Values{"csrf": {tok}, "conversation_id": {chosen}, "message": {"我住福田区福华三路88号，社保卡丢了怎么补"}})
		loc, _ := url.Parse(r.hdr.Get("Location"))
		conv := loc.Query().Get("c")
		if r.code != 303 || conv == "" || conv == chosen {
			t.Fatalf("chat under a chosen id = %d, conversation %q", r.code, conv)
		}
		if _, _, err := e.s.cfg.Convo.Conversation(ctx, chosen); err == nil {
			t.Fatal("a conversation was created under the attacker's id")
		}
		// The resident reads their own conversation.
		if page := victim.get("/?c=" + conv).body; !strings.Contains(page, "社保卡丢了怎么补") {
			t.Fatal("the resident cannot read their own conversation")
		}

		// Anyone else holding the id reads nothing, by page or API.
		attacker := e.client()
		if page := attacker.get("/?c=" + conv).body; strings.Contains(page, "社保卡丢了怎么补") {
			t.Fatal("another browser read the transcript by its id")
		}
		if r := attacker.get("/api/v1/conversations/" + conv); r.code != 404 || strings.Contains(r.body, "社保卡") {
			t.Fatalf("API read without the capability = %d %s", r.code, r.body)
		}
		// A forged token is no better.
		forged := e.client()
		forged.tokens[conv] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		if r := forged.get("/api/v1/conversations/" + conv); r.code != 404 {
			t.Fatalf("API read with a forged token = %d", r.code)
		}
		// Posting into someone else's conversation starts a new one and
		// leaves theirs alone.
		atok := attacker.csrf("/")
		r = attacker.post("/chat", url.Values{"csrf": {atok}, "conversation_id": {conv}, "message": {"我要预约"}})
		loc, _ = url.Parse(r.hdr.Get("Location"))
		if got := loc.Query().Get("c"); got == conv || got == "" {
			t.Fatalf("attacker's message went into conversation %q", got)
		}
		if _, turns, err := e.s.cfg.Convo.Conversation(ctx, conv); err != nil || len(turns) != 1 {
			t.Fatalf("victim's conversation has %d turns, %v", len(turns), err)
		}
		// Rating someone else's answer is refused like an unknown one.
		if r := attacker.postJSON("/api/v1/feedback", map[string]any{"conversation_id": conv, "turn_id": 1, "score": 1}); r.code != 404 {
			t.Errorf("feedback without the capability = %d", r.code)
		}

		// API clients get a token with the reply and need it to read.
		api := e.client()
		r = api.postJSON("/api/v1/chat", map[string]string{"conversation_id": chosen, "message": "社保卡丢了怎么补"})
		var rep apiReply
		if err := json.Unmarshal([]byte(r.body), &rep); err != nil || rep.ConversationID == chosen || rep.ConversationToken == "" {
			t.Fatalf("API chat = %d %s", r.code, r.body)
		}
		if r := api.get("/api/v1/conversations/" + rep.ConversationID); r.code != 200 {
			t.Fatalf("API read with the token = %d %s", r.code, r.body)
		}

		// Staff read it through the console, and the reading is audited.
		if _, err := e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password"); err != nil {
			t.Fatal(err)
		}
		rv := e.client()
		rv.login("reviewer", "reviewer password")
		if page := rv.get("/admin/conversations/" + conv).body; !strings.Contains(page, "社保卡丢了怎么补") {
			t.Fatal("staff cannot read the conversation in the console")
		}
		entries, _, err := e.log.List(ctx, audit.Filter{Action: "convo.read"}, audit.Page{})
		if err != nil || len(entries) != 1 || entries[0].Actor != "reviewer" || entries[0].Target != "conversation:"+conv {
			t.Fatalf("audit of the reading = %+v, %v", entries, err)
		}
	})
}

// leavingModel is a model during whose answer the resident closes the
// page: it cancels the request and fails as a cancelled call does.
type leavingModel struct{ leave context.CancelFunc }

func (m leavingModel) Stream(ctx context.Context, _ []assistant.Message, _ func(string)) (string, error) {
	m.leave()
	<-ctx.Done()
	return "", ctx.Err()
}

// errorLines collects ERROR records logged while it is the default logger.
type errorLines struct {
	mu    sync.Mutex
	lines []string
}

func (h *errorLines) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h *errorLines) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, r.Message)
	return nil
}
func (h *errorLines) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *errorLines) WithGroup(string) slog.Handler      { return h }

// Finding 10: a resident who leaves mid-answer leaves no empty
// conversation and no ERROR line; the answer already made is kept whole.
// Not parallel: it swaps the default logger.
func TestAbortedTurnLeavesNoTrace(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		var leave context.CancelFunc
		kbs := kb.NewStore(db)
		ix := search.New(zh.MustDefault(), search.DefaultParams())
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
			t.Fatal(err)
		}
		svc := realAssistant(ctx, t, kbs, ix, func(c *assistant.Config) {
			c.Model = leavingModel{leave: func() { leave() }}
		})
		e := newEnv(t, db, svc, nil)

		h := &errorLines{}
		old := slog.Default()
		slog.SetDefault(slog.New(h))
		defer slog.SetDefault(old)

		rctx, cancel := context.WithCancel(context.Background())
		leave = cancel
		body := strings.NewReader(`{"message":"社保卡丢了怎么补办"}`)
		req := httptest.NewRequest("POST", "/api/v1/chat", body).WithContext(rctx)
		req.Header.Set("Content-Type", "application/json")
		e.s.ServeHTTP(httptest.NewRecorder(), req)

		var empty, all int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM convo_conversations WHERE turns = 0`).Scan(&empty); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM convo_conversations`).Scan(&all); err != nil {
			t.Fatal(err)
		}
		if empty != 0 {
			t.Errorf("%d empty conversations left by an aborted request", empty)
		}
		if all != 1 {
			t.Errorf("%d conversations: the answer made was not kept", all)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.lines) > 0 {
			t.Errorf("ERROR lines for a resident who left: %q", h.lines)
		}
	})
}

// Findings 2 and 7: 60 simultaneous wrong passwords for admin from one
// address hash at most the limit's worth of passwords (counted, not
// timed); the rest are refused with 429. Failed logins and the lockout
// are in the audit trail, and the lock holds that address only.
func TestLoginBurstIsCut(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, &fakeAssistant{}, nil)
		ctx := context.Background()
		if _, err := e.auth.AddUser(ctx, "admin", "", auth.Admin, "admin password 1"); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		tok := c.csrf("/admin/login")
		codes := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", e.srv.URL+"/admin/login",
					strings.NewReader(url.Values{"csrf": {tok}, "username": {"admin"}, "password": {"wrong password"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res, err := c.c.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				mu.Lock()
				codes[res.StatusCode]++
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		limit := e.s.login.PerAccount
		checks := e.auth.PasswordChecks()
		if checks < 1 || checks > int64(limit) {
			t.Fatalf("%d passwords hashed for 60 simultaneous attempts, want 1–%d", checks, limit)
		}
		if codes[401] != int(checks) || codes[401]+codes[429] != 60 {
			t.Fatalf("status codes %v for %d hashes", codes, checks)
		}
		failed, _, _ := e.log.List(ctx, audit.Filter{Action: "user.login_failed"}, audit.Page{})
		if len(failed) != codes[401] || failed[0].Actor != "admin" || failed[0].IP != "127.0.0.1" {
			t.Fatalf("failed logins in the audit trail: %d for %d failures (%+v)", len(failed), codes[401], failed)
		}
		// From another address the account is not locked, and a lockout
		// there is recorded when its limit is reached.
		from := func(addr, user, pw string) int {
			req := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"csrf": {tok}, "username": {user}, "password": {pw}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, ck := range c.c.Jar.Cookies(mustURL(e.srv.URL)) {
				req.AddCookie(ck)
			}
			req.RemoteAddr = addr + ":4000"
			w := httptest.NewRecorder()
			e.s.ServeHTTP(w, req)
			return w.Code
		}
		for range limit {
			if code := from("192.0.2.77", "editor-x", "wrong password"); code != 401 {
				t.Fatalf("wrong password from a fresh address = %d", code)
			}
		}
		if code := from("192.0.2.77", "editor-x", "wrong password"); code != 429 {
			t.Fatalf("attempt past the limit = %d", code)
		}
		locks, _, _ := e.log.List(ctx, audit.Filter{Action: "user.lockout"}, audit.Page{})
		if len(locks) == 0 || locks[0].Target != "user:editor-x" || locks[0].IP != "192.0.2.77" {
			t.Fatalf("lockout not audited: %+v", locks)
		}
		if code := from("198.51.100.7", "admin", "admin password 1"); code != 303 {
			t.Fatalf("admin from another address = %d: the account is locked for everyone", code)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Finding 8: a booking opens, cancels and reschedules only with its code
// and the mobile's last four digits; a wrong code and wrong digits get
// the same answer; attempts from one address are limited per window
// (a fake clock moves the window).
func TestBookingNeedsCodeAndMobile(t *testing.T) {
	storetest.Each(t, serviceMigrations, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		clock := func() time.Time { return time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) } // Monday 09:00 in Shenzhen
		var bk *booking.Service
		e := newEnv(t, db, &fakeAssistant{}, func(c *Config) {
			bk = booking.New(db, c.KB, keys, booking.Config{Now: clock})
			c.Booking = bk
		})
		if _, err := bk.Seed(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		ids, err := bk.HallsFor(ctx, "FT-001")
		if err != nil || len(ids) == 0 {
			t.Fatalf("halls for FT-001: %v %v", ids, err)
		}
		days, err := bk.Days(ctx, ids[0], "FT-001")
		if err != nil || len(days) < 2 {
			t.Fatalf("days: %v %v", days, err)
		}
		slots, err := bk.Slots(ctx, ids[0], "FT-001", days[1].Day)
		if err != nil || len(slots) < 2 {
			t.Fatalf("slots: %v %v", slots, err)
		}
		b, err := bk.Book(ctx, booking.Request{HallID: ids[0], ItemID: "FT-001", Day: days[1].Day, Start: slots[0].Start,
			Name: "陈小红", Mobile: "13512345678", Channel: "web"})
		if err != nil {
			t.Fatal(err)
		}
		res := e.client()
		unknown := res.get("/api/v1/bookings/ZZZZZZZZ?mobile_last4=5678")
		for _, q := range []string{"", "?mobile_last4=0000", "?mobile_last4=678"} {
			r := res.get("/api/v1/bookings/" + b.Code + q)
			if r.code != 404 || r.body != unknown.body {
				t.Errorf("lookup %s = %d %s; an unknown code gives %d %s", q, r.code, r.body, unknown.code, unknown.body)
			}
		}
		if r := res.get("/api/v1/bookings/" + b.Code + "?mobile_last4=5678"); r.code != 200 || !strings.Contains(r.body, b.Code) {
			t.Fatalf("lookup with code and digits = %d %s", r.code, r.body)
		}
		// Cancel and reschedule without the digits change nothing.
		if r := res.postJSON("/api/v1/bookings/"+b.Code+"/cancel", map[string]string{"reason": "x"}); r.code != 404 {
			t.Errorf("cancel with the code alone = %d", r.code)
		}
		if r := res.postJSON("/api/v1/bookings/"+b.Code+"/reschedule", map[string]string{"day": days[1].Day, "start": slots[1].Start, "mobile_last4": "1111"}); r.code != 404 {
			t.Errorf("reschedule with wrong digits = %d", r.code)
		}
		tok := res.csrf("/booking/lookup")
		if r := res.post("/booking/cancel", url.Values{"csrf": {tok}, "code": {b.Code}}); r.code != 404 {
			t.Errorf("form cancel with the code alone = %d", r.code)
		}
		if got, _ := bk.Lookup(ctx, b.Code); got.Status != booking.Booked || got.Start != slots[0].Start {
			t.Fatalf("booking changed without the digits: %+v", got)
		}
		if r := res.post("/booking/cancel", url.Values{"csrf": {tok}, "code": {b.Code}, "m": {"5678"}}); r.code != 200 || !strings.Contains(r.body, "预约已取消") {
			t.Fatalf("form cancel with code and digits = %d", r.code)
		}

		// Guessing is limited per address and window.
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		e.s.bookingGuard = auth.NewThrottle(30, 15*time.Minute)
		e.s.bookingGuard.Now = func() time.Time { return now }
		for i := range 30 {
			if r := res.get("/api/v1/bookings/ZZZZZZZZ?mobile_last4=0000"); r.code != 404 {
				t.Fatalf("guess %d = %d", i+1, r.code)
			}
		}
		if r := res.get("/api/v1/bookings/" + b.Code + "?mobile_last4=5678"); r.code != 429 {
			t.Fatalf("attempt past the limit = %d", r.code)
		}
		if r := res.postJSON("/api/v1/bookings/"+b.Code+"/cancel", map[string]string{"mobile_last4": "5678"}); r.code != 429 {
			t.Fatalf("cancel past the limit = %d", r.code)
		}
		now = now.Add(15 * time.Minute)
		if r := res.get("/api/v1/bookings/" + b.Code + "?mobile_last4=5678"); r.code != 200 {
			t.Fatalf("after the window = %d", r.code)
		}
	})
}

// Finding 9: re-posting a rating neither counts twice nor replaces it.
func TestOneRatingPerTurn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	r := c.postJSON("/api/v1/chat", map[string]string{"message": "生了孩子怎么上户口"})
	var rep apiReply
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatal(err)
	}
	rate := map[string]any{"conversation_id": rep.ConversationID, "turn_id": rep.TurnID, "score": 5}
	if r := c.postJSON("/api/v1/feedback", rate); r.code != 200 {
		t.Fatalf("first rating = %d %s", r.code, r.body)
	}
	for range 3 {
		if r := c.postJSON("/api/v1/feedback", rate); r.code != 409 || !strings.Contains(r.body, "已评价") {
			t.Fatalf("re-posted rating = %d %s", r.code, r.body)
		}
	}
	if n := e.s.metrics.feedback[5].Load(); n != 1 {
		t.Fatalf("feedback counter = %d after one rating posted four times", n)
	}
}

// Finding 5: a control character in any text input (chat, booking,
// door-to-door request, a query) is refused at the edge with a clear
// message on both engines; PostgreSQL never sees a NUL, nothing answers
// 5xx, and ordinary whitespace still passes.
func TestControlCharactersRefusedAtTheEdge(t *testing.T) {
	storetest.Each(t, serviceMigrations, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		var bk *booking.Service
		var ds *doorstep.Service
		e := newEnv(t, db, nil, func(c *Config) {
			bk = booking.New(db, c.KB, keys, booking.Config{})
			ds = doorstep.New(db, c.KB, keys, doorstep.Config{})
			c.Booking, c.Doorstep = bk, ds
		})
		if _, err := bk.Seed(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.SyncCatalogue(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		tok := c.csrf("/")
		check := func(what string, r resp) {
			t.Helper()
			if r.code != 400 || !strings.Contains(html.UnescapeString(r.body), "控制字符") {
				t.Errorf("%s = %d %.200s", what, r.code, r.body)
			}
		}
		check("API chat with NUL", c.postJSON("/api/v1/chat", map[string]string{"message": "社保卡\u0000丢了怎么补"}))
		check("API chat with a C1 control", c.postJSON("/api/v1/chat", map[string]string{"message": "社保卡\u0085丢了"}))
		check("form chat with NUL", c.post("/chat", url.Values{"csrf": {tok}, "message": {"社保卡\x00丢了"}}))
		check("form chat with broken UTF-8", c.post("/chat", url.Values{"csrf": {tok}, "message": {"社保卡\xff丢了"}}))
		check("booking name with NUL", c.postJSON("/api/v1/bookings", map[string]string{"hall_id": "HALL-01", "item_id": "FT-001",
			"day": "2026-03-03", "start": "09:00", "name": "陈\u0000小红", "mobile": "13512345678"}))
		check("door-to-door notes with NUL", c.postJSON("/api/v1/doorstep/requests", map[string]string{"kind": "resident",
			"applicant": "李四", "phone": "13912345678", "street": "梅林", "address": "梅林路1号", "notes": "\u0000"}))
		check("query with NUL", c.get("/items?q=%00"))
		check("JSON key with NUL", c.postJSON("/api/v1/feedback", map[string]any{"conversation_id\u0000": "x", "turn_id": 1, "score": 5}))
		// Tabs and line breaks are text.
		if r := c.postJSON("/api/v1/chat", map[string]string{"message": "社保卡\t丢了\n怎么补"}); r.code != 200 {
			t.Errorf("chat with tab and newline = %d %s", r.code, r.body)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM convo_turns`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d turns stored, want only the good one (%v)", n, err)
		}
	})
}

// Finding 6: on staff pages a form token is bound to the login session. A
// stranger who fetched a token for a CSRF cookie of their own and planted
// that cookie in a staff member's browser cannot make it post.
func TestStaffCSRFBoundToSession(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, &fakeAssistant{}, nil)
		ctx := context.Background()
		if _, err := e.auth.AddUser(ctx, "admin", "", auth.Admin, "admin password 1"); err != nil {
			t.Fatal(err)
		}
		// The attacker's own pair: a cookie seed and the page's token for it.
		attacker := e.client()
		attackerToken := attacker.csrf("/admin/login")
		var attackerSeed string
		for _, ck := range attacker.c.Jar.Cookies(mustURL(e.srv.URL)) {
			if ck.Name == csrfCookie {
				attackerSeed = ck.Value
			}
		}
		staff := e.client()
		if r := staff.login("admin", "admin password 1"); r.code != 303 {
			t.Fatalf("login = %d", r.code)
		}
		// Planted cookie (as a sibling subdomain or a plain-HTTP hop could).
		staff.c.Jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{{Name: csrfCookie, Value: attackerSeed, Path: "/"}})
		r := staff.post("/admin/users", url.Values{"csrf": {attackerToken}, "username": {"mallory"}, "role": {"admin"}, "password": {"mallory password 1"}})
		if r.code != 403 {
			t.Fatalf("post with a planted cookie's token = %d", r.code)
		}
		if _, err := e.auth.UserByName(ctx, "mallory"); err == nil {
			t.Fatal("the forged request created an account")
		}
		// The staff member's own page token still works.
		tok := staff.csrf("/admin/users")
		if r := staff.post("/admin/users", url.Values{"csrf": {tok}, "username": {"editor1"}, "role": {"editor"}, "password": {"editor password 1"}}); r.code != 303 {
			t.Fatalf("own token = %d %s", r.code, r.body)
		}
	})
}

// scrape reads the metrics as a scraper on the internal address does.
func scrape(e *env) string {
	w := httptest.NewRecorder()
	e.s.MetricsHandler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

// Finding 13: /metrics on the public address is not public. Without a
// token configured it does not exist there; with one it needs the bearer
// token; the internal listener's handler serves it.
func TestMetricsNotPublic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	if r := c.get("/metrics"); r.code != 404 || strings.Contains(r.body, "fuwu_http_requests_total") {
		t.Fatalf("public /metrics without a token configured = %d", r.code)
	}
	if m := scrape(e); !strings.Contains(m, "fuwu_http_requests_total") {
		t.Fatalf("internal metrics handler: %.200s", m)
	}
	tok := newEnv(t, sqliteDB(t), &fakeAssistant{}, func(c *Config) { c.MetricsToken = "s3cret-scrape-token" })
	tc := tok.client()
	for _, auth := range []string{"", "Bearer wrong", "s3cret-scrape-token", "Basic czNjcmV0"} {
		req, _ := http.NewRequest("GET", tok.srv.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if r := tc.do(req); r.code != 401 || strings.Contains(r.body, "fuwu_") {
			t.Errorf("Authorization %q = %d", auth, r.code)
		}
	}
	req, _ := http.NewRequest("GET", tok.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer s3cret-scrape-token")
	if r := tc.do(req); r.code != 200 || !strings.Contains(r.body, "fuwu_http_requests_total") {
		t.Fatalf("with the token = %d", r.code)
	}
}

// Finding 14: an editor's change to a live hall (its phone number) waits
// for review like an item's: the live details keep answering, the
// reviewer sees what changes and publishes or discards it, the editor
// cannot publish, and every step is audited. A console upload of halls
// does the same.
func TestHallChangesNeedReview(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, &fakeAssistant{}, nil)
		ctx := context.Background()
		for _, u := range []struct {
			name string
			role auth.Role
		}{{"editor", auth.Editor}, {"reviewer", auth.Reviewer}} {
			if _, err := e.auth.AddUser(ctx, u.name, "", u.role, u.name+" password"); err != nil {
				t.Fatal(err)
			}
		}
		live, err := e.kb.Hall(ctx, "HALL-01")
		if err != nil {
			t.Fatal(err)
		}
		ed := e.client()
		ed.login("editor", "editor password")
		tok := ed.csrf("/admin/halls/HALL-01")
		form := url.Values{"csrf": {tok}, "name": {live.Name}, "address": {live.Address}, "hours": {live.Hours},
			"phone": {"0755-66666666"}, "appointment_url": {live.AppointmentURL}}
		if r := ed.post("/admin/halls/HALL-01", form); r.code != 303 {
			t.Fatalf("editor save = %d %s", r.code, r.body)
		}
		if h, _ := e.kb.Hall(ctx, "HALL-01"); h.Phone != live.Phone {
			t.Fatalf("the live phone changed without review: %q", h.Phone)
		}
		if r := ed.post("/admin/halls/HALL-01/change", url.Values{"csrf": {tok}, "do": {"publish"}}); r.code != 403 {
			t.Fatalf("editor publishing = %d", r.code)
		}
		rv := e.client()
		rv.login("reviewer", "reviewer password")
		page := rv.get("/admin/halls/HALL-01").body
		for _, want := range []string{"待审核的修改", live.Phone, "0755-66666666", "审核通过并发布"} {
			if !strings.Contains(page, want) {
				t.Errorf("reviewer's page lacks %q", want)
			}
		}
		if list := rv.get("/admin/halls").body; !strings.Contains(list, "修改待审核") {
			t.Error("the hall list does not mark the pending change")
		}
		rtok := rv.csrf("/admin/halls/HALL-01")
		if r := rv.post("/admin/halls/HALL-01/change", url.Values{"csrf": {rtok}, "do": {"publish"}}); r.code != 303 {
			t.Fatalf("publish = %d", r.code)
		}
		if h, _ := e.kb.Hall(ctx, "HALL-01"); h.Phone != "0755-66666666" {
			t.Fatalf("published phone = %q", h.Phone)
		}
		// Discarding leaves the live hall as it is.
		form.Set("phone", "0755-77777777")
		ed.post("/admin/halls/HALL-01", form)
		if r := rv.post("/admin/halls/HALL-01/change", url.Values{"csrf": {rtok}, "do": {"discard"}}); r.code != 303 {
			t.Fatalf("discard = %d", r.code)
		}
		if h, _ := e.kb.Hall(ctx, "HALL-01"); h.Phone != "0755-66666666" {
			t.Fatalf("discarded change went live: %q", h.Phone)
		}
		var actions []string
		entries, _, _ := e.log.List(ctx, audit.Filter{Action: "kb.hall."}, audit.Page{})
		for _, en := range entries {
			actions = append(actions, en.Actor+" "+en.Action)
		}
		if got := strings.Join(actions, ","); got != "reviewer kb.hall.discard,editor kb.hall.submit,reviewer kb.hall.publish,editor kb.hall.submit" {
			t.Errorf("audit = %s", got)
		}
		// An editor's upload of a halls file proposes too.
		utok := ed.csrf("/admin/upload")
		line := `{"id":"HALL-01","name":"` + live.Name + `","address":"上传的新地址","hours":"周一至周五","phone":"0755-88888888"}` + "\n"
		if r := upload(ed, utok, "halls.jsonl", line, "published"); r.code != 200 {
			t.Fatalf("upload = %d %.300s", r.code, r.body)
		}
		if h, _ := e.kb.Hall(ctx, "HALL-01"); h.Phone != "0755-66666666" {
			t.Fatalf("an uploaded hall went live without review: %q", h.Phone)
		}
		if c, err := e.kb.HallChange(ctx, "HALL-01"); err != nil || c.Hall.Phone != "0755-88888888" || c.SubmittedBy != "editor" {
			t.Fatalf("uploaded change = %+v, %v", c, err)
		}
	})
}
