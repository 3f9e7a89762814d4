package assistant

import (
	"math"
	"slices"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// An experimental learned re-ranker (docs/rerank.md): when decide has
// chosen to answer, a linear score over features the pipeline already
// computes for each of the best candidates may pick another of them.
// It is not wired in: rerankWeights is nil, so the rules' choice stands.
// TestRerankFit (FUWU_RERANK_FIT=1) fits the weights by leave-one-set-out
// cross-validation over the learning sets and prints the figures.

// rerankK is how many of the ranked hits compete.
const rerankK = 5

// rerankFeatureNames name the columns of rerankFeatures, in order.
var rerankFeatureNames = []string{
	"chosen", "first", "inv_rank", "score_ratio", "coverage", "named",
	"qword_share", "qweight_share", "f_name", "f_aliases", "f_faq",
	"f_learned", "f_summary", "in_situation", "own_words", "unasked_variant",
	"raw_first", "name_terms",
}

// rerankWeights, when set, re-rank an answer's candidates.
var rerankWeights []float64

// rerankTap, when set (by the fitting test), sees every answer's
// candidates before the choice is final.
var rerankTap func(t *turnState, q search.Query, cands []search.Hit, chosen search.Hit)

// rerankCandidates are the best hits of the turn, with the rules' choice
// among them.
func rerankCandidates(t *turnState, chosen search.Hit) []search.Hit {
	cands := slices.Clone(t.hits[:min(rerankK, len(t.hits))])
	if !slices.ContainsFunc(cands, func(h search.Hit) bool { return h.ID == chosen.ID }) {
		cands = append(cands, chosen)
	}
	return cands
}

// rerankFeatures describe each candidate of a turn, one row each.
func (as *Assistant) rerankFeatures(t *turnState, q search.Query, cands []search.Hit, chosen search.Hit) [][]float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	top := cands[0].Score
	var total float64
	for _, w := range q.Words {
		total += w.Weight
	}
	variant := as.asksVariant(q)
	rows := make([][]float64, len(cands))
	for i, h := range cands {
		var matched float64
		for _, w := range q.Words {
			if slices.Contains(h.Terms, w.Text) {
				matched += w.Weight
			}
		}
		share, wshare := 0.0, 0.0
		if len(q.Words) > 0 {
			share = float64(len(h.Terms)) / float64(len(q.Words))
		}
		if total > 0 {
			wshare = matched / total
		}
		ratio := 0.0
		if top > 0 {
			ratio = h.Score / top
		}
		rows[i] = []float64{
			b(h.ID == chosen.ID), b(i == 0), 1 / float64(i+1), ratio, h.Coverage, b(h.Coverage >= namedCoverage),
			math.Min(share, 1), wshare,
			b(slices.Contains(h.Fields, "name")), b(slices.Contains(h.Fields, "aliases")), b(slices.Contains(h.Fields, "faq")),
			b(slices.Contains(h.Fields, "learned")), b(slices.Contains(h.Fields, "summary")),
			b(inSituations(t.situations, h.Name)), b(namesInOwnWords(h, q)), b(as.isVariant(h.Name) && !variant),
			b(len(t.raw) > 0 && t.raw[0].ID == h.ID), math.Min(float64(len(h.NameTerms)), 4) / 4,
		}
	}
	return rows
}

// rerankScore is the linear score of one row.
func rerankScore(w, x []float64) float64 {
	s := 0.0
	for j := range min(len(w), len(x)) {
		s += w[j] * x[j]
	}
	return s
}

// rerank returns the candidate the weights score highest, or chosen when
// no weights are set.
func (as *Assistant) rerank(t *turnState, q search.Query, chosen search.Hit) search.Hit {
	if rerankTap == nil && rerankWeights == nil || len(t.hits) == 0 {
		return chosen
	}
	cands := rerankCandidates(t, chosen)
	if rerankTap != nil {
		rerankTap(t, q, cands, chosen)
	}
	if rerankWeights == nil {
		return chosen
	}
	rows := as.rerankFeatures(t, q, cands, chosen)
	best, bestScore := chosen, math.Inf(-1)
	for i, x := range rows {
		if s := rerankScore(rerankWeights, x); s > bestScore {
			best, bestScore = cands[i], s
		}
	}
	return best
}
