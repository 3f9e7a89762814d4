package risk

import (
	"math"
	"testing"
	"time"
)

func TestMinuteRainAndLevelNow(t *testing.T) {
	t.Parallel()
	now := t0
	five := 5 * time.Minute
	// 10 mm in the five minutes ending now, 5 mm in the five before.
	series, ok := MinuteRain([]Sample{{now.Add(-five), 5}, {now, 10}, {now.Add(time.Minute), 99}}, five, now)
	if !ok || len(series) != History {
		t.Fatalf("ok %v len %d", ok, len(series))
	}
	if series[History-1] != 2 || series[History-6] != 1 || series[History-11] != 0 {
		t.Errorf("spread %v", series[History-12:])
	}
	if _, ok := MinuteRain([]Sample{{now.Add(-time.Hour), 0}}, five, now); ok {
		t.Error("a gauge silent for an hour counted as reporting")
	}
	d, ok := LevelNow([]Sample{{now.Add(-10 * time.Minute), 0.05}, {now.Add(-5 * time.Minute), 0.08}, {now, 0.12}}, five, now)
	if !ok || d.Depth != 0.12 || math.Abs(d.RisePer10-0.07) > 1e-9 {
		t.Errorf("level %+v %v", d, ok)
	}
	if d, ok := LevelNow([]Sample{{now, -0.3}}, five, now); !ok || d.Depth != 0 {
		t.Errorf("dry point %+v", d)
	}
}

func TestInputsForAveragesReportingGauges(t *testing.T) {
	t.Parallel()
	a := Area{ID: "A", Community: "C", RainGauges: []string{"R1", "R2", "R3"}, LevelGauges: []string{"W1"}, RiverGauge: "RV"}
	obs := Observations{
		Rain:      map[string][]float64{"R1": {1, 2}, "R2": {3, 4}},
		Depth:     map[string]Depth{"W1": {Gauge: "W1", Depth: 0.1}},
		River:     map[string]float64{"RV": 2.1},
		Forecasts: map[string][]Forecast{"": {{1, 5}}, "C": {{1, 20}}},
	}
	in := InputsFor(a, obs)
	if in.RainGauges != 2 || in.RainExpected != 3 || in.Rain[0] != 2 || in.Rain[1] != 3 {
		t.Errorf("rain %+v", in)
	}
	if in.LevelGauges != 1 || !in.RiverKnown || in.River != 2.1 {
		t.Errorf("level/river %+v", in)
	}
	if len(in.Forecasts) != 1 || in.Forecasts[0].RainMM != 20 {
		t.Errorf("a grid cell takes its community's forecast: %+v", in.Forecasts)
	}
}
