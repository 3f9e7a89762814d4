package sim

import (
	"hash/fnv"
	"math"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Scenario is an episode the generator plays between From and To.
type Scenario struct {
	Name     string // ozone, dust, exceed, degraded, rainstorm, fire
	From, To time.Time
}

// ScenarioNames lists the scenarios with their Chinese descriptions.
var ScenarioNames = map[string]string{
	"ozone":     "臭氧污染过程（午后臭氧 1 小时浓度约 280 µg/m³）",
	"dust":      "香蜜湖工地扬尘（PM10 持续高于 300 µg/m³）",
	"exceed":    "某印刷公司废水 COD 超过许可限值",
	"degraded":  "医院污水处理站去除效率下降",
	"rainstorm": "短历时暴雨（峰值约 100 mm/h，易涝点积水）",
	"fire":      "福田街道演示社区烟感报警、沙头街道演示社区消火栓水压过低",
}

// DefaultScenarios places each scenario once in the weeks before anchor
// (the demo's "now"), and leaves the dusty site and an exceedance going
// at anchor, so that a fresh dashboard has live alarms.
func DefaultScenarios(anchor time.Time) []Scenario {
	day := time.Date(anchor.Year(), anchor.Month(), anchor.Day(), 0, 0, 0, 0, citymon.Zone)
	return []Scenario{
		{"ozone", day.AddDate(0, 0, -12).Add(9 * time.Hour), day.AddDate(0, 0, -9).Add(20 * time.Hour)},
		{"rainstorm", day.AddDate(0, 0, -5).Add(14 * time.Hour), day.AddDate(0, 0, -5).Add(17 * time.Hour)},
		{"degraded", day.AddDate(0, 0, -3), day.AddDate(0, 0, -2)},
		{"exceed", day.AddDate(0, 0, -1).Add(18 * time.Hour), day.AddDate(0, 0, -1).Add(22 * time.Hour)},
		{"exceed", anchor.Add(-90 * time.Minute), anchor.Add(3 * time.Hour)},
		{"dust", anchor.Add(-3 * time.Hour), anchor.Add(6 * time.Hour)},
	}
}

// Generator gives each device's readings at any instant, the same every
// time (a function of device, parameter and time), so that a history
// generated twice is the same and a live feed joins it seamlessly.
type Generator struct {
	Net       Network
	Scenarios []Scenario
	index     map[string]int // device id → position (varies the baselines)
}

// NewGenerator plays scenarios over net.
func NewGenerator(net Network, scenarios []Scenario) *Generator {
	g := &Generator{Net: net, Scenarios: scenarios, index: map[string]int{}}
	for i, d := range net.Devices {
		g.index[d.ID] = i
	}
	return g
}

// Readings are every device's readings at t (seconds).
func (g *Generator) Readings(t time.Time) []citymon.Reading {
	t = t.Truncate(time.Second)
	var out []citymon.Reading
	for _, d := range g.Net.Devices {
		out = append(out, g.DeviceReadings(d, t)...)
	}
	return out
}

// DeviceReadings are one device's readings at t.
func (g *Generator) DeviceReadings(d citymon.Device, t time.Time) []citymon.Reading {
	out := make([]citymon.Reading, 0, len(d.Params))
	for _, p := range d.Params {
		if p.Param == WarningParam {
			continue // posted by the weather service, not measured
		}
		out = append(out, citymon.Reading{Device: d.ID, Param: p.Param, Time: t, Value: g.Value(d, p.Param, t)})
	}
	return out
}

// Between calls fn with every device's readings at each instant from from
// (inclusive) to to (exclusive), step apart — each device at its own
// interval when that is longer than step.
func (g *Generator) Between(from, to time.Time, step time.Duration, fn func([]citymon.Reading) error) error {
	for t := from.Truncate(step); t.Before(to); t = t.Add(step) {
		var rs []citymon.Reading
		for _, d := range g.Net.Devices {
			iv := max(d.Interval, step)
			if t.Unix()%int64(iv/time.Second) != 0 {
				continue
			}
			rs = append(rs, g.DeviceReadings(d, t)...)
		}
		if len(rs) > 0 {
			if err := fn(rs); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *Generator) active(name string, t time.Time) (bool, float64) {
	for _, s := range g.Scenarios {
		if s.Name == name && !t.Before(s.From) && t.Before(s.To) {
			return true, float64(t.Sub(s.From)) / float64(s.To.Sub(s.From))
		}
	}
	return false, 0
}

// Value is device d's parameter p at t.
func (g *Generator) Value(d citymon.Device, p string, t time.Time) float64 {
	lt := t.In(citymon.Zone)
	h := float64(lt.Hour()) + float64(lt.Minute())/60
	i := float64(g.index[d.ID] % 7)
	n := noise(d.ID+"|"+p, t)
	rush := math.Exp(-sq(h-8.5)/3) + math.Exp(-sq(h-19)/4) // traffic peaks
	sun := math.Max(0, math.Sin(math.Pi*(h-7)/12))         // 07:00–19:00
	ozone, _ := g.active("ozone", t)
	rain, rp := g.active("rainstorm", t)
	switch d.Kind {
	case citymon.AirStation, citymon.DustMonitor:
		pm25 := (18 + 3*i) * (1 + 0.35*rush) * (1 + 0.25*n)
		if ozone {
			pm25 *= 1.4
		}
		if rain {
			pm25 *= 0.5
		}
		site := 0.0
		if d.Kind == citymon.DustMonitor {
			work := lt.Weekday() != time.Sunday && h >= 7 && h < 19
			if work {
				site = 35 * (1 + 0.3*n)
			}
			if dusty, _ := g.active("dust", t); dusty && strings.HasSuffix(d.ID, "01") {
				site = 260 * (1 + 0.2*n)
			}
		}
		switch p {
		case "PM2.5":
			return round(pm25+0.3*site, 1)
		case "PM10":
			return round(1.7*pm25+site, 1)
		case "TSP":
			return round(2.6*pm25+2.2*site, 1)
		case "SO2":
			return round(6+2*n, 1)
		case "NO2":
			return round((22+2*i)*(1+0.8*rush)*(1+0.2*n), 1)
		case "CO":
			return round((0.55+0.03*i)*(1+0.5*rush)*(1+0.15*n), 2)
		case "O3":
			o3 := 28 + 92*sun
			if ozone {
				o3 = 40 + 240*sun
			}
			return round(o3*(1+0.12*n), 1)
		}
	case citymon.WaterSection:
		base := map[string]float64{"FT-WQ-01": 1.3, "FT-WQ-02": 0.8, "FT-WQ-03": 1.45, "FT-WQ-04": 1.8, "FT-WQ-05": 0.55}[d.ID]
		wet := 1.0
		if rain {
			wet = 1.9
		}
		switch p {
		case "pH":
			return round(7.2+0.15*n+0.1*sun, 2)
		case "DO":
			return round((4.6+1.2*sun)*(1+0.08*n)/wet*1.2, 2)
		case "CODMn":
			return round((4.2+base)*(1+0.1*n)*(0.6+0.4*wet), 2)
		case "COD":
			return round((14+4*base)*(1+0.1*n)*(0.6+0.4*wet), 1)
		case "BOD5":
			return round((2.6+base)*(1+0.1*n)*(0.6+0.4*wet), 2)
		case "NH3-N":
			return round(base*(1+0.12*n)*wet, 3)
		case "TP":
			return round((0.08+0.07*base)*(1+0.1*n)*wet, 3)
		case "water_temp":
			return round(22+3*sun+0.5*n, 1)
		}
	case citymon.Outlet:
		exceed, _ := g.active("exceed", t)
		switch p {
		case "COD":
			v := (28 + 3*i) * (1 + 0.15*n)
			if exceed && strings.HasSuffix(d.ID, "02") {
				v = 86 * (1 + 0.08*n)
			}
			return round(v, 1)
		case "NH3-N":
			return round(2.4*(1+0.2*n), 2)
		case "pH":
			return round(7.4+0.2*n, 2)
		case "flow":
			return round((120+40*i)*(0.7+0.5*sun)*(1+0.1*n), 1)
		}
	case citymon.Treatment:
		degraded, _ := g.active("degraded", t)
		inlet := strings.HasSuffix(d.ID, "I")
		switch p {
		case "COD":
			if inlet {
				return round(260*(1+0.15*n), 1)
			}
			if degraded {
				return round(62*(1+0.1*n), 1)
			}
			return round(24*(1+0.1*n), 1)
		case "NH3-N":
			if inlet {
				return round(32*(1+0.15*n), 2)
			}
			if degraded {
				return round(9*(1+0.1*n), 2)
			}
			return round(3.1*(1+0.1*n), 2)
		case "flow":
			return round(210*(0.7+0.5*sun)*(1+0.1*n), 1)
		}
	case citymon.RainGauge:
		if !rain {
			return 0
		}
		step := max(d.Interval, time.Minute).Hours()
		return round(rainIntensity(rp)*(1+0.15*n)*step, 2) // mm in the interval
	case citymon.WaterLevel:
		// Standing water follows the intensity of a quarter of an hour
		// before, above what the drains take (about 35 mm/h).
		lag := t.Add(-15 * time.Minute)
		if r, lp := g.active("rainstorm", lag); r {
			return round(math.Max(0, (rainIntensity(lp)-35)*0.006*(1+0.1*n)), 3)
		}
		return 0
	case citymon.SmokeDetector:
		if fire, _ := g.active("fire", t); fire && strings.HasSuffix(d.ID, "01") {
			return 1
		}
		return 0
	case citymon.HydrantPressure:
		// Mains pressure dips when the day's demand peaks.
		if low, _ := g.active("fire", t); low && strings.HasSuffix(d.ID, "02") {
			return round(0.08*(1+0.1*n), 3)
		}
		return round((0.34-0.04*sun)*(1+0.03*n), 3)
	case citymon.Weather:
		switch p {
		case "wind_speed":
			w := (1.8 + 1.6*sun) * (1 + 0.3*n)
			if rain {
				w += 4
			}
			return round(math.Max(0.3, w), 1)
		case "wind_dir":
			return round(math.Mod(150+40*noise(d.ID+"|dir", t.Truncate(6*time.Hour))+360, 360), 0)
		case "cloud":
			if rain {
				return 8
			}
			return round(math.Min(7, math.Max(0, 3.5+3*n)), 0)
		case "temp":
			return round(20+6*sun+1*n, 1)
		case "humidity":
			if rain {
				return 98
			}
			return round(math.Min(100, 75-15*sun+5*n), 0)
		}
	}
	return 0
}

// rainIntensity is a single-peaked storm (peak 40 % of the way through,
// as design storms are drawn) in mm/h at fraction f of its duration.
func rainIntensity(f float64) float64 {
	return 8 + 95*math.Exp(-sq(f-0.4)/0.02)
}

// noise is a smooth pseudo-random value in about [-1, 1] for key at t:
// hourly values, interpolated, plus a little per-second jitter.
func noise(key string, t time.Time) float64 {
	u := t.Unix()
	h0 := u - u%3600
	f := float64(u-h0) / 3600
	a, b := hash01(key, h0), hash01(key, h0+3600)
	return 0.85*(a+(b-a)*f) + 0.15*hash01(key+"|j", u)
}

func hash01(key string, n int64) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	var b [8]byte
	for i := range b {
		b[i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	return float64(h.Sum64()%2000001)/1000000 - 1
}

func sq(x float64) float64 { return x * x }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
