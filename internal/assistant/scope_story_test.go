package assistant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// storyCase is a message and whether it must be declined.
type storyCase struct {
	kind, msg string
	declined  bool
	says      string // when declined, a phrase the reply must hold ("" any)
}

func checkDeclines(t *testing.T, cases []storyCase) {
	t.Helper()
	as := demoAssistant(t, nil)
	for _, c := range cases {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		got := r.Status == assistant.OutOfScope
		if got != c.declined {
			t.Errorf("%s: %q → %s (%s), want declined=%v", c.kind, c.msg, r.Status, r.Answer, c.declined)
			continue
		}
		if c.declined && c.says != "" && !strings.Contains(r.Answer, c.says) {
			t.Errorf("%s: %q → %q, want it to say %q", c.kind, c.msg, r.Answer, c.says)
		}
	}
}

// TestAbuseWordsInKinship: an abuse word inside a kinship phrase (孩子他妈,
// 我妈的, 他妈妈) is a mother, not abuse; the same words alone still are
// (own sentences, plain, spoken and Cantonese-flavoured).
func TestAbuseWordsInKinship(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"the child's mother", "孩子他妈上个月生了二胎 生育津贴怎么领", false, ""},
		{"my mother's card", "我妈的社保卡不见了 去哪里补", false, ""},
		{"his mother, 他妈妈", "他妈妈今年八十五了 高龄津贴能申请吗", false, ""},
		{"spoken, my mum's", "呃 就是 我妈妈的医保 能不能跟我的绑在一起用", false, ""},
		{"Cantonese, 我老妈的", "我老妈的长者卡唔见咗 点样补办", false, ""},
		{"abuse, 他妈的", "他妈的什么破系统", true, "转人工"},
		{"abuse, 妈的 at the start", "妈的 又是这个回答", true, "转人工"},
		{"abuse, 你妈的", "你妈的 到底能不能办", true, "转人工"},
		{"abuse, 这他妈", "这他妈问了半天都说不清", true, "转人工"},
	})
}
