package booking

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// SlotInfo is one bookable time at a hall for an item, summed over the
// windows serving the item.
type SlotInfo struct {
	Day      string `json:"day"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Capacity int    `json:"capacity"`
	Booked   int    `json:"booked"`
	Free     int    `json:"free"`
}

// DayInfo is one open day within the horizon.
type DayInfo struct {
	Day     string `json:"day"`
	Weekday string `json:"weekday"` // 周一 …
	Holiday string `json:"holiday,omitempty"`
	Slots   int    `json:"slots"` // slots still ahead
	Free    int    `json:"free"`  // places left in them
}

type slotKey struct {
	window int64
	day    string
	start  string
}

// plan computes the slots of [from, to] for an item at a hall, leaving out
// slots that have begun.
func (s *Service) plan(ctx context.Context, hallID, itemID string, from, to time.Time) (map[string][]SlotInfo, error) {
	ws, err := windowsFor(ctx, s.db, hallID, itemID)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("%s at %s: %w", itemID, hallID, ErrNotOffered)
	}
	hs, err := s.HallSchedule(ctx, hallID)
	if err != nil {
		return nil, err
	}
	f, t := from.Format(DayLayout), to.Format(DayLayout)
	cal, err := loadCalendar(ctx, s.db, f, t)
	if err != nil {
		return nil, err
	}
	args := []any{f, t}
	for _, w := range ws {
		args = append(args, w.id)
	}
	rows, err := s.db.Query(ctx, `SELECT window_id, day, slot_start, capacity, booked FROM booking_slots
		WHERE day >= ? AND day <= ? AND window_id IN (`+placeholders(len(ws))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("slots of %s: %w", hallID, err)
	}
	type counts struct{ capacity, booked int }
	taken := map[slotKey]counts{}
	for rows.Next() {
		var k slotKey
		var c counts
		if err := rows.Scan(&k.window, &k.day, &k.start, &c.capacity, &c.booked); err != nil {
			rows.Close()
			return nil, err
		}
		taken[k] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	out := map[string][]SlotInfo{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		day := d.Format(DayLayout)
		sched := hs.Schedule
		for _, c := range sched.Slots(DayPeriods(&sched, cal, d)) {
			if !s.at(d, c).After(now) {
				continue
			}
			si := SlotInfo{Day: day, Start: c.String(), End: (c + Clock(sched.SlotMinutes)).String()}
			for _, w := range ws {
				cnt, ok := taken[slotKey{w.id, day, si.Start}]
				if !ok {
					cnt = counts{capacity: w.capacity}
				}
				si.Capacity += cnt.capacity
				si.Booked += cnt.booked
				if cnt.booked < cnt.capacity {
					si.Free += cnt.capacity - cnt.booked
				}
			}
			out[day] = append(out[day], si)
		}
	}
	return out, nil
}

// Days lists the open days from today to the horizon for an item at a
// hall, with how many places are left; full days are listed with Free 0.
func (s *Service) Days(ctx context.Context, hallID, itemID string) ([]DayInfo, error) {
	from, to := s.today(), s.lastDay()
	plan, err := s.plan(ctx, hallID, itemID, from, to)
	if err != nil {
		return nil, err
	}
	cal, err := loadCalendar(ctx, s.db, from.Format(DayLayout), to.Format(DayLayout))
	if err != nil {
		return nil, err
	}
	var out []DayInfo
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		day := d.Format(DayLayout)
		slots := plan[day]
		if len(slots) == 0 {
			continue
		}
		di := DayInfo{Day: day, Weekday: weekdayNames[d.Weekday()], Slots: len(slots), Holiday: cal[day].Name}
		for _, sl := range slots {
			di.Free += sl.Free
		}
		out = append(out, di)
	}
	return out, nil
}

// Slots lists a day's slots still ahead for an item at a hall, full ones
// included (Free 0).
func (s *Service) Slots(ctx context.Context, hallID, itemID, day string) ([]SlotInfo, error) {
	d, err := s.parseDay(day)
	if err != nil {
		return nil, err
	}
	if d.Before(s.today()) {
		return nil, ErrPast
	}
	if d.After(s.lastDay()) {
		return nil, ErrBeyondHorizon
	}
	plan, err := s.plan(ctx, hallID, itemID, d, d)
	if err != nil {
		return nil, err
	}
	return plan[d.Format(DayLayout)], nil
}

// Request is an appointment to make.
type Request struct {
	HallID, ItemID string
	Day            string // YYYY-MM-DD
	Start          string // HH:MM, a slot start
	Name           string
	Mobile         string
	IDNumber       string // optional
	Channel        string // web, chat, staff, phone …
	ConversationID string // when booked in the chat
	Actor          string // staff member booking for someone; empty for the resident
}

type person struct {
	name                   string
	mobileMasked, mobileFP string
	mobileSealed           string
	idMasked, idSealed     string
	idFP                   sql.NullString
}

func (s *Service) person(name, mobile, id string) (person, error) {
	var p person
	p.name = strings.TrimSpace(name)
	if n := len([]rune(p.name)); n < 2 || n > 30 || strings.IndexFunc(p.name, unicode.IsDigit) >= 0 {
		return p, ErrInvalidName
	}
	m, ok := privacy.NormalizeMobile(mobile)
	if !ok {
		return p, ErrInvalidMobile
	}
	var err error
	p.mobileMasked, p.mobileFP = privacy.MaskMobile(m), s.keys.Fingerprint(privacy.Mobile, m)
	if p.mobileSealed, err = s.keys.Seal(m); err != nil {
		return p, err
	}
	if strings.TrimSpace(id) != "" {
		n, ok := privacy.NormalizeID(id)
		if !ok {
			return p, ErrInvalidID
		}
		p.idMasked = privacy.MaskID(n)
		p.idFP = sql.NullString{String: s.keys.Fingerprint(privacy.IDCard, n), Valid: true}
		if p.idSealed, err = s.keys.Seal(n); err != nil {
			return p, err
		}
	}
	return p, nil
}

// slotAt checks that day+start is a slot of the hall's hours, ahead of
// now and within the horizon, and returns the day, start and end.
func (s *Service) slotAt(ctx context.Context, hallID, day, start string) (time.Time, Clock, Clock, error) {
	d, err := s.parseDay(day)
	if err != nil {
		return d, 0, 0, err
	}
	c, err := ParseClock(start)
	if err != nil {
		return d, 0, 0, fmt.Errorf("start %q: %w", start, ErrInvalidTime)
	}
	if !s.at(d, c).After(s.now()) {
		return d, 0, 0, ErrPast
	}
	if d.After(s.lastDay()) {
		return d, 0, 0, ErrBeyondHorizon
	}
	hs, err := s.HallSchedule(ctx, hallID)
	if err != nil {
		return d, 0, 0, err
	}
	cal, err := loadCalendar(ctx, s.db, d.Format(DayLayout), d.Format(DayLayout))
	if err != nil {
		return d, 0, 0, err
	}
	for _, sc := range hs.Schedule.Slots(DayPeriods(&hs.Schedule, cal, d)) {
		if sc == c {
			return d, c, c + Clock(hs.Schedule.SlotMinutes), nil
		}
	}
	return d, 0, 0, ErrNoSuchSlot
}

// takeSlot books one place at the first window (in id order) with room
// at day+start, and returns it; ErrFull when none has room. The
// conditional UPDATE is the whole guarantee against overbooking: on
// SQLite writers are serialised, on PostgreSQL the row lock makes a
// concurrent UPDATE re-check "booked < capacity" after the first commits.
func takeSlot(ctx context.Context, tx *store.Tx, ws []window, day, start string) (window, error) {
	for _, w := range ws {
		if _, err := tx.Exec(ctx, `INSERT INTO booking_slots (window_id, day, slot_start, capacity, booked) VALUES (?, ?, ?, ?, 0)
			ON CONFLICT (window_id, day, slot_start) DO NOTHING`, w.id, day, start, w.capacity); err != nil {
			return window{}, fmt.Errorf("slot %s %s: %w", day, start, err)
		}
		res, err := tx.Exec(ctx, `UPDATE booking_slots SET booked = booked + 1
			WHERE window_id = ? AND day = ? AND slot_start = ? AND booked < capacity`, w.id, day, start)
		if err != nil {
			return window{}, fmt.Errorf("slot %s %s: %w", day, start, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return window{}, err
		} else if n == 1 {
			return w, nil
		}
	}
	return window{}, ErrFull
}

func releaseSlot(ctx context.Context, tx *store.Tx, windowID int64, day, start string) error {
	_, err := tx.Exec(ctx, `UPDATE booking_slots SET booked = booked - 1
		WHERE window_id = ? AND day = ? AND slot_start = ? AND booked > 0`, windowID, day, start)
	if err != nil {
		return fmt.Errorf("release slot %s %s: %w", day, start, err)
	}
	return nil
}

// duplicate reports whether the person already holds an active booking
// for the item on the day (other than booking except).
func duplicate(ctx context.Context, tx *store.Tx, itemID, day, mobileFP string, idFP sql.NullString, except int64) error {
	// Two lookups rather than one with OR, so that each uses its whole
	// partial index (item, day, fingerprint) instead of scanning the day.
	check := func(col string, fp any) error {
		var n int
		err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM booking_bookings
			WHERE item_id = ? AND day = ? AND `+col+` = ? AND status IN ('booked', 'checked_in') AND id <> ?`,
			itemID, day, fp, except).Scan(&n)
		if err != nil {
			return fmt.Errorf("check duplicate: %w", err)
		}
		if n > 0 {
			return ErrDuplicate
		}
		return nil
	}
	if err := check("mobile_fp", mobileFP); err != nil {
		return err
	}
	if idFP.Valid {
		return check("id_fp", idFP.String)
	}
	return nil
}

