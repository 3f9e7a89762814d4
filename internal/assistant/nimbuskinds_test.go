package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-fifth round, chosen on the learning sets, each
// tested on sentences of our own.

// TestTroubleNamesATopic checks, on made-up messages, that saying only
// that something is wrong with a topic (有事, 出了点毛病, 遇到点麻烦) asks
// which of the topic's items is meant, like 户口的事 does; and that a
// reply naming another item of the topic than the choices offered is
// answered with it.
func TestTroubleNamesATopic(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"医保这块遇到点麻烦", assistant.Clarify, ""},
		{"公积金那边有事想咨询你", assistant.Clarify, ""},
		{"户籍那边有事咨询", assistant.Clarify, ""},
		{"婚姻登记出了点毛病", assistant.Clarify, ""},
		// Guards: a trouble with a thing the catalogue lacks, and one
		// that says what it is.
		{"楼下停车场出了点问题", assistant.OutOfScope, ""},
		{"身份证快过期了 有点麻烦 要怎么换", assistant.Answered, "FT-004"},
	})
	checkFollowUps(t, []followUpCase{
		{"户口的事", "老婆是湖北的 我福田户口 领证四年 她那边户口准备转过来 审批多长时间", assistant.Answered, "FT-007", ""},
	})
}
