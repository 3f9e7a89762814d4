package risk

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Area is the static picture of a community (社区) or a grid cell (网格)
// that the waterlogging model needs.
type Area struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Street    string `json:"street"`
	Community string `json:"community,omitempty"` // a grid cell's community; "" for a community
	// AreaHm2 is the catchment in hectares; Impervious the share of roofs
	// and paving (0–1), from which the runoff coefficient follows.
	AreaHm2    float64 `json:"area_hm2"`
	Impervious float64 `json:"impervious"`
	// DesignPeriod is the drainage design standard, the recurrence period
	// in years the pipes were sized for; Concentration the time of
	// concentration in minutes (15 when zero).
	DesignPeriod  float64 `json:"design_period"`
	Concentration float64 `json:"concentration_min"`
	// TideInfluence is the share (0–1) of the outfalls that a high river
	// or tide submerges (Futian drains to the tidal Shenzhen River).
	TideInfluence float64 `json:"tide_influence"`
	Garages       int     `json:"garages"`     // 地下车库
	Underpasses   int     `json:"underpasses"` // 下穿通道
	Pumps         int     `json:"pumps"`       // 泵站
	ElderlyAlone  int     `json:"elderly_alone"`
	GroundFloor   int     `json:"ground_floor_homes"`
	// PondingPoints are the known ponding points; their worst recorded
	// depth raises exposure.
	PondingPoints []PondingPoint `json:"ponding_points,omitempty"`
	RainGauges    []string       `json:"rain_gauges,omitempty"`
	LevelGauges   []string       `json:"level_gauges,omitempty"` // at ponding points and in drains
	RiverGauge    string         `json:"river_gauge,omitempty"`
	Workers       []string       `json:"workers,omitempty"` // grid workers the checklist goes to
	Lon           float64        `json:"lon"`
	Lat           float64        `json:"lat"`
	Synthetic     bool           `json:"synthetic"`
}

// PondingPoint is a known ponding point (易涝点) and its history.
type PondingPoint struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Gauge    string  `json:"gauge,omitempty"`
	MaxDepth float64 `json:"max_depth_m"` // deepest water recorded, m
	Date     string  `json:"date,omitempty"`
	Cause    string  `json:"cause,omitempty"`
}

// RunoffCoefficient is ψ for an impervious share: paved and roofed
// surfaces 0.90 and green or bare ground 0.15, the middles of GB 50014's
// ranges (0.85–0.95 and 0.10–0.20), weighted by area.
func RunoffCoefficient(impervious float64) float64 {
	s := clamp(impervious, 0, 1)
	return 0.90*s + 0.15*(1-s)
}

// Validate checks an area's static data.
func (a Area) Validate() error {
	switch {
	case strings.TrimSpace(a.ID) == "" || len(a.ID) > 64:
		return fmt.Errorf("%w: id must have 1–64 characters", ErrInput)
	case strings.TrimSpace(a.Name) == "":
		return fmt.Errorf("%w: %s: a name is required", ErrInput, a.ID)
	case !(a.AreaHm2 > 0) || math.IsInf(a.AreaHm2, 0):
		return fmt.Errorf("%w: %s: area must be a positive number of hectares", ErrInput, a.ID)
	case !(a.Impervious >= 0 && a.Impervious <= 1):
		return fmt.Errorf("%w: %s: impervious share must lie in 0–1", ErrInput, a.ID)
	case !(a.DesignPeriod > 0 && a.DesignPeriod <= MaxPeriod):
		return fmt.Errorf("%w: %s: design recurrence period must be 0–1000 years", ErrInput, a.ID)
	case !(a.TideInfluence >= 0 && a.TideInfluence <= 1):
		return fmt.Errorf("%w: %s: tide influence must lie in 0–1", ErrInput, a.ID)
	case a.Concentration < 0 || a.Concentration > 180:
		return fmt.Errorf("%w: %s: concentration time must be 0–180 minutes", ErrInput, a.ID)
	case a.Garages < 0 || a.Underpasses < 0 || a.Pumps < 0 || a.ElderlyAlone < 0 || a.GroundFloor < 0:
		return fmt.Errorf("%w: %s: counts must not be negative", ErrInput, a.ID)
	}
	return nil
}

// Depth is the water at one gauge: its depth now and how fast it rose.
type Depth struct {
	Gauge     string  `json:"gauge"`
	Depth     float64 `json:"depth_m"`
	RisePer10 float64 `json:"rise_m_per_10min"` // over the last ten minutes
}

