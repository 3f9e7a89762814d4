package citymon

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Rule raises an alert when a parameter stays beyond a threshold for a
// duration, on every device of Kind (or on Device alone).
type Rule struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Kind      Kind          `json:"kind,omitempty"`
	Device    string        `json:"device,omitempty"`
	Param     string        `json:"param"`
	Op        string        `json:"op"` // ">" or "<"
	Threshold float64       `json:"threshold"`
	Duration  time.Duration `json:"duration"`
	Level     int           `json:"level"` // 1 提示, 2 警告, 3 严重
	// Escalate raises the level once if nobody acknowledged the alert
	// within this time (0: never).
	Escalate time.Duration `json:"escalate"`
	// Source says where the threshold comes from; Unverified marks one the
	// standards could not confirm (shown with the alert).
	Source     string `json:"source"`
	Unverified bool   `json:"unverified"`
	Enabled    bool   `json:"enabled"`
}

// OfflineRule is the built-in rule behind "device offline" alerts: no
// reading for three reporting intervals (at least 15 minutes).
const OfflineRule = "offline"

// LevelNames are the alert levels in Chinese.
var LevelNames = map[int]string{1: "提示", 2: "警告", 3: "严重"}

// Alert statuses.
const (
	AlertOpen   = "open"   // 待处理
	AlertAcked  = "acked"  // 已确认
	AlertClosed = "closed" // 已关闭
)

// Alert is one raised condition.
type Alert struct {
	ID        int64     `json:"id"`
	Rule      string    `json:"rule"`
	Device    string    `json:"device"`
	Param     string    `json:"param"`
	Level     int       `json:"level"`
	LevelName string    `json:"level_name"`
	Status    string    `json:"status"`
	Message   string    `json:"message"`
	Value     *float64  `json:"value"`
	FirstAt   time.Time `json:"first_at"`
	LastAt    time.Time `json:"last_at"`
	Count     int       `json:"count"` // evaluations that found the condition
	Escalated bool      `json:"escalated"`
	AckedBy   string    `json:"acked_by,omitempty"`
	AckedAt   time.Time `json:"acked_at,omitzero"`
	AckNote   string    `json:"ack_note,omitempty"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	CloseNote string    `json:"close_note,omitempty"`
}

// Alerts evaluates rules, keeps alerts and tells a webhook.
type Alerts struct {
	s       *Store
	audit   *audit.Log
	Webhook *Webhook // nil: no webhook
}

// NewAlerts works on s, recording acknowledgements in log.
func NewAlerts(s *Store, log *audit.Log) *Alerts { return &Alerts{s: s, audit: log} }

// SaveRule creates or replaces a rule.
func (a *Alerts) SaveRule(ctx context.Context, r Rule, actor string) error {
	r.ID, r.Name, r.Param = strings.TrimSpace(r.ID), strings.TrimSpace(r.Name), strings.TrimSpace(r.Param)
	switch {
	case r.ID == "" || r.ID == OfflineRule || r.Name == "" || r.Param == "":
		return fmt.Errorf("%w: a rule needs an id (not %q), a name and a parameter", ErrInput, OfflineRule)
	case r.Op != ">" && r.Op != "<":
		return fmt.Errorf("%w: rule %s: op %q (want > or <)", ErrInput, r.ID, r.Op)
	case r.Duration < 0 || r.Escalate < 0 || r.Level < 1 || r.Level > 3:
		return fmt.Errorf("%w: rule %s: duration, escalation ≥ 0 and level 1–3", ErrInput, r.ID)
	case r.Kind != "" && !validKind(r.Kind):
		return fmt.Errorf("%w: rule %s: unknown kind %q", ErrInput, r.ID, r.Kind)
	}
	_, err := a.s.db.Exec(ctx, `INSERT INTO citymon_rules (id, name, kind, device, param, op, threshold, duration_s, level, escalate_s,
		source, unverified, enabled, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, device = excluded.device, param = excluded.param,
		op = excluded.op, threshold = excluded.threshold, duration_s = excluded.duration_s, level = excluded.level,
		escalate_s = excluded.escalate_s, source = excluded.source, unverified = excluded.unverified, enabled = excluded.enabled,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		r.ID, r.Name, string(r.Kind), r.Device, r.Param, r.Op, r.Threshold, int64(r.Duration/time.Second), r.Level,
		int64(r.Escalate/time.Second), r.Source, boolInt(r.Unverified), boolInt(r.Enabled), store.T(a.s.now()).String(), actor)
	if err != nil {
		return fmt.Errorf("save rule %s: %w", r.ID, err)
	}
	return nil
}

