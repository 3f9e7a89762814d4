package web

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// 发放标准 and 内部备注 in the item editor: an editor's revision carries
// both, the reviewer sees them in the diff and publishes; residents get
// the amounts on the item page, in the API and in the assistant's answer,
// and never the internal notes.
func TestEditorBenefitAndInternalNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), nil, nil)
	ctx := context.Background()
	e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
	e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
	ed, rv := e.client(), e.client()
	ed.login("editor", "editor password")
	rv.login("reviewer", "reviewer password")

	const id, benefit, notes = "FT-064", "按用人单位上年度职工月平均工资除以30再乘以产假天数发放", "内部口径：窗口核对社保缴费满12个月，不足的请示科长"
	page := ed.get("/admin/items/" + id).body
	if !strings.Contains(page, `id="benefit"`) || !strings.Contains(page, `id="internal_notes"`) {
		t.Fatal("editor lacks the 发放标准 or 内部备注 field")
	}
	rec, _ := e.kb.Item(ctx, id)
	f := editorForm(rec.Item)
	f.Set("benefit", benefit)
	f.Set("internal_notes", notes)
	f.Set("action", "review")
	f.Set("csrf", ed.csrf("/admin/items/"+id))
	if r := ed.post("/admin/items/"+id, f); r.code != 303 {
		t.Fatalf("save = %d %s", r.code, r.body)
	}
	rev, err := e.kb.Revision(ctx, id)
	if err != nil || rev.Item.Benefit != benefit || rev.Item.InternalNotes != notes {
		t.Fatalf("revision %+v, %v", rev.Item, err)
	}
	// The reviewer's diff names both fields.
	page = html.UnescapeString(rv.get("/admin/items/" + id).body)
	for _, want := range []string{"发放标准", "内部备注（仅工作人员可见）", "产假天数", "请示科长"} {
		if !strings.Contains(page, want) {
			t.Errorf("review page lacks %s", want)
		}
	}
	if r := rv.post("/admin/items/"+id+"/revision", map[string][]string{"csrf": {rv.csrf("/admin/items/" + id)}, "do": {"publish"}, "rev": {rev.Hash}}); r.code != 303 {
		t.Fatalf("publish = %d", r.code)
	}
	if rec, _ := e.kb.Item(ctx, id); rec.Item.Benefit != benefit || rec.Item.InternalNotes != notes || rec.Pending != "" {
		t.Fatalf("published %+v", rec)
	}

	// Residents: the amounts, never the notes.
	res := e.client()
	api := res.get("/api/v1/items/" + id)
	var it kb.Item
	if err := json.Unmarshal([]byte(api.body), &it); err != nil || it.Benefit != benefit {
		t.Fatalf("api item = %d %s", api.code, api.body)
	}
	if strings.Contains(api.body, "internal_notes") || strings.Contains(api.body, "请示科长") {
		t.Error("the API shows internal notes")
	}
	if p := res.get("/items/" + id).body; strings.Contains(p, "请示科长") {
		t.Error("the item page shows internal notes")
	}
	waitUntil(t, "index follows", func() bool {
		r := res.postJSON("/api/v1/chat", map[string]string{"message": "生育津贴能领多少钱"})
		return strings.Contains(r.body, "产假天数")
	})
	for _, q := range []string{"生育津贴能领多少钱", "生育津贴怎么申领", "生育津贴有什么内部口径"} {
		r := res.postJSON("/api/v1/chat", map[string]string{"message": q})
		if strings.Contains(r.body, "请示科长") || strings.Contains(r.body, "内部口径") && !strings.Contains(q, "内部口径") {
			t.Errorf("%s: the answer shows internal notes: %s", q, r.body)
		}
		r = res.post("/chat", url.Values{"csrf": {res.csrf("/")}, "message": {q}})
		page := res.get(r.hdr.Get("Location"))
		if page.code != 200 || !strings.Contains(page.body, "生育津贴") || strings.Contains(page.body, "请示科长") {
			t.Errorf("%s: the chat page (%d) shows internal notes or no item", q, page.code)
		}
	}
}
