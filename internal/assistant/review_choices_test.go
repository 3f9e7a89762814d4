package assistant_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// A reply to a clarify question that holds a reviewer's learned question
// whole goes to that lesson's item even when the question did not offer
// it; a reply naming one of the choices still picks it. On SQLite and
// PostgreSQL.
func TestLearnedReplyLeavesTheChoices(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, _, sync, as := reviewFixture(t, db)
		ask := func(conv, msg string) assistant.Reply {
			t.Helper()
			r, err := as.Ask(ctx, assistant.Request{ConversationID: conv, Message: msg, Channel: "eval"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		const vague = "公积金的事想问问"
		first := ask("", vague)
		if first.Status != assistant.Clarify || len(first.Candidates) < 2 || slices.Contains(first.Candidates, "FT-120") {
			t.Fatalf("%s: %s %v, want a question back without FT-120 among the choices", vague, first.Status, first.Candidates)
		}
		if _, err := kbs.Learn(ctx, kb.Lesson{Kind: kb.LearnFAQ, ItemID: "FT-120", Phrase: "住房贷款 一次结清", Answer: "提前还款"}, "reviewer", true); err != nil {
			t.Fatal(err)
		}
		if err := sync(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ reply, want string }{
			{"住房贷款还剩几万 想一次结清", "FT-120"}, // the lesson, not offered (FT-087 without it)
			{"租房提取", "FT-082"},           // a choice named
		} {
			conv := ask("", vague).ConversationID
			r := ask(conv, tc.reply)
			if r.Status != assistant.Answered || len(r.Citations) == 0 || r.Citations[0].ID != tc.want {
				t.Errorf("%s → %s: %s %+v, want %s", vague, tc.reply, r.Status, r.Citations, tc.want)
			}
		}
	})
}

// A review round's ask lesson offers, besides the items the vague turn
// was ranked, the item the resident's next turn said was meant, as a
// reviewer reading the conversation would; the dialogue is then right
// from its first turn, and one that was right stays so.
func TestReviewRoundAskOffersWhatWasMeant(t *testing.T) {
	t.Parallel()
	cases := []assistant.EvalCase{
		{ID: "mortgage", Turns: []assistant.EvalTurn{{Q: "问下房贷", Expect: "clarify"}, {Q: "手头宽裕了 想把剩下的一次性还掉", Item: "FT-120"}}},
		{ID: "fund", Turns: []assistant.EvalTurn{{Q: "公积金的事想问问", Expect: "clarify"}, {Q: "我要把余额拿出来交房租", Item: "FT-082"}}},
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		kbs, ix, sync, as := reviewFixture(t, db)
		rep := fullRound(t, as, cases, kbs, ix, sync)
		offered := false
		for _, l := range rep.Taught {
			if strings.HasPrefix(l, "ask ") && strings.Contains(strings.SplitN(l, ":", 2)[0], "FT-120") {
				offered = true
			}
		}
		if !offered {
			t.Errorf("no ask lesson offers FT-120: %q", rep.Taught)
		}
		if rep.After.ItemTop1 != 1 || rep.After.ClarifyRecall != 1 || rep.Broken != 0 {
			t.Errorf("after the round: %+v, %d broken", rep.After, rep.Broken)
		}
	})
}

// A wording a reviewer taught as an item's question is answered with the
// item although a word in it can be abuse (a parent calling a son 傻子 in
// telling his disability); abuse without the lesson's words is still met
// with a calm reply. On SQLite and PostgreSQL.
func TestLearnedWordingIsNotAbuse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, _, sync, as := reviewFixture(t, db)
		const told = "我儿子是个傻子 脑子不好使 有什么补贴"
		ask := func(msg string) assistant.Reply {
			t.Helper()
			r, err := as.Ask(ctx, assistant.Request{Message: msg, Channel: "eval"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := ask(told); r.Status != assistant.OutOfScope {
			t.Fatalf("%s before the lesson: %s %+v, want declined as abuse", told, r.Status, r.Citations)
		}
		if _, err := kbs.Learn(ctx, kb.Lesson{Kind: kb.LearnFAQ, ItemID: "FT-050", Phrase: "儿子 脑子不好使 补贴", Answer: "残疾人两项补贴"}, "reviewer", true); err != nil {
			t.Fatal(err)
		}
		if err := sync(ctx); err != nil {
			t.Fatal(err)
		}
		if r := ask(told); r.Status != assistant.Answered || len(r.Citations) == 0 || r.Citations[0].ID != "FT-050" {
			t.Errorf("%s after the lesson: %s %+v, want FT-050", told, r.Status, r.Citations)
		}
		if r := ask("你们这个破系统 傻子才用"); r.Status != assistant.OutOfScope {
			t.Errorf("abuse after the lesson: %s, want declined", r.Status)
		}
	})
}

// A review round teaches a wording declined as another place's that the
// reviewer judged the district's (the resident is away, the service is
// Shenzhen's) whole, place and all: after the round it is answered, while
// the other place's own question about the service stays declined. On
// SQLite and PostgreSQL.
func TestReviewRoundKeepsThePlace(t *testing.T) {
	t.Parallel()
	cases := []assistant.EvalCase{
		{ID: "away", Turns: []assistant.EvalTurn{{Q: "现在人在东莞 居住证签注能网上弄吗", Item: "FT-003", Aspect: "online"}}},
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, ix, sync, as := reviewFixture(t, db)
		if r, err := as.Ask(ctx, assistant.Request{Message: cases[0].Turns[0].Q}); err != nil || r.Status != assistant.OutOfScope {
			t.Fatalf("before the round: %s %v, want declined as another place's", r.Status, err)
		}
		rep := fullRound(t, as, cases, kbs, ix, sync)
		if len(rep.Taught) != 1 || !strings.Contains(rep.Taught[0], "东莞") {
			t.Errorf("lessons %q, want one holding the place", rep.Taught)
		}
		if rep.Fixed != 1 || rep.After.ItemTop1 != 1 {
			t.Errorf("after the round: %d fixed, %+v", rep.Fixed, rep.After)
		}
		for _, msg := range []string{"东莞的居住证签注怎么办", "我在广州 居住证签注能网上弄吗"} {
			if r, err := as.Ask(ctx, assistant.Request{Message: msg}); err != nil || r.Status != assistant.OutOfScope {
				t.Errorf("%s after the round: %s %+v %v, want declined", msg, r.Status, r.Citations, err)
			}
		}
	})
}
