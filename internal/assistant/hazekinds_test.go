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
