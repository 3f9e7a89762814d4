package web

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// In a real browser, on SQLite and PostgreSQL: an operator logs in from
// /city, sees the one-screen dashboard at 1920×1080 and at laptop size
// (screenshots under the test's temporary folder, checked for the map's
// AQI colours and drawn charts), and watches a station's AQI change on the
// screen, without a reload, after its device posts a reading.
func TestCityDashboardInBrowser(t *testing.T) {
	storetest.Each(t, cityMigrations, func(t *testing.T, db *store.DB) {
		e := newCityEnv(t, db)
		ctx := browser(t) // after the server: the browser closes first, ending its event stream
		shots := t.TempDir()

		navigate(t, ctx, chromedp.Navigate(e.srv.URL+"/city"))
		step(t, ctx, "login form", chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), "duty"), chromedp.SendKeys(chromedp.ID("password"), "duty password"))
		navigate(t, ctx, chromedp.Click(chromedp.ID("login")))
		if u := eval[string](t, ctx, "location.pathname"); u != "/admin/city/screen" {
			t.Fatalf("after login at %s, want the dashboard", u)
		}

		for _, size := range []struct {
			name string
			w, h int64
		}{{"wall", 1920, 1080}, {"laptop", 1366, 768}} {
			step(t, ctx, "viewport "+size.name, chromedp.EmulateViewport(size.w, size.h))
			navigate(t, ctx, chromedp.Reload())
			waitJS(t, ctx, "the state rendered", `Number(document.body.dataset.rendered) >= 1`)
			if n := eval[int](t, ctx, `document.querySelectorAll("#city-map g.station").length`); n != 10 {
				t.Errorf("%s: %d stations on the map", size.name, n)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("#city-map g.section").length`); n != 5 {
				t.Errorf("%s: %d water sections on the map", size.name, n)
			}
			if !eval[bool](t, ctx, `document.body.innerText.includes("演示数据") && document.body.innerText.includes("示意")`) {
				t.Errorf("%s: the screen does not say 演示数据 and 示意", size.name)
			}
			// Each chart drew on its canvas (not blank), and the screen fits
			// without scrolling.
			for _, id := range []string{"chart-trend", "chart-stations", "chart-streets", "chart-enterprises"} {
				js := `(() => { const c = document.querySelector("#` + id + ` canvas"); if (!c || c.width < 100 || c.height < 80) return 0;
					const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, seen = new Set();
					for (let i = 0; i < d.length; i += 4 * 37) if (d[i + 3]) seen.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]);
					return seen.size; })()`
				if n := eval[int](t, ctx, js); n < 3 {
					t.Errorf("%s: chart %s drew %d colours", size.name, id, n)
				}
			}
			if eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight + 1`) {
				t.Errorf("%s: the screen scrolls (%v)", size.name, eval[string](t, ctx, `document.documentElement.scrollWidth + "×" + document.documentElement.scrollHeight`))
			}
			if v := eval[string](t, ctx, `(document.body.dataset.csp || "0") + " " + (document.body.dataset.cspLast || "")`); v != "0 " {
				t.Errorf("%s: Content-Security-Policy violations: %s", size.name, v)
			}
			png := capture(t, ctx, filepath.Join(shots, "city-"+size.name+".png"))
			checkScreenshot(t, size.name, png, int(size.w), int(size.h))
		}

		// Live: a reading posted by the device changes the number on the map.
		before := eval[string](t, ctx, `document.getElementById("aqi-FT-AQ-01").textContent`)
		rendered := eval[int](t, ctx, `Number(document.body.dataset.rendered)`)
		e.sendReadings(t, "FT-AQ-01", e.clk.Now().Add(-time.Minute), map[string]float64{"PM2.5": 480, "PM10": 560})
		waitJS(t, ctx, "the station's AQI to change on the screen", `document.getElementById("aqi-FT-AQ-01").textContent !== `+strconv.Quote(before))
		if eval[int](t, ctx, `Number(document.body.dataset.rendered)`) <= rendered || eval[string](t, ctx, "location.pathname") != "/admin/city/screen" {
			t.Error("the page reloaded instead of updating")
		}
		after, err := strconv.Atoi(eval[string](t, ctx, `document.getElementById("aqi-FT-AQ-01").textContent`))
		b, _ := strconv.Atoi(before)
		if err != nil || after <= b {
			t.Errorf("FT-AQ-01 on screen %s → %d (%v)", before, after, err)
		}
		fill := eval[string](t, ctx, `document.querySelector('[data-station="FT-AQ-01"] circle').getAttribute("fill")`)
		if fill != aqi.LevelOf(after).Hex() {
			t.Errorf("FT-AQ-01 at AQI %d drawn %s, want %s", after, fill, aqi.LevelOf(after).Hex())
		}
		capture(t, ctx, filepath.Join(shots, "city-live.png"))
	})
}

// capture saves what the viewport shows and returns the PNG.
func capture(t *testing.T, ctx context.Context, path string) []byte {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(c, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("FUWU_KEEP_SCREENSHOTS"); dir != "" { // for a person to look at
		_ = os.WriteFile(filepath.Join(dir, filepath.Base(path)), b, 0o644)
	}
	return b
}

// checkScreenshot decodes a screenshot and checks that it is the size
// asked for, not blank, and shows AQI colours from the standard (the
// stations drawn on the map).
func checkScreenshot(t *testing.T, name string, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if r := img.Bounds(); r.Dx() != w || r.Dy() != h {
		t.Errorf("%s: screenshot %v, want %d×%d", name, r, w, h)
	}
	official := map[color.RGBA]bool{}
	for _, l := range aqi.Levels {
		official[color.RGBA{uint8(l.RGB[0]), uint8(l.RGB[1]), uint8(l.RGB[2]), 255}] = true
	}
	colours, aqiPixels := map[color.RGBA]bool{}, 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c] = true
			if official[c] {
				aqiPixels++
			}
		}
	}
	if len(colours) < 50 {
		t.Errorf("%s: the screenshot has %d colours: blank?", name, len(colours))
	}
	if aqiPixels < 200 {
		t.Errorf("%s: %d pixels in the official AQI colours: the stations are not drawn", name, aqiPixels)
	}
}
