package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

var codeInAnswer = regexp.MustCompile(`预约码：([A-Z0-9]+)`)

// In a real browser: a resident books a slot inside the chat, one question
// at a time, and the window clerk sees the booking on the staff day list.
func TestBrowserBookInChat(t *testing.T) {
	ctx := browser(t)
	db := servicesDB(t)
	bg, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(bg, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(testNow)
	bk := booking.New(db, kbs, keys, booking.Config{Now: clk.Now})
	ds := doorstep.New(db, kbs, keys, doorstep.Config{Now: clk.Now})
	if _, err := bk.Seed(bg, "test"); err != nil {
		t.Fatal(err)
	}
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	svc := realAssistant(bg, t, kbs, ix, func(c *assistant.Config) {
		c.Booking, c.Now = assistant.ServiceBooker{Booking: bk, Doorstep: ds, Keys: keys}, clk.Now
	})
	e := newEnvAt(t, db, svc, clk, func(c *Config) { c.Search, c.Booking, c.Doorstep = ix, bk, ds })
	if _, err := e.auth.AddUser(bg, "agent", "窗口人员", auth.Agent, "agent password"); err != nil {
		t.Fatal(err)
	}
	days, err := assistant.ServiceBooker{Booking: bk}.Days(bg, "HALL-01", "FT-001")
	if err != nil || len(days) == 0 {
		t.Fatalf("days %v %v", days, err)
	}

	step(t, ctx, "open chat", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
	say := func(n int, text, want string) string {
		t.Helper()
		step(t, ctx, text, chromedp.SendKeys(chromedp.ID("message"), text), chromedp.Click(chromedp.ID("send")))
		sel := fmt.Sprintf("#t%d .answer", n)
		waitJS(t, ctx, "turn "+text, `(() => { const a = document.querySelector("`+sel+`"); return a && a.innerText.includes("`+want+`"); })()`)
		return eval[string](t, ctx, `document.querySelector("`+sel+`").innerText`)
	}
	say(1, "新生儿落户要预约吗", "预约")
	say(2, assistant.BookSuggestion, "请选择办理大厅")
	say(3, "1", clock.Day(days[0].Day)) // 12月2日（周三）
	say(4, "1", "时段")
	say(5, "1", "姓名")
	say(6, "陈小红", "手机")
	if back := say(7, "13512345678", "请核对预约信息"); !strings.Contains(back, "135****5678") || strings.Contains(back, "13512345678") {
		t.Errorf("the read-back lacks the masked mobile: %q", back)
	}
	done := say(8, "确认预约", "预约成功")
	m := codeInAnswer.FindStringSubmatch(done)
	if m == nil {
		t.Fatalf("no code in %q", done)
	}
	code := m[1]
	if strings.Contains(done, "13512345678") {
		t.Error("the confirmation repeats the mobile number")
	}
	screenshot(t, ctx, "chat-booking")

	step(t, ctx, "login", chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "agent"), chromedp.SendKeys(chromedp.ID("password"), "agent password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	step(t, ctx, "day list", chromedp.Navigate(e.srv.URL+"/admin/booking?hall=HALL-01&day="+days[0].Day), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	body := eval[string](t, ctx, "document.body.innerText")
	if !strings.Contains(body, code) || !strings.Contains(body, "陈") {
		t.Fatalf("the day list lacks booking %s:\n%.600s", code, body)
	}
	screenshot(t, ctx, "chat-booking-daylist")
}
