package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestHazeKinds checks, on made-up messages, kinds probes-haze showed: a
// paper or service said done by a verb of getting it done (户口本已经改好了,
// 少儿医保早就交了), by part of its name, is the story, and the next item
// the question asks is the answer; a paper that befell something (已经过期了)
// is not done.
func TestHazeKinds(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我老公改了名字 户口本已经改好了 身份证也得跟着换 要花钱吗", assistant.Answered, "FT-004"},
		{"闺女的少儿医保早就交了 想把我医保个人账户的钱跟她共用", assistant.Answered, "FT-025"},
		{"户口本已经破了 能换个新的吗", assistant.Answered, "FT-009"},
	})
}

// TestSettledByInsurance checks the everyday words for medical insurance
// settling a bill (结账 for 结算) and for it failing (没刷成…医保): the
// cross-city registration before, the reimbursement after.
func TestSettledByInsurance(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"单位派我去拉萨工作半年 那边医院看病能直接拿深圳医保结账吗", assistant.Answered, "FT-019"},
		{"在成都旅游时老婆急诊 没刷成深圳医保 自己付的钱回来怎么报", assistant.Answered, "FT-020"},
	})
}

// TestThreadElsewhere checks follow-ups naming another place or another
// authority's service: the elders' alarm for a mother in another
// district is declined; a paper the catalogue issues, named outright for
// another authority's purpose (办签证要公积金缴存证明), is answered.
func TestThreadElsewhere(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"我外婆八十 福田户口 一个人住 想申请个紧急呼叫设备", "我奶奶住在龙岗布吉 她那边的紧急呼叫设备怎么申请", assistant.OutOfScope, "", ""},
		{"公积金能提出来交房租吗", "办签证要一份公积金缴存证明 网上能打印吗", assistant.Answered, "FT-089", assistant.Online},
	})
}