// Rules lists the rules by id.
func (a *Alerts) Rules(ctx context.Context) ([]Rule, error) {
	rows, err := a.s.db.Query(ctx, `SELECT id, name, kind, device, param, op, threshold, duration_s, level, escalate_s, source, unverified, enabled
		FROM citymon_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer rows.Close()
	out := []Rule{}
	for rows.Next() {
		var r Rule
		var dur, esc int64
		var unv, en int
		if err := rows.Scan(&r.ID, &r.Name, &r.Kind, &r.Device, &r.Param, &r.Op, &r.Threshold, &dur, &r.Level, &esc, &r.Source, &unv, &en); err != nil {
			return nil, err
		}
		r.Duration, r.Escalate = time.Duration(dur)*time.Second, time.Duration(esc)*time.Second
		r.Unverified, r.Enabled = unv != 0, en != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// condition is a rule's finding on one device at evaluation time.
type condition struct {
	rule, device, param string
	level               int
	escalate            time.Duration
	message             string
	value               *float64
}

func (c condition) dedup() string { return c.rule + "|" + c.device + "|" + c.param }

// Evaluate checks every enabled rule and the offline rule at now: a
// condition newly found raises an alert, one still found updates its
// alert, one gone closes it; an alert nobody acknowledged within its
// rule's escalation time is escalated once. The webhook hears of every
// alert raised, escalated and closed. It returns the alerts raised.
func (a *Alerts) Evaluate(ctx context.Context, now time.Time) ([]Alert, error) {
	devs, err := a.s.Devices(ctx, "")
	if err != nil {
		return nil, err
	}
	rules, err := a.Rules(ctx)
	if err != nil {
		return nil, err
	}
	found := map[string]condition{}
	checked := map[string]bool{} // dedup keys evaluated (so absent = resolved)
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		for _, d := range devs {
			if !d.Active || (r.Device != "" && d.ID != r.Device) || (r.Kind != "" && d.Kind != r.Kind) {
				continue
			}
			unit, ok := d.Unit(r.Param)
			if !ok {
				continue
			}
			c := condition{rule: r.ID, device: d.ID, param: r.Param, level: r.Level, escalate: r.Escalate}
			pts, err := a.s.Raw(ctx, d.ID, r.Param, now.Add(-r.Duration-d.Interval), now.Add(time.Second))
			if err != nil {
				return nil, err
			}
			if len(pts) == 0 {
				continue // no data: the offline rule speaks
			}
			checked[c.dedup()] = true
			if holds(r, d, pts, now) {
				last := pts[len(pts)-1].Value
				c.value = &last
				c.message = fmt.Sprintf("%s：%s %s %s %g %s 已持续 %s", d.Name, ParamName(r.Param), fmtVal(last), r.Op, r.Threshold, unit, fmtDur(r.Duration))
				if r.Unverified {
					c.message += "（阈值未经核实：" + r.Source + "）"
				}
				found[c.dedup()] = c
			}
		}
	}
	for _, d := range devs {
		if !d.Active || d.LastSeen.IsZero() {
			continue
		}
		c := condition{rule: OfflineRule, device: d.ID, level: 2, escalate: 2 * time.Hour}
		checked[c.dedup()] = true
		if gap := now.Sub(d.LastSeen); gap > max(3*d.Interval, 15*time.Minute) {
			c.message = fmt.Sprintf("%s 已 %s 未上报数据（最后一次 %s）", d.Name, fmtDur(gap.Truncate(time.Minute)), d.LastSeen.In(Zone).Format("01-02 15:04"))
			found[c.dedup()] = c
		}
	}
	var events []webhookEvent
	var raised []Alert
	live, err := a.List(ctx, AlertFilter{Live: true})
	if err != nil {
		return nil, err
	}
	byKey := map[string]Alert{}
	for _, al := range live {
		byKey[al.Rule+"|"+al.Device+"|"+al.Param] = al
	}
	// In key order, so that events go out in the same order every time.
	for _, key := range slices.Sorted(maps.Keys(found)) {
		c := found[key]
		if al, ok := byKey[key]; ok {
			if _, err := a.s.db.Exec(ctx, `UPDATE citymon_alerts SET last_at = ?, count = count + 1, value = ?, message = ? WHERE id = ?`,
				now.Unix(), c.value, c.message, al.ID); err != nil {
				return nil, fmt.Errorf("update alert %d: %w", al.ID, err)
			}
			continue
		}
		var id int64
		err := a.s.db.QueryRow(ctx, `INSERT INTO citymon_alerts (rule, device, param, dedup, level, status, message, value, first_at, last_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.rule, c.device, c.param, key, c.level, AlertOpen, c.message, c.value,
			now.Unix(), now.Unix()).Scan(&id)
		if store.IsUniqueViolation(err) {
			continue // another replica raised it first
		}
		if err != nil {
			return nil, fmt.Errorf("raise alert %s: %w", key, err)
		}
		al, err := a.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		raised = append(raised, al)
		events = append(events, webhookEvent{"opened", al})
	}
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		al := byKey[key]
		if _, still := found[key]; still || !checked[key] {
			continue
		}
		if _, err := a.s.db.Exec(ctx, `UPDATE citymon_alerts SET status = ?, closed_by = 'system', closed_at = ?, close_note = '条件已消除'
			WHERE id = ? AND status <> ?`, AlertClosed, now.Unix(), al.ID, AlertClosed); err != nil {
			return nil, fmt.Errorf("close alert %d: %w", al.ID, err)
		}
		al.Status, al.ClosedBy, al.ClosedAt = AlertClosed, "system", now.In(Zone)
		events = append(events, webhookEvent{"closed", al})
	}
	// Escalation: still open (not acknowledged) past the rule's time.
	esc := map[string]time.Duration{OfflineRule: 2 * time.Hour}
	for _, r := range rules {
		esc[r.ID] = r.Escalate
	}
	live, err = a.List(ctx, AlertFilter{Status: AlertOpen})
	if err != nil {
		return nil, err
	}
	for _, al := range live {
		after := esc[al.Rule]
		if al.Escalated || after <= 0 || now.Sub(al.FirstAt) < after {
			continue
		}
		level := min(al.Level+1, 3)
		if _, err := a.s.db.Exec(ctx, `UPDATE citymon_alerts SET escalated = 1, level = ? WHERE id = ? AND escalated = 0`, level, al.ID); err != nil {
			return nil, fmt.Errorf("escalate alert %d: %w", al.ID, err)
		}
		al.Escalated, al.Level, al.LevelName = true, level, LevelNames[level]
		events = append(events, webhookEvent{"escalated", al})
	}
	if len(events) > 0 {
		_ = a.s.db.Publish(ctx, Topic, "alerts")
	}
	a.notify(ctx, events)
	return raised, nil
}

