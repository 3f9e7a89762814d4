package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestDuskChatInitials checks, on made-up messages (plain, voice,
// Cantonese), chat initials the lexicon would give a rarer catalogue word:
// gs is 公司 (not 工伤), dk is 贷款 (not 档口); a loan paid off at once
// (贷款…结清) is repaying it early; and a topic both the loan and its
// early repayment hold (公积金贷款方面的) is asked back.
func TestDuskChatInitials(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"想用gjj dk买套二手房 要满足啥条件", assistant.Answered, "FT-087"},
		{"嗯 那个 gjj dk 想一次性结清 怎么弄", assistant.Answered, "FT-120"},
		{"我嘅公积金贷款想一次过结清 点搞", assistant.Answered, "FT-120"},
		{"gs注册好了 给员工交社保去哪登记", assistant.Answered, "FT-095"},
		{"公积金贷款方面的", assistant.Clarify, ""},
	})
}

// TestDuskFreeAsDescription checks, on made-up messages (plain, voice,
// Cantonese), that 免费 describing a service (免费那个卡, 那个免费检查,
// 免费的体检) names it and asks nothing about a fee, while 免费吗 still
// asks the fee; and that which hospital to go to asks where.
func TestDuskFreeAsDescription(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"card by what it gives": {
			{q: "我爸六十五 搭巴士免费那个卡 去哪办", status: A, item: "FT-038", aspect: assistant.Location},
		},
		"voice, card by what it gives": {
			{q: "呃 就是 老人 坐公交免费的那种卡 怎么申请", status: A, item: "FT-038", aspect: assistant.Process},
		},
		"check by what it costs": {
			{q: "领证之前那个免费检查 要带啥", status: A, item: "FT-060", aspect: assistant.Materials},
		},
		"which hospital": {
			{q: "婚前医学检查", status: A, item: "FT-060"},
			{q: "喺边间医院做", status: A, item: "FT-060", aspect: assistant.Location},
		},
		"fee still asked": {
			{q: "婚前检查是免费的吗", status: A, item: "FT-060", aspect: assistant.Fee},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskLivesWithoutTheService checks, on made-up messages (plain,
// voice, Cantonese), life situations told without the service's name: a
// low-income family with no home wanting to rent is public rental
// housing; the young renting the government's cheaper flats are 保租房; an
// elder who cannot use a squat toilet wants the home fitted; someone
// coming to wash and cook for a bedridden elder is home care.
func TestDuskLivesWithoutTheService(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我们一家四口都是深圳户口 收入低 名下无房 想申请租房子", assistant.Answered, "FT-075"},
		{"我哋两公婆人工唔高 一直冇楼 想租政府啲屋", assistant.Answered, "FT-075"},
		{"研究生刚毕业 想租那种给年轻人住的房 比外面便宜点", assistant.Answered, "FT-076"},
		{"我爸八十了 家里厕所系蹲坑 佢蹲落去就起唔返身 想改成坐厕", assistant.Answered, "FT-039"},
		{"奶奶中风躺床上 想找人上门帮她洗澡做饭 有补贴吗", assistant.Answered, "FT-035"},
		{"呃 我阿妈行唔郁 想请人上门帮佢冲凉 政府有冇得补", assistant.Answered, "FT-035"},
	})
}

// TestDuskBareCategoryAsked checks, on made-up messages (plain, voice,
// Cantonese), very short requests that name only a kind of thing: a
// licence (许可) with nothing of which one is asked back with the
// licences; money help of a situation asked how to apply for (毕业生那种
// 补贴怎么申请) is asked back with the situation's benefits; a licence
// said with its trade is still answered.
func TestDuskBareCategoryAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我要申请个许可证", assistant.Clarify, ""},
		{"嗯 那个 办许可 怎么弄", assistant.Clarify, ""},
		{"应届生嗰种补贴点申请", assistant.Clarify, ""},
		{"研究生今年毕业 有补贴吗 怎么申请", assistant.Clarify, ""},
		{"开餐馆要办的食品许可证", assistant.Answered, "FT-100"},
	})
}

