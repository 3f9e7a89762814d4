package risk

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
)

// SynthStart is when the synthetic demo storm begins.
var SynthStart = time.Date(2026, 6, 10, 14, 0, 0, 0, Zone)

// Synthetic storm's shape: a Chicago hyetograph of SynthPeriod years over
// three hours, centred on the Shenzhen River side of Futian and moving
// north-east, after half an hour dry and followed by an hour of drainage.
const (
	SynthPeriod  = 30.0
	synthLead    = 30
	synthStorm   = 180
	synthTail    = 60
	synthAmplify = 9.0 // ponding depth at the low point per depth of excess over the area
)

// SyntheticStorm generates the SYNTHETIC demo storm and its incidents for
// the given communities: gauge readings from the storm formula (a
// Chicago storm of SynthPeriod years, scaled and delayed per rain gauge by
// its distance from the storm's centre), a tide curve on the river gauge,
// and the water at each community's level gauge. Incidents come from a
// different, simpler model than the one being tested — a bucket per
// community that fills with runoff above its drainage capacity (scaled by
// a hidden, random susceptibility and cut by the tide) — so a back-test is
// not the model scoring itself. Deterministic: the same formula and
// communities give the same files.
func SyntheticStorm(f StormFormula, communities []Area) ([]Event, []Incident) {
	rng := rand.New(rand.NewPCG(15, 30))
	core := f.ChicagoStorm(SynthPeriod, synthStorm, 0.4)
	total := synthLead + synthStorm + synthTail
	centreLon, centreLat := 114.030, 22.515
	type gauge struct {
		id       string
		lon, lat float64
	}
	var gauges []gauge
	for _, d := range sim.Demo().Devices {
		if d.Kind == citymon.RainGauge {
			gauges = append(gauges, gauge{d.ID, d.Lon, d.Lat})
		}
	}
	// Each gauge's true rain per minute.
	truth := map[string][]float64{}
	for _, g := range gauges {
		d := math.Hypot((g.lon-centreLon)*math.Cos(centreLat*math.Pi/180), g.lat-centreLat)
		scale := clamp(1.1-9*d, 0.3, 1.1)
		delay := int(math.Round(d * 250))
		s := make([]float64, total)
		for m := range s {
			if k := m - synthLead - delay; k >= 0 && k < synthStorm {
				s[m] = core[k] * scale
			}
		}
		truth[g.id] = s
	}
	var evs []Event
	at := func(m int) time.Time { return SynthStart.Add(time.Duration(m) * time.Minute) }
	for _, g := range gauges {
		for m := 5; m <= total; m += 5 {
			var sum float64
			for _, v := range truth[g.id][m-5 : m] {
				sum += v
			}
			evs = append(evs, Event{at(m), g.id, "rain", math.Round(sum*10) / 10})
		}
	}
	// The tide rises through the storm (high water near its peak).
	river := make([]float64, total+1)
	for m := range river {
		river[m] = 1.0 + 1.4*math.Sin(math.Pi*float64(m)/float64(total+60))
	}
	for m := 5; m <= total; m += 5 {
		evs = append(evs, Event{at(m), RiverGauge, "level", math.Round(river[m]*100) / 100})
	}
	m := DefaultModel()
	var incs []Incident
	for _, a := range communities {
		sus := 0.7 + 0.6*rng.Float64() // hidden: how much worse the pipes do than their design
		local := 0.85 + 0.3*rng.Float64()
		psi := RunoffCoefficient(a.Impervious)
		capRate := f.Intensity(a.DesignPeriod, 30) / MMPerMinToQ * psi / sus // mm/min of runoff the pipes take
		var storage float64
		depth := make([]float64, total+1)
		flooded := false
		for mm := range total {
			var rain float64
			n := 0
			for _, g := range a.RainGauges {
				if s, ok := truth[g]; ok {
					rain += s[mm]
					n++
				}
			}
			if n > 0 {
				rain /= float64(n)
			}
			c := capRate
			if a.RiverGauge != "" {
				c *= 1 - a.TideInfluence*clamp((river[mm]-m.RiverWarn)/(m.RiverFull-m.RiverWarn), 0, 1)
			}
			storage = math.Max(0, storage+psi*rain*local-c)
			depth[mm+1] = storage / 1000 * synthAmplify
			if !flooded && depth[mm+1] >= 0.15 {
				flooded = true
				incs = append(incs, Incident{Time: at(mm + 1), Area: a.ID, Depth: 0.15, Note: "合成数据：积水达一条车道上限"})
			}
		}
		for i := range incs {
			if incs[i].Area == a.ID {
				for _, d := range depth {
					incs[i].Depth = math.Max(incs[i].Depth, math.Round(d*100)/100)
				}
			}
		}
		for _, g := range a.LevelGauges {
			for mm := 5; mm <= total; mm += 5 {
				noise := (rng.Float64() - 0.5) * 0.01
				evs = append(evs, Event{at(mm), g, "level", math.Round(math.Max(0, depth[mm]+noise)*1000) / 1000})
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	sort.SliceStable(incs, func(i, j int) bool { return incs[i].Time.Before(incs[j].Time) })
	return evs, incs
}
