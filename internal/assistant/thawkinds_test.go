package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the eighteenth round, chosen on the learning sets, each tested
// on sentences of our own.

// TestContractEndedIsJobLoss checks, on made-up messages, that an
// employer ending the contract (解了合同, 劳动合同解除了), which names no
// service, is the job loss and asked about with its items, while a
// landlord ending a lease is not.
func TestContractEndedIsJobLoss(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"上个月公司跟我们解了合同 我现在要先办什么", assistant.Clarify, ""},
		{"厂里把我的劳动合同解除了 后面那个钱怎么弄", assistant.Clarify, ""},
		{"房东要解除租房合同 押金不退怎么办", assistant.OutOfScope, ""},
	})
}

// TestJobSaidAtWorkplace checks, on made-up messages, that a job said
// at a workplace (在…写字楼做保洁), even one in a place of this district
// (梅林), is background: the building names no business licence of the
// resident's, and the injury told after it is the work injury.
func TestJobSaidAtWorkplace(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我在梅林一家写字楼做保洁 上个月搬东西扭伤了腰 单位不给认 自己去申请要带什么", assistant.Answered, "FT-016"},
		{"我在福田一家商场里做保安 巡逻时从楼梯上摔下来骨折了 公司不给报 我自己怎么申请", assistant.Answered, "FT-016"},
	})
}
