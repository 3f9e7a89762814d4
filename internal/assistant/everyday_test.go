package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestEverydayInConversation checks that an everyday request (a recipe, a
// lawyer, savings, a baby's name, a neighbour quarrel) is declined when
// it comes in the middle of a conversation about an item, not taken as a
// follow-up of that item; that a real follow-up still is one; and that a
// recipe asked in a clause of its own is declined even when another
// clause names a life event the catalogue serves.
func TestEverydayInConversation(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind  string
		turns []string
		last  assistant.Status
	}{
		{"a lawyer after a work-injury question", []string{"工伤认定要交哪些材料", "公司拖着不给钱 我想请个律师打官司 一般收多少"}, assistant.OutOfScope},
		{"savings after a provident-fund question", []string{"公积金退休提取多久到账", "这笔钱拿去理财还是存款利息高"}, assistant.OutOfScope},
		{"a baby's name after a birth registration", []string{"新生儿入户要带什么", "顺便帮我给女儿取个好听的名字"}, assistant.OutOfScope},
		{"a neighbour quarrel after a lease registration", []string{"租赁合同登记备案在哪办", "隔壁天天装修扰民 吵得睡不着 你们管不管"}, assistant.OutOfScope},
		{"a real follow-up stays on the item", []string{"工伤认定要交哪些材料", "单位不盖章怎么办"}, assistant.Answered},
		{"a recipe in a clause of its own", []string{"坐月子喝什么汤好 鲫鱼豆腐怎么煲"}, assistant.OutOfScope},
	} {
		conv := ""
		var r assistant.Reply
		for _, q := range c.turns {
			var err error
			r, err = as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: q, NewConversation: conv == ""})
			if err != nil {
				t.Fatal(err)
			}
			conv = r.ConversationID
		}
		if r.Status != c.last {
			t.Errorf("%s: last turn → %s, want %s (%s)", c.kind, r.Status, c.last, r.Answer)
		}
		if c.last == assistant.OutOfScope && len(r.Citations) > 0 {
			t.Errorf("%s: a decline cites %v", c.kind, r.Citations)
		}
	}
}

// TestDominantItemOverCue checks that a message naming an item well, far
// above any other, is answered even though it passes a word of an
// everyday cue on the way (医生说).
func TestDominantItemOverCue(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{
		"我爸肾不好 医生说 可以申请那个特殊病种 医保那边在哪办",
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Answered {
			t.Errorf("%q → %s, want answered (%s)", msg, r.Status, r.Answer)
		}
	}
}
