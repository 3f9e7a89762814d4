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

func BenchmarkSpeller(b *testing.B) {
	sp := DefaultSpeller()
	s := "区政数局创新建设政务服务智能助手，提供二十四小时的全量政务服务咨询解答。"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sp.Correct(s)
	}
}
