// Package browsertest starts headless Chromium for tests that drive real
// pages. Without a browser a test is skipped, unless FUWU_REQUIRE_BROWSER=1
// (as in CI), where it fails: browser tests must never pass by not running.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Start launches one headless Chromium for t with the flags the project
// runs it with (no sandbox, no GPU, no background networking or component
// updates, Chinese UI) plus extra, and returns its context; the browser
// is closed when t ends.
func Start(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	required := os.Getenv("FUWU_REQUIRE_BROWSER") == "1"
	if testing.Short() && !required {
		t.Skip("browser tests skipped in -short mode")
	}
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if required {
			t.Fatal("FUWU_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium fonts-noto-cjk)")
		}
		t.Skip("no chromium on PATH")
	}
	// DefaultExecAllocatorOptions already holds headless, no-first-run,
	// disable-background-networking and the other quiet-start flags.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	opts = append(opts, extra...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
