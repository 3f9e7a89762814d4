package citymon

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
)

// The dashboard's queries: each returns a value ready to encode as JSON
// for the one-screen page (/city), which only renders them.

// bulkHourMeans reads the hourly means of params for many devices at once
// (one query per 500 series): device → param → hour → mean.
func (s *Store) bulkHourMeans(ctx context.Context, devices []string, params []string, from, to time.Time) (map[string]map[string]map[int64]float64, error) {
	ids := map[int64]seriesKey{}
	var list []int64
	for _, d := range devices {
		for _, p := range params {
			id, ok, err := s.lookupSeries(ctx, d, p)
			if err != nil {
				return nil, err
			}
			if ok {
				ids[id] = seriesKey{d, p}
				list = append(list, id)
			}
		}
	}
	out := map[string]map[string]map[int64]float64{}
	for start := 0; start < len(list); start += 500 {
		chunk := list[start:min(start+500, len(list))]
		args := []any{from.Unix(), to.Unix()}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := s.db.Query(ctx, `SELECT series, hour, sum / n FROM citymon_hourly WHERE hour >= ? AND hour < ? AND series IN (`+
			placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("hourly means: %w", err)
		}
		for rows.Next() {
			var id, h int64
			var v float64
			if err := rows.Scan(&id, &h, &v); err != nil {
				rows.Close()
				return nil, err
			}
			k := ids[id]
			if out[k.device] == nil {
				out[k.device] = map[string]map[int64]float64{}
			}
			if out[k.device][k.param] == nil {
				out[k.device][k.param] = map[int64]float64{}
			}
			out[k.device][k.param][h] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hourAQI is the real-time AQI at hour h from one device's hourly means.
func hourAQI(m map[string]map[int64]float64, h time.Time) AQIValue {
	conc := map[string]float64{}
	for _, p := range airParams {
		if x, ok := m[p][h.Unix()]; ok {
			conc[p] = x
		}
	}
	// An hour in which nothing was measured has no AQI: the 8-hour O3 mean
	// of the hours before it would otherwise report one (an "优" from ozone
	// alone for an hour not yet begun to be measured).
	if o3, ok := m["O3"]; ok && len(conc) > 0 {
		win := make(aqi.Hours, 8)
		for i := range win {
			x, ok := o3[h.Add(time.Duration(i-7)*time.Hour).Unix()]
			if !ok {
				x = math.NaN()
			}
			win[i] = x
		}
		if mean, ok := win.Mean(aqi.DefaultValidity.MinHours8h); ok {
			conc[aqi.O3_8h] = mean
		}
	}
	return makeAQI(h, aqi.Hourly, conc, nil, false)
}

// StationStatus is an air station on the map.
type StationStatus struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Street    string   `json:"street"`
	Community string   `json:"community"`
	Lon       float64  `json:"lon"`
	Lat       float64  `json:"lat"`
	Online    bool     `json:"online"`
	AQI       AQIValue `json:"aqi"` // the latest hour with data in the last three
}

// Stations are the air stations with their latest hourly AQI and its
// official colour (grey without data), by id.
func (s *Store) Stations(ctx context.Context, now time.Time) ([]StationStatus, error) {
	devs, err := s.Devices(ctx, AirStation)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(devs))
	for i, d := range devs {
		ids[i] = d.ID
	}
	cur := now.Truncate(time.Hour)
	m, err := s.bulkHourMeans(ctx, ids, airParams, cur.Add(-10*time.Hour), cur.Add(time.Hour))
	if err != nil {
		return nil, err
	}
	out := make([]StationStatus, 0, len(devs))
	for _, d := range devs {
		st := StationStatus{ID: d.ID, Name: d.Name, Street: d.Street, Community: d.Community, Lon: d.Lon, Lat: d.Lat, Online: online(d, now)}
		st.AQI = makeAQI(cur, aqi.Hourly, nil, nil, false)
		for back := 0; back < 3; back++ {
			v := hourAQI(m[d.ID], cur.Add(-time.Duration(back)*time.Hour))
			if v.AQI != nil {
				st.AQI = v
				break
			}
		}
		out = append(out, st)
	}
	return out, nil
}

func online(d Device, now time.Time) bool {
	return !d.LastSeen.IsZero() && now.Sub(d.LastSeen) <= max(3*d.Interval, 15*time.Minute)
}

// Summary is the dashboard's headline figures.
type Summary struct {
	At         time.Time `json:"at"`
	DistrictAQ AQIValue  `json:"district_aqi"` // mean of the stations' concentrations, latest hour
	Edition    string    `json:"edition"`      // HJ 633 edition in force now
	Unverified []string  `json:"unverified"`   // rules in use that the sources left unverified
	Devices    []struct {
		Kind   Kind   `json:"kind"`
		Name   string `json:"name"`
		Total  int    `json:"total"`
		Online int    `json:"online"`
	} `json:"devices"`
	Alerts struct {
		Open    int         `json:"open"`
		Acked   int         `json:"acked"`
		ByLevel map[int]int `json:"by_level"`
	} `json:"alerts"`
	Water struct {
		Month     string `json:"month"`
		Sections  int    `json:"sections"`
		Compliant int    `json:"compliant"`
	} `json:"water"`
	OpenExceedances int `json:"open_exceedances"`
	Quarantine24h   int `json:"quarantine_24h"`
}

// Summary computes the headline figures at now.
func (s *Store) Summary(ctx context.Context, alerts *Alerts, now time.Time) (Summary, error) {
	stations, err := s.Stations(ctx, now)
	if err != nil {
		return Summary{}, err
	}
	water, err := s.WaterOverview(ctx, now.In(Zone).Format("2006-01"))
	if err != nil {
		return Summary{}, err
	}
	return s.SummaryOf(ctx, alerts, now, stations, water)
}

// SummaryOf is Summary from the stations and the month's water overview
// already read at now: the dashboard reads them once for several panels.
func (s *Store) SummaryOf(ctx context.Context, alerts *Alerts, now time.Time, stations []StationStatus, water []WaterClass) (Summary, error) {
	var sum Summary
	sum.At = now.In(Zone)
	ed := aqi.EditionOn(now)
	sum.Edition = ed.Title()
	sum.Unverified = aqi.DefaultValidity.Unverified(ed)
	if ed == aqi.HJ633_2012 {
		sum.Unverified = append(sum.Unverified, "分指数向上取整：2012 版沿用通行做法，未经核实")
	} else {
		sum.Unverified = append(sum.Unverified, "PM2.5 分指数 50 对应限值按 35 计：未经核实")
	}
	// The district: mean concentrations of the stations' latest hour.
	conc := map[string][2]float64{}
	at := now.Truncate(time.Hour)
	for _, st := range stations {
		if st.AQI.AQI == nil {
			continue
		}
		at = st.AQI.At
		for p, v := range st.AQI.Conc {
			a := conc[p]
			conc[p] = [2]float64{a[0] + v, a[1] + 1}
		}
	}
	mean := map[string]float64{}
	for p, a := range conc {
		mean[p] = a[0] / a[1]
	}
	sum.DistrictAQ = makeAQI(at, aqi.Hourly, mean, nil, false)
	devs, err := s.Devices(ctx, "")
	if err != nil {
		return sum, err
	}
	for _, k := range Kinds {
		total, on := 0, 0
		for _, d := range devs {
			if d.Kind == k.Kind && d.Active {
				total++
				if online(d, now) {
					on++
				}
			}
		}
		if total > 0 {
			sum.Devices = append(sum.Devices, struct {
				Kind   Kind   `json:"kind"`
				Name   string `json:"name"`
				Total  int    `json:"total"`
				Online int    `json:"online"`
			}{k.Kind, k.Name, total, on})
		}
	}
	sum.Alerts.ByLevel = map[int]int{}
	if alerts != nil {
		live, err := alerts.List(ctx, AlertFilter{Live: true, Limit: 1000})
		if err != nil {
			return sum, err
		}
		for _, a := range live {
			if a.Status == AlertOpen {
				sum.Alerts.Open++
			} else {
				sum.Alerts.Acked++
			}
			sum.Alerts.ByLevel[a.Level]++
		}
	}
	sum.Water.Month = now.In(Zone).Format("2006-01")
	for _, w := range water {
		sum.Water.Sections++
		if w.Compliant != nil && *w.Compliant {
			sum.Water.Compliant++
		}
	}
	evs, err := s.Exceedances(ctx, ExceedanceFilter{Live: true})
	if err != nil {
		return sum, err
	}
	sum.OpenExceedances = len(evs)
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM citymon_quarantine WHERE received >= ?`, now.Add(-24*time.Hour).Unix()).Scan(&sum.Quarantine24h); err != nil {
		return sum, fmt.Errorf("summary: %w", err)
	}
	return sum, nil
}

// Alarm is one entry of the dashboard's active-alarm list: an alert or an
// exceedance event.
type Alarm struct {
	Source  string    `json:"source"` // alert or exceedance
	ID      int64     `json:"id"`
	Level   int       `json:"level"`
	Status  string    `json:"status"`
	Device  string    `json:"device"`
	Title   string    `json:"title"`
	Since   time.Time `json:"since"`
	Lon     float64   `json:"lon"`
	Lat     float64   `json:"lat"`
	Details any       `json:"details"`
}

// ActiveAlarms lists live alerts and exceedance events, most severe first.
func (s *Store) ActiveAlarms(ctx context.Context, alerts *Alerts) ([]Alarm, error) {
	devs, err := s.deviceMap(ctx)
	if err != nil {
		return nil, err
	}
	out := []Alarm{}
	if alerts != nil {
		live, err := alerts.List(ctx, AlertFilter{Live: true})
		if err != nil {
			return nil, err
		}
		for _, a := range live {
			al := Alarm{Source: "alert", ID: a.ID, Level: a.Level, Status: a.Status, Device: a.Device, Title: a.Message, Since: a.FirstAt, Details: a}
			if d, ok := devs[a.Device]; ok {
				al.Lon, al.Lat = d.Lon, d.Lat
			}
			out = append(out, al)
		}
	}
	evs, err := s.Exceedances(ctx, ExceedanceFilter{Live: true})
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		al := Alarm{Source: "exceedance", ID: e.ID, Level: 2, Status: e.Status, Device: e.Device, Since: e.Start, Details: e,
			Title: fmt.Sprintf("%s %s 超标 %d 小时，峰值 %s（限值 %g）", e.Enterprise, ParamName(e.Param), e.Hours, fmtVal(e.Peak), e.Limit)}
		if d, ok := devs[e.Device]; ok {
			al.Lon, al.Lat = d.Lon, d.Lat
		}
		out = append(out, al)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Level != out[j].Level {
			return out[i].Level > out[j].Level
		}
		return out[i].Since.After(out[j].Since)
	})
	return out, nil
}

// TrendPoint is one point of a trend; Value nil where there is no data.
type TrendPoint struct {
	At    time.Time `json:"at"`
	Value *float64  `json:"value"`
}

// Trend is a metric's hourly series over [from, to) for a scope: "AQI" for
// an air station, a street or the district (scope "") — or a parameter of
// one device (scope its id).
func (s *Store) Trend(ctx context.Context, scope, metric string, from, to time.Time) ([]TrendPoint, error) {
	from, to = from.Truncate(time.Hour), to.Truncate(time.Hour)
	if to.Sub(from) > 92*24*time.Hour {
		return nil, fmt.Errorf("%w: a trend covers at most 92 days of hours", ErrInput)
	}
	out := []TrendPoint{}
	if metric == "AQI" {
		vs, err := s.HourlyAQI(ctx, scope, from, to)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			tp := TrendPoint{At: v.At}
			if v.AQI != nil {
				f := float64(*v.AQI)
				tp.Value = &f
			}
			out = append(out, tp)
		}
		return out, nil
	}
	var m map[string]map[int64]float64
	var err error
	if _, derr := s.Device(ctx, scope); derr == nil {
		m, err = s.hourMeans(ctx, scope, []string{metric}, from, to)
	} else {
		m, err = s.scopeMeans(ctx, scope, from, to)
	}
	if err != nil {
		return nil, err
	}
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		tp := TrendPoint{At: h.In(Zone)}
		if v, ok := m[metric][h.Unix()]; ok {
			r := round3(v)
			tp.Value = &r
		}
		out = append(out, tp)
	}
	return out, nil
}

// Rankings are the dashboard's league tables.
type Rankings struct {
	Day         string          `json:"day"`      // the streets' day (yesterday: the last complete day)
	Streets     []StreetRank    `json:"streets"`  // best first
	Stations    []StationStatus `json:"stations"` // worst current AQI first
	Month       string          `json:"month"`
	Enterprises []Compliance    `json:"enterprises"` // lowest compliance first
}

// WorstFirst is a copy of stations ranked by current AQI, worst first,
// those without data last.
func WorstFirst(stations []StationStatus) []StationStatus {
	out := append([]StationStatus(nil), stations...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].AQI.AQI, out[j].AQI.AQI
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a > *b
	})
	return out
}

// Rankings computes the league tables at now.
func (s *Store) Rankings(ctx context.Context, now time.Time) (Rankings, error) {
	stations, err := s.Stations(ctx, now)
	if err != nil {
		return Rankings{}, err
	}
	return s.RankingsOf(ctx, now, stations)
}

// RankingsOf is Rankings with the stations already read at now (left
// unchanged: the ranking sorts a copy).
func (s *Store) RankingsOf(ctx context.Context, now time.Time, stations []StationStatus) (Rankings, error) {
	r := Rankings{Day: now.In(Zone).AddDate(0, 0, -1).Format(time.DateOnly), Month: now.In(Zone).Format("2006-01")}
	var err error
	if r.Streets, err = s.StreetRanking(ctx, r.Day); err != nil {
		return r, err
	}
	r.Stations = WorstFirst(stations)
	if r.Enterprises, err = s.MonthlyCompliance(ctx, r.Month); err != nil {
		return r, err
	}
	return r, nil
}
