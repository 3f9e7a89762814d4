package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-sixth round, chosen on the learning sets, each
// tested on sentences of our own.

// TestWordsEndingLikeABooklet checks, on made-up messages, that a word
// ending in 本 that is no booklet (资本, 成本, 课本) is not taken for a
// document the catalogue lacks, so the service asked for is answered;
// and that a document the catalogue lacks (护照) is still declined.
func TestWordsEndingLikeABooklet(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公司想把注册资本调高到三百万 执照要去变更吗", assistant.Answered, "FT-097"},
		{"店面租金和装修成本压得喘不过气 政府给的创业补贴怎么领", assistant.Answered, "FT-026"},
		{"孩子课本丢了 转学要带什么", assistant.Answered, "FT-069"},
		// Guard: a document the catalogue lacks.
		{"出国那本护照到期 能在这换新的吗", assistant.OutOfScope, ""},
	})
}

// TestBareTopicHeldByNames checks, on made-up messages, that a topic said
// bare (个税), asking at most how to go about it (咋整, 要搞些啥), which
// two items' names hold, asks which is meant, though one of them ranks
// far above; and that one item's topic, a named item, or applying for an
// item is still answered.
func TestBareTopicHeldByNames(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"个税咋整", assistant.Clarify, ""},
		{"个税要搞些啥", assistant.Clarify, ""},
		// Guards: one item's topic; an item named; applying.
		{"低保咋整", assistant.Answered, "FT-041"},
		{"个税的专项附加扣除咋整", assistant.Answered, "FT-112"},
		{"想申请张社保卡 流程呢", assistant.Answered, "FT-010"},
	})
}
