package search_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// Near-homophones stand in for typos, and only for typos: a window that
// cuts a word the dictionary recognised is what the resident meant.
func TestHomophones(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	for _, c := range []struct {
		q    string
		want string // a term pinyin matching must add ("" for none)
		not  string // a term it must not add
	}{
		{"公基金怎么提取", "公积金", ""},
		{"身分证丢了", "身份证", ""},
		{"居注证怎么办", "居住证", ""},
		{"没单位的人怎么自己交养老保险", "", "认证"}, // 人怎 is 人 + half of 怎么
		{"出生证丢了怎么补", "", "深圳"},       // 生证 is inside 出生证
		{"底保怎么申请", "低保", ""},
		{"账户里剩的钱怎么取", "", "离深"}, // li sheng only folds to li shen
	} {
		added := map[string]bool{}
		for _, w := range ix.Analyse(c.q).Words {
			if w.Source == search.FromPinyin {
				added[w.Text] = true
			}
		}
		if c.want != "" && !added[c.want] {
			t.Errorf("%s: pinyin added %v, want %s", c.q, added, c.want)
		}
		if c.not != "" && added[c.not] {
			t.Errorf("%s: pinyin added %s", c.q, c.not)
		}
	}
}
