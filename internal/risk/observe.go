package risk

import (
	"math"
	"time"
)

// History is how many minutes of rain the model looks back over: the
// longest window.
const History = 180

// Observations are what every gauge says at one instant, the input of a
// whole assessment cycle.
type Observations struct {
	// Rain is each reporting rain gauge's rain in mm per minute over the
	// last History minutes (last element the minute just ended). A gauge
	// absent from the map did not report.
	Rain map[string][]float64
	// Depth is each reporting water-level gauge's depth and rise.
	Depth map[string]Depth
	// River is each reporting river or tide gauge's level in m.
	River map[string]float64
	// Forecasts are by area id; "" applies to every area without its own.
	Forecasts map[string][]Forecast
}

// InputsFor gathers area a's inputs from the observations: the mean rain
// of its reporting gauges, its level gauges' depths, its river gauge and
// its forecast.
func InputsFor(a Area, obs Observations) Inputs {
	in := Inputs{RainExpected: len(a.RainGauges), LevelExpected: len(a.LevelGauges)}
	for _, g := range a.RainGauges {
		series, ok := obs.Rain[g]
		if !ok {
			continue
		}
		in.RainGauges++
		if in.Rain == nil {
			in.Rain = make([]float64, len(series))
		}
		// Series of one cycle share their length; align on the end.
		off := len(in.Rain) - len(series)
		for i, v := range series {
			if j := i + off; j >= 0 && j < len(in.Rain) {
				in.Rain[j] += v
			}
		}
	}
	if in.RainGauges > 1 {
		for i := range in.Rain {
			in.Rain[i] /= float64(in.RainGauges)
		}
	}
	for _, g := range a.LevelGauges {
		if d, ok := obs.Depth[g]; ok {
			in.LevelGauges++
			in.Depths = append(in.Depths, d)
		}
	}
	if a.RiverGauge != "" {
		in.River, in.RiverKnown = obs.River[a.RiverGauge]
	}
	if f, ok := obs.Forecasts[a.ID]; ok {
		in.Forecasts = f
	} else if f, ok := obs.Forecasts[a.Community]; ok && a.Community != "" {
		in.Forecasts = f
	} else {
		in.Forecasts = obs.Forecasts[""]
	}
	return in
}

// AssessAll evaluates every area against one cycle's observations.
func (m Model) AssessAll(areas []Area, obs Observations) []Assessment {
	out := make([]Assessment, len(areas))
	for i, a := range areas {
		out[i] = m.Assess(a, InputsFor(a, obs))
	}
	return out
}

// Sample is one reading: its time (the end of its interval for rain) and
// value.
type Sample struct {
	T time.Time
	V float64
}

// MinuteRain spreads a rain gauge's readings (mm over the interval ending
// at each sample) evenly over their minutes and returns the History
// minutes ending at its latest reading. ok is false when the gauge has not reported in
// three intervals: it is then not counted as reporting (no rain is
// not the same as no data).
func MinuteRain(samples []Sample, interval time.Duration, now time.Time) ([]float64, bool) {
	if interval < time.Minute {
		interval = time.Minute
	}
	var last time.Time
	for _, s := range samples {
		if !s.T.After(now) && s.T.After(last) {
			last = s.T
		}
	}
	if last.IsZero() || now.Sub(last) > 3*interval {
		return nil, false
	}
	// The series ends at the latest reading, not at now: between two
	// reports the minutes since the last one are unknown, not dry, and
	// counting them as dry would make every level dip and recover at each
	// report.
	out := make([]float64, History)
	start := last.Add(-History * time.Minute)
	per := int(interval / time.Minute)
	for _, s := range samples {
		if s.T.After(last) || math.IsNaN(s.V) || s.V < 0 {
			continue
		}
		end := int(s.T.Sub(start) / time.Minute) // minutes [end-per, end)
		for k := end - per; k < end; k++ {
			if k >= 0 && k < History {
				out[k] += s.V / float64(per)
			}
		}
	}
	return out, true
}

// LevelNow reads a water-level gauge's latest depth (within three
// intervals of now) and its rise over the last ten minutes. Depths are
// measured above the ground at the point: negative readings are dry.
func LevelNow(samples []Sample, interval time.Duration, now time.Time) (Depth, bool) {
	if interval < time.Minute {
		interval = time.Minute
	}
	var latest, before Sample
	for _, s := range samples {
		if s.T.After(now) || math.IsNaN(s.V) {
			continue
		}
		if s.T.After(latest.T) {
			latest = s
		}
	}
	if latest.T.IsZero() || now.Sub(latest.T) > 3*interval {
		return Depth{}, false
	}
	for _, s := range samples {
		if !s.T.After(latest.T.Add(-10*time.Minute)) && s.T.After(before.T) {
			before = s
		}
	}
	d := Depth{Depth: math.Max(latest.V, 0)}
	if !before.T.IsZero() && latest.T.Sub(before.T) <= 20*time.Minute {
		mins := latest.T.Sub(before.T).Minutes()
		d.RisePer10 = math.Max(latest.V, 0) - math.Max(before.V, 0)
		if mins > 0 {
			d.RisePer10 *= 10 / mins
		}
	}
	return d, true
}
