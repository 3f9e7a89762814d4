package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestVagueRequestsAsk checks the kinds of vague request that deserve a
// question with choices rather than one guess (what there is after a life
// event, a shared name), and that near misses naming the item are still
// answered.
func TestVagueRequestsAsk(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, msg string
		status    assistant.Status
	}{
		{"asks what there is, after a life event", "老婆怀孕了 政府有什么补贴可以领", assistant.Clarify},
		{"asks what there is, help of any kind", "家里老人瘫痪在床好几年 有没有什么 能帮一把的", assistant.Clarify},
		{"asks what there is, after losing a job", "厂子倒闭了 我没工作了 国家有啥补助", assistant.Clarify},
		{"a group of people and a generic word", "残疾人的手续咋弄", assistant.Clarify},
		{"the wrapping words do not make it unknown", "我哥有残疾 国家有没有钱补", assistant.Clarify},
		{"what about a named item: its conditions", "办居住证有什么要求", assistant.Answered},
		{"what about a named item: its use", "工伤认定有啥用", assistant.Answered},
		{"a subsidy for a named situation", "高校毕业生去企业见习有没有补贴", assistant.Answered},
		// A card name several items' names hold alike, or two items named
		// outright alike, is asked back; a verb of getting it, the group, a
		// variant or a word of its own tells them apart.
		{"a card two items' names hold", "优待证", assistant.Clarify},
		{"the same card, asked how", "优待证咋整", assistant.Clarify},
		{"a card by its synonym, first issue or renewal", "残疾证", assistant.Clarify},
		{"the card and how it goes, not which", "残疾人证怎么弄", assistant.Clarify},
		{"near miss: the elders' card named", "老年人优待证怎么弄", assistant.Answered},
		{"near miss: getting the card, not renewing it", "想办居住证", assistant.Answered},
		{"near miss: the card's group said", "退役军人优待证怎么申领", assistant.Answered},
		{"near miss: a variant asked", "残疾证到期了怎么换", assistant.Answered},
		{"two items named alike", "社保转移咋弄", assistant.Clarify},
		{"near miss: one of them named", "医保关系转移", assistant.Answered},
		{"near miss: named alike, with a detail", "社保转移 我从老家过来 要转养老那块", assistant.Answered},
		// Only a group of people matched, several items alike (老人 in
		// 高龄老人津贴申领 and 独居老人紧急呼叫设备申领): the text's word
		// counts are no reason to pick one. A name or a cue tells.
		{"a group matched alike, voice", "嗯 就是那个 老人家 那个 政府给的那个 叫什么来着", assistant.Clarify},
		{"a group matched alike, Cantonese", "老人家屋企要装嘢 政府有冇补", assistant.Clarify},
		{"a group matched alike, plain", "给老人的那个 我忘了叫什么", assistant.Clarify},
		{"near miss: the item named", "老人家每个月的高龄津贴怎么领", assistant.Answered},
		{"near miss: the situation's cue", "阿婆一个人住 想装个一键呼叫", assistant.Answered},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != c.status {
			t.Errorf("%s: %q → %s, want %s (%s)", c.kind, c.msg, r.Status, c.status, r.Answer)
			continue
		}
		if c.status == assistant.Clarify && len(r.Candidates) < 2 {
			t.Errorf("%s: %q asks without choices: %v", c.kind, c.msg, r.Candidates)
		}
	}
}

