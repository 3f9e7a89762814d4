package risk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Event is one recorded reading of a storm: rain in mm over the gauge's
// interval ending at Time, or a level in m.
type Event struct {
	Time   time.Time
	Device string
	Param  string // "rain" or "level"
	Value  float64
}

// Incident is a recorded waterlogging incident: an area flooded (water
// at least one lane deep, or into homes or garages) at Time.
type Incident struct {
	Time  time.Time
	Area  string
	Depth float64
	Note  string
}

// parseTime reads RFC 3339 or "2006-01-02 15:04[:05]" in the district's
// zone.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want 2006-01-02 15:04 or RFC 3339", s)
}

// readCSV reads a CSV with a header row, calling row for each data line
// with its line number and cells by header. Bad rows become problems.
func readCSV(r io.Reader, need []string, row func(line int, cells map[string]string) error) ([]citymon.Problem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrInput, err)
	}
	cols := make([]string, len(head))
	for i, h := range head {
		cols[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	for _, n := range need {
		found := false
		for _, c := range cols {
			found = found || c == n
		}
		if !found {
			return nil, fmt.Errorf("%w: header lacks column %q", ErrInput, n)
		}
	}
	var problems []citymon.Problem
	cells := make(map[string]string, len(cols))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return problems, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, citymon.Problem{Line: pe.Line, Reason: pe.Err.Error()})
				continue
			}
			return problems, err
		}
		line, _ := cr.FieldPos(0) // the file's line: blank lines are skipped
		clear(cells)
		for i, c := range cols {
			if i < len(rec) {
				cells[c] = strings.TrimSpace(rec[i])
			}
		}
		if err := row(line, cells); err != nil {
			problems = append(problems, citymon.Problem{Line: line, Reason: reason(err)})
		}
	}
}

