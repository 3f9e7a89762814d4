package citymon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Limit is a permit's limit for one pollutant at one outlet.
type Limit struct {
	Device string  `json:"device"` // the outlet
	Param  string  `json:"param"`
	Limit  float64 `json:"limit"`
	Unit   string  `json:"unit"`
	Permit string  `json:"permit"` // 排污许可证编号
}

// SetLimit records a permit limit (in the outlet's unit for the parameter).
func (s *Store) SetLimit(ctx context.Context, l Limit) error {
	d, err := s.Device(ctx, l.Device)
	if err != nil {
		return err
	}
	unit, ok := d.Unit(l.Param)
	if d.Kind != Outlet || !ok || l.Limit <= 0 {
		return fmt.Errorf("%w: a limit needs an outlet that measures %s and a positive value", ErrInput, l.Param)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO citymon_limits (device, param, limit_val, unit, permit) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (device, param) DO UPDATE SET limit_val = excluded.limit_val, unit = excluded.unit, permit = excluded.permit`,
		l.Device, l.Param, l.Limit, unit, l.Permit)
	if err != nil {
		return fmt.Errorf("set limit %s/%s: %w", l.Device, l.Param, err)
	}
	return nil
}

// Limits lists every limit.
func (s *Store) Limits(ctx context.Context) ([]Limit, error) {
	rows, err := s.db.Query(ctx, `SELECT device, param, limit_val, unit, permit FROM citymon_limits ORDER BY device, param`)
	if err != nil {
		return nil, fmt.Errorf("limits: %w", err)
	}
	defer rows.Close()
	out := []Limit{}
	for rows.Next() {
		var l Limit
		if err := rows.Scan(&l.Device, &l.Param, &l.Limit, &l.Unit, &l.Permit); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Exceedance event and task statuses.
const (
	EventOpen   = "open"   // 待处理
	EventAcked  = "acked"  // 已确认
	EventClosed = "closed" // 已办结
	TaskTodo    = "todo"   // 待办
	TaskDoing   = "doing"  // 办理中
	TaskDone    = "done"   // 已完成
)

// Exceedance is a run of consecutive hours whose mean was above a limit.
type Exceedance struct {
	ID         int64     `json:"id"`
	Enterprise string    `json:"enterprise"`
	Device     string    `json:"device"`
	Param      string    `json:"param"`
	Limit      float64   `json:"limit"`
	Start      time.Time `json:"start"` // first hour's start
	End        time.Time `json:"end"`   // last hour's start
	Hours      int       `json:"hours"`
	Peak       float64   `json:"peak"` // highest hourly mean
	Status     string    `json:"status"`
	AckedBy    string    `json:"acked_by,omitempty"`
	ClosedBy   string    `json:"closed_by,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// ScanExceedances compares the hourly means of every limited outlet with
// its limit for the hours starting in [from, to): an exceeding hour right
// after an event's last hour extends it, any other starts a new event (and
// an enforcement task). Scanning the same hours again changes nothing, so
// a late reading can be taken in by scanning its hours again.
func (s *Store) ScanExceedances(ctx context.Context, from, to time.Time) ([]Exceedance, error) {
	from, to = from.Truncate(time.Hour), to.Truncate(time.Hour)
	limits, err := s.Limits(ctx)
	if err != nil {
		return nil, err
	}
	var opened []Exceedance
	for _, l := range limits {
		d, err := s.Device(ctx, l.Device)
		if err != nil {
			continue // an outlet removed since
		}
		m, err := s.hourMeans(ctx, l.Device, []string{l.Param}, from, to)
		if err != nil {
			return nil, err
		}
		hours := make([]int64, 0, len(m[l.Param]))
		for h, v := range m[l.Param] {
			if v > l.Limit {
				hours = append(hours, h)
			}
		}
		sort.Slice(hours, func(i, j int) bool { return hours[i] < hours[j] })
		for _, h := range hours {
			v := m[l.Param][h]
			var id, start, end int64
			var peak float64
			err := s.db.QueryRow(ctx, `SELECT id, start_hour, end_hour, peak FROM citymon_exceedances
				WHERE device = ? AND param = ? AND start_hour <= ? AND end_hour >= ? ORDER BY start_hour DESC LIMIT 1`,
				l.Device, l.Param, h, h-3600).Scan(&id, &start, &end, &peak)
			switch {
			case err == nil && h <= end:
				if v > peak { // a late reading raised an hour already counted
					if _, err := s.db.Exec(ctx, `UPDATE citymon_exceedances SET peak = ? WHERE id = ?`, v, id); err != nil {
						return nil, err
					}
				}
			case err == nil: // h == end + 1 hour: the run goes on
				if _, err := s.db.Exec(ctx, `UPDATE citymon_exceedances SET end_hour = ?, hours = hours + 1,
					peak = CASE WHEN peak < ? THEN ? ELSE peak END WHERE id = ?`, h, v, v, id); err != nil {
					return nil, err
				}
			case errors.Is(err, sql.ErrNoRows):
				ev, err := s.openExceedance(ctx, d, l, h, v)
				if err != nil {
					return nil, err
				}
				if ev.ID != 0 {
					opened = append(opened, ev)
				}
			default:
				return nil, fmt.Errorf("exceedances: %w", err)
			}
		}
	}
	if len(opened) > 0 {
		_ = s.db.Publish(ctx, Topic, "exceedances")
	}
	return opened, nil
}

func (s *Store) openExceedance(ctx context.Context, d Device, l Limit, h int64, v float64) (Exceedance, error) {
	ev := Exceedance{Enterprise: d.Owner, Device: d.ID, Param: l.Param, Limit: l.Limit, Start: time.Unix(h, 0).In(Zone),
		End: time.Unix(h, 0).In(Zone), Hours: 1, Peak: v, Status: EventOpen}
	now := s.now().Unix()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO citymon_exceedances (enterprise, device, param, limit_val, start_hour, end_hour, hours, peak, status)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, d.Owner, d.ID, l.Param, l.Limit, h, h, v, EventOpen).Scan(&ev.ID); err != nil {
			return err
		}
		title := fmt.Sprintf("核查%s %s %s 超标（限值 %g %s，%s 起）", d.Owner, d.Name, ParamName(l.Param), l.Limit, l.Unit, ev.Start.Format("01-02 15:04"))
		_, err := tx.Exec(ctx, `INSERT INTO citymon_tasks (event_id, enterprise, title, status, due, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'system')`, ev.ID, d.Owner, title, TaskTodo, ev.Start.AddDate(0, 0, 3).Format(time.DateOnly), now, now)
		return err
	})
	if store.IsUniqueViolation(err) {
		return Exceedance{}, nil // another replica opened it
	}
	if err != nil {
		return Exceedance{}, fmt.Errorf("open exceedance %s/%s: %w", d.ID, l.Param, err)
	}
	return ev, nil
}

