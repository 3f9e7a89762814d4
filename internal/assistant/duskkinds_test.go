package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestCardActsAndSpentShorthand checks, on made-up messages (plain,
// voice, Cantonese), two kinds probes-dusk showed: a verb said with a
// card or licence in one word (刷卡, 补证) names no document the catalogue
// lacks, so seeing doctors elsewhere on Shenzhen's insurance is still its
// service; and 报 alone in a message about money spent on treatment is
// 报销, while 报 of a work injury or a sign-up is not rewritten.
func TestCardActsAndSpentShorthand(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"下个月去重庆带孙子 医保是深圳的 那边看病能直接刷卡吗", assistant.Answered, "FT-019"},
		{"呃 我要回湖北住大半年 那个 深圳的医保 在那边看病 能不能直接刷卡", assistant.Answered, "FT-019"},
		{"我爸在老家住院花了两万 自己垫付的 回来怎么报", assistant.Answered, "FT-020"},
		{"喂 就是 我出差喺武汉 急诊自己俾咗钱 有发票 返深圳点样报", assistant.Answered, "FT-020"},
		// Still declined: a card a business issues, a licence the
		// catalogue lacks.
		{"游泳馆的年卡丢了能补卡吗", assistant.OutOfScope, ""},
		{"钓鱼证怎么办", assistant.OutOfScope, ""},
	})
}
