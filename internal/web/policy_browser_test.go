package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// In a real browser with JavaScript off: a newcomer opens the 政策计算器,
// chooses 个人, answers a few questions and sees the policies with their
// amounts, reasons and where to apply.
func TestBrowserPolicyCheck(t *testing.T) {
	ctx := browser(t)
	e, _ := policyEnv(t, storetest.Open(t, store.SQLite, policyMigrations...))
	step(t, ctx, "scripts off", chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}))
	step(t, ctx, "open", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`a[href="/policies/check"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/policies/check"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/policies/check?target=person"]`)))
	step(t, ctx, "answer", chromedp.WaitVisible(chromedp.CSS(`input[name="f_birth_date"]`)),
		// A date input takes the digits in the browser's own order; the
		// value is set the way a picker sets it.
		chromedp.SetValue(chromedp.CSS(`input[name="f_birth_date"]`), "1941-07-15"),
		chromedp.SendKeys(chromedp.CSS(`input[name="f_hukou_city"]`), "深圳"),
		chromedp.SendKeys(chromedp.CSS(`input[name="f_hukou_district"]`), "福田区"),
		chromedp.Click(chromedp.CSS(`input[name="f_subsistence"][value="否"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.ID("check")))
	step(t, ctx, "results", chromedp.WaitVisible(chromedp.ID("results")))
	viewShot(t, ctx, "policy-check")
	// Scripts are off for the page; the test's evaluation still reads it.
	got := func(js string) string { return eval[string](t, ctx, js) }
	card := got(`(document.querySelector('.policy-card[data-policy="POL-101"]') || {}).innerText || ""`)
	for _, want := range []string{"高龄老人津贴", "200元/月", "年满80周岁", "第三条", "福民〔2024〕3号", "免申即享"} {
		if !strings.Contains(card, want) {
			t.Errorf("POL-101 card lacks %q:\n%s", want, card)
		}
	}
	meals := got(`(document.querySelector('.policy-card[data-policy="POL-104"]') || {}).innerText || ""`)
	if !strings.Contains(meals, "8元/餐") || !strings.Contains(meals, "办理事项") {
		t.Errorf("POL-104 card:\n%s", meals)
	}
	if poss := got(`Array.from(document.querySelectorAll('.policy-card.status-possible')).map(c => c.innerText).join("\n")`); !strings.Contains(poss, "还需要确认") {
		t.Errorf("possible policies do not say what they need:\n%.500s", poss)
	}
	if v := got(`document.querySelector('input[name="f_hukou_city"]').value`); v != "深圳" {
		t.Errorf("the answer is not kept in the form: %q", v)
	}
}

// A reviewer approves a 免申即享 batch an editor made, in the console, and
// sees it counted in the statistics with its chart.
func TestBrowserBatchApproval(t *testing.T) {
	ctx := browser(t)
	e, pr := policyEnv(t, storetest.Open(t, store.SQLite, policyMigrations...))
	rep, err := pr.svc.CreateBatch(context.Background(), "POL-101", "2026-12", "editor")
	if err != nil {
		t.Fatal(err)
	}
	id := rep.Batch.ID
	step(t, ctx, "login", chromedp.Navigate(e.srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "reviewer"), chromedp.SendKeys(chromedp.ID("password"), "reviewer password"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
	step(t, ctx, "console", chromedp.WaitVisible(chromedp.CSS(`.side a[href="/admin/policies"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`.side a[href="/admin/policies"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/policy-batches"]`)))
	navigate(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/policy-batches/%d"]`, id))))
	step(t, ctx, "batch", chromedp.WaitVisible(chromedp.ID("approve")))
	if total := eval[string](t, ctx, `document.getElementById("batch-total").innerText`); !strings.Contains(total, "2 人") || !strings.Contains(total, "700.00 元") {
		t.Errorf("total = %q", total)
	}
	step(t, ctx, "note", chromedp.SendKeys(chromedp.CSS(`form[action$="/approve"] input[name="note"]`), "核对无误"))
	navigate(t, ctx, chromedp.Click(chromedp.ID("approve")))
	waitJS(t, ctx, "approved", `document.getElementById("batch-status").innerText.includes("已")`)
	if msg := eval[string](t, ctx, `(document.querySelector(".flash") || {}).innerText || ""`); !strings.Contains(msg, "审核通过") {
		t.Errorf("no confirmation: %q", msg)
	}
	navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/policy-stats"]`)))
	step(t, ctx, "stats", chromedp.WaitVisible(chromedp.ID("stat-amount")))
	if amount := eval[string](t, ctx, `document.getElementById("stat-amount").innerText`); amount != "700.00" {
		t.Errorf("stats amount = %q", amount)
	}
	if bars := eval[int](t, ctx, `document.querySelectorAll("#by-street svg rect").length`); bars != 1 {
		t.Errorf("street chart bars = %d", bars)
	}
	if label := eval[string](t, ctx, `document.querySelector("#by-policy svg").textContent`); !strings.Contains(label, "高龄老人津贴") {
		t.Errorf("policy chart = %q", label)
	}
	screenshot(t, ctx, "policy-stats")
}
