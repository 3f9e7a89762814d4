package risk

import (
	"math"
	"math/rand/v2"
)

// DemoFire is the SYNTHETIC fire picture of the demo communities:
// invented indicator values, correlated the way they tend to be (old
// dense quarters have more small venues and indoor charging).
func DemoFire(communities []Area) []FireCommunity {
	rng := rand.New(rand.NewPCG(15, 119))
	out := make([]FireCommunity, len(communities))
	for i, a := range communities {
		old := math.Pow(rng.Float64(), 1.5) // most communities have few handshake buildings
		v := map[string]float64{
			"old_dense":      math.Round(old * 70),
			"ebike":          round2(old*8 + rng.Float64()*3),
			"small_venues":   round2(4 + old*14 + rng.Float64()*5),
			"open_findings":  round2(rng.Float64() * 8 * (0.5 + old)),
			"past_incidents": round2(rng.Float64() * 2 * (0.4 + old)),
			"elderly_alone":  round2(5 + rng.Float64()*25),
			"station_time":   round2(4 + rng.Float64()*9),
			"hydrant":        math.Round(rng.Float64() * 25),
			"smoke_alarms":   round2(rng.Float64() * 3),
		}
		out[i] = FireCommunity{ID: a.ID, Name: a.Name, Street: a.Street, Values: v, Synthetic: true}
	}
	return out
}

// SyntheticFires generates a SYNTHETIC month of fires per community for
// validating the index: each community's true rate follows its indicators
// with weights that are NOT the model's (the truth overweights indoor
// charging and small venues and ignores hydrants) and a random
// susceptibility, and fires are drawn from it. Deterministic.
func SyntheticFires(cs []FireCommunity) map[string]int {
	rng := rand.New(rand.NewPCG(15, 911))
	truth := map[string]float64{"old_dense": 0.2, "ebike": 0.3, "small_venues": 0.2, "open_findings": 0.1,
		"past_incidents": 0.05, "elderly_alone": 0.1, "station_time": 0.05}
	byKey := map[string]FireIndicator{}
	for _, f := range FireIndicators {
		byKey[f.Key] = f
	}
	out := map[string]int{}
	for _, c := range cs {
		var h float64
		for k, w := range truth {
			h += w * byKey[k].Norm(c.Values[k])
		}
		rate := 0.05 + 1.6*h*h*(0.6+0.8*rng.Float64()) // expected fires this month
		// Poisson draw by inversion.
		n, p, u := 0, math.Exp(-rate), rng.Float64()
		for cum := p; u > cum && n < 20; cum += p {
			n++
			p *= rate / float64(n)
		}
		if n > 0 {
			out[c.ID] = n
		}
	}
	return out
}
