package assistant

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestBirthSaidWithAChild checks that a birth told as 生的 or 生了 beside
// a child is recognised, and that 生 ending another word (先生的, 学生的,
// 发生了) or an illness (生了病) is not a birth.
func TestBirthSaidWithAChild(t *testing.T) {
	t.Parallel()
	detects := situationDetector(t)
	for _, c := range []struct {
		msg   string
		birth bool
	}{
		{"我媳妇前几天在人民医院生的 是个儿子", true},
		{"昨天在家附近的医院生了 女孩", true},
		{"闺女上礼拜在妇幼生咗", true},
		{"我先生的户口在老家 孩子想在深圳上学", false},
		{"学生的孩子户口怎么办", false},
		{"孩子生了病住院 户口本找不到了", false},
		{"家里发生了点事 孩子没人管", false},
		{"医院生的 没说是谁", false},
	} {
		got := detects(c.msg, "birth")
		if got != c.birth {
			t.Errorf("detect(%q) birth = %v, want %v", c.msg, got, c.birth)
		}
	}
}

// TestShopOpenedAsActAndObject checks that an act word counts only with
// one of its objects after it in the same clause: 开个 … 小铺 opens a
// business, 开个收入证明 does not, nor 开个 with a shop in another clause.
func TestShopOpenedAsActAndObject(t *testing.T) {
	t.Parallel()
	detects := situationDetector(t)
	for _, c := range []struct {
		msg  string
		open bool
	}{
		{"想在学校对面开个修电脑的小铺", true},
		{"准备在车公庙开一家卖糖水的店", true},
		{"单位让我开个收入证明 去超市上班要用", false},
		{"开一家公司的证明怎么开", false},
	} {
		got := detects(c.msg, "open_business")
		if got != c.open {
			t.Errorf("detect(%q) open_business = %v, want %v", c.msg, got, c.open)
		}
	}
}

// situationDetector reports whether the shipped situations, with the
// segmenter's word spans, detect the named situation in a message.
func situationDetector(t *testing.T) func(msg, name string) bool {
	t.Helper()
	a, err := zh.Default()
	if err != nil {
		t.Fatal(err)
	}
	ss, err := loadSituations(a.Normalize)
	if err != nil {
		t.Fatal(err)
	}
	ss.wordSpans = a.WordSpans
	return func(msg, name string) bool {
		return slices.ContainsFunc(ss.detect(a.Normalize(msg)), func(s *situation) bool { return s.name == name })
	}
}