// TestDuskSamePersonAsked checks, on made-up dialogues (plain, voice,
// Cantonese), that a condition asked of the person the thread is for,
// said with a pronoun (她不是深户…也能办吗), stays on the item: 也 asks
// the same of another person, not of another thing.
func TestDuskSamePersonAsked(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"plain": {
			{q: "老年人优待证怎么办", status: A, item: "FT-038"},
			{q: "他不是深户 只是来深圳带孙子 也可以申请吗", status: A, item: "FT-038"},
		},
		"voice": {
			{q: "嗯 那个 长者卡 要带什么", status: A, item: "FT-038"},
			{q: "呃 她户口在老家 是来深圳住的 也能办吗", status: A, item: "FT-038"},
		},
		"cantonese": {
			{q: "高龄津贴点申请", status: A, item: "FT-034"},
			{q: "佢唔系深户 喺深圳住咗十年 都可以领吗", status: A, item: "FT-034"},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskWhereAsks checks, on made-up messages (plain, voice,
// Cantonese), that a clause asking where (在哪, 哪个网站, 边个) is the
// request after a story: the story's item (registering the company) does
// not beat the one the question names (the annual report).
func TestDuskWhereAsks(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"前年注册了公司 今年的年报在哪个系统报", assistant.Answered, "FT-102"},
		{"嗯 公司是去年注册的 然后 年度报告 在哪填", assistant.Answered, "FT-102"},
		{"旧年开咗间公司 年报喺边个网站填", assistant.Answered, "FT-102"},
	})
}

// TestDuskStillOwed checks, on made-up dialogues (plain, voice,
// Cantonese), that whether the item is still owed though something has
// not happened (没营业也要报吗) stays on the item: the circumstance is its
// condition, not a new need a synonym of it names.
func TestDuskStillOwed(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"plain": {
			{q: "企业年报怎么报", status: A, item: "FT-102"},
			{q: "公司还没营业 也要报吗", status: A, item: "FT-102"},
		},
		"voice": {
			{q: "嗯 那个 企业年度报告 在哪里填", status: A, item: "FT-102"},
			{q: "呃 一单生意都没做过 还要报吗", status: A, item: "FT-102"},
		},
		"cantonese": {
			{q: "居住证签注点搞", status: A, item: "FT-003"},
			{q: "我冇换过工 都要签注吗", status: A, item: "FT-003"},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskPlightsAndCourses checks, on made-up messages (plain, voice,
// Cantonese), that a document written or scribbled over (写满, 涂花) is
// its damage, so the document's renewal wins over the family member the
// story names; and that money back for a course taken with the
// certificate it gave (补学费) is the training subsidy.
func TestDuskPlightsAndCourses(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"小孩把户口本内页涂花了 我妈说要去换 怎么换", assistant.Answered, "FT-009"},
		{"嗯 那个 户口本 被我家老人写满了字 要重新换一本吗", assistant.Answered, "FT-009"},
		{"晚上去学了电工 考到三级证书 学费可以补吗", assistant.Answered, "FT-028"},
		{"我上咗个月嫂课 攞到证书 政府可唔可以补返学费", assistant.Answered, "FT-028"},
	})
}

