package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestStoryWordsNotRefused checks, on made-up messages (plain, voice,
// Cantonese), that words of the resident's story are not taken for a
// document or service the catalogue lacks: a count of the document said
// before (重新弄一本), a licence said as obtained (执照批下来了), and an
// instruction someone reported (医生说要去办…).
func TestStoryWordsNotRefused(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		// A number or demonstrative with a measure word counts the
		// document named before it.
		{"身份证洗衣服洗烂了 能再办一张吗", assistant.Answered, "FT-004"},
		{"呃 那个 户口本 被小孩撕坏了 嗯 能不能重新弄一本", assistant.Answered, "FT-009"},
		{"离婚证唔见咗 可唔可以补返一本", assistant.Answered, "FT-058"},
		// A licence said as obtained is the story; the seal is asked.
		{"营业执照批下来了 公章在哪刻", assistant.Answered, "FT-093"},
		{"喂 执照办下来了 然后 那个章 要去哪里刻", assistant.Answered, "FT-093"},
		{"执照出嚟咗 公司个章喺边度刻", assistant.Answered, "FT-093"},
		// What a doctor said to go and do names the service.
		{"小孩刚满月 妇幼的医生说要去办出生医学证明", assistant.Answered, "FT-061"},
		{"呃 我老婆 怀孕了 嗯 医院的医生说要去做个生育登记 是吧", assistant.Answered, "FT-063"},
		{"医生话要去做婚检 喺边度做", assistant.Answered, "FT-060"},
		// What a doctor's advice asks stays out of scope.
		{"医生说要多休息 吃什么药好", assistant.OutOfScope, ""},
	})
}

// TestOneItemSituations checks, on made-up stories (plain, voice,
// Cantonese), the life situations a clerk serves with one item: hurt at
// work (an injury word with a workplace word) is the injury's
// recognition, a vocational certificate just obtained the training
// subsidy; an injury at home is not a work injury, and a teacher's
// certificate keeps its own item.
func TestOneItemSituations(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"在工地搬砖摔断了腿 老板不管 怎么办", assistant.Answered, "FT-016"},
		{"呃 我老公 在厂里 那个 流水线上 手被机器轧伤了 嗯 单位不肯报 我们自己能弄吗", assistant.Answered, "FT-016"},
		{"返工嘅时候手指俾机器夹伤咗 可以点", assistant.Answered, "FT-016"},
		{"考了个电工证 有补贴吗", assistant.Answered, "FT-028"},
		{"嗯 我去年 报了个班 学完考了个中式烹调师证 那个 钱能退一点吗", assistant.Answered, "FT-028"},
		{"啱啱考到叉车证 政府有冇钱补", assistant.Answered, "FT-028"},
		{"我考了教师资格证 怎么认定", assistant.Answered, "FT-073"},
		{"我妈摔了一跤骨折了 要人照顾", assistant.Clarify, ""},
	})
}

// TestSituationCueOverStoryVariant checks, on made-up stories (plain,
// voice, Cantonese), that a word naming an item in a described situation
// (收养 after a death or of a child without parents) answers with it,
// though the story's own words add a variant word (走了 → 注销) that
// would otherwise keep the situation's choices.
func TestSituationCueOverStoryVariant(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我姐去世了 留下一个女儿 我们想领养她 要怎么办理", assistant.Answered, "FT-065"},
		{"呃 我弟弟 嗯 出车祸走了 那个 孩子才三岁 我们想 想把他收养过来", assistant.Answered, "FT-065"},
		{"阿哥走咗 个仔得五岁 我同老婆想收养 点样申请", assistant.Answered, "FT-065"},
		{"孩子爸妈都不在了 我们想收养他 要什么手续", assistant.Answered, "FT-065"},
		// The death's own item stays when its cue is said.
		{"我爸走了 户口怎么销", assistant.Answered, "FT-119"},
		// A variant the resident asks for (要换, 得换) after a modal the
		// segmenter keeps with it is still asked: the household book.
		{"我爸过世了 他是户主 户口本要去换吗", assistant.Answered, "FT-009"},
		{"呃 我妈 上个月 走了 嗯 她是户主 那个户口本 得换吧", assistant.Answered, "FT-009"},
		{"阿妈过咗身 佢系户主 户口簿要换吗", assistant.Answered, "FT-009"},
	})
}

