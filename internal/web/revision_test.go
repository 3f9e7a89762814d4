package web

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// The console's revision steps: save as a draft, submit, return, discard;
// a stale or since-changed revision is not published; an upload revises
// published items instead of taking them out of service.
func TestRevisionConsole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	ctx := context.Background()
	e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password")
	e.auth.AddUser(ctx, "reviewer", "", auth.Reviewer, "reviewer password")
	ed, rv := e.client(), e.client()
	ed.login("editor", "editor password")
	rv.login("reviewer", "reviewer password")
	rec, _ := e.kb.Item(ctx, "FT-002")
	tok := ed.csrf("/admin/items/FT-002")

	save := func(c *client, fee, action string) resp {
		t.Helper()
		f := editorForm(rec.Item)
		f.Set("csrf", c.csrf("/admin/items/FT-002"))
		f.Set("fee", fee)
		f.Set("action", action)
		return c.post("/admin/items/FT-002", f)
	}
	// Saving the published text unchanged is refused with a reason.
	if r := save(ed, rec.Item.Fee, "draft"); r.code != 422 || !strings.Contains(r.body, "修订内容与已发布版本相同") {
		t.Errorf("unchanged revision = %d", r.code)
	}
	// A draft revision: the editor sees it again, with the diff.
	r := save(ed, "修订一", "draft")
	if r.code != 303 || !strings.Contains(ed.get(r.hdr.Get("Location")).body, "修订已保存为草稿") {
		t.Fatalf("draft revision = %d %s", r.code, r.hdr.Get("Location"))
	}
	page := ed.get("/admin/items/FT-002").body
	for _, want := range []string{`value="修订一"`, "修订草稿", `id="rev-submit"`, `id="rev-discard"`, "保存修订并提交审核"} {
		if !strings.Contains(page, want) {
			t.Errorf("editor page with a draft revision lacks %s", want)
		}
	}
	if strings.Contains(page, `id="rev-publish"`) || strings.Contains(page, `id="save-publish"`) {
		t.Error("editor offered publishing")
	}
	if r := ed.post("/admin/items/FT-002/revision", url.Values{"csrf": {tok}, "do": {"submit"}}); r.code != 303 {
		t.Fatalf("submit = %d", r.code)
	}
	// The reviewer returns it; the editor discards it.
	if r := rv.post("/admin/items/FT-002/revision", url.Values{"csrf": {rv.csrf("/admin/items/FT-002")}, "do": {"return"}, "note": {"依据不足"}}); r.code != 303 {
		t.Fatalf("return = %d", r.code)
	}
	if rec, _ := e.kb.Item(ctx, "FT-002"); rec.Pending != kb.Draft {
		t.Fatalf("after return: pending %q", rec.Pending)
	}
	if r := ed.post("/admin/items/FT-002/revision", url.Values{"csrf": {tok}, "do": {"discard"}}); r.code != 303 {
		t.Fatalf("discard = %d", r.code)
	}
	if rec, _ := e.kb.Item(ctx, "FT-002"); rec.Pending != "" || rec.Item.Fee == "修订一" {
		t.Fatalf("after discard: %+v", rec)
	}
	if r := ed.post("/admin/items/FT-002/revision", url.Values{"csrf": {tok}, "do": {"discard"}}); r.code != 303 ||
		!strings.Contains(html.UnescapeString(ed.get(r.hdr.Get("Location")).body), "没有待处理的修订") {
		t.Errorf("discarding nothing = %d", r.code)
	}
	if r := ed.post("/admin/items/NO-SUCH/revision", url.Values{"csrf": {tok}, "do": {"discard"}}); r.code != 404 {
		t.Errorf("revision of an unknown item = %d", r.code)
	}

	// The reviewer looked at one version; the editor saved another since.
	save(ed, "修订二", "review")
	seen, _ := e.kb.Revision(ctx, "FT-002")
	save(ed, "修订三", "review")
	rtok := rv.csrf("/admin/items/FT-002")
	r = rv.post("/admin/items/FT-002/revision", url.Values{"csrf": {rtok}, "do": {"publish"}, "rev": {seen.Hash}})
	if r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "err=") {
		t.Fatalf("publishing an unseen revision = %d %s", r.code, r.hdr.Get("Location"))
	}
	if p := rv.get(r.hdr.Get("Location")).body; !strings.Contains(p, "修订在您查看之后又被修改") {
		t.Error("no explanation for the refused publish")
	}
	// An import changes the published version: the revision is stale.
	imported := rec.Item
	imported.Contact = "0755-99999999"
	if _, err := e.kb.UpsertItems(ctx, []kb.Item{imported}, kb.UpsertOptions{Actor: "import"}); err != nil {
		t.Fatal(err)
	}
	page = rv.get("/admin/items/FT-002").body
	if !strings.Contains(page, `id="stale"`) {
		t.Error("stale revision not explained")
	}
	if !strings.Contains(page, "0755-<del>99999999</del>") {
		t.Errorf("the diff does not show the imported change: %s", page[strings.Index(page, `id="diff"`):][:800])
	}
	cur, _ := e.kb.Revision(ctx, "FT-002")
	r = rv.post("/admin/items/FT-002/revision", url.Values{"csrf": {rtok}, "do": {"publish"}, "rev": {cur.Hash}})
	if p := rv.get(r.hdr.Get("Location")).body; !strings.Contains(p, "已发布版本在该修订创建之后又有变更") {
		t.Error("stale revision published or not explained")
	}
	// The reviewer saves it again from the current version and publishes
	// in one step.
	rec, _ = e.kb.Item(ctx, "FT-002")
	r = save(rv, "修订三", "publish")
	if r.code != 303 || strings.Contains(r.hdr.Get("Location"), "err=") {
		t.Fatalf("save and publish = %d %s", r.code, r.hdr.Get("Location"))
	}
	if rec, _ := e.kb.Item(ctx, "FT-002"); rec.Item.Fee != "修订三" || rec.Item.Contact != "0755-99999999" || rec.Pending != "" || rec.PublishedBy != "reviewer" {
		t.Fatalf("after save and publish: %+v", rec)
	}

	// A review upload of a published item waits as its revision.
	utok := ed.csrf("/admin/upload")
	r = upload(ed, utok, "items.jsonl", `{"id":"FT-003","name":"上传改名的事项","theme":"户籍"}`+"\n", "review")
	if r.code != 200 || !strings.Contains(r.body, `id="revised"`) {
		t.Fatalf("upload = %d %s", r.code, r.body)
	}
	if rec, _ := e.kb.Item(ctx, "FT-003"); rec.Status != kb.Published || rec.Item.Name == "上传改名的事项" || rec.Pending != kb.Review {
		t.Fatalf("uploaded published item: %+v", rec)
	}
	// Withdrawn with its revision pending: kept, not publishable, discardable.
	if err := e.kb.SetStatus(ctx, "FT-003", kb.Withdrawn, "reviewer", ""); err != nil {
		t.Fatal(err)
	}
	page = rv.get("/admin/items/FT-003").body
	if !strings.Contains(page, "这份修订不能发布") || strings.Contains(page, `id="rev-publish"`) || strings.Contains(page, "已发布版本在用") {
		t.Error("withdrawn item's revision offered for publishing")
	}
}
