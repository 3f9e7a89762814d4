package web

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// lexiconEnv serves the real assistant with the stored lexicon, reloaded
// on every announced change as fuwu serve does.
func lexiconEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	st := assistant.SensitiveStore{DB: db}
	changes := db.Subscribe(assistant.SensitiveTopic)
	words, err := st.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lex := assistant.NewSensitive(words, zh.MustDefault().Normalize)
	go assistant.FollowSensitive(ctx, st, lex, changes)
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	svc := realAssistant(ctx, t, kbs, ix, func(c *assistant.Config) { c.Sensitive = lex })
	return newEnv(t, db, svc, func(c *Config) { // polled: no rate limit
		c.Lexicon, c.Stops, c.ChatRate = st, svc.(*assistant.Assistant), -1
	})
}

// A word staff add in the console changes the chat's next answer, on
// either engine, without a restart; so do allow-list phrases, changed
// actions and deletions. Every change is audited.
func TestSensitiveLexiconPage(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := lexiconEnv(t, db)
		ctx := context.Background()
		e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
		e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
		ed := e.client()
		ed.login("editor", "editor password")
		if r := ed.get("/admin/sensitive"); r.code != 403 {
			t.Errorf("editor on the lexicon = %d", r.code)
		}
		if strings.Contains(ed.get("/admin").body, `href="/admin/sensitive"`) {
			t.Error("editor shown the lexicon link")
		}
		rv := e.client()
		rv.login("reviewer", "reviewer password")
		page := rv.get("/admin/sensitive")
		for _, want := range []string{"违法违规（illegal）", "自伤风险（self_harm）", "做假证", "举报假证", "拒答", `href="/admin/sensitive" aria-current="page"`} {
			if page.code != 200 || !strings.Contains(page.body, want) {
				t.Errorf("lexicon page (%d) lacks %s", page.code, want)
			}
		}
		tok := rv.csrf("/admin/sensitive")
		chat := e.client()
		// until asks q until the reply satisfies ok (the lexicon reloads
		// asynchronously, on PostgreSQL through NOTIFY).
		until := func(what, q string, ok func(apiReply) bool) {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for {
				var rep apiReply
				r := chat.postJSON("/api/v1/chat", map[string]string{"message": q})
				_ = json.Unmarshal([]byte(r.body), &rep)
				if ok(rep) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: chat answered %s", what, r.body)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		declined := func(rep apiReply) bool {
			return rep.Status == "out_of_scope" && strings.Contains(rep.Answer, "违法违规")
		}
		const q = "新生儿入户登记可以找黄牛代办吗"
		until("before", q, func(rep apiReply) bool { return rep.Status == "answered" })

		// Bad input is explained and stores nothing.
		for _, f := range []url.Values{
			{"word": {""}, "category": {"illegal"}, "action": {"block"}},
			{"word": {"黄牛"}, "category": {"illegal"}, "action": {"shout"}},
			{"word": {"黄 牛"}, "category": {"illegal"}, "action": {"block"}},
			{"word": {"黄牛"}, "category": {"illegal"}, "new_category": {"一个非常非常非常非常非常非常非常长的分类名称"}, "action": {"block"}},
		} {
			f.Set("csrf", tok)
			if r := rv.post("/admin/sensitive", f); r.code != 422 || !strings.Contains(r.body, "未保存") {
				t.Errorf("bad word %v = %d", f, r.code)
			}
		}
		// Added: the chat declines.
		r := rv.post("/admin/sensitive", url.Values{"csrf": {tok}, "word": {"黄牛"}, "category": {"illegal"}, "action": {"block"}})
		if r.code != 303 || !strings.Contains(rv.get(r.hdr.Get("Location")).body, "已添加敏感词“黄牛”") {
			t.Fatalf("add = %d %s", r.code, r.body)
		}
		until("after adding", q, declined)
		// An allow-list phrase lets its own wording through.
		if r := rv.post("/admin/sensitive", url.Values{"csrf": {tok}, "word": {"举报黄牛"}, "allow": {"1"}}); r.code != 303 {
			t.Fatalf("allow = %d", r.code)
		}
		until("allow-listed", "我要举报黄牛", func(rep apiReply) bool { return rep.Status != "" && !declined(rep) })
		until("not allow-listed", "找黄牛代办，再举报黄牛", declined)
		// A new category and a milder action: answered again, marked for review.
		if r := rv.post("/admin/sensitive", url.Values{"csrf": {tok}, "word": {"黄牛"}, "category": {"illegal"}, "new_category": {"scalper"}, "action": {"flag"}}); r.code != 303 {
			t.Fatalf("change = %d", r.code)
		}
		until("flagged", q, func(rep apiReply) bool { return rep.Status == "answered" })
		page = rv.get("/admin/sensitive?q=" + url.QueryEscape("黄牛"))
		for _, want := range []string{"scalper · 1 个", "正常回答，标记复核", "举报黄牛"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("searched page lacks %s", want)
			}
		}
		if strings.Contains(page.body, "做假证") {
			t.Error("search shows other words")
		}
		// Back to block, then deleted: answered again.
		rv.post("/admin/sensitive", url.Values{"csrf": {tok}, "word": {"黄牛"}, "category": {"scalper"}, "action": {"block"}})
		until("blocked again", q, declined)
		if r := rv.post("/admin/sensitive/delete", url.Values{"csrf": {tok}, "word": {"黄牛"}}); r.code != 303 {
			t.Fatalf("delete = %d", r.code)
		}
		until("deleted", q, func(rep apiReply) bool { return rep.Status == "answered" })
		if strings.Contains(rv.get("/admin/sensitive").body, `data-word="黄牛"`) {
			t.Error("deleted word still listed")
		}
		if r := rv.post("/admin/sensitive/delete", url.Values{"csrf": {tok}, "word": {"黄牛"}}); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "err=") {
			t.Errorf("deleting a missing word = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := ed.post("/admin/sensitive", url.Values{"csrf": {ed.csrf("/admin")}, "word": {"x"}, "category": {"illegal"}, "action": {"block"}}); r.code != 403 {
			t.Errorf("editor changing the lexicon = %d", r.code)
		}
		// Audited: who, what, and what it was before.
		entries, _, err := e.log.List(ctx, audit.Filter{Action: "assistant.sensitive."}, audit.Page{})
		if err != nil || len(entries) != 5 {
			t.Fatalf("audit = %d entries %v", len(entries), err)
		}
		var puts, dels int
		for _, en := range entries {
			if en.Actor != "reviewer" || en.Role != "reviewer" {
				t.Errorf("audit actor = %+v", en)
			}
			switch en.Action {
			case "assistant.sensitive.put":
				puts++
			case "assistant.sensitive.delete":
				dels++
				if en.Target != "sensitive:黄牛" || en.Details["category"] != "scalper" || en.Details["action"] != "block" {
					t.Errorf("delete entry = %+v", en)
				}
			}
			if en.Details["word"] == "黄牛" && en.Details["action"] == "flag" {
				if b, _ := en.Details["before"].(map[string]any); b["action"] != "block" || b["category"] != "illegal" {
					t.Errorf("change entry lacks what it was: %+v", en.Details)
				}
			}
		}
		if puts != 4 || dels != 1 {
			t.Errorf("audit: %d puts, %d deletes", puts, dels)
		}
	})
}

