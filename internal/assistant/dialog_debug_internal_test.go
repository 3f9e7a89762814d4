package assistant

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDebugDialog prints how each turn of FUWU_DIALOG (turns one per
// line) is read in one conversation: the state it starts from, the hits
// and the decision.
func TestDebugDialog(t *testing.T) {
	qs := os.Getenv("FUWU_DIALOG")
	if qs == "" {
		t.Skip("set FUWU_DIALOG")
	}
	ix := debugIndex(t)
	as, err := New(Config{Index: ix, Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id := NewConversationID()
	for _, msg := range strings.Split(qs, "\n") {
		if strings.TrimSpace(msg) == "" {
			continue
		}
		st, _, _ := as.cfg.States.Load(ctx, id)
		in, _ := as.guardInput(msg)
		ts := &turnState{in: in, state: st}
		as.resolve(ctx, ts)
		fmt.Printf("== %s  [state item=%s cands=%v guess=%v topic=%q]\n norm=%q content=%q aspect=%s\n", msg, st.Item, st.Candidates, st.Guess, st.Topic, ts.in.norm, ts.content, ts.aspect)
		q := ix.Analyse(ts.content)
		var ws []string
		for _, w := range q.Words {
			ws = append(ws, fmt.Sprintf("%s(%v<%s)", w.Text, w.Source, w.From))
		}
		fmt.Printf(" qwords=%s\n", strings.Join(ws, " "))
		var sal []string
		for _, w := range as.a.Words(ts.content) {
			sal = append(sal, fmt.Sprintf("%s:%.1f", w, as.salience(w)))
		}
		fmt.Printf(" salience=%s shift=%v\n", strings.Join(sal, " "), as.shiftsThread(ts.in.norm))
		if cur, ok := ix.Item(st.Item); ok {
			fmt.Printf(" current explains %.2f\n", as.itemExplains(cur, ts.content, q))
		}
		for i, h := range ts.hits {
			if i == 6 {
				break
			}
			fmt.Printf("  %s %-24s score=%.2f cov=%.2f name=%q\n", h.ID, h.Name, h.Score, h.Coverage, h.NameTerms)
		}
		r, err := as.Ask(ctx, Request{ConversationID: id, NewConversation: true, Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		var cites []string
		for _, c := range r.Citations {
			cites = append(cites, c.ID)
		}
		fmt.Printf(" -> %s %v aspect=%s reason=%s cands=%v\n", r.Status, cites, r.Aspect, ts.reason, r.Candidates)
	}
}
