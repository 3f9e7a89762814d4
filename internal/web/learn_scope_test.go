package web

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Teaching the assistant's reach from the unanswered page, on SQLite and
// PostgreSQL: an editor's "decline this" waits for review and changes
// nothing; the reviewer publishes it and the question is declined at
// once, while a neighbouring district question is still answered; a
// reviewer's "ask which of these" is live in one step and asks back with
// the items named; a bad lesson is refused with a message; agents cannot
// teach, editors cannot publish.
func TestLearnDeclineAndAsk(t *testing.T) {
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
			const pet, inScope = "楼下宠物店给狗洗澡 要办新生儿入户吗", "新生儿入户要带什么材料"
			if rep := ask(pet); rep.Status == "out_of_scope" {
				t.Fatalf("%s already declined", pet)
			}
			// A follow-up declined: a group on the page, with its form,
			// shown with the item its conversation was about.
			first := ask(inScope)
			r := resident.postJSON("/api/v1/chat", map[string]string{"message": "明天天气怎么样", "conversation_id": first.ConversationID})
			if r.code != 200 {
				t.Fatalf("follow-up = %d %s", r.code, r.body)
			}
			ed, rv, ag := e.client(), e.client(), e.client()
			ed.login("editor", "editor password")
			rv.login("reviewer", "reviewer password")
			ag.login("agent", "agent password")
			page := html.UnescapeString(ed.get("/admin/unanswered").body)
			for _, want := range []string{`<option value="decline">婉拒（非本区服务）</option>`, `<option value="ask">追问（列出候选事项）</option>`, `name="items"`,
				`追问，对话原在 <a href="/admin/items/FT-001">FT-001</a>`} {
				if !strings.Contains(page, want) {
					t.Errorf("unanswered page lacks %s", want)
				}
			}
			learn := func(c *client, f url.Values) resp {
				f.Set("csrf", c.csrf("/admin/unanswered"))
				return c.post("/admin/unanswered/learn", f)
			}
			if r := learn(ag, url.Values{"kind": {"decline"}, "phrase": {"宠物店 洗澡"}}); r.code != 403 {
				t.Errorf("agent teaching a decline = %d", r.code)
			}

			// The editor's decline waits; the question is still answered.
			r = learn(ed, url.Values{"kind": {"decline"}, "phrase": {"宠物店 洗澡"}})
			if r.code != 303 || !strings.Contains(ed.get(r.hdr.Get("Location")).body, "提交审核") {
				t.Fatalf("editor's decline = %d %s", r.code, r.hdr.Get("Location"))
			}
			if rep := ask(pet); rep.Status == "out_of_scope" {
				t.Fatal("an unreviewed decline lesson is used")
			}
			if r := ed.post("/admin/scope-lessons/1", url.Values{"csrf": {ed.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 403 {
				t.Errorf("editor publishing a decline = %d", r.code)
			}
			page = rv.get("/admin/unanswered").body
			if !strings.Contains(page, `id="learned-scope"`) || !strings.Contains(page, `action="/admin/scope-lessons/1"`) {
				t.Fatal("pending decline lesson not offered for review")
			}
			if r := rv.post("/admin/scope-lessons/1", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 303 {
				t.Fatalf("publish decline = %d", r.code)
			}
			waitUntil(t, "decline lesson used", func() bool { return ask(pet).Status == "out_of_scope" })
			if rep := ask(inScope); rep.Status != "answered" || len(rep.Citations) == 0 || rep.Citations[0].ID != "FT-001" {
				t.Errorf("%s after the decline lesson: %s %+v", inScope, rep.Status, rep.Citations)
			}
			if r := rv.post("/admin/scope-lessons/99", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "do": {"publish"}}); r.code != 404 {
				t.Errorf("unknown scope lesson = %d", r.code)
			}

			// A reviewer's ask lesson is live in one step.
			const vague = "证件的事想问问 咋弄"
			r = learn(rv, url.Values{"kind": {"ask"}, "phrase": {"证件的事想问问"}, "items": {"FT-001 FT-009"}})
			if r.code != 303 || !strings.Contains(rv.get(r.hdr.Get("Location")).body, "已生成追问（列出候选事项）并发布") {
				t.Fatalf("reviewer's ask = %d %s", r.code, r.hdr.Get("Location"))
			}
			waitUntil(t, "ask lesson used", func() bool { return ask(vague).Status == "clarify" })
			rep := ask(vague)
			for _, id := range []string{"FT-001", "FT-009"} {
				rec, _ := e.kb.Item(ctx, id)
				if !slices.Contains(rep.Suggestions, rec.Item.Name) {
					t.Errorf("asked back without %s: %q", rec.Item.Name, rep.Suggestions)
				}
			}

			// Refusals come back as messages, nothing stored.
			r = learn(rv, url.Values{"kind": {"ask"}, "phrase": {"办证"}, "items": {"FT-001"}})
			if loc := r.hdr.Get("Location"); r.code != 303 || !strings.Contains(rv.get(loc).body, "2至5个") {
				t.Errorf("ask with one item = %d %s", r.code, loc)
			}
			rec, _ := e.kb.Item(ctx, "FT-001")
			r = learn(rv, url.Values{"kind": {"decline"}, "phrase": {rec.Item.Name}})
			if loc := r.hdr.Get("Location"); r.code != 303 || !strings.Contains(rv.get(loc).body, "不能只是一个事项的名称") {
				t.Errorf("decline of an item's name = %d %s", r.code, loc)
			}
			if all, _ := e.kb.ScopeLessons(ctx, ""); len(all) != 2 || all[0].Status != kb.Published || all[1].Kind != kb.LearnAsk {
				t.Errorf("scope lessons %+v", all)
			}
			// Withdrawn, the decline no longer applies.
			if r := rv.post("/admin/scope-lessons/1", url.Values{"csrf": {rv.csrf("/admin/unanswered")}, "do": {"withdraw"}}); r.code != 303 {
				t.Fatalf("withdraw decline = %d", r.code)
			}
			waitUntil(t, "decline lesson withdrawn", func() bool { return ask(pet).Status != "out_of_scope" })
			if n := countAudit(t, e, "kb.learn"); n != 2 {
				t.Errorf("%d kb.learn audit entries, want 2", n)
			}
			if n := countAudit(t, e, "kb.scope_lesson"); n != 2 {
				t.Errorf("%d kb.scope_lesson audit entries, want 2", n)
			}
		})
	}
}
