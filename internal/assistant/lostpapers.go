package assistant

import (
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// lossWords say something was lost, stolen or taken by mistake.
var lossWords = []string{"丢", "不见", "找不到", "找不回", "被偷", "偷了", "偷咗", "拿错", "掉了", "遗失", "落在", "冇咗", "唔见", "搵唔返"}

// lostPapers returns, for a message that tells of losing several papers
// at once ("钱包被偷了 身份证和社保卡都在里面") and names no item, the
// item for replacing each paper it names, when there are two or more:
// which to replace first is the resident's to say. A paper is one of the
// message's document words (or a catalogue word the synonym table adds
// for it) that an item's name holds; of those items, one that replaces a
// paper (补领, 补换) comes first.
func (as *Assistant) lostPapers(content string, q search.Query, hits []search.Hit) []search.Hit {
	if _, ok := firstOf(content, lossWords); !ok {
		return nil
	}
	var out []search.Hit
	seen := map[string]bool{}
	for _, w := range as.a.Words(content) {
		if !isDocumentWord(w) || seen[w] {
			continue
		}
		seen[w] = true
		names := append([]string{w}, addedFor(q, []string{w})...)
		var best search.Hit
		for _, h := range hits {
			if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(h.Name, n) }) {
				continue
			}
			if best.ID == "" || as.isVariant(h.Name) && !as.isVariant(best.Name) {
				best = h
			}
		}
		if best.ID != "" && !slices.ContainsFunc(out, func(h search.Hit) bool { return h.ID == best.ID }) {
			out = append(out, best)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out[:min(len(out), 3)]
}