// uniqueErr maps a unique-index failure: a code collision is retried, the
// per-person index is the duplicate rule (caught here when two requests of
// one person race on PostgreSQL, where the COUNT above cannot see an
// uncommitted row).
func uniqueErr(err error) error {
	if !store.IsUniqueViolation(err) {
		return err
	}
	if strings.Contains(err.Error(), "code") {
		return errRetry
	}
	return ErrDuplicate
}

func (s *Service) event(ctx context.Context, tx *store.Tx, bookingID int64, action, actor, note string, at store.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO booking_events (booking_id, action, actor, note, at) VALUES (?, ?, ?, ?, ?)`,
		bookingID, action, actor, note, at)
	if err != nil {
		return fmt.Errorf("booking %d event %s: %w", bookingID, action, err)
	}
	return nil
}

// Book makes an appointment and returns it with its confirmation code.
// Refusals are *Error values (ErrFull, ErrDuplicate, ErrPast …).
func (s *Service) Book(ctx context.Context, r Request) (Booking, error) {
	p, err := s.person(r.Name, r.Mobile, r.IDNumber)
	if err != nil {
		return Booking{}, err
	}
	d, start, end, err := s.slotAt(ctx, r.HallID, r.Day, r.Start)
	if err != nil {
		return Booking{}, err
	}
	ws, err := windowsFor(ctx, s.db, r.HallID, r.ItemID)
	if err != nil {
		return Booking{}, err
	}
	if len(ws) == 0 {
		return Booking{}, ErrNotOffered
	}
	itemName, err := s.itemName(ctx, r.ItemID)
	if err != nil {
		return Booking{}, err
	}
	day := d.Format(DayLayout)
	b := Booking{HallID: r.HallID, ItemID: r.ItemID, ItemName: itemName, Day: day, Start: start.String(), End: end.String(),
		Name: p.name, Mobile: p.mobileMasked, IDNumber: p.idMasked, Status: Booked, Channel: r.Channel, ConversationID: r.ConversationID}
	err = s.withTx(ctx, func(tx *store.Tx) error {
		if err := duplicate(ctx, tx, r.ItemID, day, p.mobileFP, p.idFP, 0); err != nil {
			return err
		}
		w, err := takeSlot(ctx, tx, ws, day, b.Start)
		if err != nil {
			return err
		}
		code, err := newCode()
		if err != nil {
			return err
		}
		now := s.stamp()
		err = tx.QueryRow(ctx, `INSERT INTO booking_bookings (code, hall_id, window_id, item_id, item_name, day, slot_start, slot_end,
			name, mobile_masked, mobile_sealed, mobile_fp, id_masked, id_sealed, id_fp, status, channel, conversation_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			code, r.HallID, w.id, r.ItemID, itemName, day, b.Start, b.End, p.name, p.mobileMasked, p.mobileSealed, p.mobileFP,
			p.idMasked, p.idSealed, p.idFP, string(Booked), r.Channel, r.ConversationID, now, now).Scan(&b.ID)
		if err != nil {
			return uniqueErr(err)
		}
		b.Code, b.WindowID, b.WindowName, b.CreatedAt, b.UpdatedAt = code, w.id, w.name, now, now
		return s.event(ctx, tx, b.ID, "booked", r.Actor, r.Channel, now)
	})
	if err != nil {
		return Booking{}, err
	}
	return b, nil
}

