package kb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func publishedItem(t *testing.T, s *kb.Store, id, fee string) kb.Item {
	t.Helper()
	it := kb.Item{ID: id, Name: "事项" + id, Theme: "户籍", Fee: fee, Materials: []kb.Material{{Name: "身份证", Form: "原件", Copies: 1}}}
	if _, err := s.UpsertItems(context.Background(), []kb.Item{it}, kb.UpsertOptions{Status: kb.Published, Actor: "import"}); err != nil {
		t.Fatal(err)
	}
	return it
}

// waitChange reads the next announcement or fails.
func waitChange(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	select {
	case msg := <-ch:
		if msg != want && msg != store.Resync {
			t.Fatalf("announced %q, want %q", msg, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%q never announced", want)
	}
}

// noChange fails if anything is announced within a short while.
func noChange(t *testing.T, ch <-chan string) {
	t.Helper()
	select {
	case msg := <-ch:
		t.Fatalf("unexpected announcement %q", msg)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestRevisionLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		it := publishedItem(t, s, "R-1", "不收费")
		changes := db.Subscribe(kb.Topic)

		// The editor's change waits as a draft; the live version serves on.
		edit := it
		edit.Fee = "收取工本费 10 元"
		edit.Updated = "2030-01-01"
		if err := s.SaveRevision(ctx, edit, kb.Draft, "editor1", "调整收费"); err != nil {
			t.Fatal(err)
		}
		noChange(t, changes)
		rec, err := s.Item(ctx, "R-1")
		if err != nil || rec.Status != kb.Published || rec.Item.Fee != "不收费" || rec.Version != 1 || rec.Pending != kb.Draft {
			t.Fatalf("live after saving a revision: %+v %v", rec, err)
		}
		if pub, _ := s.PublishedItems(ctx); len(pub) != 1 || pub[0].Fee != "不收费" {
			t.Fatalf("catalogue serves %+v", pub)
		}
		rev, err := s.Revision(ctx, "R-1")
		if err != nil || rev.Item.Fee != "收取工本费 10 元" || rev.Status != kb.Draft || rev.BaseVersion != 1 || rev.CreatedBy != "editor1" {
			t.Fatalf("revision = %+v %v", rev, err)
		}
		ch := kb.Changes(rec.Item, rev.Item)
		if len(ch) != 1 || ch[0].Field != "fee" || ch[0].Label != "收费标准" || ch[0].Old != "不收费" || ch[0].New != "收取工本费 10 元" {
			t.Fatalf("changes = %+v", ch)
		}
		// Saving the published text again (only the date differs) is no revision.
		same := it
		same.Updated = "2030-01-02"
		if err := s.SaveRevision(ctx, same, kb.Draft, "editor1", ""); !errors.Is(err, kb.ErrNoChange) {
			t.Fatalf("unchanged revision: %v", err)
		}
		if err := s.SaveRevision(ctx, kb.Item{ID: "R-1"}, kb.Draft, "editor1", ""); err == nil {
			t.Fatal("invalid revision accepted")
		}

		// Submitted, it is listed as pending.
		if err := s.SetRevisionStatus(ctx, "R-1", kb.Review, "editor1", "请审核"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetRevisionStatus(ctx, "R-1", kb.Review, "editor1", ""); err == nil {
			t.Fatal("submitting twice accepted")
		}
		publishedItem(t, s, "R-2", "不收费")
		pending, err := s.Items(ctx, kb.Filter{Pending: true})
		if err != nil || len(pending) != 1 || pending[0].Item.ID != "R-1" || pending[0].Pending != kb.Review {
			t.Fatalf("pending = %+v %v", pending, err)
		}
		waitChange(t, changes, "item:R-2")

		// Published: the live version is replaced and announced.
		if err := s.PublishRevision(ctx, "R-1", rev.Hash, "reviewer1", "核对无误"); err != nil {
			t.Fatal(err)
		}
		waitChange(t, changes, "item:R-1")
		rec, _ = s.Item(ctx, "R-1")
		if rec.Item.Fee != "收取工本费 10 元" || rec.Version != 2 || rec.Status != kb.Published || rec.Pending != "" ||
			rec.PublishedBy != "reviewer1" || rec.SubmittedBy != "editor1" || rec.UpdatedBy != "editor1" {
			t.Fatalf("after publishing the revision: %+v", rec)
		}
		if _, err := s.Revision(ctx, "R-1"); !errors.Is(err, kb.ErrNotFound) {
			t.Fatalf("revision left after publishing: %v", err)
		}
		if err := s.PublishRevision(ctx, "R-1", "", "reviewer1", ""); !errors.Is(err, kb.ErrNotFound) {
			t.Fatalf("publishing no revision: %v", err)
		}
		hist, _ := s.ItemHistory(ctx, "R-1")
		want := []struct {
			ev    kb.RevisionEvent
			actor string
			ver   int
		}{{"", "import", 1}, {kb.RevisionSaved, "editor1", 1}, {kb.RevisionSubmitted, "editor1", 1}, {kb.RevisionPublished, "reviewer1", 2}}
		if len(hist) != len(want) {
			t.Fatalf("history = %+v", hist)
		}
		for i, w := range want {
			if h := hist[i]; h.Revision != w.ev || h.Actor != w.actor || h.Version != w.ver || h.Status != kb.Published {
				t.Errorf("history[%d] = %+v, want %+v", i, h, w)
			}
		}
		if hist[3].Note != "核对无误" || hist[1].Note != "调整收费" {
			t.Errorf("notes lost: %+v", hist)
		}

		// Discarded: nothing changes but the history.
		edit.Fee = "另一个改动"
		if err := s.SaveRevision(ctx, edit, kb.Review, "editor2", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SetRevisionStatus(ctx, "R-1", kb.Draft, "reviewer1", "请补充依据"); err != nil {
			t.Fatal(err)
		}
		if err := s.DiscardRevision(ctx, "R-1", "editor2", "不改了"); err != nil {
			t.Fatal(err)
		}
		noChange(t, changes)
		rec, _ = s.Item(ctx, "R-1")
		if rec.Item.Fee != "收取工本费 10 元" || rec.Version != 2 || rec.Pending != "" {
			t.Fatalf("after discarding: %+v", rec)
		}
		hist, _ = s.ItemHistory(ctx, "R-1")
		var evs []kb.RevisionEvent
		for _, h := range hist[4:] {
			evs = append(evs, h.Revision)
		}
		if len(evs) != 3 || evs[0] != kb.RevisionSubmitted || evs[1] != kb.RevisionReturned || evs[2] != kb.RevisionDiscarded {
			t.Errorf("history after discard: %+v", hist[4:])
		}
		if err := s.DiscardRevision(ctx, "R-1", "editor2", ""); !errors.Is(err, kb.ErrNotFound) {
			t.Fatalf("discarding no revision: %v", err)
		}

		// Unpublished items are edited in place, not revised.
		if _, err := s.UpsertItems(ctx, []kb.Item{{ID: "R-3", Name: "草稿事项"}}, kb.UpsertOptions{Status: kb.Draft}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveRevision(ctx, kb.Item{ID: "R-3", Name: "改名"}, kb.Draft, "editor1", ""); !errors.Is(err, kb.ErrNotPublished) {
			t.Fatalf("revision of a draft: %v", err)
		}
		if err := s.SaveRevision(ctx, kb.Item{ID: "R-9", Name: "没有"}, kb.Draft, "editor1", ""); !errors.Is(err, kb.ErrNotFound) {
			t.Fatalf("revision of nothing: %v", err)
		}
	})
}

// A revision made from an older published version cannot replace a newer
// one until it has been saved again from the current version.
func TestRevisionStaleAndWithdrawn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		it := publishedItem(t, s, "S-1", "不收费")
		edit := it
		edit.Summary = "修订后的简介"
		if err := s.SaveRevision(ctx, edit, kb.Review, "editor1", ""); err != nil {
			t.Fatal(err)
		}
		// An import changes the published version underneath.
		imported := it
		imported.Contact = "0755-00000000"
		if r, err := s.UpsertItems(ctx, []kb.Item{imported}, kb.UpsertOptions{Actor: "import"}); err != nil || r.Updated != 1 {
			t.Fatalf("import = %+v %v", r, err)
		}
		if err := s.PublishRevision(ctx, "S-1", "", "reviewer1", ""); !errors.Is(err, kb.ErrStale) {
			t.Fatalf("stale revision published: %v", err)
		}
		rec, _ := s.Item(ctx, "S-1")
		if rec.Item.Summary != "" || rec.Item.Contact != "0755-00000000" || rec.Pending != kb.Review {
			t.Fatalf("after refused publish: %+v", rec)
		}
		// Saved again from the current version, it goes through; but only
		// the content the reviewer saw.
		seen, _ := s.Revision(ctx, "S-1")
		edit.Contact = rec.Item.Contact
		if err := s.SaveRevision(ctx, edit, kb.Review, "editor1", "合并导入的电话"); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishRevision(ctx, "S-1", seen.Hash, "reviewer1", ""); !errors.Is(err, kb.ErrRevisionChanged) {
			t.Fatalf("publishing what the reviewer did not see: %v", err)
		}
		seen, _ = s.Revision(ctx, "S-1")
		if seen.Hash != kb.ContentHash(edit) {
			t.Errorf("revision hash %s, content hash %s", seen.Hash, kb.ContentHash(edit))
		}
		if err := s.PublishRevision(ctx, "S-1", seen.Hash, "reviewer1", ""); err != nil {
			t.Fatal(err)
		}
		rec, _ = s.Item(ctx, "S-1")
		if rec.Item.Summary != "修订后的简介" || rec.Item.Contact != "0755-00000000" || rec.Version != 3 {
			t.Fatalf("after publishing: %+v", rec)
		}

		// Withdrawn with a revision pending: the revision is kept (nothing
		// lost) but cannot go live; it can be discarded.
		edit = rec.Item
		edit.Fee = "收费"
		if err := s.SaveRevision(ctx, edit, kb.Draft, "editor1", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, "S-1", kb.Withdrawn, "reviewer1", "暂停办理"); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishRevision(ctx, "S-1", "", "reviewer1", ""); !errors.Is(err, kb.ErrNotPublished) {
			t.Fatalf("revision of a withdrawn item published: %v", err)
		}
		if rec, _ := s.Item(ctx, "S-1"); rec.Pending != kb.Draft || rec.Item.Fee != "不收费" {
			t.Fatalf("withdrawn: %+v", rec)
		}
		if err := s.DiscardRevision(ctx, "S-1", "reviewer1", ""); err != nil {
			t.Fatal(err)
		}
		hist, _ := s.ItemHistory(ctx, "S-1")
		if last := hist[len(hist)-1]; last.Revision != kb.RevisionDiscarded || last.Status != kb.Withdrawn {
			t.Errorf("last history = %+v", last)
		}
	})
}

// Two reviewers publish the same revision at once: exactly one wins and
// the version goes up by one.
func TestRevisionPublishRace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		it := publishedItem(t, s, "P-1", "不收费")
		it.Fee = "新收费"
		if err := s.SaveRevision(ctx, it, kb.Review, "editor1", ""); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.PublishRevision(ctx, "P-1", "", "reviewer", "")
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, kb.ErrNotFound), errors.Is(err, kb.ErrStale), errors.Is(err, kb.ErrRevisionChanged):
			default:
				t.Errorf("publish: %v", err)
			}
		}
		rec, _ := s.Item(ctx, "P-1")
		if ok != 1 || rec.Version != 2 || rec.Item.Fee != "新收费" {
			t.Fatalf("%d publishes succeeded; item %+v", ok, rec)
		}
	})
}

