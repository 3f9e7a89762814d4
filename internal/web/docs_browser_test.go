package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
)

// browserLogin signs a staff member in through the login form.
func browserLogin(t *testing.T, ctx context.Context, e *env, name, display string) {
	t.Helper()
	step(t, ctx, "login "+name, chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), name), chromedp.SendKeys(chromedp.ID("password"), name+" password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	waitJS(t, ctx, "logged in as "+name, fmt.Sprintf(`document.querySelector(".who") && document.querySelector(".who").textContent.includes(%q)`, display))
}

// A staff member pastes a document with planted errors and sees them
// listed and marked; drafts a 通知 and downloads it as .docx, which reads
// back with its subject.
func TestBrowserDocs(t *testing.T) {
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	if _, err := e.auth.AddUser(context.Background(), "agent", "坐席小李", auth.Agent, "agent password"); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, e, "agent", "坐席小李")
	step(t, ctx, "docs home", chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`.side a[href="/admin/docs"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`.side a[href="/admin/docs"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.ID("go-check")))

	// 智能校核: a 发文字号 with half-width brackets and 第, and a doubled comma.
	text := "深圳市福田区政务服务和数据管理局文件\n福政数[2024]第3号\n关于做好防汛工作的通知\n区直各单位：\n　　各单位要落实防汛责任制，，做好值班值守工作。\n深圳市福田区政务服务和数据管理局\n2024年5月6日"
	step(t, ctx, "paste", chromedp.WaitVisible(chromedp.ID("text")), chromedp.SendKeys(chromedp.ID("text"), text))
	navigate(t, ctx, chromedp.Click(chromedp.ID("check")))
	step(t, ctx, "findings", chromedp.WaitVisible(chromedp.ID("findings")))
	rules := eval[[]string](t, ctx, `[...document.querySelectorAll("#findings tbody tr")].map(r => r.dataset.rule + "|" + r.querySelector(".orig").textContent + "|" + (r.querySelector(".fix .none") ? "" : r.querySelector(".fix").textContent))`)
	want := map[string]bool{"format.docnum.bracket|[|〔": false, "format.docnum.bracket|]|〕": false, "format.docnum.di|第|": false, "punct.double|，，|，": false}
	for _, r := range rules {
		if _, ok := want[r]; ok {
			want[r] = true
		}
	}
	for r, seen := range want {
		if !seen {
			t.Errorf("finding %s not shown; shown: %v", r, rules)
		}
	}
	// The mark of 第 in the document, and the way between row and mark.
	di := `[...document.querySelectorAll("#findings tbody tr")].find(r => r.dataset.rule === "format.docnum.di")`
	n := eval[string](t, ctx, di+`.id.slice(1)`)
	if got := eval[string](t, ctx, `document.getElementById("m`+n+`").nextElementSibling.textContent`); got != "第" {
		t.Errorf("mark of finding %s = %q", n, got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.getElementById("m`+n+`").nextElementSibling).backgroundColor`); got == "rgba(0, 0, 0, 0)" {
		t.Error("the mark is not highlighted")
	}
	step(t, ctx, "to the mark", chromedp.Click(chromedp.CSS(`#f`+n+` a[href="#m`+n+`"]`)))
	waitJS(t, ctx, "at the mark", `location.hash === "#m`+n+`"`)
	screenshot(t, ctx, "docs-check")
	step(t, ctx, "back to the row", chromedp.Click(chromedp.CSS(`#m`+n+` + a.mark`)))
	waitJS(t, ctx, "at the row", `location.hash === "#f`+n+`"`)

	// 公文起草: a 通知, previewed and downloaded as .docx.
	step(t, ctx, "draft page", chromedp.Navigate(e.srv.URL+"/admin/docs/draft"), chromedp.WaitVisible(chromedp.CSS(`.doc-types a[aria-current="page"]`)))
	if cur := eval[string](t, ctx, `document.querySelector('.doc-types a[aria-current="page"]').textContent`); cur != "通知" {
		t.Errorf("default type %q", cur)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".doc-types a").length`); n != 15 {
		t.Errorf("%d document types offered", n)
	}
	step(t, ctx, "fill the form",
		chromedp.SendKeys(chromedp.ID("issuer"), "深圳市福田区政务服务和数据管理局"),
		chromedp.SendKeys(chromedp.ID("doc_number"), "福政数〔2024〕3号"),
		chromedp.SendKeys(chromedp.ID("recipients"), "区直各单位、各街道办事处"),
		chromedp.SendKeys(chromedp.ID("subject"), "做好2024年防汛工作"),
		chromedp.SendKeys(chromedp.ID("points"), "各单位要落实防汛值班制度\n各街道要排查辖区内涝点"),
		chromedp.SendKeys(chromedp.ID("attachments"), "防汛值班表"),
		chromedp.SendKeys(chromedp.ID("printed_by"), "深圳市福田区政务服务和数据管理局办公室"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("draft")))
	step(t, ctx, "preview", chromedp.WaitVisible(chromedp.ID("doc")))
	title := "深圳市福田区政务服务和数据管理局关于做好2024年防汛工作的通知"
	if got := eval[string](t, ctx, `document.getElementById("doc-title").textContent`); got != title {
		t.Errorf("preview title %q", got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(".gw-mark")).color`); got != "rgb(212, 0, 0)" {
		t.Errorf("发文机关标志 colour %s", got)
	}
	screenshot(t, ctx, "docs-draft-preview")

	dir := t.TempDir()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.Events(dctx, cdpbrowser.DownloadProgress)
	on := true
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	step(t, ctx, "download .docx", chromedp.Click(chromedp.ID("dl-docx")))
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gongwen.ReadDOCX(data)
	if err != nil {
		t.Fatalf("downloaded .docx: %v", err)
	}
	body := strings.Join(src.Paragraphs, "\n")
	for _, want := range []string{title, "做好2024年防汛工作", "福政数〔2024〕3号", "区直各单位、各街道办事处：", "附件：防汛值班表"} {
		if !strings.Contains(body, want) {
			t.Errorf("downloaded .docx lacks %q", want)
		}
	}
	// The draft reads clean to the checker (its own layout, no findings
	// of format).
	if fs := gongwen.Check(src); len(fs) != 0 {
		t.Errorf("the drafted document has findings: %+v", fs)
	}

	// On a phone the results fit the screen (the table scrolls in its panel).
	step(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.srv.URL+"/admin/docs/check"), chromedp.WaitVisible(chromedp.ID("text")))
	eval[bool](t, ctx, `(document.getElementById("text").value = `+jsString(text)+`, true)`)
	navigate(t, ctx, chromedp.Click(chromedp.ID("check")))
	step(t, ctx, "phone findings", chromedp.WaitVisible(chromedp.ID("findings")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("check results scroll sideways on a phone: %d px", w)
	}
	eval[bool](t, ctx, `(document.getElementById("result").scrollIntoView(), true)`)
	viewShot(t, ctx, "docs-check-phone")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A reviewer adds a word in the lexicon page; the chat in the browser
// declines at once.
func TestBrowserLexicon(t *testing.T) {
	e := lexiconEnv(t, sqliteDB(t))
	if _, err := e.auth.AddUser(context.Background(), "reviewer", "审核员小周", auth.Reviewer, "reviewer password"); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, e, "reviewer", "审核员小周")
	step(t, ctx, "lexicon", chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`.side a[href="/admin/sensitive"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`.side a[href="/admin/sensitive"]`)))
	step(t, ctx, "add a word", chromedp.WaitVisible(chromedp.ID("new-word")), chromedp.SendKeys(chromedp.ID("new-word"), "黄牛"),
		chromedp.SetValue(chromedp.ID("new-category"), "illegal"), chromedp.SetValue(chromedp.ID("new-action"), "block"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("add")))
	waitJS(t, ctx, "saved", `document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("已添加敏感词“黄牛”")`)
	if !eval[bool](t, ctx, `!!document.querySelector('tr[data-word="黄牛"]')`) {
		t.Error("the new word is not listed")
	}
	screenshot(t, ctx, "console-lexicon")
	step(t, ctx, "chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.SendKeys(chromedp.ID("message"), "新生儿入户登记可以找黄牛代办吗"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, ctx, "answer", `document.querySelector("#t1 .answer") && !document.querySelector(".msg.streaming")`)
	if txt := eval[string](t, ctx, `document.querySelector("#t1 .answer").innerText`); !strings.Contains(txt, "违法违规") {
		t.Errorf("chat after adding the word: %q", txt)
	}
}
