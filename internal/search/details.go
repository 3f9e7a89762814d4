package search

// What tells close siblings apart. Two items a clerk keeps apart (补领
// and 换领 of one card, a general item and a group's version of it, two
// benefits of one family) share most of their words: a question about
// either matches both, and the search score, made mostly of the shared
// words, ranks them by length and frequency rather than by what the
// question says of the resident's case. Their differences are in the
// catalogue itself: the words of one item's text (its name, summary,
// conditions, materials) that its siblings' texts lack or hold in a
// less telling field — 遗失 for 补领, 有效期满 for 换领, 退役军人 for a
// veteran's version.

import (
	"slices"
	"strings"
)

// Held is a word of a question and where each of several candidates'
// texts holds it.
type Held struct {
	Text string `json:"text"`
	// From is the question's word or phrase that produced it (itself, or
	// the phrase a synonym rule read: 丢了 for 遗失).
	From string `json:"from"`
	// Weight is the word's weight in the question times its rarity in
	// the catalogue (idf).
	Weight float64 `json:"weight"`
	// In is, by candidate, the ranking weight of the most telling of
	// its own fields holding the word (name, aliases, summary,
	// conditions, materials), 0 where none does. The FAQ, which often
	// names a sibling's case to send the resident there, and the
	// department's or theme's words are not its own.
	In []float64 `json:"in"`
	// Any is, by candidate, whether its text holds the word anywhere
	// (its FAQ and theme too), or holds every part of it (注销 and 登记
	// of 注销登记): a candidate that does is about the thing the word says.
	Any []bool `json:"any"`
	// Named is, by candidate, whether its name holds the word.
	Named []bool `json:"named"`
}

// detailFields are the fields that say what an item itself is.
var detailFields = []Field{FieldName, FieldAlias, FieldSummary, FieldConditions, FieldMaterials}

// Holdings returns the words of q (besides stop words) that the texts of
// some but not all of ids hold, or hold in fields of different weight:
// what can tell those candidates apart.
func (ix *Index) Holdings(q Query, ids []string) []Held {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := len(ix.items)
	docs := make([]int32, len(ids))
	for i, id := range ids {
		d, ok := ix.byID[id]
		if !ok || ix.dead[d] {
			d = -1
		}
		docs[i] = d
	}
	var out []Held
	for _, t := range q.Words {
		if ix.a.IsStop(t.Text) {
			continue
		}
		p := ix.words.terms[t.Text]
		if p == nil || p.live == 0 {
			continue
		}
		in := make([]float64, len(ids))
		anywhere := make([]bool, len(ids))
		named := make([]bool, len(ids))
		differ := false
		var parts []string
		for i, d := range docs {
			if d >= 0 {
				if m, ok := lookup(p, d); ok {
					anywhere[i] = true
					named[i] = m&(1<<FieldName) != 0
					for _, f := range detailFields {
						if m&(1<<f) != 0 {
							in[i] = max(in[i], ix.params.WordWeight[f])
						}
					}
				} else {
					if parts == nil {
						parts = ix.a.TermsNormalized(t.Text)
					}
					anywhere[i] = len(parts) > 1 && !slices.ContainsFunc(parts, func(w string) bool {
						_, ok := lookup(ix.words.terms[w], d)
						return w != t.Text && !ok
					})
				}
			}
		}
		// A word a synonym rule read from the question's own word tells
		// nothing against a candidate that holds that word itself: the
		// resident said 公积金贷款, which 提前还款's text holds, though
		// only 个人住房贷款申请's name holds 个人住房贷款 read from it.
		if t.Source != FromQuery && t.From != "" {
			for i, d := range docs {
				if d < 0 {
					continue
				}
				for _, o := range strings.Split(t.From, "|") {
					if m, ok := lookup(ix.words.terms[o], d); ok {
						anywhere[i] = true
						named[i] = named[i] || m&(1<<FieldName) != 0 || ix.nameHoldsParts(o, d)
					}
				}
			}
		}
		for i := range docs {
			differ = differ || in[i] != in[0] || anywhere[i] != anywhere[0]
		}
		if !differ {
			continue
		}
		from := t.From
		if t.Source == FromQuery || from == "" {
			from = t.Text
		}
		out = append(out, Held{Text: t.Text, From: from, Weight: t.Weight * idf(p.live, n), In: in, Any: anywhere, Named: named})
	}
	return out
}

// nameHoldsParts reports whether document d's name holds every part of
// the phrase w (住房公积金贷款提前还款 holds 公积金 and 贷款 of 公积金贷款).
func (ix *Index) nameHoldsParts(w string, d int32) bool {
	parts := ix.a.TermsNormalized(w)
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == w {
			continue
		}
		m, ok := lookup(ix.words.terms[p], d)
		if !ok || m&(1<<FieldName) == 0 {
			return false
		}
	}
	return true
}
