package risk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// SaveFire creates or replaces a community's fire indicators. Values
// must be finite and not negative; unknown keys are refused.
func (s *Store) SaveFire(ctx context.Context, c FireCommunity, actor string) error {
	c.ID, c.Name = strings.TrimSpace(c.ID), strings.TrimSpace(c.Name)
	if c.ID == "" || c.Name == "" {
		return fmt.Errorf("%w: a fire record needs a community id and name", ErrInput)
	}
	known := map[string]bool{}
	for _, f := range FireIndicators {
		known[f.Key] = true
	}
	for k, v := range c.Values {
		if !known[k] {
			return fmt.Errorf("%w: %s: unknown fire indicator %q", ErrInput, c.ID, k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("%w: %s: %s must be a number ≥ 0", ErrInput, c.ID, k)
		}
	}
	vals, _ := json.Marshal(c.Values)
	_, err := s.db.Exec(ctx, `INSERT INTO risk_fire (community, name, street, vals, synthetic, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (community) DO UPDATE SET name = excluded.name, street = excluded.street, vals = excluded.vals,
		synthetic = excluded.synthetic, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		c.ID, c.Name, c.Street, string(vals), boolInt(c.Synthetic), store.T(s.now()).String(), actor)
	if err != nil {
		return fmt.Errorf("save fire %s: %w", c.ID, err)
	}
	return nil
}

// FireCommunities lists the stored fire records with their open alarms.
func (s *Store) FireCommunities(ctx context.Context) ([]FireCommunity, error) {
	alarms := map[string]int{}
	notes := map[string][]string{}
	arows, err := s.db.Query(ctx, `SELECT community, source, detail FROM risk_fire_alarms WHERE cleared_at = 0 ORDER BY raised_at, id`)
	if err != nil {
		return nil, fmt.Errorf("fire alarms: %w", err)
	}
	for arows.Next() {
		var c, src, detail string
		if err := arows.Scan(&c, &src, &detail); err != nil {
			arows.Close()
			return nil, err
		}
		alarms[c]++
		if detail != "" {
			src += " " + detail
		}
		notes[c] = append(notes[c], src)
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("fire alarms: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT community, name, street, vals, synthetic FROM risk_fire ORDER BY community`)
	if err != nil {
		return nil, fmt.Errorf("fire: %w", err)
	}
	defer rows.Close()
	out := []FireCommunity{}
	for rows.Next() {
		var c FireCommunity
		var vals string
		var syn int
		if err := rows.Scan(&c.ID, &c.Name, &c.Street, &vals, &syn); err != nil {
			return nil, fmt.Errorf("fire: %w", err)
		}
		if err := json.Unmarshal([]byte(vals), &c.Values); err != nil {
			return nil, fmt.Errorf("fire %s: %w", c.ID, err)
		}
		c.Synthetic, c.Alarms, c.AlarmNotes = syn != 0, alarms[c.ID], notes[c.ID]
		out = append(out, c)
	}
	return out, rows.Err()
}

// RaiseFireAlarm records an alarm (smoke detector, hydrant pressure) in a
// community; the index counts it until it is cleared.
func (s *Store) RaiseFireAlarm(ctx context.Context, community, source string) (int64, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM risk_fire WHERE community = ?`, community).Scan(&n); err != nil {
		return 0, fmt.Errorf("raise alarm: %w", err)
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: no fire record for community %q", ErrInput, community)
	}
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO risk_fire_alarms (community, source, raised_at) VALUES (?, ?, ?) RETURNING id`,
		community, source, s.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("raise alarm: %w", err)
	}
	return id, nil
}

// ClearFireAlarm closes an alarm (CloseFireAlarm without a name).
func (s *Store) ClearFireAlarm(ctx context.Context, id int64) error {
	_, err := s.CloseFireAlarm(ctx, id, "")
	return err
}

// FireTaskRecord is a stored inspection task.
type FireTaskRecord struct {
	ID int64 `json:"id"`
	FireTask
	Day      string `json:"day"`
	Status   string `json:"status"` // open, closed
	ClosedBy string `json:"closed_by,omitempty"`
	ClosedAt string `json:"closed_at,omitempty"`
}

// OpenFireTasks stores today's tasks (a task already issued today is not
// issued twice) and returns how many were new.
func (s *Store) OpenFireTasks(ctx context.Context, tasks []FireTask) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, t := range tasks {
			res, err := tx.Exec(ctx, `INSERT INTO risk_fire_tasks (community, text, basis, day, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)
				ON CONFLICT (community, text, day) DO NOTHING`, t.Community, t.Text, t.Basis, s.day(), store.T(s.now()).String())
			if err != nil {
				return fmt.Errorf("open fire task: %w", err)
			}
			if k, _ := res.RowsAffected(); k > 0 {
				n++
			}
		}
		return nil
	})
	return n, err
}

// FireTasks lists tasks, open ones first, newest first.
func (s *Store) FireTasks(ctx context.Context, limit int) ([]FireTaskRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT id, community, text, basis, day, status, closed_by, closed_at FROM risk_fire_tasks
		ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("fire tasks: %w", err)
	}
	defer rows.Close()
	out := []FireTaskRecord{}
	for rows.Next() {
		var t FireTaskRecord
		if err := rows.Scan(&t.ID, &t.Community, &t.Text, &t.Basis, &t.Day, &t.Status, &t.ClosedBy, &t.ClosedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CloseFireTask marks a task done.
func (s *Store) CloseFireTask(ctx context.Context, id int64, actor string) error {
	res, err := s.db.Exec(ctx, `UPDATE risk_fire_tasks SET status = 'closed', closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'`,
		actor, store.T(s.now()).String(), id)
	if err != nil {
		return fmt.Errorf("close fire task %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("open fire task %d: %w", id, ErrNotFound)
	}
	return nil
}

// ImportFire reads fire indicators from a .csv or .xlsx table: id, name,
// street and one column per indicator key (old_dense, ebike, …) or its
// Chinese name. A bad row is reported by line and the rest saved.
func (s *Store) ImportFire(ctx context.Context, name string, r io.Reader, actor string) (ImportReport, error) {
	rows, err := citymon.ReadTable(name, r)
	if err != nil {
		return ImportReport{}, fmt.Errorf("%w: %v", ErrInput, err)
	}
	rep := ImportReport{Rows: len(rows), Problems: []citymon.Problem{}}
	for _, row := range rows {
		c := FireCommunity{ID: row.Get(colID...), Name: row.Get(colName...), Street: row.Get(colStreet...), Values: map[string]float64{}}
		var err error
		for _, f := range FireIndicators {
			if row.Get(f.Key, f.Name) == "" {
				continue
			}
			var v float64
			if v, err = num(row, []string{f.Key, f.Name}, 0); err != nil {
				break
			}
			c.Values[f.Key] = v
		}
		switch strings.ToLower(row.Get(colSynthetic...)) {
		case "1", "true", "yes", "是":
			c.Synthetic = true
		}
		if err == nil {
			err = s.SaveFire(ctx, c, actor)
		}
		if err != nil {
			if !errors.Is(err, ErrInput) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, citymon.Problem{Line: row.Line, Reason: reason(err)})
			continue
		}
		rep.Saved++
	}
	return rep, nil
}
