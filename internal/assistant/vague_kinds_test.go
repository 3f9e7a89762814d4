package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestSharedNameAsks checks a kind of vague request: a message that is
// only a card's name several items' names hold alike, or that names two
// items outright alike, is asked back.
// Near misses that say which item (a verb of getting it, the group, a
// variant) are still answered.
func TestSharedNameAsks(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, msg string
		status    assistant.Status
	}{
		{"a card two items' names hold", "优待证", assistant.Clarify},
		{"the same card, asked how", "优待证咋整", assistant.Clarify},
		{"a card by its synonym, first issue or renewal", "残疾证", assistant.Clarify},
		{"the card and how it goes, not which", "残疾人证怎么弄", assistant.Clarify},
		{"near miss: the elders' card named", "老年人优待证怎么弄", assistant.Answered},
		{"near miss: getting the card, not renewing it", "想办居住证", assistant.Answered},
		{"near miss: the card's group said", "退役军人优待证怎么申领", assistant.Answered},
		{"near miss: a variant asked", "残疾证到期了怎么换", assistant.Answered},
		{"two items named alike", "社保转移咋弄", assistant.Clarify},
		{"near miss: one of them named", "医保关系转移", assistant.Answered},
		{"near miss: named alike, with a detail", "社保转移 我从老家过来 要转养老那块", assistant.Answered},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != c.status {
			t.Errorf("%s: %q → %s, want %s (%s)", c.kind, c.msg, r.Status, c.status, r.Answer)
			continue
		}
		if c.status == assistant.Clarify && len(r.Candidates) < 2 {
			t.Errorf("%s: %q asks without choices: %v", c.kind, c.msg, r.Candidates)
		}
	}
}
