package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestBringForAnotherItem checks, on made-up dialogues, that what to bring
// is asked of the item a follow-up names outright in its own words when
// the item discussed holds nothing of what it says (a second-hand flat to
// transfer after a lost property certificate), and of the item discussed
// when it asks after one of its materials.
func TestBringForAnotherItem(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"不动产权证书丢了 怎么补", "从亲戚手里买了套二手房 房款结清了 准备过户 得带哪些东西", assistant.Answered, "FT-081", assistant.Materials},
		{"房本要办点手续", "从亲戚手里买了套二手房 房款结清了 准备过户 得带上哪些东西", assistant.Answered, "FT-081", assistant.Materials},
		{"深圳居住证怎么申请", "户口本得带上吧", assistant.Answered, "FT-002", assistant.Materials},
		{"不动产权证书丢了 怎么补", "身份证复印件要带吗", assistant.Answered, "FT-080", assistant.Materials},
	})
}
