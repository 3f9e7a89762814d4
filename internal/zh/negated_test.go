package zh_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestNegatedPhraseSaidByItsRule checks that a phrase right after a
// negation does not fire when the negated phrase is a rule of its own,
// which says what not doing it means (不开公司 is trading alone, so 开公司
// does not add the company's registration), and that a negated phrase no
// rule holds still fires (没上户口 asks for the registration). Own
// sentences, plain, spoken, Cantonese.
func TestNegatedPhraseSaidByItsRule(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, c := range []struct {
		text, phrase, term string
		fires              bool
	}{
		{"我一个人卖水果 不开公司 要办什么照", "开公司", "有限责任公司", false},
		{"嗯 就我自己 不开公司 那个 要登记吗", "开公司", "有限责任公司", false},
		{"我唔开公司 自己做 要办咩牌", "开公司", "有限责任公司", false},
		{"我一个人卖水果 不开公司 要办什么照", "不开公司", "个体工商户", true},
		{"想和朋友开公司 怎么注册", "开公司", "有限责任公司", true},
		{"孩子半岁了还没上户口", "上户口", "入户", true},
	} {
		norm := a.Normalize(c.text)
		got := slices.ContainsFunc(a.Synonyms().Expand(norm), func(e zh.Expansion) bool {
			return e.Phrase == a.Normalize(c.phrase) && (c.term == "" || e.Term == c.term)
		})
		if got != c.fires {
			t.Errorf("%q: phrase %q fires = %v, want %v", c.text, c.phrase, got, c.fires)
		}
	}
}
