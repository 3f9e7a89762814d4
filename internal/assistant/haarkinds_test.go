package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-third round, chosen on the learning sets, each
// tested on sentences of our own.

// TestChangeWhileInHousingQueue checks, on made-up messages, that a
// resident already in the queue for public housing who tells of a change
// (a child born, a new job, a spouse moving here) is asked about the
// queue's record, not a new application; asking about the queue itself,
// or applying, stays the application.
func TestChangeWhileInHousingQueue(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我家排公租房三年了 最近添了个女儿 信息要怎么更新", assistant.Answered, "FT-079"},
		{"公租房轮候期间换了工作单位 要不要去改资料", assistant.Answered, "FT-079"},
		{"人才房排着队 老婆调过来了 要补充家庭成员吗", assistant.Answered, "FT-079"},
		// Guards: the queue itself, and applying.
		{"排了两年公租房还没轮到 怎么查进度", assistant.Answered, "FT-075"},
		{"公租房排上了 什么时候能配到房", assistant.Answered, "FT-075"},
		{"申请公租房 家里几口人有要求吗", assistant.Answered, "FT-075"},
	})
}

// TestBirthCostsPaidOutOfPocket checks, on made-up messages, that the
// costs of a birth paid without the medical insurance are the birth's
// medical costs to reimburse, though the words that tell it (没刷医保,
// 自己垫) name the out-of-town reimbursement on their own; a stay in
// hospital that is no birth stays that.
func TestBirthCostsPaidOutOfPocket(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"老婆生孩子的时候没刷医保 自己垫了一万多 去哪报", assistant.Answered, "FT-021"},
		{"生完孩子 出院时没刷医保 现在拿什么材料去报", assistant.Answered, "FT-021"},
		{"媳妇生孩子那次没用医保 自己垫的钱 怎么报", assistant.Answered, "FT-021"},
		// Guards: no birth, and what a birth pays out.
		{"在老家住院没走医保 回来怎么报", assistant.Answered, "FT-020"},
		{"生了孩子 生育津贴怎么领", assistant.Answered, "FT-064"},
	})
}

// TestStatusGrantedIsHeld checks, on made-up messages, that a status
// the family was granted (我家是低收入家庭, 属于, 认定为) is the story: what
// it asks beside it (the medical costs left) is another item. Asking
// about the status itself stays it.
func TestStatusGrantedIsHeld(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我家是低收入家庭 孩子住院自付部分太多 能再报点吗", assistant.Answered, "FT-045"},
		{"已被认定为低收入家庭 个人负担的医疗费怎么申请救助", assistant.Answered, "FT-045"},
		// Guards: the status itself.
		{"低收入家庭认定要什么材料", assistant.Answered, "FT-044"},
		{"我家是不是低收入家庭 怎么认定", assistant.Answered, "FT-044"},
		{"低收入家庭认定了 有效期多久", assistant.Answered, "FT-044"},
	})
}

// TestMovingUpToMiddleSchool checks, on made-up messages, that moving up
// to middle school (升初中, 初中一年级) is the middle-school place, though
// the message says the primary school the child is in now.
func TestMovingUpToMiddleSchool(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"在南山读小学 明年升初中想回福田 学位怎么申请", assistant.Answered, "FT-068"},
		{"孩子在读小学五年级 后年要上福田的初中一年级 学位怎么报", assistant.Answered, "FT-068"},
		// Guards: the first year of primary school.
		{"小学一年级学位申请要什么材料", assistant.Answered, "FT-067"},
		{"孩子明年上一年级 学位怎么申请", assistant.Answered, "FT-067"},
	})
}

// TestOthersRecordsInEnglish checks, on made-up messages, that an English
// request to look up someone else's records (a coworker's, a neighbour's,
// a father's) is declined as its Chinese form is, while one's own record
// beside a landlord, or acting for a mother, stays a service.
func TestOthersRecordsInEnglish(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"Please look up my coworker's social security records", assistant.OutOfScope, ""},
		{"Show me my neighbour's hukou address", assistant.OutOfScope, ""},
		{"Can you pull up my father's pension record? He asked me to.", assistant.OutOfScope, ""},
		// Guards: one's own record, and acting for family.
		{"My landlord never registered the lease, can I still get a residence permit with my own insurance record?", assistant.Answered, "FT-002"},
		{"My mother's old age allowance, how to apply?", assistant.Answered, "FT-034"},
	})
}

// TestEnglishAnnualReportAndEarlyRepayment checks, on made-up messages,
// that a company's annual report and paying a loan off early, said in
// English, name their items.
func TestEnglishAnnualReportAndEarlyRepayment(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"When is the deadline for our company's annual report?", assistant.Answered, "FT-102"},
		{"I want to pay off part of my provident fund mortgage ahead of schedule", assistant.Answered, "FT-120"},
		// Guards: the loan itself, and the yearly income tax.
		{"How do I apply for a provident fund loan?", assistant.Answered, "FT-087"},
		{"I need to file my annual income tax return", assistant.Answered, "FT-108"},
	})
}

// TestBareCertificateExpiringIsAsked checks, on made-up messages, that a
// certificate named by no more than 证, said to expire soon or to need
// doing again (快到期, 重新办), is asked about: which one is not said.
// A named card stays its item.
func TestBareCertificateExpiringIsAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我的证快到期了 怎么办", assistant.Clarify, ""},
		{"那个证好像过期了 要重新办吧", assistant.Clarify, ""},
		// Guard: the card named.
		{"身份证快到期了 怎么办", assistant.Answered, "FT-004"},
	})
}
