package risk

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Cycle is one stored assessment cycle.
type Cycle struct {
	At          time.Time     `json:"at"`
	Formula     string        `json:"formula"`
	Official    bool          `json:"official"`
	Communities int           `json:"communities"`
	Grids       int           `json:"grids"`
	Took        time.Duration `json:"took"`
	Trigger     string        `json:"trigger"` // "定时" or the person who asked
}

// Episode is a community's spell at yellow or above: opened by the
// cycle that raised it, kept current while it lasts, ended by the cycle
// that found it below yellow.
type Episode struct {
	ID      int64     `json:"id"`
	Area    string    `json:"area"`
	Name    string    `json:"name"`
	Level   Level     `json:"level"` // now (or when it ended)
	Peak    Level     `json:"peak"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
	Ended   time.Time `json:"ended,omitzero"`
	Reason  string    `json:"reason"` // the factor that drove the latest level
}

// IncidentLevel is the level from which a community's assessment is an
// incident.
const IncidentLevel = Yellow

// SaveBoard stores one cycle: the latest assessment of every area and the
// incidents it opens, updates or ends.
func (s *Store) SaveBoard(ctx context.Context, b Board, took time.Duration, trigger string) error {
	at := b.At.Unix()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_cycles (at, formula, official, communities, grids, took_ms, trigger_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			at, b.Formula, boolInt(b.Official), len(b.Communities), len(b.Grids), took.Milliseconds(), trigger); err != nil {
			return fmt.Errorf("save cycle: %w", err)
		}
		for _, x := range []struct {
			kind string
			as   []Assessment
		}{{"community", b.Communities}, {"grid", b.Grids}} {
			for _, a := range x.as {
				data, err := json.Marshal(a)
				if err != nil {
					return fmt.Errorf("save assessment %s: %w", a.Area, err)
				}
				if _, err := tx.Exec(ctx, `INSERT INTO risk_latest (area, kind, at, level, data) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (area) DO UPDATE SET kind = excluded.kind, at = excluded.at, level = excluded.level, data = excluded.data`,
					a.Area, x.kind, at, int(a.Level), string(data)); err != nil {
					return fmt.Errorf("save assessment %s: %w", a.Area, err)
				}
			}
		}
		// A community's incident.
		for _, a := range b.Communities {
			var id int64
			var peak int
			err := tx.QueryRow(ctx, `SELECT id, peak_level FROM risk_incidents WHERE ended_at = 0 AND area = ? ORDER BY id DESC LIMIT 1`, a.Area).Scan(&id, &peak)
			open := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("incident of %s: %w", a.Area, err)
			}
			reason := ""
			if len(a.Factors) > 0 {
				reason = fmt.Sprintf("%s（%.0f%%）", a.Factors[0].Name, a.Factors[0].Share*100)
			}
			if a.Floor != "" {
				reason = a.Floor
			}
			switch {
			case a.Level >= IncidentLevel && open:
				_, err = tx.Exec(ctx, `UPDATE risk_incidents SET level = ?, peak_level = ?, updated_at = ?, reason = ? WHERE id = ?`,
					int(a.Level), max(peak, int(a.Level)), at, reason, id)
			case a.Level >= IncidentLevel:
				_, err = tx.Exec(ctx, `INSERT INTO risk_incidents (area, name, level, peak_level, started_at, updated_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					a.Area, a.Name, int(a.Level), int(a.Level), at, at, reason)
			case open:
				_, err = tx.Exec(ctx, `UPDATE risk_incidents SET level = ?, updated_at = ?, ended_at = ? WHERE id = ?`, int(a.Level), at, at, id)
			default:
				err = nil
			}
			if err != nil {
				return fmt.Errorf("incident of %s: %w", a.Area, err)
			}
		}
		return nil
	})
}

