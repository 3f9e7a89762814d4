package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the seventeenth round (the older learning sets and, after its
// first contact, probes-cloud), each tested on sentences of our own.

// TestVariantAskedOfNamedBase checks, on made-up messages, that a question
// naming a basic item (公租房) and asking for a variant of it (信息要怎么改
// → 变更) that one close candidate is for gets that candidate, while one
// that says it is the first time (第一次 → 首次) keeps the basic item.
func TestVariantAskedOfNamedBase(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公租房排了三年了 换了手机号 信息要怎么改", assistant.Answered, "FT-079"},
		{"我是第一次办残疾证 评残在哪里做", assistant.Answered, "FT-048"},
	})
}
