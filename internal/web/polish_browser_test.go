package web

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// On a phone the resident nav stays on one line under the brand (长者模式
// not wrapped onto a line of its own) and the page never scrolls
// sideways; a link's underline stops at a closing bracket's ink.
func TestBrowserPhoneNavAndLinks(t *testing.T) {
	ctx := browser(t)
	e, _, _ := servicesEnv(t, servicesDB(t))
	// The links share one line; 长者模式 shares the brand's.
	oneLine := `(() => { const ts = [...document.querySelectorAll(".topnav > a")].map(x => Math.round(x.getBoundingClientRect().top));
		const b = document.querySelector(".brand").getBoundingClientRect(), p = document.getElementById("large-toggle").getBoundingClientRect();
		return ts.length === 4 && ts.every(t => t === ts[0]) && p.top < b.bottom && p.bottom > b.top; })()`
	for _, width := range []int64{390, 360} {
		step(t, ctx, fmt.Sprint("phone ", width), chromedp.EmulateViewport(width, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile),
			chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
		if !eval[bool](t, ctx, oneLine) {
			t.Errorf("%d px: the nav wraps: %v", width, eval[[]float64](t, ctx, `[...document.querySelectorAll(".brand, .topnav > a, #large-toggle")].map(x => x.getBoundingClientRect().top)`))
		}
		if w := eval[int64](t, ctx, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("%d px: the page scrolls sideways (%d px)", width, w)
		}
	}
	viewShot(t, ctx, "nav-phone")
	// Large text: the nav may scroll within itself but still does not wrap.
	step(t, ctx, "large text", chromedp.Click(chromedp.ID("large-toggle")), chromedp.WaitVisible(chromedp.CSS("html.large")))
	if !eval[bool](t, ctx, oneLine) || eval[int64](t, ctx, `document.documentElement.scrollWidth`) > 360 {
		t.Error("large text: the nav wraps or the page scrolls sideways")
	}
	viewShot(t, ctx, "nav-phone-large")

	step(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/items?theme="+url.QueryEscape("残疾人服务")),
		chromedp.WaitVisible(chromedp.CSS(".itemlist")))
	// The underlined run of the final "）" is half an em at most: its ink.
	ratio := eval[float64](t, ctx, `(() => { const a = [...document.querySelectorAll("a.name")].find(a => a.textContent === "残疾人证办理（首次申领）");
		const cp = a && a.querySelector(".cp"); if (!cp) return 9;
		return cp.getBoundingClientRect().width / parseFloat(getComputedStyle(a).fontSize); })()`)
	if ratio > 0.55 {
		t.Errorf("the underline runs past the bracket: its run is %.2f em", ratio)
	}
}
