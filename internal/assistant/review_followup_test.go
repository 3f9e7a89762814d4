package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Follow-ups in a review round, on SQLite and PostgreSQL: a follow-up
// that moves to another item (closing a company, then the tax account)
// and stays on the first is reviewable as a question for the new item;
// after the round the conversation moves, and dialogues whose follow-ups
// were right stay right. Without FollowUps the same misses are counted
// but not taught.
func TestReviewRoundFollowUps(t *testing.T) {
	t.Parallel()
	dialogue := func(id string, turns ...[2]string) assistant.EvalCase {
		c := assistant.EvalCase{ID: id}
		for _, t := range turns {
			c.Turns = append(c.Turns, assistant.EvalTurn{Q: t[0], Item: t[1]})
		}
		return c
	}
	cases := []assistant.EvalCase{
		dialogue("close-firm", [2]string{"公司没做过生意想关掉 最快怎么弄", "FT-098"}, [2]string{"税务上的账要先清掉吗", "FT-111"}),
		dialogue("close-shop", [2]string{"个体户不做了怎么注销", "FT-099"}, [2]string{"欠的税要先结清吗", "FT-111"}),
	}
	neighbours := []assistant.EvalCase{
		dialogue("id-book", [2]string{"身份证丢了怎么补", "FT-005"}, [2]string{"顺便户口本也不见了", "FT-009"}),
		dialogue("move-sign", [2]string{"公司想换个地方办公 执照要改吗", "FT-097"}, [2]string{"门口的招牌要报备吗", "FT-104"}),
		dialogue("tax-vat", [2]string{"新公司要去税务局报到吗", "FT-106"}, [2]string{"那每个月的增值税怎么报", "FT-109"}),
		dialogue("veteran", [2]string{"退伍回来了 优待证怎么办", "FT-113"}, [2]string{"一次性的补助钱什么时候发", "FT-114"}),
		dialogue("close-only", [2]string{"公司注销要多久", "FT-098"}, [2]string{"要带营业执照吗", "FT-098"}),
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, ix, sync, as := reviewFixture(t, db)
		if m, _, err := assistant.Evaluate(ctx, as, neighbours); err != nil || m.ItemTop1 != 1 {
			t.Fatalf("neighbours before: %+v %v", m, err)
		}
		rep, err := assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		if rep.FollowUps != 2 || rep.Reviewable != 0 || rep.Fixed != 0 {
			t.Fatalf("first turns only: %+v", rep)
		}
		rep, err = assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ, FollowUps: true}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("lessons: %q", rep.Taught)
		if rep.ThreadChanges != 2 || rep.Fixed != 2 || rep.Broken != 0 || rep.After.ItemTop1 != 1 {
			t.Errorf("with follow-ups: %d thread changes, %d fixed, %d broken, after %+v", rep.ThreadChanges, rep.Fixed, rep.Broken, rep.After)
		}
		if m, missed, err := assistant.Evaluate(ctx, as, neighbours); err != nil || m.ItemTop1 != 1 {
			t.Errorf("neighbours after: %+v %+v %v", m, missed, err)
		}
	})
}
