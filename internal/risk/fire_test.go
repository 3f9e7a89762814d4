package risk

import (
	"math"
	"testing"
)

func TestWeighKnownMatrices(t *testing.T) {
	t.Parallel()
	// A perfectly consistent matrix (weights 4:2:1) has λmax = n, CR = 0.
	res, err := Weigh(3, [][]float64{{2, 4}, {2}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{4.0 / 7, 2.0 / 7, 1.0 / 7} {
		if math.Abs(res.Weights[i]-want) > 1e-9 {
			t.Errorf("w[%d] = %v, want %v", i, res.Weights[i], want)
		}
	}
	if math.Abs(res.Lambda-3) > 1e-9 || math.Abs(res.CR) > 1e-9 {
		t.Errorf("λ %v CR %v", res.Lambda, res.CR)
	}
	// Saaty's textbook inconsistency: A > B, B > C, C > A.
	if _, err := Weigh(3, [][]float64{{5, 1.0 / 5}, {5}}); err == nil {
		t.Error("circular judgments accepted")
	}
	for _, bad := range [][][]float64{{{2}}, {{2, 30}, {2}}, {{2, 4}, {2, 3}}} {
		if _, err := Weigh(3, bad); err == nil {
			t.Errorf("malformed judgments accepted: %v", bad)
		}
	}
}

func TestFireJudgmentsConsistent(t *testing.T) {
	t.Parallel()
	m := DefaultFireModel()
	if m.AHP.CR >= MaxCR || len(m.AHP.Weights) != len(FireIndicators) {
		t.Fatalf("AHP %+v", m.AHP)
	}
	var sum float64
	for i, w := range m.AHP.Weights {
		sum += w
		if i > 0 && w > m.AHP.Weights[i-1]+1e-9 {
			t.Errorf("weight %d (%v) above the more important %d (%v)", i, w, i-1, m.AHP.Weights[i-1])
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %v", sum)
	}
	golden(t, "fire-ahp.golden.json", m.AHP)
}

func TestFireScoreExplains(t *testing.T) {
	t.Parallel()
	m := DefaultFireModel()
	all := map[string]float64{}
	for _, f := range FireIndicators {
		all[f.Key] = f.Hi
	}
	cases := []struct {
		name    string
		c       FireCommunity
		w       Weather
		index   float64
		level   Level
		top     string
		missing int
	}{
		{"nothing", FireCommunity{ID: "A", Values: map[string]float64{"old_dense": 0, "ebike": 0, "small_venues": 0, "open_findings": 0,
			"past_incidents": 0, "elderly_alone": 0, "station_time": 4, "hydrant": 0, "smoke_alarms": 0}}, Weather{}, 0, None, "", 0},
		{"everything saturated", FireCommunity{ID: "B", Values: all}, Weather{}, 100, Red, "old_dense", 0},
		{"alarms raise at once", FireCommunity{ID: "C", Values: map[string]float64{"ebike": 5}, Alarms: 2}, Weather{}, -1, Yellow, "alarms", 8},
		{"dry windy holiday", FireCommunity{ID: "D", Values: map[string]float64{"old_dense": 30}}, Weather{Humidity: 30, Wind: 10, Temp: 38, Holiday: true, Known: true}, -1, None, "old_dense", 8},
	}
	for _, tc := range cases {
		s := m.Score(tc.c, tc.w)
		if tc.index >= 0 && math.Abs(s.Index-tc.index) > 0.01 {
			t.Errorf("%s: index %v, want %v", tc.name, s.Index, tc.index)
		}
		if s.Level != tc.level && tc.level != None {
			t.Errorf("%s: level %s, want %s (index %v)", tc.name, s.Level, tc.level, s.Index)
		}
		if tc.top != "" && (len(s.Factors) == 0 || s.Factors[0].Key != tc.top) {
			t.Errorf("%s: factors %+v", tc.name, s.Factors)
		}
		if len(s.Missing) != tc.missing {
			t.Errorf("%s: missing %v", tc.name, s.Missing)
		}
		var pts, share float64
		for _, f := range s.Factors {
			pts += f.Points
			share += f.Share
		}
		if math.Abs(pts-s.Index) > 0.1 || (len(s.Factors) > 0 && math.Abs(share-1) > 0.03) {
			t.Errorf("%s: contributions %v (shares %v) do not add up to the index %v", tc.name, pts, share, s.Index)
		}
	}
	// The weather raises the same community's index.
	c := FireCommunity{ID: "E", Values: map[string]float64{"old_dense": 40, "ebike": 6}}
	if dry, wet := m.Score(c, Weather{Humidity: 25, Known: true}), m.Score(c, Weather{Humidity: 85, Known: true}); !(dry.Index > wet.Index) {
		t.Errorf("dry %v ≤ humid %v", dry.Index, wet.Index)
	}
}

func TestAUC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    []float64
		p    []bool
		want float64
	}{
		{[]float64{4, 3, 2, 1}, []bool{true, true, false, false}, 1},
		{[]float64{4, 3, 2, 1}, []bool{false, false, true, true}, 0},
		{[]float64{1, 1, 1, 1}, []bool{true, false, true, false}, 0.5},
		{[]float64{4, 3, 2, 1}, []bool{true, false, true, false}, 0.75},
	} {
		if got := AUC(tc.s, tc.p); got != tc.want {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.s, tc.p, got, tc.want)
		}
	}
	if !math.IsNaN(AUC([]float64{1}, []bool{true})) {
		t.Error("AUC of one class must be NaN")
	}
}

// The demo's ranking against its synthetic month of fires: pinned in a
// golden file (and reported in docs/risk.md).
func TestFireValidationOnSyntheticFires(t *testing.T) {
	t.Parallel()
	cs, _ := DemoAreas()
	fc := DemoFire(cs)
	m := DefaultFireModel()
	ranked := m.Rank(fc, Weather{})
	v := Validate(ranked, SyntheticFires(fc), true)
	if v.WithFire == 0 || v.WithFire == len(fc) || !v.Synthetic {
		t.Fatalf("validation %+v", v)
	}
	if !(v.AUC > 0.5) {
		t.Errorf("AUC %v: the index ranks no better than chance on its own demo", v.AUC)
	}
	golden(t, "fire-validation.golden.json", v)
	tasks := m.FireTasks(ranked, 4)
	if len(tasks) == 0 || tasks[0].Community != ranked[0].ID {
		t.Errorf("tasks %+v", tasks)
	}
}
