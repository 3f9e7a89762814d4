package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestNightKindsDocs checks, on sentences written for it (none taken from
// an eval set), the kinds of documents-and-registrations wording fixed in
// the probes-night round: each kind is data (zh/lexicon/synonyms.txt
// "夜间补充：证件与登记", assistant/lexicon/situations.txt
// certified_disability) covering every item it applies to.
func TestNightKindsDocs(t *testing.T) {
	t.Parallel()
	var cases []decisionCase
	for _, c := range []struct {
		kind, msg, item string
	}{
		// A damaged card or booklet is its 换领, not its 补领.
		{"damaged", "身份证泡了水 照片那块都花了 要去哪换", "FT-004"},
		{"damaged", "户口本泡水了 字都模糊了 怎么换新的", "FT-009"},
		{"damaged", "社保卡芯片坏了 医院读不出 要怎么弄", "FT-011"},
		{"damaged", "张身份证整弯咗 银行刷不出 点搞", "FT-004"},
		// A certified disability whose grade changed is the card's 换领.
		{"grade changed", "我妈是三级视力残疾 这两年眼睛越来越差 想重新评级", "FT-049"},
		{"grade changed", "孩子智力残疾评的三级 现在残疾加重了 证要怎么弄", "FT-049"},
		{"grade changed", "老豆肢体残疾 证上写的还是三级 其实而家行都行唔到", "FT-049"},
		// Not knowing where it was put is losing it: the 补领.
		{"mislaid", "结婚证不知道放哪了 翻遍了都没有 可以补吗", "FT-057"},
		{"mislaid", "户口本不知道塞哪去了 怎么补", "FT-009"},
		{"mislaid", "营业执照正本不知道放哪里去了 要补一个", "FT-101"},
		// A divorce described by its settlement.
		{"divorce by settlement", "跟老婆谈好了 孩子跟她 存款一人一半 去民政局办手续要带什么", "FT-056"},
		{"divorce by settlement", "老公同意了 个仔跟我 车归他 民政那边的手续点办", "FT-056"},
		{"divorce by settlement", "抚养权谈妥了 财产也分好了 想去民政把离婚办了", "FT-056"},
		// A permit to move in from elsewhere: moving out of Shenzhen.
		{"permit to move in", "广州那边已经给我开了准迁证 深圳户口怎么迁过去", "FT-008"},
		{"permit to move in", "准迁证拿到了 深圳这边还要办什么手续", "FT-008"},
		{"permit to move in", "老家派出所给了准予迁入证明 深圳户口要怎么转走", "FT-008"},
		// The landlord filing the lease.
		{"landlord", "我是房东 房子租给人做宿舍 合同要不要去登记", "FT-078"},
		{"landlord", "我系业主 间屋租出去咗 租客话要备案", "FT-078"},
		{"landlord", "房子出租给一家三口 作为房东要办什么备案", "FT-078"},
		// A foreign owner or spouse investing in a company.
		{"foreign owner", "我是韩国人 想在深圳开一家咨询公司 怎么注册", "FT-094"},
		{"foreign owner", "我是加拿大人 想开个公司做咨询 要什么手续", "FT-094"},
		{"foreign owner", "有个外国朋友想出资开个贸易公司 在福田要办什么登记", "FT-094"},
		// A company that never traded and owes nothing: the simple route.
		{"never traded", "公司注册了一直没开业 也没有债务 怎么注销最快", "FT-098"},
		{"never traded", "去年开的公司 一直冇开过张 冇欠人钱 想关掉", "FT-098"},
		{"never traded", "公司没经营过 没欠款 想用最简单的办法注销", "FT-098"},
		// A proof asked by its purpose.
		{"proof by purpose", "公积金交了五年 银行贷款要用 去哪打证明", "FT-089"},
		{"proof by purpose", "办签证要用公积金的证明 怎么打", "FT-089"},
		{"proof by purpose", "纳税记录 银行贷款要用 怎么开", "FT-110"},
		// Marrying where neither is local.
		{"marrying away from home", "我们俩户口都在老家 在深圳领证可以吗", "FT-055"},
		{"marrying away from home", "男朋友是外地人 我也不是深户 能在深圳结婚吗", "FT-055"},
		{"marrying away from home", "我们俩都是外地户口 在深圳领证要什么条件", "FT-055"},
	} {
		cases = append(cases, decisionCase{msg: c.msg, status: assistant.Answered, item: c.item})
	}
	checkDecisions(t, cases)
}
