package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestStoryWordsNotRefused checks, on made-up messages (plain, voice,
// Cantonese), that words of the resident's story are not taken for a
// document or service the catalogue lacks: a count of the document said
// before (重新弄一本), a licence said as obtained (执照批下来了), and an
// instruction someone reported (医生说要去办…).
func TestStoryWordsNotRefused(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		// A number or demonstrative with a measure word counts the
		// document named before it.
		{"身份证洗衣服洗烂了 能再办一张吗", assistant.Answered, "FT-004"},
		{"呃 那个 户口本 被小孩撕坏了 嗯 能不能重新弄一本", assistant.Answered, "FT-009"},
		{"离婚证唔见咗 可唔可以补返一本", assistant.Answered, "FT-058"},
		// A licence said as obtained is the story; the seal is asked.
		{"营业执照批下来了 公章在哪刻", assistant.Answered, "FT-093"},
		{"喂 执照办下来了 然后 那个章 要去哪里刻", assistant.Answered, "FT-093"},
		{"执照出嚟咗 公司个章喺边度刻", assistant.Answered, "FT-093"},
		// What a doctor said to go and do names the service.
		{"小孩刚满月 妇幼的医生说要去办出生医学证明", assistant.Answered, "FT-061"},
		{"呃 我老婆 怀孕了 嗯 医院的医生说要去做个生育登记 是吧", assistant.Answered, "FT-063"},
		{"医生话要去做婚检 喺边度做", assistant.Answered, "FT-060"},
		// What a doctor's advice asks stays out of scope.
		{"医生说要多休息 吃什么药好", assistant.OutOfScope, ""},
	})
}
