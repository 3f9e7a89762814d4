package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestEnglishMessages checks, on made-up messages, a kind probes-tide
// showed: a message written in English. Its everyday words (my, by, we,
// set) are English, not pinyin initials of a lexicon word (满月, 备孕); its
// function words count as nothing, so the item is told by the content
// words; two words said as one (id card, provident fund) are that word;
// and an aspect cue in Latin letters (app) is not read inside a longer
// word (reapply, happy).
func TestEnglishMessages(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"my husband is a shenzhen hukou holder, we got married last year, how do I move my hukou to join him", assistant.Answered, "FT-007"},
		{"lost my id card yesterday, where can I reapply", assistant.Answered, "FT-005"},
		{"how to withdraw my provident fund after I retire", assistant.Answered, "FT-084"},
		{"my mother is a senior, can she get a senior card", assistant.Answered, "FT-038"},
	})
	checkAspects(t, []aspectCase{
		{"身份证丢了", "reapply要多久能拿到", assistant.TimeLimit},
	})
}
