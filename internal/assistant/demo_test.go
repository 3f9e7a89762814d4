package assistant_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// mapHalls serves halls from memory.
type mapHalls map[string]kb.Hall

func (m mapHalls) Hall(_ context.Context, id string) (kb.Hall, bool) {
	h, ok := m[id]
	return h, ok
}

func readJSONL[T any](t testing.TB, name string) []T {
	t.Helper()
	f, err := data.KB().Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func demoConfig(t testing.TB) assistant.Config {
	t.Helper()
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace(readJSONL[kb.Item](t, "items.jsonl"))
	halls := mapHalls{}
	for _, h := range readJSONL[kb.Hall](t, "halls.jsonl") {
		halls[h.ID] = h
	}
	return assistant.Config{Index: ix, Halls: halls} // masks with privacy.Mask
}

func demoAssistant(t testing.TB, mod func(*assistant.Config)) *assistant.Assistant {
	t.Helper()
	cfg := demoConfig(t)
	if mod != nil {
		mod(&cfg)
	}
	as, err := assistant.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func devCases(t testing.TB) []assistant.EvalCase {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "data", "eval", "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := assistant.ReadEvalCases(f, "dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestEvalDev(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	m, misses, err := assistant.Evaluate(context.Background(), as, devCases(t))
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		for _, x := range misses {
			t.Logf("miss %s %q want %s got %s", x.Case, x.Q, x.Want, x.Got)
		}
	}
	b, _ := json.Marshal(m)
	t.Logf("dev metrics: %s", b)
	for _, c := range []struct {
		name      string
		got, want float64
		atMost    bool
	}{
		{"item_top1", m.ItemTop1, 0.92, false},
		{"item_recall5", m.ItemRecall5, 0.98, false},
		{"aspect_acc", m.AspectAcc, 0.92, false},
		{"oos_recall", m.OOSRecall, 0.90, false},
		{"oos_false", m.OOSFalse, 0.03, true},
		{"clarify_recall", m.ClarifyRecall, 0.70, false},
	} {
		if (!c.atMost && c.got < c.want) || (c.atMost && c.got > c.want) {
			t.Errorf("%s = %.3f, want %s %.2f", c.name, c.got, map[bool]string{false: "≥", true: "≤"}[c.atMost], c.want)
		}
	}
}

// TestEvalFresh runs dialogues written apart from the development set to
// watch for over-fitting: fresh.jsonl (by the team, after the method was
// built) and probes.jsonl (five probe sets of resident questions written
// later, one at a time; each found lexicon and method gaps that were then
// fixed in general form, so only the last was measured untouched). It
// reports; it gates only on gross regressions.
func TestEvalFresh(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"fresh.jsonl", "probes.jsonl"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cases, err := assistant.ReadEvalCases(f, name)
			if err != nil {
				t.Fatal(err)
			}
			m, misses, err := assistant.Evaluate(context.Background(), demoAssistant(t, nil), cases)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range misses {
				t.Logf("miss %s %q want %s got %s", x.Case, x.Q, x.Want, x.Got)
			}
			b, _ := json.Marshal(m)
			t.Logf("%s metrics: %s", name, b)
			if m.ItemTop1 < 0.85 || m.OOSFalse > 0.1 {
				t.Errorf("%s: item_top1 %.2f, oos_false %.2f", name, m.ItemTop1, m.OOSFalse)
			}
		})
	}
}
