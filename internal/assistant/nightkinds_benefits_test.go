package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestNightKindsBenefits checks the kinds of benefit, school, assistance,
// job and pension questions the probes-night round found described rather
// than named (zh/lexicon/synonyms.txt, "福利、教育、救助、就业与养老：夜间补充"),
// each in plain, voice and Cantonese-flavoured forms, and that each reaches
// its item and not the sibling the shared words point at: a pupil past the
// first grade changing school is 转学, not a first-grade place; a private
// school's fees and money back is the 民办 subsidy; a child in a
// kindergarten class and money for it is the 在园 subsidy, not enrolment;
// what keeps a registered job-seeker from work is 就业困难人员认定, not the
// registration; a running shop's bank loan with interest paid is 贴息, not
// its licence; old with no children, spouse or income is 特困; an elder
// who cannot cook is 助餐; first or second grade needing care is 护理补贴.
func TestNightKindsBenefits(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, style, msg, item string
	}{
		// 转学: already in a grade, changing school.
		{"转学", "plain", "孩子在南山读三年级，我们搬来福田了，想换到附近的学校", "FT-069"},
		{"转学", "voice", "嗯 那个 我儿子 现在读五年级 家搬到梅林了 能不能 转到这边读", "FT-069"},
		{"转学", "Cantonese", "个女读紧初二 我哋搬咗屋 想转去屋企附近嗰间学校读", "FT-069"},
		// 民办学校学位补贴: private school fees and the subsidy.
		{"民办", "plain", "孩子读的是民办小学，学费政府能补一部分吗", "FT-074"},
		{"民办", "voice", "呃 我女儿 在私立初中 读初一 那个学费 听说 有补贴 怎么领", "FT-074"},
		{"民办", "Cantonese", "个仔读私校 学费好贵 政府有冇得补", "FT-074"},
		// 健康成长补贴: already in a kindergarten class.
		{"在园", "plain", "孩子在幼儿园读大班，每年那笔补给小朋友的钱怎么领", "FT-071"},
		{"在园", "voice", "那个 我儿子 上小班了 幼儿园 说 有钱补 要家长 去弄吗", "FT-071"},
		{"在园", "Cantonese", "个女读紧幼儿园 每年补嘅钱点攞", "FT-071"},
		// 就业困难人员认定: circumstances beside a registration already made.
		{"就业困难", "plain", "我妈瘫在床上，我要照顾她上不了班，失业登记已经做了，能认定困难人员吗", "FT-029"},
		{"就业困难", "voice", "呃 我 只能打零工 那个 失业登记 办了 还能 认定个什么 享受点政策吗", "FT-029"},
		{"就业困难", "plain", "已经办了失业登记，家里要照顾残疾的孩子没法上班，可以认定就业困难吗", "FT-029"},
		// 创业担保贷款贴息: a running business, interest paid in part.
		{"贴息", "plain", "我开了家奶茶店，执照都有，想贷点款，政府能帮付利息吗", "FT-027"},
		{"贴息", "voice", "嗯 我们 开了个 小超市 周转 不够 想借钱 听说 政府 帮还利息", "FT-027"},
		{"贴息", "Cantonese", "我间铺想问银行借钱 政府会唔会帮补利息", "FT-027"},
		// 待遇资格认证 said by its consequence (the pension stops), or done
		// at home on a phone: 退休金 inside the phrase is not the application.
		{"认证", "plain", "收到短信说再不认证退休金就停发了，我爸行动不便，能在手机上弄吗", "FT-018"},
		{"认证", "voice", "呃 我妈的 养老金 说要停掉 因为 今年 还没认证 怎么弄", "FT-018"},
		{"认证", "Cantonese", "阿爸啲退休金话要停发 佢今年仲未认证 喺屋企用手机得唔得", "FT-018"},
		// 特困人员: old, nobody obliged, no income.
		{"特困", "plain", "我伯父七十多了，没儿没女，也没老婆，做不动了没有收入，政府能养他吗", "FT-043"},
		{"特困", "voice", "那个 我姑婆 八十几了 没有子女 没有老公 一分收入都没有 有没有 政府 管", "FT-043"},
		{"特困", "Cantonese", "我叔公冇仔冇女 做唔郁 冇收入 政府会唔会养佢", "FT-043"},
		// 长者助餐: an elder who cannot cook, a meal nearby.
		{"助餐", "plain", "我奶奶八十多了，自己做饭不方便，附近有没有老人吃饭的地方", "FT-037"},
		{"助餐", "voice", "嗯 我爸 七十几了 一个人 煮不了饭 想在附近 吃顿饭", "FT-037"},
		{"助餐", "Cantonese", "阿婆年纪大 冇人煮饭 附近有冇得食饭", "FT-037"},
		// 重度残疾人护理补贴: first or second grade, needing care.
		{"护理", "plain", "我弟弟是二级残疾，生活离不开人照顾，有护理的补贴吗", "FT-050"},
		{"护理", "voice", "呃 我妈 残疾证 是一级 整天要人照顾 有没有钱补", "FT-050"},
		{"护理", "Cantonese", "我老豆一级残疾 成日要人照顾 有冇补贴", "FT-050"},
		// The siblings the kinds stand beside keep their own questions: the
		// veterans' version of the loan, a child still to enter a kindergarten
		// or school, a pension applied for.
		{"贴息", "plain", "我退伍回来开了个小店，想贷款，政府帮付利息吗", "FT-116"},
		{"在园", "plain", "女儿明年要读幼儿园了，怎么报名", "FT-070"},
		{"在园", "voice", "嗯 我儿子 九月 满三岁 想报名读幼儿园 要准备什么", "FT-070"},
		{"转学", "plain", "孩子九月上一年级，公办小学学位怎么申请", "FT-067"},
		{"认证", "plain", "我明年到退休年龄，交够十五年了，退休金怎么申领", "FT-014"},
		{"认证", "voice", "那个 我爸 每年 要做的那个 养老金 认证 在手机上 能弄吗", "FT-018"},
	} {
		r, got := answerOrChoices(t, as, c.msg, 0)
		if r.Status != assistant.Answered || len(got) == 0 || got[0] != c.item {
			t.Errorf("%s (%s): %q → %s %v, want %s answered", c.kind, c.style, c.msg, r.Status, got, c.item)
		}
	}
}
