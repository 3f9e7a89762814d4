package risk

import (
	"strings"
	"testing"
)

var testArea = Area{ID: "C01", Name: "测试社区", Street: "福保街道", AreaHm2: 50, Impervious: 0.8, DesignPeriod: 3,
	TideInfluence: 0.6, Garages: 4, Underpasses: 1, Pumps: 1, ElderlyAlone: 12, GroundFloor: 30,
	PondingPoints: []PondingPoint{{ID: "P1", Name: "某路口", MaxDepth: 0.4, Date: "2023-09-07", Cause: "管网排水能力不足"}}}

var bareArea = Area{ID: "C02", Name: "无承灾体社区", AreaHm2: 20, Impervious: 0.5, DesignPeriod: 5}

func steady(mmPerMin float64, minutes int) []float64 {
	out := make([]float64, minutes)
	for i := range out {
		out[i] = mmPerMin
	}
	return out
}

func TestAssessTable(t *testing.T) {
	t.Parallel()
	m := DefaultModel()
	storm := m.Storm.ChicagoStorm(20, 180, 0.4)
	cases := []struct {
		name    string
		area    Area
		in      Inputs
		level   Level
		top     string // the factor with the largest share
		floor   bool
		lowConf bool
	}{
		{"dry", testArea, Inputs{Rain: steady(0, 60), RainGauges: 2, RainExpected: 2}, None, "", false, false},
		{"drizzle", testArea, Inputs{Rain: steady(0.05, 60), RainGauges: 2, RainExpected: 2}, None, "rain", false, false},
		{"design storm at its peak", testArea, Inputs{Rain: storm[:80], RainGauges: 2, RainExpected: 2}, Red, "rain", false, false},
		{"ponding beyond a lane", bareArea, Inputs{Depths: []Depth{{"WL1", 0.16, 0}}, LevelGauges: 1, LevelExpected: 1}, Orange, "depth", true, false},
		{"deep ponding", testArea, Inputs{Depths: []Depth{{"WL1", 0.35, 0}}, LevelGauges: 1, LevelExpected: 2}, Red, "depth", false, false},
		{"one of three gauges", testArea, Inputs{Rain: steady(2, 30), RainGauges: 1, RainExpected: 3}, Red, "rain", false, true},
		{"forecast only", testArea, Inputs{Forecasts: []Forecast{{1, 5}, {3, 120}, {6, 150}}}, Blue, "forecast", false, true},
	}
	for _, tc := range cases {
		got := m.Assess(tc.area, tc.in)
		if got.Level != tc.level {
			t.Errorf("%s: level %s (score %.1f, factors %+v), want %s", tc.name, got.Level, got.Score, got.Factors, tc.level)
		}
		if tc.top != "" && (len(got.Factors) == 0 || got.Factors[0].Key != tc.top) {
			t.Errorf("%s: top factor %+v, want %s", tc.name, got.Factors, tc.top)
		}
		if (got.Floor != "") != tc.floor {
			t.Errorf("%s: floor %q", tc.name, got.Floor)
		}
		if got.LowConfidence != tc.lowConf {
			t.Errorf("%s: low confidence %v (%s)", tc.name, got.LowConfidence, got.Confidence)
		}
		var share float64
		for _, f := range got.Factors {
			share += f.Share
		}
		if len(got.Factors) > 0 && (share < 0.97 || share > 1.03) {
			t.Errorf("%s: shares add to %.2f", tc.name, share)
		}
	}
}

// A high tide adds a factor of its own and never lowers the level.
func TestTideRaisesRisk(t *testing.T) {
	t.Parallel()
	m := DefaultModel()
	in := Inputs{Rain: steady(0.9, 30), RainGauges: 1, RainExpected: 1}
	low := m.Assess(testArea, in)
	in.River, in.RiverKnown = 2.4, true
	high := m.Assess(testArea, in)
	if !(high.Score > low.Score) || high.Level < low.Level {
		t.Fatalf("tide: score %.1f→%.1f level %s→%s", low.Score, high.Score, low.Level, high.Level)
	}
	found := false
	for _, f := range high.Factors {
		found = found || f.Key == "tide"
	}
	if !found || high.Blocked <= 0 {
		t.Errorf("no tide factor: %+v", high.Factors)
	}
	inland := testArea
	inland.TideInfluence = 0
	if got := m.Assess(inland, in); got.Score != low.Score {
		t.Errorf("an area the tide does not reach: %.1f, want %.1f", got.Score, low.Score)
	}
}

func TestChecklistIsCumulativeAndFitsTheArea(t *testing.T) {
	t.Parallel()
	red := ChecklistFor(testArea, Red)
	blue := ChecklistFor(testArea, Blue)
	if len(red) <= len(blue) || len(ChecklistFor(testArea, None)) != 0 {
		t.Fatalf("blue %d items, red %d", len(blue), len(red))
	}
	bare := Area{ID: "X", Name: "无车库社区"}
	for _, a := range ChecklistFor(bare, Red) {
		if strings.Contains(a.Text, "车库") || strings.Contains(a.Text, "泵站") {
			t.Errorf("area without garages or pumps got %q", a.Text)
		}
	}
	cited := false
	for _, a := range red {
		cited = cited || strings.Contains(a.Basis, "突发事件应对法")
	}
	if !cited {
		t.Error("transfer must cite the Emergency Response Law")
	}
}

func TestAreaValidate(t *testing.T) {
	t.Parallel()
	bad := []Area{
		{ID: "", Name: "x", AreaHm2: 1, DesignPeriod: 3},
		{ID: "a", Name: "", AreaHm2: 1, DesignPeriod: 3},
		{ID: "a", Name: "x", AreaHm2: 0, DesignPeriod: 3},
		{ID: "a", Name: "x", AreaHm2: 1, Impervious: 1.5, DesignPeriod: 3},
		{ID: "a", Name: "x", AreaHm2: 1, DesignPeriod: 0},
		{ID: "a", Name: "x", AreaHm2: 1, DesignPeriod: 3, TideInfluence: -1},
		{ID: "a", Name: "x", AreaHm2: 1, DesignPeriod: 3, Garages: -1},
	}
	for i, a := range bad {
		if err := a.Validate(); err == nil {
			t.Errorf("case %d accepted: %+v", i, a)
		}
	}
	if err := testArea.Validate(); err != nil {
		t.Error(err)
	}
}

func TestAssessGolden(t *testing.T) {
	t.Parallel()
	m := DefaultModel()
	storm := m.Storm.ChicagoStorm(20, 180, 0.4)
	in := Inputs{Rain: storm[:75], RainGauges: 2, RainExpected: 3, LevelGauges: 1, LevelExpected: 1,
		Depths: []Depth{{"FT-WL-01", 0.12, 0.04}}, River: 2.0, RiverKnown: true, Forecasts: []Forecast{{1, 30}, {3, 60}}}
	golden(t, "assess.golden.json", m.Assess(testArea, in))
}
