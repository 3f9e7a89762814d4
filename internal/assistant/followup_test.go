package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestFollowUpThread plays made-up dialogues of each kind of follow-up
// (issue 20, kind 4 "follow-ups must keep the right thread"): which item a
// turn is about once a conversation is under way.
func TestFollowUpThread(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	A := assistant.Answered
	for name, steps := range map[string][]step{
		// 1. A change of thread naming another service moves to it …
		"那X呢 naming another service moves": {
			{q: "公积金贷款买房怎么申请", status: A, item: "FT-087"},
			{q: "那失业金呢", status: A, item: "FT-015"},
		},
		"X呢 naming a service only in part moves": {
			{q: "初中学位怎么申请", status: A, item: "FT-068"},
			{q: "那幼儿园呢", status: A, item: "FT-070"},
		},
		"X呢 naming another service moves": {
			{q: "怎么申领社保卡", status: A, item: "FT-010"},
			{q: "居住证呢", status: A, item: "FT-002"},
		},
		"还有X naming another service moves": {
			{q: "残疾人证第一次怎么办", status: A, item: "FT-048"},
			{q: "还有轮椅车燃油补贴怎么领", status: A, item: "FT-054"},
		},
		// "那X呢" asks the thread's question about X: its plight (丢了)
		// tells X's items apart.
		"那X呢 carries the thread's plight": {
			{q: "社保卡丢了怎么补", status: A, item: "FT-011"},
			{q: "那身份证呢", status: A, item: "FT-005"},
		},
		// … and, the thread asking no variant, X's own item, not its 补发.
		"那X呢 without a plight is X's own item, not its variant": {
			{q: "孩子刚生 少儿医保怎么参保", status: A, item: "FT-023"},
			{q: "那出生医学证明呢", status: A, item: "FT-061"},
		},
		// … while 那X呢 about an aspect stays on the item.
		"那X呢 about an aspect stays": {
			{q: "结婚登记在哪里办", status: A, item: "FT-055", aspect: assistant.Location},
			{q: "那材料呢", status: A, item: "FT-055", aspect: assistant.Materials},
			{q: "那要多久呢", status: A, item: "FT-055", aspect: assistant.TimeLimit},
		},
		// 2. A yes/no question stays on the item and answers the aspect.
		"yes/no follow-ups stay on the item": {
			{q: "居住证怎么申请", status: A, item: "FT-002"},
			{q: "需要户口本吗", status: A, item: "FT-002", aspect: assistant.Materials},
			{q: "可以找人代办吗", status: A, item: "FT-002"},
			{q: "要本人去吗", status: A, item: "FT-002"},
		},
		"a document the item's guide names stays": {
			{q: "结婚登记怎么办", status: A, item: "FT-055"},
			{q: "户口本要带吗", status: A, item: "FT-055", aspect: assistant.Materials},
		},
		"a yes/no question whose document is set aside stays": {
			{q: "结婚登记怎么预约", status: A, item: "FT-055"},
			{q: "离过婚的要带离婚证吗", status: A, item: "FT-055", aspect: assistant.Materials},
		},
		"a common word another item's name holds does not move": {
			{q: "居住证怎么办", status: A, item: "FT-002"},
			{q: "公司不给开证明怎么办", status: A, item: "FT-002"},
		},
		// 3. A condition asked inside a thread, which the item explains,
		// stays even when another item is named for the same word.
		"a condition the item explains stays": {
			{q: "孩子明年读小学 一年级学位怎么申请", status: A, item: "FT-067"},
			{q: "社保要交满多久", status: A, item: "FT-067"},
		},
		"a yes/no condition the item explains stays": {
			{q: "医保个人账户怎么给家人用", status: A, item: "FT-025"},
			{q: "爸妈没在深圳参保能绑吗", status: A, item: "FT-025", aspect: assistant.Conditions},
		},
		"whether I may, with a condition naming another item, stays": {
			{q: "公租房怎么申请", status: A, item: "FT-075"},
			{q: "我有居住证没有深圳户口能申请吗", status: A, item: "FT-075"},
		},
		// How + a verb ("咋领取") asks the steps, but the verb is part of
		// what names the new item: the question is no lighter for it.
		"a new item asked how to get moves": {
			{q: "失业金怎么领", status: A, item: "FT-015", aspect: assistant.Process},
			{q: "那退休金咋领取", status: A, item: "FT-014", aspect: assistant.Process},
		},
		"a new need asked as whether I may moves": {
			{q: "失业金怎么领", status: A, item: "FT-015"},
			{q: "我的身份证丢了能补吗", status: A, item: "FT-005"},
		},
		// … but words the item holds nowhere, which another item's name
		// holds, move to it.
		"a detail the guess does not hold moves": {
			{q: "养老保险转移怎么办", status: A, item: "FT-013"},
			{q: "我说的是医保那块", status: A, item: "FT-024"},
		},
		// A bare message naming two items alike is asked back; the detail
		// then tells which.
		"a detail settles a question about two items named alike": {
			{q: "社保转移怎么办", status: assistant.Clarify},
			{q: "我说的是医保那块", status: A, item: "FT-024"},
		},
		// A detail naming another item of the same family (住房公积金) tells
		// which one the resident meant.
		"a detail naming a sibling moves to it": {
			{q: "公积金贷款买房怎么申请", status: A, item: "FT-087"},
			{q: "不是贷款 我快退休了想把钱取出来", status: A, item: "FT-084"},
		},
		"words the item does not hold move": {
			{q: "准备去民政局结婚登记", status: A, item: "FT-055"},
			{q: "婚前检查在哪做 收费吗", status: A, item: "FT-060"},
		},
		// 4. A clarify question is settled among its choices.
		"clarify settled by a place": {
			{q: "公积金怎么取出来", status: assistant.Clarify},
			{q: "我选第二个吧", status: A},
		},
		"clarify settled by a detail": {
			{q: "备案怎么弄", status: assistant.Clarify},
			{q: "租房子用的", status: A, item: "FT-078"},
		},
		"an ordinal inside a word does not pick": {
			{q: "备案怎么弄", status: assistant.Clarify},
			{q: "一个人去要多久", status: assistant.Clarify},
		},
		// A reply naming another family than the choices offered is told
		// apart by what the question asked back was about.
		"a reply naming another family takes the plight asked about": {
			{q: "补办", status: assistant.Clarify},
			{q: "离婚证", status: A, item: "FT-058"},
		},
		"a document named after a plight takes the plight": {
			{q: "证件丢了要补", status: assistant.Clarify},
			{q: "户口本", status: A, item: "FT-009"},
		},
		// A yes/no question about a document while choices are pending
		// is about those choices: asked again, never declined.
		"a document asked about while choices are pending asks again": {
			{q: "结婚证", status: assistant.Clarify},
			{q: "要户口本吗", status: assistant.Clarify},
			{q: "要带两张合影照片吗", status: assistant.Clarify},
		},
		// "那X呢 也…" asks of X what the thread asked: the predicate
		// (自己交, a flexible worker's own deposit) carries over.
		"那X呢 也… carries the thread's predicate": {
			{q: "我是做自由职业的 想自己交养老保险", status: A, item: "FT-012"},
			{q: "还有公积金 也想自己交", status: A, item: "FT-088"},
		},
		"咁X呢 都… in Cantonese carries the thread's predicate": {
			{q: "我系自由职业 养老保险想自己交", status: A, item: "FT-012"},
			{q: "咁公积金呢 都可以自己交吗", status: A, item: "FT-088"},
		},
		"那X呢 也… after a clarify carries the predicate asked about": {
			{q: "我自由职业 医保可以自己交吗", status: assistant.Clarify},
			{q: "那公积金呢 也可以自己缴吗", status: A, item: "FT-088"},
		},
		// 5. A second, parallel need is a new item.
		"a parallel need for the same holder is a new item": {
			{q: "身份证到期了 换新的多少钱", status: A, item: "FT-004"},
			{q: "户口本也旧得不行了 能换吗", status: A, item: "FT-009"},
		},
		"a parallel need is a new item": {
			{q: "身份证丢了怎么补", status: A, item: "FT-005"},
			{q: "社保卡也丢了", status: A, item: "FT-011"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			play(t, as, steps)
		})
	}
}
