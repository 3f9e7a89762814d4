package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestNeighboursByConditionDetail checks, on made-up messages (plain,
// voice, Cantonese), neighbouring items a clerk tells apart by one detail
// the question gives, in everyday words for the catalogue's own
// conditions: leaving a job and the city against paying a loan off, the
// quick closing of a company with nothing owed against settling its
// taxes, trading alone against a company, paying on after a job against
// the subsidy for those found hard to employ, a pension moved with its
// holder, and a withdrawal for a home bought against the home's transfer.
func TestNeighboursByConditionDetail(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		// Leaving the job and going home: the withdrawal on leaving.
		{"我辞工了 准备回四川 公积金能全部取出来吗", assistant.Answered, "FT-085"},
		{"呃 那个 我下周辞了职 嗯 就回老家了 公积金里的钱 能拿走吗", assistant.Answered, "FT-085"},
		{"辞咗工返广西 公积金可唔可以拎走", assistant.Answered, "FT-085"},
		// Nothing owed, closing fast: the simple deregistration.
		{"公司没欠别人钱 债务都清了 想尽快注销", assistant.Answered, "FT-098"},
		{"嗯 我那个小公司 欠款都还清了 想注销 有没有 快点的办法", assistant.Answered, "FT-098"},
		// Trading alone, not a company: the sole trader's registration.
		{"我就想一个人在市场摆个卖袜子的小柜台 不开公司 要办什么", assistant.Answered, "FT-091"},
		{"呃 就我一个人 租个柜台 卖那个 首饰 唔开公司 要办咩", assistant.Answered, "FT-091"},
		// Paying on alone after a factory job: joining the pension as a
		// flexible worker, not the subsidy nobody asked for.
		{"以前单位交了六年社保 现在自己做点零工 剩下的年限想接着交", assistant.Answered, "FT-012"},
		{"嗯 我四十八了 厂里倒闭了 那个养老 能不能 自己续交", assistant.Answered, "FT-012"},
		// A pension paid in another city, brought over.
		{"我在东莞交过四年养老 现在在福田上班 东莞那几年的养老怎么转过来", assistant.Answered, "FT-013"},
		{"喂 就是 我之前 在佛山 交了几年社保 那个 那几年的养老 想弄过来深圳", assistant.Answered, "FT-013"},
		// A home bought, the fund asked for: the withdrawal, not the
		// transfer the story's 二手房 cues.
		{"刚买了二手房 首付掏空了 公积金能拿出来用吗", assistant.Answered, "FT-083"},
	})
}

// TestShortTopicsAndDocumentsAsked checks, on made-up messages (plain,
// voice, Cantonese), that a topic followed by an asking word (离婚的事问下)
// is still a topic, asked about with the items about it, the tax topic
// said with its single character (税的事) too; that a message that is only
// a document, said with whose it is (宝宝出生证明), is asked about with the
// items named for it rather than answered by a story cue; and that a
// paper asked for a purpose another body serves (证明…去办签证) is the
// paper's question, not declined for the purpose.
func TestShortTopicsAndDocumentsAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"结婚的事想问一下", assistant.Clarify, ""},
		{"呃 那个 离婚方面的 问下", assistant.Clarify, ""},
		{"交税的事", assistant.Clarify, ""},
		{"税嘅嘢想问下", assistant.Clarify, ""},
		{"孩子出生证明", assistant.Clarify, ""},
		{"我女儿嘅出世纸", assistant.Clarify, ""},
		{"我想开个完税证明 拿去办护照用", assistant.Answered, "FT-110"},
		{"嗯 个税 那个 我想开个证明 去申请签证", assistant.Answered, "FT-110"},
		// The service elsewhere asked for itself is still declined.
		{"签证怎么办理", assistant.OutOfScope, ""},
	})
}

// TestWorkStoryAndChangesNamed checks, on made-up messages (plain, voice,
// Cantonese), that an everyday cue said as the resident's work before the
// clause that asks (做翻译, 当翻译) is the story, not a request for the
// thing, while asked for in the asking clause it is still declined; and
// that a change said of the licence's holder (法人换人了, 执照上要改) is
// the licence's change, not its replacement.
func TestWorkStoryAndChangesNamed(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我在家做翻译 接私活 没有单位 公积金能自己交吗", assistant.Answered, "FT-088"},
		{"呃 我是 当翻译的 自由职业 嗯 那个 公积金 可以自己缴吗", assistant.Answered, "FT-088"},
		{"帮我翻译一下这段英文", assistant.OutOfScope, ""},
		{"公司法人换人了 营业执照要去改吗", assistant.Answered, "FT-097"},
		{"嗯 我们 法人 换了 那个 执照上要改", assistant.Answered, "FT-097"},
		{"间公司法人换咗 执照要改", assistant.Answered, "FT-097"},
	})
}

