package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-third round, chosen on the learning sets, each
// tested on sentences of our own.

// TestChangeWhileInHousingQueue checks, on made-up messages, that a
// resident already in the queue for public housing who tells of a change
// (a child born, a new job, a spouse moving here) is asked about the
// queue's record, not a new application; asking about the queue itself,
// or applying, stays the application.
func TestChangeWhileInHousingQueue(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我家排公租房三年了 最近添了个女儿 信息要怎么更新", assistant.Answered, "FT-079"},
		{"公租房轮候期间换了工作单位 要不要去改资料", assistant.Answered, "FT-079"},
		{"人才房排着队 老婆调过来了 要补充家庭成员吗", assistant.Answered, "FT-079"},
		// Guards: the queue itself, and applying.
		{"排了两年公租房还没轮到 怎么查进度", assistant.Answered, "FT-075"},
		{"公租房排上了 什么时候能配到房", assistant.Answered, "FT-075"},
		{"申请公租房 家里几口人有要求吗", assistant.Answered, "FT-075"},
	})
}
