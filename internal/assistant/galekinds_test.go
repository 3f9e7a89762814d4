package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestBringForAnotherItem checks, on made-up dialogues, that what to bring
// is asked of the item a follow-up names outright in its own words when
// the item discussed holds nothing of what it says (a second-hand flat to
// transfer after a lost property certificate), and of the item discussed
// when it asks after one of its materials.
func TestBringForAnotherItem(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"不动产权证书丢了 怎么补", "从亲戚手里买了套二手房 房款结清了 准备过户 得带哪些东西", assistant.Answered, "FT-081", assistant.Materials},
		{"房本要办点手续", "从亲戚手里买了套二手房 房款结清了 准备过户 得带上哪些东西", assistant.Answered, "FT-081", assistant.Materials},
		{"深圳居住证怎么申请", "户口本得带上吧", assistant.Answered, "FT-002", assistant.Materials},
		{"不动产权证书丢了 怎么补", "身份证复印件要带吗", assistant.Answered, "FT-080", assistant.Materials},
	})
}

// TestShiftToAVariant checks, on made-up dialogues, that a turn marking a
// change of thread (也) and asking a variant the item discussed is not
// (变更 after 补领) moves to the item named for it; one asking a material
// stays.
func TestShiftToAVariant(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"营业执照丢了 补办要多久", "经营范围也想变更 执照上的得重新登记吧", assistant.Answered, "FT-097", ""},
		{"营业执照丢了 补办要多久", "店名也想一起变更 执照也得改吧", assistant.Answered, "FT-097", ""},
		{"营业执照丢了 补办要多久", "也要带身份证吧", assistant.Answered, "FT-101", assistant.Materials},
	})
}

// TestOriginAsRegion checks, on made-up messages, that where a resident's
// family is from, said as a region (是湖北那边的) or as a household of
// that place (是湖北那边的脱贫户), says who they are, not whose service is
// asked; a service said as the other place's is still declined.
func TestOriginAsRegion(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"家里是湖北那边的 想申请求职补贴", assistant.Answered, "FT-033"},
		{"快毕业了 家里是甘肃那边的脱贫户 找工作能领补贴吗", assistant.Answered, "FT-033"},
		{"我是湖北农村的 在深圳打工 想办居住证", assistant.Answered, "FT-002"},
		{"想问下 是上海的居住证 能在这办吗", assistant.OutOfScope, ""},
	})
}

// TestLoanInterestSubsidy checks, on made-up messages, the everyday words
// for a loan's interest subsidised (利息能贴, 想贷): the start-up loan's
// interest subsidy, the veterans' own for a veteran.
func TestLoanInterestSubsidy(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"退伍五年 开了家修车铺 想贷十万 利息可以贴一部分吗", assistant.Answered, "FT-116"},
		{"开了个奶茶店 要贷五万块 利息能贴点吗", assistant.Answered, "FT-027"},
	})
}

// TestHukouMovedIn checks, on made-up messages, that a hukou moved here
// with words between (户口想迁过来, 户口想转过来) is moving in (a spouse
// joining), and moved back home is moving out.
func TestHukouMovedIn(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"领证五年 老婆户口想迁过来 我深户 去哪办", assistant.Answered, "FT-007"},
		{"刚领证 她户口想转过来跟我 我是深户", assistant.Answered, "FT-007"},
		{"我户口想迁回老家 要办什么", assistant.Answered, "FT-008"},
	})
}

// TestWhereCheapest checks, on made-up messages, that which business
// holds an event well (哪家酒楼办划算) and where to buy cheaply, in
// Cantonese (去边度批发平啲), are questions for a provider, while where a
// service is done (去边度补办) is its hall's.
func TestWhereCheapest(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"开了个茶餐厅 碗碟去边度批发平啲", assistant.OutOfScope, ""},
		{"公司团建去哪家酒楼办划算", assistant.OutOfScope, ""},
		{"身份证去边度补办要几耐", assistant.Answered, "FT-005"},
		{"居住证去边度办", assistant.Answered, "FT-002"},
	})
}

// TestParentingAdvice checks, on made-up messages, that bringing up a
// child day to day (crying at nap time, disobedience) asks a parent's
// advice, not a service, though the child's kindergarten or school is
// named; a story of it before a service asked for is the story.
func TestParentingAdvice(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"大班孩子睡觉老是哭 怎么哄才好", assistant.OutOfScope, ""},
		{"读一年级的儿子不听话 天天玩 有啥办法", assistant.OutOfScope, ""},
		{"孩子总是哭 去医院查出听力有问题 残疾证怎么办", assistant.Answered, "FT-048"},
		{"儿子叛逆不听话 想给他转学 怎么申请", assistant.Answered, "FT-069"},
	})
}

// TestLookUpForMe checks, on made-up dialogues, that asking for another
// person's record to be looked up and handed over (查出来给我, 查给我) is
// declined in the middle of a thread too; one's own record is answered.
func TestLookUpForMe(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"户口本丢了怎么补", "把同事的户籍地址查出来给我", assistant.OutOfScope, "", ""},
		{"户口本丢了怎么补", "顺便把我前夫现在住哪查给我", assistant.OutOfScope, "", ""},
	})
	checkDecisions(t, []decisionCase{
		{"公积金缴存记录怎么查出来", assistant.Answered, "FT-089"},
	})
}

// TestChildAtSchoolIsTheStory checks, on made-up messages, that a child
// in middle school said as how things are (孩子读初中) is the story, not a
// request for a school place; a place wanted (明年读初中, 要读小学了) is.
// (读小学 still reads as the primary place: the state-story rule,
// TestStateStoryThenRequest, leans on the story ranking it.)
func TestChildAtSchoolIsTheStory(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"孩子读初中 家里就我一个人挣钱 一个月两千 每月的保障金怎么申请", assistant.Answered, "FT-041"},
		{"儿子明年读初中 学位怎么申请", assistant.Answered, "FT-068"},
		{"女儿要读小学了 学位申请要什么材料", assistant.Answered, "FT-067"},
	})
}

