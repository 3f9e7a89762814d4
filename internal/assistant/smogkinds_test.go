package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-fourth round, chosen on the learning sets, each
// tested on sentences of our own.

// TestUnaskedVariantYields checks, on made-up messages, that an item for
// a variant (补领, 迁出) the message does not ask for, named only by its
// document (营业执照, 户口), yields to an item the message names as a
// whole (a foreign investor's company, the birth registration). A
// variant asked for, or one whose rival names the same document, stays.
func TestUnaskedVariantYields(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我们新加坡合伙人要出全部的钱办个公司 地址在福田 营业执照几天能拿到", assistant.Answered, "FT-094"},
		{"户口都在外地 人在福田住 打算生二孩 先得登记吗", assistant.Answered, "FT-063"},
		// Guards: the variant asked for, and a rival of the same document.
		{"营业执照丢了 要登报吗", assistant.Answered, "FT-101"},
		{"公积金贷款想提前还一部分 怎么弄", assistant.Answered, "FT-120"},
	})
}

// TestServiceElsewhereAsPurpose checks, on made-up messages, that a
// service another body provides, said as the office asking for a paper
// (公证处让我带…档案) or as what a paper is for (签证用, for a student
// visa), is the purpose: the paper is asked of the district. Asking for
// that service itself is still declined.
func TestServiceElsewhereAsPurpose(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"社保那个 移民签证用 在哪打", assistant.Answered, "FT-017"},
		{"公证处让我带上父母在福田登记结婚的档案 怎么查", assistant.Answered, "FT-059"},
		{"Can I print proof of my social insurance online? It is for a student visa.", assistant.Answered, "FT-017"},
		// Guards: the service itself.
		{"How do I apply for a tourist visa?", assistant.OutOfScope, ""},
		{"签证要多少钱", assistant.OutOfScope, ""},
	})
}

// TestPapersAskedByForm checks, on made-up messages, that asking what to
// sign (委托书, 签什么), what is missing (缺什么), how many photos to
// prepare (合影…备几张) or, in English, whether one has to bring a paper
// asks for the materials.
func TestPapersAskedByForm(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"办结婚登记 两个人的合影需要备几张", "FT-055", assistant.Materials},
		{"适老化改造的委托书是不是每个家属都要签", "FT-039", assistant.Materials},
		{"低保申请被退回了 说还缺什么", "FT-041", assistant.Materials},
		{"For the marriage registration, do we both have to bring our hukou books?", "FT-055", assistant.Materials},
		// Guard: how long it takes stays the time.
		{"办结婚登记要多久", "FT-055", assistant.TimeLimit},
	})
}

// TestAspectShorthand checks, on made-up messages, that the pinyin
// initials of a word asking an aspect (tj 条件, lc 流程, dh 电话) ask it,
// as those of the catalogue's words name what is asked about.
func TestAspectShorthand(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"gjj租房提取 有啥tj", "FT-082", assistant.Conditions},
		{"低保sq的lc", "FT-041", assistant.Process},
		{"yb异地备案 dh多少", "FT-019", assistant.Contact},
	})
}

// TestWhereToBuyDeclined checks, on made-up messages, that asking where
// to buy a thing (去哪买, 哪里能买到) after a service, even one named, is
// a shopping question the district does not answer; where to go for the
// service stays the service's place.
func TestWhereToBuyDeclined(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"身份证补办完 想配个卡套 去哪买", assistant.OutOfScope, ""},
		{"领了结婚证 想换个好看的证书夹 哪里能买到", assistant.OutOfScope, ""},
		// Guards: where the service is done.
		{"长者卡在哪领", assistant.Answered, "FT-038"},
		{"结婚证在哪领", assistant.Answered, "FT-055"},
	})
}

// TestHowManyMonthsPaid checks, on made-up messages, that how many months
// a benefit is paid (能发几个月) asks the time, and that a business closed
// for good (公司关门) says nothing of a hall's hours; when a hall closes
// stays the place's hours.
func TestHowManyMonthsPaid(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"公司关门了 我交了五年失业保险 失业金能发几个月", "FT-015", assistant.TimeLimit},
		{"工厂关门了 没了工作 失业保险金可以拿几个月", "FT-015", assistant.TimeLimit},
		// Guard: a hall's closing time.
		{"办失业金的窗口几点关门", "FT-015", assistant.Location},
	})
}

// TestEnglishWhenReady checks, on made-up messages, that asking in
// English when something will be ready, issued or received asks the time.
func TestEnglishWhenReady(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"I applied for my first Shenzhen residence permit last week. When will it be ready?", "FT-002", assistant.TimeLimit},
		{"My grandfather is 85 and applied for the senior allowance in May. When will he get the money?", "FT-034", assistant.TimeLimit},
	})
}
