package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twentieth round, chosen on the learning sets, each tested
// on sentences of our own.

// TestProvideWhatAsksMaterials checks, on made-up messages, that a verb of
// bringing or handing in with what is asked after it (得备好些什么, 要医院
// 出具哪些, 得拿上些什么, 要填什么) asks for the materials, whatever the
// verb's ending.
func TestProvideWhatAsksMaterials(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"儿子满月了 给他上户口得备好些什么", "FT-001", assistant.Materials},
		{"申请残疾人两项补贴 要医院出具哪些", "FT-050", assistant.Materials},
		{"办居住证 去之前得拿上些什么", "FT-002", assistant.Materials},
		{"去开个体户执照 要填什么", "FT-091", assistant.Materials},
	})
}

// TestWhichSystemAsksOnline checks, on made-up messages, that which system,
// platform or field of a form a thing is done in (哪个平台, 什么系统, 哪一
// 栏) asks for the online channel, not the hall's address; and that an
// item the request names whole (年报) still overrules the story's item
// (开了公司) when its cue leaves the request fewer words.
func TestWhichSystemAsksOnline(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"公司年报要在哪个平台上交", "FT-102", assistant.Online},
		{"小孩入园报名 是在什么系统填", "FT-070", assistant.Online},
		{"个税的大病医疗扣除 在哪一栏填", "FT-112", assistant.Online},
		{"居住证续签 在啥系统上弄", "FT-003", assistant.Online},
		{"去年开了公司 今年的年报在哪个平台报", "FT-102", assistant.Online},
	})
}

// TestWhenDoneAsksTimeLimit checks, on made-up messages, that when a thing
// is done asked with the item's own verb (几时发, 什么时候可以报名), or how
// many days a step takes (公示几多日), is the time limit.
func TestWhenDoneAsksTimeLimit(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"高龄津贴批了 每个月几时发", "FT-034", assistant.TimeLimit},
		{"孩子明年上一年级 学位什么时候可以报名", "FT-067", assistant.TimeLimit},
		{"简易注销的公告 要公示几多日", "FT-098", assistant.TimeLimit},
	})
}

// TestNameWordSaidWithDe checks, on a made-up message, that a word of an
// item's name said with 的 inside it (简易的注销) is read as said whole,
// and outranks the company the story names.
func TestNameWordSaidWithDe(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"有限公司 员工都散了 想办简易的注销", assistant.Answered, "FT-098"},
	})
}

// TestMedicalDevicesToSell checks, on made-up messages, that more of the
// second-class medical devices a shop sells (血氧仪, 胎心仪, breast pumps
// in English) are the devices' business filing, not declined nor another
// filing.
func TestMedicalDevicesToSell(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"药店想进一批血氧仪来卖 要办什么手续", assistant.Answered, "FT-105"},
		{"网店想上架胎心仪 要不要先备案", assistant.Answered, "FT-105"},
		{"Our online store will sell breast pumps. Which licence or filing do we need?", assistant.Answered, "FT-105"},
	})
}

// TestTopicNotUnderstood checks, on made-up messages, that a field said
// with not understanding after it (有件事没搞清楚, 有些地方不太明白) is
// asked back with its items, not declined for the words of not
// understanding nor answered with one guess.
func TestTopicNotUnderstood(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"社保这块 有件事没搞清楚", assistant.Clarify, ""},
		{"公积金方面 有些地方不太明白", assistant.Clarify, ""},
	})
}

// TestBirthCueOverSpouseStory checks, on made-up messages, that a birth
// with 入户 asked is the newborn's registration however strongly the
// spouse's hukou said in the story (老公深户) ranks the spouse's move.
func TestBirthCueOverSpouseStory(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"老公深户，娃是在澳门生的，可以在深圳入户吗", assistant.Answered, "FT-001"},
		{"我老公深户 孩子在老家生的 可以入户吗", assistant.Answered, "FT-001"},
	})
}

// TestTwoCharactersSoundingAlikeByChance checks, on a made-up message,
// that two characters read as a typo only when they sound the same as
// typed: 里剩 (li sheng) is no 离深 (li shen) of leaving Shenzhen, so a
// retired resident's housing fund is the withdrawal on retiring.
func TestTwoCharactersSoundingAlikeByChance(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"工作了三十年刚退休 账户里剩的公积金怎么取", assistant.Answered, "FT-084"},
	})
}

// TestAsideLeavesTheItem checks, on a made-up dialogue, that a follow-up
// opened as an aside (also, 另外) about a thing no catalogue item matches
// leaves the item discussed and is judged alone: declined.
func TestAsideLeavesTheItem(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"How do I renew my residence permit?", "Also, which supermarket around here sells cheap imported fruit?", assistant.OutOfScope, "", ""},
	})
}

// TestEnglishEverydayWords checks, on made-up messages, that more of the
// English residents use (premarital, check-up, fiance, sole trader) reads
// as its Chinese: the premarital check and a sole trader's registration,
// not another record nor declined.
func TestEnglishEverydayWords(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"Can my fiance and I get the free premarital check-up in Futian?", assistant.Answered, "FT-060"},
		{"I sell noodles from a stall and want to register as a sole trader. Can I do it online?", assistant.Answered, "FT-091"},
	})
}

// TestCueTakesPartOfItemWord checks, on made-up messages, that a question
// cue ending inside the item's own word (还能签 of 签注, 还能报 of 报销)
// leaves the word whole for choosing the item: the renewal, not the first
// permit; the reimbursement, not the filing.
func TestCueTakesPartOfItemWord(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"出差半年 回来居住证过期三个月了 还能签注吗", assistant.Answered, "FT-003"},
		{"医保卡在外地看病没刷上 回来还能报销吗", assistant.Answered, "FT-020"},
	})
}

// TestCardPartlyDestroyed checks, on made-up messages, that a card with a
// piece gone (掉了一个角, 缺了一个角, 啃掉) is damaged and exchanged, not
// lost (掉了) and replaced, nor another booklet's item.
func TestCardPartlyDestroyed(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"狗把身份证啃掉了一个角 得去办张新的吧", assistant.Answered, "FT-004"},
		{"身份证掉了一个角 芯片没坏 要换吗", assistant.Answered, "FT-004"},
		{"我的身份证缺了一个角 还能不能用", assistant.Answered, "FT-004"},
	})
}
