package assistant

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDebugTrace prints how each message of FUWU_TRACE (one per line) is
// read: the rewritten text, its content words, the hits and the decision.
func TestDebugTrace(t *testing.T) {
	qs := os.Getenv("FUWU_TRACE")
	if qs == "" {
		t.Skip("set FUWU_TRACE")
	}
	ix := debugIndex(t)
	as, err := New(Config{Index: ix, Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range strings.Split(qs, "\n") {
		if strings.TrimSpace(msg) == "" {
			continue
		}
		in, _ := as.guardInput(msg)
		ts := &turnState{in: in}
		as.resolve(context.Background(), ts)
		fmt.Printf("== %s\n norm=%q content=%q aspect=%s\n", msg, ts.in.norm, ts.content, ts.aspect)
		fmt.Printf(" words=%q\n", as.a.Words(ts.content))
		q := ix.Analyse(ts.content)
		var ws []string
		for _, w := range q.Words {
			ws = append(ws, fmt.Sprintf("%s(%v<%s)", w.Text, w.Source, w.From))
		}
		fmt.Printf(" qwords=%s\n", strings.Join(ws, " "))
		share, unk := as.explained(ts.content, q, ts.raw)
		var sits []string
		for _, s := range ts.situations {
			sits = append(sits, s.name)
		}
		fmt.Printf(" explained=%.2f unknown=%s vague=%v rich=%d sits=%v\n", share, unk, as.isVague(ts.content), as.richness(ts.content), sits)
		for i, h := range ts.hits {
			if i == 6 {
				break
			}
			fmt.Printf("  %s %-24s score=%.2f cov=%.2f name=%q terms=%q\n", h.ID, h.Name, h.Score, h.Coverage, h.NameTerms, h.Terms)
		}
		id := ""
		if ts.item != nil {
			id = ts.item.ID
		}
		var cs []string
		for _, c := range ts.candidates {
			cs = append(cs, c.ID)
		}
		fmt.Printf(" -> %s %s scope=%s reason=%s cands=%v\n", ts.status, id, ts.scope, ts.reason, cs)
		if ts.sibling != "" {
			fmt.Printf(" sibling: %s\n", ts.sibling)
		}
	}
}
