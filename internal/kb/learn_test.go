package kb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// One review action turns a group of questions into an alias, a synonym
// or an FAQ entry: live at once for those who may publish (announced so
// the index follows), waiting for review for the others; personal data is
// masked whatever the form sent.
func TestLearn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		publishedItem(t, s, "L-1", "不收费")
		publishedItem(t, s, "L-2", "不收费")
		changes := db.Subscribe(kb.Topic)

		// An alias by a publisher: live, announced, in the history.
		got, err := s.Learn(ctx, kb.Lesson{Kind: kb.LearnAlias, ItemID: "L-1", Phrase: " 报户口 "}, "reviewer", true)
		if err != nil || got.Status != kb.Published || got.Ref != "item:L-1" {
			t.Fatalf("alias = %+v, %v", got, err)
		}
		waitChange(t, changes, "item:L-1")
		rec, _ := s.Item(ctx, "L-1")
		if !slices.Contains(rec.Item.Aliases, "报户口") || rec.Pending != "" || rec.Version != 2 || rec.PublishedBy != "reviewer" {
			t.Fatalf("after alias: %+v", rec)
		}
		if _, err := s.Learn(ctx, kb.Lesson{Kind: kb.LearnAlias, ItemID: "L-1", Phrase: "报户口"}, "reviewer", true); !errors.Is(err, kb.ErrLessonHasAlias) {
			t.Errorf("the same alias twice: %v", err)
		}
		// An alias by an editor waits as the item's revision; the live
		// version keeps serving.
		got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnAlias, ItemID: "L-2", Phrase: "办个证"}, "editor", false)
		if err != nil || got.Status != kb.Review {
			t.Fatalf("editor's alias = %+v, %v", got, err)
		}
		rec, _ = s.Item(ctx, "L-2")
		if slices.Contains(rec.Item.Aliases, "办个证") || rec.Pending != kb.Review {
			t.Fatalf("editor's alias went live: %+v", rec)
		}
		// A publisher's alias on an item with a pending revision joins it
		// and waits too: nobody's unreviewed edit goes live by the way.
		got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnAlias, ItemID: "L-2", Phrase: "证件咋弄"}, "reviewer", true)
		if err != nil || got.Status != kb.Review {
			t.Fatalf("alias joining a revision = %+v, %v", got, err)
		}
		rev, _ := s.Revision(ctx, "L-2")
		if !slices.Contains(rev.Item.Aliases, "办个证") || !slices.Contains(rev.Item.Aliases, "证件咋弄") {
			t.Fatalf("revision aliases %v", rev.Item.Aliases)
		}
		for len(changes) > 0 {
			<-changes
		}

		// An FAQ with a phone number in it: masked, tied to the item.
		got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnFAQ, ItemID: "L-1", Phrase: "我电话13812345678，报户口要多久",
			Answer: "一般当场办结。"}, "reviewer", true)
		if err != nil || got.Status != kb.Published || !strings.HasPrefix(got.Ref, "faq:") {
			t.Fatalf("faq = %+v, %v", got, err)
		}
		waitChange(t, changes, got.Ref)
		entries, _ := s.Entries(ctx, kb.Published)
		if len(entries) != 1 || strings.Contains(entries[0].Question, "13812345678") || entries[0].ItemID != "L-1" {
			t.Fatalf("entries %+v", entries)
		}
		if got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnFAQ, ItemID: "L-1", Phrase: "要多久", Answer: "当场"}, "editor", false); err != nil || got.Status != kb.Review {
			t.Fatalf("editor's faq = %+v, %v", got, err)
		}
		waitChange(t, changes, got.Ref)

		// A synonym: published ones are the rules the index reads.
		got, err = s.Learn(ctx, kb.Lesson{Kind: kb.LearnSynonym, Phrase: "娃落地", Terms: []string{"新生儿 入户", "入户"}}, "reviewer", true)
		if err != nil || got.Status != kb.Published {
			t.Fatalf("synonym = %+v, %v", got, err)
		}
		waitChange(t, changes, got.Ref)
		if _, err := s.Learn(ctx, kb.Lesson{Kind: kb.LearnSynonym, Phrase: "打工", Terms: []string{"就业"}}, "editor", false); err != nil {
			t.Fatal(err)
		}
		waitChange(t, changes, "synonym:2")
		list, _ := s.Synonyms(ctx, "")
		if len(list) != 2 || !slices.Equal(list[0].Terms, []string{"新生儿", "入户"}) {
			t.Fatalf("synonyms %+v", list)
		}
		if rules := kb.SynonymRules(list); rules != "娃落地 = 新生儿 入户\n" {
			t.Errorf("rules %q", rules)
		}
		if err := s.SetSynonymStatus(ctx, list[1].ID, kb.Published, "reviewer"); err != nil {
			t.Fatal(err)
		}
		waitChange(t, changes, "synonym:2")
		if pub, _ := s.Synonyms(ctx, kb.Published); len(pub) != 2 {
			t.Errorf("published synonyms %+v", pub)
		}
		if err := s.SetSynonymStatus(ctx, 99, kb.Published, "reviewer"); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("unknown synonym: %v", err)
		}

		// What a lesson refuses, with a reason staff can act on.
		for _, c := range []struct {
			l    kb.Lesson
			want error
		}{
			{kb.Lesson{Kind: "rule", ItemID: "L-1", Phrase: "x"}, kb.ErrLessonKind},
			{kb.Lesson{Kind: kb.LearnAlias, ItemID: "L-1", Phrase: "  "}, kb.ErrLessonEmpty},
			{kb.Lesson{Kind: kb.LearnFAQ, ItemID: "L-1", Phrase: "问"}, kb.ErrLessonEmpty},
			{kb.Lesson{Kind: kb.LearnAlias, Phrase: "别名"}, kb.ErrLessonItem},
			{kb.Lesson{Kind: kb.LearnSynonym, Phrase: "说法"}, kb.ErrLessonTerms},
			{kb.Lesson{Kind: kb.LearnSynonym, Phrase: "a = b", Terms: []string{"c"}}, kb.ErrLessonSyntax},
			{kb.Lesson{Kind: kb.LearnAlias, ItemID: "NONE", Phrase: "别名"}, kb.ErrNotFound},
		} {
			if _, err := s.Learn(ctx, c.l, "reviewer", true); !errors.Is(err, c.want) {
				t.Errorf("%+v: %v, want %v", c.l, err, c.want)
			}
		}
	})
}
