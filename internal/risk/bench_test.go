package risk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// benchDistrict is a district of 100 communities and 2,000 grid cells
// (20 each) read by 1,000 live sensors: 600 rain gauges and 400
// water-level gauges, every rain gauge with three hours of minute rain
// (a storm), every level gauge a depth and a rise. Synthetic.
func benchDistrict() ([]Area, []Area, Observations) {
	rng := rand.New(rand.NewPCG(15, 1000))
	obs := Observations{Rain: map[string][]float64{}, Depth: map[string]Depth{}, River: map[string]float64{RiverGauge: 2.1},
		Forecasts: map[string][]Forecast{"": {{Hours: 1, RainMM: 40}, {Hours: 3, RainMM: 90}}}}
	storm := ExampleShenzhen.ChicagoStorm(20, History, 0.4)
	for g := range 600 {
		s := make([]float64, History)
		k := 0.3 + rng.Float64()
		for m := range s {
			s[m] = storm[m] * k
		}
		obs.Rain[fmt.Sprintf("RG%03d", g)] = s
	}
	for g := range 400 {
		obs.Depth[fmt.Sprintf("WL%03d", g)] = Depth{Gauge: fmt.Sprintf("WL%03d", g), Depth: rng.Float64() * 0.3, RisePer10: rng.Float64() * 0.05}
	}
	var cs, gs []Area
	for c := range 100 {
		a := Area{ID: fmt.Sprintf("C%03d", c), Name: fmt.Sprintf("社区%03d", c), AreaHm2: 40 + rng.Float64()*120, Impervious: 0.5 + rng.Float64()*0.45,
			DesignPeriod: []float64{1, 2, 3, 5}[rng.IntN(4)], TideInfluence: math.Round(rng.Float64()*50) / 100, RiverGauge: RiverGauge,
			Garages: rng.IntN(9), Underpasses: rng.IntN(3), Pumps: rng.IntN(2), ElderlyAlone: rng.IntN(60), GroundFloor: rng.IntN(100),
			PondingPoints: []PondingPoint{{ID: fmt.Sprintf("C%03d-P1", c), Name: "易涝点", MaxDepth: rng.Float64() * 0.5}}}
		for k := range 6 {
			a.RainGauges = append(a.RainGauges, fmt.Sprintf("RG%03d", (c*6+k)%600))
		}
		for k := range 4 {
			a.LevelGauges = append(a.LevelGauges, fmt.Sprintf("WL%03d", (c*4+k)%400))
		}
		cs = append(cs, a)
		for g := range 20 {
			x := a
			x.ID, x.Community, x.AreaHm2 = fmt.Sprintf("%s-G%02d", a.ID, g), a.ID, a.AreaHm2/20
			x.RainGauges = []string{a.RainGauges[g%6]}
			x.LevelGauges = []string{a.LevelGauges[g%4]}
			gs = append(gs, x)
		}
	}
	return cs, gs, obs
}

// BenchmarkAssessCycle is one full re-assessment: 100 communities and
// 2,000 grid cells on 1,000 sensors' readings (the model's work; reading
// the readings from the database is not included). Run with
//
//	go test -run '^$' -bench BenchmarkAssessCycle -benchtime 20x -cpu 1 ./internal/risk
func BenchmarkAssessCycle(b *testing.B) {
	cs, gs, obs := benchDistrict()
	m := DefaultModel()
	b.ResetTimer()
	for b.Loop() {
		out := m.AssessAll(cs, obs)
		out = append(out, m.AssessAll(gs, obs)...)
		if len(out) != 2100 {
			b.Fatal(len(out))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/cycle")
}
