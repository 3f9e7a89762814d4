package assistant

import (
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// matchFAQ finds the item's FAQ question closest to the message, when it
// is close enough to answer from.
func (as *Assistant) matchFAQ(it *kb.Item, norm string) *kb.FAQ {
	msg := bigramSet(norm)
	var best *kb.FAQ
	bestScore := 0.0
	for i := range it.FAQ {
		s := overlap(bigramSet(as.a.Normalize(it.FAQ[i].Q)), msg)
		if s > bestScore {
			best, bestScore = &it.FAQ[i], s
		}
	}
	if bestScore >= 0.5 {
		return best
	}
	return nil
}

func bigramSet(s string) map[string]bool {
	out := map[string]bool{}
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// overlap is the share of a's bigrams that b has.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for g := range a {
		if b[g] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

func subset(a, b map[string]bool) bool {
	for x := range a {
		if !b[x] {
			return false
		}
	}
	return true
}
