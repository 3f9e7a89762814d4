package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestAspectOfAThingNoItemHolds checks, on made-up dialogues, that a
// follow-up asking an aspect (a price, a place) of a thing no catalogue
// item holds at all (a wedding host) after a service
// is judged on its own and declined, while an aspect of the service
// itself, or of a material it names, stays with it.
func TestAspectOfAThingNoItemHolds(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"结婚登记要预约吗", "请婚庆公司的司仪一般收多少钱", assistant.OutOfScope, "", ""},
		{"结婚登记要预约吗", "登记那天要收费吗", assistant.Answered, "FT-055", assistant.Fee},
		{"结婚登记要预约吗", "户口本要带原件吗", assistant.Answered, "FT-055", assistant.Materials},
	})
}