const bookingColumns = `b.id, b.code, b.hall_id, b.window_id, COALESCE(w.name, ''), b.item_id, b.item_name, b.day, b.slot_start, b.slot_end,
	b.name, b.mobile_masked, b.id_masked, b.status, b.channel, b.conversation_id, b.reason, b.created_at, b.updated_at, b.checked_in_at`

const bookingFrom = ` FROM booking_bookings b LEFT JOIN booking_windows w ON w.id = b.window_id`

func scanBooking(sc interface{ Scan(...any) error }) (Booking, error) {
	var b Booking
	var st string
	err := sc.Scan(&b.ID, &b.Code, &b.HallID, &b.WindowID, &b.WindowName, &b.ItemID, &b.ItemName, &b.Day, &b.Start, &b.End,
		&b.Name, &b.Mobile, &b.IDNumber, &st, &b.Channel, &b.ConversationID, &b.Reason, &b.CreatedAt, &b.UpdatedAt, &b.CheckedInAt)
	b.Status = Status(st)
	return b, err
}

// Lookup finds a booking by its confirmation code (for residents, show
// its Public form).
func (s *Service) Lookup(ctx context.Context, code string) (Booking, error) {
	b, err := scanBooking(s.db.QueryRow(ctx, `SELECT `+bookingColumns+bookingFrom+` WHERE b.code = ?`, NormalizeCode(code)))
	if errors.Is(err, sql.ErrNoRows) {
		return Booking{}, ErrNotFound
	}
	if err != nil {
		return Booking{}, fmt.Errorf("lookup booking: %w", err)
	}
	return b, nil
}

