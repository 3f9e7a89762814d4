package assistant

import (
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

func TestEnglishStem(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"pensions": "pension", "disabilities": "disability", "taxes": "tax", "businesses": "business",
		"benches": "bench", "address": "address", "status": "status", "basis": "basis", "card": "card", "ids": "ids",
	} {
		if got := englishStem(in); got != want {
			t.Errorf("englishStem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEnglishNamesRewrite checks how names are found in a message: all
// their content words, in any order, within the window; a word serves one
// name; words said together go before words strewn about.
func TestEnglishNamesRewrite(t *testing.T) {
	t.Parallel()
	en := &englishNames{byWord: map[string][]int{}}
	for _, n := range []struct{ name, to string }{
		{"martyr survivor pension", "甲"},
		{"survivor allowance", "乙"},
		{"pension insurance", "丙"},
		{"survivor pension", "丁"},
		{"where buy", "哪里买"},
	} {
		en.add(englishName{englishWords(n.name), n.to})
	}
	for _, c := range []struct{ in, want string }{
		{"can grandma get the pension for martyrs' survivors?", "can grandma get the 甲 for ' ?"},
		{"the survivor pension of a martyr", "the 甲 of a"},
		// martyr is too far from the rest (twice the name's length plus two
		// words), so the shorter name is read.
		{"martyr stories are sad, my cousin told me on the bus when we were going home, also survivor and pension", "martyr stories are sad, my cousin told me on the bus when we were going home, also 丁 and"},
		// A word serves one name: the first of two as compact.
		{"survivor pension insurance", "丁 insurance"},
		// Words said together go before a longer name strewn about.
		{"a martyr widow: her survivor pension", "a martyr widow: her 丁"},
		{"where can i buy a fan", "哪里买 can i a fan"},
		{"no english here 养老金", "no english here 养老金"},
	} {
		// Spaces around a name written in are the next step's to tidy.
		if got := strings.Join(strings.Fields(en.rewrite(c.in)), " "); got != c.want {
			t.Errorf("rewrite(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEnglishNamesResolve checks lexicon/english-names.txt against the
// demo catalogue: every item it names is there (a renamed item would
// silently lose its names), and no name holds all the words of another
// item's name, which would make the shorter one name two items.
func TestEnglishNamesResolve(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	en, err := loadEnglishNames(a.Normalize)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, it := range debugIndex(t).Items() {
		names[a.Normalize(it.Name)] = true
	}
	named := map[string]bool{}
	for _, n := range en.names {
		if !names[n.item] {
			t.Errorf("no catalogue item is named %q", n.item)
		}
		named[n.item] = true
	}
	if len(named) != len(names) {
		t.Errorf("english-names.txt names %d items, the catalogue has %d", len(named), len(names))
	}
	for i, n := range en.names {
		for _, o := range en.names[i+1:] {
			if n.item == o.item {
				continue
			}
			inside := func(a, b []string) bool {
				return !slices.ContainsFunc(a, func(w string) bool { return !slices.Contains(b, w) })
			}
			if inside(n.words, o.words) || inside(o.words, n.words) {
				t.Errorf("%v (%s) and %v (%s): one name holds the other", n.words, n.item, o.words, o.item)
			}
		}
	}
}
