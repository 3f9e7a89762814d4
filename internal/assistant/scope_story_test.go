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

// TestOtherCityTiedByLife: another city named as where the resident will
// live or see doctors asks after Shenzhen's cross-city services (异地就医
// 备案, 异地长期居住); the other city's own services, and a hospital
// recommendation there, stay declined (own sentences).
func TestOtherCityTiedByLife(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"moving to the children's city, doctors there", "我要去北京跟子女住 以后在那边看病怎么办", false, ""},
		{"moving to a daughter's city, insurance", "我打算搬到上海跟女儿住 医保怎么办", false, ""},
		{"settling in another city, pension", "老了想去成都定居 养老金在那边怎么领", false, ""},
		{"spoken, retiring to a province", "呃 我退休了 想回湖南长期居住 那个看病报销咋整", false, ""},
		{"Cantonese, seeing doctors there", "我阿妈要去广州同仔女住 睇病点算", false, ""},
		{"another city's own residence permit", "北京的居住证怎么办", true, "其他地区"},
		{"another city's card replaced", "广州社保卡补办", true, "其他地区"},
		{"another city's fund", "上海的公积金怎么提取", true, "其他地区"},
		{"another city's medical card", "杭州的医保卡怎么补办", true, "其他地区"},
		{"a hospital recommended elsewhere", "北京哪家医院看病好", true, ""},
	})
}