// Console uploads of a published item wait as its revision.
func TestUpsertRevise(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		it := publishedItem(t, s, "U-1", "不收费")
		up := it
		up.Fee = "上传的新收费"
		opt := kb.UpsertOptions{Status: kb.Review, ForceStatus: true, Revise: true, Actor: "editor1"}
		fresh := kb.Item{ID: "U-2", Name: "新事项"}
		r, err := s.UpsertItems(ctx, []kb.Item{up, fresh}, opt)
		if err != nil || r.Revised != 1 || r.Created != 1 {
			t.Fatalf("upsert = %+v %v", r, err)
		}
		rec, _ := s.Item(ctx, "U-1")
		if rec.Status != kb.Published || rec.Item.Fee != "不收费" || rec.Pending != kb.Review {
			t.Fatalf("published item after a review upload: %+v", rec)
		}
		if rec, _ := s.Item(ctx, "U-2"); rec.Status != kb.Review {
			t.Fatalf("new item = %s", rec.Status)
		}
		// The same upload again changes nothing.
		if r, err := s.UpsertItems(ctx, []kb.Item{up, fresh}, opt); err != nil || r.Unchanged != 2 {
			t.Fatalf("second upsert = %+v %v", r, err)
		}
		if err := s.PublishRevision(ctx, "U-1", "", "reviewer1", ""); err != nil {
			t.Fatal(err)
		}
		if rec, _ := s.Item(ctx, "U-1"); rec.Item.Fee != "上传的新收费" {
			t.Fatalf("after publish: %+v", rec)
		}
		// Without Revise the old behaviour stands: the item leaves service.
		up.Fee = "又一次"
		if _, err := s.UpsertItems(ctx, []kb.Item{up}, kb.UpsertOptions{Status: kb.Draft, ForceStatus: true}); err != nil {
			t.Fatal(err)
		}
		if rec, _ := s.Item(ctx, "U-1"); rec.Status != kb.Draft || rec.Item.Fee != "又一次" {
			t.Fatalf("forced draft: %+v", rec)
		}
	})
}