// TestDuskChangedDetailsAndNames checks, on made-up dialogues (plain,
// voice, Cantonese), that a contact detail changed while waiting for
// public housing (轮候…换了手机号) is the waiting-list change, and that a
// company name turned down (名字…驳回, too like another's) is the name's
// own application.
func TestDuskChangedDetailsAndNames(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"waiting list, plain": {
			{q: "公租房怎么申请", status: A, item: "FT-075"},
			{q: "我已经在轮候了 手机号换了要去哪改", status: A, item: "FT-079"},
		},
		"name turned down, voice": {
			{q: "嗯 那个 我们公司的名字 被驳回了 说重名 怎么办", status: A, item: "FT-092"},
		},
		"name turned down, cantonese": {
			{q: "个名字核名冇通过 要点重新报", status: A, item: "FT-092"},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskAspectForms checks, on made-up follow-ups (plain, voice,
// Cantonese), aspect forms: a form filled or handed in online (网上填还是,
// 网上报) is the online channel; which comes first
// (是先…还是) the steps; where to renew (哪里换) the place; a deadline
// within some days (多少天内) the conditions.
func TestDuskAspectForms(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"form online": {
			{q: "低保怎么申请", status: A, item: "FT-041"},
			{q: "申请表可以网上交吗 还是要拿去社区", status: A, item: "FT-041", aspect: assistant.Online},
		},
		"reported online": {
			{q: "企业年报", status: A, item: "FT-102"},
			{q: "嗯 年报表格 是网上报就行 还是要交纸质的", status: A, item: "FT-102", aspect: assistant.Online},
		},
		"which first": {
			{q: "身份证丢了怎么补", status: A, item: "FT-005"},
			{q: "是先拍照还是先填表", status: A, item: "FT-005", aspect: assistant.Process},
		},
		"where to renew": {
			{q: "身份证快到期了", status: A, item: "FT-004"},
			{q: "喺边度换", status: A, item: "FT-004", aspect: assistant.Location},
		},
		"deadline within days": {
			{q: "失业金怎么领", status: A, item: "FT-015"},
			{q: "是不是要在几天内去办 超过了还能领吗", status: A, item: "FT-015", aspect: assistant.Conditions},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskCorrectedQuestion checks, on made-up messages (plain, voice,
// Cantonese), that a correction going on to ask another question (不对
// 我是想问…) corrects the question, not the thing it was about: the item
// said before stays, the new question's aspect is asked.
func TestDuskCorrectedQuestion(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"plain": {
			{q: "居住证怎么办理 不对 我是问 要多少钱", status: A, item: "FT-002", aspect: assistant.Fee},
		},
		"voice": {
			{q: "呃 社保卡 社保卡丢了怎么补 不对 我是想问 可以在手机上补吗", status: A, item: "FT-011", aspect: assistant.Online},
		},
		"cantonese": {
			{q: "身份证过期 点样换 唔系 我系想问 要带咩", status: A, item: "FT-004", aspect: assistant.Materials},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestDuskEnglishCompanyWords checks, on made-up messages (plain, voice,
// Cantonese), English words for the company and registering it
// (limited company, register) mixed into Chinese.
func TestDuskEnglishCompanyWords(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"想和朋友开个limited company 要准备什么材料", assistant.Answered, "FT-090"},
		{"呃 就是 注册一个 limited company 最少要几个人", assistant.Answered, "FT-090"},
		{"我想开间limited company 点样register", assistant.Answered, "FT-090"},
	})
}

// TestDuskTwoWordTopics checks, on made-up messages (plain, voice,
// Cantonese), that a topic of two words naming no item (医保在外地用的事)
// is asked back like a one-word topic, with the items about it (insurance
// used out of town: registering and claiming); a question asking
// something of it is still answered.
func TestDuskTwoWordTopics(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"医保卡在外地用的问题", assistant.Clarify, ""},
		{"嗯 就是 在外地刷医保的事情 想问下", assistant.Clarify, ""},
		{"医保喺外地用嘅嘢", assistant.Clarify, ""},
		{"在外地看病 医保怎么备案", assistant.Answered, "FT-019"},
	})
}

// TestDuskPropertyElsewhere checks, on made-up messages (plain, voice,
// Cantonese), that the deeds of a home standing in another city are that
// city's registry's however Shenzhen is named, while the savings drawn
// for buying there are still Shenzhen's.
func TestDuskPropertyElsewhere(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我在武汉有套房 房产证找不到了 深圳这边可以补办吗", assistant.OutOfScope, ""},
		{"呃 我老公 在成都那边有套房 想过户给儿子 在深圳能办吗", assistant.OutOfScope, ""},
		{"我喺广州有间屋 房产证唔见咗 深圳补得到吗", assistant.OutOfScope, ""},
		{"在长沙买了房 深圳的公积金能提吗", assistant.Answered, "FT-083"},
	})
}

// TestDuskHouseholdStatus checks, on made-up messages (plain, voice,
// Cantonese), that what the household is (家里是低保) is background: the
// help the request then asks for (fitting the home, home care) is
// answered, not the status's own item.
func TestDuskHouseholdStatus(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我爸八十多了 家里是低保 浴室地面很滑 想装扶手 能补贴吗", assistant.Answered, "FT-039"},
		{"嗯 那个 家里是低保户 老人腿脚不好 想把厕所改成坐厕 政府能帮忙吗", assistant.Answered, "FT-039"},
		{"阿妈七十几 屋企系低保 想请人上门帮佢冲凉 有冇补贴", assistant.Answered, "FT-035"},
	})
}

// TestDuskWhoDoesIt checks, on made-up follow-ups (plain, voice,
// Cantonese), that who does the work or the assessment (自己找师傅还是
// 你们派人, 谁来评估) asks the item's steps, not something the catalogue lacks.
func TestDuskWhoDoesIt(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"plain": {
			{q: "适老化改造怎么申请", status: A, item: "FT-039"},
			{q: "扶手是自己找人装 还是你们派人来", status: A, item: "FT-039", aspect: assistant.Process},
		},
		"voice": {
			{q: "呃 独居老人的紧急呼叫设备 怎么申请", status: A, item: "FT-040"},
			{q: "嗯 那个 设备 谁来装", status: A, item: "FT-040", aspect: assistant.Process},
		},
		"who assesses": {
			{q: "居家养老服务补贴怎么申请", status: A, item: "FT-035"},
			{q: "要评估的话 谁来评估", status: A, item: "FT-035", aspect: assistant.Process},
		},
		"cantonese": {
			{q: "适老化改造点申请", status: A, item: "FT-039"},
			{q: "系我哋自己找师傅 定系你哋安排人嚟", status: A, item: "FT-039", aspect: assistant.Process},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}
