package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestHeldOrDoneIsTheStory checks, on made-up messages, a kind
// probes-sleet showed: a service the resident says is done or a paper
// they hold already (失业登记办好了, 我有深圳居住证) is the story, and the
// other service the question names is the answer; asking whether there is
// one (有补助吗) or when one comes (办下来要多久) holds nothing.
func TestHeldOrDoneIsTheStory(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我跟女朋友都不是深户 我已经有深圳居住证了 能在福田领证吗", assistant.Answered, "FT-055"},
		{"被公司裁了 失业登记办好了 年纪大找不到工作 就业困难人员认定怎么申请", assistant.Answered, "FT-029"},
		{"来深圳三个月了 居住证办下来要多久", assistant.Answered, "FT-002"},
	})
}

// TestSleetKinds checks, on made-up messages, kinds probes-sleet showed:
// the words people use for a company's legal representative (法人), for
// foreign capital (外资) and for a child's hukou following a parent (户口
// 跟我落); where, said with 儿 (去哪儿); and asking for a business to be
// recommended, alone or in the middle of a dialogue, declined; going back
// to another city to replace a paper there (回长沙那边补) is that city's;
// an aside opened with 顺便问下 asking a market's hours leaves the item,
// while an aside asking the hall's hours stays.
func TestSleetKinds(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公司法人想换成我弟弟 营业执照变更怎么弄", assistant.Answered, "FT-097"},
		{"朋友是新加坡的 想跟我合伙在福田开个外资的贸易公司 怎么登记", assistant.Answered, "FT-094"},
		{"媳妇刚在医院生了 孩子户口想跟着我落 要准备什么", assistant.Answered, "FT-001"},
		{"拍婚纱照的影楼推荐一家", assistant.OutOfScope, ""},
		{"我是长沙户口 户口本丢了 回长沙那边补要带什么", assistant.OutOfScope, ""},
		{"户口本丢了 在福田补要带什么", assistant.Answered, "FT-009"},
	})
	checkAspects(t, []aspectCase{
		{"想办社保卡", "卡做好了去哪儿领", assistant.Location},
	})
	checkFollowUps(t, []followUpCase{
		{"下个月想去办结婚登记", "登记完想拍照 附近哪家影楼好", assistant.OutOfScope, "", ""},
		{"想在福田办个体户执照", "顺便问下 附近花卉市场几点开门", assistant.OutOfScope, "", ""},
		{"想在福田办个体户执照", "顺便问下 周六上不上班", assistant.Answered, "FT-091", assistant.Location},
	})
}

// TestSleetVague checks, on made-up messages, vague kinds probes-sleet
// showed: a topic said as "有点事" (in regional Mandarin, 问一哈) and what
// there is to receive after a life event (有什么可以领的) are asked back
// with choices, not declined or answered with one guess.
func TestSleetVague(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"户口上有点事 想问一哈", assistant.Clarify, ""},
		{"社保有些事 想咨询下", assistant.Clarify, ""},
		{"工作丢了 有什么可以领的", assistant.Clarify, ""},
	})
}

// TestSleetAspects checks, on made-up follow-ups, aspect kinds
// probes-sleet showed: a deadline asked with 最晚 before the papers named
// (time limit), handing the old card back (materials, not going back
// somewhere), a form to download (online), "这样也行吗" after a circumstance (conditions) and the day a
// paper is ready (哪天能).
func TestSleetAspects(t *testing.T) {
	t.Parallel()
	checkAspects(t, []aspectCase{
		{"想办居住证", "最晚什么时候要把资料交上去", assistant.TimeLimit},
		{"想换领身份证", "旧的那张要交回去吗", assistant.Materials},
		{"想办个体户执照", "登记表在哪下载", assistant.Online},
		{"想给我妈申请高龄津贴", "她是外地户口 这样也行吗", assistant.Conditions},
		{"想给宝宝办出生医学证明", "哪天能拿到", assistant.TimeLimit},
	})
}
