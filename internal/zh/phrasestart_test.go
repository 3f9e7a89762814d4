package zh_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestSynonymPhraseStartsAtWordEdge is the start-edge mirror of
// TestSynonymPhraseEndsAtWordEdge: a synonym phrase whose first character
// a longer word before it takes, changing its sense, does not fire (新办 in
// 重新办 is doing it again, not a first registration; 续办 in 继续办 is going
// on with it, not a renewal; 脑瘫 in 电脑瘫痪 is a computer down, not
// cerebral palsy); where the character is a word's edge it still does, and
// so does a phrase whose first character is the verb of the word after it
// (申报户口 still 报户口, 年满60 still 满60). 落在 is a thing lost only when
// left on or in a place (落在出租车上了), not where a household registration
// is (户口落在福田). Own sentences, plain, spoken, Cantonese.
func TestSynonymPhraseStartsAtWordEdge(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, c := range []struct {
		text, phrase, term string
		fires              bool
	}{
		{"房产证丢了 怎么重新办", "新办", "首次", false},
		{"营业执照遗失了如何重新办理", "新办", "首次", false},
		{"嗯 那个 证件 我想重新办一下", "新办", "首次", false},
		{"房本丢咗 点样重新办", "新办", "首次", false},
		{"新办的公司要去税务局报到吗", "新办", "首次", true},
		{"我哋系新办嘅企业 要唔要报税", "新办", "首次", true},
		{"材料没带齐 明天继续办", "续办", "续期", false},
		{"呃 上次没办完 今天过来继续办", "续办", "续期", false},
		{"港澳通行证签注怎么续办", "续办", "续期", true},
		{"签注到期咗 喺边度续办", "续办", "续期", true},
		{"电脑瘫痪了 社保网站上不去", "脑瘫", "", false},
		{"孩子脑瘫 康复补助怎么申请", "脑瘫", "残疾儿童康复", true},
		{"户口落在福田 居住证还要办吗", "落在…上", "遗失", false},
		{"身份证落在出租车上了", "落在…上", "遗失", true},
		{"学生娃的医保在哪里交", "生娃", "", false},
		{"刚生娃 津贴怎么领", "生娃", "生育", true},
		{"宝宝满月后才申报户口 可以吗", "报户口", "入户", true},
		{"呃 我爸年满60了 手续怎么弄", "满60", "法定退休年龄", true},
		{"阿妈年满60 可唔可以领钱", "满60", "法定退休年龄", true},
	} {
		norm := a.Normalize(c.text)
		got := slices.ContainsFunc(a.Synonyms().Expand(norm), func(e zh.Expansion) bool {
			return (e.Phrase == c.phrase || e.Phrase == a.Normalize(c.phrase)) && (c.term == "" || e.Term == c.term)
		})
		if got != c.fires {
			t.Errorf("%q: phrase %q fires = %v, want %v", c.text, c.phrase, got, c.fires)
		}
	}
}
