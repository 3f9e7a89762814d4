package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/teaching"
)

// download clicks a link or button and returns the file the browser saved.
func download(t *testing.T, ctx context.Context, sel string) []byte {
	t.Helper()
	dir := t.TempDir()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.Events(dctx, cdpbrowser.DownloadProgress)
	on := true
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	step(t, ctx, "download "+sel, chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download %s: %v", sel, err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatalf("download %s cancelled", sel)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("download %s: no file", sel)
	return nil
}

// A civil servant, with scripts off, asks the library in the console and
// gets 公务员法's article with its number; a teacher builds a lesson plan
// and a practice set and downloads them as .docx, and turns a class's
// results into personal practice sets and approved peer-help pairs.
func TestBrowserLibraryAndTeaching(t *testing.T) {
	e, _, st := libraryEnv(t, libraryDB(t))
	ctx := browser(t)

	// The civil servant: no JavaScript needed.
	step(t, ctx, "scripts off", chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}))
	browserLogin(t, ctx, e, "agent", "公务员小王")
	step(t, ctx, "console", chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`.side a[href="/admin/library"]`)))
	if eval[bool](t, ctx, `!!document.querySelector('.side a[href="/admin/teaching"]')`) {
		t.Error("a civil servant is offered the teachers' assistant")
	}
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`.side a[href="/admin/library"]`)))
	step(t, ctx, "ask", chromedp.WaitVisible(chromedp.ID("q")), chromedp.SendKeys(chromedp.ID("q"), "新录用的公务员试用期多长"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("ask")))
	step(t, ctx, "answer", chromedp.WaitVisible(chromedp.ID("answer")))
	first := `document.querySelector("#answer .citation")`
	if law := eval[string](t, ctx, first+`.dataset.law`); law != "中华人民共和国公务员法" {
		t.Errorf("first citation law %q", law)
	}
	if art := eval[string](t, ctx, first+`.dataset.article`); art != "第三十四条" {
		t.Errorf("first citation article %q", art)
	}
	txt := eval[string](t, ctx, `document.getElementById("answer").innerText`)
	for _, want := range []string{"《中华人民共和国公务员法》第三十四条", "新录用的公务员试用期为一年", "现行有效"} {
		if !strings.Contains(txt, want) {
			t.Errorf("answer lacks %q: %s", want, txt)
		}
	}
	screenshot(t, ctx, "library-ask")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`#answer .citation a`)))
	waitJS(t, ctx, "at the article", `location.hash !== "" && document.querySelector(".article:target") && document.querySelector(".article:target").innerText.includes("试用期为一年")`)
	screenshot(t, ctx, "library-document")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)))

	// The teacher, in a fresh tab with scripts on.
	tctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	if err := chromedp.Do(tctx); err != nil {
		t.Fatal(err)
	}
	ctx = tctx
	browserLogin(t, ctx, e, "teacher", "李老师")
	step(t, ctx, "console", chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`.side a[href="/admin/teaching"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`.side a[href="/admin/teaching"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.ID("go-plans")))
	step(t, ctx, "plan form", chromedp.WaitVisible(chromedp.ID("subject")),
		chromedp.SendKeys(chromedp.ID("subject"), "数学"), chromedp.SendKeys(chromedp.ID("grade"), "七年级"),
		chromedp.SendKeys(chromedp.ID("topic"), "解一元一次方程"), chromedp.SendKeys(chromedp.ID("class_profile"), "学生已掌握等式的性质，移项时常忘记变号"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("make-plan")))
	step(t, ctx, "plan", chromedp.WaitVisible(chromedp.ID("sec-process")))
	if n := eval[int](t, ctx, `document.querySelectorAll(".plan-section").length`); n != 8 {
		t.Errorf("%d plan sections", n)
	}
	if !strings.Contains(eval[string](t, ctx, `document.getElementById("sources").innerText`), "《") {
		t.Error("the plan lists no sources")
	}
	screenshot(t, ctx, "teaching-plan")
	plan := docxBody(t, download(t, ctx, "#dl-plan"))
	for _, want := range []string{"解一元一次方程", "教学目标", "教学过程", "板书设计"} {
		if !strings.Contains(plan, want) {
			t.Errorf("downloaded plan lacks %q", want)
		}
	}

	// A practice set on one knowledge point, both copies.
	step(t, ctx, "bank", chromedp.Navigate(e.srv.URL+"/admin/teaching/bank"), chromedp.WaitVisible(chromedp.ID("set-form")))
	point := eval[string](t, ctx, `document.querySelector('.points input[name="points"]').value`)
	step(t, ctx, "choose", chromedp.Click(chromedp.CSS(`.points input[name="points"]`)), chromedp.SetValue(chromedp.ID("total"), "5"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("build-set")))
	step(t, ctx, "set", chromedp.WaitVisible(chromedp.ID("set")))
	if n := eval[int](t, ctx, `document.querySelectorAll("#set > li").length`); n == 0 || n > 5 {
		t.Errorf("%d questions in the set", n)
	}
	screenshot(t, ctx, "teaching-set")
	stu := docxBody(t, download(t, ctx, "#dl-student"))
	key := docxBody(t, download(t, ctx, "#dl-key"))
	if !strings.Contains(stu, "课堂练习") || strings.Contains(stu, "答案：") || !strings.Contains(stu, "姓名") {
		t.Errorf("student copy: %.300s", stu)
	}
	if !strings.Contains(key, "答案与解析") || !strings.Contains(key, "答案：") || !strings.Contains(key, point) {
		t.Errorf("answer key: %.300s", key)
	}

	// The class: heat map, pairs proposed and one approved, a personal set.
	step(t, ctx, "classes", chromedp.Navigate(e.srv.URL+"/admin/teaching/classes"), chromedp.WaitVisible(chromedp.CSS("#classes tbody a")))
	navigate(t, ctx, chromedp.Click(chromedp.CSS("#classes tbody a")))
	step(t, ctx, "heat map", chromedp.WaitVisible(chromedp.CSS("table.heat")))
	if n := eval[int](t, ctx, `document.querySelectorAll("table.heat tbody tr[data-student]").length`); n != 12 {
		t.Errorf("%d students in the heat map", n)
	}
	if eval[string](t, ctx, `getComputedStyle(document.querySelector("table.heat td.lv-weak")).backgroundColor`) == "rgba(0, 0, 0, 0)" {
		t.Error("weak cells are not coloured")
	}
	navigate(t, ctx, chromedp.Click(chromedp.ID("propose")))
	step(t, ctx, "pairs", chromedp.WaitVisible(chromedp.CSS(`#pairs tr.pair[data-status="proposed"]`)))
	id := eval[string](t, ctx, `document.querySelector('#pairs tr.pair[data-status="proposed"]').dataset.id`)
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`#pairs tr.pair[data-id="`+id+`"] button.approve`)))
	waitJS(t, ctx, "approved", `document.querySelector('#pairs tr.pair[data-id="`+id+`"]').dataset.status === "approved"`)
	screenshot(t, ctx, "teaching-class")
	pairs, err := st.Pairs(context.Background(), "七年级（1）班")
	if err != nil {
		t.Fatal(err)
	}
	approved := 0
	for _, p := range pairs {
		if p.Status == "approved" {
			approved++
			if p.DecidedBy != "teacher" {
				t.Errorf("approved by %q", p.DecidedBy)
			}
		}
	}
	if approved != 1 {
		t.Errorf("%d pairs approved", approved)
	}
	navigate(t, ctx, chromedp.Click(chromedp.CSS("table.heat a.personal")))
	step(t, ctx, "personal set", chromedp.WaitVisible(chromedp.ID("set")))
	student := eval[string](t, ctx, `document.querySelector("h1").textContent`)
	if title := eval[string](t, ctx, `document.getElementById("set-title").textContent`); !strings.HasPrefix(title, student+"的个人练习") {
		t.Errorf("personal set %q for %q", title, student)
	}
	if !strings.Contains(docxBody(t, download(t, ctx, "#dl-student")), student+"的个人练习") {
		t.Error("the personal set's .docx lacks its title")
	}
	// Mastery of the student's weakest point is below the threshold.
	ms, err := st.StudentMastery(context.Background(), "七年级（1）班", student)
	if err != nil || len(ms) == 0 || ms[0].Level >= teaching.Weak {
		t.Errorf("student %s mastery %v %v", student, ms, err)
	}
}

