package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestMistKinds checks, on made-up messages, kinds probes-mist showed:
// asking which provider is good, cheap or trustworthy (哪家…靠谱, 哪里…
// 便宜) is not a service question, while asking which hospital or hall
// does a service is; an alarm device (报警器) is not a call to the
// police; a business opened (开了间…店) is the opening-a-business story,
// and asking what money it can get is asked back with its benefits.
func TestMistKinds(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"买了二手房要装修 哪家装修公司靠谱", assistant.OutOfScope, ""},
		{"领完结婚证 请柬去哪里印比较便宜", assistant.OutOfScope, ""},
		{"福田哪家医院能做免费婚检", assistant.Answered, "FT-060"},
		{"低保户 家里老人想装个燃气报警器 政府能补贴吗", assistant.Answered, "FT-040"},
		{"家里被盗了 怎么报警", assistant.OutOfScope, ""},
		{"开了一家美甲工作室 有什么补贴", assistant.Clarify, ""},
		{"开了家宠物店半年了 政府有钱补吗", assistant.Clarify, ""},
	})
}

// TestNegatedInCatalogue checks that a word an item's text says only as
// what its case is not (未能直接结算) counts for the sibling that says it
// plainly, unless the question denies it too.
func TestNegatedInCatalogue(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"公司派我去外地项目待一年 想在那边医院直接结算 出发前要弄啥", assistant.Answered, "FT-019"},
		{"在外地看病没法直接结算 自己垫的钱怎么报", assistant.Answered, "FT-020"},
	})
}

// TestNamedBySynonymLeavesThread checks that a follow-up saying another
// item's whole name in words the synonym table reads as it (初一, 社保开户)
// moves to that item, while asking what to bring stays.
func TestNamedBySynonymLeavesThread(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"女儿今年六岁 小一学位怎么申请", "哥哥在福田上五年级 明年初一学位申请几时开始报名", assistant.Answered, "FT-068", assistant.TimeLimit},
		{"想跟香港朋友在福田开家外资公司 要办什么登记", "公司请了三个员工 社保开户在网上可以弄吗", assistant.Answered, "FT-095", assistant.Online},
	})
}

// TestWhatToDoAsked checks that asking what needs doing after a life
// event (退伍回来 有哪些得办) is asked back with the event's items, and
// that a child said as 小朋友 or 孙子 is a family member, so asking for a
// schooling benefit is asked back with the school benefits.
func TestWhatToDoAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"退伍回来了 有哪些得办", assistant.Clarify, ""},
		{"小朋友读书 政府给不给补贴", assistant.Clarify, ""},
	})
}

// TestCityNamesNoItem checks that a follow-up describing the household
// in the city (我深户 … 在深圳没房) stays on the item discussed: 深圳 of
// 深圳市居住证申领 is every item's city and names none of them.
func TestCityNamesNoItem(t *testing.T) {
	t.Parallel()
	checkFollowUps(t, []followUpCase{
		{"想申请公租房 怎么弄", "我深户 两口子 在深圳没房 工资也低", assistant.Answered, "FT-075", ""},
		{"想申请公租房 怎么弄", "本人深户 在深圳没有房 收入也不高", assistant.Answered, "FT-075", ""},
	})
}

// TestLicenceElsewhere checks that licences other authorities issue (药品
// 经营许可证, 网络文化经营许可证) are declined, also asked as an aside in a
// conversation about the food licence, which is the district's.
func TestLicenceElsewhere(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"开药店的药品经营许可证在哪办", assistant.OutOfScope, ""},
		{"开网吧要办网络文化经营许可证吗", assistant.OutOfScope, ""},
		{"开小饭馆的食品经营许可证在哪办", assistant.Answered, "FT-100"},
	})
	checkFollowUps(t, []followUpCase{
		{"想开一家轻食店 食品经营许可证要什么材料", "顺便问下 卖烟的话烟草专卖许可证怎么办", assistant.OutOfScope, "", ""},
	})
}
