package library

import (
	"context"
	"os"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// lawsDir is the shared law folder; the bundled copy is the fallback.
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

func TestZZTune(t *testing.T) {
	l := openLaws(t, Options{})
	for _, f := range []string{"/work/shared/library/dev.jsonl", "testdata/probe.jsonl", "testdata/notfound_calib.jsonl"} {
		r, err := Evaluate(context.Background(), readCasesFile(t, f), l.AskCase)
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("V") != "" {
			for _, m := range r.Misses {
				t.Logf("%s %s | want %s | got %s", m.ID, m.Q, m.Want, m.Got)
			}
		}
		t.Logf("%s top1 %.3f r3 %.3f nf %.3f nffalse %.3f", f, r.ArticleTop1, r.ArticleRecall3, r.NotFoundRecall, r.NotFoundFalse)
	}
}
