package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-first round, chosen on the learning sets, each
// tested on sentences of our own.

// TestBookedSlotAsksAppointment checks, on made-up messages, that a number
// or a time booked (挂个号, 约了时间, 拿个号, reserve a slot) asks for the
// appointment, even when said with the 网上 it is booked on, and that
// 要不要 before a cue followed by 了 still asks it.
func TestBookedSlotAsksAppointment(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"办结婚登记 用不用提前挂个号", "FT-055", assistant.Appointment},
		{"补领户口本 要不要约了时间再过去", "FT-009", assistant.Appointment},
		{"换身份证之前 是不是要先在网上拿个号", "FT-004", assistant.Appointment},
		{"For marriage registration, do we need to reserve a slot?", "FT-055", assistant.Appointment},
	})
}

// TestWhoAppliesAsksProcess checks, on made-up messages, that who applies,
// the resident or the employer (是我自己去申请还是公司, me or my employer),
// asks for the steps.
func TestWhoAppliesAsksProcess(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"生育津贴是我自己去申请还是公司帮我申请", "FT-064", assistant.Process},
		{"失业登记 是单位去报还是我们自己报", "FT-031", assistant.Process},
		{"Does the maternity allowance go to me or to my employer?", "FT-064", assistant.Process},
	})
}

// TestHowLongBeforeAsksConditions checks, on made-up messages, that how
// long a thing must have lasted (封够几个月才让取), or how late is too late
// asked before a cue said with 了 (超过几个月就不给报了, 拖到什么时候就不给弄
// 了), asks for the conditions.
func TestHowLongBeforeAsksConditions(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"医疗费报销 超过几个月就不给报了", "FT-021", assistant.Conditions},
		{"公积金账户得封够几个月才让取", "FT-085", assistant.Conditions},
		{"社保卡补办 拖到什么时候就不给弄了", "FT-011", assistant.Conditions},
	})
}

// TestNotOnWelfareAsksExpenseRelief checks, on made-up messages, that a
// family said not to be on 低保 (不是低保户, 唔系低保户) whose costs sink it
// is answered with the relief for heavy spending, and that the 低保 it
// denies is no evidence for 最低生活保障.
func TestNotOnWelfareAsksExpenseRelief(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"爸爸肺癌在化疗 我们家是深户 不是低保户 积蓄快见底了 能申请什么救助", assistant.Answered, "FT-047"},
		{"我们唔系低保户 个女读大学学费好贵 屋企顶唔顺 有冇救助", assistant.Answered, "FT-047"},
	})
}

// TestInAFewDaysAsksTimeLimit checks, on made-up messages, that 过几天就,
// 过多久就 ask when, not how long a thing must have lasted.
func TestInAFewDaysAsksTimeLimit(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"身份证换领 过几天就能拿到新证吗", "FT-004", assistant.TimeLimit},
		{"居住证办完 过多久就可以去拿", "FT-002", assistant.TimeLimit},
	})
}

// TestPaperToBringIsNotTheErrand checks, on made-up messages, that an
// everyday errand (a lottery prize) asked with a paper to bring (带身份证
// 就行吗, 带户口本就可以吗) is declined: the paper says what the errand
// needs, not which service it is.
func TestPaperToBringIsNotTheErrand(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"刮刮乐中了两百块 去哪里兑奖 带身份证就行吗", assistant.OutOfScope, ""},
		{"中奖了 奖金去哪领 带户口本就可以吗", assistant.OutOfScope, ""},
	})
}

// TestWhatToEatIsAdvice checks, on made-up messages, that what to eat,
// drink or take for an illness (煲什么汤喝最好, 吃什么水果比较好, 补点什么营
// 养比较好) is a doctor's question and declined, in a story of old age or
// illness too, whether or not a health word names the illness.
func TestWhatToEatIsAdvice(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"阿婆八十几 血压高 煲什么汤喝最好", assistant.OutOfScope, ""},
		{"我妈血压高 一个人住 泡啥茶比较好", assistant.OutOfScope, ""},
		{"我爸糖尿病 平时吃什么水果比较好", assistant.OutOfScope, ""},
		{"孩子自闭症 补点什么营养比较好", assistant.OutOfScope, ""},
	})
}

// TestStatementAfterCueIsStory checks, on made-up messages, that an
// everyday matter (money lent, a deposit kept) followed by a statement,
// not a question (我打算上门找他), is declined: the statement goes on with
// the story, whatever item its words (上门) match.
func TestStatementAfterCueIsStory(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"邻居借钱不还 躲着我 我打算上门找他", assistant.OutOfScope, ""},
		{"房东押金不退 我想上门跟他理论", assistant.OutOfScope, ""},
	})
}

// TestSlurOnTheAssistant checks, on made-up messages, that a word of
// contempt before a word for the assistant (烂系统, 笨机器人, 衰软件) is
// abuse said to it: a calm reply and a person, in a conversation too.
func TestSlurOnTheAssistant(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"a slur after a complaint", "问了三遍都答非所问 烂系统", true, "转人工"},
		{"a slur first", "笨机器人 一点用都没有", true, "转人工"},
		{"Cantonese", "搞咩啊 衰软件", true, "转人工"},
	})
	checkFollowUps(t, []followUpCase{
		{"医保怎么转移", "笨机器人 一点用都没有", assistant.OutOfScope, "", ""},
	})
}
