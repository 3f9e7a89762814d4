package assistant_test

import (
	"slices"
	"testing"
)

// TestEligibilityInEverydayWords checks that residents describing their
// own case in everyday words reach the item whose formal eligibility
// terms it meets (lexicon/synonyms.txt, "条件与对象"; situations.txt):
// 就一个女儿…没了 is 独生子女 of the family-planning assistance, 一个人住
// with the children away is 独居, 政府那种便宜的房子 is 保障性住房, 出差…住院
// and paying first is 异地就医 零星报销, 送快递 没有公司 is 灵活就业. The
// item is answered, or is among the first three choices of a question.
func TestEligibilityInEverydayWords(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		style, msg, item string
	}{
		{"voice", "呃 我们家 就一个女儿 前几年 生病没了 我老伴今年五十多 那个 政府有没有扶助", "FT-066"},
		{"plain", "我们只有一个儿子，去年意外去世了，像我们这样的家庭有什么补助吗", "FT-066"},
		{"Cantonese", "我哋只得一个女 旧年过咗身 有冇补助", "FT-066"},
		{"plain", "我爸八十了一个人住 子女都在外地 想给他装个一按就能叫人的设备", "FT-040"},
		{"voice", "嗯 我妈 一个人在家 那个 孩子们都不在身边 有没有紧急按钮那种", "FT-040"},
		{"plain", "我们一家是深户，一直没有自己的房子，想租政府那种便宜的房子", "FT-075"},
		{"voice", "那个 我们家 买不起房 收入也低 政府的便宜房子 怎么申请", "FT-075"},
		{"plain", "去上海出差的时候住院了，钱是自己先垫的，回深圳能报销吗", "FT-020"},
		{"voice", "呃 出差的时候 在外地看急诊 没刷上医保 回来 能报吗", "FT-020"},
		{"plain", "以后要去外地长住，在那边看病要先备案吗", "FT-019"},
		{"plain", "我是送快递的，没有公司给我交，养老保险能自己交吗", "FT-012"},
		{"voice", "嗯 我是跑网约车的 社保 想自己交 养老那块 怎么弄", "FT-012"},
		{"plain", "做微商的，没公司，公积金能自己交吗", "FT-088"},
		{"plain", "厂子倒了，交过两年失业保险，每个月能领钱吗", "FT-015"},
		{"plain", "我五十多岁了，到处找工作都嫌我年纪大，能认定就业困难吗", "FT-029"},
		{"plain", "孩子的爸妈都不在了，现在跟着爷爷奶奶，每个月有生活费吗", "FT-046"},
		{"plain", "我叔七十多了，没儿没女，干不了活，也没有收入来源，政府能养他吗", "FT-043"},
		{"plain", "老公得了癌症，积蓄都花光了，还借了很多钱，有什么救助", "FT-047"},
		{"plain", "家里收入不高，想办个低收入认定", "FT-044"},
		{"plain", "我爸残疾一级，瘫在床上，每个月有护理的钱吗", "FT-050"},
		{"plain", "我下肢残疾，开残疾人摩托，油钱能补吗", "FT-054"},
		{"plain", "孩子三岁还不会说话，医生说是孤独症，康复有补助吗", "FT-053"},
		{"plain", "我儿子耳朵听不见，想办个残疾的证", "FT-048"},
		{"plain", "刚退伍回来，不要安置，自谋职业，那笔钱怎么领", "FT-114"},
		{"plain", "当兵时候受伤落下残疾，有抚恤金吗", "FT-115"},
		{"plain", "从部队回来了，信息采集在哪弄", "FT-118"},
		{"plain", "退伍军人想自己做生意，贷款有贴息吗", "FT-116"},
		{"plain", "我们夫妻没孩子，想领一个孩子回来养", "FT-065"},
		{"plain", "我跟老公过不到一起了，想去民政局分开", "FT-056"},
		{"plain", "我老婆是深圳户口，我是外地的，户口能迁过来吗", "FT-007"},
		{"plain", "我妈每年都要做那个证明还活着的认证，在哪做", "FT-018"},
		{"plain", "去年多交了税，怎么退回来", "FT-108"},
		{"plain", "我要赡养父母，个税能少扣一点吗", "FT-112"},
		{"plain", "搬家了，孩子想换个学校读", "FT-069"},
		{"plain", "我的小店不开了，执照怎么注销", "FT-099"},
		{"Cantonese", "我间铺头唔做啦 个体户点样注销", "FT-099"},
		{"plain", "公司注册了一直没开张，想注销", "FT-098"},
		{"plain", "想买那种跟政府一起出资的房子", "FT-077"},
		{"plain", "刚毕业的年轻人，能租政府的便宜房吗", "FT-076"},
		{"plain", "我奶奶八十多了，每个月有敬老的钱吗", "FT-034"},
		{"plain", "想开个夫妻店，要办什么执照", "FT-091"},
		{"plain", "我有中级职称 能不能落深户", "FT-006"},
		{"plain", "换了城市工作 以前交的养老保险怎么办", "FT-013"},
		{"plain", "公司要我交社保的证明 在哪打", "FT-017"},
		{"plain", "我妈高血压糖尿病 长期吃药 门诊能报多点吗", "FT-022"},
		{"plain", "我们在备孕 要先登记吗", "FT-063"},
		{"plain", "公司刚招了员工 怎么给员工交社保", "FT-095"},
		{"plain", "公司要关了 税怎么结清", "FT-111"},
		{"plain", "我哥在部队牺牲了 我爸妈有抚恤吗", "FT-117"},
		{"plain", "下班路上被车撞了 算不算工伤", "FT-016"},
		{"plain", "孩子明年上一年级 学位怎么申请", "FT-067"},
		// A situation recognised by the term a pattern gives (独居).
		{"plain", "我外公现在一个人过 政府有什么帮扶", "FT-040"},
		{"voice", "退休后想回老家养老 以后在那边看病 医保要先备个案吗", "FT-019"},
		{"plain", "在外地住院自己垫了钱 回来能报吗", "FT-020"},
		{"plain", "我交够十五年了 明年到年龄 养老金怎么领", "FT-014"},
		{"plain", "不在深圳工作了 要回老家发展 公积金能取吗", "FT-085"},
		{"plain", "孩子上学能不能少交点个税", "FT-112"},
		{"plain", "在工地干活摔下来了 老板不认", "FT-016"},
		{"plain", "我今年毕业 家里是低保 找工作有补贴吗", "FT-033"},
		{"plain", "来深圳交了半年社保 还没有社保卡", "FT-010"},
		{"plain", "准迁证拿到了 下一步怎么办", "FT-008"},
		{"Cantonese", "我阿妈自己一个住 仔女都喺外地 有冇嗰啲一撳就叫到人嘅机", "FT-040"},
		{"Cantonese", "我哋深户 一家人冇屋住 点样申请政府啲平租屋", "FT-075"},
		{"Cantonese", "我哋两公婆得一个仔 前年冇咗 政府有冇补贴", "FT-066"},
		{"Cantonese", "个细路爸妈都唔喺度 跟住阿嫲 有冇生活费", "FT-046"},
		// Near misses: the everyday words above inside another request
		// (一个人 住院, 合同没备案, 没有公司 yet) still reach that request.
		{"near miss", "我一个人在外地住院 没刷上医保 回来怎么报", "FT-020"},
		{"near miss", "租的房子合同没备案 怎么补办", "FT-078"},
		{"near miss", "我还没有公司 想注册一个有限公司", "FT-090"},
		{"near miss", "我们只有一个孩子 还想再收养一个", "FT-065"},
		{"near miss", "公司不给交社保 我想自己交养老", "FT-012"},
		{"near miss", "我爸一个人住 今年满六十了 退休金怎么领", "FT-014"},
		{"near miss", "我收入不高 想认定低收入家庭", "FT-044"},
		{"near miss", "做个体 卖早餐 要办执照吗", "FT-091"},
		{"near miss", "我妈独自在家 前天走了 户口怎么销", "FT-119"},
	} {
		r, got := answerOrChoices(t, as, c.msg, 3)
		if !slices.Contains(got, c.item) {
			t.Errorf("%s: %q → %s %v, want %s", c.style, c.msg, r.Status, got, c.item)
		}
	}
}
