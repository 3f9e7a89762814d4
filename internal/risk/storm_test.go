package risk

import (
	"math"
	"strings"
	"testing"
)

func TestIntensityAndPeriodInvert(t *testing.T) {
	t.Parallel()
	f := ExampleShenzhen
	// Hand computation: 1450·(1+0.594·lg 1)/(60+11.13)^0.555.
	want := 1450 / math.Pow(71.13, 0.555)
	if got := f.Intensity(1, 60); math.Abs(got-want) > 1e-9 {
		t.Fatalf("q(1, 60) = %v, want %v", got, want)
	}
	for _, tc := range []struct{ p, t float64 }{{0.5, 5}, {1, 10}, {3, 15}, {5, 30}, {20, 60}, {50, 120}, {100, 180}} {
		q := f.Intensity(tc.p, tc.t)
		if got := f.Period(q, tc.t); math.Abs(got-tc.p)/tc.p > 1e-9 {
			t.Errorf("Period(Intensity(%v, %v)) = %v", tc.p, tc.t, got)
		}
	}
	if f.Period(0, 60) != 0 || f.Period(1e9, 5) != MaxPeriod {
		t.Error("no rain must be period 0 and absurd rain capped at MaxPeriod")
	}
	// A longer storm of the same period carries more water.
	if !(f.Depth(10, 120) > f.Depth(10, 60)) {
		t.Error("depth must grow with duration")
	}
}

func TestValidateStormFormula(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    StormFormula
		ok   bool
	}{
		{"example", ExampleShenzhen, true},
		{"zero A1", StormFormula{A1: 0, C: 0.5, B: 10, N: 0.6}, false},
		{"NaN C", StormFormula{A1: 1000, C: math.NaN(), B: 10, N: 0.6}, false},
		{"negative b", StormFormula{A1: 1000, C: 0.5, B: -1, N: 0.6}, false},
		{"n too large", StormFormula{A1: 1000, C: 0.5, B: 10, N: 3}, false},
	} {
		if err := tc.f.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

// The Chicago hyetograph holds, for each duration, a window whose mean
// intensity is the formula's: the worst rolling window of every length
// comes out at the design period.
func TestChicagoStormReproducesPeriod(t *testing.T) {
	t.Parallel()
	f := ExampleShenzhen
	for _, p := range []float64{2, 10, 50} {
		storm := f.ChicagoStorm(p, 180, 0.4)
		total := 0.0
		for _, v := range storm {
			total += v
		}
		if math.Abs(total-f.Depth(p, 180)) > 0.01 {
			t.Errorf("P=%v: total %.2f mm, formula %.2f mm", p, total, f.Depth(p, 180))
		}
		best := map[int]float64{}
		for end := 1; end <= len(storm); end++ {
			ws, _ := f.RainWindows(storm[:end])
			for _, w := range ws {
				best[w.Minutes] = math.Max(best[w.Minutes], w.Period)
			}
		}
		for _, w := range []int{5, 15, 30, 60, 120} {
			// Minute bins smear the peak a little: within 10 %.
			if got := best[w]; math.Abs(got-p)/p > 0.10 {
				t.Errorf("P=%v: worst %d-minute window has period %.2f", p, w, got)
			}
		}
	}
}

func TestRainWindowsShortSeries(t *testing.T) {
	t.Parallel()
	ws, worst := ExampleShenzhen.RainWindows([]float64{1, 1, -3, 1})
	if len(ws) != len(Windows) {
		t.Fatalf("%d windows", len(ws))
	}
	if ws[0].DepthMM != 3 || ws[len(ws)-1].DepthMM != 3 {
		t.Errorf("negative minutes must be ignored and short series counted whole: %+v", ws)
	}
	if worst.Minutes != 5 {
		t.Errorf("worst window %d minutes, want 5 (the most intense)", worst.Minutes)
	}
}

func TestLoadModel(t *testing.T) {
	t.Parallel()
	m, err := LoadModel(strings.NewReader(`{"storm": {"name": "测试", "a1": 1200, "c": 0.6, "b": 8, "n": 0.6, "official": true, "source": "测试"}, "river_warn_m": 1.2}`))
	if err != nil || m.Storm.A1 != 1200 || !m.Storm.Official || m.RiverWarn != 1.2 || m.RiverFull != DefaultModel().RiverFull {
		t.Fatalf("%+v %v", m, err)
	}
	for _, bad := range []string{`{"storm": {"a1": 0, "c": 0.6, "b": 8, "n": 0.6}}`, `{"river_warn": 1}`, `{"river_warn_m": 3}`, `not json`} {
		if _, err := LoadModel(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
