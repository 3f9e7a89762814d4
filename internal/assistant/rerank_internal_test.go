package assistant

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// TestRerank checks the re-ranker hook: without weights the rules' choice
// stands; with weights the best-scoring candidate among the top hits wins,
// and the rules' choice joins the candidates when ranked below them.
func TestRerank(t *testing.T) {
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	hits := []search.Hit{
		{ID: "a", Name: "甲", Score: 10, Coverage: 0.2},
		{ID: "b", Name: "乙", Score: 8, Coverage: 1},
		{ID: "c", Name: "丙", Score: 5},
		{ID: "d", Name: "丁", Score: 4},
		{ID: "e", Name: "戊", Score: 3},
		{ID: "f", Name: "己", Score: 2},
	}
	weight := func(name string, v float64) []float64 {
		w := make([]float64, len(rerankFeatureNames))
		for j, n := range rerankFeatureNames {
			if n == name {
				w[j] = v
			}
		}
		return w
	}
	tests := []struct {
		name    string
		weights []float64
		chosen  string
		want    string
	}{
		{"no weights keep the rules' choice", nil, "c", "c"},
		{"trusting the rules keeps their choice", weight("chosen", 1), "b", "b"},
		{"score ratio picks retrieval's first", weight("score_ratio", 1), "c", "a"},
		{"coverage picks the named item", weight("coverage", 1), "a", "b"},
		{"a choice below the top k still competes", weight("chosen", 1), "f", "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(w []float64) { rerankWeights = w }(rerankWeights)
			rerankWeights = tt.weights
			ts := &turnState{hits: hits, raw: hits}
			var chosen search.Hit
			for _, h := range hits {
				if h.ID == tt.chosen {
					chosen = h
				}
			}
			if got := as.rerank(ts, search.Query{}, chosen); got.ID != tt.want {
				t.Errorf("rerank chose %s, want %s", got.ID, tt.want)
			}
		})
	}
	if n := len(rerankCandidates(&turnState{hits: hits}, hits[5])); n != rerankK+1 {
		t.Errorf("candidates with a choice below the top %d: %d, want %d", rerankK, n, rerankK+1)
	}
	if n := len(as.rerankFeatures(&turnState{hits: hits}, search.Query{}, hits[:2], hits[0])[0]); n != len(rerankFeatureNames) {
		t.Errorf("feature row has %d columns, want %d", n, len(rerankFeatureNames))
	}
}
