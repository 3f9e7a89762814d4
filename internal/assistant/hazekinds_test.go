package assistant_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestHazeKinds checks, on made-up messages, kinds probes-haze showed: a
// paper or service said done by a verb of getting it done (户口本已经改好了,
// 少儿医保早就交了), by part of its name, is the story, and the next item
// the question asks is the answer; a paper that befell something (已经过期了)
// is not done.
func TestHazeKinds(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我老公改了名字 户口本已经改好了 身份证也得跟着换 要花钱吗", assistant.Answered, "FT-004"},
		{"闺女的少儿医保早就交了 想把我医保个人账户的钱跟她共用", assistant.Answered, "FT-025"},
		{"户口本已经破了 能换个新的吗", assistant.Answered, "FT-009"},
	})
}

// TestSettledByInsurance checks the everyday words for medical insurance
// settling a bill (结账 for 结算) and for it failing (没刷成…医保): the
// cross-city registration before, the reimbursement after.
func TestSettledByInsurance(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"单位派我去拉萨工作半年 那边医院看病能直接拿深圳医保结账吗", assistant.Answered, "FT-019"},
		{"在成都旅游时老婆急诊 没刷成深圳医保 自己付的钱回来怎么报", assistant.Answered, "FT-020"},
	})
}

// TestThreadElsewhere checks follow-ups naming another place or another
// authority's service: the elders' alarm for a mother in another
// district is declined; a paper the catalogue issues, named outright for
// another authority's purpose (办签证要公积金缴存证明), is answered.
func TestThreadElsewhere(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"我外婆八十 福田户口 一个人住 想申请个紧急呼叫设备", "我奶奶住在龙岗布吉 她那边的紧急呼叫设备怎么申请", assistant.OutOfScope, "", ""},
		{"公积金能提出来交房租吗", "办签证要一份公积金缴存证明 网上能打印吗", assistant.Answered, "FT-089", assistant.Online},
	})
}

// TestAsidesElsewhere checks asides in a thread about what no district
// service is: a vehicle's plate (the traffic police's), a car loan and
// whether a purchase is worth it (a bank's), a shop front to rent (an
// agent's).
func TestAsidesElsewhere(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"没有单位 灵活就业人员想参加养老保险 怎么交", "另外 电动车上牌去哪里办", assistant.OutOfScope, "", ""},
		{"用公积金贷款买房 要什么条件", "顺便问下 车贷和全款哪个划算", assistant.OutOfScope, "", ""},
		{"想开个个体户修鞋店 营业执照怎么办", "附近有没有便宜的门面 帮我找一个", assistant.OutOfScope, "", ""},
	})
}

// TestHazeWords checks words probes-haze showed: a company's name said
// as 公司的名字 (its own name registration), and medical bills a family
// cannot bear (顶唔顺) as the hardship story, not declined; 婴幼儿照护 as
// the tax deduction for a child under three; a large outlay (花了…万,
// 开销太大) as a family's spending hardship.
func TestHazeWords(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公司的名字想好了 在哪里提交 要多久", assistant.Answered, "FT-092"},
		{"老豆病咗成年 医药费真系顶唔顺", assistant.Answered, "FT-045"},
		{"儿子一岁多 婴幼儿照护那项 手机上怎么加", assistant.Answered, "FT-112"},
		{"我爸做了心脏搭桥 花了三十几万 家里开销太大 政府能救助一下吗", assistant.Answered, "FT-047"},
	})
}

// TestCueOfTwoStories checks that a situation's cue word another described
// situation's item holds too (一次性 of a veteran's grant and of the startup
// subsidy, for a veteran who opened a shop) decides nothing: the rest of
// the message does.
func TestCueOfTwoStories(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"退伍以后自己开了间奶茶店 开了快一年 社保在店里交 创业的一次性补贴怎么领", assistant.Answered, "FT-026"},
		{"刚退伍 选的自主就业 那个一次性的钱怎么领", assistant.Answered, "FT-114"},
	})
}

// TestSmallPayIsHardship checks that a month's pay said as a small sum
// (一个月才两千多) tells the low-income family's situation: asked what help
// there is, the choices are its items, not only the job-loss ones.
func TestSmallPayIsHardship(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	r := ask(t, as, "small-pay", "我没工作 老婆一个月才两千多 家里有什么补助能申请")
	if r.Status != assistant.Clarify {
		t.Fatalf("status %s, want clarify", r.Status)
	}
	if !slices.ContainsFunc(r.Suggestions, func(c string) bool {
		return strings.Contains(c, "低收入家庭认定") || strings.Contains(c, "临时救助")
	}) {
		t.Errorf("choices %v, want the low-income family's items among them", r.Suggestions)
	}
}
