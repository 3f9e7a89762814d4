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

// A review round with decline and ask lessons, on SQLite and PostgreSQL:
// first turns the assistant answered that are no district service (a
// bank's, a shop's, a driving school's — typed, voice-like, Cantonese-
// flavoured) become decline lessons holding the residents' words, vague
// ones become ask lessons with the items they were ranked; all of them
// are declined or asked back after the round, and the district questions
// sharing their words (身份证, 营业执照, 过户 …) are answered as before:
// no false refusal.
func TestReviewRoundScope(t *testing.T) {
	t.Parallel()
	oos := func(id, q string) assistant.EvalCase {
		return assistant.EvalCase{ID: id, Turns: []assistant.EvalTurn{{Q: q, Expect: "out_of_scope"}}}
	}
	vague := func(id, q string) assistant.EvalCase {
		return assistant.EvalCase{ID: id, Turns: []assistant.EvalTurn{{Q: q, Expect: "clarify"}}}
	}
	answer := func(id, q, item string) assistant.EvalCase {
		return assistant.EvalCase{ID: id, Turns: []assistant.EvalTurn{{Q: q, Item: item}}}
	}
	cases := []assistant.EvalCase{
		oos("bank", "福田哪家银行存款利息高 办个存折要带身份证吗"),
		oos("shop", "想在淘宝开网店卖衣服 店铺保证金交多少"),
		oos("decor", "呃 装修房子找哪个装修公司好 要签合同吗"),
		oos("school", "驾校学车报名要带啥 科目一怎么约"),
		oos("phone", "手机话费套餐点样改 营业厅要带身份证咩"),
		oos("car", "买二手车过户找哪个中介靠谱"),
		vague("child", "孩子的事想问问"),
		vague("firm", "公司的手续想问一下"),
	}
	neighbours := []assistant.EvalCase{
		answer("n-id", "身份证丢了怎么补办", "FT-005"),
		answer("n-shop", "个体户营业执照怎么办理", "FT-091"),
		answer("n-lease", "租房合同备案要带什么", "FT-078"),
		answer("n-move", "公司地址变了营业执照怎么改", "FT-097"),
		answer("n-card", "社保卡丢了怎么补", "FT-011"),
		answer("n-close", "公司注销要多久", "FT-098"),
		answer("n-house", "二手房过户要交什么税", "FT-081"),
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, ix, sync, as := reviewFixture(t, db)
		before, _, err := assistant.Evaluate(ctx, as, neighbours)
		if err != nil {
			t.Fatal(err)
		}
		if before.ItemTop1 != 1 {
			t.Fatalf("neighbours before the round: %+v", before)
		}
		// Without Scope the round makes no lesson of them.
		rep, err := assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		if rep.ScopeMisses == 0 || rep.ScopeReviewable != 0 || rep.Lessons != 0 {
			t.Fatalf("items-only round: %+v", rep)
		}
		rep, err = assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ, Scope: true, FollowUps: true}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("lessons: %q", rep.Taught)
		if rep.ScopeReviewable != rep.ScopeMisses || rep.ScopeFixed != rep.ScopeMisses || len(rep.Refused) > 0 {
			t.Errorf("%d scope misses, %d reviewable, %d fixed, refused %q", rep.ScopeMisses, rep.ScopeReviewable, rep.ScopeFixed, rep.Refused)
		}
		if rep.After.OOSRecall != 1 || rep.After.ClarifyRecall != 1 {
			t.Errorf("after the round: %+v", rep.After)
		}
		lessons, err := kbs.ScopeLessons(ctx, kb.Published)
		if err != nil {
			t.Fatal(err)
		}
		if len(lessons) != rep.Lessons {
			t.Errorf("%d published scope lessons for %d lessons", len(lessons), rep.Lessons)
		}
		for _, l := range lessons {
			if l.Kind == kb.LearnAsk && len(l.Items) < 2 || strings.ContainsAny(l.Phrase, "呃") {
				t.Errorf("lesson %+v", l)
			}
		}
		if !slices.ContainsFunc(lessons, func(l kb.ScopeLesson) bool { return l.Kind == kb.LearnAsk }) {
			t.Error("no ask lesson")
		}
		after, missed, err := assistant.Evaluate(ctx, as, neighbours)
		if err != nil {
			t.Fatal(err)
		}
		if after.ItemTop1 != 1 || after.OOSFalse != 0 {
			t.Errorf("neighbours after the round: %+v %+v", after, missed)
		}
	})
}

// An ask lesson asks back messages as vague as its phrase, while one
// saying, besides it, a word of the answered item's name that the
// lesson's other items lack (退休, 认证) keeps its answer: the detail
// picks the item. SQLite and PostgreSQL.
func TestAskLessonDetailPicks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, _, sync, as := reviewFixture(t, db)
		l := kb.Lesson{Kind: kb.LearnAsk, Phrase: "养老金的事", Items: []string{"FT-014", "FT-018", "FT-035"}}
		if _, err := kbs.Learn(ctx, l, "reviewer", true); err != nil {
			t.Fatal(err)
		}
		if err := sync(ctx); err != nil {
			t.Fatal(err)
		}
		cases := []assistant.EvalCase{
			{ID: "vague", Turns: []assistant.EvalTurn{{Q: "养老金的事想咨询下", Expect: "clarify"}}},
			{ID: "vague-voice", Turns: []assistant.EvalTurn{{Q: "呃 那个 养老金的事 问下", Expect: "clarify"}}},
			{ID: "retire", Turns: []assistant.EvalTurn{{Q: "下个月就到退休年龄了 养老金的事在哪里申请", Item: "FT-014"}}},
			{ID: "certify", Turns: []assistant.EvalTurn{{Q: "养老金的事 每年那个资格认证手机上点样做", Item: "FT-018"}}},
		}
		m, missed, err := assistant.Evaluate(ctx, as, cases)
		if err != nil {
			t.Fatal(err)
		}
		if m.ClarifyRecall != 1 || m.ItemTop1 != 1 {
			t.Errorf("%+v; missed %+v", m, missed)
		}
	})
}