// An administrator uploads two files with scripts on: the upload shows
// its progress and the results replace the form's page, naming the
// scanned page that needs OCR.
func TestBrowserLibraryImport(t *testing.T) {
	e, lib, _ := libraryEnv(t, libraryDB(t))
	dir := t.TempDir()
	rule := filepath.Join(dir, "机关会议管理规定(2025-03-01).md")
	if err := os.WriteFile(rule, []byte("# 机关会议管理规定\n\n第一条 为规范会议管理，制定本规定。\n\n第二条 会议应当精简。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mixed, err := filepath.Abs("../library/testdata/mixed.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, e, "admin", "管理员")
	step(t, ctx, "import page", chromedp.Navigate(e.srv.URL+"/admin/library"), chromedp.WaitVisible(chromedp.ID("go-import")))
	navigate(t, ctx, chromedp.Click(chromedp.ID("go-import")))
	step(t, ctx, "choose files", chromedp.WaitVisible(chromedp.ID("files")),
		chromedp.SetValue(chromedp.ID("collection"), "人事制度"),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{rule, mixed}))
	eval[bool](t, ctx, `(window.samePage = true)`)
	step(t, ctx, "upload", chromedp.Click(chromedp.ID("upload")))
	waitJS(t, ctx, "results", `document.getElementById("results")`)
	if !eval[bool](t, ctx, `window.samePage === true`) {
		t.Error("the upload left the page: the script did not send it")
	}
	if eval[bool](t, ctx, `document.getElementById("upload-progress") !== null && !document.getElementById("upload-progress").hidden`) {
		t.Error("the progress bar stayed after the results came")
	}
	txt := eval[string](t, ctx, `document.getElementById("results").innerText`)
	for _, want := range []string{"成功 2 个，失败 0 个", "机关会议管理规定", "教师资格条例", "第5页是扫描图像"} {
		if !strings.Contains(txt, want) {
			t.Errorf("results lack %q: %s", want, txt)
		}
	}
	screenshot(t, ctx, "library-import")
	docs, err := lib.Documents("人事制度", library.Everyone)
	if err != nil || len(docs) != 3 {
		t.Errorf("人事制度 holds %d documents: %v", len(docs), err)
	}
}
