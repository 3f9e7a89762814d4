package citymon

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
)

// The six pollutants of the air modules, as device parameters.
var airParams = []string{"SO2", "NO2", "PM10", "CO", "O3", "PM2.5"}

// AQIValue is an AQI for one station or street and one hour or day. AQI
// is nil when it cannot be published: no valid data, or (HJ 633-2026
// §5.3.1, one source) a pollutant missing while the AQI is at most 100.
type AQIValue struct {
	At       time.Time      `json:"at"`  // the hour's start, or the day's midnight
	Day      string         `json:"day"` // YYYY-MM-DD (Beijing)
	AQI      *int           `json:"aqi"`
	Category string         `json:"category"`
	Level    string         `json:"level"`
	Colour   string         `json:"colour"` // #rrggbb, HJ 633 Appendix A
	Primary  []string       `json:"primary"`
	IAQI     map[string]int `json:"iaqi"`
	// Conc are the concentrations used (µg/m³, CO mg/m³); Invalid the
	// pollutants whose mean had too few hours (GB 3095 validity) and is
	// therefore not shown as a value.
	Conc    map[string]float64 `json:"conc"`
	Invalid []string           `json:"invalid"`
	Edition aqi.Edition        `json:"edition"`
	Notes   []aqi.Note         `json:"notes,omitempty"`
}

// hourMeans reads the hourly means of params for device over [from, to):
// param → hour start (Unix) → mean.
func (s *Store) hourMeans(ctx context.Context, device string, params []string, from, to time.Time) (map[string]map[int64]float64, error) {
	out := map[string]map[int64]float64{}
	for _, p := range params {
		id, ok, err := s.lookupSeries(ctx, device, p)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		rows, err := s.db.Query(ctx, `SELECT hour, sum / n FROM citymon_hourly WHERE series = ? AND hour >= ? AND hour < ?`, id, from.Unix(), to.Unix())
		if err != nil {
			return nil, fmt.Errorf("hourly %s/%s: %w", device, p, err)
		}
		m := map[int64]float64{}
		for rows.Next() {
			var h int64
			var v float64
			if err := rows.Scan(&h, &v); err != nil {
				rows.Close()
				return nil, err
			}
			m[h] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[p] = m
	}
	return out, nil
}

// averageMeans is the mean over devices of their hourly means, hour by
// hour (a street's or the district's concentration is the mean of its
// stations').
func averageMeans(all []map[string]map[int64]float64) map[string]map[int64]float64 {
	sum := map[string]map[int64][2]float64{}
	for _, dm := range all {
		for p, hm := range dm {
			if sum[p] == nil {
				sum[p] = map[int64][2]float64{}
			}
			for h, v := range hm {
				a := sum[p][h]
				sum[p][h] = [2]float64{a[0] + v, a[1] + 1}
			}
		}
	}
	out := map[string]map[int64]float64{}
	for p, hm := range sum {
		out[p] = map[int64]float64{}
		for h, a := range hm {
			out[p][h] = a[0] / a[1]
		}
	}
	return out
}

// stationsOf are the air stations a scope names: one station id, a
// street's name (街道), or "" for the whole district.
func (s *Store) stationsOf(ctx context.Context, scope string) ([]Device, error) {
	devs, err := s.Devices(ctx, AirStation)
	if err != nil {
		return nil, err
	}
	var out []Device
	for _, d := range devs {
		if scope == "" || d.ID == scope || d.Street == scope {
			out = append(out, d)
		}
	}
	if len(out) == 0 && scope != "" {
		return nil, fmt.Errorf("air scope %q: %w", scope, ErrNotFound)
	}
	return out, nil
}

func (s *Store) scopeMeans(ctx context.Context, scope string, from, to time.Time) (map[string]map[int64]float64, error) {
	stations, err := s.stationsOf(ctx, scope)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(stations))
	for i, d := range stations {
		ids[i] = d.ID
	}
	bulk, err := s.bulkHourMeans(ctx, ids, airParams, from, to)
	if err != nil {
		return nil, err
	}
	all := make([]map[string]map[int64]float64, 0, len(bulk))
	for _, id := range ids {
		if m, ok := bulk[id]; ok {
			all = append(all, m)
		}
	}
	return averageMeans(all), nil
}

// HourlyAQI is the real-time AQI of a station, a street or the district
// (scope as for stationsOf) for each hour starting in [from, to): 1-hour
// means, the O3 8-hour moving mean (at least 6 valid hours), and the
// edition in force at each hour.
func (s *Store) HourlyAQI(ctx context.Context, scope string, from, to time.Time) ([]AQIValue, error) {
	from, to = from.Truncate(time.Hour), to.Truncate(time.Hour)
	m, err := s.scopeMeans(ctx, scope, from.Add(-7*time.Hour), to)
	if err != nil {
		return nil, err
	}
	out := []AQIValue{}
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		out = append(out, hourAQI(m, h))
	}
	return out, nil
}

