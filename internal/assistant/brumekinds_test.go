package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-second round, chosen on the learning sets, each
// tested on sentences of our own.

// TestEnglishQuestionFormsAskAspects checks, on made-up messages, that
// English asks its aspect with a question word and a verb as Chinese does
// with 怎么 and 能…吗: how one does it, how many days, which bank, what
// one brings, paying anything, on one's phone, whether one is allowed.
func TestEnglishQuestionFormsAskAspects(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"My mother lost our household register. How do we get a new one?", "FT-009", assistant.Process},
		{"I applied for the old age allowance for my mother. How soon does the money come?", "FT-034", assistant.TimeLimit},
		{"My social security card was stolen. Which bank branch can replace it?", "FT-011", assistant.Location},
		{"My father is 82 with a Futian hukou. For the old age allowance, what does he need to bring?", "FT-034", assistant.Materials},
		{"For replacing a lost marriage certificate, do we have to pay anything?", "FT-057", assistant.Fee},
		{"Can I do the rental contract filing on my phone?", "FT-078", assistant.Online},
		{"I'm 45 with a master's degree and my hukou is in Hubei. Am I allowed to move my hukou here as a talent?", "FT-006", assistant.Conditions},
	})
}

// TestCantoneseWhichWithMeasureWord checks, on made-up messages, that
// Cantonese 边 before a measure word (边几份) is 哪, and that
// 交 with what after it asks for the papers as 带 and 递 do.
func TestCantoneseWhichWithMeasureWord(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"申请居住证 要交边几份", "FT-002", assistant.Materials},
		{"申请残疾人证 要交哪几份", "FT-048", assistant.Materials},
	})
}

// TestEnoughAsksConditions checks, on made-up messages, that whether the
// resident's case is enough, asked without 能 or 可以 (算…吗, 也行吗, 够不,
// 行得通吗), asks for the conditions.
func TestEnoughAsksConditions(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"灵活就业交养老保险 我五十六了 年纪够不", "FT-012", assistant.Conditions},
		{"租的房子 算有固定住所吗 想办居住证", "FT-002", assistant.Conditions},
		{"企业名称里带英文字母 行得通吗", "FT-092", assistant.Conditions},
		{"长者饭堂 外地户口的老人也行吗", "FT-037", assistant.Conditions},
	})
}

// TestPhotoAskedIsMaterials checks, on made-up messages, that a question
// about the photo to hand in (its number, size, look, or whether to bring
// one) asks for the materials.
func TestPhotoAskedIsMaterials(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"办退役军人优待证 照片交几张", "FT-113", assistant.Materials},
		{"换身份证 照片是自己拍还是现场拍", "FT-004", assistant.Materials},
		{"残疾人证换领 相片多大的", "FT-049", assistant.Materials},
	})
}

// TestFromAfarAsksOnline checks, on made-up messages, that asking whether
// it can be done without coming back, from abroad, or by phone or the web
// with the item's own verb asks for the online channel.
func TestFromAfarAsksOnline(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"高龄津贴 我妈在老家住 不回福田能办吗", "FT-034", assistant.Online},
		{"退休待遇资格认证 人在海外怎么认证", "FT-018", assistant.Online},
		{"孩子转学 家长上网去报就行吗", "FT-069", assistant.Online},
	})
}

// TestAmountGotAsksFee checks, on made-up messages, that an amount
// received asked with a verb of getting it (拿到多少, 领到手多少) asks for
// the amount, not when it comes.
func TestAmountGotAsksFee(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"高龄津贴 我爸每月能拿到多少", "FT-034", assistant.Fee},
		{"失业保险金 一个月领到手大概多少", "FT-015", assistant.Fee},
	})
}

// TestWhichOneCheapestDeclined checks, on made-up messages, that asking
// which one of a kind is cheapest or best (哪个…实惠, 哪款好用, which
// brand) is declined however the service it follows reads: the district
// recommends no business or product.
func TestWhichOneCheapestDeclined(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"婚检做完了 顺便问下 福田哪个瑜伽班报名实惠", assistant.OutOfScope, ""},
		{"残疾人证办下来了 想给我爸配个拐杖 哪款好用", assistant.OutOfScope, ""},
		{"After the marriage registration, where can we get the invitations printed cheaply?", assistant.OutOfScope, ""},
		{"营业执照办好了 店里空调坏了 找哪个师傅修平一点", assistant.OutOfScope, ""},
	})
}

// TestSettledHereIsNotLost checks, on made-up messages, that a household
// registration settled somewhere (户口想落在他爸爸那边) is not a thing left
// behind, while a paper left on or in a place (落在酒店房间里了) still is.
func TestSettledHereIsNotLost(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"老公是深圳户口 我是广西的 宝宝前几天出生 户口想落在他爸爸那边 要准备什么", assistant.Answered, "FT-001"},
		{"媳妇深圳户口 我是江西的 闺女上周出生了 户口想落在她妈妈那边 要带哪些", assistant.Answered, "FT-001"},
		{"结婚证落在酒店房间里了 怎么补", assistant.Answered, "FT-057"},
	})
}