// TestTopicOnlyAsked checks, on made-up messages (plain, voice,
// Cantonese), that a message naming only a topic (X的事, X方面的, X嘅嘢)
// that no item's name holds is asked about with the items about it; that
// a catalogue word the segmenter used to split (开发票: 开发 + 票) is one
// word; and that a reply to such a question is not chosen by the topic
// word every choice shared (发票), but by what it adds.
func TestTopicOnlyAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"纳税的事", assistant.Clarify, ""},
		{"呃 那个 发票方面的", assistant.Clarify, ""},
		{"想问下开发票嘅事", assistant.Clarify, ""},
		// A topic a name holds, or one item outright, is answered.
		{"失业金的事", assistant.Answered, "FT-015"},
	})
	as := demoAssistant(t, nil)
	for _, reply := range []string{"新成立的公司 第一次领发票", "我哋新公司 第一次攞发票"} {
		r1, err := as.Ask(context.Background(), assistant.Request{Message: "发票的事"})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Status != assistant.Clarify {
			t.Fatalf("发票的事 → %s, want clarify", r1.Status)
		}
		r2, err := as.Ask(context.Background(), assistant.Request{ConversationID: r1.ConversationID, Message: reply})
		if err != nil {
			t.Fatal(err)
		}
		if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].ID != "FT-106" {
			t.Errorf("发票的事 → %q → %s %v, want FT-106", reply, r2.Status, r2.Citations)
		}
	}
}

// TestCustomerOfBusiness checks, on made-up messages (plain, voice,
// Cantonese), that a customer's visit to a business whose licence the
// catalogue holds (住酒店, 去饭店吃, 去剪头发) is declined, while the
// owner's licence question about the same business is answered.
func TestCustomerOfBusiness(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"订酒店的时候前台要身份证原件吗", assistant.OutOfScope, ""},
		{"呃 我们 去饭店吃 嗯 服务员说要登记电话 这个是规定吗", assistant.OutOfScope, ""},
		{"去剪头发 间铺话要登记身份证 系咪真嘅", assistant.OutOfScope, ""},
		{"我开了家民宿 要办卫生许可证吗", assistant.Answered, "FT-103"},
		{"想开个理发店 要什么证", assistant.Answered, "FT-103"},
	})
}

// TestBareBenefitAsked checks, on made-up messages (plain, voice,
// Cantonese), that a described situation and a bare word for money help
// (补贴, 资助) is asked about with the situation's benefit items, while a
// named benefit (学位补贴, 创业补贴) is answered; and that a reply naming
// an item none of the choices is (the veterans' loan, the private-school
// subsidy) takes that item rather than the choice sharing a word with it.
func TestBareBenefitAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"想摆个摊 有冇补贴", assistant.Clarify, ""},
		{"孩子上学 有资助吗", assistant.Clarify, ""},
		{"孩子在民办学校读书有学位补贴吗", assistant.Answered, "FT-074"},
		{"创业补贴申请条件", assistant.Answered, "FT-026"},
	})
	as := demoAssistant(t, nil)
	for _, c := range []struct{ first, reply, item string }{
		{"想摆个摊 有冇补贴", "我是退役军人 想申请创业贷款", "FT-116"},
		{"想摆个摊 有冇补贴", "呃 我 退役军人 嗯 想贷款", "FT-116"},
		{"孩子上学 有资助吗", "佢读嘅系私立幼儿园", "FT-074"},
	} {
		r1, err := as.Ask(context.Background(), assistant.Request{Message: c.first})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Status != assistant.Clarify {
			t.Fatalf("%q → %s, want clarify", c.first, r1.Status)
		}
		r2, err := as.Ask(context.Background(), assistant.Request{ConversationID: r1.ConversationID, Message: c.reply})
		if err != nil {
			t.Fatal(err)
		}
		if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].ID != c.item {
			t.Errorf("%q → %q → %s %v, want %s", c.first, c.reply, r2.Status, r2.Citations, c.item)
		}
	}
}

// TestStateStoryThenRequest checks, on made-up messages (plain, voice,
// Cantonese), that a story telling how things are (孩子在福田读小学, 不是
// 深户), not what happened, is background to a request naming another
// item that the request alone ranks far above the story's item.
func TestStateStoryThenRequest(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"儿子在福田读小学 我们是外地户口 他的医保怎么参加", assistant.Answered, "FT-023"},
		{"呃 我儿子 在福田读初中 嗯 我们 不是深户 那个 他的少儿医保怎么参加", assistant.Answered, "FT-023"},
		{"个仔喺福田读小学 我哋唔系深户 佢嘅医保点样参", assistant.Answered, "FT-023"},
		// A request that is about the story's item stays with it.
		{"孩子明年上小学 我们不是深户 学位怎么申请", assistant.Answered, "FT-067"},
	})
}
