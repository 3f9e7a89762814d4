package zh_test

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for in, want := range map[string]string{
		"ＡＰＰ上能办吗？":      "app上能办吗?",
		"結婚登記需要帶什麼證件":   "结婚登记需要带什么证件",
		"户囗本丢了":         "户口本丢了",
		"  身份证　　过期了 \t": "身份证 过期了",
		"《出生医学证明》、户口簿。": "\"出生医学证明\",户口簿.",
		"Ｈｉ 孩子":         "hi 孩子",
	} {
		if got := a.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermsKeepsLexiconWords(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, tc := range []struct {
		text string
		want []string // must be among the terms
		not  []string // must not be
	}{
		{"我想在手机上办理高龄津贴", []string{"手机", "高龄津贴"}, []string{"在手", "我", "想"}},
		{"社保卡丢了咋补", []string{"社保卡"}, []string{"咋"}},
		{"公积金提取", []string{"公积金", "提取"}, nil},
		{"娃刚出生怎么上户口", []string{"出生", "上户口"}, []string{"怎么"}},
		// A synonym term of four characters inside a longer lexicon word.
		{"医保关系转移接续", []string{"医保", "转移", "转移接续"}, nil},
	} {
		got := a.Terms(tc.text)
		set := map[string]bool{}
		for _, w := range got {
			set[w] = true
		}
		for _, w := range tc.want {
			if !set[w] {
				t.Errorf("Terms(%q) = %v, missing %q", tc.text, got, w)
			}
		}
		for _, w := range tc.not {
			if set[w] {
				t.Errorf("Terms(%q) = %v, should not contain %q", tc.text, got, w)
			}
		}
	}
}

func TestSynonymsExpand(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	if n := a.Synonyms().Len(); n < 400 {
		t.Errorf("synonym table has %d phrases, want hundreds", n)
	}
	for text, want := range map[string][]string{
		"退休金怎么领":  {"养老金"},
		"低保怎么申请":  {"最低生活保障"},
		"社保卡丢了":   {"社会保障卡", "遗失"},
		"生孩子要办什么": {"生育"},
		"给娃上户口":   {"入户", "子女"},
	} {
		var got []string
		for _, e := range a.Synonyms().Expand(a.Normalize(text)) {
			got = append(got, e.Term)
		}
		for _, w := range want {
			if !contains(got, w) {
				t.Errorf("Expand(%q) = %v, missing %q", text, got, w)
			}
		}
	}
	// A term already in the text is not added again.
	for _, e := range a.Synonyms().Expand("社会保障卡") {
		if e.Term == "社会保障卡" {
			t.Error("expanded a term already present")
		}
	}
}

// TestSynonymsExpandScan checks the one-pass scan against the plain
// definition: every rule whose phrase occurs in the text, longest phrase
// first, each (term, phrase) once, terms the text has left out.
func TestSynonymsExpandScan(t *testing.T) {
	t.Parallel()
	id := func(s string) string { return s }
	table := "上户口 报户口 户口 = 入户 落户\n生娃 娃 = 生育 子女\n户口本 = 户口簿\n口本 = 本子\n娃娃 = 子女\n"
	s, err := zh.ParseSynonyms(table, id)
	if err != nil {
		t.Fatal(err)
	}
	naive := func(text string) []zh.Expansion {
		// The rules in the order Expand promises: longest phrase first,
		// table order among equals.
		type rule struct {
			phrase string
			adds   []string
		}
		var rules []rule
		for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
			left, right, _ := strings.Cut(line, "=")
			for _, p := range strings.Fields(left) {
				rules = append(rules, rule{p, strings.Fields(right)})
			}
		}
		sort.SliceStable(rules, func(i, j int) bool { return len(rules[i].phrase) > len(rules[j].phrase) })
		var out []zh.Expansion
		seen := map[zh.Expansion]bool{}
		for _, r := range rules {
			if !strings.Contains(text, r.phrase) {
				continue
			}
			for _, a := range r.adds {
				e := zh.Expansion{Term: a, Phrase: r.phrase}
				if !seen[e] && !strings.Contains(text, a) {
					seen[e] = true
					out = append(out, e)
				}
			}
		}
		return out
	}
	for _, text := range []string{
		"", "无关的话", "给娃上户口", "娃娃的户口本丢了", "户口户口户口", "生娃以后报户口要带户口本",
		"娃", "落户", "上户口本子", "口本", "ab娃c",
	} {
		if got, want := s.Expand(text), naive(text); !reflect.DeepEqual(got, want) {
			t.Errorf("Expand(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestBigramsAcross(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	grams, across := a.BigramsAcross(a.Normalize("房产证丢了怎么办 app 能办吗"))
	got := map[string]bool{}
	for i, g := range grams {
		got[g] = across[i]
	}
	for g, want := range map[string]bool{
		"房产": false, "产证": false, // inside 房产证
		"证丢": true,  // straddles the edge of 房产证
		"能办": false, // between single-character words
	} {
		if v, ok := got[g]; !ok || v != want {
			t.Errorf("bigram %s: across %v (present %v), want %v", g, v, ok, want)
		}
	}
	if want := zh.Bigrams(a.Normalize("房产证丢了怎么办 app 能办吗")); !reflect.DeepEqual(grams, want) {
		t.Errorf("grams %v, want the same as Bigrams %v", grams, want)
	}
}

func TestSynonymsInParts(t *testing.T) {
	t.Parallel()
	s, err := zh.ParseSynonyms("找工作…补贴 = 求职补贴\n个体户…交…公积金 = 缴存登记\n", func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"找工作补贴":                  true,
		"找工作有没有补贴":               true,  // three characters between
		"找工作的时候有没有补贴":            true,  // six
		"找工作的时候有没有什么补贴":          true,  // eight, in one clause
		"找工作的时候,有没有什么补贴":         false, // eight, across a clause break
		"找工作的时候 有没有什么补贴":         false, // eight, across a pause
		"找工作,有补贴吗":               true,  // within six, across a break
		"找工作的时候我们这些刚毕业的人有没有什么补贴": false, // beyond MaxClauseGap
		"补贴找工作":                  false, // out of order
		"找工作?有补贴吗":               false, // a sentence end between
		"个体户能不能交公积金":             true,
		"个体户公积金能交吗":              false,
	} {
		got := len(s.Expand(text)) > 0
		if got != want {
			t.Errorf("Expand(%q) fired %v, want %v", text, got, want)
		}
	}
	for _, w := range s.Words() {
		if strings.Contains(w, zh.Gap) {
			t.Errorf("phrase in parts %q offered to the segmenter", w)
		}
	}
	if _, err := zh.ParseSynonyms("找工作…… = 求职", func(s string) string { return s }); err == nil {
		t.Error("an empty part was accepted")
	}
}

func TestSynonymsClasses(t *testing.T) {
	t.Parallel()
	s, err := zh.ParseSynonyms(`@child = 儿子 女儿
@old = 老人 我妈
就一个{child} = 独生子女
{old}…一个人住 一个人住…{old} = 独居
{old}{child} = 老人子女
`, func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"我们就一个儿子":      "独生子女",
		"就一个女儿 去年出了意外": "独生子女",
		"就一个孩子":        "", // not a member of the class
		"我妈现在一个人住":     "独居",
		"一个人住 我妈八十了":   "独居",
		"我一个人住 想问公租房":  "", // no old person
		"我妈儿子":         "老人子女",
	} {
		var got []string
		for _, e := range s.Expand(text) {
			got = append(got, e.Term)
		}
		if want == "" && len(got) > 0 || want != "" && !slices.Contains(got, want) {
			t.Errorf("Expand(%q) = %v, want %q", text, got, want)
		}
	}
	for _, w := range s.Words() {
		if strings.Contains(w, "{") || w == "就一个儿子" || w == "我妈儿子" {
			t.Errorf("pattern %q offered to the segmenter", w)
		}
	}
	for _, bad := range []string{"就一个{kid} = 独生子女", "@ = 儿子", "@child =", "@child = 儿子\n就一个{child = 独生子女", "@child = 儿子\n就一个child} = 独生子女"} {
		if _, err := zh.ParseSynonyms(bad, func(s string) string { return s }); err == nil {
			t.Errorf("ParseSynonyms(%q) accepted", bad)
		}
	}
}

func TestParseSynonymsErrors(t *testing.T) {
	t.Parallel()
	id := func(s string) string { return s }
	for _, bad := range []string{"没有等号", "= 只有右边", "只有左边 ="} {
		if _, err := zh.ParseSynonyms(bad, id); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseSynonyms(%q) error %v, want a line-1 error", bad, err)
		}
	}
}

func TestPinyinKey(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	same := [][2]string{
		{"公基金", "公积金"}, // same sound
		{"居注证", "居住证"}, // zh/z
		{"执找", "执照"},
		{"身分证", "身份证"},
		{"失业经", "失业金"}, // jing/jin
		{"金贴", "津贴"},
	}
	for _, p := range same {
		if a.PinyinKey(p[0]) != a.PinyinKey(p[1]) || a.PinyinKey(p[0]) == "" {
			t.Errorf("PinyinKey(%s)=%q, PinyinKey(%s)=%q: want equal", p[0], a.PinyinKey(p[0]), p[1], a.PinyinKey(p[1]))
		}
	}
	if a.PinyinKey("社保") == a.PinyinKey("医保") {
		t.Error("社保 and 医保 must differ")
	}
	if a.PinyinKey("app") != "" {
		t.Error("non-Han words have no key")
	}
}

func TestBigrams(t *testing.T) {
	t.Parallel()
	got := zh.Bigrams("户口本 app 补办,丢")
	want := []string{"户口", "口本", "补办", "丢"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Bigrams = %v, want %v", got, want)
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"娃刚出生怎么上户口", "ＡＰＰ", "", "\xff\xfe", "户囗本丢了，补一个要钱吗？", "a1b2 c3"} {
		f.Add(s)
	}
	a := zh.MustDefault()
	f.Fuzz(func(t *testing.T, s string) {
		n := a.Normalize(s)
		if a.Normalize(n) != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, a.Normalize(n))
		}
		for _, w := range a.TermsNormalized(n) {
			if w == "" || strings.TrimSpace(w) != w {
				t.Fatalf("bad term %q from %q", w, s)
			}
		}
		_ = zh.Bigrams(n)
		_ = a.Synonyms().Expand(n)
		_ = a.PinyinKey(n)
	})
}

