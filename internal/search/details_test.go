package search_test

import (
	"testing"
)

// TestHoldings checks what tells close siblings apart: a word of the
// question one candidate's own text holds and another's lacks comes back
// with where each holds it; a word every candidate holds alike does not;
// the FAQ alone does not make a word the item's own, though it shows the
// item is about it.
func TestHoldings(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	for _, c := range []struct {
		q      string
		ids    []string
		word   string
		in     []bool // whether each candidate's own text holds word
		absent string // a word shared alike, not returned
	}{
		// 补领 is for a lost card, 换领 for an expired or damaged one.
		{"身份证丢失了怎么办", []string{"FT-004", "FT-005"}, "丢失", []bool{false, true}, "身份证"},
		{"身份证有效期满了", []string{"FT-004", "FT-005"}, "有效期满", []bool{true, false}, "身份证"},
		// The veterans' version names its group; the general item does not.
		{"退役军人创业贷款贴息", []string{"FT-027", "FT-116"}, "退役军人", []bool{false, true}, "贴息"},
	} {
		hs := ix.Holdings(ix.Analyse(c.q), c.ids)
		found := false
		for _, h := range hs {
			if h.Text == c.absent {
				t.Errorf("%q: %q is held alike by %v, yet returned", c.q, c.absent, c.ids)
			}
			if h.Text != c.word {
				continue
			}
			found = true
			if h.Weight <= 0 {
				t.Errorf("%q: %q weighs %v", c.q, c.word, h.Weight)
			}
			for i, want := range c.in {
				if got := h.In[i] > 0; got != want {
					t.Errorf("%q: %q held by %s = %v, want %v", c.q, c.word, c.ids[i], got, want)
				}
				if want && !h.Any[i] {
					t.Errorf("%q: %q held by %s but not counted anywhere", c.q, c.word, c.ids[i])
				}
			}
		}
		if !found {
			t.Errorf("%q: %q not among %+v", c.q, c.word, hs)
		}
	}
}
