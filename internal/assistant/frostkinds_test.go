package assistant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// TestProviderBusiness checks, on made-up messages, a kind probes-frost
// showed: what a utility, an insurer, an inspection station or a
// platform does for its own customers (a bill's account name, a broadband
// line, a commercial policy, a car's inspection, an account on a
// platform) is declined with a reply saying who does it, though it shares
// a word with a service (过户, 注销, 备案, 年审); a
// service question that only mentions such a channel is still answered,
// and opening a shop in a trade is still a licence question.
func TestProviderBusiness(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	r, err := as.Ask(context.Background(), assistant.Request{Message: "搬家了 电费户头要转到新房东名下 去哪弄"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Answer, "服务单位") {
		t.Errorf("the decline does not say who does it: %q", r.Answer)
	}
	checkDecisions(t, []decisionCase{
		{"搬家了 电费户头要转到新房东名下 去哪弄", assistant.OutOfScope, ""},
		{"想给爸妈买份商业保险 哪个保险公司靠谱", assistant.OutOfScope, ""},
		{"摩托车要年检了 检测站要排队吗", assistant.OutOfScope, ""},
		{"网店的抖音号不做了 能注销吗", assistant.OutOfScope, ""},
		{"个体户不做了 店里的宽带怎么办停", assistant.OutOfScope, ""},
		{"社保卡补办能在公众号上办吗", assistant.Answered, "FT-011"},
		{"灵活就业的养老保险怎么交", assistant.Answered, "FT-012"},
		{"想开个洗车店 个体户执照怎么办", assistant.Answered, "FT-091"},
	})
}

// TestCounterOrPhone checks, on made-up follow-ups, a kind probes-frost
// showed: asking whether one must go to the counter or can do it on the
// phone (跑柜台, 手机就行) asks whether it can be done online.
func TestCounterOrPhone(t *testing.T) {
	t.Parallel()
	checkAspects(t, []aspectCase{
		{"社保卡丢了要补办", "一定要跑窗口吗 还是手机就能弄", assistant.Online},
		{"我想办居住证", "要去柜台排队吗 手机弄行不行", assistant.Online},
	})
}

// TestDeadlineAndSlot checks, on made-up follow-ups, aspects probes-frost
// showed said without the words the cue table had: a deadline (截止, 最晚
// 几号前) is the time limit, a slot to book (排个时间) the appointment,
// and whether something is affected (受影响) a condition.
func TestDeadlineAndSlot(t *testing.T) {
	t.Parallel()
	checkAspects(t, []aspectCase{
		{"个税汇算怎么弄", "今年最晚几号前要弄完", assistant.TimeLimit},
		{"企业年报在哪报", "截止日期是哪天", assistant.TimeLimit},
		{"想办结婚登记", "要不要先在网上排个时间", assistant.Appointment},
		{"我想申请低保", "家里有辆旧车 会不会受影响", assistant.Conditions},
	})
}

// TestStoryAfterAskLesson checks, on SQLite and PostgreSQL, a reply to a
// clarify question that an ask lesson made: a reply that tells the case
// at length and asks of it, naming none of the choices and nothing the
// catalogue holds, is the case of the question asked (the first choice),
// not declined; before, such a lesson broke the turn after it (probes-noon).
func TestStoryAfterAskLesson(t *testing.T) {
	t.Parallel()
	cases := []assistant.EvalCase{{ID: "tax", Turns: []assistant.EvalTurn{
		{Q: "个税方面想问问", Expect: "clarify"},
		{Q: "去年下半年一直在家没上班 听朋友讲这种平时会多扣 还能要回来吗", Item: "FT-108"},
	}}}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		kbs, ix, sync, as := reviewFixture(t, db)
		rep := fullRound(t, as, cases, kbs, ix, sync)
		if rep.After.ClarifyRecall != 1 || rep.After.ItemTop1 != 1 || rep.Broken != 0 {
			t.Errorf("after the round: %+v, %d broken %q", rep.After, rep.Broken, rep.BrokeTurns)
		}
	})
}

// TestBorrowingIsALoan checks, on made-up messages, borrowing money said
// plainly (借钱, 借点钱): a loan, as the catalogue's loan items say, while
// a debt between people stays a legal matter.
func TestBorrowingIsALoan(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我是退伍军人 想借钱开个小饭馆", assistant.Answered, "FT-116"},
		{"朋友借钱不还怎么办", assistant.OutOfScope, ""},
	})
}
