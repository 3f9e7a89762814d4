package kb_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func TestImportFixture(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		rep, err := s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Items.Created != 120 || rep.Halls != 8 || rep.Skipped() != 0 {
			t.Fatalf("first import: %+v", rep)
		}
		// Idempotent: nothing changes the second time.
		rep, err = s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Items.Unchanged != 120 || rep.Items.Created+rep.Items.Updated != 0 {
			t.Fatalf("second import: %+v", rep)
		}
		rec, err := s.Item(ctx, "FT-001")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Item.Name != "新生儿入户登记" || rec.Status != kb.Published || rec.Version != 1 {
			t.Fatalf("FT-001: %+v", rec)
		}
		if len(rec.Item.Materials) != 4 || rec.Item.Materials[0].Name != "出生医学证明" || !rec.Item.Online.Available {
			t.Fatalf("FT-001 fields lost: %+v", rec.Item)
		}
		halls, err := s.Halls(ctx)
		if err != nil || len(halls) != 8 || halls[0].AppointmentURL == "" {
			t.Fatalf("halls: %v %+v", err, halls)
		}
	})
}

func TestImportBadLines(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		rep, err := s.ImportPath(ctx, filepath.Join("testdata", "bad_items.jsonl"), "items", kb.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, p := range rep.Problems {
			lines = append(lines, p.Line)
			if !strings.HasSuffix(p.File, "bad_items.jsonl") || p.Err == "" {
				t.Errorf("problem without file or message: %+v", p)
			}
		}
		if got, want := lines, []int{2, 3, 5, 6, 7}; !equalInts(got, want) {
			t.Fatalf("problem lines %v, want %v (%+v)", got, want, rep.Problems)
		}
		if rep.Items.Created != 2 {
			t.Fatalf("created %d, want 2", rep.Items.Created)
		}
		rec, err := s.Item(ctx, "T-1")
		if err != nil {
			t.Fatal(err)
		}
		if string(rec.Item.Extra["color"]) != `"kept"` {
			t.Fatalf("unknown key not kept: %v", rec.Item.Extra)
		}
		if _, err := s.Item(ctx, "T-2"); !errors.Is(err, kb.ErrNotFound) {
			t.Fatalf("T-2 should not exist: %v", err)
		}
	})
}

func TestPublishingStates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		changes := db.Subscribe(kb.Topic)
		_, err := s.UpsertItems(ctx, []kb.Item{{ID: "D-1", Name: "草稿事项"}}, kb.UpsertOptions{Status: kb.Draft, Actor: "editor1"})
		if err != nil {
			t.Fatal(err)
		}
		pub, err := s.PublishedItems(ctx)
		if err != nil || len(pub) != 0 {
			t.Fatalf("draft is searchable: %v %v", pub, err)
		}
		if err := s.SetStatus(ctx, "D-1", kb.Withdrawn, "x", ""); err == nil {
			t.Fatal("draft → withdrawn should be refused")
		}
		for _, step := range []struct {
			to    kb.Status
			actor string
		}{{kb.Review, "editor1"}, {kb.Published, "reviewer1"}} {
			if err := s.SetStatus(ctx, "D-1", step.to, step.actor, ""); err != nil {
				t.Fatal(err)
			}
		}
		rec, _ := s.Item(ctx, "D-1")
		if rec.Status != kb.Published || rec.PublishedBy != "reviewer1" || rec.PublishedAt.IsZero() || rec.SubmittedBy != "editor1" {
			t.Fatalf("after publish: %+v", rec)
		}
		if pub, _ := s.PublishedItems(ctx); len(pub) != 1 {
			t.Fatalf("published items %d", len(pub))
		}
		if err := s.SetStatus(ctx, "D-1", kb.Withdrawn, "reviewer1", "政策到期"); err != nil {
			t.Fatal(err)
		}
		if pub, _ := s.PublishedItems(ctx); len(pub) != 0 {
			t.Fatal("withdrawn item still published")
		}
		hist, err := s.ItemHistory(ctx, "D-1")
		if err != nil || len(hist) != 4 || hist[3].Note != "政策到期" {
			t.Fatalf("history %v %+v", err, hist)
		}
		// Every write was announced.
		for n := 0; n < 4; n++ {
			select {
			case msg := <-changes:
				if msg != "item:D-1" && msg != store.Resync {
					t.Fatalf("change message %q", msg)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("only %d of 4 changes announced", n)
			}
		}
	})
}

func TestEntries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		id, err := s.AddEntry(ctx, kb.Entry{ItemID: "FT-001", Question: "出生证丢了怎么办", Answer: "先补办出生医学证明。"}, "editor1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddEntry(ctx, kb.Entry{Question: "空答案"}, "editor1"); err == nil {
			t.Fatal("entry without answer accepted")
		}
		if err := s.UpdateEntry(ctx, kb.Entry{ID: id, ItemID: "FT-001", Question: "出生证丢了怎么办", Answer: "先补办出生医学证明。", Status: kb.Published}); err != nil {
			t.Fatal(err)
		}
		es, err := s.Entries(ctx, kb.Published)
		if err != nil || len(es) != 1 || es[0].ID != id {
			t.Fatalf("entries %v %+v", err, es)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
