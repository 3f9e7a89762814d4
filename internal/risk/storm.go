package risk

import (
	"fmt"
	"math"
)

// StormFormula is a storm-intensity formula of the general Chinese form
// q = A1·(1 + C·lg P) / (t + b)^n, q in L/(s·hm²), P the recurrence
// period in years, t the duration in minutes. Official says whether the
// parameters are a city's published ones; the shipped example is not, and
// every page and report that uses it must say so.
type StormFormula struct {
	Name     string  `json:"name"`
	Zone     string  `json:"zone"`
	Edition  string  `json:"edition"`
	A1       float64 `json:"a1"`
	C        float64 `json:"c"`
	B        float64 `json:"b"`
	N        float64 `json:"n"`
	Official bool    `json:"official"`
	Source   string  `json:"source"`
}

// ExampleShenzhen is an example parameter set of Shenzhen's form. Shenzhen's
// current official parameters were not found (standards note: UNVERIFIED;
// the city issued new design-storm charts in 2025), so these values are a
// placeholder of plausible magnitude — a 1-year 60-minute storm of about
// 49 mm and a 50-year one of about 96 mm — to be replaced by the official
// edition through configuration.
var ExampleShenzhen = StormFormula{
	Name: "深圳（示例参数）", Zone: "福田", Edition: "示例",
	A1: 1450, C: 0.594, B: 11.13, N: 0.555, Official: false,
	Source: "示例参数，非深圳官方参数；请替换为深圳市现行暴雨强度公式",
}

// Status is the Chinese label a page shows beside results that use f.
func (f StormFormula) Status() string {
	if f.Official {
		return "暴雨强度公式：" + f.Name + "（" + f.Edition + "，" + f.Source + "）"
	}
	return "暴雨强度公式参数未经核实：" + f.Name + "——" + f.Source
}

// Validate checks that the parameters can be used.
func (f StormFormula) Validate() error {
	switch {
	case !(f.A1 > 0) || math.IsInf(f.A1, 0):
		return fmt.Errorf("%w: storm formula A1 must be positive", ErrInput)
	case !(f.C > 0) || math.IsInf(f.C, 0):
		return fmt.Errorf("%w: storm formula C must be positive", ErrInput)
	case !(f.B >= 0) || math.IsInf(f.B, 0):
		return fmt.Errorf("%w: storm formula b must not be negative", ErrInput)
	case !(f.N > 0 && f.N < 2):
		return fmt.Errorf("%w: storm formula n must lie in (0, 2)", ErrInput)
	}
	return nil
}

// MMPerMinToQ converts rain intensity in mm/min to L/(s·hm²): 1 mm over a
// hectare is 10 m³, per minute 10 000 L / 60 s.
const MMPerMinToQ = 10000.0 / 60

// Intensity is the design intensity q in L/(s·hm²) for recurrence period
// p years and duration t minutes.
func (f StormFormula) Intensity(p, t float64) float64 {
	if p <= 0 || t <= 0 {
		return 0
	}
	return f.A1 * (1 + f.C*math.Log10(p)) / math.Pow(t+f.B, f.N)
}

// Depth is the design rain depth in mm over t minutes for period p.
func (f StormFormula) Depth(p, t float64) float64 {
	return f.Intensity(p, t) / MMPerMinToQ * t
}

// MaxPeriod caps the equivalent recurrence period: beyond it the formula
// is extrapolated far past the records it was fitted on.
const MaxPeriod = 1000.0

// Period is the equivalent recurrence period in years of intensity q
// (L/(s·hm²)) sustained over t minutes: the formula solved for P. Rain
// weaker than the one-year storm of its duration has a period below one
// year; no rain has period 0.
func (f StormFormula) Period(q, t float64) float64 {
	if q <= 0 || t <= 0 {
		return 0
	}
	x := (q*math.Pow(t+f.B, f.N)/f.A1 - 1) / f.C
	p := math.Pow(10, x)
	if p > MaxPeriod || math.IsInf(p, 1) || math.IsNaN(p) {
		return MaxPeriod
	}
	return p
}

// Windows are the durations, in minutes, over which observed rain is
// compared with the formula.
var Windows = []int{5, 10, 15, 30, 60, 90, 120, 180}

// WindowRain is the rain of one window ending at the assessment time.
type WindowRain struct {
	Minutes int     `json:"minutes"`
	DepthMM float64 `json:"depth_mm"`
	Q       float64 `json:"q"`      // mean intensity, L/(s·hm²)
	Period  float64 `json:"period"` // equivalent recurrence period, years
}

// RainWindows reads a minute series of rain (mm in each minute, the last
// element the minute ending at the assessment time) over every window and
// returns each window's depth, intensity and equivalent period, and the
// window with the largest period. A series shorter than a window counts
// the minutes it has (the storm began inside the window).
func (f StormFormula) RainWindows(perMinute []float64) ([]WindowRain, WindowRain) {
	out := make([]WindowRain, 0, len(Windows))
	var worst WindowRain
	sum, k := 0.0, 0
	n := len(perMinute)
	for _, w := range Windows {
		for k < w && k < n {
			if v := perMinute[n-1-k]; v > 0 {
				sum += v
			}
			k++
		}
		q := sum / float64(w) * MMPerMinToQ
		wr := WindowRain{Minutes: w, DepthMM: sum, Q: q, Period: f.Period(q, float64(w))}
		out = append(out, wr)
		if wr.Period > worst.Period {
			worst = wr
		}
	}
	return out, worst
}

// ChicagoStorm is a design storm hyetograph (芝加哥雨型) of period p years
// and the given duration, in mm per minute, its peak at fraction r of the
// duration (0.4 is usual). Every window around the peak carries the
// formula's intensity for its length, which is why it is the usual
// synthetic storm for testing drainage.
func (f StormFormula) ChicagoStorm(p float64, minutes int, r float64) []float64 {
	if minutes <= 0 {
		return nil
	}
	a := f.A1 * (1 + f.C*math.Log10(p)) / MMPerMinToQ // mm/min numerator
	// cumulative depth H(t) of the window of length t centred on the peak
	// is t·i(t); the hyetograph is its derivative, split before/after the
	// peak in proportion r : 1-r. Integrate per minute for exactness.
	cum := func(t float64) float64 { // depth of the central window of length t
		if t <= 0 {
			return 0
		}
		return a * t / math.Pow(t+f.B, f.N)
	}
	peak := r * float64(minutes)
	out := make([]float64, minutes)
	for m := range minutes {
		// depth falling in [m, m+1): distance of each end from the peak,
		// mapped to the central window length on its side.
		d := func(x float64) float64 {
			if x < peak {
				return -cum((peak - x) / r)
			}
			return cum((x - peak) / (1 - r))
		}
		lo, hi := float64(m), float64(m+1)
		var v float64
		if hi <= peak || lo >= peak {
			v = side(d(hi)-d(lo), lo, hi, peak, r)
		} else {
			v = side(-d(lo), lo, peak, peak, r) + side(d(hi), peak, hi, peak, r)
		}
		out[m] = math.Max(v, 0)
	}
	return out
}

// side scales a central-window depth difference to the depth that falls
// on one side of the peak: a window of length t holds r·H(t) before the
// peak and (1-r)·H(t) after it.
func side(dh, lo, hi, peak, r float64) float64 {
	if hi <= peak {
		return math.Abs(dh) * r
	}
	return math.Abs(dh) * (1 - r)
}
