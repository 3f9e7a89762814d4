package search_test

import (
	"strings"
	"testing"
)

// The gist of a resident's turn keeps what tells the taught item apart
// and leaves out talk and background, in several styles of turn: a voice
// transcript with fillers, a life story, Cantonese, a written question,
// a short question (kept as it is).
func TestGist(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	cases := []struct {
		name, item, text string
		keep             []string // words the gist must have
		drop             []string // words it must not
	}{
		{"transcript", "FT-003", "呃 是这样 我老公在外地打工 居住证快过期了 他人回不来 孩子明年要在这边读一年级 他的那个证我能不能帮他续一下",
			[]string{"居住证", "过期"}, []string{"呃", "是这样", "打工", "孩子", "一年级"}},
		{"story", "FT-034", "喂 你好 我在深圳租房住了三年 居住证也一直有 上个月老家的房子卖了 我妈跟着我过来住 她七十多了 腿脚不好 想给她申请每个月那种照顾老人的钱",
			[]string{"照顾老人"}, []string{"喂", "你好", "居住证", "租房", "房子卖了", "三年"}},
		// A short turn is a question already: only talk is trimmed.
		{"renewal", "FT-049", "嗯 那个 我的残疾证 好像是十年前办的 现在快到期了 换新的要带什么",
			[]string{"残疾证", "到期", "换新"}, []string{"嗯", "那个", "现在", "要带什么"}},
		{"cantonese", "FT-099", "我间铺头唔做啦 个体户嘅执照点样注销",
			[]string{"个体户", "注销"}, nil},
		{"written", "FT-088", "你好，我是开网约车的，没有单位，想自己交公积金，可以吗？谢谢",
			[]string{"网约车", "没有单位", "公积金"}, []string{"你好", "谢谢", "可以吗"}},
		{"short", "FT-057", "结婚证搬家弄丢了，怎么补？",
			[]string{"结婚证", "弄丢"}, nil},
		// Words a good share of the catalogue has (福田 of every
		// department) say nothing of the item: they stay out.
		{"widespread", "FT-059", "我外婆过世了 公证处要外公外婆当年的婚姻登记档案 他们八几年在福田登记的 我作为外孙能去查吗",
			[]string{"婚姻登记档案"}, []string{"福田登记"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := ix.Gist(c.text, c.item, nil)
			t.Logf("%s → %q", c.text, g)
			for _, w := range c.keep {
				if !strings.Contains(g, w) {
					t.Errorf("gist %q lacks %q", g, w)
				}
			}
			for _, w := range c.drop {
				if strings.Contains(g, w) {
					t.Errorf("gist %q keeps %q", g, w)
				}
			}
			if n := len([]rune(strings.ReplaceAll(g, " ", ""))); n == 0 || n > 24 {
				t.Errorf("gist %q: %d characters", g, n)
			}
		})
	}
	if g := ix.Gist("，。 ", "FT-001", nil); g != "" {
		t.Errorf("gist of punctuation: %q", g)
	}
	// With a rival named (居住证 is what FT-002 and FT-003 share), the
	// word that tells FT-003 apart stays.
	if g := ix.Gist("喂 我在深圳上班两年了 居住证要续一下", "FT-003", []string{"FT-002"}); strings.Contains(g, "两年") || !strings.Contains(g, "续") {
		t.Errorf("gist with a named rival: %q", g)
	}
}

// TestGistOfSharedWordsAlone checks that a turn whose words the taught item
// shares with its siblings (公积金 of every provident-fund item, 社保卡 of
// the card's first issue and its replacement) proposes no gist: taught
// alone, such words would pull every question that has them to the item.
// A turn with a word of its own keeps its gist.
func TestGistOfSharedWordsAlone(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	for _, c := range []struct{ text, item string }{
		{"就是想问问公积金", "FT-089"},
		{"嗯 社保卡", "FT-010"},
		{"我的公积金呢", "FT-083"},
	} {
		if g := ix.Gist(c.text, c.item, nil); g != "" {
			t.Errorf("gist of %q for %s: %q, want none", c.text, c.item, g)
		}
	}
	if g := ix.Gist("公积金缴存证明 银行要", "FT-089", nil); !strings.Contains(g, "缴存证明") {
		t.Errorf("gist with a word of its own: %q", g)
	}
}
