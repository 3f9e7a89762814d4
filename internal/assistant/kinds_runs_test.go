package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestRunsOfSingleCharactersAsk checks that an everyday matter named by a
// word the dictionary lacks, which falls apart into single characters
// (月嫂 → 月 嫂, 遛狗 → 遛 狗), counts as what the question asks when it
// stands in the clause that asks: a story word matching an item (老婆 of
// 夫妻投靠入户) does not make it a service question. Such a word in the
// story, before a question naming an item, does not make it declined.
func TestRunsOfSingleCharactersAsk(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, msg string
		status    assistant.Status
		item      string
	}{
		{"plain", "老婆快生了 去哪里请月嫂好", assistant.OutOfScope, ""},
		{"voice", "呃 老婆 老婆快生了 那个 去哪里请月嫂啊", assistant.OutOfScope, ""},
		{"Cantonese", "老婆就嚟生 去边度揾月嫂好", assistant.OutOfScope, ""},
		{"plain, a neighbour's dog", "小区里有人遛狗不拴绳", assistant.OutOfScope, ""},
		{"near miss: the word in the story", "我开了间青旅 卫生许可证点样申请", assistant.Answered, "FT-103"},
		{"near miss: the trade in the story", "我们是做美甲的 卫生许可证怎么办", assistant.Answered, "FT-103"},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != c.status {
			t.Errorf("%s: %q → %s %v, want %s", c.kind, c.msg, r.Status, r.Citations, c.status)
			continue
		}
		if c.item != "" && (len(r.Citations) == 0 || r.Citations[0].ID != c.item) {
			t.Errorf("%s: %q → %v, want %s", c.kind, c.msg, r.Citations, c.item)
		}
	}
}