// A question the lexicon stops although it is a district service — a
// prosthesis (假肢) read as forging (假) a subsidy — shows on the
// unanswered page, for those who may edit the lexicon, with what stopped
// it and the phrase proposed; allowing it with that one action makes the
// chat answer it, on SQLite and PostgreSQL, while a request to forge stays
// declined. Others never see the action.
func TestUnansweredAllowsFalsePositive(t *testing.T) {
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := lexiconEnv(t, db)
		ctx := context.Background()
		e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
		e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
		chat := e.client()
		const q = "我爸装假肢能申请补贴吗"
		var rep apiReply
		_ = json.Unmarshal([]byte(chat.postJSON("/api/v1/chat", map[string]string{"message": q}).body), &rep)
		if rep.Status != "out_of_scope" {
			t.Fatalf("before: %+v", rep)
		}
		ed := e.client()
		ed.login("editor", "editor password")
		if page := ed.get("/admin/unanswered").body; !strings.Contains(page, q) || strings.Contains(page, "敏感词误判") {
			t.Errorf("editor's unanswered page: lists the question %v, offers the allow action %v", strings.Contains(page, q), strings.Contains(page, "敏感词误判"))
		}
		rv := e.client()
		rv.login("reviewer", "reviewer password")
		page := html.UnescapeString(rv.get("/admin/unanswered").body)
		m := regexp.MustCompile(`action="/admin/sensitive"[^>]*>.*?命中“([^”]*)”.*?name="word" value="([^"]*)"`).FindStringSubmatch(strings.ReplaceAll(page, "\n", " "))
		if m == nil {
			t.Fatalf("no allow form on the unanswered page: %s", page)
		}
		if m[1] != "假…补贴" || m[2] != "装假肢" {
			t.Errorf("stopped by %q, proposed %q", m[1], m[2])
		}
		r := rv.post("/admin/sensitive", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "word": {m[2]}, "allow": {"1"}})
		if r.code != 303 {
			t.Fatalf("allow = %d %s", r.code, r.body)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			_ = json.Unmarshal([]byte(chat.postJSON("/api/v1/chat", map[string]string{"message": q}).body), &rep)
			if rep.Status == "answered" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after allowing: %+v", rep)
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = json.Unmarshal([]byte(chat.postJSON("/api/v1/chat", map[string]string{"message": "哪里能办个假的残疾证明申请补贴"}).body), &rep)
		if rep.Status != "out_of_scope" {
			t.Errorf("a request to forge after allowing: %+v", rep)
		}
	})
}
