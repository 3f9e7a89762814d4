package assistant_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// BenchmarkAskDev is the assistant alone (no HTTP, no database: dialogue
// states in a plain map) answering dev's dialogues turn by turn, each in a
// conversation of its own. One op is one turn. Its 524 questions are
// distinct, unlike the load run's 19, so what a cache keyed by text
// would save is not counted in full. cpu-µs/turn is the process's CPU
// time (collector included), steadier than ns/op on a shared machine.
// Compare builds with -benchtime 5000x -count 6 -cpu 1 and benchstat.
func BenchmarkAskDev(b *testing.B) {
	as := demoAssistant(b, func(c *assistant.Config) { c.States = mapStates{} })
	cases := devCases(b)
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	defer func() {
		b.StopTimer()
		b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/turn")
	}()
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

// cpuTime is the user and system CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// mapStates keeps dialogue states in a map, at the cost of a map: the
// benchmark's tens of thousands of conversations are not the load
// MemoryState is for.
type mapStates map[string]assistant.State

func (m mapStates) Load(_ context.Context, id string) (assistant.State, bool, error) {
	s, ok := m[id]
	return s, ok, nil
}

func (m mapStates) Save(_ context.Context, id string, s assistant.State) error {
	m[id] = s
	return nil
}
