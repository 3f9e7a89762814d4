package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestReplyToAGuess checks, on made-up dialogues, that an answer which
// named none of its candidates is read as a guess: a reply telling more of
// the case, read with the question it follows, chooses among the guess's
// candidates (a company's social-security account after a seal asked as
// 章), while a follow-up that the item guessed explains, or an aside about
// something no item is, is left to the thread's own rules.
func TestReplyToAGuess(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"执照刚办好 章去哪刻 收费吗", "下周新员工来上班 公司的社保户头去哪开", assistant.Answered, "FT-095", ""},
		{"执照刚办好 章去哪刻 收费吗", "要带营业执照原件吗", assistant.Answered, "FT-093", assistant.Materials},
		{"我有深圳居住证 女朋友没有 能在福田领结婚证吗", "她户口本在老家 复印件可以吗", assistant.Answered, "FT-055", ""},
		{"我有深圳居住证 女朋友没有 能在福田领结婚证吗", "对了 你能帮我写个婚礼致辞吗", assistant.OutOfScope, "", ""},
	})
}
