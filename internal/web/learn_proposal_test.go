package web

import (
	"context"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// The one-action form proposes the gist of a long, spoken question as the
// lesson's question — editable, the original shown beside it — on SQLite
// and PostgreSQL.
func TestLearnProposal(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, d, testMigrations...), nil, nil)
			const q = "喂 你好 听得到吗 就是 我想问一下 那个 娃落地了咋整"
			r, rep, err := askAsResident(e, q)
			if err != nil {
				t.Fatalf("chat = %d %s", r.code, r.body)
			}
			page, p, ok := proposalOnPage(e)
			if !ok {
				t.Fatalf("no lesson form for %q (reply %s): %s", q, rep.Status, page)
			}
			if p == q || !strings.Contains(p, "落地") || strings.ContainsAny(p, "喂") || strings.Contains(p, "你好") || strings.Contains(p, "听得到") {
				t.Errorf("proposed question %q for %q", p, q)
			}
			if !strings.Contains(page, "原话："+q) {
				t.Error("the original wording is not shown beside the proposal")
			}
		})
	}
}

// A question declined as another place's is proposed whole, talk aside,
// place and all, so that a reviewer who judges it the district's teaches
// that wording and not the other place's questions about the service; on
// SQLite and PostgreSQL.
func TestLearnProposalKeepsThePlace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, testMigrations, func(t *testing.T, db *store.DB) {
		e := lexiconEnv(t, db)
		const q = "呃 现在人在东莞 居住证签注能网上弄吗"
		r, rep, err := askAsResident(e, q)
		if err != nil || rep.Status != "out_of_scope" {
			t.Fatalf("chat = %d %s, want declined as another place's", r.code, r.body)
		}
		page, p, ok := proposalOnPage(e)
		if !ok {
			t.Fatalf("no lesson form for %q: %s", q, page)
		}
		if want := "现在人在东莞 居住证签注能网上弄吗"; p != want {
			t.Errorf("proposed question %q for %q, want it whole, talk aside: %q", p, q, want)
		}
	})
}

// askAsResident sends q to the chat API as a resident and decodes the
// reply.
func askAsResident(e *env, q string) (resp, apiReply, error) {
	r := e.client().postJSON("/api/v1/chat", map[string]string{"message": q})
	var rep apiReply
	err := json.Unmarshal([]byte(r.body), &rep)
	return r, rep, err
}

// proposalOnPage reads /admin/unanswered as a new editor: the page, and
// the question its first lesson form proposes (ok false without one).
func proposalOnPage(e *env) (page, phrase string, ok bool) {
	e.auth.AddUser(context.Background(), "editor", "", auth.Editor, "editor password")
	ed := e.client()
	ed.login("editor", "editor password")
	page = html.UnescapeString(ed.get("/admin/unanswered").body)
	m := proposalForm.FindStringSubmatch(page)
	if m == nil {
		return page, "", false
	}
	return page, m[1], true
}

// proposalForm is a lesson form's proposed question.
var proposalForm = regexp.MustCompile(`name="phrase" value="([^"]*)"`)
