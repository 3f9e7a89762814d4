package citymon

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/water"
)

// waterParams are the items a section's class is judged on.
var waterParams = []string{"pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP", "TN"}

// WaterClass is a section's class for one sample or one period.
type WaterClass struct {
	Section     string             `json:"section"`
	Name        string             `json:"name"`
	At          time.Time          `json:"at"`     // the sample's hour, or the month's first day
	Period      string             `json:"period"` // "hour" or "YYYY-MM"
	Class       string             `json:"class"`  // "" when no data
	Grade       string             `json:"grade"`
	Colour      string             `json:"colour"`
	Decisive    []string           `json:"decisive"`
	Main        []string           `json:"main"` // main pollutants when worse than III
	Values      map[string]float64 `json:"values"`
	Target      string             `json:"target"`
	Compliant   *bool              `json:"compliant"` // nil without a target or data
	Lon         float64            `json:"lon"`
	Lat         float64            `json:"lat"`
	Street      string             `json:"street"`
	Unavailable bool               `json:"unavailable,omitempty"`
}

func classify(d Device, at time.Time, period string, values map[string]float64) WaterClass {
	wc := WaterClass{Section: d.ID, Name: d.Name, At: at.In(Zone), Period: period, Values: values, Target: d.TargetClass,
		Lon: d.Lon, Lat: d.Lat, Street: d.Street, Decisive: []string{}, Main: []string{}, Colour: "#bbbbbb"}
	if len(values) == 0 {
		wc.Unavailable = true
		return wc
	}
	r, err := water.Classify(values, d.Lake)
	if err != nil {
		wc.Unavailable = true
		return wc
	}
	wc.Class, wc.Grade, wc.Colour, wc.Decisive = r.Class.String(), r.Class.Grade(), r.Class.Colour(), r.Decisive
	if r.Main != nil {
		wc.Main = r.Main
	}
	if d.TargetClass != "" {
		target, _ := water.ParseClass(d.TargetClass)
		ok := r.Class <= target
		wc.Compliant = &ok
	}
	return wc
}

// WaterSamples classifies each hour of a section from its hourly means
// (an automatic station's sample) in [from, to).
func (s *Store) WaterSamples(ctx context.Context, section string, from, to time.Time) ([]WaterClass, error) {
	d, err := s.Device(ctx, section)
	if err != nil {
		return nil, err
	}
	m, err := s.hourMeans(ctx, section, waterParams, from, to)
	if err != nil {
		return nil, err
	}
	hours := map[int64]map[string]float64{}
	for p, hm := range m {
		for h, v := range hm {
			if hours[h] == nil {
				hours[h] = map[string]float64{}
			}
			hours[h][p] = v
		}
	}
	keys := make([]int64, 0, len(hours))
	for h := range hours {
		keys = append(keys, h)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := []WaterClass{}
	for _, h := range keys {
		out = append(out, classify(d, time.Unix(h, 0), "hour", hours[h]))
	}
	return out, nil
}

// WaterMonth classifies a section for a month ("YYYY-MM") from the monthly
// means of its items (the mean of the daily means), against its target.
func (s *Store) WaterMonth(ctx context.Context, section, month string) (WaterClass, error) {
	d, err := s.Device(ctx, section)
	if err != nil {
		return WaterClass{}, err
	}
	return s.waterMonth(ctx, d, month)
}

func (s *Store) waterMonth(ctx context.Context, d Device, month string) (WaterClass, error) {
	start, err := time.ParseInLocation("2006-01", month, Zone)
	if err != nil {
		return WaterClass{}, fmt.Errorf("%w: month %q: want YYYY-MM", ErrInput, month)
	}
	last := start.AddDate(0, 1, -1).Format(time.DateOnly)
	values := map[string]float64{}
	for _, p := range waterParams {
		if _, ok := d.Unit(p); !ok {
			continue
		}
		days, err := s.Daily(ctx, d.ID, p, start.Format(time.DateOnly), last)
		if err != nil {
			return WaterClass{}, err
		}
		if len(days) == 0 {
			continue
		}
		sum := 0.0
		for _, x := range days {
			sum += x.Mean
		}
		values[p] = math.Round(sum/float64(len(days))*1000) / 1000
	}
	return classify(d, start, month, values), nil
}

// WaterOverview is every section's class for month, by id.
func (s *Store) WaterOverview(ctx context.Context, month string) ([]WaterClass, error) {
	devs, err := s.Devices(ctx, WaterSection)
	if err != nil {
		return nil, err
	}
	out := []WaterClass{}
	for _, d := range devs {
		wc, err := s.waterMonth(ctx, d, month)
		if err != nil {
			return nil, err
		}
		out = append(out, wc)
	}
	return out, nil
}