// TestBareThingAsks checks that a message naming only a thing two items'
// names share, for everyone and for a group, is asked back; that saying
// more lets the general item win; and that an answer naming the group
// (through a synonym) picks the group's item.
func TestBareThingAsks(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	ctx := context.Background()
	r, err := as.Ask(ctx, assistant.Request{Message: "贴息的事"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != assistant.Clarify || len(r.Candidates) != 2 {
		t.Fatalf("贴息的事 → %s %v, want a question with two choices", r.Status, r.Candidates)
	}
	r2, err := as.Ask(ctx, assistant.Request{ConversationID: r.ConversationID, Message: "我以前是退伍的 开个小饭馆"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].Name != "退役军人创业贷款贴息" {
		t.Errorf("answer naming the group → %s %v, want 退役军人创业贷款贴息", r2.Status, r2.Citations)
	}
	r3, err := as.Ask(ctx, assistant.Request{Message: "创业贴息"})
	if err != nil {
		t.Fatal(err)
	}
	if r3.Status != assistant.Answered || len(r3.Citations) == 0 || r3.Citations[0].Name != "创业担保贷款贴息" {
		t.Errorf("创业贴息 → %s %v, want 创业担保贷款贴息", r3.Status, r3.Citations)
	}
}

// TestGenericFollowUpStays checks that a follow-up made only of generic
// words (丢了, 补办) stays on the item being discussed rather than
// jumping to whichever item those words match best.
func TestGenericFollowUpStays(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	ctx := context.Background()
	for _, c := range []struct{ first, next string }{
		{"不动产权证书在哪里办", "不见了"},
		{"老年人优待证怎么办", "掉了 要补办"},
	} {
		r, err := as.Ask(ctx, assistant.Request{Message: c.first})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Answered || len(r.Citations) == 0 {
			t.Fatalf("%q → %s, want an answer", c.first, r.Status)
		}
		want := r.Citations[0].ID
		r2, err := as.Ask(ctx, assistant.Request{ConversationID: r.ConversationID, Message: c.next})
		if err != nil {
			t.Fatal(err)
		}
		if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].ID != want {
			t.Errorf("%q after %q → %s %v, want %s", c.next, c.first, r2.Status, r2.Citations, want)
		}
	}
}

// TestDocumentOrItsReplacement checks that a bare document name, whose
// items are getting it and replacing it, is asked back; that asking to
// replace it (补) is answered with the replacement; and that an answer
// to the question saying it was lost picks the replacement.
func TestDocumentOrItsReplacement(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	ctx := context.Background()
	r, err := as.Ask(ctx, assistant.Request{Message: "结婚证咋整"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != assistant.Clarify || len(r.Candidates) < 2 {
		t.Fatalf("结婚证咋整 → %s %v, want a question with choices", r.Status, r.Candidates)
	}
	r2, err := as.Ask(ctx, assistant.Request{ConversationID: r.ConversationID, Message: "原来那本搬家时弄丢了"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].Name != "补领结婚证" {
		t.Errorf("the lost one → %s %v, want 补领结婚证", r2.Status, r2.Citations)
	}
	r3, err := as.Ask(ctx, assistant.Request{Message: "想补个结婚证"})
	if err != nil {
		t.Fatal(err)
	}
	if r3.Status != assistant.Answered || len(r3.Citations) == 0 || r3.Citations[0].Name != "补领结婚证" {
		t.Errorf("想补个结婚证 → %s %v, want 补领结婚证", r3.Status, r3.Citations)
	}
}

// TestOpenRequestAsks checks that a request for whatever can be done,
// naming nothing, is met with a question rather than a decline, and so
// is one asking which ways there are to a kind of thing (有哪些办法).
func TestOpenRequestAsks(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{"麻烦你帮我瞧瞧 我在这能办点啥", "我可以办什么", "户籍有哪些办法", "有哪些渠道"} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Clarify {
			t.Errorf("%q → %s, want a question (%s)", msg, r.Status, r.Answer)
		}
	}
}

// TestAnswerNamesTheVariant checks that an answer to a question between
// two variants of a thing (补领, 注销) saying the thing was lost picks the
// one named for it.
func TestAnswerNamesTheVariant(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	ctx := context.Background()
	r, err := as.Ask(ctx, assistant.Request{Message: "营业执照怎么弄"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != assistant.Clarify || len(r.Candidates) < 2 {
		t.Fatalf("营业执照怎么弄 → %s %v, want a question with choices", r.Status, r.Candidates)
	}
	r2, err := as.Ask(ctx, assistant.Request{ConversationID: r.ConversationID, Message: "搬店的时候弄丢了"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].Name != "营业执照补领" {
		t.Errorf("the lost one → %s %v, want 营业执照补领", r2.Status, r2.Citations)
	}
}

// TestAnswerMatchesTheGuide checks that an answer to a question between
// two replacements of a document picks the one whose guide speaks of
// what it says (过期: the renewal, whose conditions hold 有效期满).
func TestAnswerMatchesTheGuide(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	ctx := context.Background()
	r, err := as.Ask(ctx, assistant.Request{Message: "我的身份证"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != assistant.Clarify || len(r.Candidates) < 2 {
		t.Fatalf("我的身份证 → %s %v, want a question with choices", r.Status, r.Candidates)
	}
	r2, err := as.Ask(ctx, assistant.Request{ConversationID: r.ConversationID, Message: "是证过期了"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Status != assistant.Answered || len(r2.Citations) == 0 || r2.Citations[0].Name != "居民身份证换领" {
		t.Errorf("the expired one → %s %v, want 居民身份证换领", r2.Status, r2.Citations)
	}
}

// TestOnlyGenericWordsAsk checks that a message made only of generic
// words is asked back, not declined as naming something the catalogue
// lacks.
func TestOnlyGenericWordsAsk(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{"想问问办证", "办证那点事"} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Clarify {
			t.Errorf("%q → %s, want a question (%s)", msg, r.Status, r.Answer)
		}
	}
}