func BenchmarkTerms(b *testing.B) {
	a := zh.MustDefault()
	q := "老公是深户，宝宝刚出生一个礼拜，孩子户口咋落，要带什么材料，能在手机上办吗"
	b.SetBytes(int64(len(q)))
	for b.Loop() {
		a.Terms(q)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := zh.Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// TestANotAKeptWhole checks that an A-not-A question form is cut whole,
// not joined with what follows into a rare idiom (不能自己).
func TestANotAKeptWhole(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, c := range []struct{ in, notWord string }{
		{"我这种能不能自己交", "不能自己"},
		{"医保能不能自己交", "不能自己"},
	} {
		for _, w := range a.Words(a.Normalize(c.in)) {
			if w == c.notWord {
				t.Errorf("Words(%q) holds %q: %q", c.in, c.notWord, a.Words(a.Normalize(c.in)))
			}
		}
	}
}

// TestEverydayCharactersAreWords: a common character that is a word on
// its own (进, 回, 出, 领, 报) does not glue to the next word's first
// character; the trimmed dictionary had lost them (see gendict).
func TestEverydayCharactersAreWords(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	for _, c := range []struct{ in, word string }{
		{"是迁进深圳", "深圳"},
		{"回天津办", "天津"},
		{"出国留学", "出国"},
		{"领养老金", "养老金"},
		{"报医药费", "医药费"},
	} {
		if ws := a.Segment(a.Normalize(c.in)); !slices.Contains(ws, c.word) {
			t.Errorf("Segment(%q) = %q, want %q whole", c.in, ws, c.word)
		}
	}
}
