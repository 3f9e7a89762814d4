// Package aqi computes the air quality index of China's HJ 633 technical
// regulation: individual indices (IAQI) from concentrations, the AQI, its
// level, category and colour, and the primary and exceeding pollutants,
// for the daily and the hourly (real-time) report, under the 2012 edition
// and the 2026 edition that replaced it on 2026-03-01.
//
// The tables and rules are those of /work/shared/notes/standards.md (its
// sources are cited there). Where that note marks a rule unverified, the
// computation says so in Result.Notes; callers show the notes beside the
// figure and never present such a rule as the official one.
package aqi

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"time"
)

// Edition is an edition of HJ 633.
type Edition string

const (
	HJ633_2012 Edition = "2012"
	HJ633_2026 Edition = "2026"
)

// Zone is China Standard Time, in which the standards' dates are read.
var Zone = time.FixedZone("CST", 8*3600)

// Effective2026 is when HJ 633-2026 (issued with GB 3095-2026) replaced
// HJ 633-2012.
var Effective2026 = time.Date(2026, 3, 1, 0, 0, 0, 0, Zone)

// EditionOn is the edition in force at t (data is judged by its own date).
func EditionOn(t time.Time) Edition {
	if t.Before(Effective2026) {
		return HJ633_2012
	}
	return HJ633_2026
}

// ParseEdition accepts "2012", "2026", "HJ 633-2012" and the like.
func ParseEdition(s string) (Edition, error) {
	switch s {
	case "2012", "HJ633-2012", "HJ 633-2012":
		return HJ633_2012, nil
	case "2026", "HJ633-2026", "HJ 633-2026":
		return HJ633_2026, nil
	}
	return "", fmt.Errorf("aqi: unknown edition %q (want 2012 or 2026)", s)
}

// Title is the edition's full name.
func (e Edition) Title() string { return "HJ 633-" + string(e) }

// Period is the report an index belongs to.
type Period int

const (
	// Daily uses 24-hour means and the day's maximum 8-hour O3 mean.
	Daily Period = iota
	// Hourly is the real-time report: 1-hour values.
	Hourly
)

// The input names, as the command line and the sensors spell them.
// Concentrations are µg/m³, CO mg/m³.
const (
	SO2    = "SO2"
	NO2    = "NO2"
	PM10   = "PM10"
	CO     = "CO"
	O3     = "O3"    // 1-hour mean
	O3_8h  = "O3_8h" // 8-hour mean (daily: the day's maximum)
	PM25   = "PM2.5"
	SO2_24 = "SO2_24h" // hourly report only: the 24-hour mean, used when SO2's 1-hour value is above 800
)

// Pollutants lists the inputs in the order results list them.
var Pollutants = []string{SO2, NO2, PM10, CO, O3, O3_8h, PM25}

// Names are the pollutants' Chinese names as reports print them.
var Names = map[string]string{
	SO2: "二氧化硫", NO2: "二氧化氮", PM10: "PM10", CO: "一氧化碳",
	O3: "臭氧1小时", O3_8h: "臭氧8小时", PM25: "PM2.5",
}

// Breakpoints for IAQI 0, 50, 100, 150, 200, 300, 400, 500; NaN where
// the table has no value ("—").
type column [8]float64

var iaqiSteps = [8]int64{0, 50, 100, 150, 200, 300, 400, 500}

var nan = math.NaN()

// HJ 633-2012 Table 1 [verified in the standards note].
var (
	so2_24h  = column{0, 50, 150, 475, 800, 1600, 2100, 2620}
	so2_1h   = column{0, 150, 500, 650, 800, nan, nan, nan}
	no2_24h  = column{0, 40, 80, 180, 280, 565, 750, 940}
	no2_1h   = column{0, 100, 200, 700, 1200, 2340, 3090, 3840}
	pm10_24h = column{0, 50, 150, 250, 350, 420, 500, 600}
	co_24h   = column{0, 2, 4, 14, 24, 36, 48, 60}
	co_1h    = column{0, 5, 10, 35, 60, 90, 120, 150}
	o3_1h    = column{0, 160, 200, 300, 400, 800, 1000, 1200}
	o3_8h    = column{0, 100, 160, 215, 265, 800, nan, nan}
	pm25_24h = column{0, 35, 75, 115, 150, 250, 350, 500}
)