// LastCycle returns the latest stored cycle; ok is false before the
// first.
func (s *Store) LastCycle(ctx context.Context) (Cycle, bool, error) {
	var c Cycle
	var at, took int64
	var official int
	err := s.db.QueryRow(ctx, `SELECT at, formula, official, communities, grids, took_ms, trigger_by FROM risk_cycles ORDER BY id DESC LIMIT 1`).
		Scan(&at, &c.Formula, &official, &c.Communities, &c.Grids, &took, &c.Trigger)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("last cycle: %w", err)
	}
	c.At, c.Official, c.Took = time.Unix(at, 0), official != 0, time.Duration(took)*time.Millisecond
	return c, true, nil
}

// LatestBoard returns the latest stored assessments (communities and grid
// cells, by id) with the cycle they came from; ok is false before the
// first cycle.
func (s *Store) LatestBoard(ctx context.Context) (Board, bool, error) {
	c, ok, err := s.LastCycle(ctx)
	if err != nil || !ok {
		return Board{}, ok, err
	}
	b := Board{At: c.At, Formula: c.Formula, Official: c.Official, Communities: []Assessment{}, Grids: []Assessment{}}
	rows, err := s.db.Query(ctx, `SELECT kind, data FROM risk_latest ORDER BY area`)
	if err != nil {
		return b, false, fmt.Errorf("latest assessments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, data string
		if err := rows.Scan(&kind, &data); err != nil {
			return b, false, fmt.Errorf("latest assessments: %w", err)
		}
		var a Assessment
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return b, false, fmt.Errorf("latest assessment: %w", err)
		}
		if kind == "grid" {
			b.Grids = append(b.Grids, a)
		} else {
			b.Communities = append(b.Communities, a)
		}
	}
	return b, true, rows.Err()
}

// Latest returns an area's latest assessment and when it was made; ok is
// false when the area has never been assessed.
func (s *Store) Latest(ctx context.Context, area string) (Assessment, time.Time, bool, error) {
	var at int64
	var data string
	err := s.db.QueryRow(ctx, `SELECT at, data FROM risk_latest WHERE area = ?`, area).Scan(&at, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, time.Time{}, false, nil
	}
	if err != nil {
		return Assessment{}, time.Time{}, false, fmt.Errorf("latest assessment of %s: %w", area, err)
	}
	var a Assessment
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return a, time.Time{}, false, fmt.Errorf("latest assessment of %s: %w", area, err)
	}
	return a, time.Unix(at, 0), true, nil
}

// Episodes lists the incidents, open ones first, newest first.
func (s *Store) Episodes(ctx context.Context, limit int) ([]Episode, error) {
	rows, err := s.db.Query(ctx, `SELECT id, area, name, level, peak_level, started_at, updated_at, ended_at, reason FROM risk_incidents
		ORDER BY CASE WHEN ended_at = 0 THEN 0 ELSE 1 END, started_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	defer rows.Close()
	out := []Episode{}
	for rows.Next() {
		var x Episode
		var lvl, peak int
		var st, up, end int64
		if err := rows.Scan(&x.ID, &x.Area, &x.Name, &lvl, &peak, &st, &up, &end, &x.Reason); err != nil {
			return nil, fmt.Errorf("incidents: %w", err)
		}
		x.Level, x.Peak, x.Started, x.Updated = Level(lvl), Level(peak), time.Unix(st, 0), time.Unix(up, 0)
		if end > 0 {
			x.Ended = time.Unix(end, 0)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// HasAreas reports whether any community or grid cell is stored.
func (s *Store) HasAreas(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM risk_areas`).Scan(&n); err != nil {
		return false, fmt.Errorf("count areas: %w", err)
	}
	return n > 0, nil
}

// OnlySynthetic reports whether every stored area is synthetic (the demo):
// pages then say 合成演示数据. False when none is stored.
func (s *Store) OnlySynthetic(ctx context.Context) (bool, error) {
	var n, syn int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(synthetic), 0) FROM risk_areas`).Scan(&n, &syn); err != nil {
		return false, fmt.Errorf("count areas: %w", err)
	}
	return n > 0 && n == syn, nil
}
