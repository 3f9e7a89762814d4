package assistant

import (
	"strings"
	"testing"
)

// TestAspectQuestionForms checks the aspect of question forms by kind,
// on made-up questions: yes/no questions about one thing, going in person,
// deadlines passed, thresholds, steps and rules.
func TestAspectQuestionForms(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind, msg string
		want      Aspect
	}{
		{"yes/no about a document", "办这个要带结婚证吗", Materials},
		{"where on line", "残疾人护理补贴在网上哪里申请", Online},
		{"where in an app", "赡养老人那项在个税app哪里填", Online},
		{"where, not on line", "网上办不了 要去哪办", Location},
		{"a deadline to qualify", "拖到下个月再去报 还行不行", Conditions},
		{"where, said with 上哪", "老人户口要注销 上哪弄", Location},
		{"which station", "该找哪间派出所", Location},
		{"where to hand it in", "写好的申请往哪儿送", Location},
		{"a deadline passed", "摔伤都半年了 是不是就不给弄了", Conditions},
		{"still in time", "证下来八个月了 现在申请还赶得上吗", Conditions},
		{"old enough", "她下个月满二十 岁数够吗", Conditions},
		{"yes/no about a filing", "一定要做房屋备案吗", Materials},
		{"yes/no about account details", "要银行账户信息吗", Materials},
		{"a cue inside the document asked about", "那张收费明细清单也要吗", Materials},
		{"whether to book", "去之前要约吗", Appointment},
		{"going in person", "一定要本人去吗", Online},
		{"a trip saved", "能不能不跑一趟", Online},
		{"at home", "在家能弄好吗", Online},
		{"a channel by name", "在电子税务局上能办吗", Online},
		{"a deadline passed", "超了一个月还能补吗", Conditions},
		{"still in time", "现在去还来得及吗", Conditions},
		{"a threshold", "家里收入线是多少", Conditions},
		{"a prerequisite", "申请前一定要先登记吗", Conditions},
		{"years required", "要满几年才可以", Conditions},
		{"steps", "这个分几步", Process},
		{"the rule", "这是按哪个规定收的", LegalBasis},
		{"who pays", "要自己出钱吗", Fee},
		{"a weekday", "星期日办不办", Location},
		{"a statement to write", "晚了半年要不要写个什么说明", Materials},
		{"a hall nearby", "福保街道有没有窗口", Location},
		{"a weekday", "礼拜六能过去吗", Location},
		{"a weekday with booking", "周六要预约吗", Appointment},
		{"a weekday, its question after a pause", "礼拜天 开不开", Location},
		{"a weekday in the story, which things to bring", "儿子是上周四出生的 报户口要准备哪几样东西", Materials},
		{"booking, online", "在网上可以约吗", Appointment},
		{"booking a time, online", "要先在网上约定时间再去吗", Appointment},
		{"done online", "能不能在网上直接办", Online},
		{"a weekday in the story, no aspect", "闺女是星期二晚上生的 想给她报户口", ""},
		{"how + the item's own verb", "营业执照怎么吊销", Process},
		{"how + verb, Cantonese", "张残疾证点样换", Process},
		{"how + verb after a story", "我爸上个月走了 佢嘅养老金点样停", Process},
		{"how + receive", "那个补助金咋领", Process},
		{"how much is not the steps", "这个怎么收费", Fee},
		{"a fact stated, then the question", "受理回执已经拿到了 下一步怎么提交", Process},
		{"an overview cue in the story", "这个证有什么用我搞不清 怎么申领", Process},
		{"yes/no about a check", "办这个要做体检吗", Materials},
		{"yes/no about a doctor's paper", "需不需要医院的诊断书", Materials},
		{"yes/no about a notarisation", "国外的文件要公证吗", Materials},
		{"English words in the document", "要不要birth certificate原件", Materials},
		{"what to bring, Cantonese", "续期要攞乜嘢", Materials},
		{"whether a doctor's paper is needed, Cantonese", "需唔需要医生证明", Materials},
		{"whether a check is needed, Cantonese", "要唔要做体检", Materials},
		{"back home to do it, Cantonese", "使唔使返乡下办", Online},
		{"what it takes to get it", "怎样才能领到生活补贴", Process},
		{"when it comes is still the time", "什么时候才能领到", TimeLimit},
		{"must go back, no verb", "必须回户籍地吗", Online},
		{"must go back there once", "非得回老家一趟吗", Online},
		{"back here is no trip elsewhere", "回深圳能报吗", Conditions},
		{"back home to do it", "社保转出要回原籍办吗", Online},
		{"back there in person", "我人在深圳 得回当地一趟才能办吗", Online},
	} {
		if got := as.detectAspect(as.talk.rewrite(as.a.Normalize(c.msg))); got != c.want {
			t.Errorf("%s: %q → aspect %q, want %q", c.kind, c.msg, got, c.want)
		}
	}
}

// TestContentTextKeepsCatalogueWords checks that an aspect cue is cut
// from the content unless it is part of a longer word the catalogue uses.
func TestContentTextKeepsCatalogueWords(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ msg, want string }{
		{"养老金的资格认证在手机上做", "养老金的资格认证在 做"},
		{"申请低保有什么资格要求", "申请低保有什么"},
		{"补领结婚证要什么材料", "补领结婚证"},
	} {
		if got := as.contentText(as.a.Normalize(c.msg)); got != c.want {
			t.Errorf("contentText(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

// TestDropWorkplace checks that where the resident works, said in one
// pause of a message asking about something else, is not read as what
// the message is about, while a place and a message that is only the
// workplace stay.
func TestDropWorkplace(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg, gone string // gone: a word that must be dropped, "" for none
	}{
		{"我在餐厅打工 老板不给交社保 我能自己交吗", "餐厅"},
		{"我在酒楼那边做事 想问下医保怎么自己交", "酒楼"},
		{"我在深圳上班 想办居住证", ""},
		{"我在餐厅上班", ""},
	} {
		got := as.dropWorkplace(c.msg)
		switch {
		case c.gone != "" && strings.Contains(got, c.gone):
			t.Errorf("dropWorkplace(%q) = %q, want %q gone", c.msg, got, c.gone)
		case c.gone == "" && got != c.msg:
			t.Errorf("dropWorkplace(%q) = %q, want it unchanged", c.msg, got)
		}
	}
}
