package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// In a real browser: the duty officer opens the risk map before the
// storm (nothing assessed, every community grey); the synthetic demo
// storm's readings arrive (stored through the city store, the clock
// moved with them) and each 立即重新评估 turns communities yellow, orange
// and red on the map and the list, with their reasons and checklists; a
// grid worker's tick shows.
func TestRiskConsoleInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite, riskMigrations...)
	e := newRiskEnv(t, db, true)
	ctx := browser(t)
	browserLogin(t, ctx, e.env, "duty", "duty")
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/risk"))
	waitJS(t, ctx, "the map drawn", `window.riskDrawn && window.riskDrawn.map && window.riskDrawn.map.communities === 40`)
	if got := eval[float64](t, ctx, `window.riskDrawn.map.counts["未评估"] || 0`); got != 40 {
		t.Errorf("before any cycle %v communities unassessed, want 40", got)
	}
	if !strings.Contains(eval[string](t, ctx, "document.body.innerText"), "尚未评估") {
		t.Error("the page does not say nothing was assessed")
	}

	levels := func() map[string]float64 {
		return eval[map[string]float64](t, ctx, `(() => { const n = {}; document.querySelectorAll("details.risk-row").forEach(d => { n[d.dataset.level] = (n[d.dataset.level] || 0) + 1; }); return n; })()`)
	}
	reassess := func(what string) {
		t.Helper()
		navigate(t, ctx, chromedp.Click(chromedp.ID("risk-reassess")))
		waitJS(t, ctx, what, `document.body.innerText.includes("已重新评估全部社区和网格") && window.riskDrawn && window.riskDrawn.map && !!window.riskDrawn.map.at`)
	}

	// Ninety-five minutes in: the storm's front reaches the river side.
	riskStorm(t, e.clk, e.risk.City, 0, 95)
	reassess("assessed at 15:35")
	early := levels()
	if early["黄"]+early["橙"]+early["红"] == 0 {
		t.Errorf("at 15:35 no community is yellow or above: %v", early)
	}
	// Two hours forty: the storm's peak has passed over the district.
	riskStorm(t, e.clk, e.risk.City, 95, 160)
	reassess("assessed at 16:40")
	n := levels()
	if n["黄"] == 0 || n["橙"] == 0 || n["红"] == 0 {
		t.Fatalf("at 16:40 levels %v: want yellow, orange and red", n)
	}
	drawn := eval[map[string]float64](t, ctx, `window.riskDrawn.map.counts`)
	if drawn["红色风险"] != n["红"] || drawn["橙色风险"] != n["橙"] || drawn["黄色风险"] != n["黄"] {
		t.Errorf("map %v, list %v", drawn, n)
	}
	// The first red community: open, with its reasons and checklist.
	red := `document.querySelector('details.risk-row[data-level="红"]')`
	if !eval[bool](t, ctx, red+`.open && `+red+`.querySelector("table.risk-factors tr[data-factor]") !== null && `+
		red+`.querySelectorAll(".risk-checklist li").length >= 5 && `+red+`.innerText.includes("基于")`) {
		t.Errorf("red community without reasons or checklist: %s", eval[string](t, ctx, red+".innerText"))
	}
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`details.risk-row[data-level="红"] button.tick`)))
	waitJS(t, ctx, "the tick", `document.body.innerText.includes("已记录该项处置") && `+red+`.querySelector("li.done .ticked") && `+
		red+`.querySelector("li.done .ticked").textContent.includes("duty")`)
	step(t, ctx, "to the map", chromedp.ScrollIntoView(chromedp.ID("risk-map")))
	viewShot(t, ctx, "risk-map")
	step(t, ctx, "to the red community", chromedp.ScrollIntoView(chromedp.CSS(`details.risk-row[data-level="红"]`)))
	viewShot(t, ctx, "risk-community")
}

// In a real browser: a smoke detector's alarm, stored and followed as
// fuwu serve does, is listed with its community and shows among the
// community's fire-ranking factors; the duty officer's 处置 closes it.
func TestRiskFireAlarmInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite, riskMigrations...)
	e := newRiskEnv(t, db, true)
	bg := context.Background()
	if _, err := e.risk.City.Ingest(bg, citymon.Batch{Source: "test", Readings: []citymon.Reading{{Device: "FT-SD-01", Param: "smoke", Time: e.clk.Now(), Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	if res, err := e.risk.Runner.SyncAlarms(bg, []string{"FT-SD-01"}); err != nil || len(res.Raised) != 1 {
		t.Fatalf("sync %+v %v", res, err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, e.env, "duty", "duty")
	navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/risk#fire-alarms"))
	row := `document.querySelector('#risk-alarms tr.open[data-community="FT-03-1"]')`
	waitJS(t, ctx, "the alarm listed", row+` !== null && `+row+`.innerText.includes("FT-SD-01") && `+row+`.innerText.includes("烟感探测器")`)
	if !eval[bool](t, ctx, `document.querySelector('#fire-FT-03-1 li[data-factor="alarms"]') !== null`) {
		t.Error("the fire ranking does not show the alarm among the community's factors")
	}
	step(t, ctx, "to the alarms", chromedp.ScrollIntoView(chromedp.ID("risk-alarms")))
	viewShot(t, ctx, "risk-fire-alarm")
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`#risk-alarms tr.open button`)))
	waitJS(t, ctx, "处置 done", `document.body.innerText.includes("报警已处置") && document.querySelector('#risk-alarms tr.open') === null && `+
		`document.querySelector('#fire-FT-03-1 li[data-factor="alarms"]') === null`)
}
