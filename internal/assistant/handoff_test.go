package assistant_test

import (
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// A complaint (投诉) goes to a person as a complaint: the ticket's reason
// says so, with what the resident wrote; a plain request for a person
// stays one.
func TestComplaintTickets(t *testing.T) {
	t.Parallel()
	rec := &memRecorder{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Recorder = rec })
	play(t, as, []step{{q: "我要投诉，窗口工作人员态度差，拖着不办", status: assistant.Handoff, has: []string{"已记录您的投诉"}}})
	play(t, as, []step{{q: "转人工", status: assistant.Handoff, has: []string{"已为您转接人工客服"}}})
	if len(rec.tickets) != 2 {
		t.Fatalf("tickets %v", rec.tickets)
	}
	if !strings.Contains(rec.tickets[0], ": 居民投诉：我要投诉，窗口工作人员态度差") {
		t.Errorf("complaint ticket = %q", rec.tickets[0])
	}
	if !strings.HasSuffix(rec.tickets[1], ": 居民要求转人工") {
		t.Errorf("plain ticket = %q", rec.tickets[1])
	}
}

// A follow-up about something the catalogue does not hold ("那基金呢")
// is declined, not met with choices unrelated to it (社会保障卡申领 …,
// whose texts merely mention 基金).
func TestOutOfScopeFollowUpGetsNoUnrelatedChoices(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, first := range []string{"公积金怎么提取", "养老保险怎么交"} {
		rs := play(t, as, []step{
			{q: first, status: assistant.Clarify},
			{q: "那基金呢", status: assistant.OutOfScope},
		})
		for _, s := range rs[1].Suggestions {
			if strings.Contains(s, "社会保障卡") || strings.Contains(s, "养老保险") {
				t.Errorf("after %q: unrelated choice %q", first, s)
			}
		}
	}
	play(t, as, []step{{q: "基金", status: assistant.OutOfScope}})
}