// HJ 633-2026: the IAQI-100 breakpoints of PM2.5 (60) and PM10 (120)
// changed [verified]; the rest as 2012. PM2.5's IAQI-50 breakpoint is 35
// in three sources and 30 in one [unverified]: 35 is kept and noted.
var (
	pm10_24h_2026 = column{0, 50, 120, 250, 350, 420, 500, 600}
	pm25_24h_2026 = column{0, 35, 60, 115, 150, 250, 350, 500}
)

// Options hold the rules the standards note could not verify, so that
// they stay configuration and never pass for the official text.
type Options struct {
	// Cap2026Above800 applies the 2026 above-800 rules found only in code
	// sources (SO2 1-hour above 800 counts as IAQI 200, O3 8-hour above
	// 800 as 300) [unverified]. Off: the 2012 rules apply to both editions.
	Cap2026Above800 bool
}

// Note is a remark on a result: a rule applied that the standards note
// marks unverified, a value beyond the table, an input left out and why.
type Note struct {
	Code       string `json:"code"`       // unverified_rounding, beyond_table, left_out …
	Pollutant  string `json:"pollutant"`  // "" when it concerns the whole result
	Text       string `json:"text"`       // Simplified Chinese, fit to show
	Unverified bool   `json:"unverified"` // the rule is not confirmed by the sources
}

// Result is one AQI. Its JSON is the contract of `fuwu city aqi --json`.
type Result struct {
	AQI      int            `json:"aqi"`
	Category string         `json:"category"` // 优, 良 …
	Level    string         `json:"level"`    // 一级 …
	Primary  []string       `json:"primary"`  // empty when AQI ≤ 50
	IAQI     map[string]int `json:"iaqi"`
	// Exceeding lists pollutants with IAQI above 100 (超标污染物) [one source].
	Exceeding []string `json:"-"`
	Edition   Edition  `json:"-"`
	Period    Period   `json:"-"`
	Notes     []Note   `json:"-"`
}

// ErrInput is matched by every input error.
var ErrInput = errors.New("aqi: invalid input")

