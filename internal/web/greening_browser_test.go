package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// In a real browser: a resident reports a leaning tree in the chat, says
// where it is when asked, follows the chat's card to the prefilled report
// form and sends it with a photo; an operator sees the tree map drawn (every tree a point, recoloured by
// health), finds the resident's order, closes it with an after photo, and
// the evaluation charts draw with this month's healthier share.
func TestGreeningInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite, greeningMigrations...)
	e := newGreeningEnvChat(t, db, true)
	ctx := browser(t)
	photo := filepath.Join(t.TempDir(), "tree.png")
	if err := os.WriteFile(photo, pngPhoto(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// The resident's report starts in the chat. Each message waits for the
	// finished turn before the next is sent.
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/"))
	say := func(n int, text string) {
		t.Helper()
		step(t, ctx, text, chromedp.WaitVisible(chromedp.ID("message")), chromedp.SendKeys(chromedp.ID("message"), text), chromedp.Click(chromedp.ID("send")))
		waitJS(t, ctx, "turn "+strconv.Itoa(n)+" finished", `document.querySelectorAll(".turn[data-turn]").length === `+strconv.Itoa(n)+
			` && !document.querySelector(".turn.pending, form.busy")`)
	}
	say(1, "小区门口的树快倒了")
	if a := eval[string](t, ctx, `document.querySelector(".turn[data-turn] .answer").innerText`); !strings.Contains(a, "这棵树在哪里") {
		t.Fatalf("the chat did not ask where: %q", a)
	}
	say(2, "梅林街道梅林一村东门")
	waitJS(t, ctx, "the second turn's card", `document.querySelectorAll(".turn[data-turn] .report-link").length === 2`)
	screenshot(t, ctx, "greening-chat-report")
	step(t, ctx, "mark the latest card", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".turn[data-turn] .report-link")[1].id = "latest-report"`))
	navigate(t, ctx, chromedp.Click(chromedp.CSS("#latest-report")))
	waitJS(t, ctx, "the prefilled form", `document.getElementById("tree-report")`)
	for js, want := range map[string]string{
		`document.getElementById("text").value`:   "小区门口的树快倒了",
		`document.getElementById("place").value`:  "梅林街道梅林一村东门",
		`document.getElementById("street").value`: "梅林街道",
	} {
		if got := eval[string](t, ctx, js); got != want {
			t.Errorf("%s = %q, want %q", js, got, want)
		}
	}
	step(t, ctx, "locate and attach", chromedp.SetValue(chromedp.ID("lon"), "114.20001"), chromedp.SetValue(chromedp.ID("lat"), "22.60001"),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}))
	navigate(t, ctx, chromedp.Submit(chromedp.ID("tree-report")))
	waitJS(t, ctx, "the confirmation", `document.getElementById("report-done")`)
	orders, err := e.green.Store.Orders(context.Background(), greening.OrderFilter{Source: greening.FromResident})
	if err != nil || len(orders) != 1 || orders[0].Tree != weakTree || !strings.Contains(orders[0].Detail, "位置：梅林街道梅林一村东门") {
		t.Fatalf("resident orders %+v %v", orders, err)
	}

	// The operator: the map.
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/login"))
	step(t, ctx, "login", chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "operator1"), chromedp.SendKeys(chromedp.ID("password"), "operator1 password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/greening"))
	waitJS(t, ctx, "the map drawn", `window.greeningDrawn && window.greeningDrawn.map && window.greeningDrawn.map.trees === 2001`)
	if !eval[bool](t, ctx, `document.querySelector("#greening-map canvas").width > 300`) {
		t.Error("map canvas not drawn")
	}
	if !strings.Contains(eval[string](t, ctx, "document.body.innerText"), "合成演示数据") {
		t.Error("the overview does not say the data is synthetic")
	}
	step(t, ctx, "colour by health", chromedp.SetValue(chromedp.ID("greening-map-mode"), "health"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("greening-map-mode").dispatchEvent(new Event("change"))`))
	waitJS(t, ctx, "recoloured", `window.greeningDrawn.map.mode === "health"`)
	screenshot(t, ctx, "greening-map")

	// The order: an after photo, then closed.
	path := e.srv.URL + "/admin/greening/orders/" + strconv.FormatInt(orders[0].ID, 10)
	navigate(t, ctx, chromedp.Navigate(path))
	step(t, ctx, "after photo", chromedp.SetUploadFiles(chromedp.CSS(`#order-photo input[type=file]`), []string{photo}),
		chromedp.SetValue(chromedp.CSS(`#order-photo select[name=phase]`), "after"))
	navigate(t, ctx, chromedp.Submit(chromedp.ID("order-photo")))
	waitJS(t, ctx, "two photos", `document.querySelectorAll("#order-photos img").length === 2`)
	step(t, ctx, "result", chromedp.SendKeys(chromedp.ID("result"), "已扶正并加固"), chromedp.SetValue(chromedp.ID("health"), "A"))
	navigate(t, ctx, chromedp.Submit(chromedp.ID("order-complete")))
	waitJS(t, ctx, "closed", `document.getElementById("order-status").textContent.includes("已完成")`)

	// The evaluation charts.
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/greening/evaluation"))
	waitJS(t, ctx, "charts drawn", `window.greeningDrawn && window.greeningDrawn.eval && window.greeningDrawn.eval.streets === 10`)
	for _, id := range []string{"chart-health", "chart-planned", "chart-coverage"} {
		if !eval[bool](t, ctx, `!!document.querySelector("#`+id+` canvas")`) {
			t.Errorf("%s not drawn", id)
		}
	}
	hs, err := e.green.Store.HealthSeries(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[float64](t, ctx, `window.greeningDrawn.eval.lastGood`); got != hs[len(hs)-1].GoodShare {
		t.Errorf("chart's latest share %v, store's %v", got, hs[len(hs)-1].GoodShare)
	}
	screenshot(t, ctx, "greening-evaluation")
}