// holds reports whether every reading in the rule's window is beyond the
// threshold and the readings reach back over the whole window.
func holds(r Rule, d Device, pts []Point, now time.Time) bool {
	from := now.Add(-r.Duration)
	var inWindow []Point
	var before *Point
	for i := range pts {
		if pts[i].Time.After(from) {
			inWindow = append(inWindow, pts[i])
		} else {
			before = &pts[i]
		}
	}
	if len(inWindow) == 0 {
		return false
	}
	// The condition must have held since the window opened: the last
	// reading at or before its start counts too, when there is one.
	check := inWindow
	if before != nil {
		check = append([]Point{*before}, inWindow...)
	} else if inWindow[0].Time.Sub(from) > d.Interval {
		return false // data starts too late to cover the duration
	}
	for _, p := range check {
		if (r.Op == ">" && !(p.Value > r.Threshold)) || (r.Op == "<" && !(p.Value < r.Threshold)) {
			return false
		}
	}
	return true
}

// AlertFilter selects alerts; zero fields do not filter.
type AlertFilter struct {
	Live   bool   // open or acknowledged
	Status string // one status
	Device string
	Limit  int // default 200
}

const alertCols = `id, rule, device, param, level, status, message, value, first_at, last_at, count, escalated, acked_by, acked_at, ack_note, closed_by, closed_at, close_note`

func scanAlert(sc interface{ Scan(...any) error }) (Alert, error) {
	var al Alert
	var v sql.NullFloat64
	var first, last, acked, closed int64
	var esc int
	if err := sc.Scan(&al.ID, &al.Rule, &al.Device, &al.Param, &al.Level, &al.Status, &al.Message, &v, &first, &last, &al.Count, &esc,
		&al.AckedBy, &acked, &al.AckNote, &al.ClosedBy, &closed, &al.CloseNote); err != nil {
		return Alert{}, err
	}
	if v.Valid {
		al.Value = &v.Float64
	}
	al.FirstAt, al.LastAt = time.Unix(first, 0).In(Zone), time.Unix(last, 0).In(Zone)
	if acked > 0 {
		al.AckedAt = time.Unix(acked, 0).In(Zone)
	}
	if closed > 0 {
		al.ClosedAt = time.Unix(closed, 0).In(Zone)
	}
	al.Escalated, al.LevelName = esc != 0, LevelNames[al.Level]
	return al, nil
}

