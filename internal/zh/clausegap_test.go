package zh

import (
	"slices"
	"testing"
)

// TestPartsMeetWithinClause checks that the parts of a phrase in parts
// meet anywhere in one clause (up to MaxClauseGap apart), and across a
// clause break only within MaxGap: a foreigner and a company said in one
// breath are a foreign-invested company, said in two clauses far apart
// they need not be.
func TestPartsMeetWithinClause(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const term = "外商投资企业"
	for _, c := range []struct {
		kind, text string
		meet       bool
	}{
		{"plain, one clause", "外国人想在深圳注册一家做咨询的公司", true},
		{"voice, no pause", "就是我老公他是日本人然后我们想一起弄个小公司", true},
		{"Cantonese, one clause", "我系加拿大人打算喺福田搞间做进出口嘅公司", true},
		{"near across a break, as before", "我是外国人,公司怎么弄", true},
		{"far across a break", "朋友是外国人,我打算自己弄一个小公司", false},
		{"far across a pause", "朋友是外国人 我打算自己弄一个小公司", false},
		{"beyond the clause reach", "外国人来了我们这个小区以后大家都说想要一起去弄个公司", false},
	} {
		var terms []string
		for _, e := range a.Synonyms().Expand(a.Normalize(c.text)) {
			terms = append(terms, e.Term)
		}
		if got := slices.Contains(terms, term); got != c.meet {
			t.Errorf("%s: %q adds %s = %v, want %v (%v)", c.kind, c.text, term, got, c.meet, terms)
		}
	}
}