// Forecast is the rain forecast for the next Hours hours.
type Forecast struct {
	Hours  int     `json:"hours"`
	RainMM float64 `json:"rain_mm"`
}

// Inputs are what the sensors and forecasts say about one area now.
type Inputs struct {
	// Rain is the area's rain in mm per minute, the last element the
	// minute just ended (the mean of the gauges that reported).
	Rain []float64
	// RainGauges of RainExpected gauges reported; LevelGauges of
	// LevelExpected.
	RainGauges, RainExpected   int
	LevelGauges, LevelExpected int
	Depths                     []Depth
	// River is the river or tide level in m; RiverKnown whether a gauge
	// reported it.
	River      float64
	RiverKnown bool
	Forecasts  []Forecast
}

// Model holds the waterlogging model's parameters.
type Model struct {
	Storm StormFormula
	// RiverWarn is the river/tide level (m) at which the lowest outfalls
	// begin to be submerged, RiverFull the level at which they cannot
	// discharge at all. Demo values: replace with the district's survey.
	RiverWarn, RiverFull float64
	// Thresholds are the points at which blue, yellow, orange and red
	// begin.
	Thresholds [4]float64
	// LaneDepth is GB 50014's surface criterion, at most 15 cm of water
	// in one traffic lane [verified]; a ponding point beyond it is at
	// least orange, beyond twice it red.
	LaneDepth float64
	// Hydrant is the low-pressure threshold of hydrant pressure sensors
	// (zero: ExampleHydrantLow).
	Hydrant HydrantThreshold
}

// HydrantLow is the hydrant threshold in force: the configured one, or
// the example.
func (m Model) HydrantLow() HydrantThreshold {
	if m.Hydrant.LowMPa == 0 {
		return ExampleHydrantLow
	}
	return m.Hydrant
}

// DefaultModel is the model with the example storm formula and the demo
// river levels.
func DefaultModel() Model {
	return Model{Storm: ExampleShenzhen, RiverWarn: 1.6, RiverFull: 2.6,
		Thresholds: [4]float64{20, 40, 65, 95}, LaneDepth: 0.15, Hydrant: ExampleHydrantLow}
}

// Validate checks the model's parameters.
func (m Model) Validate() error {
	if err := m.Storm.Validate(); err != nil {
		return err
	}
	if !(m.RiverFull > m.RiverWarn) {
		return fmt.Errorf("%w: river full level must be above the warning level", ErrInput)
	}
	for i := 1; i < 4; i++ {
		if !(m.Thresholds[i] > m.Thresholds[i-1]) || !(m.Thresholds[0] > 0) {
			return fmt.Errorf("%w: level thresholds must be positive and rising", ErrInput)
		}
	}
	if !(m.LaneDepth > 0) {
		return fmt.Errorf("%w: lane depth must be positive", ErrInput)
	}
	return m.HydrantLow().Validate()
}

// Factor is one reason behind a level: its points and its share of the
// total.
type Factor struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Points float64 `json:"points"`
	Share  float64 `json:"share"` // 0–1
	Detail string  `json:"detail"`
}

// Assessment is one area's waterlogging risk now.
type Assessment struct {
	Area    string       `json:"area"`
	Name    string       `json:"name"`
	Level   Level        `json:"level"`
	Score   float64      `json:"score"`
	Factors []Factor     `json:"factors"` // largest share first; only those with points
	Windows []WindowRain `json:"windows"`
	Worst   WindowRain   `json:"worst"`
	// Runoff Q and drainage Capacity in L/s over the concentration time,
	// Load their ratio; Blocked the share of capacity lost to the river.
	Runoff         float64 `json:"runoff_l_s"`
	Capacity       float64 `json:"capacity_l_s"`
	Load           float64 `json:"load"`
	Blocked        float64 `json:"blocked"`
	MaxDepth       float64 `json:"max_depth_m"`
	MaxRise        float64 `json:"max_rise_m_per_10min"`
	ForecastPeriod float64 `json:"forecast_period"`
	// Floor says why the level was raised above its points, if it was.
	Floor string `json:"floor,omitempty"`
	// Confidence states the data the level rests on, e.g. "基于 3/5 个雨量计"; LowConfidence is set when
	// fewer than half of the expected gauges of a kind reported.
	Confidence    string `json:"confidence"`
	LowConfidence bool   `json:"low_confidence"`
	// Gauges of GaugesExpected rain and water-level gauges reported; none
	// reporting is shown as 无数据.
	Gauges         int      `json:"gauges"`
	GaugesExpected int      `json:"gauges_expected"`
	Checklist      []Action `json:"checklist"`
}

