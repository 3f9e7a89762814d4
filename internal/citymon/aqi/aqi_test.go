package aqi

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

type in = map[string]float64

// Every case of the standards note's AQI part, and the edges around each
// breakpoint that the rounding rule decides.
func TestCompute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		ed      Edition
		period  Period
		opt     Options
		c       in
		aqi     int
		cat     string
		level   string
		primary []string
		iaqi    map[string]int
		notes   []string // note codes expected among the notes
	}{
		{"PM2.5 on the IAQI-50 breakpoint: 优, no primary", HJ633_2012, Daily, Options{}, in{PM25: 35}, 50, "优", "一级", nil, map[string]int{PM25: 50}, nil},
		{"just above 50 is rounded up", HJ633_2012, Daily, Options{}, in{PM25: 36}, 52, "良", "二级", []string{PM25}, map[string]int{PM25: 52}, []string{"unverified_rounding"}},
		{"PM2.5 75 is 100 in 2012", HJ633_2012, Daily, Options{}, in{PM25: 75}, 100, "良", "二级", []string{PM25}, nil, nil},
		{"PM2.5 80 → 106.25 → 107", HJ633_2012, Daily, Options{}, in{PM25: 80}, 107, "轻度污染", "三级", []string{PM25}, nil, nil},
		{"PM10 151 → 100.5 → 101", HJ633_2012, Daily, Options{}, in{PM10: 151}, 101, "轻度污染", "三级", []string{PM10}, nil, nil},
		{"a tie names both primaries", HJ633_2012, Daily, Options{}, in{PM10: 150, PM25: 75}, 100, "良", "二级", []string{PM10, PM25}, map[string]int{PM10: 100, PM25: 100}, nil},
		{"AQI 50 from two pollutants: primary empty", HJ633_2012, Daily, Options{}, in{PM25: 20, NO2: 40}, 50, "优", "一级", nil, map[string]int{PM25: 29, NO2: 50}, nil},
		{"exact arithmetic: CO 2.2 is 55, not 56", HJ633_2012, Daily, Options{}, in{CO: 2.2}, 55, "良", "二级", []string{CO}, nil, nil},
		{"CO 4.1 daily → 101", HJ633_2012, Daily, Options{}, in{CO: 4.1}, 101, "轻度污染", "三级", []string{CO}, nil, nil},
		{"O3 8-hour 161 → 101", HJ633_2012, Daily, Options{}, in{O3_8h: 161}, 101, "轻度污染", "三级", []string{O3_8h}, nil, nil},
		{"O3 8-hour 800 → 300", HJ633_2012, Daily, Options{}, in{O3_8h: 800}, 300, "重度污染", "五级", []string{O3_8h}, nil, nil},
		{"O3 8-hour above 800: the 1-hour IAQI is reported", HJ633_2012, Daily, Options{}, in{O3_8h: 850, O3: 900}, 350, "严重污染", "六级", []string{O3}, map[string]int{O3: 350}, []string{"o3_8h_above_800"}},
		{"O3 8-hour above 800 without a 1-hour value: O3 left out", HJ633_2012, Daily, Options{}, in{O3_8h: 850, PM25: 35}, 50, "优", "一级", nil, map[string]int{PM25: 50}, []string{"left_out"}},
		{"daily report ignores the 1-hour O3 below 800", HJ633_2012, Daily, Options{}, in{O3_8h: 100, O3: 300}, 50, "优", "一级", nil, map[string]int{O3_8h: 50}, []string{"left_out"}},
		{"SO2 24-hour on the last breakpoint", HJ633_2012, Daily, Options{}, in{SO2: 2620}, 500, "严重污染", "六级", []string{SO2}, nil, nil},
		{"beyond the table: 500 and flagged", HJ633_2012, Daily, Options{}, in{PM25: 501}, 500, "严重污染", "六级", []string{PM25}, nil, []string{"beyond_table"}},
		{"hourly: SO2 1-hour column", HJ633_2012, Hourly, Options{}, in{SO2: 500}, 100, "良", "二级", []string{SO2}, nil, nil},
		{"hourly: SO2 above 800 reports the 24-hour IAQI", HJ633_2012, Hourly, Options{}, in{SO2: 900, SO2_24: 200}, 108, "轻度污染", "三级", []string{SO2}, map[string]int{SO2: 108}, []string{"so2_1h_above_800"}},
		{"hourly: SO2 above 800 with no 24-hour mean is left out", HJ633_2012, Hourly, Options{}, in{SO2: 900, NO2: 100}, 50, "优", "一级", nil, map[string]int{NO2: 50}, []string{"left_out"}},
		{"hourly: NO2 250 → 105 exactly", HJ633_2012, Hourly, Options{}, in{NO2: 250}, 105, "轻度污染", "三级", []string{NO2}, nil, nil},
		{"hourly: PM uses the 24-hour breakpoints", HJ633_2012, Hourly, Options{}, in{PM25: 115}, 150, "轻度污染", "三级", []string{PM25}, nil, nil},
		{"hourly: O3 1-hour 200 → 100", HJ633_2012, Hourly, Options{}, in{O3: 200}, 100, "良", "二级", []string{O3}, nil, nil},
		{"hourly: O3 1-hour beyond 1200", HJ633_2012, Hourly, Options{}, in{O3: 1300}, 500, "严重污染", "六级", []string{O3}, nil, []string{"beyond_table"}},
		{"hourly: CO 1-hour 5.3 → 53", HJ633_2012, Hourly, Options{}, in{CO: 5.3}, 53, "良", "二级", []string{CO}, nil, nil},
		{"hourly: O3 8-hour moving mean counts", HJ633_2012, Hourly, Options{}, in{O3: 150, O3_8h: 170}, 110, "轻度污染", "三级", []string{O3_8h}, map[string]int{O3: 47, O3_8h: 110}, nil},
		{"2026: PM2.5 60 is 100", HJ633_2026, Daily, Options{}, in{PM25: 60}, 100, "良", "二级", []string{PM25}, nil, []string{"unverified_breakpoint"}},
		{"2026: PM2.5 75 → 113.6 → 114", HJ633_2026, Daily, Options{}, in{PM25: 75}, 114, "轻度污染", "三级", []string{PM25}, nil, nil},
		{"2026: PM10 120 is 100", HJ633_2026, Daily, Options{}, in{PM10: 120}, 100, "良", "二级", []string{PM10}, nil, nil},
		{"2026: PM10 150 → 111.5 → 112", HJ633_2026, Daily, Options{}, in{PM10: 150}, 112, "轻度污染", "三级", []string{PM10}, nil, nil},
		{"2026: other pollutants unchanged", HJ633_2026, Daily, Options{}, in{NO2: 80, SO2: 150}, 100, "良", "二级", []string{SO2, NO2}, nil, nil},
		{"2026: above-800 O3 falls back to the 2012 rule by default", HJ633_2026, Daily, Options{}, in{O3_8h: 850, O3: 900}, 350, "严重污染", "六级", []string{O3}, nil, nil},
		{"2026: the unverified cap, when configured", HJ633_2026, Daily, Options{Cap2026Above800: true}, in{O3_8h: 850, O3: 900}, 300, "重度污染", "五级", []string{O3_8h}, map[string]int{O3_8h: 300}, []string{"unverified_rule"}},
		{"2026: SO2 1-hour cap, when configured", HJ633_2026, Hourly, Options{Cap2026Above800: true}, in{SO2: 900}, 200, "中度污染", "四级", []string{SO2}, nil, []string{"unverified_rule"}},
		{"every pollutant, daily", HJ633_2012, Daily, Options{}, in{SO2: 10, NO2: 30, PM10: 60, CO: 0.8, O3_8h: 120, PM25: 40}, 67, "良", "二级", []string{O3_8h},
			map[string]int{SO2: 10, NO2: 38, PM10: 55, CO: 20, O3_8h: 67, PM25: 57}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := Compute(tc.ed, tc.period, tc.c, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.AQI != tc.aqi || r.Category != tc.cat || r.Level != tc.level {
				t.Errorf("AQI %d %s %s, want %d %s %s (iaqi %v)", r.AQI, r.Category, r.Level, tc.aqi, tc.cat, tc.level, r.IAQI)
			}
			if want := tc.primary; !slices.Equal(r.Primary, want) && !(len(want) == 0 && len(r.Primary) == 0) {
				t.Errorf("primary %v, want %v", r.Primary, want)
			}
			if r.Primary == nil {
				t.Error("primary must be an empty list, not null")
			}
			if tc.iaqi != nil && !mapsEqual(r.IAQI, tc.iaqi) {
				t.Errorf("iaqi %v, want %v", r.IAQI, tc.iaqi)
			}
			for _, code := range tc.notes {
				if !slices.ContainsFunc(r.Notes, func(n Note) bool { return n.Code == code }) {
					t.Errorf("no %q note among %+v", code, r.Notes)
				}
			}
			if tc.ed == HJ633_2012 && !slices.ContainsFunc(r.Notes, func(n Note) bool { return n.Code == "unverified_rounding" && n.Unverified }) {
				t.Error("a 2012 result must say its rounding rule is unverified")
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestComputeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    Period
		c    in
	}{
		{"nothing", Daily, in{}},
		{"unknown pollutant", Daily, in{"PM1": 3}},
		{"negative", Daily, in{PM25: -1}},
		{"NaN", Daily, in{PM25: math.NaN()}},
		{"SO2_24h in a daily report", Daily, in{SO2_24: 3}},
		{"only a 1-hour O3 in a daily report", Daily, in{O3: 100}},
	} {
		if _, err := Compute(HJ633_2012, tc.p, tc.c, Options{}); !errors.Is(err, ErrInput) {
			t.Errorf("%s: err %v, want ErrInput", tc.name, err)
		}
	}
	if _, err := Compute("2020", Daily, in{PM25: 3}, Options{}); !errors.Is(err, ErrInput) {
		t.Errorf("unknown edition: %v", err)
	}
}

func TestEditionOn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		at   time.Time
		want Edition
	}{
		{time.Date(2026, 2, 28, 23, 59, 59, 0, Zone), HJ633_2012},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, Zone), HJ633_2026},
		{time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC), HJ633_2026}, // 00:00 on 1 March in Beijing
		{time.Date(2026, 2, 28, 15, 59, 0, 0, time.UTC), HJ633_2012},
		{time.Date(2016, 1, 1, 0, 0, 0, 0, Zone), HJ633_2012},
	} {
		if got := EditionOn(tc.at); got != tc.want {
			t.Errorf("EditionOn(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
	for _, s := range []string{"2012", "HJ 633-2012"} {
		if e, err := ParseEdition(s); err != nil || e != HJ633_2012 {
			t.Errorf("ParseEdition(%q) = %v, %v", s, e, err)
		}
	}
	if _, err := ParseEdition("2019"); err == nil {
		t.Error("ParseEdition(2019): no error")
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		aqi             int
		level, cat, hex string
	}{
		{0, "一级", "优", "#00e400"}, {50, "一级", "优", "#00e400"},
		{51, "二级", "良", "#ffff00"}, {100, "二级", "良", "#ffff00"},
		{101, "三级", "轻度污染", "#ff7e00"}, {150, "三级", "轻度污染", "#ff7e00"},
		{151, "四级", "中度污染", "#ff0000"}, {200, "四级", "中度污染", "#ff0000"},
		{201, "五级", "重度污染", "#99004c"}, {300, "五级", "重度污染", "#99004c"},
		{301, "六级", "严重污染", "#7e0023"}, {500, "六级", "严重污染", "#7e0023"},
	} {
		l := LevelOf(tc.aqi)
		if l.Level != tc.level || l.Category != tc.cat || l.Hex() != tc.hex {
			t.Errorf("LevelOf(%d) = %s %s %s, want %s %s %s", tc.aqi, l.Level, l.Category, l.Hex(), tc.level, tc.cat, tc.hex)
		}
	}
}

func TestExceeding(t *testing.T) {
	t.Parallel()
	r, err := Compute(HJ633_2012, Daily, in{PM25: 80, PM10: 150, NO2: 90}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{NO2, PM25}; !slices.Equal(r.Exceeding, want) {
		t.Errorf("exceeding %v, want %v (iaqi %v)", r.Exceeding, want, r.IAQI)
	}
}

func TestValidity(t *testing.T) {
	t.Parallel()
	v := DefaultValidity
	day := func(valid int, val float64) Hours {
		h := make(Hours, 24)
		for i := range h {
			h[i] = math.NaN()
			if i < valid {
				h[i] = val
			}
		}
		return h
	}
	if _, ok := day(19, 10).Mean(v.MinHoursDaily); ok {
		t.Error("19 valid hours made a daily mean")
	}
	if m, ok := day(20, 10).Mean(v.MinHoursDaily); !ok || m != 10 {
		t.Errorf("20 valid hours: %v %v", m, ok)
	}
	h := Hours{1, 2, 3, 4, 5, 6, 7, 8, math.NaN(), math.NaN(), math.NaN()}
	m := h.Moving8h(v.MinHours8h)
	if !math.IsNaN(m[6]) || m[7] != 4.5 {
		t.Errorf("moving 8h: %v", m)
	}
	if m[9] != 5.5 { // hours 2..9: 3..8 valid (6 values)
		t.Errorf("6 valid of 8: %v, want 5.5", m[9])
	}
	if !math.IsNaN(m[10]) { // hours 3..10: 5 valid
		t.Errorf("5 valid of 8 gave %v", m[10])
	}
	// O3: a full day peaks at 15:00; windows 08–15 … reach the peak.
	o3 := make(Hours, 24)
	for i := range o3 {
		o3[i] = 40
	}
	for i := 10; i < 18; i++ {
		o3[i] = 200
	}
	if mx, ok := v.DailyO3Max8h(o3); !ok || mx != 200 {
		t.Errorf("max 8h %v %v, want 200", mx, ok)
	}
	// Hours 0–10 missing: windows ending before hour 15 have too few
	// hours, leaving 9 valid windows (< 14): invalid.
	for i := 0; i < 11; i++ {
		o3[i] = math.NaN()
	}
	if mx, ok := v.DailyO3Max8h(o3); ok {
		t.Errorf("too few 8-hour windows gave %v", mx)
	}
}

// For any concentrations the AQI is the largest IAQI, within 0–500, its
// level matches it, and primary is empty exactly when AQI ≤ 50.
func FuzzCompute(f *testing.F) {
	f.Add(35.0, 80.0, 120.0, 2.2, 850.0, 900.0, 10.0, false, false)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, true, true)
	f.Fuzz(func(t *testing.T, pm25, pm10, no2, co, o38, o3, so2 float64, hourly, y2026 bool) {
		ed, p := HJ633_2012, Daily
		if y2026 {
			ed = HJ633_2026
		}
		if hourly {
			p = Hourly
		}
		r, err := Compute(ed, p, map[string]float64{PM25: pm25, PM10: pm10, NO2: no2, CO: co, O3_8h: o38, O3: o3, SO2: so2}, Options{})
		if err != nil {
			return // negative, NaN or nothing computable: an input error, not a panic
		}
		top := 0
		for _, v := range r.IAQI {
			if v < 0 || v > 500 {
				t.Fatalf("IAQI %d out of range: %+v", v, r)
			}
			top = max(top, v)
		}
		if r.AQI != top || LevelOf(r.AQI).Category != r.Category || (r.AQI <= 50) != (len(r.Primary) == 0) {
			t.Fatalf("inconsistent result %+v", r)
		}
	})
}
