package risk

import (
	"context"
	"fmt"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Live assesses the stored areas on the readings the city pipeline holds.
type Live struct {
	Areas *Store
	City  *citymon.Store
	Model Model
}

// Board is one full assessment cycle: every community and grid cell.
type Board struct {
	At          time.Time    `json:"at"`
	Formula     string       `json:"formula"` // the storm formula's status line
	Official    bool         `json:"official"`
	Communities []Assessment `json:"communities"`
	Grids       []Assessment `json:"grids"`
	Areas       []Area       `json:"-"`
	GridAreas   []Area       `json:"-"`
}

// Observe reads what every gauge the areas name says at now.
func (l *Live) Observe(ctx context.Context, areas []Area, now time.Time) (Observations, error) {
	obs := Observations{Rain: map[string][]float64{}, Depth: map[string]Depth{}, River: map[string]float64{}}
	devs := map[string]citymon.Device{}
	for _, k := range []citymon.Kind{citymon.RainGauge, citymon.WaterLevel} {
		ds, err := l.City.Devices(ctx, k)
		if err != nil {
			return obs, fmt.Errorf("observe: %w", err)
		}
		for _, d := range ds {
			if d.Active {
				devs[d.ID] = d
			}
		}
	}
	read := func(id, param string, back time.Duration) ([]Sample, time.Duration, bool, error) {
		d, ok := devs[id]
		if !ok {
			return nil, 0, false, nil
		}
		pts, err := l.City.Raw(ctx, id, param, now.Add(-back), now.Add(time.Second))
		if err != nil {
			return nil, 0, false, fmt.Errorf("observe %s: %w", id, err)
		}
		ss := make([]Sample, len(pts))
		for i, p := range pts {
			ss[i] = Sample{p.Time, p.Value}
		}
		return ss, d.Interval, true, nil
	}
	done := map[string]bool{}
	for _, a := range areas {
		for _, g := range a.RainGauges {
			if done[g] {
				continue
			}
			done[g] = true
			ss, iv, ok, err := read(g, "rain", History*time.Minute)
			if err != nil {
				return obs, err
			}
			if ok {
				if s, ok := MinuteRain(ss, iv, now); ok {
					obs.Rain[g] = s
				}
			}
		}
		for _, g := range append(append([]string(nil), a.LevelGauges...), a.RiverGauge) {
			if g == "" || done[g] {
				continue
			}
			done[g] = true
			ss, iv, ok, err := read(g, "level", 30*time.Minute)
			if err != nil {
				return obs, err
			}
			if !ok {
				continue
			}
			if d, ok := LevelNow(ss, iv, now); ok {
				if g == a.RiverGauge {
					obs.River[g] = ss[len(ss)-1].V
				} else {
					d.Gauge = devs[g].Name
					obs.Depth[g] = d
				}
			}
		}
	}
	fc, err := l.Areas.Forecasts(ctx, now)
	if err != nil {
		return obs, err
	}
	obs.Forecasts = fc
	return obs, nil
}

// Assess runs one cycle over every stored community and grid cell.
func (l *Live) Assess(ctx context.Context, now time.Time) (Board, error) {
	cs, err := l.Areas.Areas(ctx, false)
	if err != nil {
		return Board{}, err
	}
	gs, err := l.Areas.Areas(ctx, true)
	if err != nil {
		return Board{}, err
	}
	obs, err := l.Observe(ctx, append(append([]Area(nil), cs...), gs...), now)
	if err != nil {
		return Board{}, err
	}
	return Board{At: now, Formula: l.Model.Storm.Status(), Official: l.Model.Storm.Official,
		Communities: l.Model.AssessAll(cs, obs), Grids: l.Model.AssessAll(gs, obs), Areas: cs, GridAreas: gs}, nil
}

// Weather reads the dynamic fire factors from the weather stations: the
// mean of their latest humidity, wind and temperature within two hours
// of now. Known is false when no station reported.
func (l *Live) Weather(ctx context.Context, now time.Time) (Weather, error) {
	ds, err := l.City.Devices(ctx, citymon.Weather)
	if err != nil {
		return Weather{}, fmt.Errorf("weather: %w", err)
	}
	sums := map[string]float64{}
	ns := map[string]int{}
	for _, d := range ds {
		if !d.Active {
			continue
		}
		for _, p := range []string{"humidity", "wind_speed", "temp"} {
			pts, err := l.City.Raw(ctx, d.ID, p, now.Add(-2*time.Hour), now.Add(time.Second))
			if err != nil {
				return Weather{}, fmt.Errorf("weather %s: %w", d.ID, err)
			}
			if len(pts) > 0 {
				sums[p] += pts[len(pts)-1].Value
				ns[p]++
			}
		}
	}
	mean := func(p string) float64 {
		if ns[p] == 0 {
			return 0
		}
		return sums[p] / float64(ns[p])
	}
	w := Weather{Humidity: mean("humidity"), Wind: mean("wind_speed"), Temp: mean("temp"), Known: ns["humidity"] > 0}
	if !w.Known {
		w.Humidity = 100 // no humidity reading adds no dryness
	}
	return w, nil
}
