package assistant

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// rerankSample is one answered item turn of a learning set: its
// candidates' features, the expected item's place among them (-1 when
// absent) and the rules' choice.
type rerankSample struct {
	set    string
	rows   [][]float64
	gold   int
	chosen int
}

// rerankLearningSets are the sets whose labels may be read; held-out sets
// are never played here.
var rerankLearningSets = []string{
	"/work/shared/eval/dev.jsonl", "/work/shared/eval/dev-styles.jsonl",
	"testdata/probes.jsonl", "testdata/probes-talk.jsonl", "testdata/probes-talk-late.jsonl",
	"testdata/fresh.jsonl", "testdata/probes-learn.jsonl", "testdata/probes-dec.jsonl",
	"testdata/probes-night.jsonl", "testdata/probes-dawn.jsonl",
}

// collectRerank plays a set through as and keeps the answered item turns
// whose answer is decide's choice.
func collectRerank(t *testing.T, as *Assistant, path string) []rerankSample {
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	cases, err := ReadEvalCases(f, path)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	set := strings.TrimSuffix(filepath.Base(path), ".jsonl")
	var (
		out  []rerankSample
		last *rerankSample
		ids  []string
	)
	rerankTap = func(ts *turnState, q search.Query, cands []search.Hit, chosen search.Hit) {
		s := rerankSample{set: set, rows: as.rerankFeatures(ts, q, cands, chosen), gold: -1}
		ids = ids[:0]
		for i, h := range cands {
			ids = append(ids, h.ID)
			if h.ID == chosen.ID {
				s.chosen = i
			}
		}
		last = &s
	}
	defer func() { rerankTap = nil }()
	for _, c := range cases {
		conv := ""
		for _, turn := range c.Turns {
			last = nil
			r, err := as.Ask(context.Background(), Request{ConversationID: conv, Message: turn.Q, Channel: "eval"})
			if err != nil {
				t.Fatalf("%s %s: %v", set, c.ID, err)
			}
			conv = r.ConversationID
			if last == nil || turn.Item == "" || r.Status != Answered || len(r.Citations) == 0 || r.Citations[0].ID != ids[last.chosen] {
				continue
			}
			last.gold = slices.Index(ids, turn.Item)
			out = append(out, *last)
		}
	}
	return out
}

// fitRerank fits a conditional logit (softmax over a turn's candidates)
// with an L2 penalty by gradient descent, on the samples whose expected
// item is among the candidates.
func fitRerank(samples []rerankSample, l2 float64, withChosen bool) []float64 {
	nf := len(rerankFeatureNames)
	w := make([]float64, nf)
	if withChosen {
		w[0] = 1 // start from the rules' choice
	}
	var train []rerankSample
	for _, s := range samples {
		if s.gold >= 0 {
			train = append(train, s)
		}
	}
	lr := 0.5
	for range 1500 {
		g := make([]float64, nf)
		for _, s := range train {
			ps := make([]float64, len(s.rows))
			mx := math.Inf(-1)
			for i, x := range s.rows {
				ps[i] = rerankScore(w, x)
				mx = math.Max(mx, ps[i])
			}
			z := 0.0
			for i := range ps {
				ps[i] = math.Exp(ps[i] - mx)
				z += ps[i]
			}
			for i, x := range s.rows {
				p := ps[i] / z
				y := 0.0
				if i == s.gold {
					y = 1
				}
				for j := range x {
					g[j] += (p - y) * x[j]
				}
			}
		}
		for j := range w {
			if j == 0 && !withChosen {
				continue // a ranker of its own, blind to the rules' choice
			}
			w[j] -= lr * (g[j]/float64(len(train)) + l2*w[j])
		}
	}
	return w
}

// rerankPick is the candidate the weights choose: the rules' choice
// unless another beats it by more than margin.
func rerankPick(w []float64, s rerankSample, margin float64) int {
	best, bs := s.chosen, rerankScore(w, s.rows[s.chosen])+margin
	for i, x := range s.rows {
		if sc := rerankScore(w, x); sc > bs {
			best, bs = i, sc
		}
	}
	return best
}

