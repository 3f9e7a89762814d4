package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/browsertest"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// browser starts headless Chromium for one test (see browsertest.Start).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t)
}

// step runs actions with a time limit, failing the test on error.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs actions that load a page (a click on a link or a submit
// button) and waits for the load, with a time limit.
func navigate(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(c, actions...); err != nil {
		t.Fatalf("navigate: %v", err)
	}
}

// eval runs JavaScript and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript condition until it holds. A page that is
// navigating (the chat going to /video) cannot evaluate for a moment:
// that is "not yet", not a failure (TestBrowserVideoCall failed once with
// "Inspected target navigated or closed" in a clean-clone CI).
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool]("!!("+js+")", chromedp.EvalAwaitPromise))
		cancel()
		if err != nil && !navigating(err) {
			t.Fatalf("eval %s: %v", js, err)
		}
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			body := eval[string](t, ctx, "document.body.innerText.slice(0, 1500)")
			t.Fatalf("timed out waiting for %s (%s); page:\n%s", what, js, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// navigating reports an evaluation lost to a page being replaced.
func navigating(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Cannot find context with specified id")
}

// screenshot saves a full-page PNG under test-artifacts/ at the module root.
func screenshot(t *testing.T, ctx context.Context, name string) {
	shoot(t, ctx, name, chromedp.FullScreenshot(100))
}

// viewShot saves what the viewport shows (a phone screen).
func viewShot(t *testing.T, ctx context.Context, name string) {
	shoot(t, ctx, name, chromedp.CaptureScreenshot())
}

func shoot(t *testing.T, ctx context.Context, name string, shot chromedp.Action[[]byte]) {
	t.Helper()
	dir := filepath.Join("..", "..", "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// slowStream delays each streamed piece, so the test can see the answer
// arrive piece by piece in the page.
type slowStream struct {
	assistant.Service
	delay time.Duration
}

func (s slowStream) Stream(ctx context.Context, req assistant.Request, onDelta func(string)) (assistant.Reply, error) {
	return s.Service.Stream(ctx, req, func(d string) {
		time.Sleep(s.delay)
		onDelta(d)
	})
}

// realEnv serves the real assistant over the demo catalogue.
func realEnv(t *testing.T, delay time.Duration) *env {
	t.Helper()
	db := sqliteDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	svc := realAssistant(ctx, t, kbs, ix)
	return newEnv(t, db, slowStream{svc, delay}, func(c *Config) { c.Search = ix })
}

func TestBrowserChat(t *testing.T) {
	e := realEnv(t, 15*time.Millisecond)
	ctx := browser(t)
	step(t, ctx, "open chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
	// No transcription endpoint: no voice button, though Chromium has its
	// own speech recognition (which would send the audio to Google).
	if eval[bool](t, ctx, `!!document.getElementById("voice")`) {
		t.Error("voice button shown without a transcription endpoint")
	}

	// Turn 1: streamed, then replaced by the server-rendered turn.
	step(t, ctx, "ask", chromedp.SendKeys(chromedp.ID("message"), "生了孩子怎么上户口"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, ctx, "streamed text", `(() => { const a = document.querySelector(".msg.streaming .answer"); return a && a.textContent.length > 0; })()`)
	waitJS(t, ctx, "turn 1 rendered", `document.querySelector("#t1 details.card")`)
	if eval[bool](t, ctx, `!!document.querySelector(".msg.streaming")`) {
		t.Error("streaming bubble left behind")
	}
	card := `document.querySelector("#t1 details.card")`
	if name := eval[string](t, ctx, card+`.querySelector(".card-name").textContent`); name != "新生儿入户登记" {
		t.Errorf("citation card = %q", name)
	}
	step(t, ctx, "expand card", chromedp.Click(chromedp.CSS("#t1 details.card summary")))
	waitJS(t, ctx, "card open", card+`.open`)
	body := eval[string](t, ctx, card+`.innerText`)
	for _, want := range []string{"办理条件", "申请材料", "出生医学证明", "原件", "办理流程", "办理时限", "收费标准"} {
		if !strings.Contains(body, want) {
			t.Errorf("open card lacks %q", want)
		}
	}
	if href := eval[string](t, ctx, `(document.querySelector("#t1 a.online")||{}).href||""`); href != "https://fuwu.example/guide/FT-001" {
		t.Errorf("在线办理 link = %q", href)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#t1 .hall a.appt").length`); n == 0 {
		t.Error("no 预约 button on the halls")
	}
	conv := eval[string](t, ctx, `document.getElementById("conversation_id").value`)
	if conv == "" || !strings.Contains(eval[string](t, ctx, "location.search"), conv) {
		t.Errorf("conversation id %q not kept in the page", conv)
	}

	// Turn 2: a follow-up in the same conversation.
	step(t, ctx, "follow up", chromedp.SendKeys(chromedp.ID("message"), "那要带什么材料"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, ctx, "turn 2 rendered", `document.querySelector("#t2 .answer")`)
	if txt := eval[string](t, ctx, `document.querySelector("#t2 .answer").innerText`); !strings.Contains(txt, "出生医学证明") {
		t.Errorf("follow-up answer = %q", txt)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".chips .chip.human").length`); n != 1 {
		t.Errorf("%d 转人工 chips; want one, on the latest turn", n)
	}
	screenshot(t, ctx, "chat-desktop")

	// 好差评 on turn 2.
	step(t, ctx, "rate", chromedp.Click(chromedp.CSS(`#t2 .feedback button[value="4"]`)))
	waitJS(t, ctx, "rating acknowledged", `document.querySelector("#t2 .rated")`)
	c, err := e.conv.Conversation(context.Background(), conv)
	if err != nil || len(c.Turns) != 2 || c.Turns[1].Feedback != 4 {
		t.Errorf("rating not stored: %+v %v", c, err)
	}

	// Phone width.
	step(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.srv.URL+"/?c="+conv), chromedp.WaitVisible(chromedp.ID("message")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("phone layout scrolls sideways: %d px wide", w)
	}
	screenshot(t, ctx, "chat-phone-full")
	eval[bool](t, ctx, `(document.getElementById("t2").scrollIntoView(), true)`)
	viewShot(t, ctx, "chat-phone")
	// Large text, high contrast (适老化).
	step(t, ctx, "large text", chromedp.Click(chromedp.ID("large-toggle")), chromedp.WaitVisible(chromedp.CSS("html.large")))
	if fs := eval[string](t, ctx, `getComputedStyle(document.body).fontSize`); fs != "21px" {
		t.Errorf("large mode font size %s", fs)
	}
	eval[bool](t, ctx, `(document.getElementById("t1").scrollIntoView(), true)`)
	viewShot(t, ctx, "chat-phone-large")
	// The catalogue on the phone, large text still on.
	step(t, ctx, "catalogue", chromedp.Navigate(e.srv.URL+"/items?theme="+url.QueryEscape("户籍")), chromedp.WaitVisible(chromedp.CSS(".itemlist")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("catalogue scrolls sideways on a phone: %d px", w)
	}
	viewShot(t, ctx, "items-phone")
	step(t, ctx, "guide", chromedp.Navigate(e.srv.URL+"/items/FT-001"), chromedp.WaitVisible(chromedp.CSS("article.guide")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("guide scrolls sideways on a phone: %d px", w)
	}
}

func TestBrowserClarifyChip(t *testing.T) {
	e := realEnv(t, 0)
	ctx := browser(t)
	step(t, ctx, "open chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
	step(t, ctx, "vague question", chromedp.SendKeys(chromedp.ID("message"), "公积金的事"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, ctx, "clarify turn", `document.querySelector("#t1 .msg.bot.status-clarify")`)
	chips := eval[[]string](t, ctx, `[...document.querySelectorAll("#t1 .chips .chip:not(.human)")].map(b => b.textContent)`)
	if len(chips) < 2 {
		t.Fatalf("clarify offered %v", chips)
	}
	step(t, ctx, "choose", chromedp.Click(chromedp.CSS(`#t1 .chips form:first-child .chip`)))
	waitJS(t, ctx, "answer to the choice", `document.querySelector("#t2 details.card")`)
	got := eval[string](t, ctx, `document.querySelector("#t2 .card-name").textContent`)
	if got != chips[0] {
		t.Errorf("chose %q, answered about %q", chips[0], got)
	}
	if eval[bool](t, ctx, `!!document.querySelector("#t1 .chips")`) {
		t.Error("old chips still offered")
	}
}

// With scripts off the page is a plain form.
func TestBrowserWithoutJavaScript(t *testing.T) {
	e := realEnv(t, 0)
	ctx := browser(t)
	step(t, ctx, "scripts off", chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}))
	step(t, ctx, "open", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
	navigate(t, ctx, chromedp.SendKeys(chromedp.ID("message"), "居住证怎么续签"), chromedp.Click(chromedp.ID("send")))
	step(t, ctx, "answer page", chromedp.WaitVisible(chromedp.CSS("#t1 .answer")))
	if !strings.Contains(eval[string](t, ctx, `location.search`), "c=") {
		t.Error("no conversation in the address after the form post")
	}
	if txt := eval[string](t, ctx, `document.querySelector("#t1 .answer").innerText`); !strings.Contains(txt, "居住证") {
		t.Errorf("answer = %q", txt)
	}
}

func TestBrowserConsole(t *testing.T) {
	e := realEnv(t, 0)
	bg := context.Background()
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"admin", auth.Admin}, {"editor", auth.Editor}, {"reviewer", auth.Reviewer}} {
		if _, err := e.auth.AddUser(bg, u.name, u.name+"姓名", u.role, u.name+" password"); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browser(t)
	login := func(name string) {
		t.Helper()
		step(t, ctx, "login "+name, chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), name), chromedp.SendKeys(chromedp.ID("password"), name+" password"))
		navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
		waitJS(t, ctx, "logged in as "+name, fmt.Sprintf(`document.querySelector(".who") && document.querySelector(".who").textContent.includes(%q)`, name+"姓名"))
	}
	logout := func() {
		t.Helper()
		navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)))
	}

	// An editor edits and submits; the admin page is refused.
	login("editor")
	step(t, ctx, "editor opens users", chromedp.Navigate(e.srv.URL+"/admin/users"))
	if txt := eval[string](t, ctx, "document.body.innerText"); !strings.Contains(txt, "无权访问") {
		t.Errorf("editor saw /admin/users: %.200s", txt)
	}
	if eval[bool](t, ctx, `!!document.querySelector('.side a[href="/admin/users"]')`) {
		t.Error("editor is shown the accounts link")
	}
	// A post without the CSRF token is refused, even with the session.
	if code := eval[int](t, ctx, `fetch("/admin/items/FT-001/status", {method: "POST", body: new URLSearchParams({to: "review"})}).then(r => r.status)`); code != 403 {
		t.Errorf("CSRF-less post = %d", code)
	}
	step(t, ctx, "edit FT-001", chromedp.Navigate(e.srv.URL+"/admin/items/FT-001"), chromedp.WaitVisible(chromedp.ID("fee")))
	if !eval[bool](t, ctx, `document.getElementById("revising").textContent.includes("已发布版本在用，修改将作为待审核修订")`) {
		t.Error("editor of a published item does not say edits become a revision")
	}
	oldFee := eval[string](t, ctx, `document.getElementById("fee").value`)
	step(t, ctx, "change fee", chromedp.Clear(chromedp.ID("fee")), chromedp.SendKeys(chromedp.ID("fee"), "不收费，工本费已于2026年取消"))
	if eval[bool](t, ctx, `!!document.getElementById("save-publish")`) {
		t.Error("editor offered 保存并发布")
	}
	navigate(t, ctx, chromedp.Click(chromedp.ID("save-review")))
	waitJS(t, ctx, "saved", `document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("提交审核")`)
	if rec, _ := e.kb.Item(bg, "FT-001"); rec.Status != kb.Published || rec.Item.Fee != oldFee || rec.Pending != kb.Review {
		t.Fatalf("after submit: %s %q pending %q", rec.Status, rec.Item.Fee, rec.Pending)
	}
	logout()

	// The chat still answers from the published text.
	// (The page carries the conversation on; the answer is the last turn.)
	ask := func(what string) string {
		t.Helper()
		step(t, ctx, "chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
		n := eval[int](t, ctx, `document.querySelectorAll(".turn[data-turn]").length`)
		step(t, ctx, "ask", chromedp.SendKeys(chromedp.ID("message"), "新生儿入户登记要收费吗"), chromedp.Click(chromedp.ID("send")))
		waitJS(t, ctx, "answer "+what, fmt.Sprintf(`document.querySelectorAll(".turn[data-turn] .answer").length > %d && !document.querySelector(".msg.streaming")`, n))
		return eval[string](t, ctx, `[...document.querySelectorAll(".turn[data-turn]")].pop().innerText`)
	}
	if txt := ask("before review"); strings.Contains(txt, "工本费已于2026年取消") || !strings.Contains(txt, oldFee) {
		t.Errorf("chat before review: %q", txt)
	}

	// The reviewer sees what changed and publishes the revision.
	login("reviewer")
	step(t, ctx, "review", chromedp.Navigate(e.srv.URL+"/admin/items?status=pending"), chromedp.WaitVisible(chromedp.CSS(`a.pending[href="/admin/items/FT-001#revision"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a.pending[href="/admin/items/FT-001#revision"]`)))
	step(t, ctx, "revision panel", chromedp.WaitVisible(chromedp.ID("rev-publish")))
	if got := eval[string](t, ctx, `document.querySelector("#diff td.new ins").textContent`); got != "，工本费已于2026年取消" {
		t.Errorf("diff marks %q as inserted", got)
	}
	screenshot(t, ctx, "console-revision-review")
	navigate(t, ctx, chromedp.Click(chromedp.ID("rev-publish")))
	waitJS(t, ctx, "published", `document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("修订已发布")`)
	logout()

	// The chat answers from the new text, without a restart.
	if txt := ask("after publishing"); !strings.Contains(txt, "工本费已于2026年取消") {
		t.Errorf("chat does not show the published change: %q", txt)
	}

	// The admin's dashboard, with some rated conversations.
	c := e.client()
	for i, q := range []string{"生了孩子怎么上户口", "居住证怎么办", "帮我写首诗", "公积金怎么提取", "社保卡丢了怎么补", "帮我写一首诗吧", "高龄津贴怎么领"} {
		r := c.postJSON("/api/v1/chat", map[string]string{"message": q})
		var rep apiReply
		_ = json.Unmarshal([]byte(r.body), &rep)
		c.postJSON("/api/v1/feedback", map[string]any{"conversation_id": rep.ConversationID, "turn_id": rep.TurnID, "score": []int{5, 4, 1, 3, 5, 2, 5}[i]})
	}
	login("admin")
	step(t, ctx, "dashboard", chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(".stats")))
	screenshot(t, ctx, "console-dashboard")
	step(t, ctx, "editor page", chromedp.Navigate(e.srv.URL+"/admin/items/FT-001"), chromedp.WaitVisible(chromedp.ID("fee")))
	screenshot(t, ctx, "console-item-editor")
}

// A resident asks for a person; an agent answers from the queue; the
// resident sees the answer.
func TestBrowserHandoff(t *testing.T) {
	e := realEnv(t, 0)
	bg := context.Background()
	if _, err := e.auth.AddUser(bg, "agent", "坐席小王", auth.Agent, "agent password"); err != nil {
		t.Fatal(err)
	}
	// Some rated answers for the statistics.
	c := e.client()
	for i, q := range []string{"生了孩子怎么上户口", "居住证怎么办", "帮我写首诗", "公积金怎么提取", "社保卡丢了怎么补"} {
		r := c.postJSON("/api/v1/chat", map[string]string{"message": q})
		var rep apiReply
		_ = json.Unmarshal([]byte(r.body), &rep)
		c.postJSON("/api/v1/feedback", map[string]any{"conversation_id": rep.ConversationID, "turn_id": rep.TurnID, "score": []int{5, 4, 1, 3, 5}[i]})
	}
	ctx := browser(t)
	step(t, ctx, "open chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.SendKeys(chromedp.ID("message"), "新生儿入户需要什么材料"), chromedp.Click(chromedp.ID("send")))
	waitJS(t, ctx, "answer", `document.querySelector(".turn .chips .chip.human")`)
	// Scrolled to the end first: the sticky question box may cover a chip
	// in the middle of the screen, as it would for a person.
	eval[bool](t, ctx, `(window.scrollTo(0, document.body.scrollHeight), true)`)
	step(t, ctx, "转人工", chromedp.Click(chromedp.CSS(".turn .chips .chip.human")))
	waitJS(t, ctx, "handoff turn", `document.querySelector(".turn .msg.bot.status-handoff")`)
	conv := eval[string](t, ctx, `document.getElementById("conversation_id").value`)
	q, _, err := e.s.cfg.Convo.Queue(bg, convo.Page{})
	if err != nil || len(q) != 1 || q[0].ConversationID != conv {
		t.Fatalf("queue = %+v %v", q, err)
	}
	if !eval[bool](t, ctx, `!!document.getElementById("handoff-wait")`) {
		t.Error("no 'waiting for a person' note after 转人工")
	}
	// The agent works in another tab; the resident's page stays open.
	res := ctx
	ctx, cancelTab := chromedp.NewContext(res)
	defer cancelTab()
	if err := chromedp.Do(ctx); err != nil { // open the tab without a deadline: a deadline would close it
		t.Fatal(err)
	}
	step(t, ctx, "agent login", chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "agent"), chromedp.SendKeys(chromedp.ID("password"), "agent password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	step(t, ctx, "queue", chromedp.Navigate(e.srv.URL+"/admin/handoffs"), chromedp.WaitVisible(chromedp.CSS("tbody a")))
	navigate(t, ctx, chromedp.Click(chromedp.CSS("tbody a")))
	step(t, ctx, "reply", chromedp.WaitVisible(chromedp.ID("body")), chromedp.SendKeys(chromedp.ID("body"), "您好，我是坐席小王。请携带出生医学证明和父母户口簿到福田区政务服务中心办理。"))
	if txt := eval[string](t, ctx, "document.body.innerText"); !strings.Contains(txt, "新生儿入户需要什么材料") {
		t.Errorf("ticket page lacks the transcript: %.300s", txt)
	}
	navigate(t, ctx, chromedp.Click(chromedp.ID("reply")))
	waitJS(t, ctx, "replied", `document.querySelector(".flash")`)
	screenshot(t, ctx, "console-handoff")
	step(t, ctx, "stats", chromedp.Navigate(e.srv.URL+"/admin/feedback"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if txt := eval[string](t, ctx, "document.body.innerText"); !strings.Contains(txt, "评价总数") || !strings.Contains(txt, "80%") {
		t.Errorf("feedback statistics: %.1200s", txt)
	}
	screenshot(t, ctx, "console-feedback")
	// The resident's open page shows the reply without a reload.
	waitJS(t, res, "staff reply on the resident's page", `document.querySelector("#staff p.reply") && document.querySelector("#staff p.reply").textContent.includes("坐席小王")`)
	// And after a reload too.
	step(t, res, "reload", chromedp.Navigate(e.srv.URL+"/?c="+conv), chromedp.WaitVisible(chromedp.ID("staff")))
	if txt := eval[string](t, res, `document.getElementById("staff").innerText`); !strings.Contains(txt, "坐席小王") {
		t.Errorf("staff reply = %q", txt)
	}
}