// Assess evaluates one area.
func (m Model) Assess(a Area, in Inputs) Assessment {
	out := Assessment{Area: a.ID, Name: a.Name}
	design := a.DesignPeriod
	if design <= 0 {
		design = 1
	}
	tc := a.Concentration
	if tc <= 0 {
		tc = 15
	}
	out.Windows, out.Worst = m.Storm.RainWindows(in.Rain)
	var fs []Factor

	// Rain against the design standard.
	if r := out.Worst.Period / design; out.Worst.DepthMM > 0 {
		pts := 30*math.Min(r, 1) + 15*clamp(math.Log2(r), 0, 3)
		fs = append(fs, Factor{Key: "rain", Name: "降雨强度", Points: pts,
			Detail: fmt.Sprintf("%d 分钟雨量 %.1f mm，约 %s一遇（设计标准 %s一遇）", out.Worst.Minutes, out.Worst.DepthMM, years(out.Worst.Period), years(design))})
	}

	// Runoff against drainage capacity, the river taking its share.
	psi := RunoffCoefficient(a.Impervious)
	qObs := meanIntensity(in.Rain, int(math.Round(tc)))
	out.Runoff = psi * qObs * a.AreaHm2
	full := psi * m.Storm.Intensity(design, tc) * a.AreaHm2
	if in.RiverKnown {
		out.Blocked = a.TideInfluence * clamp((in.River-m.RiverWarn)/(m.RiverFull-m.RiverWarn), 0, 1)
	}
	out.Capacity = full * (1 - out.Blocked)
	loadPts := func(q, cap float64) float64 {
		if cap <= 0 {
			return 80
		}
		return 40 * clamp((q/cap-0.7)/0.6, 0, 2)
	}
	if out.Capacity > 0 {
		out.Load = out.Runoff / out.Capacity
	}
	withTide, noTide := loadPts(out.Runoff, out.Capacity), loadPts(out.Runoff, full)
	if noTide > 0 {
		fs = append(fs, Factor{Key: "runoff", Name: "径流超排水能力", Points: noTide,
			Detail: fmt.Sprintf("径流 %.0f L/s，排水能力 %.0f L/s（ψ=%.2f，F=%.1f hm²）", out.Runoff, full, psi, a.AreaHm2)})
	}
	if withTide > noTide {
		fs = append(fs, Factor{Key: "tide", Name: "河道/潮位顶托", Points: withTide - noTide,
			Detail: fmt.Sprintf("河道水位 %.2f m，排水口受阻约 %.0f%%", in.River, out.Blocked*100)})
	}

	// Observed ponding and how fast it rises.
	var deepest string
	for _, d := range in.Depths {
		if d.Depth > out.MaxDepth {
			out.MaxDepth, deepest = d.Depth, d.Gauge
		}
		out.MaxRise = math.Max(out.MaxRise, d.RisePer10)
	}
	if out.MaxDepth >= 0.02 {
		fs = append(fs, Factor{Key: "depth", Name: "易涝点积水", Points: 45 * math.Min(out.MaxDepth/m.LaneDepth, 3),
			Detail: fmt.Sprintf("%s 积水 %.0f cm", deepest, out.MaxDepth*100)})
	}
	if out.MaxRise > 0.005 {
		fs = append(fs, Factor{Key: "rise", Name: "水位上涨速度", Points: 20 * math.Min(out.MaxRise/0.05, 2),
			Detail: fmt.Sprintf("10 分钟上涨 %.0f cm", out.MaxRise*100)})
	}

	// What is forecast.
	var fcHours int
	for _, f := range in.Forecasts {
		if f.Hours <= 0 || f.RainMM <= 0 {
			continue
		}
		t := float64(f.Hours * 60)
		if p := m.Storm.Period(f.RainMM/t*MMPerMinToQ, t); p > out.ForecastPeriod {
			out.ForecastPeriod, fcHours = p, f.Hours
		}
	}
	if out.ForecastPeriod > 0 {
		r := out.ForecastPeriod / design
		if pts := 15*math.Min(r, 1) + 10*clamp(math.Log2(r), 0, 2); pts > 1 {
			fs = append(fs, Factor{Key: "forecast", Name: "预报降雨", Points: pts,
				Detail: fmt.Sprintf("未来 %d 小时预报雨量约 %s一遇", fcHours, years(out.ForecastPeriod))})
		}
	}

	// Exposure scales the hazard: what is there to flood.
	var hazard float64
	for _, f := range fs {
		hazard += f.Points
	}
	var e float64
	var what []string
	if a.Garages > 0 {
		e += 0.08
		what = append(what, fmt.Sprintf("地下车库 %d 处", a.Garages))
	}
	if a.Underpasses > 0 {
		e += 0.08
		what = append(what, fmt.Sprintf("下穿通道 %d 处", a.Underpasses))
	}
	if a.ElderlyAlone+a.GroundFloor > 0 {
		e += 0.08
		what = append(what, fmt.Sprintf("独居老人 %d 人、首层住户 %d 户", a.ElderlyAlone, a.GroundFloor))
	}
	var hist float64
	for _, p := range a.PondingPoints {
		hist = math.Max(hist, p.MaxDepth)
	}
	if hist >= m.LaneDepth {
		e += 0.06
		what = append(what, fmt.Sprintf("历史最深积水 %.0f cm", hist*100))
	}
	if hazard > 0 && e > 0 {
		fs = append(fs, Factor{Key: "exposure", Name: "承灾体与历史", Points: hazard * e, Detail: strings.Join(what, "，")})
	}

	for _, f := range fs {
		out.Score += f.Points
	}
	for i := range fs {
		fs[i].Points = round2(fs[i].Points)
		if out.Score > 0 {
			fs[i].Share = round2(fs[i].Points / out.Score)
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Points > fs[j].Points })
	out.Factors = fs
	out.Score = round2(out.Score)
	for i := 3; i >= 0; i-- {
		if out.Score >= m.Thresholds[i] {
			out.Level = Level(i + 1)
			break
		}
	}
	switch {
	case out.MaxDepth >= 2*m.LaneDepth && out.Level < Red:
		out.Level, out.Floor = Red, fmt.Sprintf("积水深度 %.0f cm，超过一条车道积水上限（15 cm）的两倍", out.MaxDepth*100)
	case out.MaxDepth >= m.LaneDepth && out.Level < Orange:
		out.Level, out.Floor = Orange, fmt.Sprintf("积水深度 %.0f cm，超过一条车道积水上限 15 cm（GB 50014）", out.MaxDepth*100)
	}
	out.Confidence, out.LowConfidence = confidence(in)
	out.Gauges, out.GaugesExpected = in.RainGauges+in.LevelGauges, in.RainExpected+in.LevelExpected
	out.Checklist = ChecklistFor(a, out.Level)
	return out
}

