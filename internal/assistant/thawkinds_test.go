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
