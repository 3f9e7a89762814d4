package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestItemByKind checks, on made-up first messages, that the item a
// resident means is answered for each kind of wording fixed by method
// rather than by phrase.
func TestItemByKind(t *testing.T) {
	t.Parallel()
	var cases []decisionCase
	for _, c := range []struct {
		kind, msg, item string
	}{
		// A yes/no question about a document names the document; the
		// rest of the message names the item.
		{"document asked about is not the topic", "去长者饭堂要带身份证和长者卡吗", "FT-037"},
		{"document asked about is not the topic", "申请高龄津贴要带户口本吗", "FT-034"},
		// An aspect cue inside a catalogue word is part of the item's name.
		{"cue inside a catalogue word", "养老金的资格认证能在手机上做吗", "FT-018"},
		// A detail of getting a document (how long, where) without a word
		// of replacing it is about the basic item of its family, not its
		// 补发 nor an item outside the family.
		{"detail of the basic item", "出生医学证明大概要等几天", "FT-061"},
		{"detail of the basic item", "女儿刚满月 出生证明要多少钱", "FT-061"},
		// Everyday words for what the catalogue names (reviewed synonyms).
		{"years paid in two places", "在武汉交过四年 在深圳交了五年 年限可以合并吗", "FT-013"},
		{"treated elsewhere, paid oneself", "我爸在老家住院医保刷不了 全是自己掏的", "FT-020"},
		{"an assistive device", "想给残疾的儿子买个助行器 有补贴吗", "FT-051"},
		{"a birth not yet registered", "孩子生下来两个月了 户口还拖着没上", "FT-001"},
	} {
		cases = append(cases, decisionCase{msg: c.msg, status: assistant.Answered, item: c.item})
	}
	checkDecisions(t, cases)
}

// TestFollowUpThreadByKind checks, on made-up dialogues, which item a
// follow-up is about: binding someone stays on family sharing; a reply to
// "which one?" describing a situation takes the item the situation lists.
func TestFollowUpThreadByKind(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		first, then, item string
	}{
		// Binding someone (绑) is the family-sharing item being discussed,
		// whatever the person's marriage status.
		{"医保家庭共济怎么弄", "可以绑我男朋友吗 我们还没结婚", "FT-025"},
		// Asked which item, a resident describing the situation means the
		// close candidate it lists (opening a stall: 设立, not 注销).
		{"我要弄个执照", "我跟老婆两个人想在路口摆个水果摊", "FT-091"},
	} {
		r1, err := as.Ask(context.Background(), assistant.Request{Message: c.first})
		if err != nil {
			t.Fatal(err)
		}
		r, err := as.Ask(context.Background(), assistant.Request{ConversationID: r1.ConversationID, Message: c.then})
		if err != nil {
			t.Fatal(err)
		}
		got := firstCited(r)
		if r.Status != assistant.Answered || got != c.item {
			t.Errorf("%q → %q: %s %s, want %s", c.first, c.then, r.Status, got, c.item)
		}
	}
}
