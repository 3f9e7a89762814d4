package assistant_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// One simulated review round, through the knowledge base's own lesson
// action on SQLite and PostgreSQL: the reviewable misses (first turns)
// are fixed, nothing that was right breaks, and the lessons are published
// FAQ entries of the items the reviewer judged right. The figures are
// logged (fuwu eval --review-round prints the same). testdata/
// review-round.jsonl holds made-up first turns the lexical method misses
// today next to neighbours it gets right: the probe sets' misses get fixed
// by the method over time, which would leave nothing to review.
func TestReviewRound(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "review-round.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := assistant.ReadEvalCases(f, "review-round.jsonl")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs := kb.NewStore(db)
		if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published}}); err != nil {
			t.Fatal(err)
		}
		ix := search.New(zh.MustDefault(), search.DefaultParams())
		sync := func(ctx context.Context) error { return search.Load(ctx, ix, kbs) }
		if err := sync(ctx); err != nil {
			t.Fatal(err)
		}
		as := demoAssistant(t, func(c *assistant.Config) { c.Index = ix })
		rep, err := assistant.ReviewRound(ctx, as, cases, kbs, kb.LearnFAQ, sync)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rep)
		t.Logf("review round: %s", b)
		if rep.Reviewable == 0 || rep.Lessons != rep.Groups || rep.Fixed < rep.Reviewable || rep.Broken != 0 {
			t.Errorf("review round: %d reviewable, %d groups, %d lessons, %d fixed, %d broken",
				rep.Reviewable, rep.Groups, rep.Lessons, rep.Fixed, rep.Broken)
		}
		if rep.After.ItemTop1 <= rep.Before.ItemTop1 || rep.After.OOSRecall < rep.Before.OOSRecall {
			t.Errorf("before %+v after %+v", rep.Before, rep.After)
		}
		entries, err := kbs.Entries(ctx, kb.Published)
		if err != nil || len(entries) != rep.Lessons {
			t.Fatalf("%d published entries for %d lessons (%v)", len(entries), rep.Lessons, err)
		}
		if _, err := assistant.ReviewRound(ctx, as, cases, kbs, "rule", sync); err == nil {
			t.Error("a review round with an unknown lesson kind ran")
		}
	})
}