// TestFirstStepIsCondition checks that a follow-up asking whether an item
// must be done first (要先…吗, 使唔使先…) which the current item's
// conditions require stays on the current item as its condition.
func TestFirstStepIsCondition(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"plain": {
			{q: "我身体有残疾 一直找不到工作 想认定就业困难人员", status: A, item: "FT-029"},
			{q: "是不是要先办失业登记", status: A, item: "FT-029", aspect: assistant.Conditions},
		},
		"Cantonese": {
			{q: "我年纪大咗搵唔到工 想申请就业困难人员认定", status: A, item: "FT-029"},
			{q: "使唔使先做失业登记", status: A, item: "FT-029", aspect: assistant.Conditions},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestGroupSaidOverEverydayMatch checks, on made-up messages (plain,
// voice, Cantonese), that a close candidate whose name's group of people
// the question says in its own word (烈士 of 烈士遗属定期抚恤金申领) is
// weighed against the best as its sibling when nothing of the best's name
// is said (高龄老人津贴, matched by 每个月 and 老人 from 爸妈), and wins by
// that detail.
func TestGroupSaidOverEverydayMatch(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我弟弟因公牺牲 追认了烈士 我妈快七十了 每个月有钱领吗", assistant.Answered, "FT-117"},
		{"呃 我爸 他 是烈士 然后我妈 现在七十多了 嗯 每个月能领点什么钱", assistant.Answered, "FT-117"},
		{"我个仔系烈士 我哋两公婆六十几岁 每个月有冇钱攞", assistant.Answered, "FT-117"},
		// Without the group, the elders' allowance.
		{"我爸八十五了 每个月有钱领吗", assistant.Answered, "FT-034"},
	})
}

// TestBareBenefitChoicesAreBenefits checks, on made-up dialogues (plain,
// voice, Cantonese), that a bare request for money help (老人补贴, 残疾人
// 补助) is asked about with the items that are money help by their names,
// so that a reply describing the help needed chooses among them.
func TestBareBenefitChoicesAreBenefits(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A, C := assistant.Answered, assistant.Clarify
	for name, steps := range map[string][]step{
		"plain": {
			{q: "老年人补贴", status: C},
			{q: "我爸一个人在家 行动不便 想找人上门照顾", status: A, item: "FT-035"},
		},
		"voice": {
			{q: "呃 那个 老人 补贴", status: C},
			{q: "嗯 我奶奶 九十岁了 每个月 那个钱", status: A, item: "FT-034"},
		},
		"Cantonese": {
			{q: "老人家补贴", status: C},
			{q: "阿妈行唔到路 想搵人上门帮手做家务", status: A, item: "FT-035"},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestEveAspectForms checks, on made-up follow-ups (plain, voice,
// Cantonese), aspect forms: a yes/no question about a medical record (要
// 病历吗) and which grade of hospital issues a paper are the materials; a
// certificate's grade that counts (什么等级才算) the conditions; how soon
// it is done, asked after another question, the time limit; who hands the
// application in (统一报) the steps.
func TestEveAspectForms(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		"record": {
			{q: "医保零星报销怎么弄", status: A, item: "FT-020"},
			{q: "门诊病历要不要", status: A, item: "FT-020", aspect: assistant.Materials},
		},
		"hospital grade": {
			{q: "残疾人证第一次申领", status: A, item: "FT-048"},
			{q: "嗯 那个 诊断 要几级医院 开的", status: A, item: "FT-048", aspect: assistant.Materials},
		},
		"grade counts": {
			{q: "考了证书有技能补贴吗", status: A, item: "FT-028"},
			{q: "证书要几级才算", status: A, item: "FT-028", aspect: assistant.Conditions},
		},
		"how soon after another question": {
			{q: "营业执照变更登记", status: A, item: "FT-097"},
			{q: "要本人去吗 多久能办完", status: A, item: "FT-097", aspect: assistant.TimeLimit},
		},
		"who hands it in": {
			{q: "幼儿园入园报名", status: A, item: "FT-070"},
			{q: "系学校统一报名定系我哋自己报", status: A, item: "FT-070", aspect: assistant.Process},
		},
	} {
		t.Run(name, func(t *testing.T) { play(t, as, steps) })
	}
}

// TestEveEverydayAndElsewhere checks, on made-up messages (plain, voice,
// Cantonese), that a provider's subscription renewing itself (会员自动续费)
// is declined though 续期 names a service only inside the cue; that
// running the business itself (a menu, drawing customers) asked inside a
// licence dialogue is declined and the next licence question answered;
// and that another city's service, in a long transcript that says the
// resident comes from there (我老家是东莞的), is declined, while moving
// the insurance from there is still Shenzhen's.
func TestEveEverydayAndElsewhere(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"音乐会员自动续费怎么关掉", assistant.OutOfScope, ""},
		{"呃 那个 视频 会员 自动续期 扣了我钱 怎么取消", assistant.OutOfScope, ""},
		{"居住证签注怎么续期", assistant.Answered, "FT-003"},
		{"嗯 我老家是佛山的 然后 在佛山办的社保卡 丢了 佛山那边的社保卡去哪里补", assistant.OutOfScope, ""},
		{"我老家喺中山 中山嗰边嘅社保卡点补办", assistant.OutOfScope, ""},
		{"我老家是佛山的 在佛山交过社保 现在想转到深圳来", assistant.Answered, "FT-013"},
	})
	as := demoAssistant(t, nil)
	play(t, as, []step{
		{q: "想开个卖粥粉面的小店 要办什么许可证", status: assistant.Answered, item: "FT-100"},
		{q: "顺便问下 店里的菜式怎么定价比较好", status: assistant.OutOfScope},
		{q: "食品经营许可证要多久批下来", status: assistant.Answered, item: "FT-100", aspect: assistant.TimeLimit},
	})
}

// TestChatShorthandForSignUp checks that pinyin initials of everyday words
// the lexicon does not hold (yey 幼儿园, bm 报名) are read in a service
// chat, so a shorthand question is answered rather than declined.
func TestChatShorthandForSignUp(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"yey bm 要什么材料", assistant.Answered, "FT-070"},
		{"孩子今年三岁 yey几时bm", assistant.Answered, "FT-070"},
	})
}
