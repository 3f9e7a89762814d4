package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the sixteenth round (probes-breeze and the older learning
// sets), each tested on sentences of our own.

// TestBirthToldWithoutItsWord checks, on made-up messages, that a birth
// told as where or when the child was born (在医院生的, 前天生了) is the
// birth situation, whose cue 户口 names the newborn's registration.
func TestBirthToldWithoutItsWord(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我媳妇前几天在人民医院生的 是个儿子 孩子户口要怎么报", assistant.Answered, "FT-001"},
		{"老婆昨天在妇幼生了 是个女孩 我们都是深圳户口 孩子户口去哪里上", assistant.Answered, "FT-001"},
	})
}

// TestShopToBeOpened checks, on made-up messages, that opening a shop
// told as 开个/开一家 … 铺/店 is the situation: its licence is the shop's
// first one (个体工商户设立登记, not the replacement 营业执照补领), not a
// licence for a thing the catalogue lacks; and that a place said as the
// style of the food sold (潮州粉面, 兰州拉面) is not another city's service.
func TestShopToBeOpened(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"想在学校对面开个修电脑的小铺 执照能在网上办吗", assistant.Answered, "FT-091"},
		{"想在公园旁边开个做指甲的小铺 执照能不能直接网上弄", assistant.Answered, "FT-091"},
		{"打算在城中村开一家卖潮州粉面的店 卖吃的那个证要多久批", assistant.Answered, "FT-100"},
		{"想开个兰州拉面馆 食品经营许可证要什么材料", assistant.Answered, "FT-100"},
		// still another city's when the shop is there
		{"我在长沙开了家湖南菜馆 营业执照怎么办", assistant.OutOfScope, ""},
	})
}

// TestRenewalSaidShort checks, on made-up messages, that renewing said
// with 续 and a particle (续得, 续吗, 续不续) is the residence permit's
// renewal, not its first issue, while 续交 (paying on) is not renewal.
func TestRenewalSaidShort(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"居住证还有十日就到期 而家可唔可以续得", assistant.Answered, "FT-003"},
		{"居住证快到期了 网上续吗", assistant.Answered, "FT-003"},
		{"剩下的年限能自己续交吗", assistant.Answered, "FT-012"},
	})
}

// TestPayingOffPartOfTheLoan checks, on made-up dialogues, that paying
// back part of a housing-fund loan said plainly (还一部分, 房贷) is its
// early repayment, after the loan's thread or after a clarifying question
// whose choices did not offer it.
func TestPayingOffPartOfTheLoan(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"公积金贷款要什么条件", "过两年有钱了 想还掉一部分 可以吗", assistant.Answered, "FT-120", ""},
		{"问下公积金", "房贷想提前还一点 网上能办吗", assistant.Answered, "FT-120", ""},
	})
}

// TestWhatMustBeDone checks, on made-up messages, that asking what must
// be done for a described situation in everyday words (要办些啥, 得跑哪几
// 个地方) asks back with the situation's items rather than answering one.
func TestWhatMustBeDone(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我爸上周过世了 后面要办些啥", assistant.Clarify, ""},
		{"刚开了家小吃店 要跑哪些地方", assistant.Clarify, ""},
	})
}

// TestThingLostTheCatalogueLacks checks, on made-up messages, that a
// thing lost whose replacement no item issues (单车的锁) is declined:
// the best item matched only the words of losing and replacing.
func TestThingLostTheCatalogueLacks(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"单车的锁丢了 找谁补", assistant.OutOfScope, ""},
		{"身份证丢了 找谁补", assistant.Answered, "FT-005"},
	})
}

// TestTakingAPhotoIsNoDocument checks, on a made-up message, that 拍照
// (taking a photo of the receipts) is something done, not a document the
// catalogue lacks.
func TestTakingAPhotoIsNoDocument(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"在广州看急诊没刷上医保 回深圳以后票据拍照上传能报销吗", assistant.Answered, "FT-020"},
	})
}

// TestSomeoneElsesRecordsByRelation checks, on made-up messages, that a
// person named by how the resident knows them (班主任, 合伙人, 室友) is
// someone else, whose records are not looked up.
func TestSomeoneElsesRecordsByRelation(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"帮我查查我女儿班主任的户籍在哪", assistant.OutOfScope, ""},
		{"我室友的公积金交了多少 你帮我看看", assistant.OutOfScope, ""},
		{"我合伙人的社保交了几年 帮我查下", assistant.OutOfScope, ""},
	})
}
