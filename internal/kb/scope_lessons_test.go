package kb_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// A decline or an ask lesson is one review action: stored, live at once
// for a publisher (announced so the index follows), waiting for review
// otherwise, withdrawable; a bad one is refused with a reason staff read.
func TestLearnScopeLessons(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		publishedItem(t, s, "S-1", "不收费")
		publishedItem(t, s, "S-2", "不收费")
		changes := db.Subscribe(kb.Topic)

		got, err := s.Learn(ctx, kb.Lesson{Kind: kb.LearnDecline, Phrase: " 宠物店洗澡 "}, "reviewer", true)
		if err != nil || got.Status != kb.Published || got.Ref != "scope:1" {
			t.Fatalf("decline = %+v, %v", got, err)
		}
		waitChange(t, changes, "scope:1")
		got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnAsk, Phrase: "证件的事", Items: []string{"S-1，S-2 S-1"}}, "editor", false)
		if err != nil || got.Status != kb.Review || got.Ref != "scope:2" {
			t.Fatalf("ask = %+v, %v", got, err)
		}
		waitChange(t, changes, "scope:2")

		live, err := s.ScopeLessons(ctx, kb.Published)
		if err != nil || len(live) != 1 || live[0].Kind != kb.LearnDecline || live[0].Phrase != "宠物店洗澡" || live[0].CreatedBy != "reviewer" {
			t.Fatalf("published scope lessons %+v, %v", live, err)
		}
		all, _ := s.ScopeLessons(ctx, "")
		if len(all) != 2 || !slices.Equal(all[1].Items, []string{"S-1", "S-2"}) || all[1].Status != kb.Review {
			t.Fatalf("all scope lessons %+v", all)
		}
		if err := s.SetScopeLessonStatus(ctx, 2, kb.Published, "reviewer"); err != nil {
			t.Fatal(err)
		}
		waitChange(t, changes, "scope:2")
		if err := s.SetScopeLessonStatus(ctx, 1, kb.Withdrawn, "reviewer"); err != nil {
			t.Fatal(err)
		}
		waitChange(t, changes, "scope:1")
		live, _ = s.ScopeLessons(ctx, kb.Published)
		if len(live) != 1 || live[0].ID != 2 {
			t.Fatalf("after publishing one and withdrawing the other: %+v", live)
		}
		if err := s.SetScopeLessonStatus(ctx, 99, kb.Published, "reviewer"); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("unknown lesson: %v", err)
		}
		if err := s.SetScopeLessonStatus(ctx, 1, kb.Draft, "reviewer"); !errors.Is(err, kb.ErrIllegalMove) {
			t.Errorf("to draft: %v", err)
		}

		for _, c := range []struct {
			name string
			l    kb.Lesson
			want error
		}{
			{"ask with one item", kb.Lesson{Kind: kb.LearnAsk, Phrase: "办证", Items: []string{"S-1"}}, kb.ErrLessonAskItems},
			{"ask with six items", kb.Lesson{Kind: kb.LearnAsk, Phrase: "办证", Items: []string{"a b c d e f"}}, kb.ErrLessonAskItems},
			{"ask with an unknown item", kb.Lesson{Kind: kb.LearnAsk, Phrase: "办证", Items: []string{"S-1 NO-SUCH"}}, kb.ErrNotFound},
			{"decline of one character", kb.Lesson{Kind: kb.LearnDecline, Phrase: "狗"}, kb.ErrLessonShort},
			{"decline of an item's name", kb.Lesson{Kind: kb.LearnDecline, Phrase: "事项S-1"}, kb.ErrLessonShort},
			{"decline with a rule's syntax", kb.Lesson{Kind: kb.LearnDecline, Phrase: "美甲=美容"}, kb.ErrLessonSyntax},
			{"empty decline", kb.Lesson{Kind: kb.LearnDecline, Phrase: "  "}, kb.ErrLessonEmpty},
		} {
			if _, err := s.Learn(ctx, c.l, "reviewer", true); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		all, _ = s.ScopeLessons(ctx, "")
		if len(all) != 2 {
			t.Errorf("refused lessons were stored: %+v", all)
		}
	})
}
