package assistant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// storyCase is a message and whether it must be declined.
type storyCase struct {
	kind, msg string
	declined  bool
	says      string // when declined, a phrase the reply must hold ("" any)
}

func checkDeclines(t *testing.T, cases []storyCase) {
	t.Helper()
	as := demoAssistant(t, nil)
	for _, c := range cases {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		got := r.Status == assistant.OutOfScope
		if got != c.declined {
			t.Errorf("%s: %q → %s (%s), want declined=%v", c.kind, c.msg, r.Status, r.Answer, c.declined)
			continue
		}
		if c.declined && c.says != "" && !strings.Contains(r.Answer, c.says) {
			t.Errorf("%s: %q → %q, want it to say %q", c.kind, c.msg, r.Answer, c.says)
		}
	}
}

// TestAbuseWordsInKinship: an abuse word inside a kinship phrase (孩子他妈,
// 我妈的, 他妈妈, 爸妈的, 跟着他妈, 报在他妈, 他妈名下) is a mother, not abuse; the same words alone still are
// (own sentences, plain, spoken and Cantonese-flavoured).
func TestAbuseWordsInKinship(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"the child's mother", "孩子他妈上个月生了二胎 生育津贴怎么领", false, ""},
		{"my mother's card", "我妈的社保卡不见了 去哪里补", false, ""},
		{"his mother, 他妈妈", "他妈妈今年八十五了 高龄津贴能申请吗", false, ""},
		{"spoken, my mum's", "呃 就是 我妈妈的医保 能不能跟我的绑在一起用", false, ""},
		{"Cantonese, 我老妈的", "我老妈的长者卡唔见咗 点样补办", false, ""},
		{"parents, 爸妈的", "孩子读小学了 这个补贴是我们当爸妈的去申请吗", false, ""},
		{"following his mother, 跟着他妈", "孩子想跟着他妈落户 新生儿入户去哪办", false, ""},
		{"registered with his mother, 报在他妈", "我是外省的 儿子刚出生 户口想报在他妈那边 要带什么", false, ""},
		{"given to his mother, 给他妈", "孩子他爸不管 抚养费都是给他妈的 低保能申请吗", false, ""},
		{"his mother's name, 他妈名下", "房子在他妈名下 我们能申请公租房吗", false, ""},
		{"his mother, 他妈 as a subject", "外孙他爸早就不联系了 他妈也出国了 孩子跟着我过 这种能申请什么补助", false, ""},
		{"abuse, 他妈的", "他妈的什么破系统", true, "转人工"},
		{"abuse, 真他妈", "真他妈服了 转了三次都没人管", true, "转人工"},
		{"abuse, a broken helper", "破助手一点用都没有 脑子进水了", true, "转人工"},
		{"abuse, 你他妈 before a side", "你他妈那边的系统怎么又卡了", true, "转人工"},
		{"abuse, 妈的 at the start", "妈的 又是这个回答", true, "转人工"},
		{"abuse, 你妈的", "你妈的 到底能不能办", true, "转人工"},
		{"abuse, 这他妈", "这他妈问了半天都说不清", true, "转人工"},
	})
}

// TestAbuseWordsInCompounds: an abuse word inside a word naming a thing
// (垃圾 of 垃圾站 and 厨余垃圾, 废物 of 危险废物, 滚 of 滚筒) is the city's
// waste or a machine, not abuse; alone it still is (own sentences).
func TestAbuseWordsInCompounds(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"a shop beside the refuse station", "垃圾站旁边开个早餐店 卫生许可咋办", false, ""},
		{"kitchen waste in a restaurant licence", "餐馆的厨余垃圾要签清运合同 办食品经营许可要交吗", false, ""},
		{"a laundry's drum washers", "开洗衣店 买了几台滚筒洗衣机 营业执照怎么申请", false, ""},
		{"abuse, 垃圾 alone", "什么垃圾助手 问啥都不会", true, "转人工"},
		{"abuse, 滚", "滚 不想跟你说话", true, ""},
	})
}