// confidence describes the gauges an assessment rests on.
func confidence(in Inputs) (string, bool) {
	var parts []string
	low := false
	if in.RainExpected > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d 个雨量计", in.RainGauges, in.RainExpected))
		low = low || 2*in.RainGauges < in.RainExpected
	}
	if in.LevelExpected > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d 个水位计", in.LevelGauges, in.LevelExpected))
		low = low || 2*in.LevelGauges < in.LevelExpected
	}
	if len(parts) == 0 {
		return "无监测设备，仅依据预报与静态数据", true
	}
	s := "基于 " + strings.Join(parts, "、")
	if low {
		s += "（数据不足，可信度低）"
	}
	return s, low
}

// meanIntensity is the mean intensity in L/(s·hm²) over the last minutes.
func meanIntensity(perMinute []float64, minutes int) float64 {
	if minutes <= 0 {
		return 0
	}
	var sum float64
	for k := 0; k < minutes && k < len(perMinute); k++ {
		if v := perMinute[len(perMinute)-1-k]; v > 0 {
			sum += v
		}
	}
	return sum / float64(minutes) * MMPerMinToQ
}

// years writes a recurrence period the way a notice does: "5 年", "半年".
func years(p float64) string {
	switch {
	case p >= MaxPeriod:
		return "千年以上"
	case p >= 10:
		return fmt.Sprintf("%.0f 年", p)
	case p >= 1:
		return fmt.Sprintf("%.1f 年", p)
	case p > 0:
		return fmt.Sprintf("%.2f 年", p)
	}
	return "0 年"
}

func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
