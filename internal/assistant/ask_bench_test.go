package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// BenchmarkAskDev is the assistant alone (no HTTP, no database: dialogue
// states in memory) answering dev's dialogues turn by turn, each in a
// conversation of its own. One op is one turn. Its 524 questions are
// distinct, unlike the load run's 19, so what a cache keyed by text
// would save is not counted in full. Compare builds with
// -benchtime 5000x -count 6 -cpu 1 and benchstat.
func BenchmarkAskDev(b *testing.B) {
	as := demoAssistant(b, nil)
	cases := devCases(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		for _, c := range cases {
			conv := ""
			for _, t := range c.Turns {
				if n == b.N {
					return
				}
				rep, err := as.Ask(ctx, assistant.Request{ConversationID: conv, Message: t.Q, Channel: "eval"})
				if err != nil {
					b.Fatal(err)
				}
				conv = rep.ConversationID
				n++
			}
		}
	}
}
