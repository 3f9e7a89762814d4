package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestRimeKinds checks, on made-up messages, kinds probes-rime showed:
// the words people use for an emergency call bell (平安铃, a fall said in
// Cantonese), a company's name and a clash with another's (公司名, 重名),
// the elders' card (老人优待证, not the veterans'), renewing one more year
// in Cantonese (续多一年), bringing medical insurance over (医保…带过来),
// how many days ahead to book (提前几天预约 names no early repayment);
// a district of another city or a county of Guangdong named on its own
// (虎门, 普宁) declined, while one named as home (老家是海丰的) is not; asking
// which brand to buy or for a removals firm, in the middle of a dialogue,
// declined.
func TestRimeKinds(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我奶奶一个人住 想装个平安铃 政府能帮忙吗", assistant.Answered, "FT-040"},
		{"阿爷喺屋企跌低咗 好耐先有人知 想装个平安铃", assistant.Answered, "FT-040"},
		{"公司名称想用星海贸易 怎么查会不会重名", assistant.Answered, "FT-092"},
		{"我爸七十了 想办老人优待证", assistant.Answered, "FT-038"},
		{"居住证明年到期 想续多一年", assistant.Answered, "FT-003"},
		{"从广州调来深圳上班 以前的医保怎么带过来", assistant.Answered, "FT-024"},
		{"我户口在东莞虎门 想在虎门那边办高龄津贴", assistant.OutOfScope, ""},
		{"想在普宁那边申请低保 要什么材料", assistant.OutOfScope, ""},
		{"我老家是海丰的 在福田上班 想办居住证", assistant.Answered, "FT-002"},
	})
	checkAspects(t, []aspectCase{
		{"打算六月一号去领证", "要提前几天预约", assistant.Appointment},
	})
	checkFollowUps(t, []followUpCase{
		{"打算六月一号去领证", "要提前几天预约", assistant.Answered, "FT-055", assistant.Appointment},
		{"想申请食品经营许可证", "店里的烤箱买哪个牌子好", assistant.OutOfScope, "", ""},
		{"想办个体户执照", "对了 搬家公司有没有靠谱的推荐", assistant.OutOfScope, "", ""},
	})
}

// TestRimeStories checks, on made-up messages, two story kinds
// probes-rime showed: a benefit the resident already draws (一直领养老金)
// is the story, the yearly check asked after is the item; and a winter
// spent in another city, in hospital there, is Shenzhen's cross-city
// medical service, not that city's.
func TestRimeStories(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我妈一直在领养老金 每年要做的那个认证能在手机上弄吗", assistant.Answered, "FT-018"},
		{"陪老人去海口过冬 医保到那边住院要办什么", assistant.Answered, "FT-019"},
	})
}

// TestRimeAspects checks, on made-up follow-ups, aspect kinds
// probes-rime showed: which month or period a service opens (几月份,
// 哪段时间) and from which day it counts are time limits; "一分钱不收"
// is the fee, however a hospital is named before it; a photo's size (几
// 寸) is a material; doing it by video is the online channel.
func TestRimeAspects(t *testing.T) {
	t.Parallel()
	checkAspects(t, []aspectCase{
		{"孩子明年上小学", "一般几月份开始报名", assistant.TimeLimit},
		{"想申请健康成长补贴", "一年里哪段时间可以申请", assistant.TimeLimit},
		{"想做就业困难人员认定", "批下来以后从哪天开始算", assistant.TimeLimit},
		{"想去做婚前检查", "在哪家医院做 是不是一分钱不收", assistant.Fee},
		{"想办长者卡", "照片要几寸的", assistant.Materials},
		{"我爸要做养老保险待遇资格认证", "能不能视频认证", assistant.Online},
	})
}

// TestTopicThenAsk checks that a topic followed by "想了解" or "想咨询"
// (公积金贷款的事想了解) is still a topic, asked back with its items.
func TestTopicThenAsk(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"住房公积金贷款的事想了解", assistant.Clarify, ""},
		{"离婚的事想咨询", assistant.Clarify, ""},
	})
}

// TestProviderAsked checks, on made-up messages, that asking which
// business or provider of a kind to go to (哪家驾校, 附近有没有眼科诊所,
// 哪间茶楼), alone or in the middle of a dialogue, is declined, while
// asking which hospital issues a paper, which bank hands out a card or
// which service centre serves stays the item's.
func TestProviderAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"附近有没有周末也开的眼科诊所", assistant.OutOfScope, ""},
		{"福田哪间茶楼适合带老人家去饮茶", assistant.OutOfScope, ""},
		{"出生医学证明去哪家医院开", assistant.Answered, "FT-061"},
		{"社保卡可以去哪家银行领", assistant.Answered, "FT-010"},
		{"哪个便民服务中心能办居住证", assistant.Answered, "FT-002"},
	})
	checkFollowUps(t, []followUpCase{
		{"想开个体户 卖文具", "对了 附近哪家打印店便宜", assistant.OutOfScope, "", ""},
		{"想办有限公司", "开对公户 哪家银行手续费低", assistant.OutOfScope, "", ""},
	})
}

// TestClarifyReplyNamesChoice checks that a reply to a clarify question
// naming one choice outright (住房公积金贷 after the loan choices) takes
// it, however many characters another choice's name shares with the
// reply (住房公积金贷款提前还款).
func TestClarifyReplyNamesChoice(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"我想贷款", "买了套二手房 想用住房公积金贷", assistant.Answered, "FT-087", ""},
	})
}

// TestWhoseThingIsNoGroup checks that a family member said as whose a
// thing is (我爸的户口) does not make the message about the elders' items:
// with nothing else said, which hukou service is meant is asked. A lost
// medical insurance card is the social security card's replacement.
func TestWhoseThingIsNoGroup(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"想把我爸的户口弄一下", assistant.Clarify, ""},
		{"我爸的高龄津贴怎么领", assistant.Answered, "FT-034"},
		{"我妈的医保卡丢了 去哪补", assistant.Answered, "FT-011"},
	})
}