// ReadEvents reads a storm event file: CSV with columns time, device,
// param (rain or level) and value. Bad lines are reported and skipped.
func ReadEvents(r io.Reader) ([]Event, []citymon.Problem, error) {
	var out []Event
	probs, err := readCSV(r, []string{"time", "device", "param", "value"}, func(_ int, c map[string]string) error {
		t, err := parseTime(c["time"])
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
		v, err := strconv.ParseFloat(c["value"], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: value %q is not a number", ErrInput, c["value"])
		}
		switch c["param"] {
		case "rain":
			if v < 0 || v > 500 {
				return fmt.Errorf("%w: rain %v mm out of range", ErrInput, v)
			}
		case "level":
		default:
			return fmt.Errorf("%w: param %q: rain or level", ErrInput, c["param"])
		}
		if c["device"] == "" {
			return fmt.Errorf("%w: device is empty", ErrInput)
		}
		out = append(out, Event{t, c["device"], c["param"], v})
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, probs, err
}

// ReadIncidents reads incidents: CSV with columns time, area, depth_m and
// note (the last two optional).
func ReadIncidents(r io.Reader) ([]Incident, []citymon.Problem, error) {
	var out []Incident
	probs, err := readCSV(r, []string{"time", "area"}, func(_ int, c map[string]string) error {
		t, err := parseTime(c["time"])
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
		if c["area"] == "" {
			return fmt.Errorf("%w: area is empty", ErrInput)
		}
		var d float64
		if s := c["depth_m"]; s != "" {
			if d, err = strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("%w: depth_m %q is not a number", ErrInput, s)
			}
		}
		out = append(out, Incident{t, c["area"], d, c["note"]})
		return nil
	})
	return out, probs, err
}

// WriteEvents writes events in the format ReadEvents reads.
func WriteEvents(w io.Writer, evs []Event) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "device", "param", "value"})
	for _, e := range evs {
		cw.Write([]string{e.Time.In(Zone).Format("2006-01-02 15:04"), e.Device, e.Param, strconv.FormatFloat(e.Value, 'f', -1, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteIncidents writes incidents in the format ReadIncidents reads.
func WriteIncidents(w io.Writer, xs []Incident) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "area", "depth_m", "note"})
	for _, x := range xs {
		cw.Write([]string{x.Time.In(Zone).Format("2006-01-02 15:04"), x.Area, strconv.FormatFloat(x.Depth, 'f', 2, 64), x.Note})
	}
	cw.Flush()
	return cw.Error()
}

// Change is a moment an area's level changed during a replay.
type Change struct {
	Time   time.Time `json:"time"`
	Level  Level     `json:"level"`
	Score  float64   `json:"score"`
	Factor string    `json:"factor"` // the factor with the largest share
}

// Timeline is one area's levels through a replay.
type Timeline struct {
	Area    string   `json:"area"`
	Name    string   `json:"name"`
	Changes []Change `json:"changes"`
	Peak    Level    `json:"peak"`
}

// Replay re-runs a recorded storm minute by minute from its first event to
// its last and returns each area's timeline (the level at the start and
// every change). Gauges report at the interval their events show (the
// smallest gap between a device's events, five minutes when it has one).
func (m Model) Replay(areas []Area, evs []Event) ([]Timeline, int) {
	if len(evs) == 0 {
		return []Timeline{}, 0
	}
	type dev struct {
		param    string
		samples  []Sample
		interval time.Duration
	}
	devs := map[string]*dev{}
	for _, e := range evs {
		d := devs[e.Device]
		if d == nil {
			d = &dev{param: e.Param}
			devs[e.Device] = d
		}
		d.samples = append(d.samples, Sample{e.Time, e.Value})
	}
	for _, d := range devs {
		d.interval = 5 * time.Minute
		for i := 1; i < len(d.samples); i++ {
			if g := d.samples[i].T.Sub(d.samples[i-1].T); g > 0 && (i == 1 || g < d.interval) {
				d.interval = g
			}
		}
	}
	rivers := map[string]bool{}
	for _, a := range areas {
		if a.RiverGauge != "" {
			rivers[a.RiverGauge] = true
		}
	}
	start := evs[0].Time.Truncate(time.Minute)
	end := evs[len(evs)-1].Time
	tls := make([]Timeline, len(areas))
	for i, a := range areas {
		tls[i] = Timeline{Area: a.ID, Name: a.Name, Changes: []Change{}}
	}
	minutes := 0
	for now := start; !now.After(end); now = now.Add(time.Minute) {
		minutes++
		obs := Observations{Rain: map[string][]float64{}, Depth: map[string]Depth{}, River: map[string]float64{}}
		for id, d := range devs {
			// Readings up to now only: the replay never sees the future.
			k := sort.Search(len(d.samples), func(i int) bool { return d.samples[i].T.After(now) })
			seen := d.samples[:k]
			switch d.param {
			case "rain":
				if s, ok := MinuteRain(seen, d.interval, now); ok {
					obs.Rain[id] = s
				}
			case "level":
				if rivers[id] {
					if _, ok := LevelNow(seen, d.interval, now); ok {
						obs.River[id] = seen[len(seen)-1].V
					}
				} else if l, ok := LevelNow(seen, d.interval, now); ok {
					l.Gauge = id
					obs.Depth[id] = l
				}
			}
		}
		for i, as := range m.AssessAll(areas, obs) {
			tl := &tls[i]
			n := len(tl.Changes)
			if n == 0 || tl.Changes[n-1].Level != as.Level {
				c := Change{Time: now, Level: as.Level, Score: as.Score}
				if len(as.Factors) > 0 {
					c.Factor = as.Factors[0].Name
				}
				tl.Changes = append(tl.Changes, c)
			}
			if as.Level > tl.Peak {
				tl.Peak = as.Level
			}
		}
	}
	return tls, minutes
}

// Score is a back-test of a replay against recorded incidents.
type Score struct {
	AlertLevel  Level     `json:"alert_level"`
	Incidents   int       `json:"incidents"`
	Hits        int       `json:"hits"`         // alerted before the incident
	Late        int       `json:"late"`         // alerted only after it (counted as misses)
	Misses      int       `json:"misses"`       // never alerted before it, late ones included
	FalseAlarms int       `json:"false_alarms"` // areas alerted with no incident
	Alerted     int       `json:"alerted"`      // areas that reached the alert level
	HitRate     float64   `json:"hit_rate"`
	FalseRatio  float64   `json:"false_alarm_ratio"`
	LeadMinutes []float64 `json:"lead_minutes"` // per hit
	MeanLead    float64   `json:"mean_lead_minutes"`
	MedianLead  float64   `json:"median_lead_minutes"`
	Details     []Outcome `json:"details"`
}

// Outcome is one area's result in a back-test.
type Outcome struct {
	Area     string  `json:"area"`
	Result   string  `json:"result"` // hit, late, miss, false_alarm
	Alert    string  `json:"alert,omitempty"`
	Incident string  `json:"incident,omitempty"`
	Lead     float64 `json:"lead_minutes,omitempty"`
}

// BackTest scores timelines against incidents: an area's alert is the
// first minute it reached the alert level; an incident is hit when its
// area was alerted at or before it, with the difference as lead time.
// Only each area's first incident counts.
func BackTest(tls []Timeline, incs []Incident, alert Level) Score {
	sc := Score{AlertLevel: alert, LeadMinutes: []float64{}, Details: []Outcome{}}
	alertAt := map[string]time.Time{}
	for _, tl := range tls {
		for _, c := range tl.Changes {
			if c.Level >= alert {
				alertAt[tl.Area] = c.Time
				break
			}
		}
	}
	first := map[string]Incident{}
	for _, x := range incs {
		if f, ok := first[x.Area]; !ok || x.Time.Before(f.Time) {
			first[x.Area] = x
		}
	}
	sc.Alerted = len(alertAt)
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	const layout = "15:04"
	for _, id := range ids {
		x := first[id]
		sc.Incidents++
		at, ok := alertAt[id]
		o := Outcome{Area: id, Incident: x.Time.In(Zone).Format(layout)}
		switch {
		case ok && !at.After(x.Time):
			sc.Hits++
			o.Result, o.Alert, o.Lead = "hit", at.In(Zone).Format(layout), x.Time.Sub(at).Minutes()
			sc.LeadMinutes = append(sc.LeadMinutes, o.Lead)
		case ok:
			sc.Late++
			sc.Misses++
			o.Result, o.Alert = "late", at.In(Zone).Format(layout)
		default:
			sc.Misses++
			o.Result = "miss"
		}
		sc.Details = append(sc.Details, o)
	}
	var fa []string
	for id := range alertAt {
		if _, ok := first[id]; !ok {
			fa = append(fa, id)
		}
	}
	sort.Strings(fa)
	for _, id := range fa {
		sc.FalseAlarms++
		sc.Details = append(sc.Details, Outcome{Area: id, Result: "false_alarm", Alert: alertAt[id].In(Zone).Format(layout)})
	}
	if sc.Incidents > 0 {
		sc.HitRate = round2(float64(sc.Hits) / float64(sc.Incidents))
	}
	if sc.Alerted > 0 {
		sc.FalseRatio = round2(float64(sc.FalseAlarms) / float64(sc.Alerted))
	}
	if n := len(sc.LeadMinutes); n > 0 {
		ls := append([]float64(nil), sc.LeadMinutes...)
		sort.Float64s(ls)
		var sum float64
		for _, l := range ls {
			sum += l
		}
		sc.MeanLead = round2(sum / float64(n))
		if n%2 == 1 {
			sc.MedianLead = ls[n/2]
		} else {
			sc.MedianLead = (ls[n/2-1] + ls[n/2]) / 2
		}
	}
	return sc
}