// TestTeachingLicence checks, on made-up messages, everyday words for the
// teacher's qualification (教书的证, 教书…资格, 笔试面试都过了), on their
// own and as the reply to a question asked back.
func TestTeachingLicence(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"笔试面试都过了 教书的证怎么认定", assistant.Answered, "FT-073"},
	})
	checkFollowUps(t, []followUpCase{
		{"想办个认定", "教书用的那个资格 笔试面试都过了 要准备啥", assistant.Answered, "FT-073", assistant.Materials},
		{"想办个认定", "是教书那个证 要带什么", assistant.Answered, "FT-073", assistant.Materials},
	})
}

// TestWhatCanBeUsed checks, on made-up messages, that what there is to
// use or enjoy (有什么能用的, 有什么能享受的) asks what there is: asked
// back with the items that fit; a thing named with it is answered.
func TestWhatCanBeUsed(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"家里老人八十多了 有什么能享受的", assistant.Clarify, ""},
		{"我想买房 政府这边有什么能用的", assistant.Clarify, ""},
		{"身份证丢了 有什么能用的临时证件吗", assistant.Answered, "FT-005"},
	})
}

// TestTradeName checks, on made-up messages, that a company's trade name
// (字号) and its name reported ahead (名字…先报) are the name's own
// registration, on its own and after the company's.
func TestTradeName(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"字号能用数字吗", assistant.Answered, "FT-092"},
	})
	checkFollowUps(t, []followUpCase{
		{"想开个有限公司 三个股东 设立登记要多少钱", "字号里能带英文吗", assistant.Answered, "FT-092", ""},
	})
}

// TestClassTwoDevices checks, on made-up messages, that selling goods
// that are class II medical devices (体温计, 医用口罩) asks for the
// devices' business filing.
func TestClassTwoDevices(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"便利店想卖体温计 要办什么手续", assistant.Answered, "FT-105"},
		{"店里想进一批医用口罩卖 要备案吗", assistant.Answered, "FT-105"},
	})
}

// TestThreadToAVariant checks, on made-up dialogues, that a change of
// thread to a variant the current item is not, naming nothing else (那要是
// 丢了呢 after 身份证换领), is the family's item for it; one naming another
// thing (那户口本丢了呢) is that thing's.
func TestThreadToAVariant(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"身份证过期了 换领去哪", "那要是丢了呢", assistant.Answered, "FT-005", ""},
		{"身份证过期了 换领去哪", "那丢了补领呢", assistant.Answered, "FT-005", ""},
		{"身份证过期了 换领去哪", "那户口本丢了呢", assistant.Answered, "FT-009", ""},
		{"户口本旧了想换新的", "那补领呢", assistant.Answered, "FT-009", ""},
	})
}

// TestMoreLifeEvents checks, on made-up messages, life situations said in
// words the situation table lacked: a birth (呱呱落地), a shop opening
// (新店开业), a business closing (公司不想做了, a new situation whose items
// are asked back), and a licence to cancel for whatever business it was
// (小店…执照怎么注销: the act is the catalogue's, not declined as a
// licence for something it does not hold).
func TestMoreLifeEvents(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"孩子呱呱落地 要办哪些证件", assistant.Clarify, ""},
		{"下个月新店开业 要跑什么手续", assistant.Clarify, ""},
		{"公司不想做了", assistant.Clarify, ""},
		{"小店不想做了 执照怎么注销", assistant.Answered, ""},
		{"档口不做了 执照怎么注销", assistant.Answered, "FT-099"},
		{"营业执照丢了 想补办", assistant.Answered, "FT-101"},
	})
}

// TestSettleWithSpouse checks, on made-up messages, that settling one's
// hukou with a spouse (随他落户, 跟她落户) is joining a spouse, wherever the
// resident now is; settling in another city is that city's.
func TestSettleWithSpouse(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"老公是深圳户口 我户口在吉林 结婚五年了 能随他落户吗", assistant.Answered, "FT-007"},
		{"老婆深户 我在湖南 结婚两年 想跟她落户 要什么条件", assistant.Answered, "FT-007"},
		{"我在广州 想落户 要什么条件", assistant.OutOfScope, ""},
	})
}

// TestVaccination checks, on made-up messages, that a child's vaccination
// (打疫苗, 打预防针) is the health provider's, on its own and in a thread
// about the birth's papers.
func TestVaccination(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"孩子打疫苗在哪约", assistant.OutOfScope, ""},
		{"宝宝出生了 上户口要带什么", assistant.Answered, "FT-001"},
	})
	checkFollowUps(t, []followUpCase{
		{"宝宝出生了 出生证明怎么办", "打预防针去哪预约", assistant.OutOfScope, "", ""},
	})
}

// TestAlarmCordAndHairdresser checks, on made-up messages, that an alarm
// cord or button fitted for an elder (拉绳报警) is a device, not a call to
// the police, and that a hairdresser's trade said as what it does (做发型的)
// asks for the public-place hygiene licence; a theft reported is the
// police's.
func TestAlarmCordAndHairdresser(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"奶奶八十五 一个人住 想在卫生间装个拉绳报警 改造能补贴吗", assistant.Answered, "FT-039"},
		{"做发型的 那个证怎么办", assistant.Answered, "FT-103"},
		{"家里被偷了 要报警", assistant.OutOfScope, ""},
	})
}
