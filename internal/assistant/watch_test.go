package assistant_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestOverfittingWatch keeps the probe sets honest: each was scored once
// before anything was changed for it (testdata/watch.json), and no later
// change may leave it below that first contact, whatever it does for the
// development set. probes-talk-heldout.jsonl is only ever scored, never
// read for fixes, so it measures the method rather than the sentences.
func TestOverfittingWatch(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "watch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Sets map[string]assistant.Metrics `json:"sets"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Sets) == 0 {
		t.Fatal("watch.json names no probe set")
	}
	as := demoAssistant(t, nil)
	for name, first := range w.Sets {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		cases, err := assistant.ReadEvalCases(f, name)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := assistant.Evaluate(context.Background(), as, cases)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(m)
		t.Logf("%s: %s", name, b)
		for _, c := range []struct {
			metric    string
			got, base float64
			atMost    bool
		}{
			{"item_top1", m.ItemTop1, first.ItemTop1, false},
			{"aspect_acc", m.AspectAcc, first.AspectAcc, false},
			{"oos_recall", m.OOSRecall, first.OOSRecall, false},
			{"oos_false", m.OOSFalse, first.OOSFalse, true},
			{"clarify_recall", m.ClarifyRecall, first.ClarifyRecall, false},
		} {
			if (!c.atMost && c.got < c.base) || (c.atMost && c.got > c.base) {
				t.Errorf("%s: %s = %.4f, first contact was %.4f", name, c.metric, c.got, c.base)
			}
		}
	}
}

// TestCalibrate checks the precision/coverage curve: coverage cannot grow
// as the threshold rises, and at threshold 0 every answer counts.
func TestCalibrate(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "fresh.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := assistant.ReadEvalCases(f, "fresh.jsonl")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pts, err := assistant.Calibrate(context.Background(), demoAssistant(t, nil), cases, []float64{0, 0.5, 0.9, 1.01})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 {
		t.Fatalf("%d points, want 4", len(pts))
	}
	if pts[0].Coverage == 0 || pts[0].Precision == 0 {
		t.Errorf("threshold 0: %+v, want every answer counted", pts[0])
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].Coverage > pts[i-1].Coverage {
			t.Errorf("coverage rose from %+v to %+v", pts[i-1], pts[i])
		}
	}
	// Above 1 only answers that follow the conversation remain.
	if last := pts[3]; last.Coverage >= pts[0].Coverage {
		t.Errorf("threshold above 1 kept coverage %v", last.Coverage)
	}
}