// TestOtherCityTiedByLife: another city named as where the resident will
// live or see doctors asks after Shenzhen's cross-city services (异地就医
// 备案, 异地长期居住); the other city's own services, and a hospital
// recommendation there, stay declined (own sentences).
func TestOtherCityTiedByLife(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"moving to the children's city, doctors there", "我要去北京跟子女住 以后在那边看病怎么办", false, ""},
		{"moving to a daughter's city, insurance", "我打算搬到上海跟女儿住 医保怎么办", false, ""},
		{"settling in another city, pension", "老了想去成都定居 养老金在那边怎么领", false, ""},
		{"spoken, retiring to a province", "呃 我退休了 想回湖南长期居住 那个看病报销咋整", false, ""},
		{"Cantonese, seeing doctors there", "我阿妈要去广州同仔女住 睇病点算", false, ""},
		{"retiring to the home town", "退休后回老家住 医保怎么弄", false, ""},
		{"another city's own residence permit", "北京的居住证怎么办", true, "其他地区"},
		{"another city's card replaced", "广州社保卡补办", true, "其他地区"},
		{"another city's fund", "上海的公积金怎么提取", true, "其他地区"},
		{"another city's medical card", "杭州的医保卡怎么补办", true, "其他地区"},
		{"a hospital recommended elsewhere", "北京哪家医院看病好", true, ""},
		{"living there, but the other city's permit", "我要去北京跟子女住 北京的居住证怎么办", true, "其他地区"},
		{"in hospital there, the other city's aid", "我爸在广州住院 广州的医疗救助怎么申请", true, "其他地区"},
	})
}

// TestStoryCueBeforeQuestion: a cue of a story (a trip, a fever, a call
// to the police) said before the clause that asks, when the best items
// explain that clause, declines nothing; asked in the same clause, or
// followed by a doctor's or a tourist's question, it still declines (own
// sentences, plain, voice-transcript and Cantonese-flavoured).
func TestStoryCueBeforeQuestion(t *testing.T) {
	t.Parallel()
	checkDeclines(t, []storyCase{
		{"a trip, then medical insurance", "去旅游的时候突发急病住院 回来医保能报吗", false, ""},
		{"a trip and a stay in hospital elsewhere", "上个月出去旅游在外地住了院，医保报销要怎么弄", false, ""},
		{"a fever, then direct settlement", "我妈发烧住了院 在外地 医保能直接结算吗", false, ""},
		{"could not call the police, then an alarm device", "老人家摔倒了都没法报警 有没有紧急呼叫的设备", false, ""},
		{"a child's fever, then children's insurance", "我儿子感冒发烧好几天，少儿医保怎么交", false, ""},
		{"voice, a trip long ago, then a disability card", "呃 去年去旅游 那个 在外面摔断了腿 现在走路不方便 残疾证能不能办", false, ""},
		{"Cantonese, a burglary reported, then an ID card", "屋企畀人爆格报咗警 身份证都冇埋 点样补", false, ""},
		{"a cough and a doctor, then a service said by its short name", "我咳嗽了好几个月 医生说是慢阻肺 门特怎么申请", false, ""},
		{"a greeting, then a card", "在吗 社保卡怎么补", false, ""},
		{"a wallet stolen and the police called, then an ID card", "钱包被偷了 报了警，身份证怎么补办", false, ""},
		{"a lawsuit won, then unemployment benefit", "跟公司打完官司了 现在失业金怎么领", false, ""},
		{"a greeting, then a chat", "在吗 陪我聊聊天", true, ""},
		{"Cantonese, a fall and no use calling the police, then an alarm", "老豆跌亲咗报警都冇用 有冇平安钟申请", false, ""},
		{"voice, a fever and days in hospital, then maternity insurance", "嗯 就是 我老婆上个礼拜发高烧 送去医院住了几天 那个 生育保险能报吗", false, ""},
		{"a real trip question", "下个月去旅游 有什么景点推荐", true, ""},
		{"a fever, then a hospital's hours", "我发烧了 医院几点开门", true, ""},
		{"a cold, then a hospital appointment", "我感冒了 社区医院怎么挂号", true, ""},
		{"a trip, then a passport", "去旅游 护照怎么办", true, ""},
		{"a theft reported, then catching the thief", "家里被盗了 报了警 小偷能抓到吗", true, ""},
		{"medicine for a fever", "发烧了吃什么药", true, ""},
		{"a fever, then what to watch for", "我妈发烧住院了 出院后要注意什么", true, ""},
		{"calling the police itself", "家里被盗了怎么报警", true, ""},
		{"a fever after a trip", "旅游回来一直发烧怎么办", true, ""},
		{"a trip, then a ticket refund", "出去旅游 机票怎么退", true, ""},
		{"a fever, then which hospital", "孩子发烧 去哪个医院好", true, ""},
		{"a trip, then a poem", "我去旅游了 帮我写首诗", true, ""},
	})
}

// TestIllnessOnATripIsReimbursement: falling ill on a trip and asking
// whether medical insurance pays ("医保能报吗") is the cross-city
// reimbursement item, the trip being the story.
func TestIllnessOnATripIsReimbursement(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{
		"去旅游的时候突发急病住院 回来医保能报吗",
		"上个月出去旅游在外地住了院，医保报销要怎么弄",
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Answered || len(r.Citations) == 0 || r.Citations[0].Name != "异地就医医疗费用零星报销" {
			t.Errorf("%q → %s %v, want 异地就医医疗费用零星报销", msg, r.Status, r.Citations)
		}
	}
}
