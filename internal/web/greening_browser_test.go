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

// In a real browser: a resident reports a leaning tree with a photo; an
// operator sees the tree map drawn (every tree a point, recoloured by
// health), finds the resident's order, closes it with an after photo, and
// the evaluation charts draw with this month's healthier share.
func TestGreeningInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite, greeningMigrations...)
	e := newGreeningEnv(t, db)
	ctx := browser(t)
	photo := filepath.Join(t.TempDir(), "tree.png")
	if err := os.WriteFile(photo, pngPhoto(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// The resident's report.
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/greening/report"))
	step(t, ctx, "fill the report", chromedp.SendKeys(chromedp.ID("text"), "小区门口的树快倒了"),
		chromedp.SetValue(chromedp.ID("street"), "梅林街道"), chromedp.SetValue(chromedp.ID("lon"), "114.20001"), chromedp.SetValue(chromedp.ID("lat"), "22.60001"),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}))
	navigate(t, ctx, chromedp.Submit(chromedp.ID("tree-report")))
	waitJS(t, ctx, "the confirmation", `document.getElementById("report-done")`)
	orders, err := e.green.Store.Orders(context.Background(), greening.OrderFilter{Source: greening.FromResident})
	if err != nil || len(orders) != 1 || orders[0].Tree != weakTree {
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
