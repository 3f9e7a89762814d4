package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// TestNoTextFromTheURL: a page shows what ?err= and ?ok= name from the
// fixed table (or the declared refusals), never the text of the link, so
// a crafted link cannot put a sentence on the site — the public chat page
// and the console alike. A name a notice shows must carry the server's
// signature.
func TestNoTextFromTheURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	if _, err := e.auth.AddUser(t.Context(), "admin", "管理员", "admin", "admin password"); err != nil {
		t.Fatal(err)
	}
	res, ad := e.client(), e.client()
	if r := ad.login("admin", "admin password"); r.code != 303 {
		t.Fatalf("login = %d", r.code)
	}
	const planted = "本网站已停止服务请转账至"
	signed := e.s.withNotice("/admin/users", "ok", notice{code: "user.added", args: []string{"zhang"}})
	for _, c := range []struct {
		name   string
		c      *client
		path   string
		want   string // "" when nothing may show
		absent string
	}{
		{"chat: free text", res, "/?err=" + url.QueryEscape(planted), "", planted},
		{"chat: a refusal's key", res, "/?err=web.no_question", "请输入您的问题。", ""},
		{"chat: a code from the table", res, "/?err=chat.busy", serviceBusy, ""},
		{"chat: ok text", res, "/?ok=" + url.QueryEscape(planted), "", planted},
		{"catalogue: free text", res, "/items?err=" + url.QueryEscape(planted), "", planted},
		{"console: free text", ad, "/admin/users?err=" + url.QueryEscape(planted), "", planted},
		{"console: ok free text", ad, "/admin/users?ok=" + url.QueryEscape(planted), "", planted},
		{"console: unsigned name", ad, "/admin/users?ok=user.added&v=" + url.QueryEscape(planted), "", planted},
		{"console: name with a forged signature", ad, "/admin/users?ok=user.added&v=" + url.QueryEscape(planted) + "&vs=00112233445566778899aabb", "", planted},
		{"console: signed name", ad, signed, "已创建账号 zhang", ""},
		{"console: signature of another name", ad, strings.Replace(signed, "v=zhang", "v="+url.QueryEscape(planted), 1), "", planted},
		{"console: an ok code asked as err", ad, "/admin/users?err=item.draft", "", "已保存为草稿"},
	} {
		r := c.c.get(c.path)
		if r.code != 200 {
			t.Errorf("%s: %s = %d", c.name, c.path, r.code)
			continue
		}
		if c.want != "" && !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %s does not show %q", c.name, c.path, c.want)
		}
		if c.absent != "" && strings.Contains(r.body, c.absent) {
			t.Errorf("%s: %s shows %q", c.name, c.path, c.absent)
		}
	}
}

// TestNoticeTable: every notice is Simplified Chinese with at most the
// names it is given, and a code never shadows a refusal's key.
func TestNoticeTable(t *testing.T) {
	t.Parallel()
	all := map[string]string{}
	for code, format := range notices {
		all[code] = format
	}
	for code, format := range problems {
		if _, dup := all[code]; dup {
			t.Errorf("%s is both a notice and a problem", code)
		}
		all[code] = format
	}
	for code, format := range all {
		if format == "" || !strings.ContainsFunc(format, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%s: %q is not a message", code, format)
		}
		if strings.Count(format, "%") != strings.Count(format, "%s") {
			t.Errorf("%s: %q has verbs other than %%s", code, format)
		}
		if _, ok := refusal.Lookup(code); ok {
			t.Errorf("%s is also a refusal's key", code)
		}
	}
}
