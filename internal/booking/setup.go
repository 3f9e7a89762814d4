package booking

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Window is a counter in a hall serving a set of items; each of its slots
// takes Capacity bookings.
type Window struct {
	ID       int64    `json:"id"`
	HallID   string   `json:"hall_id"`
	Name     string   `json:"name"`
	Capacity int      `json:"capacity"`
	Active   bool     `json:"active"`
	Items    []string `json:"items"`
}

func (w *Window) validate() error {
	w.Name = strings.TrimSpace(w.Name)
	switch {
	case strings.TrimSpace(w.HallID) == "":
		return fmt.Errorf("window: hall is empty: %w", ErrInvalidInput)
	case w.Name == "":
		return fmt.Errorf("window: name is empty: %w", ErrInvalidInput)
	case w.Capacity < 1 || w.Capacity > 1000:
		return fmt.Errorf("window %s: capacity %d outside 1–1000: %w", w.Name, w.Capacity, ErrInvalidInput)
	}
	return nil
}

// AddWindow creates a window; a zero capacity takes the default.
func (s *Service) AddWindow(ctx context.Context, w Window, actor string) (Window, error) {
	if w.Capacity == 0 {
		w.Capacity = s.cfg.DefaultCapacity
	}
	w.Active = true
	if err := w.validate(); err != nil {
		return Window{}, err
	}
	now := s.stamp()
	err := s.withTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO booking_windows (hall_id, name, capacity, active, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, 1, ?, ?, ?) RETURNING id`, w.HallID, w.Name, w.Capacity, now, now, actor).Scan(&w.ID); err != nil {
			return fmt.Errorf("add window: %w", err)
		}
		return setWindowItems(ctx, tx, w.ID, w.Items)
	})
	if err != nil {
		return Window{}, err
	}
	w.Items = cleanItems(w.Items)
	return w, nil
}

// UpdateWindow changes a window's name, capacity, active flag and items.
// A new capacity applies to the slots of today and later that already
// have bookings too (a slot may end up over a lowered capacity; it then
// takes no more bookings).
func (s *Service) UpdateWindow(ctx context.Context, w Window, actor string) error {
	if err := w.validate(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE booking_windows SET name = ?, capacity = ?, active = ?, updated_at = ?, updated_by = ?
			WHERE id = ? AND hall_id = ?`, w.Name, w.Capacity, boolInt(w.Active), s.stamp(), actor, w.ID, w.HallID)
		if err != nil {
			return fmt.Errorf("update window %d: %w", w.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("window %d of hall %s: %w", w.ID, w.HallID, ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_slots SET capacity = ? WHERE window_id = ? AND day >= ?`,
			w.Capacity, w.ID, s.today().Format(DayLayout)); err != nil {
			return fmt.Errorf("update window %d slots: %w", w.ID, err)
		}
		return setWindowItems(ctx, tx, w.ID, w.Items)
	})
}

func cleanItems(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it != "" && !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	sort.Strings(out)
	return out
}

func setWindowItems(ctx context.Context, tx *store.Tx, id int64, items []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM booking_window_items WHERE window_id = ?`, id); err != nil {
		return fmt.Errorf("window %d items: %w", id, err)
	}
	for _, it := range cleanItems(items) {
		if _, err := tx.Exec(ctx, `INSERT INTO booking_window_items (window_id, item_id) VALUES (?, ?)`, id, it); err != nil {
			return fmt.Errorf("window %d item %s: %w", id, it, err)
		}
	}
	return nil
}

// Windows lists a hall's windows (every hall's when hallID is empty).
func (s *Service) Windows(ctx context.Context, hallID string) ([]Window, error) {
	q := `SELECT id, hall_id, name, capacity, active FROM booking_windows`
	var args []any
	if hallID != "" {
		q += ` WHERE hall_id = ?`
		args = append(args, hallID)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY hall_id, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list windows: %w", err)
	}
	var out []Window
	byID := map[int64]int{}
	for rows.Next() {
		var w Window
		var active int
		if err := rows.Scan(&w.ID, &w.HallID, &w.Name, &w.Capacity, &active); err != nil {
			rows.Close()
			return nil, err
		}
		w.Active = active == 1
		byID[w.ID] = len(out)
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	q = `SELECT wi.window_id, wi.item_id FROM booking_window_items wi JOIN booking_windows w ON w.id = wi.window_id`
	if hallID != "" {
		q += ` WHERE w.hall_id = ?`
	}
	rows, err = s.db.Query(ctx, q+` ORDER BY wi.item_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list window items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var item string
		if err := rows.Scan(&id, &item); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Items = append(out[i].Items, item)
		}
	}
	return out, rows.Err()
}

// window is what booking needs of a window serving an item.
type window struct {
	id       int64
	name     string
	capacity int
}

type querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// windowsFor lists the active windows of a hall serving an item, in id
// order (the order slots are filled, and locked, in).
func windowsFor(ctx context.Context, q querier, hallID, itemID string) ([]window, error) {
	rows, err := q.Query(ctx, `SELECT w.id, w.name, w.capacity FROM booking_windows w
		JOIN booking_window_items wi ON wi.window_id = w.id
		WHERE w.hall_id = ? AND wi.item_id = ? AND w.active = 1 ORDER BY w.id`, hallID, itemID)
	if err != nil {
		return nil, fmt.Errorf("windows of %s for %s: %w", hallID, itemID, err)
	}
	defer rows.Close()
	var out []window
	for rows.Next() {
		var w window
		if err := rows.Scan(&w.id, &w.name, &w.capacity); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// HallSchedule is a hall's stored schedule with where it came from.
type HallSchedule struct {
	HallID    string     `json:"hall_id"`
	Schedule  Schedule   `json:"schedule"`
	Text      string     `json:"text"`   // the schedule written out in Chinese
	Source    string     `json:"source"` // parsed (from the catalogue's hours) or staff
	Notes     []string   `json:"notes,omitempty"`
	UpdatedAt store.Time `json:"updated_at"`
	UpdatedBy string     `json:"updated_by"`
}

// Schedule sources.
const (
	SourceParsed = "parsed"
	SourceStaff  = "staff"
)

// SetSchedule stores a hall's weekly hours. Bookings already made stay as
// they are, even where the new hours no longer cover them.
func (s *Service) SetSchedule(ctx context.Context, hallID string, sched Schedule, source string, notes []string, actor string) error {
	if sched.SlotMinutes == 0 {
		sched.SlotMinutes = DefaultSlotMinutes
	}
	if err := sched.Validate(); err != nil {
		return fmt.Errorf("schedule of %s: %v: %w", hallID, err, ErrInvalidInput)
	}
	if strings.TrimSpace(hallID) == "" {
		return fmt.Errorf("schedule: hall is empty: %w", ErrInvalidInput)
	}
	data, err := json.Marshal(sched)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO booking_schedules (hall_id, data, source, notes, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (hall_id) DO UPDATE SET data = excluded.data, source = excluded.source, notes = excluded.notes,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		hallID, string(data), source, strings.Join(notes, "\n"), s.stamp(), actor)
	if err != nil {
		return fmt.Errorf("set schedule of %s: %w", hallID, err)
	}
	return nil
}

// HallSchedule returns a hall's schedule, or ErrNotOffered when it has none.
func (s *Service) HallSchedule(ctx context.Context, hallID string) (HallSchedule, error) {
	var h HallSchedule
	var data, notes string
	err := s.db.QueryRow(ctx, `SELECT hall_id, data, source, notes, updated_at, updated_by FROM booking_schedules WHERE hall_id = ?`, hallID).
		Scan(&h.HallID, &data, &h.Source, &notes, &h.UpdatedAt, &h.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return HallSchedule{}, fmt.Errorf("schedule of %s: %w", hallID, ErrNotOffered)
	}
	if err != nil {
		return HallSchedule{}, fmt.Errorf("schedule of %s: %w", hallID, err)
	}
	if err := json.Unmarshal([]byte(data), &h.Schedule); err != nil {
		return HallSchedule{}, fmt.Errorf("schedule of %s: %w", hallID, err)
	}
	if notes != "" {
		h.Notes = strings.Split(notes, "\n")
	}
	h.Text = h.Schedule.String()
	return h, nil
}

// SetCalendarDays adds or replaces calendar overrides.
func (s *Service) SetCalendarDays(ctx context.Context, days []CalendarDay) error {
	for i := range days {
		if days[i].Kind == Workday && days[i].AsWeekday == time.Sunday {
			days[i].AsWeekday = time.Monday // the zero value means "not given"
		}
		if err := days[i].Validate(); err != nil {
			return fmt.Errorf("calendar: %v: %w", err, ErrInvalidInput)
		}
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, d := range days {
			if _, err := tx.Exec(ctx, `INSERT INTO booking_calendar (day, kind, name, as_weekday) VALUES (?, ?, ?, ?)
				ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, as_weekday = excluded.as_weekday`,
				d.Day, string(d.Kind), d.Name, int(d.AsWeekday)); err != nil {
				return fmt.Errorf("calendar %s: %w", d.Day, err)
			}
		}
		return nil
	})
}

// DeleteCalendarDay removes an override; the day follows the week again.
func (s *Service) DeleteCalendarDay(ctx context.Context, day string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM booking_calendar WHERE day = ?`, day)
	if err != nil {
		return fmt.Errorf("calendar %s: %w", day, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("calendar %s: %w", day, ErrNotFound)
	}
	return nil
}

// CalendarDays lists overrides between two days inclusive (all when both
// are empty).
func (s *Service) CalendarDays(ctx context.Context, from, to string) ([]CalendarDay, error) {
	cal, err := loadCalendar(ctx, s.db, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]CalendarDay, 0, len(cal))
	for _, d := range cal {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}

func loadCalendar(ctx context.Context, q querier, from, to string) (Calendar, error) {
	if from == "" {
		from = "0000-00-00"
	}
	if to == "" {
		to = "9999-99-99"
	}
	rows, err := q.Query(ctx, `SELECT day, kind, name, as_weekday FROM booking_calendar WHERE day >= ? AND day <= ?`, from, to)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer rows.Close()
	cal := Calendar{}
	for rows.Next() {
		var d CalendarDay
		var kind string
		var wd int
		if err := rows.Scan(&d.Day, &kind, &d.Name, &wd); err != nil {
			return nil, err
		}
		d.Kind, d.AsWeekday = DayKind(kind), time.Weekday(wd)
		cal[d.Day] = d
	}
	return cal, rows.Err()
}

// SeedReport says what Seed set up.
type SeedReport struct {
	Schedules int      // halls given hours parsed from the catalogue
	Windows   int      // halls given a default window
	Notes     []string // what the hours parser left out, per hall
}

// Seed makes the catalogue bookable out of the box: each hall without a
// schedule gets one parsed from its hours text, and each hall without
// windows gets one general window (综合受理窗口) serving every published
// item that lists the hall and takes appointments. Halls staff already
// set up are left alone.
func (s *Service) Seed(ctx context.Context, actor string) (SeedReport, error) {
	var rep SeedReport
	halls, err := s.kb.Halls(ctx)
	if err != nil {
		return rep, err
	}
	items, err := s.kb.PublishedItems(ctx)
	if err != nil {
		return rep, err
	}
	for _, h := range halls {
		if _, err := s.HallSchedule(ctx, h.ID); errors.Is(err, ErrNotOffered) {
			sched, notes, perr := ParseHours(h.Hours)
			for _, n := range notes {
				rep.Notes = append(rep.Notes, h.ID+" "+h.Name+"："+n)
			}
			if perr != nil {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s %s：营业时间“%s”无法识别，请工作人员设置", h.ID, h.Name, h.Hours))
			} else {
				if err := s.SetSchedule(ctx, h.ID, sched, SourceParsed, notes, actor); err != nil {
					return rep, err
				}
				rep.Schedules++
			}
		} else if err != nil {
			return rep, err
		}
		ws, err := s.Windows(ctx, h.ID)
		if err != nil {
			return rep, err
		}
		if len(ws) > 0 {
			continue
		}
		var ids []string
		for _, it := range items {
			if it.Offline.Appointment && slices.Contains(it.Offline.Halls, h.ID) {
				ids = append(ids, it.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		if _, err := s.AddWindow(ctx, Window{HallID: h.ID, Name: "综合受理窗口", Items: ids}, actor); err != nil {
			return rep, err
		}
		rep.Windows++
	}
	return rep, nil
}

// itemName looks an item's name up in the knowledge base; only
// published items can be booked.
func (s *Service) itemName(ctx context.Context, id string) (string, error) {
	rec, err := s.kb.Item(ctx, id)
	if errors.Is(err, kb.ErrNotFound) {
		return "", fmt.Errorf("item %s: %w", id, ErrNotOffered)
	}
	if err != nil {
		return "", err
	}
	if rec.Status != kb.Published {
		return "", fmt.Errorf("item %s is %s: %w", id, rec.Status, ErrNotOffered)
	}
	return rec.Item.Name, nil
}

// HallsFor lists the halls where an item can be booked (an active window
// serves it and the hall has opening hours), by hall id.
func (s *Service) HallsFor(ctx context.Context, itemID string) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT w.hall_id FROM booking_windows w
		JOIN booking_window_items wi ON wi.window_id = w.id
		JOIN booking_schedules sc ON sc.hall_id = w.hall_id
		WHERE wi.item_id = ? AND w.active = 1 ORDER BY w.hall_id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("halls for %s: %w", itemID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
