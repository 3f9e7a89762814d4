package web

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Learning from use, on SQLite and PostgreSQL: a question the assistant
// declined shows up (masked) among the unanswered; an editor turns it into
// a synonym with one action, which waits for review; the reviewer
// publishes it and the same question is answered at once. A reviewer's
// FAQ is live in one step. Staff without EditKnowledge cannot.
func TestLearnFromUnanswered(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, d, testMigrations...), nil, nil)
			ctx := context.Background()
			e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
			e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
			e.auth.AddUser(ctx, "agent", "", auth.Agent, "agent password")
			resident := e.client()
			ask := func(q string) apiReply {
				t.Helper()
				r := resident.postJSON("/api/v1/chat", map[string]string{"message": q})
				var rep apiReply
				if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
					t.Fatalf("chat %q = %d %s", q, r.code, r.body)
				}
				return rep
			}
			const q = "娃落地了咋整"
			if rep := ask(q); rep.Status == "answered" && len(rep.Citations) > 0 && rep.Citations[0].ID == "FT-001" {
				t.Fatalf("%s already answered with FT-001", q)
			}
			ask("我手机13812345678，娃落地了咋整")

			ed, rv, ag := e.client(), e.client(), e.client()
			ed.login("editor", "editor password")
			rv.login("reviewer", "reviewer password")
			ag.login("agent", "agent password")
			page := html.UnescapeString(ed.get("/admin/unanswered").body)
			if !strings.Contains(page, q) || !strings.Contains(page, `action="/admin/unanswered/learn"`) {
				t.Fatalf("unanswered page lacks the question or the action: %s", page)
			}
			if strings.Contains(page, "13812345678") {
				t.Error("unanswered page shows an unmasked phone number")
			}
			if p := ag.get("/admin/unanswered").body; strings.Contains(p, `action="/admin/unanswered/learn"`) {
				t.Error("an agent is offered the learning action")
			}
			learn := func(c *client, f url.Values) resp {
				f.Set("csrf", c.csrf("/admin/unanswered"))
				return c.post("/admin/unanswered/learn", f)
			}
			if r := learn(ag, url.Values{"kind": {"synonym"}, "phrase": {"娃落地"}, "terms": {"新生儿 入户"}}); r.code != 403 {
				t.Errorf("agent learning = %d", r.code)
			}

			// The editor's synonym waits for review; the index does not use it.
			r := learn(ed, url.Values{"kind": {"synonym"}, "phrase": {"娃落地"}, "terms": {"新生儿 入户"}, "from": {"2026-11-01"}})
			if r.code != 303 || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/unanswered?from=2026-11-01") ||
				!strings.Contains(ed.get(r.hdr.Get("Location")).body, "提交审核") {
				t.Fatalf("editor's synonym = %d %s", r.code, r.hdr.Get("Location"))
			}
			syns, _ := e.kb.Synonyms(ctx, "")
			if len(syns) != 1 || syns[0].Status != kb.Review || syns[0].CreatedBy != "editor" {
				t.Fatalf("synonyms %+v", syns)
			}
			if rep := ask(q); len(rep.Citations) > 0 && rep.Citations[0].ID == "FT-001" && rep.Status == "answered" {
				t.Fatal("an unreviewed synonym is used")
			}
			if r := ed.post("/admin/synonyms/1", url.Values{"csrf": {ed.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 403 {
				t.Errorf("editor publishing a synonym = %d", r.code)
			}
			// The reviewer publishes it from the same page; the next
			// question is answered with the item.
			page = rv.get("/admin/unanswered").body
			if !strings.Contains(page, `id="learned-synonyms"`) || !strings.Contains(page, `action="/admin/synonyms/1"`) {
				t.Fatal("pending synonym not offered for review")
			}
			if r := rv.post("/admin/synonyms/1", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 303 {
				t.Fatalf("publish synonym = %d", r.code)
			}
			waitUntil(t, "synonym used", func() bool {
				rep := ask(q)
				return rep.Status == "answered" && len(rep.Citations) > 0 && rep.Citations[0].ID == "FT-001"
			})
			if r := rv.post("/admin/synonyms/99", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 404 {
				t.Errorf("unknown synonym = %d", r.code)
			}

			// A reviewer's FAQ on the item is live in one step.
			r = learn(rv, url.Values{"kind": {"faq"}, "item_id": {"FT-001"}, "phrase": {"娃落地几天内要报户口"},
				"answer": {"出生后一个月内办理为宜。"}})
			if r.code != 303 || !strings.Contains(rv.get(r.hdr.Get("Location")).body, "已生成问答并发布") {
				t.Fatalf("reviewer's faq = %d %s", r.code, r.hdr.Get("Location"))
			}
			waitUntil(t, "faq indexed", func() bool {
				it, ok := e.s.cfg.Search.(*search.Index).Item("FT-001")
				return ok && slices.ContainsFunc(it.FAQ, func(f kb.FAQ) bool { return f.Q == "娃落地几天内要报户口" })
			})
			// An alias by the editor becomes the item's pending revision.
			if r := learn(ed, url.Values{"kind": {"alias"}, "item_id": {"FT-001"}, "phrase": {"报娃户口"}}); r.code != 303 {
				t.Fatalf("editor's alias = %d", r.code)
			}
			if rec, _ := e.kb.Item(ctx, "FT-001"); rec.Pending != kb.Review || slices.Contains(rec.Item.Aliases, "报娃户口") {
				t.Errorf("editor's alias: %+v", rec)
			}
			// Refusals come back as messages, nothing stored.
			r = learn(ed, url.Values{"kind": {"faq"}, "item_id": {"NO-SUCH"}, "phrase": {"问"}, "answer": {"答"}})
			if loc := r.hdr.Get("Location"); r.code != 303 || !strings.Contains(loc, "err=") ||
				!strings.Contains(ed.get(loc).body, "事项不存在") {
				t.Errorf("faq for an unknown item = %d %s", r.code, loc)
			}
			r = learn(ed, url.Values{"kind": {"synonym"}, "phrase": {"娃落地"}})
			if loc := r.hdr.Get("Location"); !strings.Contains(ed.get(loc).body, "目录用语") {
				t.Errorf("synonym without terms = %s", loc)
			}
			// Every step is in the audit log.
			if n := countAudit(t, e, "kb.learn"); n != 3 {
				t.Errorf("%d kb.learn audit entries, want 3", n)
			}
		})
	}
}

// waitUntil polls cond (the index follows changes asynchronously) until
// it holds or 10 s pass.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func countAudit(t *testing.T, e *env, action string) int {
	t.Helper()
	_, n, err := e.log.List(context.Background(), audit.Filter{Action: action}, audit.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
