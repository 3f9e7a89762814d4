package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fuwu-gov/fuwu/internal/browsertest"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/web"
)

// In a real browser, against the server fuwu serve builds over the demo
// data: "我爸85岁了能领什么补贴" in the chat asks the missing facts one at
// a time and ends with the allowance, its amount and its reasons.
func TestBrowserChatEligibility(t *testing.T) {
	ctx := browsertest.Start(t)
	bg := context.Background()
	a, err := openApp(bg, storeFlags{data: t.TempDir()}, llm.Config{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	h, err := buildServer(bg, a, web.Config{ChatRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(js string) string {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	say := func(n int, msg, want string) string {
		t.Helper()
		run(msg, chromedp.SendKeys(chromedp.ID("message"), msg), chromedp.Click(chromedp.ID("send")))
		sel := fmt.Sprintf("#t%d .answer", n)
		deadline := time.Now().Add(20 * time.Second)
		for {
			got := text(`(document.querySelector("` + sel + `") || {}).innerText || ""`)
			done := text(`(() => { const a = document.querySelector("` + sel + `"); return a && !a.closest(".msg").classList.contains("streaming") ? "y" : ""; })()`)
			if done != "" && strings.Contains(got, want) {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("turn %d %q: want %q, page:\n%s", n, msg, want, text(`document.body.innerText.slice(0, 1500)`))
			}
			time.Sleep(30 * time.Millisecond)
		}
	}
	run("open chat", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("message")))
	say(1, "我爸85岁了能领什么补贴", "户口在哪个城市？")
	// The chips offer the way out of a question.
	if chips := text(`Array.from(document.querySelectorAll("#t1 .chip")).map(c => c.innerText).join("|")`); !strings.Contains(chips, "不清楚") {
		t.Errorf("chips = %q", chips)
	}
	last := ""
	answers := map[string]string{"哪个城市": "深圳", "哪个区": "福田区", "残疾证": "没有", "低保": "否", "低收入": "否", "特困": "否", "一个人居住": "是", "自有住房": "有"}
	for n := 2; n < 10; n++ {
		q := text(fmt.Sprintf(`document.querySelector("#t%d .answer").innerText`, n-1))
		if strings.Contains(q, "根据您提供的情况") {
			last = q
			break
		}
		reply := "不清楚"
		for k, v := range answers {
			if strings.Contains(q[strings.LastIndex(q, "\n")+1:], k) {
				reply = v
			}
		}
		say(n, reply, "")
	}
	if last == "" {
		t.Fatal("the dialogue did not end with a result")
	}
	for _, want := range []string{"《高龄老人津贴》：每月津贴 200元/月", "年满80周岁（第三条）✔", "福民〔2024〕3号", "符合条件"} {
		if !strings.Contains(last, want) {
			t.Errorf("result lacks %q:\n%s", want, last)
		}
	}
}
