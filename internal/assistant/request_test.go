package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestRequestOverStory checks that in a message that tells a story and
// then asks, the item the asking clause names beats a sibling item a
// word of the story's past names ("结婚证以前丢了 … 现在想离婚": the
// divorce, not the lost certificate), in plain, voice-transcript and
// Cantonese-flavoured styles; and that the rule keeps out of what it must
// not touch: a purpose clause at the end ("…要用"), a request that names
// nothing of its own ("要去哪里办"), a story that asks a question of its
// own, and a single-clause question.
func TestRequestOverStory(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, msg, item string
	}{
		{"plain", "我们结婚五年了 一直没怀上 想抱养一个孩子 可以吗", "FT-065"},
		{"plain", "结婚证以前弄丢了 已经补办好了 现在想离婚 去哪里办", "FT-056"},
		{"plain", "上个月已经做了失业登记 失业金能领吗", "FT-015"},
		{"plain", "出生医学证明上周已经拿到了 小孩入户可以网上办吗", "FT-001"},
		{"plain", "老人家去年已经办了长者卡 想申请长者饭堂 怎么申请", "FT-037"},
		{"voice", "我妈去年已经办了长者卡 嗯 那个 想申请长者饭堂 在哪里申请", "FT-037"},
		{"voice", "呃 结婚证 以前丢过 已经补领过了 嗯 现在想离婚 去哪里办离婚", "FT-056"},
		{"cantonese", "我上个月已经做咗失业登记 失业金点样攞", "FT-015"},
		{"cantonese", "阿妈旧年已经办咗长者卡 想申请长者饭堂 点样申请", "FT-037"},
		{"cantonese", "结婚证以前补领过 依家想离婚 去边度办", "FT-056"},
		// What the rule must leave alone.
		{"purpose clause", "结婚证前几天搬家弄丢了 下个月办房贷要用", "FT-057"},
		{"purpose clause", "孩子的出生证明丢了 现在入户要用", "FT-062"},
		{"request names nothing", "我爸前年过世了 户口还没注销 要去哪里办", "FT-119"},
		{"story asks too", "社区有老人饭堂吗 怎么报名", "FT-037"},
		{"request names nothing", "残疾证到期了要换新证 怎么换", "FT-049"},
		{"story of what is coming", "我儿子明年该上小学了 现在要怎么报名", "FT-067"},
		{"single clause", "异地就医备案怎么办", "FT-019"},
		{"single clause", "收养登记要什么条件", "FT-065"},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if r.Status == assistant.Answered && len(r.Citations) > 0 {
			got = r.Citations[0].ID
		}
		if got != c.item {
			t.Errorf("%s: %q → %s %s, want %s", c.kind, c.msg, r.Status, got, c.item)
		}
	}
}