// Verify finds a booking for a resident, who proves it is theirs with the
// code and the last four digits of the mobile number it was made with.
// A wrong code and wrong digits give the same ErrNoMatch.
func (s *Service) Verify(ctx context.Context, code, last4 string) (Booking, error) {
	b, err := s.Lookup(ctx, code)
	if errors.Is(err, ErrNotFound) {
		return Booking{}, ErrNoMatch
	}
	if err != nil {
		return Booking{}, err
	}
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, b.Mobile) // masked: 138****5678
	last4 = strings.TrimSpace(last4)
	if len(last4) != 4 || len(d) < 4 || subtle.ConstantTimeCompare([]byte(d[len(d)-4:]), []byte(last4)) != 1 {
		return Booking{}, ErrNoMatch
	}
	return b, nil
}

// lockBooked takes the row lock on an active booking (an UPDATE touching
// it: the portable SELECT … FOR UPDATE) and returns its slot. A booking
// that is not found or no longer booked is refused.
func (s *Service) lockBooked(ctx context.Context, tx *store.Tx, code string, now store.Time) (id, windowID int64, day, start string, err error) {
	err = tx.QueryRow(ctx, `UPDATE booking_bookings SET updated_at = ?, version = version + 1
		WHERE code = ? AND status = 'booked' RETURNING id, window_id, day, slot_start`, now, code).Scan(&id, &windowID, &day, &start)
	if errors.Is(err, sql.ErrNoRows) {
		var st string
		e := tx.QueryRow(ctx, `SELECT status FROM booking_bookings WHERE code = ?`, code).Scan(&st)
		if errors.Is(e, sql.ErrNoRows) {
			return 0, 0, "", "", ErrNotFound
		}
		if e != nil {
			return 0, 0, "", "", e
		}
		return 0, 0, "", "", ErrNotActive
	}
	if err != nil {
		return 0, 0, "", "", fmt.Errorf("lock booking: %w", err)
	}
	return id, windowID, day, start, nil
}