// rerankCount counts the samples the rules and the weights get right.
func rerankCount(w []float64, ss []rerankSample, margin float64) (rules, learned, changed int) {
	for _, s := range ss {
		p := rerankPick(w, s, margin)
		if s.chosen == s.gold {
			rules++
		}
		if p == s.gold {
			learned++
		}
		if p != s.chosen {
			changed++
		}
	}
	return
}

var rerankMargins = []float64{0, 0.5, 1, 2, 3}

// TestRerankFit plays the learning sets, fits the re-ranker leaving one set
// out at a time, prints each held-out fold's figures, then fits on all
// and writes testdata/rerank-weights.json (FUWU_RERANK_FIT=1).
func TestRerankFit(t *testing.T) {
	if os.Getenv("FUWU_RERANK_FIT") == "" {
		t.Skip("set FUWU_RERANK_FIT=1")
	}
	bySet := map[string][]rerankSample{}
	var all []rerankSample
	var sets []string
	for _, p := range rerankLearningSets {
		as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}, Mask: func(s string) string { return s }})
		if err != nil {
			t.Fatal(err)
		}
		ss := collectRerank(t, as, p)
		set := strings.TrimSuffix(filepath.Base(p), ".jsonl")
		sets = append(sets, set)
		bySet[set] = ss
		all = append(all, ss...)
	}
	l2 := 1e-3
	// The margin is chosen on the training folds only.
	pickMargin := func(w []float64, train []rerankSample) float64 {
		best, bestGain := 0.0, math.Inf(-1)
		for _, m := range rerankMargins {
			r, l, _ := rerankCount(w, train, m)
			if g := float64(l - r); g > bestGain {
				best, bestGain = m, g
			}
		}
		return best
	}
	first := 0
	for _, s := range all {
		if s.gold == 0 {
			first++
		}
	}
	fmt.Printf("answered item turns %d: retrieval's first right %d, rules right %d\n", len(all), first, func() (n int) {
		for _, s := range all {
			if s.gold == s.chosen {
				n++
			}
		}
		return
	}())
	for _, withChosen := range []bool{false, true} {
		fmt.Printf("\n== rules' choice as a feature: %v\n", withChosen)
		var tr, tl, tn, tc, inK int
		fmt.Printf("%-18s %5s %5s %6s %6s %7s %s\n", "held-out set", "n", "inK", "rules", "rerank", "changed", "margin")
		for _, held := range sets {
			var train []rerankSample
			for _, s := range all {
				if s.set != held {
					train = append(train, s)
				}
			}
			w := fitRerank(train, l2, withChosen)
			m := 0.0
			if withChosen {
				m = pickMargin(w, train)
			}
			r, l, c := rerankCount(w, bySet[held], m)
			k := 0
			for _, s := range bySet[held] {
				if s.gold >= 0 {
					k++
				}
			}
			fmt.Printf("%-18s %5d %5d %6d %6d %7d %.1f\n", held, len(bySet[held]), k, r, l, c, m)
			tr, tl, tn, tc, inK = tr+r, tl+l, tn+len(bySet[held]), tc+c, inK+k
		}
		fmt.Printf("%-18s %5d %5d %6d %6d %7d\n", "ALL (held-out)", tn, inK, tr, tl, tc)
	}
	type weights struct {
		Features []string  `json:"features"`
		Weights  []float64 `json:"weights"`
		Margin   float64   `json:"margin"`
	}
	for _, withChosen := range []bool{true, false} {
		w := fitRerank(all, l2, withChosen)
		m, file := 0.0, "rerank-weights-alone.json"
		if withChosen {
			m, file = pickMargin(w, all), "rerank-weights.json"
		}
		r, l, c := rerankCount(w, all, m)
		fmt.Printf("\nfit on all, rules' choice as a feature %v: rules %d rerank %d changed %d margin %.1f\n", withChosen, r, l, c, m)
		for j, n := range rerankFeatureNames {
			w[j] = math.Round(w[j]*1e4) / 1e4
			fmt.Printf("  %-16s %+.3f\n", n, w[j])
		}
		b, err := json.MarshalIndent(weights{rerankFeatureNames, w, m}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", file), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
