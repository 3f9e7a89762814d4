package gongwen

import (
	"math"
	"os"
	"testing"
)

// The metric on a hand-made set whose figures are worked out by hand:
// 4 usable sentences, 3 with an error; the checker changes 3 sentences:
// one right (detected and corrected), one correct sentence (false alarm),
// one at the right position with the wrong character (detected, not
// corrected), and misses the fourth.
func TestScoreCSC(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/csc_small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, probs, err := ReadCSC(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 4 || len(probs) != 2 || probs[0].Line != 5 || probs[1].Line != 6 {
		t.Fatalf("pairs %d, problems %+v", len(pairs), probs)
	}
	preds := []string{"我们去学校", "今天天气很号", "他在家完了", "按装软件很难"}
	s := ScoreCSC(pairs, preds)
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("detection precision", s.Detection.Precision, 2.0/3)
	near("detection recall", s.Detection.Recall, 2.0/3)
	near("detection F1", s.Detection.F1, 2.0/3)
	near("correction precision", s.Correction.Precision, 1.0/3)
	near("correction recall", s.Correction.Recall, 1.0/3)
	near("correction F1", s.Correction.F1, 1.0/3)
	near("false positive rate", s.FalsePositiveRate, 1)
	near("accuracy", s.Accuracy, 1.0/4)
	if s.Sentences != 4 || s.WithErrors != 3 || s.Changed != 3 || s.FalseAlarms != 1 {
		t.Errorf("counts %+v", s)
	}
	// A perfect checker scores 1 everywhere.
	var gold []string
	for _, p := range pairs {
		gold = append(gold, p.Target)
	}
	p := ScoreCSC(pairs, gold)
	near("perfect correction F1", p.Correction.F1, 1)
	near("perfect FPR", p.FalsePositiveRate, 0)
}

func TestSpeller(t *testing.T) {
	t.Parallel()
	sp := DefaultSpeller()
	for in, want := range map[string]string{
		"请大家准时参加会义。":      "请大家准时参加会议。",
		"我们要按装新系统。":       "我们要安装新系统。",
		"这个问题需要认真研九。":     "这个问题需要认真研究。",
		"区政数局负责政务服务工作。":   "区政数局负责政务服务工作。",
		"深圳市福田区人民政府。":     "深圳市福田区人民政府。",
		"Hello, 世界 2024。": "Hello, 世界 2024。",
	} {
		if got, _ := sp.Correct(in); got != want {
			t.Errorf("Correct(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEvalCSCSIGHAN15 scores the speller on the public SIGHAN-15 test set
// (testdata/sighan15, simplified) end to end: the set is read, every
// sentence corrected, the standard sentence-level figures computed and
// checked for consistency. The floors are far below the figures in the
// README; they catch a broken speller or scorer, not a small regression.
func TestEvalCSCSIGHAN15(t *testing.T) {
	if testing.Short() {
		t.Skip("full SIGHAN-15 run (1,100 sentences) skipped with -short")
	}
	t.Parallel()
	f, err := os.Open("testdata/sighan15/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, probs, err := ReadCSC(f)
	if err != nil || len(probs) != 0 {
		t.Fatalf("read: %v %+v", err, probs)
	}
	s, preds := EvalCSC(DefaultSpeller(), pairs)
	t.Logf("SIGHAN-15: detection P %.3f R %.3f F1 %.3f; correction P %.3f R %.3f F1 %.3f; FPR %.3f",
		s.Detection.Precision, s.Detection.Recall, s.Detection.F1,
		s.Correction.Precision, s.Correction.Recall, s.Correction.F1, s.FalsePositiveRate)
	if s.Sentences != 1100 || s.WithErrors != 541 || len(preds) != 1100 {
		t.Fatalf("counts %+v", s)
	}
	// The figures follow from the counts the standard way.
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("detection precision", s.Detection.Precision, float64(s.Detection.TP)/float64(s.Changed))
	near("correction recall", s.Correction.Recall, float64(s.Correction.TP)/float64(s.WithErrors))
	near("false-positive rate", s.FalsePositiveRate, float64(s.FalseAlarms)/float64(s.Sentences-s.WithErrors))
	if s.Correction.TP > s.Detection.TP || s.CorrectCorrect < s.Correction.TP {
		t.Errorf("inconsistent counts %+v", s)
	}
	changed, falseAlarms := 0, 0
	for i, p := range pairs {
		if preds[i] != p.Source {
			changed++
			if p.Source == p.Target {
				falseAlarms++
			}
		}
	}
	if changed != s.Changed || falseAlarms != s.FalseAlarms {
		t.Errorf("changed %d/%d, false alarms %d/%d", changed, s.Changed, falseAlarms, s.FalseAlarms)
	}
	if s.Correction.F1 < 0.2 || s.Detection.F1 < 0.25 || s.FalsePositiveRate > 0.15 {
		t.Errorf("speller far below its recorded SIGHAN-15 figures: %+v", s)
	}
}

func BenchmarkSpeller(b *testing.B) {
	sp := DefaultSpeller()
	s := "区政数局创新建设政务服务智能助手，提供二十四小时的全量政务服务咨询解答。"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sp.Correct(s)
	}
}
