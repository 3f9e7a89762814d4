package assistant_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestDirectAnswers checks that a yes/no question about one document and
// a question about a day's hours are answered directly from the item and
// its halls before the whole aspect.
func TestDirectAnswers(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		first, then string
		aspect      assistant.Aspect
		says        string
	}{
		{"我想办居住证", "要带身份证吗", assistant.Materials, "需要：居民身份证（原件，1份）"},
		{"我想办居住证", "要带户口本吗", assistant.Materials, "办事指南的材料清单中没有“户口本”，以受理窗口为准"},
		{"新生儿入户", "需要户口本吗", assistant.Materials, "需要：父母双方居民户口簿"},
		{"新生儿入户在哪办", "星期六开门吗", assistant.Location, "周六办公 9:00-12:00"},
		{"新生儿入户在哪办", "星期天上班不", assistant.Location, "周日不办公"},
		{"新生儿入户在哪办", "中午休息吗", assistant.Location, "中午 12:00-14:00 休息"},
	} {
		r1, err := as.Ask(context.Background(), assistant.Request{Message: c.first})
		if err != nil {
			t.Fatal(err)
		}
		r, err := as.Ask(context.Background(), assistant.Request{ConversationID: r1.ConversationID, Message: c.then})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Answered || r.Aspect != c.aspect || !strings.Contains(r.Answer, c.says) {
			t.Errorf("%q → %q: %s %s %q, want %s saying %q", c.first, c.then, r.Status, r.Aspect, r.Answer, c.aspect, c.says)
		}
	}
}

// TestAmountReceived checks that a question about an amount received is
// answered with the item's 发放标准 or the FAQ that gives it, never with
// its fee, and that an FAQ about renewing does not open a first-time
// question.
func TestAmountReceived(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		first, then string
		says, not   string
	}{
		{"我妈八十五了 想申请高龄津贴", "一个月能领多少", "发放标准：深圳户籍80-89周岁", "收费标准"},
		{"失业金怎么申请", "能领几个月", "关于“被公司辞退了能领多久失业金”：按缴费年限计算", "办事指南未写明发放标准"},
		{"", "怎么办理居住证", "深圳市居住证申领", "居住证到期了怎么办"},
	} {
		conv := ""
		if c.first != "" {
			r1, err := as.Ask(context.Background(), assistant.Request{Message: c.first})
			if err != nil {
				t.Fatal(err)
			}
			conv = r1.ConversationID
		}
		r, err := as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: c.then})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Answer, c.says) || strings.Contains(r.Answer, c.not) {
			t.Errorf("%q → %q: %q, want it to say %q and not %q", c.first, c.then, r.Answer, c.says, c.not)
		}
	}
}

// TestHoursOnADatedDay checks that 今天, 明天 and a date are read against
// the injected clock and the hall calendar: a holiday says so, any other
// day gets that weekday's hours.
func TestHoursOnADatedDay(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return wednesday } // 2026-12-02 10:00
	fb := newFakeBooker(now)
	fb.holidays["2027-01-01"] = "元旦"
	as := demoAssistant(t, func(c *assistant.Config) { c.Now = now; c.Booking = fb })
	for _, c := range []struct {
		then      string
		says, not []string
	}{
		{"明天开门吗", []string{"明天（12月3日，周四）", "周四办公 9:00-12:00"}, []string{"假期"}},
		{"今天上班吗", []string{"今天（12月2日，周三）", "周三办公"}, nil},
		{"这周六上班不", []string{"12月5日（周六）", "周六办公 9:00-12:00"}, nil},
		{"后天中午休息吗", []string{"后天（12月4日，周五）", "中午 12:00-14:00 休息", "周五办公"}, nil},
		{"1月1号开门吗", []string{"1月1日（周五）是元旦假期，各办事大厅不办公"}, []string{"周五办公"}},
	} {
		r1, err := as.Ask(context.Background(), assistant.Request{Message: "新生儿入户在哪办"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := as.Ask(context.Background(), assistant.Request{ConversationID: r1.ConversationID, Message: c.then})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Answered || r.Aspect != assistant.Location {
			t.Errorf("%q: %s %s, want an answered location", c.then, r.Status, r.Aspect)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(r.Answer, s) {
				t.Errorf("%q: %q does not say %q", c.then, r.Answer, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(r.Answer, s) {
				t.Errorf("%q: %q says %q", c.then, r.Answer, s)
			}
		}
	}
}
