package citymon

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Point is one raw reading as stored.
type Point struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
}

// Hour is one hourly aggregate.
type Hour struct {
	Start time.Time `json:"start"`
	N     int       `json:"n"` // readings in the hour
	Mean  float64   `json:"mean"`
	Min   float64   `json:"min"`
	Max   float64   `json:"max"`
}

// Day is one daily aggregate of hourly means.
type Day struct {
	Day   string  `json:"day"`
	Hours int     `json:"hours"` // hours with data
	Mean  float64 `json:"mean"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	// Max8h is the maximum 8-hour mean (O3), NaN when none or invalid.
	Max8h float64 `json:"-"`
}

// Raw returns the raw readings of device/param with from ≤ time < to.
func (s *Store) Raw(ctx context.Context, device, param string, from, to time.Time) ([]Point, error) {
	id, ok, err := s.lookupSeries(ctx, device, param)
	if err != nil || !ok {
		return []Point{}, err
	}
	rows, err := s.db.Query(ctx, `SELECT ts, value FROM citymon_readings WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts`, id, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("raw %s/%s: %w", device, param, err)
	}
	defer rows.Close()
	out := []Point{}
	for rows.Next() {
		var ts int64
		var p Point
		if err := rows.Scan(&ts, &p.Value); err != nil {
			return nil, err
		}
		p.Time = time.Unix(ts, 0).In(Zone)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Hourly returns the hourly aggregates of device/param for hours starting
// in [from, to).
func (s *Store) Hourly(ctx context.Context, device, param string, from, to time.Time) ([]Hour, error) {
	id, ok, err := s.lookupSeries(ctx, device, param)
	if err != nil || !ok {
		return []Hour{}, err
	}
	return s.hourlyOf(ctx, id, from, to)
}

func (s *Store) hourlyOf(ctx context.Context, id int64, from, to time.Time) ([]Hour, error) {
	rows, err := s.db.Query(ctx, `SELECT hour, n, sum, vmin, vmax FROM citymon_hourly WHERE series = ? AND hour >= ? AND hour < ? ORDER BY hour`,
		id, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("hourly: %w", err)
	}
	defer rows.Close()
	out := []Hour{}
	for rows.Next() {
		var hour int64
		var sum float64
		var h Hour
		if err := rows.Scan(&hour, &h.N, &sum, &h.Min, &h.Max); err != nil {
			return nil, err
		}
		h.Start, h.Mean = time.Unix(hour, 0).In(Zone), sum/float64(h.N)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Daily returns the daily aggregates of device/param from day from to day
// to (YYYY-MM-DD, inclusive).
func (s *Store) Daily(ctx context.Context, device, param, from, to string) ([]Day, error) {
	id, ok, err := s.lookupSeries(ctx, device, param)
	if err != nil || !ok {
		return []Day{}, err
	}
	return s.dailyOf(ctx, id, from, to)
}

func (s *Store) dailyOf(ctx context.Context, id int64, from, to string) ([]Day, error) {
	rows, err := s.db.Query(ctx, `SELECT day, hours, mean, vmin, vmax, max8h FROM citymon_daily WHERE series = ? AND day >= ? AND day <= ? ORDER BY day`,
		id, from, to)
	if err != nil {
		return nil, fmt.Errorf("daily: %w", err)
	}
	defer rows.Close()
	out := []Day{}
	for rows.Next() {
		var d Day
		var m8 sql.NullFloat64
		if err := rows.Scan(&d.Day, &d.Hours, &d.Mean, &d.Min, &d.Max, &m8); err != nil {
			return nil, err
		}
		d.Max8h = math.NaN()
		if m8.Valid {
			d.Max8h = m8.Float64
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Quarantined is one quarantined reading.
type Quarantined struct {
	ID       int64     `json:"id"`
	Received time.Time `json:"received"`
	Source   string    `json:"source"`
	Device   string    `json:"device"`
	Param    string    `json:"param"`
	Time     time.Time `json:"time"`
	Value    *float64  `json:"value"`
	Unit     string    `json:"unit"`
	Reason   string    `json:"reason"`
	Label    string    `json:"label"` // the reason in Chinese
	Detail   string    `json:"detail"`
	Raw      string    `json:"raw,omitempty"`
}

// Quarantine lists the latest quarantined readings, newest first.
func (s *Store) Quarantine(ctx context.Context, limit int) ([]Quarantined, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT id, received, source, device, param, ts, value, unit, reason, detail, raw
		FROM citymon_quarantine ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("quarantine: %w", err)
	}
	defer rows.Close()
	out := []Quarantined{}
	for rows.Next() {
		var q Quarantined
		var recv, ts int64
		var v sql.NullFloat64
		if err := rows.Scan(&q.ID, &recv, &q.Source, &q.Device, &q.Param, &ts, &v, &q.Unit, &q.Reason, &q.Detail, &q.Raw); err != nil {
			return nil, err
		}
		q.Received = time.Unix(recv, 0).In(Zone)
		if ts != 0 {
			q.Time = time.Unix(ts, 0).In(Zone)
		}
		if v.Valid {
			q.Value = &v.Float64
		}
		q.Label = ReasonNames[q.Reason]
		out = append(out, q)
	}
	return out, rows.Err()
}

// Counts are the store's totals, for tests, benchmarks and /metrics.
type Counts struct {
	Readings   int64 `json:"readings"`
	HourlyN    int64 `json:"hourly_n"` // readings counted in hourly aggregates
	Quarantine int64 `json:"quarantine"`
}

// Count totals the readings stored, the readings the hourly aggregates
// count (equal unless raw data was pruned) and the quarantine.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	var c Counts
	var hn sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM citymon_readings), (SELECT SUM(n) FROM citymon_hourly),
		(SELECT COUNT(*) FROM citymon_quarantine)`).Scan(&c.Readings, &hn, &c.Quarantine)
	c.HourlyN = hn.Int64
	if err != nil {
		return c, fmt.Errorf("count: %w", err)
	}
	return c, nil
}