// Compute returns the AQI of the concentrations in c under edition ed.
// Pollutants not given are left out; an empty c is an error.
func Compute(ed Edition, p Period, c map[string]float64, opt Options) (Result, error) {
	if ed != HJ633_2012 && ed != HJ633_2026 {
		return Result{}, fmt.Errorf("%w: edition %q", ErrInput, ed)
	}
	for k, v := range c {
		if !known(k) {
			return Result{}, fmt.Errorf("%w: unknown pollutant %q (want SO2, NO2, PM10, CO, O3, O3_8h, PM2.5)", ErrInput, k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return Result{}, fmt.Errorf("%w: %s=%v: a concentration is a number ≥ 0", ErrInput, k, v)
		}
	}
	if _, ok := c[SO2_24]; ok && p == Daily {
		return Result{}, fmt.Errorf("%w: SO2_24h is for the hourly report; a daily report takes the 24-hour mean as SO2", ErrInput)
	}
	r := Result{IAQI: map[string]int{}, Primary: []string{}, Edition: ed, Period: p}
	pm10, pm25 := pm10_24h, pm25_24h
	if ed == HJ633_2026 {
		pm10, pm25 = pm10_24h_2026, pm25_24h_2026
	}
	set := func(name string, col column, v float64) {
		idx, beyond := iaqi(col, v)
		r.IAQI[name] = idx
		if beyond {
			r.Notes = append(r.Notes, Note{Code: "beyond_table", Pollutant: name,
				Text: fmt.Sprintf("%s 浓度 %s 超出分级限值表上限，分指数按 500 计", name, fmtNum(v))})
		}
	}
	if v, ok := c[PM10]; ok {
		set(PM10, pm10, v)
	}
	if v, ok := c[PM25]; ok {
		set(PM25, pm25, v)
		if ed == HJ633_2026 && v <= 60 {
			r.Notes = append(r.Notes, Note{Code: "unverified_breakpoint", Pollutant: PM25, Unverified: true,
				Text: "HJ 633-2026 中 PM2.5 分指数 50 对应的浓度限值按 35 计（多数来源为 35，一处为 30，未经核实）"})
		}
	}
	switch p {
	case Daily:
		for _, x := range []struct {
			name string
			col  column
		}{{SO2, so2_24h}, {NO2, no2_24h}, {CO, co_24h}} {
			if v, ok := c[x.name]; ok {
				set(x.name, x.col, v)
			}
		}
		v8, has8 := c[O3_8h]
		v1, has1 := c[O3]
		switch {
		case has8 && v8 <= 800:
			set(O3_8h, o3_8h, v8)
			if has1 {
				r.Notes = append(r.Notes, leftOut(O3, "日报中臭氧 1 小时值仅在 8 小时值高于 800 时使用"))
			}
		case has8 && ed == HJ633_2026 && opt.Cap2026Above800:
			r.IAQI[O3_8h] = 300
			r.Notes = append(r.Notes, Note{Code: "unverified_rule", Pollutant: O3_8h, Unverified: true,
				Text: "臭氧 8 小时浓度高于 800，按 HJ 633-2026 分指数计 300（此规则仅见于代码来源，未经核实）"})
		case has8 && has1:
			set(O3, o3_1h, v1)
			r.Notes = append(r.Notes, Note{Code: "o3_8h_above_800", Pollutant: O3,
				Text: "臭氧 8 小时浓度高于 800，不计算其分指数，按 1 小时浓度计算的分指数报告"})
		case has8:
			r.Notes = append(r.Notes, leftOut(O3_8h, "臭氧 8 小时浓度高于 800，不计算其分指数；未给出 1 小时浓度（O3=），臭氧未计入"))
		case has1:
			r.Notes = append(r.Notes, leftOut(O3, "日报中臭氧 1 小时值仅在 8 小时值高于 800 时使用；请给出 O3_8h"))
		}
	case Hourly:
		for _, x := range []struct {
			name string
			col  column
		}{{NO2, no2_1h}, {CO, co_1h}, {O3, o3_1h}} {
			if v, ok := c[x.name]; ok {
				set(x.name, x.col, v)
			}
		}
		if v, ok := c[SO2]; ok {
			v24, has24 := c[SO2_24]
			switch {
			case v <= 800:
				set(SO2, so2_1h, v)
			case ed == HJ633_2026 && opt.Cap2026Above800:
				r.IAQI[SO2] = 200
				r.Notes = append(r.Notes, Note{Code: "unverified_rule", Pollutant: SO2, Unverified: true,
					Text: "二氧化硫 1 小时浓度高于 800，按 HJ 633-2026 分指数计 200（此规则仅见于代码来源，未经核实）"})
			case has24:
				set(SO2, so2_24h, v24)
				r.Notes = append(r.Notes, Note{Code: "so2_1h_above_800", Pollutant: SO2,
					Text: "二氧化硫 1 小时浓度高于 800，不计算其 1 小时分指数，按 24 小时平均浓度计算的分指数报告"})
			default:
				r.Notes = append(r.Notes, leftOut(SO2, "二氧化硫 1 小时浓度高于 800，不计算其 1 小时分指数；未给出 24 小时平均浓度（SO2_24h=），二氧化硫未计入"))
			}
		} else if _, ok := c[SO2_24]; ok {
			r.Notes = append(r.Notes, leftOut(SO2_24, "SO2_24h 仅在 1 小时浓度高于 800 时使用；请给出 SO2"))
		}
		if v, ok := c[O3_8h]; ok {
			if v <= 800 {
				set(O3_8h, o3_8h, v)
			} else {
				r.Notes = append(r.Notes, leftOut(O3_8h, "臭氧 8 小时浓度高于 800，不计算其分指数，以 1 小时分指数报告"))
			}
		}
	}
	if len(r.IAQI) == 0 {
		return Result{}, fmt.Errorf("%w: no pollutant to compute (give e.g. PM2.5=35)", ErrInput)
	}
	for _, v := range r.IAQI {
		r.AQI = max(r.AQI, v)
	}
	if r.AQI > 50 {
		for _, name := range Pollutants {
			if v, ok := r.IAQI[name]; ok && v == r.AQI {
				r.Primary = append(r.Primary, name)
			}
		}
	}
	for _, name := range Pollutants {
		if r.IAQI[name] > 100 {
			r.Exceeding = append(r.Exceeding, name)
		}
	}
	lv := LevelOf(r.AQI)
	r.Category, r.Level = lv.Category, lv.Level
	if ed == HJ633_2012 {
		r.Notes = append(r.Notes, Note{Code: "unverified_rounding", Unverified: true,
			Text: "分指数向上取整：HJ 633-2026 第 4.2.6 条的规定，2012 版沿用的是通行做法，未经核实"})
	}
	sort.SliceStable(r.Notes, func(i, j int) bool { return r.Notes[i].Code < r.Notes[j].Code })
	return r, nil
}

func leftOut(p, why string) Note { return Note{Code: "left_out", Pollutant: p, Text: why} }

func known(k string) bool {
	switch k {
	case SO2, NO2, PM10, CO, O3, O3_8h, PM25, SO2_24:
		return true
	}
	return false
}

// iaqi interpolates c in col and rounds up (HJ 633-2026 §4.2.6). The
// arithmetic is exact (rational), so that a value on an integer is not
// pushed past it by floating point. beyond reports a concentration above
// the last breakpoint (IAQI 500).
func iaqi(col column, c float64) (idx int, beyond bool) {
	last := 0
	for i := range col {
		if !math.IsNaN(col[i]) {
			last = i
		}
	}
	if c > col[last] {
		return int(iaqiSteps[last]), true
	}
	cr, ok := new(big.Rat).SetString(strconv.FormatFloat(c, 'g', -1, 64))
	if !ok {
		return 0, false // unreachable for finite c
	}
	for i := 0; i < last; i++ {
		lo, hi := col[i], col[i+1]
		if c < lo || c > hi {
			continue
		}
		// (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo
		num := new(big.Rat).Sub(cr, ratOf(lo))
		num.Mul(num, new(big.Rat).SetInt64(iaqiSteps[i+1]-iaqiSteps[i]))
		num.Quo(num, new(big.Rat).Sub(ratOf(hi), ratOf(lo)))
		num.Add(num, new(big.Rat).SetInt64(iaqiSteps[i]))
		return int(ceilRat(num)), false
	}
	return 0, false
}

func ratOf(f float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return r
}

func ceilRat(r *big.Rat) int64 {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Level is one of HJ 633's six AQI levels.
type Level struct {
	Max      int    `json:"max"`      // the level's highest AQI (a very large number for 六级)
	Level    string `json:"level"`    // 一级 …
	Category string `json:"category"` // 优 …
	Colour   string `json:"colour"`   // 绿色 …
	RGB      [3]int `json:"rgb"`
}

// Hex is the colour as #rrggbb.
func (l Level) Hex() string { return fmt.Sprintf("#%02x%02x%02x", l.RGB[0], l.RGB[1], l.RGB[2]) }

// Levels are HJ 633's levels with their official colours [verified].
var Levels = []Level{
	{50, "一级", "优", "绿色", [3]int{0, 228, 0}},
	{100, "二级", "良", "黄色", [3]int{255, 255, 0}},
	{150, "三级", "轻度污染", "橙色", [3]int{255, 126, 0}},
	{200, "四级", "中度污染", "红色", [3]int{255, 0, 0}},
	{300, "五级", "重度污染", "紫色", [3]int{153, 0, 76}},
	{math.MaxInt32, "六级", "严重污染", "褐红色", [3]int{126, 0, 35}},
}

// LevelOf is the level of an AQI value.
func LevelOf(aqi int) Level {
	for _, l := range Levels {
		if aqi <= l.Max {
			return l
		}
	}
	return Levels[len(Levels)-1]
}
