package zh_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestSynonymPhraseEndsAtWordEdge: a synonym phrase whose last character
// a longer dictionary word after it takes, changing its sense, does not
// fire (一个人住 in 一个人住院 is not living alone, 想领 in 想领养 is not
// claiming a benefit); a continuation that keeps its sense still does
// (想办 in 想办理, 被裁 in 被裁员, 落 in 落到), and so does a mis-cut
// neighbour (想领 in 想领养老金). Own sentences, plain, spoken, Cantonese.
func TestSynonymPhraseEndsAtWordEdge(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, c := range []struct {
		text, phrase, term string
		fires              bool
	}{
		{"我妈一个人住院 没人陪护", "一个人住", "独居", false},
		{"呃 我爸 一个人住院住了半个月", "一个人住", "独居", false},
		{"老人一个人住 有什么补贴", "一个人住", "独居", true},
		{"阿婆一个人住咗好多年", "一个人住", "独居", true},
		{"我们想领养一个小孩", "想领", "申领", false},
		{"退休了想领养老金", "想领", "申领", true},
		{"想办理居住证", "想办", "申领", true},
		{"被裁员了 补贴怎么领", "被裁", "失业", true},
		{"新办企业在哪个税务局报到", "个税", "", false},
		{"退休后回老家住 医保怎么弄", "回老家住", "异地长期居住", true},
		{"我妈回老家住院了 医保怎么报", "回老家住", "异地长期居住", false},
		{"生了孩子怎么上户口", "上户", "入户", true},
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
