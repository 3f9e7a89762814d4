package assistant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// FuzzAsk plays two turns of one conversation through the demo assistant
// with arbitrary text: no input may panic it (a parameter sweep once found
// a message that sliced out of range), and every reply must be one a
// resident can read: a status and an answer, and an answer's
// citation an item of the catalogue.
func FuzzAsk(f *testing.F) {
	for i, c := range devCases(f) {
		if i%8 != 0 {
			continue
		}
		second := ""
		if len(c.Turns) > 1 {
			second = c.Turns[1].Q
		}
		f.Add(c.Turns[0].Q, second)
	}
	for _, s := range [][2]string{
		{"", ""},
		{"网上 能办吗", "？？"},
		{"老婆怀孕了 生育登记 网上几分钟能搞定吗", "要提供啥证明"},
		{"呃 那个 就是 喂 喂", "。。。"},
		{"sfz gjj sbk yb", "online apply paperwork"},
		{"\x00\xff\xfe", "\u202e反向"},
	} {
		f.Add(s[0], s[1])
	}
	as := demoAssistant(f, nil)
	f.Fuzz(func(t *testing.T, first, second string) {
		ctx := context.Background()
		conv := ""
		for _, msg := range []string{first, second} {
			rep, err := as.Ask(ctx, assistant.Request{ConversationID: conv, Message: msg, Channel: "eval"})
			if err != nil {
				// Refused input (empty, too long, not UTF-8) is an
				// error, not a reply.
				return
			}
			if rep.Status == "" {
				t.Fatalf("%q: reply without a status", msg)
			}
			if strings.TrimSpace(rep.Answer) == "" {
				t.Fatalf("%q: empty answer (status %s)", msg, rep.Status)
			}
			if rep.Status == assistant.Answered {
				for _, c := range rep.Citations {
					if !strings.HasPrefix(c.ID, "FT-") || c.Name == "" {
						t.Fatalf("%q: citation %+v is not a catalogue item", msg, c)
					}
				}
			}
			conv = rep.ConversationID
		}
	})
}
