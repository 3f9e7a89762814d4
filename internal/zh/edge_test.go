package zh_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestPhraseKeepsNeighbourWord: a phrase the lexicons hold for matching
// (想领, 想办, 要领, 换证) never takes characters from the word beside it,
// in plain, spoken, dialect-flavoured and terse messages; the phrase is
// still a word where nothing overlaps it.
func TestPhraseKeepsNeighbourWord(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, tc := range []struct {
		text string
		want []string // words Segment must keep whole
	}{
		{"想领养一个", []string{"领养"}},
		{"我想领养一个孩子", []string{"领养", "孩子"}},
		{"想领养一个小孩需要什么手续", []string{"领养", "小孩"}},
		{"我们想领养", []string{"领养"}},
		{"呃 那个 我们家想领养个小孩 要办啥手续", []string{"领养"}},
		{"我想领取失业金", []string{"领取", "失业金"}},
		{"想领取高龄津贴点样搞", []string{"领取", "高龄津贴"}},
		{"想办理居住证咋弄", []string{"办理", "居住证"}},
		{"喂 想办理社保卡", []string{"办理", "社保卡"}},
		{"要领取养老金吗", []string{"领取", "养老金"}},
		{"换证明", []string{"证明"}},
		{"想领", []string{"想领"}},
		{"身份证丢了怎么办", []string{"丢了"}},
	} {
		norm := a.Normalize(tc.text)
		for _, m := range []struct {
			name  string
			cut   func(string) []string
			stops bool // the mode drops stop words (办理)
		}{{"Segment", a.Segment, false}, {"Words", a.Words, true}, {"TermsNormalized", a.TermsNormalized, true}} {
			want := slices.DeleteFunc(slices.Clone(tc.want), func(w string) bool { return m.stops && a.IsStop(w) })
			if got := m.cut(norm); !containsAll(got, want) {
				t.Errorf("%s(%q) = %v, want %v whole", m.name, tc.text, got, want)
			}
		}
	}
}

func containsAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}
