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
	a, err := zh.Default()
	if err != nil {
		t.Fatal(err)
	}
	ss, err := loadSituations(a.Normalize)
	if err != nil {
		t.Fatal(err)
	}
	ss.wordSpans = a.WordSpans
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
		got := slices.ContainsFunc(ss.detect(a.Normalize(c.msg)), func(s *situation) bool { return s.name == "birth" })
		if got != c.birth {
			t.Errorf("detect(%q) birth = %v, want %v", c.msg, got, c.birth)
		}
	}
}