// ExceedanceFilter selects events; zero fields do not filter.
type ExceedanceFilter struct {
	Status     string
	Live       bool // open or acknowledged
	Enterprise string
}

// Exceedances lists events, newest first.
func (s *Store) Exceedances(ctx context.Context, f ExceedanceFilter) ([]Exceedance, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, `status = ?`), append(args, f.Status)
	}
	if f.Live {
		where, args = append(where, `status <> ?`), append(args, EventClosed)
	}
	if f.Enterprise != "" {
		where, args = append(where, `enterprise = ?`), append(args, f.Enterprise)
	}
	q := `SELECT id, enterprise, device, param, limit_val, start_hour, end_hour, hours, peak, status, acked_by, closed_by, note FROM citymon_exceedances`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY start_hour DESC, id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("exceedances: %w", err)
	}
	defer rows.Close()
	out := []Exceedance{}
	for rows.Next() {
		var e Exceedance
		var start, end int64
		if err := rows.Scan(&e.ID, &e.Enterprise, &e.Device, &e.Param, &e.Limit, &start, &end, &e.Hours, &e.Peak, &e.Status,
			&e.AckedBy, &e.ClosedBy, &e.Note); err != nil {
			return nil, err
		}
		e.Start, e.End = time.Unix(start, 0).In(Zone), time.Unix(end, 0).In(Zone)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AckExceedance moves an open event to acknowledged; CloseExceedance
// closes an open or acknowledged one with a note (required). Both are
// recorded in the audit log.
func (s *Store) AckExceedance(ctx context.Context, log *audit.Log, id int64, who Actor, note string) error {
	return s.eventTransition(ctx, log, id, who, note, "city.exceedance.ack", `status = 'acked', acked_by = ?, acked_at = ?, note = ?`, `status = 'open'`)
}

// CloseExceedance closes an event with a note saying how it was resolved.
func (s *Store) CloseExceedance(ctx context.Context, log *audit.Log, id int64, who Actor, note string) error {
	if strings.TrimSpace(note) == "" {
		return fmt.Errorf("%w: closing an exceedance needs a note", ErrInput)
	}
	return s.eventTransition(ctx, log, id, who, note, "city.exceedance.close", `status = 'closed', closed_by = ?, closed_at = ?, note = ?`, `status <> 'closed'`)
}

func (s *Store) eventTransition(ctx context.Context, log *audit.Log, id int64, who Actor, note, action, set, cond string) error {
	if strings.TrimSpace(who.Name) == "" {
		return fmt.Errorf("%w: who acts is required", ErrInput)
	}
	res, err := s.db.Exec(ctx, `UPDATE citymon_exceedances SET `+set+` WHERE id = ? AND `+cond, who.Name, s.now().Unix(), note, id)
	if err != nil {
		return fmt.Errorf("%s %d: %w", action, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var st string
		if err := s.db.QueryRow(ctx, `SELECT status FROM citymon_exceedances WHERE id = ?`, id).Scan(&st); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("exceedance %d: %w", id, ErrNotFound)
		}
		return fmt.Errorf("exceedance %d: %w", id, ErrState)
	}
	_, err = log.Record(ctx, audit.Entry{Actor: who.Name, Role: who.Role, IP: who.IP, Action: action,
		Target: fmt.Sprintf("exceedance:%d", id), Details: map[string]any{"note": note}})
	_ = s.db.Publish(ctx, Topic, "exceedances")
	return err
}

// Task is an enforcement task.
type Task struct {
	ID         int64  `json:"id"`
	EventID    int64  `json:"event_id"`
	Enterprise string `json:"enterprise"`
	Title      string `json:"title"`
	Assignee   string `json:"assignee"`
	Status     string `json:"status"`
	Due        string `json:"due"`
	Note       string `json:"note"`
	UpdatedBy  string `json:"updated_by"`
}

// Tasks lists enforcement tasks, unfinished first, then by due date.
func (s *Store) Tasks(ctx context.Context, status string) ([]Task, error) {
	q, args := `SELECT id, event_id, enterprise, title, assignee, status, due, note, updated_by FROM citymon_tasks`, []any{}
	if status != "" {
		q, args = q+` WHERE status = ?`, append(args, status)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY CASE status WHEN 'done' THEN 1 ELSE 0 END, due, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	defer rows.Close()
	out := []Task{}
	for rows.Next() {
		var t Task
		if err := rows.Scan(&t.ID, &t.EventID, &t.Enterprise, &t.Title, &t.Assignee, &t.Status, &t.Due, &t.Note, &t.UpdatedBy); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// UpdateTask assigns a task or moves it on (todo → doing → done), audited.
func (s *Store) UpdateTask(ctx context.Context, log *audit.Log, id int64, status, assignee, note string, who Actor) error {
	if status != TaskTodo && status != TaskDoing && status != TaskDone {
		return fmt.Errorf("%w: task status %q (todo, doing, done)", ErrInput, status)
	}
	if strings.TrimSpace(who.Name) == "" {
		return fmt.Errorf("%w: who acts is required", ErrInput)
	}
	res, err := s.db.Exec(ctx, `UPDATE citymon_tasks SET status = ?, assignee = CASE WHEN ? = '' THEN assignee ELSE ? END, note = ?,
		updated_at = ?, updated_by = ? WHERE id = ?`, status, assignee, assignee, note, s.now().Unix(), who.Name, id)
	if err != nil {
		return fmt.Errorf("task %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	_, err = log.Record(ctx, audit.Entry{Actor: who.Name, Role: who.Role, IP: who.IP, Action: "city.task.update",
		Target: fmt.Sprintf("task:%d", id), Details: map[string]any{"status": status, "assignee": assignee, "note": note}})
	return err
}

// Compliance is an enterprise's share of monitored hours within its
// limits in a month.
type Compliance struct {
	Enterprise string  `json:"enterprise"`
	Hours      int     `json:"hours"`     // outlet-pollutant hours with data
	Compliant  int     `json:"compliant"` // of which within the limit
	Rate       float64 `json:"rate"`      // 达标率
	Events     int     `json:"events"`    // exceedance events begun in the month
}

// MonthlyCompliance is every enterprise's compliance in month (YYYY-MM),
// worst first.
func (s *Store) MonthlyCompliance(ctx context.Context, month string) ([]Compliance, error) {
	start, err := time.ParseInLocation("2006-01", month, Zone)
	if err != nil {
		return nil, fmt.Errorf("%w: month %q", ErrInput, month)
	}
	end := start.AddDate(0, 1, 0)
	limits, err := s.Limits(ctx)
	if err != nil {
		return nil, err
	}
	by := map[string]*Compliance{}
	for _, l := range limits {
		d, err := s.Device(ctx, l.Device)
		if err != nil {
			continue
		}
		c := by[d.Owner]
		if c == nil {
			c = &Compliance{Enterprise: d.Owner}
			by[d.Owner] = c
		}
		m, err := s.hourMeans(ctx, l.Device, []string{l.Param}, start, end)
		if err != nil {
			return nil, err
		}
		for _, v := range m[l.Param] {
			c.Hours++
			if v <= l.Limit {
				c.Compliant++
			}
		}
	}
	rows, err := s.db.Query(ctx, `SELECT enterprise, COUNT(*) FROM citymon_exceedances WHERE start_hour >= ? AND start_hour < ? GROUP BY enterprise`,
		start.Unix(), end.Unix())
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if c := by[e]; c != nil {
			c.Events = n
		}
	}
	rows.Close()
	out := []Compliance{}
	for _, c := range by {
		if c.Hours > 0 {
			c.Rate = round3(float64(c.Compliant) / float64(c.Hours))
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rate != out[j].Rate {
			return out[i].Rate < out[j].Rate
		}
		return out[i].Enterprise < out[j].Enterprise
	})
	return out, rows.Err()
}
