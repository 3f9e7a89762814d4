package library

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// lawsDir is the bundled copy of the shared law folder
// (../shared/library/laws); FUWU_LIBRARY_LAWS points elsewhere.
func lawsDir() string {
	if d := os.Getenv("FUWU_LIBRARY_LAWS"); d != "" {
		return d
	}
	return "../../data/library/laws"
}

func openLaws(t testing.TB, opt Options) *Library {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, Migrations)
	if opt.Now == nil {
		opt.Now = clock("2026-01-15")
	}
	l, err := Open(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.PutCollection(ctx, Collection{Name: "laws", Visibility: Public}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ImportFS(ctx, os.DirFS(lawsDir()), ".", "laws", "test"); err != nil {
		t.Fatal(err)
	}
	return l
}

// shared is one library of the bundled laws for the tests that only read
// it (importing 25 laws under the race detector takes a while).
var shared struct {
	once sync.Once
	db   *store.DB
	lib  *Library
	dir  string
	err  error
}

func sharedLaws(t testing.TB) *Library {
	t.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		if shared.dir, shared.err = os.MkdirTemp("", "library-test-"); shared.err != nil {
			return
		}
		if shared.db, shared.err = store.Open(ctx, "sqlite:"+filepath.Join(shared.dir, "laws.db")); shared.err != nil {
			return
		}
		if shared.err = shared.db.Migrate(ctx, Migrations); shared.err != nil {
			return
		}
		if shared.lib, shared.err = Open(ctx, shared.db, Options{Now: clock("2026-01-15")}); shared.err != nil {
			return
		}
		if shared.err = shared.lib.PutCollection(ctx, Collection{Name: "laws", Visibility: Public}); shared.err != nil {
			return
		}
		_, shared.err = shared.lib.ImportFS(ctx, os.DirFS(lawsDir()), ".", "laws", "test")
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.lib
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.db != nil {
		shared.db.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func readCasesFile(t testing.TB, path string) []EvalCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestEval scores the development set (a copy of ../shared/library/dev.jsonl),
// the probe set written before tuning and the not-found calibration set,
// and fails below the floors of the figures in the README.
func TestEval(t *testing.T) {
	t.Parallel()
	l := sharedLaws(t)
	for _, c := range []struct {
		file                 string
		top1, rec3, nf, nfFP float64
	}{
		{"testdata/dev.jsonl", 0.58, 0.83, 0, 0.05},
		{"testdata/probe.jsonl", 0.6, 0.7, 0.5, 0.1},
		{"testdata/probe2.jsonl", 0.7, 0.8, 0.5, 0.1},
		{"testdata/probe3.jsonl", 0.6, 0.75, 0.5, 0.1},
		{"testdata/context_dev.jsonl", 0.6, 0.9, 0, 0},
		{"testdata/notfound_calib.jsonl", 0, 0, 0.5, 0},
	} {
		r, err := Evaluate(context.Background(), readCasesFile(t, c.file), l.AskCase)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: article_top1 %.3f article_recall3 %.3f notfound_recall %.3f notfound_false %.3f turns %d",
			c.file, r.ArticleTop1, r.ArticleRecall3, r.NotFoundRecall, r.NotFoundFalse, r.Turns)
		if os.Getenv("FUWU_EVAL_MISSES") != "" {
			for _, m := range r.Misses {
				t.Logf("  %s %s | want %s | got %s", m.ID, m.Q, m.Want, m.Got)
			}
		}
		if r.ArticleTop1 < c.top1 || r.ArticleRecall3 < c.rec3 || r.NotFoundRecall < c.nf || r.NotFoundFalse > c.nfFP {
			t.Errorf("%s below the floor %+v", c.file, c)
		}
	}
}

// bm25 is the baseline of the README: plain BM25 (k1 1.2, b 0.75) over the
// same articles, segmented by the same analyser, no synonyms, no law
// prior, no bigrams.
type bm25 struct {
	an   *zh.Analyzer
	docs []entry
	tf   []map[string]int
	len  []int
	df   map[string]int
	avg  float64
}

func newBM25(l *Library) *bm25 {
	b := &bm25{an: l.an, df: map[string]int{}}
	ix := l.indexes["laws"]
	ids := make([]string, 0, len(ix.entries))
	for id := range ix.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	total := 0
	for _, id := range ids {
		e := ix.entries[id]
		if ix.citation(scored{entry: e}).Standing != InForce {
			continue
		}
		words := b.terms(e.art.Body())
		tf := map[string]int{}
		for _, w := range words {
			tf[w]++
		}
		for w := range tf {
			b.df[w]++
		}
		b.docs, b.tf, b.len = append(b.docs, e), append(b.tf, tf), append(b.len, len(words))
		total += len(words)
	}
	b.avg = float64(total) / float64(len(b.docs))
	return b
}

func (b *bm25) terms(s string) []string {
	var out []string
	for _, w := range b.an.Segment(b.an.Normalize(s)) {
		if !b.an.IsStop(w) && isHanWord(w) {
			out = append(out, w)
		}
	}
	return out
}

func (b *bm25) ask(_ context.Context, c EvalCase) (Answer, error) {
	q := b.terms(c.Q + c.Context)
	type hit struct {
		i int
		s float64
	}
	var hits []hit
	n := float64(len(b.docs))
	for i, tf := range b.tf {
		s := 0.0
		for _, w := range q {
			f := float64(tf[w])
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(b.df[w])+0.5)/(float64(b.df[w])+0.5))
			s += idf * f * 2.2 / (f + 1.2*(0.25+0.75*float64(b.len[i])/b.avg))
		}
		if s > 0 {
			hits = append(hits, hit{i, s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].s > hits[j].s })
	a := Answer{Status: Answered}
	for _, h := range hits[:min(3, len(hits))] {
		e := b.docs[h.i]
		a.Citations = append(a.Citations, Citation{Law: e.doc.Title, Article: e.art.Label, Version: e.doc.Version})
	}
	return a, nil
}

// TestAgainstBaseline prints the README's side-by-side table:
// go test -run TestAgainstBaseline -v ./internal/library
func TestAgainstBaseline(t *testing.T) {
	t.Parallel()
	l := sharedLaws(t)
	base := newBM25(l)
	// Ranking only: every question gets its best three, as the baseline's do.
	ranked := func(ctx context.Context, c EvalCase) (Answer, error) {
		cits, err := l.Search(ctx, Question{Text: c.Q, Context: c.Context, Viewer: Everyone, NoModel: true}, 3)
		return Answer{Status: Answered, Citations: cits}, err
	}
	for _, f := range []string{"testdata/dev.jsonl", "testdata/probe.jsonl", "testdata/probe2.jsonl", "testdata/probe3.jsonl"} {
		cases := readCasesFile(t, f)
		var answerable []EvalCase
		for _, c := range cases {
			if c.Expect == "answer" {
				answerable = append(answerable, c)
			}
		}
		fw, err := Evaluate(context.Background(), answerable, ranked)
		if err != nil {
			t.Fatal(err)
		}
		bm, _ := Evaluate(context.Background(), answerable, base.ask)
		t.Logf("%s (%d answerable): fuwu top-1 %.3f recall@3 %.3f | plain BM25 top-1 %.3f recall@3 %.3f",
			f, len(answerable), fw.ArticleTop1, fw.ArticleRecall3, bm.ArticleTop1, bm.ArticleRecall3)
		if fw.ArticleTop1 <= bm.ArticleTop1 {
			t.Errorf("%s: fuwu %.3f does not beat plain BM25 %.3f", f, fw.ArticleTop1, bm.ArticleTop1)
		}
	}
}
