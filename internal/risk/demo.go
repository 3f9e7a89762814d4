package risk

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
)

// RiverGauge is the demo's Shenzhen River level gauge; the replay's event
// carries it (the live demo network has none, so live assessments leave
// the tide out until a gauge is registered).
const RiverGauge = "FT-RV-01"

// tidal lists the demo streets along the Shenzhen River.
var tidal = map[string]float64{"福保街道": 0.7, "沙头街道": 0.55, "福田街道": 0.5, "南园街道": 0.35}

// DemoAreas is a SYNTHETIC static picture of Futian for the demo: four
// made-up communities per street, three grid cells each, with invented
// areas, impervious shares, design standards, ponding points and
// vulnerable residents. Nothing in it describes a real community; every
// area is marked Synthetic and its name says 演示. Gauges are the demo
// network's (package sim): each community reads its street's nearest
// rain gauges and, where the street has one, its water-level gauge.
func DemoAreas() (communities, grids []Area) {
	rng := rand.New(rand.NewPCG(15, 2026))
	type gauge struct {
		id       string
		lon, lat float64
		street   string
	}
	var rain, level []gauge
	for _, d := range sim.Demo().Devices {
		switch d.Kind {
		case citymon.RainGauge:
			rain = append(rain, gauge{d.ID, d.Lon, d.Lat, d.Street})
		case citymon.WaterLevel:
			level = append(level, gauge{d.ID, d.Lon, d.Lat, d.Street})
		}
	}
	nums := []string{"一", "二", "三", "四"}
	for si, st := range sim.Streets {
		short := []rune(st.Name)
		prefix := string(short[:len(short)-2])
		for ci := range 4 {
			id := fmt.Sprintf("FT-%02d-%d", si+1, ci+1)
			lon := st.Lon + (rng.Float64()-0.5)*0.02
			lat := st.Lat + (rng.Float64()-0.5)*0.015
			a := Area{ID: id, Name: prefix + "演示" + nums[ci] + "社区", Street: st.Name,
				AreaHm2: math.Round(40 + rng.Float64()*120), Impervious: round2(0.55 + rng.Float64()*0.4),
				DesignPeriod: []float64{1, 2, 3, 3, 5}[rng.IntN(5)], Concentration: 15,
				Garages: rng.IntN(9), Underpasses: rng.IntN(3), Pumps: rng.IntN(2),
				ElderlyAlone: 5 + rng.IntN(60), GroundFloor: rng.IntN(120), Lon: round6(lon), Lat: round6(lat), Synthetic: true}
			if t, ok := tidal[st.Name]; ok {
				a.TideInfluence = round2(t * (0.6 + 0.4*rng.Float64()))
				a.RiverGauge = RiverGauge
			}
			// The two nearest rain gauges.
			near := nearest(rain, lon, lat, func(g gauge) (float64, float64) { return g.lon, g.lat })
			for _, k := range near[:min(2, len(near))] {
				a.RainGauges = append(a.RainGauges, rain[k].id)
			}
			for _, g := range level {
				if g.street == st.Name && ci == 0 {
					a.LevelGauges = append(a.LevelGauges, g.id)
				}
			}
			for pi := range 1 + rng.IntN(2) {
				p := PondingPoint{ID: fmt.Sprintf("%s-P%d", id, pi+1), Name: fmt.Sprintf("%s演示易涝点%d", prefix, ci*2+pi+1),
					MaxDepth: round2(0.05 + rng.Float64()*0.5), Date: fmt.Sprintf("20%02d-%02d-%02d", 18+rng.IntN(7), 5+rng.IntN(5), 1+rng.IntN(28)),
					Cause: []string{"管网排水能力不足", "河道水位顶托", "雨水篦子堵塞", "地势低洼"}[rng.IntN(4)]}
				if pi == 0 && len(a.LevelGauges) > 0 {
					p.Gauge = a.LevelGauges[0]
				}
				a.PondingPoints = append(a.PondingPoints, p)
			}
			for gi := range 3 {
				g := a
				g.ID, g.Community = fmt.Sprintf("%s-G%d", id, gi+1), id
				g.Name = fmt.Sprintf("%s第%d网格", a.Name, gi+1)
				g.AreaHm2 = math.Round(a.AreaHm2 / 3)
				g.Impervious = round2(math.Min(0.98, a.Impervious*(0.9+0.2*rng.Float64())))
				g.Garages, g.Underpasses, g.Pumps = a.Garages/3, 0, 0
				if gi == 0 {
					g.Underpasses, g.Pumps = a.Underpasses, a.Pumps
				}
				g.ElderlyAlone, g.GroundFloor = a.ElderlyAlone/3, a.GroundFloor/3
				g.PondingPoints = nil
				if gi < len(a.PondingPoints) {
					g.PondingPoints = []PondingPoint{a.PondingPoints[gi]}
				}
				g.LevelGauges = nil
				if gi == 0 {
					g.LevelGauges = a.LevelGauges
				}
				g.Workers = []string{fmt.Sprintf("网格员%02d%d%d（演示）", si+1, ci+1, gi+1)}
				a.Workers = append(a.Workers, g.Workers...)
				grids = append(grids, g)
			}
			communities = append(communities, a)
		}
	}
	return communities, grids
}

// nearest orders xs by distance from (lon, lat).
func nearest[T any](xs []T, lon, lat float64, at func(T) (float64, float64)) []int {
	idx := make([]int, len(xs))
	dist := make([]float64, len(xs))
	for i, x := range xs {
		idx[i] = i
		xl, yl := at(x)
		dist[i] = math.Hypot((xl-lon)*math.Cos(lat*math.Pi/180), yl-lat)
	}
	for i := 1; i < len(idx); i++ { // insertion sort: a handful of gauges
		for j := i; j > 0 && dist[idx[j]] < dist[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
