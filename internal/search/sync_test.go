package search_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func top(ix *search.Index, q string) string {
	r := ix.Search(context.Background(), q, 1)
	if len(r.Hits) == 0 {
		return ""
	}
	return r.Hits[0].ID
}

// Two replicas share one database: a change written through one reaches
// the other's index without a restart.
func TestReplicasFollowChanges(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			url := storetest.URL(t, d)
			open := func() *store.DB {
				db, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				if err := db.Migrate(ctx, kb.Migrations); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			dbA := open()
			dbB := dbA // SQLite replicas are one process
			if d == store.Postgres {
				dbB = open()
			}
			a, b := kb.NewStore(dbA), kb.NewStore(dbB)
			if _, err := a.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			ix := search.New(zh.MustDefault(), search.DefaultParams())
			changes := dbB.Subscribe(kb.Topic)
			if err := search.Load(ctx, ix, b); err != nil {
				t.Fatal(err)
			}
			go search.Follow(ctx, ix, b, changes)
			if ix.Len() != 120 {
				t.Fatalf("index has %d items", ix.Len())
			}

			// A new published item becomes findable.
			_, err := a.UpsertItems(ctx, []kb.Item{{ID: "X-1", Name: "犬只登记", Theme: "其他", Summary: "养狗人士为犬只办理登记和年检。"}},
				kb.UpsertOptions{Status: kb.Published})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, "new item indexed", func() bool { return top(ix, "养狗要登记吗") == "X-1" })

			// Withdrawing takes it out.
			if err := a.SetStatus(ctx, "X-1", kb.Withdrawn, "reviewer", ""); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "withdrawn item removed", func() bool { _, ok := ix.Item("X-1"); return !ok })

			// A standalone FAQ entry joins its item's questions.
			if _, err := a.AddEntry(ctx, kb.Entry{ItemID: "FT-038", Question: "敬老卡坐地铁刷不了怎么办", Answer: "请到服务网点核验。", Status: kb.Published}, "editor"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "faq indexed", func() bool {
				it, ok := ix.Item("FT-038")
				return ok && len(it.FAQ) == 2
			})

			// A synonym a reviewer learned from use expands queries as
			// soon as it is published.
			const q = "娃落地了咋整"
			if got := top(ix, q); got == "FT-001" {
				t.Fatalf("%s already finds FT-001 before the synonym", q)
			}
			id, err := a.AddSynonym(ctx, "娃落地", []string{"新生儿 入户"}, kb.Review, "editor")
			if err != nil {
				t.Fatal(err)
			}
			if err := a.SetSynonymStatus(ctx, id, kb.Published, "reviewer"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "learned synonym used", func() bool { return top(ix, q) == "FT-001" })

			// A decline lesson is consulted as soon as it is published,
			// and no more once withdrawn.
			const pet = "宠物店给猫洗澡多少钱"
			if _, ok := ix.ScopeLesson(pet); ok {
				t.Fatal("a scope lesson before any was learned")
			}
			got, err := a.Learn(ctx, kb.Lesson{Kind: kb.LearnDecline, Phrase: "宠物店 洗澡"}, "reviewer", true)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, "decline lesson used", func() bool { m, ok := ix.ScopeLesson(pet); return ok && m.Kind == kb.LearnDecline })
			var sid int64
			fmt.Sscanf(got.Ref, "scope:%d", &sid)
			if err := a.SetScopeLessonStatus(ctx, sid, kb.Withdrawn, "reviewer"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "withdrawn decline lesson dropped", func() bool { _, ok := ix.ScopeLesson(pet); return !ok })

			// Internal notes never reach the index, which serves residents.
			rec, _ := a.Item(ctx, "FT-002")
			rec.Item.InternalNotes = "窗口内部口径：仅限工作人员"
			rec.Item.Summary += "（已更新）"
			if _, err := a.UpsertItems(ctx, []kb.Item{rec.Item}, kb.UpsertOptions{Status: kb.Published}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "item updated", func() bool { it, ok := ix.Item("FT-002"); return ok && it.Summary == rec.Item.Summary })
			if it, _ := ix.Item("FT-002"); it.InternalNotes != "" {
				t.Error("internal notes in the index")
			}
			if err := search.Load(ctx, ix, b); err != nil {
				t.Fatal(err)
			}
			if it, _ := ix.Item("FT-002"); it.InternalNotes != "" {
				t.Error("internal notes in the loaded index")
			}
		})
	}
}

func TestIndexUpsertRemove(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	before := top(ix, "犬只登记")
	ix.Upsert(kb.Item{ID: "X-2", Name: "犬只登记", Summary: "为犬只办理登记。"})
	if got := top(ix, "犬只登记"); got != "X-2" {
		t.Fatalf("after upsert top = %q", got)
	}
	// Replacing an item changes what finds it.
	ix.Upsert(kb.Item{ID: "X-2", Name: "猫咪绝育补贴", Summary: "为流浪猫绝育发放补贴。"})
	if got := top(ix, "犬只登记"); got == "X-2" {
		t.Fatal("old text still finds the item")
	}
	if got := top(ix, "猫咪绝育"); got != "X-2" {
		t.Fatalf("new text top = %q", got)
	}
	ix.Remove("X-2")
	if got := top(ix, "猫咪绝育"); got == "X-2" {
		t.Fatal("removed item still found")
	}
	if ix.Len() != 120 || top(ix, "犬只登记") != before {
		t.Fatalf("index not back to its state: len %d", ix.Len())
	}
	// Many updates trigger a rebuild without changing results.
	for i := 0; i < 300; i++ {
		ix.Upsert(kb.Item{ID: "X-3", Name: "犬只登记", Summary: "为犬只办理登记。"})
	}
	if top(ix, "犬只登记") != "X-3" || ix.Len() != 121 {
		t.Fatalf("after churn: len %d top %q", ix.Len(), top(ix, "犬只登记"))
	}
}

// An import announced as one batch leaves a following index exactly as a
// fresh load would: the same scores, whatever the timing.
func TestFollowImportMatchesLoad(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := kb.NewStore(db)
		following := search.New(zh.MustDefault(), search.DefaultParams())
		changes := db.Subscribe(kb.Topic)
		if err := search.Load(ctx, following, s); err != nil {
			t.Fatal(err)
		}
		go search.Follow(ctx, following, s, changes)
		if _, err := s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "import indexed", func() bool { return following.Len() == 120 })
		fresh := search.New(zh.MustDefault(), search.DefaultParams())
		if err := search.Load(ctx, fresh, s); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"娃刚出生怎么上户口", "居住证快到期了怎么续", "退休金网上能领吗", "低保怎么申请"} {
			got, want := following.Search(ctx, q, 8).Hits, fresh.Search(ctx, q, 8).Hits
			if len(got) != len(want) {
				t.Fatalf("%s: %d hits following, %d fresh", q, len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID || got[i].Score != want[i].Score {
					t.Errorf("%s #%d: following %s %.6f, fresh %s %.6f", q, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
				}
			}
		}
	})
}
