package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-ninth round, chosen on the learning sets, each
// tested on sentences of our own.

// TestTopicNamingNoItem checks, on made-up messages, that a topic said
// as a topic (咱公司的事) that no item's name holds is asked back with
// the best items as choices, however far the best scores ahead of the
// next: it names none of them. Guards: a topic that is an item's name is
// answered, and one the catalogue lacks is declined.
func TestTopicNamingNoItem(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公司方面有件事 请教下", assistant.Clarify, ""},
		{"咱公司的事 请教下", assistant.Clarify, ""},
		// Guards.
		{"残疾人证换领的事 请教下", assistant.Answered, "FT-049"},
		{"彩票兑奖的事 请教下", assistant.OutOfScope, ""},
	})
}
