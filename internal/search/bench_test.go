package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// synthCatalog makes n items from the fixture's vocabulary: each takes
// its name from the words of two fixture names and its other fields from
// different fixture items, with a fifth of the words of every sentence
// swapped for random words of the vocabulary, so that sizes and word
// statistics stay realistic while every item and every long text differs
// (material names and departments repeat, as they do in real catalogues).
func synthCatalog(base []kb.Item, n int) []kb.Item {
	a := zh.MustDefault()
	r := rand.New(rand.NewPCG(1, 2))
	var nameWords [][]string
	var vocab []string
	for i := range base {
		nameWords = append(nameWords, a.Segment(base[i].Name))
		for _, t := range append([]string{base[i].Summary}, base[i].Conditions...) {
			vocab = append(vocab, a.Segment(t)...)
		}
	}
	perturb := func(s string) string {
		ws := a.Segment(s)
		for i := range ws {
			if r.IntN(5) == 0 {
				ws[i] = vocab[r.IntN(len(vocab))]
			}
		}
		return strings.Join(ws, "")
	}
	perturbAll := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = perturb(s)
		}
		return out
	}
	pick := func() *kb.Item { return &base[r.IntN(len(base))] }
	out := make([]kb.Item, n)
	for i := range out {
		w1, w2 := nameWords[r.IntN(len(nameWords))], nameWords[r.IntN(len(nameWords))]
		name := ""
		for _, w := range w1[:max(1, len(w1)/2)] {
			name += w
		}
		for _, w := range w2[len(w2)/2:] {
			name += w
		}
		s, c, m, p, f := pick(), pick(), pick(), pick(), pick()
		out[i] = kb.Item{
			ID: fmt.Sprintf("S-%06d", i), Name: name, Theme: s.Theme, Department: s.Department, Kind: s.Kind,
			Summary: perturb(s.Summary), Conditions: perturbAll(c.Conditions), Materials: m.Materials,
			Process: perturbAll(p.Process), FAQ: f.FAQ,
		}
	}
	return out
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

var sizes = []int{10_000, 100_000}

// BenchmarkBuild measures building the index (segmentation included) and
// the heap it occupies.
func BenchmarkBuild(b *testing.B) {
	base := search.DemoItems(b)
	zh.MustDefault()
	for _, n := range sizes {
		items := synthCatalog(base, n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			var mb float64
			for b.Loop() {
				before := heapMB()
				ix := search.New(zh.MustDefault(), search.DefaultParams())
				ix.Replace(items)
				mb = heapMB() - before
				runtime.KeepAlive(ix)
			}
			b.ReportMetric(mb, "MB-heap")
		})
	}
}

// BenchmarkQuery measures one question against catalogues of 10 000 and
// 100 000 items and reports per-query p50 and p99 (run with -cpu 1 for the
// one-core figures).
func BenchmarkQuery(b *testing.B) {
	base := search.DemoItems(b)
	cases := loadFirstTurns(b)
	for _, n := range sizes {
		ix := search.New(zh.MustDefault(), search.DefaultParams())
		ix.Replace(append(synthCatalog(base, n-len(base)), base...))
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				ix.Search(ctx, cases[i%len(cases)].Q, 5)
				lat = append(lat, time.Since(start))
				i++
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