// List returns alerts, the most severe and newest first.
func (a *Alerts) List(ctx context.Context, f AlertFilter) ([]Alert, error) {
	var where []string
	var args []any
	if f.Live {
		where, args = append(where, `status <> ?`), append(args, AlertClosed)
	}
	if f.Status != "" {
		where, args = append(where, `status = ?`), append(args, f.Status)
	}
	if f.Device != "" {
		where, args = append(where, `device = ?`), append(args, f.Device)
	}
	q := `SELECT ` + alertCols + ` FROM citymon_alerts`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := a.s.db.Query(ctx, q+` ORDER BY level DESC, first_at DESC, id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	defer rows.Close()
	out := []Alert{}
	for rows.Next() {
		al, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, al)
	}
	return out, rows.Err()
}

// Get returns one alert.
func (a *Alerts) Get(ctx context.Context, id int64) (Alert, error) {
	al, err := scanAlert(a.s.db.QueryRow(ctx, `SELECT `+alertCols+` FROM citymon_alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Alert{}, fmt.Errorf("alert %d: %w", id, ErrNotFound)
	}
	return al, err
}

// Actor is who acts, as the audit log records them.
type Actor struct {
	Name, Role, IP string
}

// ErrState is matched when an alert, event or task is not in a state that
// allows the change asked for.
var ErrState = errors.New("citymon: not allowed in this state")

// Ack acknowledges an open alert (the duty officer has seen it and acts),
// recorded in the audit log with the note.
func (a *Alerts) Ack(ctx context.Context, id int64, who Actor, note string) (Alert, error) {
	return a.transition(ctx, id, who, note, "city.alert.ack", AlertOpen, `status = 'acked', acked_by = ?, acked_at = ?, ack_note = ?`)
}

// Close closes an alert by hand, with a note, recorded in the audit log.
func (a *Alerts) Close(ctx context.Context, id int64, who Actor, note string) (Alert, error) {
	return a.transition(ctx, id, who, note, "city.alert.close", "", `status = 'closed', closed_by = ?, closed_at = ?, close_note = ?`)
}

func (a *Alerts) transition(ctx context.Context, id int64, who Actor, note, action, from, set string) (Alert, error) {
	if strings.TrimSpace(who.Name) == "" {
		return Alert{}, fmt.Errorf("%w: who acts is required", ErrInput)
	}
	q := `UPDATE citymon_alerts SET ` + set + ` WHERE id = ? AND status <> 'closed'`
	args := []any{who.Name, a.s.now().Unix(), note, id}
	if from != "" {
		q += ` AND status = ?`
		args = append(args, from)
	}
	res, err := a.s.db.Exec(ctx, q, args...)
	if err != nil {
		return Alert{}, fmt.Errorf("%s %d: %w", action, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := a.Get(ctx, id); err != nil {
			return Alert{}, err
		}
		return Alert{}, fmt.Errorf("alert %d: %w", id, ErrState)
	}
	al, err := a.Get(ctx, id)
	if err != nil {
		return Alert{}, err
	}
	if _, err := a.audit.Record(ctx, audit.Entry{Actor: who.Name, Role: who.Role, IP: who.IP, Action: action,
		Target: fmt.Sprintf("alert:%d", id), Details: map[string]any{"note": note, "rule": al.Rule, "device": al.Device}}); err != nil {
		return Alert{}, err
	}
	_ = a.s.db.Publish(ctx, Topic, "alerts")
	ev := "acknowledged"
	if al.Status == AlertClosed {
		ev = "closed"
	}
	a.notify(ctx, []webhookEvent{{ev, al}})
	return al, nil
}

// Webhook posts alert events as JSON to a URL:
//
//	{"event":"opened"|"escalated"|"acknowledged"|"closed","alert":{…}}
//
// Each is tried three times (1 s, then 3 s apart); a failure is logged,
// never blocks the alert itself.
type Webhook struct {
	URL    string
	Client *http.Client // default: 5 s timeout
	Wait   func(time.Duration)
}

type webhookEvent struct {
	Event string `json:"event"`
	Alert Alert  `json:"alert"`
}

func (a *Alerts) notify(ctx context.Context, events []webhookEvent) {
	if a.Webhook == nil || a.Webhook.URL == "" {
		return
	}
	for _, e := range events {
		if err := a.Webhook.send(ctx, e); err != nil {
			slog.Warn("citymon: alert webhook failed", "event", e.Event, "alert", e.Alert.ID, "err", err)
		}
	}
}

func (w *Webhook) send(ctx context.Context, e webhookEvent) error {
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	wait := w.Wait
	if wait == nil {
		wait = time.Sleep
	}
	var last error
	for i, pause := range []time.Duration{0, time.Second, 3 * time.Second} {
		if i > 0 {
			wait(pause)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		last = fmt.Errorf("status %s", resp.Status)
	}
	return last
}

func fmtVal(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d 小时", d/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%d 小时 %d 分钟", d/time.Hour, (d%time.Hour)/time.Minute)
	default:
		return fmt.Sprintf("%d 分钟", d/time.Minute)
	}
}
