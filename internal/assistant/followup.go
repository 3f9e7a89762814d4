package assistant

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// staysOn reports whether a message continues with the current item:
// it says nothing of an item (a pure follow-up such as "要带什么"), or the
// current item still fits it well, or nothing else is clearly named.
func (as *Assistant) staysOn(cur string, q search.Query, hits []search.Hit) bool {
	if len(q.Words) == 0 || len(hits) == 0 {
		return true
	}
	top := hits[0]
	if top.ID == cur {
		return true
	}
	for _, h := range hits {
		if h.ID == cur && h.Score >= stayRatio*top.Score {
			return true
		}
	}
	if top.Coverage >= switchCoverage {
		return false
	}
	// A message that opens a new topic (另外, 还有, 顺便问) and names
	// something the current item does not hold at all is about that.
	if hasPrefixAny(q.Norm, newTopic) && top.Coverage > 0 && !slices.ContainsFunc(hits, func(h search.Hit) bool { return h.ID == cur }) {
		return false
	}
	// So does one asking what comes next (之后, 接下来) with a word of its
	// own (税务) that the current item does not match well: the next step
	// of a resident's errand is another item.
	if rest, ok := cutPrefixAny(q.Norm, nextStep); ok && as.namesDomain(rest, top) {
		return false
	}
	return true
}

// newTopic opens a message about something else.
var newTopic = []string{"另外", "还有", "顺便问", "再问", "换个问题", "还想问", "对了"}

// nextStep opens a message about what to do after the current item.
var nextStep = []string{"之后", "接下来", "下一步", "办完之后", "办好之后", "办完以后", "办好以后", "然后还要"}

// cutPrefixAny returns s without the first of ps it starts with.
func cutPrefixAny(s string, ps []string) (string, bool) {
	s = strings.TrimLeft(s, " ,.")
	for _, p := range ps {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

func hasPrefixAny(s string, ps []string) bool {
	s = strings.TrimLeft(s, " ,.")
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// pickCandidate resolves the answer to a clarifying question: an ordinal
// ("第二个", "2"), or words of one candidate's name.
func (as *Assistant) pickCandidate(ctx context.Context, norm string, cands []string) (string, bool) {
	ordinals := [][]string{{"第一", "1", "一个", "前者", "头一个"}, {"第二", "2", "后者"}, {"第三", "3"}}
	trimmed := strings.Trim(norm, " .,!?~")
	for i, words := range ordinals {
		if i >= len(cands) {
			break
		}
		for _, w := range words {
			// 一个 inside a sentence counts things ("就我一个人"): only the
			// whole answer is an ordinal.
			inside := len([]rune(w)) > 1 && w != "一个" && strings.Contains(trimmed, w)
			if trimmed == w || strings.HasPrefix(trimmed, w+"个") || strings.HasPrefix(trimmed, "第"+w) || inside {
				return cands[i], true
			}
		}
	}
	// The candidate whose name the message covers best.
	best, bestScore := "", 0.0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		if as.a.Normalize(it.Name) == trimmed {
			return id, true
		}
		s := overlap(bigramSet(as.a.Normalize(it.Name)), bigramSet(norm))
		if s > bestScore {
			best, bestScore = id, s
		}
	}
	if bestScore >= 0.34 {
		return best, true
	}
	if id, ok := as.pickByOwnWord(norm, cands); ok {
		return id, true
	}
	return as.pickVariant(norm, cands)
}

// pickVariant picks, for an answer saying the thing was lost or must be
// replaced (不见了, 要补), the one candidate that is a variant (补领, 换领).
func (as *Assistant) pickVariant(norm string, cands []string) (string, bool) {
	q := as.cfg.Index.Analyse(norm)
	if !as.asksVariant(q) {
		return "", false
	}
	// The one candidate named for the variant asked (丢了 → 补领), else
	// the one variant among them.
	named, variant := "", ""
	nNamed, nVariant := 0, 0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		name := as.a.Normalize(it.Name)
		for _, w := range q.Words {
			if as.variants[w.Text] && strings.Contains(name, w.Text) {
				named, nNamed = id, nNamed+1
				break
			}
		}
		if as.isVariant(it.Name) {
			variant, nVariant = id, nVariant+1
		}
	}
	switch {
	case nNamed == 1:
		return named, true
	case nVariant == 1:
		return variant, true
	}
	// … else the one whose guide speaks of it (过期 → 换领, whose
	// conditions say 有效期满).
	pick, n := "", 0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		text := as.a.Normalize(itemText(it))
		for _, w := range q.Words {
			if as.variants[w.Text] && strings.Contains(text, w.Text) || w.Source == search.FromQuery && utf8.RuneCountInString(w.Text) >= 2 && strings.Contains(text, w.Text) {
				pick, n = id, n+1
				break
			}
		}
	}
	return pick, n == 1
}

// pickByOwnWord picks the one candidate whose name holds a word of the
// answer, or of its synonyms, that no other candidate's name holds:
// "我是退伍的" answers 创业担保贷款贴息 or 退役军人创业贷款贴息 through
// 退伍 → 退役军人.
func (as *Assistant) pickByOwnWord(norm string, cands []string) (string, bool) {
	names := make([]string, len(cands))
	for i, id := range cands {
		if it, ok := as.cfg.Index.Item(id); ok {
			names[i] = as.a.Normalize(it.Name)
		}
	}
	q := as.cfg.Index.Analyse(norm)
	pick := -1
	for i, name := range names {
		own := false
		for _, w := range q.Words {
			if len([]rune(w.Text)) < 2 || as.generic[w.Text] || !strings.Contains(name, w.Text) {
				continue
			}
			shared := false
			for j, other := range names {
				if j != i && strings.Contains(other, w.Text) {
					shared = true
				}
			}
			if !shared {
				own = true
			}
		}
		if own {
			if pick >= 0 {
				return "", false
			}
			pick = i
		}
	}
	if pick < 0 {
		return "", false
	}
	return cands[pick], true
}

// namesDomain reports whether text holds a word that matched hit and that
// several catalogue items use (税务, 社保): a word of the service domain
// rather than one item's chance wording (还要).
func (as *Assistant) namesDomain(text string, hit search.Hit) bool {
	for _, w := range as.a.Words(text) {
		if utf8.RuneCountInString(w) >= 2 && !as.generic[w] && slices.Contains(hit.Terms, w) && as.cfg.Index.DocFreq(w) >= 2 {
			return true
		}
	}
	return false
}
