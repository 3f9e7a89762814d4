package assistant_test

import (
	"context"
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestSituationsResolve checks that every item lexicon/situations.txt
// names is in the demo catalogue: a renamed item would silently drop out
// of its situation.
func TestSituationsResolve(t *testing.T) {
	t.Parallel()
	cfg := demoConfig(t)
	names := map[string]bool{}
	for _, it := range cfg.Index.Items() {
		names[it.Name] = true
	}
	for sit, items := range assistant.SituationItems() {
		if len(items) == 0 {
			t.Errorf("situation %s lists no item", sit)
		}
		for _, n := range items {
			if !names[n] {
				t.Errorf("situation %s: no catalogue item is named %q", sit, n)
			}
		}
	}
}

// TestSituationDescribed checks that a life situation described without
// naming any service is met with its items, not declined.
func TestSituationDescribed(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		msg    string
		status assistant.Status
		items  []string // the answer's item or one of the choices is one of these
	}{
		// Care support: the home-care subsidy or the nursing subsidy.
		{"我妈中风以后右手抬不起来 吃饭穿衣都要人帮 政府有什么帮扶", assistant.Clarify, []string{"FT-035", "FT-050"}},
		{"公司裁员了 这个月开始没工作", assistant.Answered, []string{"FT-015"}},
		// A death said as 走的 next to a family member, and 户口 the cue.
		{"外婆去年走的 户口一直没销 现在还能办吗", assistant.Answered, []string{"FT-119"}},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, id := range r.Candidates {
			found = found || slices.Contains(c.items, id)
		}
		for _, cit := range r.Citations {
			found = found || slices.Contains(c.items, cit.ID)
		}
		if r.Status != c.status || !found {
			t.Errorf("%q → %s %v %v, want %s with one of %v", c.msg, r.Status, r.Candidates, r.Citations, c.status, c.items)
		}
	}
}

// TestLifeStoryNotPulledBySharedWord checks that a story told without
// naming a service goes to the items its situation calls for, not to a
// sibling item sharing one word with it: 注销 (a synonym of 走了) of
// 清税注销, 证 of 食品经营许可证, 老婆 of 夫妻投靠入户, 登记 of
// 个体工商户设立登记, or the story's own word in its text (搬家 in
// 义务教育阶段转学申请). An item the question names in its own words is
// still answered. The answer, or one of the choices, is one of items.
func TestLifeStoryNotPulledBySharedWord(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		style, msg string
		items      []string
	}{
		{"voice", "呃 我爷爷前两天走了 家里人讲 要去派出所那边办个手续", []string{"FT-119"}},
		{"Cantonese", "阿嫲上个礼拜走咗 要去边度办手续", []string{"FT-119"}},
		{"plain", "我父亲上月病故，家属需要办理什么手续？", []string{"FT-119"}},
		{"voice, Cantonese", "喂 喂 我老婆刚生咗 那个证要点搞", []string{"FT-061", "FT-001"}},
		{"plain", "刚生完孩子 要办什么证", []string{"FT-061", "FT-001"}},
		// 孩子 is the group 少儿医保 is for (audiences.txt, 少儿=儿童), not
		// a reason for 医保个人账户家庭共济绑定
		{"plain", "孩子刚出世 医保怎么弄", []string{"FT-023"}},
		{"Cantonese", "个仔啱啱出世 医保喺边度办", []string{"FT-023"}},
		{"plain", "刚来深圳 租了房子 要办什么证", []string{"FT-002"}},
		{"voice", "搬到福田了 要办什么登记", []string{"FT-002", "FT-078", "FT-008"}},
		// the story's own word (搬家) in a sibling's text (转学申请)
		{"plain", "搬家了 户口要不要迁", []string{"FT-008"}},
		{"voice", "呃 我们 搬家了嘛 那个 户口 要不要 跟着迁", []string{"FT-008"}},
		// near misses: the item named in the question's own words
		{"named", "我爸走了 他开的公司要办清税注销", []string{"FT-111"}},
		{"named", "刚生完孩子 食品经营许可证还要年审吗", []string{"FT-100"}},
	} {
		r, got := answerOrChoices(t, as, c.msg, 0)
		if !slices.ContainsFunc(got, func(id string) bool { return slices.Contains(c.items, id) }) {
			t.Errorf("%s: %q → %s %v, want one of %v", c.style, c.msg, r.Status, got, c.items)
		}
	}
}

// TestCareStoryNeverDeclined checks that a story of illness, disability,
// old age or a person needing care, naming no service, is never declined
// as out of scope, whatever else it says (a word the catalogue lacks, a
// health word, a word that can be abuse): it is answered or asked about
// with the items for care. What no service is (a holiday, another
// person's records, another city) is still declined beside such a story.
func TestCareStoryNeverDeclined(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	// care support, the disability certificate, home care, aids, a
	// child's rehabilitation, home adaptation
	care := []string{"FT-050", "FT-048", "FT-035", "FT-051", "FT-053", "FT-039", "FT-040", "FT-036"}
	for _, c := range []struct {
		style, msg string
		decline    bool
	}{
		{"plain", "家里老人痴呆了 晚上到处走 一刻离不开人", false},
		{"plain", "我妹妹智力有问题 出门都要人陪 以后怎么办", false},
		{"Cantonese", "我个仔有智障 日日要人睇住 我冇得返工", false},
		{"voice", "医生说我妈以后都要坐轮椅了 生活要人照顾", false},
		{"voice", "呃 我老婆 她 精神病 时好时坏 家里离不开人", false},
		{"Cantonese", "屋企阿爷九十几 瞓喺床度 成日要人喂饭", false},
		{"voice", "呃 那个 我奶奶 她 老糊涂了 经常找不到家", false},
		{"plain", "家里有个植物人 已经三年了 钱都花光了", false},
		{"near miss: a holiday", "我妈七十多了 想报个旅游团 哪家便宜", true},
		{"near miss: someone else's records", "我爸瘫痪在床 帮我查下隔壁老王有没有领低保", true},
		{"near miss: another city", "我爸中风了 在上海住院 上海的医疗救助怎么申请", true},
		{"near miss: medical advice", "我妈糖尿病好多年了 医生说要控制 平时吃什么比较好", true},
		{"near miss: medical advice, voice", "呃 我爸 那个 肾不好 医生说 嗯 要忌口 平时注意啥", true},
		{"near miss: medical advice, Cantonese", "阿妈有痛风 医生话唔食得海鲜 仲有咩要注意", true},
	} {
		r, got := answerOrChoices(t, as, c.msg, 0)
		if c.decline {
			if r.Status != assistant.OutOfScope {
				t.Errorf("%s: %q → %s, want declined", c.style, c.msg, r.Status)
			}
			continue
		}
		if !slices.ContainsFunc(got, func(id string) bool { return slices.Contains(care, id) }) {
			t.Errorf("%s: %q → %s %v, want an answer or choices among %v", c.style, c.msg, r.Status, got, care)
		}
	}
}

// answerOrChoices asks msg alone and returns the reply with what it
// offers: the item answered, or the items asked about (the first n, or
// all when n is 0).
func answerOrChoices(t *testing.T, as *assistant.Assistant, msg string, n int) (assistant.Reply, []string) {
	t.Helper()
	r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
	if err != nil {
		t.Fatal(err)
	}
	switch r.Status {
	case assistant.Answered:
		if len(r.Citations) > 0 {
			return r, []string{r.Citations[0].ID}
		}
	case assistant.Clarify:
		if n > 0 {
			return r, r.Candidates[:min(n, len(r.Candidates))]
		}
		return r, r.Candidates
	}
	return r, nil
}
