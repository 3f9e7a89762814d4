package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// Staff expert mode: a clerk asks the resident assistant and gets the full
// item — every condition and material, the legal basis, the amounts and
// the internal notes — each cited; follow-ups keep the clerk's own thread
// only; the question is masked; residents asking the same never see the
// notes.
func TestExpertMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), nil, nil)
	ctx := context.Background()
	rec, _ := e.kb.Item(ctx, "FT-034")
	rec.Item.InternalNotes = "窗口口径：户籍迁入未满一年的，先核对迁入日期再受理"
	if _, err := e.kb.UpsertItems(ctx, []kb.Item{rec.Item}, kb.UpsertOptions{Status: kb.Published, Actor: "reviewer"}); err != nil {
		t.Fatal(err)
	}
	e.auth.AddUser(ctx, "agent", "", auth.Agent, "agent password")
	e.auth.AddUser(ctx, "teacher", "", auth.Teacher, "teacher password")
	ag, te := e.client(), e.client()
	ag.login("agent", "agent password")
	te.login("teacher", "teacher password")
	if r := te.get("/admin/expert"); r.code != 403 {
		t.Errorf("teacher's expert page = %d", r.code)
	}
	page := ag.get("/admin/expert")
	if page.code != 200 || !strings.Contains(page.body, `id="expert-form"`) || !strings.Contains(page.body, `href="/admin/expert"`) {
		t.Fatalf("expert page = %d", page.code)
	}
	ask := func(q string, extra url.Values) string {
		t.Helper()
		f := url.Values{"csrf": {ag.csrf("/admin/expert")}, "q": {q}}
		for k, v := range extra {
			f[k] = v
		}
		r := ag.post("/admin/expert", f)
		if r.code != 200 {
			t.Fatalf("%s = %d %s", q, r.code, r.body)
		}
		return html.UnescapeString(r.body)
	}
	body := ask("我电话13812345678，老人高龄津贴一个月能领多少钱", nil)
	for _, want := range []string{
		`id="item-FT-034"`, "FT-034《高龄老人津贴申领》第 2 版",
		"具有深圳市户籍 <small class=\"cite\">[FT-034·办理条件第1条]", "年满80周岁",
		"居民身份证 <small class=\"cite\">[FT-034·材料第1项]", "委托代办的提供代办人身份证",
		"《深圳经济特区养老服务条例》", "《中华人民共和国老年人权益保障法》",
		"90-99周岁每月400元", "[FT-034·发放标准]",
		"户籍迁入未满一年的，先核对迁入日期再受理", "[FT-034·内部备注，仅工作人员可见]",
		"出处：",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("expert answer lacks %q", want)
		}
	}
	if strings.Contains(body, "13812345678") {
		t.Error("the clerk's question is shown unmasked")
	}
	conv := regexp.MustCompile(`name="conversation_id" value="([^"]+)"><input type="hidden" name="token" value="([^"]+)"`).FindStringSubmatch(body)
	if conv == nil {
		t.Fatal("no conversation to continue")
	}
	// A follow-up keeps the item; the materials are the focus.
	body = ask("要带什么材料", url.Values{"conversation_id": {conv[1]}, "token": {conv[2]}})
	if !strings.Contains(body, `id="item-FT-034"`) || !strings.Contains(body, `<dt class="focus">申请材料</dt>`) {
		t.Error("the follow-up lost the item or its focus")
	}
	// A forged capability starts afresh instead of joining that thread.
	body = ask("要带什么材料", url.Values{"conversation_id": {conv[1]}, "token": {"forged"}})
	if strings.Contains(body, `name="conversation_id" value="`+conv[1]+`"`) {
		t.Error("a forged token continued the conversation")
	}
	if r := ag.post("/admin/expert", url.Values{"csrf": {ag.csrf("/admin/expert")}, "q": {"  "}}); r.code != 422 {
		t.Errorf("empty question = %d", r.code)
	}
	if n := countAudit(t, e, "assistant.expert"); n != 3 {
		t.Errorf("%d expert audit entries, want 3", n)
	}
	// The resident asking the same gets the amounts, never the notes.
	res := e.client()
	r := res.postJSON("/api/v1/chat", map[string]string{"message": "老人高龄津贴一个月能领多少钱"})
	if !strings.Contains(r.body, "400元") || strings.Contains(r.body, "迁入日期") {
		t.Errorf("resident answer: %s", r.body)
	}
	if p := res.get("/items/FT-034").body; strings.Contains(p, "迁入日期") || !strings.Contains(p, "400元") {
		t.Error("the public item page shows internal notes or lacks the amounts")
	}
}
