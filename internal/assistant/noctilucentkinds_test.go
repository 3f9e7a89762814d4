package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-eighth round, chosen on the learning sets, each
// tested on sentences of our own.

// TestRelativeLivingElsewhere checks, on made-up messages, that a place
// said as where one of the resident's family lives or studies (女儿在成都
// 上班) is who the relative is, and the service the resident asks for is
// still answered; and that asking about the service there, or naming the
// place as the service's own, is still declined.
func TestRelativeLivingElsewhere(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"女儿在成都上班 交的是公司给买的医保 我单位医保攒下的余额 能不能跟她共济", assistant.Answered, "FT-025"},
		{"我爸在湛江养老院 一家子都是深户 他满八十了 那份高龄津贴咋个申领", assistant.Answered, "FT-034"},
		// Guards: the service asked about there, or owned by the place.
		{"我姐在佛山 她想在那边申请公租房 要什么条件", assistant.OutOfScope, ""},
		{"我妈在长沙 长沙的高龄津贴怎么领", assistant.OutOfScope, ""},
	})
}
