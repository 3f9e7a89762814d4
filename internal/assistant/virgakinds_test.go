package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twentieth round, chosen on the learning sets, each tested
// on sentences of our own.

// TestProvideWhatAsksMaterials checks, on made-up messages, that a verb of
// bringing or handing in with what is asked after it (得备好些什么, 要医院
// 出具哪些, 得拿上些什么, 要填什么) asks for the materials, whatever the
// verb's ending.
func TestProvideWhatAsksMaterials(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"儿子满月了 给他上户口得备好些什么", "FT-001", assistant.Materials},
		{"申请残疾人两项补贴 要医院出具哪些", "FT-050", assistant.Materials},
		{"办居住证 去之前得拿上些什么", "FT-002", assistant.Materials},
		{"去开个体户执照 要填什么", "FT-091", assistant.Materials},
	})
}
