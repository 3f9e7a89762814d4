package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// DayList is a hall's bookings on a day in time order, cancelled ones
// included (staff see what happened); windowID > 0 narrows it to one
// window. An empty hallID lists every hall's.
func (s *Service) DayList(ctx context.Context, hallID, day string, windowID int64) ([]Booking, error) {
	q := `SELECT ` + bookingColumns + bookingFrom + ` WHERE b.day = ?`
	args := []any{day}
	if hallID != "" {
		q += ` AND b.hall_id = ?`
		args = append(args, hallID)
	}
	if windowID > 0 {
		q += ` AND b.window_id = ?`
		args = append(args, windowID)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY b.slot_start, b.hall_id, b.window_id, b.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("day list: %w", err)
	}
	defer rows.Close()
	var out []Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CheckInOpens is how long before its slot a booking may be checked in.
// Not earlier: a check-in hours ahead would put the resident in the
// window's queue before those booked for the hours in between, and a
// booking checked in can no longer be cancelled or moved. Late arrivals
// may still be checked in for the rest of the day (the clerk decides
// whether to serve them), until the booking is marked a no-show.
const CheckInOpens = time.Hour

// CheckIn marks a resident arrived: on the booking's day, from
// CheckInOpens before its slot.
func (s *Service) CheckIn(ctx context.Context, code, actor string) (Booking, error) {
	code = NormalizeCode(code)
	err := s.withTx(ctx, func(tx *store.Tx) error {
		now := s.stamp()
		id, _, day, start, err := s.lockBooked(ctx, tx, code, now)
		if err != nil {
			return err
		}
		if day != s.today().Format(DayLayout) {
			return ErrNotToday
		}
		if c, err := ParseClock(start); err == nil && s.now().Before(s.at(s.today(), c).Add(-CheckInOpens)) {
			return ErrCheckInEarly
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_bookings SET status = 'checked_in', checked_in_at = ? WHERE id = ?`, now, id); err != nil {
			return fmt.Errorf("check in: %w", err)
		}
		return s.event(ctx, tx, id, "checked_in", actor, "", now)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Lookup(ctx, code)
}

// MarkNoShow records that a resident did not come. Only once the slot is
// over; the place is not given back (its time has passed).
func (s *Service) MarkNoShow(ctx context.Context, code, actor string) (Booking, error) {
	code = NormalizeCode(code)
	err := s.withTx(ctx, func(tx *store.Tx) error {
		now := s.stamp()
		id, _, _, _, err := s.lockBooked(ctx, tx, code, now)
		if err != nil {
			return err
		}
		var day, end string
		if err := tx.QueryRow(ctx, `SELECT day, slot_end FROM booking_bookings WHERE id = ?`, id).Scan(&day, &end); err != nil {
			return err
		}
		if !s.started(day, end) {
			return ErrTooEarly
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_bookings SET status = 'no_show' WHERE id = ?`, id); err != nil {
			return fmt.Errorf("no-show: %w", err)
		}
		return s.event(ctx, tx, id, "no_show", actor, "", now)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Lookup(ctx, code)
}

// SweepNoShows marks as no-shows the bookings of days before today that
// nobody checked in (today's are left for staff to mark), recording each,
// and returns how many it marked. fuwu serve runs it periodically.
func (s *Service) SweepNoShows(ctx context.Context) (int, error) {
	n := 0
	err := s.withTx(ctx, func(tx *store.Tx) error {
		now := s.stamp()
		rows, err := tx.Query(ctx, `UPDATE booking_bookings SET status = 'no_show', updated_at = ?, version = version + 1
			WHERE status = 'booked' AND day < ? RETURNING id`, now, s.today().Format(DayLayout))
		if err != nil {
			return fmt.Errorf("sweep no-shows: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.event(ctx, tx, id, "no_show", "system", "当天未签到", now); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// Contact is a booking's personal data in full.
type Contact struct {
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
	IDNumber string `json:"id_number,omitempty"`
}

// Reveal opens the sealed mobile and ID numbers of a booking for a staff
// member who must call or identify the resident, and records who did it
// and why. The caller checks the staff member's role.
func (s *Service) Reveal(ctx context.Context, code, actor, purpose string) (Contact, error) {
	if actor == "" {
		return Contact{}, fmt.Errorf("reveal: the staff member must be named: %w", ErrInvalidInput)
	}
	var id int64
	var c Contact
	var mobile, idn string
	err := s.db.QueryRow(ctx, `SELECT id, name, mobile_sealed, id_sealed FROM booking_bookings WHERE code = ?`, NormalizeCode(code)).
		Scan(&id, &c.Name, &mobile, &idn)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	if err != nil {
		return Contact{}, fmt.Errorf("reveal: %w", err)
	}
	if c.Mobile, err = s.keys.Open(mobile); err != nil {
		return Contact{}, fmt.Errorf("reveal booking %d: %w", id, err)
	}
	if c.IDNumber, err = s.keys.Open(idn); err != nil {
		return Contact{}, fmt.Errorf("reveal booking %d: %w", id, err)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error { return s.event(ctx, tx, id, "revealed", actor, purpose, s.stamp()) })
	if err != nil {
		return Contact{}, err
	}
	return c, nil
}

// VerifyID tells a staff member whether the ID card in front of them is
// the one the booking was made with, without revealing the stored number.
// A booking made without an ID number verifies nothing (false).
func (s *Service) VerifyID(ctx context.Context, code, idNumber string) (bool, error) {
	var fp sql.NullString
	err := s.db.QueryRow(ctx, `SELECT id_fp FROM booking_bookings WHERE code = ?`, NormalizeCode(code)).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("verify id: %w", err)
	}
	n, ok := privacy.NormalizeID(idNumber)
	if !ok {
		return false, ErrInvalidID
	}
	return fp.Valid && fp.String == s.keys.Fingerprint(privacy.IDCard, n), nil
}

// Event is one recorded change of a booking.
type Event struct {
	Action string     `json:"action"` // booked, rescheduled, cancelled, checked_in, no_show, revealed
	Actor  string     `json:"actor"`  // staff member; empty for the resident
	Note   string     `json:"note,omitempty"`
	At     store.Time `json:"at"`
}

// History lists a booking's events, oldest first.
func (s *Service) History(ctx context.Context, code string) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT e.action, e.actor, e.note, e.at FROM booking_events e
		JOIN booking_bookings b ON b.id = e.booking_id WHERE b.code = ? ORDER BY e.id`, NormalizeCode(code))
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Action, &e.Actor, &e.Note, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Count is one row of the statistics.
type Count struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Total     int    `json:"total"` // bookings made, cancelled ones included
	Booked    int    `json:"booked"`
	CheckedIn int    `json:"checked_in"`
	NoShow    int    `json:"no_show"`
	Cancelled int    `json:"cancelled"`
}

func (c *Count) add(st Status) {
	c.Total++
	switch st {
	case Booked:
		c.Booked++
	case CheckedIn:
		c.CheckedIn++
	case NoShow:
		c.NoShow++
	case Cancelled:
		c.Cancelled++
	}
}

// NoShowRate is no-shows over the bookings whose outcome is known.
func (c Count) NoShowRate() float64 {
	if c.CheckedIn+c.NoShow == 0 {
		return 0
	}
	return float64(c.NoShow) / float64(c.CheckedIn+c.NoShow)
}

// Stats are the appointment figures over a range of days.
type Stats struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	All       Count   `json:"all"`
	ByHall    []Count `json:"by_hall"`
	ByItem    []Count `json:"by_item"`
	ByDay     []Count `json:"by_day"`
	ByChannel []Count `json:"by_channel"`
}

// Stats counts the bookings for days in [from, to] (one hall's, or all
// when hallID is empty).
func (s *Service) Stats(ctx context.Context, from, to, hallID string) (Stats, error) {
	st := Stats{From: from, To: to, All: Count{Key: "all", Label: "合计"}}
	q := `SELECT hall_id, item_id, item_name, day, channel, status FROM booking_bookings WHERE day >= ? AND day <= ?`
	args := []any{from, to}
	if hallID != "" {
		q += ` AND hall_id = ?`
		args = append(args, hallID)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	halls, items, days, channels := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	bump := func(m map[string]*Count, key, label string, status Status) {
		c, ok := m[key]
		if !ok {
			c = &Count{Key: key, Label: label}
			m[key] = c
		}
		c.add(status)
	}
	for rows.Next() {
		var hall, item, name, day, channel, status string
		if err := rows.Scan(&hall, &item, &name, &day, &channel, &status); err != nil {
			return st, err
		}
		stt := Status(status)
		st.All.add(stt)
		bump(halls, hall, hall, stt)
		bump(items, item, name, stt)
		bump(days, day, day, stt)
		bump(channels, channel, channel, stt)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	if hs, err := s.kb.Halls(ctx); err == nil {
		for _, h := range hs {
			if c, ok := halls[h.ID]; ok {
				c.Label = h.Name
			}
		}
	}
	st.ByHall, st.ByItem, st.ByChannel = sortedCounts(halls, true), sortedCounts(items, true), sortedCounts(channels, true)
	st.ByDay = sortedCounts(days, false)
	return st, nil
}

// sortedCounts orders by total (most first) or by key.
func sortedCounts(m map[string]*Count, byTotal bool) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if byTotal && out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}
