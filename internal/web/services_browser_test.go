package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// In a real browser, without script: a resident books a slot on the
// booking page and gets a code; the window clerk sees the booking on the
// day list and checks the resident in.
func TestBookingInBrowser(t *testing.T) {
	ctx := browser(t)
	e, bk, _ := servicesEnv(t, servicesDB(t))
	days, err := bk.Days(t.Context(), "HALL-01", "FT-001")
	if err != nil || len(days) == 0 {
		t.Fatalf("days = %v, %v", days, err)
	}
	if days[0].Day != bk.Today() { // testNow is a Wednesday at 10:00
		t.Fatalf("first day %s is not today %s", days[0].Day, bk.Today())
	}
	step(t, ctx, "booking page", chromedp.Navigate(e.srv.URL+"/booking?item=FT-001&hall=HALL-01"), chromedp.WaitVisible(chromedp.CSS("ol.steps")))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href*="day=`+days[0].Day+`"]`)))
	step(t, ctx, "fill in",
		chromedp.Click(chromedp.CSS(`input[name=start]:not([disabled])`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "陈小红"),
		chromedp.SendKeys(chromedp.CSS(`input[name=mobile]`), "13512345678"))
	screenshot(t, ctx, "booking-form")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/booking"] button.primary`)))
	waitJS(t, ctx, "the confirmation", `document.body.innerText.includes("预约成功")`)
	code := eval[string](t, ctx, `document.querySelector(".code").innerText`)
	if len(code) != 8 || strings.Contains(eval[string](t, ctx, "document.body.innerText"), "13512345678") {
		t.Fatalf("code %q", code)
	}
	screenshot(t, ctx, "booking-done")

	step(t, ctx, "login", chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "agent"), chromedp.SendKeys(chromedp.ID("password"), "agent password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	step(t, ctx, "day list", chromedp.Navigate(e.srv.URL+"/admin/booking?hall=HALL-01&day="+days[0].Day), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if !strings.Contains(eval[string](t, ctx, "document.body.innerText"), code) {
		t.Fatalf("the day list lacks %s", code)
	}
	screenshot(t, ctx, "booking-daylist")
	// The first free slot is 10:30: check-in is open (from 09:30).
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/booking/`+code+`/checkin"] button`)))
	waitJS(t, ctx, "checked in", `document.body.innerText.includes("已签到：`+code+`")`)
}

// In a real browser: a resident asks for door-to-door service; staff
// dispatch it from the request page to the suggested specialist.
func TestDoorstepInBrowser(t *testing.T) {
	ctx := browser(t)
	e, _, ds := servicesEnv(t, servicesDB(t))
	if _, err := ds.AddSpecialist(t.Context(), doorstep.Specialist{Name: "李专员", Streets: []string{"梅林"}, Themes: kb.Themes}); err != nil {
		t.Fatal(err)
	}
	groups, _ := ds.Catalogue(t.Context(), false)
	item := groups[0].Items[0]
	step(t, ctx, "catalogue", chromedp.Navigate(e.srv.URL+"/doorstep"), chromedp.WaitVisible(chromedp.CSS("ul.choices")))
	screenshot(t, ctx, "doorstep-catalogue")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/doorstep?item=`+item.ID+`"]`)))
	step(t, ctx, "fill in",
		chromedp.SendKeys(chromedp.CSS(`input[name=applicant]`), "周大爷"),
		chromedp.SendKeys(chromedp.CSS(`input[name=phone]`), "13612345678"),
		chromedp.SendKeys(chromedp.CSS(`input[name=address]`), "深圳市福田区梅林街道梅华路110号3栋502"))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/doorstep"] button.primary`)))
	waitJS(t, ctx, "submitted", `document.body.innerText.includes("申请已提交")`)
	number := eval[string](t, ctx, `document.querySelector(".code").innerText`)

	step(t, ctx, "login", chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "agent"), chromedp.SendKeys(chromedp.ID("password"), "agent password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	step(t, ctx, "board", chromedp.Navigate(e.srv.URL+"/admin/doorstep"), chromedp.WaitVisible(chromedp.CSS("table.bars")))
	screenshot(t, ctx, "doorstep-board")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/admin/doorstep/"]:not([href$="specialists"])`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)))
	waitJS(t, ctx, "accepted", `document.body.innerText.includes("推荐")`)
	screenshot(t, ctx, "doorstep-request")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/assign"] button.small`)))
	waitJS(t, ctx, "assigned", `document.body.innerText.includes("已派单") && document.body.innerText.includes("`+number+`")`)
}
