package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the nineteenth round, chosen on the learning sets, each tested
// on sentences of our own.

// TestDeductionSaidAlone checks, on made-up messages, that a deduction
// said by what it is for (托育的扣除, 子女那项扣除), or as paying less
// tax (个税…少交), is the tax's special additional deductions, not the
// school told beside it nor the yearly return, and not declined.
func TestDeductionSaidAlone(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"二宝刚满一岁 托育的扣除在哪个app填", assistant.Answered, "FT-112"},
		{"闺女明年读初中了 子女那项扣除要重新填吗", assistant.Answered, "FT-112"},
		{"房贷每个月还六千 个税能不能少交点", assistant.Answered, "FT-112"},
	})
}

// TestTopicMarkedWithAsking checks, on made-up messages, that a field
// said as a topic with words of asking (…方面有点事 想请教, …方面 有点问
// 题, …方面 有几件事不懂) is asked back with its items, not declined
// for the marks nor answered with one guess.
func TestTopicMarkedWithAsking(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"医保方面 有点问题", assistant.Clarify, ""},
		{"落户方面有点事 想请教", assistant.Clarify, ""},
		{"税务方面 有几件事不懂", assistant.Clarify, ""},
	})
}

// TestDocumentToBringTellsNoStory checks, on made-up messages, that the
// document a yes/no question asks to bring (要带户口本吗, 要带结婚证吗),
// once it is a material of what the rest names, neither declines the
// turn as a thing the catalogue lacks nor tells a situation (a marriage)
// that chooses another item.
func TestDocumentToBringTellsNoStory(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"准备领证 登记那天要带户口本吗", assistant.Answered, "FT-055"},
		{"下礼拜去给娃报户口 去的时候要带结婚证吗", assistant.Answered, "FT-001"},
	})
}

// TestStrangersCredentials checks, on made-up messages, that a domestic
// worker (保姆, 护工) is someone else whose records are theirs, and that a
// credential (资格证) looked up for someone else is their record: both are
// declined, saying why.
func TestStrangersCredentials(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我家护工说她评过低保 你核实一下是真是假", assistant.OutOfScope, ""},
		{"帮我查下我们老板的教师资格证", assistant.OutOfScope, ""},
	})
}

// TestEnglishForBusinessAndTax checks, on made-up messages in English,
// that an individual business being shut is its deregistration, a
// foreigner's first card is the card's first issue, and a tax payment
// certificate is the certificate of tax paid.
func TestEnglishForBusinessAndTax(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"My husband and I have a small fruit stall registered as an individual business and we are shutting it down. What do we need?", assistant.Answered, "FT-099"},
		{"I am a foreigner working here and need my first social security card, where do I get it?", assistant.Answered, "FT-010"},
		{"Where can I get a tax payment certificate for last year? The landlord asks for one.", assistant.Answered, "FT-110"},
	})
}

// TestAspectsAskedPlainly checks, on made-up messages, aspects asked in
// words the cue lists lacked: when the money comes in (几时打钱, 哪天进
// 账) is the time limit, which forms or drawings to hand in (哪些表格) the
// materials, which office to hand it to (哪个部门递) the location, and
// working days in English the time limit.
func TestAspectsAskedPlainly(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"高龄津贴批了以后 一般几时打钱", "FT-034", assistant.TimeLimit},
		{"见习补贴申请 单位要填哪些表格", "FT-032", assistant.Materials},
		{"第一次办残疾证 申请该哪个部门递", "FT-048", assistant.Location},
		{"Residence permit for the first time: how many working days?", "FT-002", assistant.TimeLimit},
	})
}

// TestArmedPoliceVeteran checks, on made-up messages, that service in the
// armed police (从武警退下来) is a veteran's, and that choosing to find
// one's own work (自己找工作) after it is the self-employed
// soldier's one-off grant.
func TestArmedPoliceVeteran(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"外甥去年从武警退下来 选的自己找工作 那笔补助怎么领", assistant.Answered, "FT-114"},
	})
}

// TestPaperStillShowsOldAddress checks, on made-up messages, that a
// paper still showing the old address (还是旧地址, 地址还没改) asks for
// its change, not for a copy of it.
func TestPaperStillShowsOldAddress(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"工作室从梅林搬到了香蜜湖 营业执照上还是旧地址 怎么弄", assistant.Answered, "FT-097"},
		{"户口迁到莲花街道了 身份证上地址还没改 能换新证吗", assistant.Answered, "FT-004"},
	})
}

// TestNeighbourhoodNamesNoGossip checks, on made-up messages, that an
// everyday word inside one of the district's own places (八卦 of 八卦岭)
// names the neighbourhood, not gossip.
func TestNeighbourhoodNamesNoGossip(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我妈住八卦岭 八十五了 每月那个津贴怎么领", assistant.Answered, "FT-034"},
		{"我在八卦岭开了间面馆 食品许可怎么办", assistant.Answered, "FT-100"},
	})
}

// TestTaxShorthand checks, on made-up messages, that the tax words of the
// catalogue are typed as initials too: xgm 小规模, zzs 增值税, fp 发票.
func TestTaxShorthand(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我们是xgm 上个季度零收入 还要报吗", assistant.Answered, "FT-109"},
		{"zzs按季报 在哪报", assistant.Answered, "FT-109"},
		{"fp开多了 上限要提高 网上能弄吗", assistant.Answered, "FT-107"},
	})
}

// TestGroupSaidByStatusOrSchool checks, on made-up messages, that a group
// an item's name restricts it to is mentioned by what the story says of
// the family: a low income is hardship (困难), a child at school a
// pupil (学生).
func TestGroupSaidByStatusOrSchool(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"闺女上初中 我们评了低收入 她那份生活补助能不能领", assistant.Answered, "FT-072"},
		{"我们是低收入户 老大在公办初中 生活补助有份吗", assistant.Answered, "FT-072"},
	})
}

// TestPensionInsuranceInitials checks, on made-up messages, that ylbx is
// the pension insurance (养老保险) chat means by it, not 医疗保险.
func TestPensionInsuranceInitials(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"ylbx断了两年 没单位了 还能自己续上吗", assistant.Answered, "FT-012"},
	})
}
