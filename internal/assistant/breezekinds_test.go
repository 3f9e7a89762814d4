package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the sixteenth round (probes-breeze and the older learning
// sets), each tested on sentences of our own.

// TestBirthToldWithoutItsWord checks, on made-up messages, that a birth
// told as where or when the child was born (在医院生的, 前天生了) is the
// birth situation, whose cue 户口 names the newborn's registration.
func TestBirthToldWithoutItsWord(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我媳妇前几天在人民医院生的 是个儿子 孩子户口要怎么报", assistant.Answered, "FT-001"},
		{"老婆昨天在妇幼生了 是个女孩 我们都是深圳户口 孩子户口去哪里上", assistant.Answered, "FT-001"},
	})
}