func (s *Service) started(day, start string) bool {
	d, err := s.parseDay(day)
	if err != nil {
		return true
	}
	c, err := ParseClock(start)
	if err != nil {
		return true
	}
	return !s.at(d, c).After(s.now())
}

// Cancel cancels a booking by its code and frees its place. A booking
// whose time has begun cannot be cancelled (staff mark it no-show).
func (s *Service) Cancel(ctx context.Context, code, actor, reason string) (Booking, error) {
	code = NormalizeCode(code)
	err := s.withTx(ctx, func(tx *store.Tx) error {
		now := s.stamp()
		id, windowID, day, start, err := s.lockBooked(ctx, tx, code, now)
		if err != nil {
			return err
		}
		if s.started(day, start) {
			return ErrPast
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_bookings SET status = 'cancelled', reason = ? WHERE id = ?`, reason, id); err != nil {
			return fmt.Errorf("cancel booking: %w", err)
		}
		if err := releaseSlot(ctx, tx, windowID, day, start); err != nil {
			return err
		}
		return s.event(ctx, tx, id, "cancelled", actor, reason, now)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Lookup(ctx, code)
}

// Reschedule moves a booking to another slot at the same hall, keeping
// its code. The old place is freed only if the new one is taken.
func (s *Service) Reschedule(ctx context.Context, code, day, start, actor string) (Booking, error) {
	code = NormalizeCode(code)
	cur, err := s.Lookup(ctx, code)
	if err != nil {
		return Booking{}, err
	}
	if cur.Status != Booked {
		return Booking{}, ErrNotActive
	}
	d, c, end, err := s.slotAt(ctx, cur.HallID, day, start)
	if err != nil {
		return Booking{}, err
	}
	ws, err := windowsFor(ctx, s.db, cur.HallID, cur.ItemID)
	if err != nil {
		return Booking{}, err
	}
	if len(ws) == 0 {
		return Booking{}, ErrNotOffered
	}
	newDay, newStart := d.Format(DayLayout), c.String()
	err = s.withTx(ctx, func(tx *store.Tx) error {
		now := s.stamp()
		id, oldWindow, oldDay, oldStart, err := s.lockBooked(ctx, tx, code, now)
		if err != nil {
			return err
		}
		if s.started(oldDay, oldStart) {
			return ErrPast
		}
		if oldDay == newDay && oldStart == newStart {
			return nil
		}
		var mobileFP string
		var idFP sql.NullString
		if err := tx.QueryRow(ctx, `SELECT mobile_fp, id_fp FROM booking_bookings WHERE id = ?`, id).Scan(&mobileFP, &idFP); err != nil {
			return err
		}
		if newDay != oldDay {
			if err := duplicate(ctx, tx, cur.ItemID, newDay, mobileFP, idFP, id); err != nil {
				return err
			}
		}
		// Slot rows are locked in (day, start) order by every transaction,
		// so two reschedules crossing each other cannot deadlock.
		var w window
		if oldDay+" "+oldStart < newDay+" "+newStart {
			if err := releaseSlot(ctx, tx, oldWindow, oldDay, oldStart); err != nil {
				return err
			}
			if w, err = takeSlot(ctx, tx, ws, newDay, newStart); err != nil {
				return err
			}
		} else {
			if w, err = takeSlot(ctx, tx, ws, newDay, newStart); err != nil {
				return err
			}
			if err := releaseSlot(ctx, tx, oldWindow, oldDay, oldStart); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_bookings SET window_id = ?, day = ?, slot_start = ?, slot_end = ? WHERE id = ?`,
			w.id, newDay, newStart, end.String(), id); err != nil {
			return uniqueErr(err)
		}
		return s.event(ctx, tx, id, "rescheduled", actor, fmt.Sprintf("%s %s → %s %s", oldDay, oldStart, newDay, newStart), now)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Lookup(ctx, code)
}