// DailyAQI is the daily AQI of a scope for each day from fromDay to toDay
// (YYYY-MM-DD, inclusive): 24-hour means from at least 20 valid hours and
// the day's maximum 8-hour O3 (GB 3095 validity); a pollutant whose mean
// is invalid is left out and listed in Invalid.
func (s *Store) DailyAQI(ctx context.Context, scope, fromDay, toDay string) ([]AQIValue, error) {
	from, err := time.ParseInLocation(time.DateOnly, fromDay, Zone)
	if err != nil {
		return nil, fmt.Errorf("%w: day %q", ErrInput, fromDay)
	}
	to, err := time.ParseInLocation(time.DateOnly, toDay, Zone)
	if err != nil {
		return nil, fmt.Errorf("%w: day %q", ErrInput, toDay)
	}
	m, err := s.scopeMeans(ctx, scope, from, to.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	v := aqi.DefaultValidity
	out := []AQIValue{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		conc := map[string]float64{}
		var invalid []string
		any := false
		for _, p := range airParams {
			hm, ok := m[p]
			if !ok {
				continue
			}
			hours := make(aqi.Hours, 24)
			for i := range hours {
				x, ok := hm[d.Add(time.Duration(i)*time.Hour).Unix()]
				if !ok {
					x = math.NaN()
				}
				hours[i] = x
			}
			if _, ok := hours.Mean(1); ok {
				any = true
			} else {
				continue
			}
			if p == "O3" {
				if mx, ok := v.DailyO3Max8h(hours); ok {
					conc[aqi.O3_8h] = mx
					if mx > 800 {
						conc[aqi.O3] = maxOf(hours) // the day's 1-hour maximum reports O3 then
					}
				} else {
					invalid = append(invalid, aqi.O3_8h)
				}
				continue
			}
			if mean, ok := hours.Mean(v.MinHoursDaily); ok {
				conc[p] = mean
			} else {
				invalid = append(invalid, p)
			}
		}
		if !any {
			out = append(out, makeAQI(d, aqi.Daily, nil, nil, true))
			continue
		}
		out = append(out, makeAQI(d, aqi.Daily, conc, invalid, true))
	}
	return out, nil
}

func maxOf(h aqi.Hours) float64 {
	m := math.Inf(-1)
	for _, v := range h {
		if !math.IsNaN(v) {
			m = max(m, v)
		}
	}
	return m
}

// makeAQI computes the AQI of conc at at (edition by date). A daily value
// with a pollutant missing follows HJ 633-2026 §5.3.1 under that edition.
func makeAQI(at time.Time, p aqi.Period, conc map[string]float64, invalid []string, daily bool) AQIValue {
	ed := aqi.EditionOn(at)
	v := AQIValue{At: at.In(Zone), Day: at.In(Zone).Format(time.DateOnly), Primary: []string{}, IAQI: map[string]int{},
		Conc: map[string]float64{}, Invalid: invalid, Edition: ed, Colour: "#bbbbbb"}
	if v.Invalid == nil {
		v.Invalid = []string{}
	}
	if len(conc) == 0 {
		return v
	}
	in := map[string]float64{}
	for k, x := range conc {
		in[k] = x
		v.Conc[k] = x
	}
	r, err := aqi.Compute(ed, p, in, aqi.Options{})
	if err != nil {
		return v
	}
	v.IAQI, v.Notes = r.IAQI, r.Notes
	missing := false
	for _, q := range []string{"SO2", "NO2", "PM10", "CO", "PM2.5"} {
		if _, ok := r.IAQI[q]; !ok {
			missing = true
		}
	}
	if _, ok8 := r.IAQI[aqi.O3_8h]; !ok8 {
		if _, ok1 := r.IAQI[aqi.O3]; !ok1 {
			missing = true
		}
	}
	if daily && missing && ed == aqi.HJ633_2026 && r.AQI <= 100 {
		// §5.3.1 [one source]: publish the IAQIs, the AQI as "NA".
		v.Notes = append(v.Notes, aqi.Note{Code: "missing_na", Text: "有污染物缺测且 AQI 不超过 100：按 HJ 633-2026 第 5.3.1 条发布为 NA（仅一处来源）"})
		return v
	}
	a := r.AQI
	v.AQI, v.Category, v.Level, v.Primary = &a, r.Category, r.Level, r.Primary
	v.Colour = aqi.LevelOf(a).Hex()
	if missing {
		v.Notes = append(v.Notes, aqi.Note{Code: "incomplete", Text: "部分污染物缺测，AQI 按已有项目计算"})
	}
	return v
}

// AirStats summarises daily AQIs over a period.
type AirStats struct {
	From          string         `json:"from"`
	To            string         `json:"to"`
	Days          int            `json:"days"`           // days with a published AQI
	GoodDays      int            `json:"good_days"`      // 优良天数 (AQI ≤ 100)
	GoodRate      float64        `json:"good_rate"`      // 优良天数比例
	ExceedDays    int            `json:"exceed_days"`    // 超标天数 (AQI > 100)
	MeanAQI       float64        `json:"mean_aqi"`       // mean of the daily AQIs
	MeanPM25      float64        `json:"mean_pm25"`      // mean of the valid daily PM2.5 means
	PrimaryCounts map[string]int `json:"primary_counts"` // days each pollutant was primary
}

func statsOf(from, to string, days []AQIValue) AirStats {
	st := AirStats{From: from, To: to, PrimaryCounts: map[string]int{}}
	sumAQI, sumPM, nPM := 0, 0.0, 0
	for _, d := range days {
		if pm, ok := d.Conc["PM2.5"]; ok {
			sumPM += pm
			nPM++
		}
		if d.AQI == nil {
			continue
		}
		st.Days++
		sumAQI += *d.AQI
		if *d.AQI <= 100 {
			st.GoodDays++
		} else {
			st.ExceedDays++
		}
		for _, p := range d.Primary {
			st.PrimaryCounts[p]++
		}
	}
	if st.Days > 0 {
		st.GoodRate = round3(float64(st.GoodDays) / float64(st.Days))
		st.MeanAQI = round1(float64(sumAQI) / float64(st.Days))
	}
	if nPM > 0 {
		st.MeanPM25 = round1(sumPM / float64(nPM))
	}
	return st
}

// AirComparison is a period and the same period a year before.
type AirComparison struct {
	Scope    string   `json:"scope"`
	Current  AirStats `json:"current"`
	LastYear AirStats `json:"last_year"`
	// Changes: good-day rate in percentage points, PM2.5 in per cent.
	GoodRateChange float64 `json:"good_rate_change_pp"`
	PM25Change     float64 `json:"pm25_change_pct"`
}

// CompareMonth compares the month of day (up to day) with the same days a
// year before; CompareYTD does the same from 1 January.
func (s *Store) CompareMonth(ctx context.Context, scope string, day time.Time) (AirComparison, error) {
	d := day.In(Zone)
	return s.compare(ctx, scope, time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, Zone), d)
}

