package assistant_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// TestDocumentsBroughtAlong checks, on made-up follow-ups, kinds
// probes-hail showed: a document that must also be brought (也得带上),
// or papers another office writes out (要开什么单子), asks after the
// discussed item's materials, whichever document it names.
func TestDocumentsBroughtAlong(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"想给刚出生的宝宝上户口", "除了出生证明 我的户口本也得带上吧", assistant.Answered, "FT-001", assistant.Materials},
		{"我老公住院了 家里困难 想申请临时救助", "医院那边要开什么单子", assistant.Answered, "FT-042", assistant.Materials},
	})
}

// A review round teaches a decline of an everyday aside in the middle of
// a dialogue (a cake shop after a marriage question), which reads alone
// as a first turn does: after the round the aside is declined and the
// dialogue's next turn is back on its item. On SQLite and PostgreSQL.
func TestReviewRoundDeclinesAnAside(t *testing.T) {
	t.Parallel()
	cases := []assistant.EvalCase{{ID: "cake", Turns: []assistant.EvalTurn{
		{Q: "我和女朋友想下个月去领结婚证 要什么条件", Item: "FT-055", Aspect: "conditions"},
		{Q: "领完证想订个蛋糕庆祝一下 哪家蛋糕店能当天取", Expect: "out_of_scope"},
		{Q: "登记要先在网上预约吗", Item: "FT-055", Aspect: "appointment"},
	}}}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		kbs, ix, sync, as := reviewFixture(t, db)
		rep := fullRound(t, as, cases, kbs, ix, sync)
		if !slices.ContainsFunc(rep.Taught, func(l string) bool { return strings.HasPrefix(l, "decline: ") && strings.Contains(l, "蛋糕") }) {
			t.Errorf("no decline lesson of the aside: %q", rep.Taught)
		}
		if rep.ScopeReviewable != 1 || rep.ScopeFixed != 1 || rep.After.OOSRecall != 1 || rep.After.ItemTop1 != 1 || rep.Broken != 0 {
			t.Errorf("after the round: %d reviewable, %d fixed, %d broken, %+v", rep.ScopeReviewable, rep.ScopeFixed, rep.Broken, rep.After)
		}
	})
}

// TestHailKinds checks, on made-up messages, kinds probes-hail showed:
// Cantonese aspects (一步步 is how, 几时先批落嚟 when, 拎啲咩 what to
// bring), where to hand a form in (交到哪), a licence's complement said
// with 得 (下得来) naming nothing; a children's class, a bank's fees for
// a company account, a Mandarin test and a colleague's hukou declined;
// and another body's service asked after in the middle of a dialogue
// (普通话测试 while on 教师资格) declined too, while asking whether to
// bring a paper stays the item's materials.
func TestHailKinds(t *testing.T) {
	t.Parallel()
	checkAspects(t, []aspectCase{
		{"我老豆想办残疾人证", "系第一次搞 要点一步步嚟", assistant.Process},
		{"想申请公租房", "交咗申请之后几时先批落嚟", assistant.TimeLimit},
		{"想帮外甥申请孤儿基本生活保障", "我要拎啲咩证明过去", assistant.Materials},
		{"想让我妈住公办养老院", "申请表交到哪儿", assistant.Location},
		{"开有限公司要办什么", "执照大概几天下得来", assistant.TimeLimit},
	})
	checkDecisions(t, []decisionCase{
		{"寒假想给儿子报个游泳班 哪家便宜", assistant.OutOfScope, ""},
		{"普通话测试在哪里报名", assistant.OutOfScope, ""},
		{"帮我查下我同事是哪年落的深户", assistant.OutOfScope, ""},
	})
	checkFollowUps(t, []followUpCase{
		{"想申请教师资格认定", "普通话测试在哪报名 下一场是几月", assistant.OutOfScope, "", ""},
		{"想申请教师资格认定", "要带普通话证书吗", assistant.Answered, "FT-073", ""},
	})
}