// CompareYTD compares the year to day with the same span a year before.
func (s *Store) CompareYTD(ctx context.Context, scope string, day time.Time) (AirComparison, error) {
	d := day.In(Zone)
	return s.compare(ctx, scope, time.Date(d.Year(), 1, 1, 0, 0, 0, 0, Zone), d)
}

func (s *Store) compare(ctx context.Context, scope string, from, to time.Time) (AirComparison, error) {
	f, t := from.Format(time.DateOnly), to.Format(time.DateOnly)
	cur, err := s.DailyAQI(ctx, scope, f, t)
	if err != nil {
		return AirComparison{}, err
	}
	pf, pt := from.AddDate(-1, 0, 0).Format(time.DateOnly), to.AddDate(-1, 0, 0).Format(time.DateOnly)
	prev, err := s.DailyAQI(ctx, scope, pf, pt)
	if err != nil {
		return AirComparison{}, err
	}
	c := AirComparison{Scope: scope, Current: statsOf(f, t, cur), LastYear: statsOf(pf, pt, prev)}
	if c.LastYear.Days > 0 && c.Current.Days > 0 {
		c.GoodRateChange = round1(100 * (c.Current.GoodRate - c.LastYear.GoodRate))
	}
	if c.LastYear.MeanPM25 > 0 {
		c.PM25Change = round1(100 * (c.Current.MeanPM25 - c.LastYear.MeanPM25) / c.LastYear.MeanPM25)
	}
	return c, nil
}

// ExceedanceDays lists the days from fromDay to toDay whose AQI was above
// 100 in scope.
func (s *Store) ExceedanceDays(ctx context.Context, scope, fromDay, toDay string) ([]AQIValue, error) {
	days, err := s.DailyAQI(ctx, scope, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	out := []AQIValue{}
	for _, d := range days {
		if d.AQI != nil && *d.AQI > 100 {
			out = append(out, d)
		}
	}
	return out, nil
}

// StreetRank is a street's AQI standing.
type StreetRank struct {
	Street   string   `json:"street"`
	Stations int      `json:"stations"`
	AQI      AQIValue `json:"aqi"`
}

// StreetRanking ranks the streets with air stations by their daily AQI on
// day, best first; streets without a published AQI come last.
func (s *Store) StreetRanking(ctx context.Context, day string) ([]StreetRank, error) {
	devs, err := s.Devices(ctx, AirStation)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, d := range devs {
		if d.Street != "" {
			count[d.Street]++
		}
	}
	out := []StreetRank{}
	for _, street := range slices.Sorted(maps.Keys(count)) {
		v, err := s.DailyAQI(ctx, street, day, day)
		if err != nil {
			return nil, err
		}
		out = append(out, StreetRank{Street: street, Stations: count[street], AQI: v[0]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].AQI.AQI, out[j].AQI.AQI
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a < *b
	})
	return out, nil
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
