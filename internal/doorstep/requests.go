package doorstep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Request is a door-to-door service request. Phone and address are masked
// (see Reveal).
type Request struct {
	ID             int64      `json:"id"`
	Number         string     `json:"number"` // SM-20261130-0007
	Kind           Kind       `json:"kind"`
	Applicant      string     `json:"applicant"`         // person or enterprise
	Contact        string     `json:"contact,omitempty"` // contact person of an enterprise
	Phone          string     `json:"phone"`
	Street         string     `json:"street"`
	Address        string     `json:"address"`
	ItemID         string     `json:"item_id"`
	ItemName       string     `json:"item_name"`
	Theme          string     `json:"theme"`
	Preferred      string     `json:"preferred,omitempty"` // preferred time, as the applicant put it
	Notes          string     `json:"notes,omitempty"`
	Status         Status     `json:"status"`
	SpecialistID   int64      `json:"specialist_id,omitempty"`
	SpecialistName string     `json:"specialist_name,omitempty"`
	Reason         string     `json:"reason,omitempty"` // why rejected or cancelled
	AmountFen      int64      `json:"amount_fen"`       // paid out, in fen
	Outcome        string     `json:"outcome,omitempty"`
	Channel        string     `json:"channel"`
	ConversationID string     `json:"conversation_id,omitempty"`
	CreatedAt      store.Time `json:"created_at"`
	UpdatedAt      store.Time `json:"updated_at"`
	DueAt          store.Time `json:"due_at"` // next step due by
	FlaggedAt      store.Time `json:"flagged_at"`
	CompletedAt    store.Time `json:"completed_at"`
	Overdue        bool       `json:"overdue"`
}

// NewRequest is what an applicant (or staff on their behalf, or the chat)
// files.
type NewRequest struct {
	Kind           Kind
	Applicant      string // name of the person or the enterprise
	Contact        string // contact person, for an enterprise
	Phone          string
	Street         string // optional: read from the address when empty
	Address        string
	ItemID         string
	Preferred      string // "下周二上午"
	Notes          string
	Channel        string // web, chat, phone, staff …
	ConversationID string
	Actor          string // staff member filing it; empty for the applicant
}

func runes(s string) int { return len([]rune(s)) }

// numberLike reports an "address" that is a phone number: no Chinese
// character, or mostly digits.
func numberLike(s string) bool {
	han, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return han == 0 || (digits >= 7 && 2*digits >= runes(s))
}

// Submit files a request.
func (s *Service) Submit(ctx context.Context, n NewRequest) (Request, error) {
	if n.Kind == "" {
		n.Kind = Resident
	}
	if n.Kind != Resident && n.Kind != Enterprise {
		return Request{}, fmt.Errorf("kind %q: %w", n.Kind, ErrInvalidInput)
	}
	n.Applicant, n.Contact = strings.TrimSpace(n.Applicant), strings.TrimSpace(n.Contact)
	if r := runes(n.Applicant); r < 2 || r > 60 {
		return Request{}, ErrInvalidName
	}
	phone, ok := privacy.NormalizeMobile(n.Phone)
	if !ok {
		return Request{}, ErrInvalidPhone
	}
	n.Address = strings.TrimSpace(n.Address)
	if r := runes(n.Address); r < 4 || r > 200 {
		return Request{}, ErrInvalidAddress
	}
	if numberLike(n.Address) {
		return Request{}, ErrAddressIsNumber
	}
	if runes(n.Preferred) > 100 || runes(n.Notes) > 1000 || runes(n.Contact) > 30 {
		return Request{}, fmt.Errorf("preferred time, notes or contact too long: %w", ErrInvalidInput)
	}
	street := StreetKey(n.Street)
	if street != "" {
		if !s.knownStreet(street) {
			return Request{}, ErrUnknownStreet
		}
	} else {
		street = s.StreetOf(n.Address)
	}
	item, err := s.CatalogueItem(ctx, n.ItemID)
	if err != nil {
		return Request{}, err
	}
	phoneSealed, err := s.keys.Seal(phone)
	if err != nil {
		return Request{}, err
	}
	addrSealed, err := s.keys.Seal(n.Address)
	if err != nil {
		return Request{}, err
	}
	r := Request{Kind: n.Kind, Applicant: n.Applicant, Contact: n.Contact, Phone: privacy.MaskMobile(phone), Street: street,
		Address: privacy.MaskAddress(n.Address), ItemID: item.ID, ItemName: item.Name, Theme: item.Theme,
		Preferred: maskText(strings.TrimSpace(n.Preferred)), Notes: maskText(strings.TrimSpace(n.Notes)),
		Status: Submitted, Channel: n.Channel, ConversationID: n.ConversationID}
	now := s.now()
	r.CreatedAt, r.UpdatedAt, r.DueAt = now, now, store.T(now.Add(s.cfg.Limits[Submitted]))
	err = s.inTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO doorstep_requests (kind, applicant, contact, phone_masked, phone_sealed, phone_fp, street,
			address_masked, address_sealed, item_id, item_name, theme, preferred, notes, status, channel, conversation_id,
			created_at, updated_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(r.Kind), r.Applicant, r.Contact, r.Phone, phoneSealed, s.keys.Fingerprint(privacy.Mobile, phone), r.Street,
			r.Address, addrSealed, r.ItemID, r.ItemName, r.Theme, r.Preferred, r.Notes, string(Submitted), r.Channel, r.ConversationID,
			now, now, r.DueAt).Scan(&r.ID)
		if store.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		if err != nil {
			return fmt.Errorf("submit request: %w", err)
		}
		r.Number = fmt.Sprintf("SM-%s-%04d", now.In(s.cfg.Location).Format("20060102"), r.ID)
		if _, err := tx.Exec(ctx, `UPDATE doorstep_requests SET number = ? WHERE id = ?`, r.Number, r.ID); err != nil {
			return fmt.Errorf("submit request: %w", err)
		}
		note := ""
		if n.Channel != "" {
			note = "来源：" + n.Channel
		}
		return s.event(ctx, tx, r.ID, "", Submitted, n.Actor, note, now)
	})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

func (s *Service) event(ctx context.Context, tx *store.Tx, id int64, from, to Status, actor, note string, at store.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO doorstep_events (request_id, from_status, to_status, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, string(from), string(to), actor, note, at)
	if err != nil {
		return fmt.Errorf("request %d event: %w", id, err)
	}
	return nil
}

const requestColumns = `r.id, COALESCE(r.number, ''), r.kind, r.applicant, r.contact, r.phone_masked, r.street, r.address_masked,
	r.item_id, r.item_name, r.theme, r.preferred, r.notes, r.status, COALESCE(r.specialist_id, 0), COALESCE(sp.name, ''),
	r.reason, r.amount_fen, r.outcome, r.channel, r.conversation_id, r.created_at, r.updated_at, r.due_at, r.flagged_at, r.completed_at`

const requestFrom = ` FROM doorstep_requests r LEFT JOIN doorstep_specialists sp ON sp.id = r.specialist_id`

func (s *Service) scanRequest(sc interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var kind, status string
	err := sc.Scan(&r.ID, &r.Number, &kind, &r.Applicant, &r.Contact, &r.Phone, &r.Street, &r.Address,
		&r.ItemID, &r.ItemName, &r.Theme, &r.Preferred, &r.Notes, &status, &r.SpecialistID, &r.SpecialistName,
		&r.Reason, &r.AmountFen, &r.Outcome, &r.Channel, &r.ConversationID, &r.CreatedAt, &r.UpdatedAt, &r.DueAt, &r.FlaggedAt, &r.CompletedAt)
	r.Kind, r.Status = Kind(kind), Status(status)
	r.Overdue = !r.Status.Closed() && !r.DueAt.IsZero() && r.DueAt.Before(s.cfg.Now())
	return r, err
}

// Get returns a request by id.
func (s *Service) Get(ctx context.Context, id int64) (Request, error) {
	r, err := s.scanRequest(s.db.QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// GetByNumber returns a request by the number the applicant was given
// (for staff; applicants use Lookup).
func (s *Service) GetByNumber(ctx context.Context, number string) (Request, error) {
	r, err := s.scanRequest(s.db.QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.number = ?`,
		strings.ToUpper(strings.TrimSpace(number))))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("request %s: %w", number, err)
	}
	return r, nil
}

// Lookup lets an applicant follow their request: the number and the phone
// number they gave must both match (numbers are sequential, so the number
// alone proves nothing).
func (s *Service) Lookup(ctx context.Context, number, phone string) (Request, error) {
	var id int64
	var fp string
	err := s.db.QueryRow(ctx, `SELECT id, phone_fp FROM doorstep_requests WHERE number = ?`, strings.ToUpper(strings.TrimSpace(number))).Scan(&id, &fp)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("lookup request: %w", err)
	}
	m, _ := privacy.NormalizeMobile(phone)
	if s.keys.Fingerprint(privacy.Mobile, m) != fp {
		return Request{}, ErrPhoneMismatch
	}
	return s.Get(ctx, id)
}

// Filter narrows List.
type Filter struct {
	Status       Status
	Open         bool // only requests not yet closed
	Street       string
	Theme        string
	SpecialistID int64
	OverdueOnly  bool
	Limit        int // default 500
}

// List lists requests, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Request, error) {
	q := `SELECT ` + requestColumns + requestFrom + ` WHERE 1 = 1`
	var args []any
	if f.Status != "" {
		q += ` AND r.status = ?`
		args = append(args, string(f.Status))
	}
	if f.Open || f.OverdueOnly {
		q += ` AND r.status IN ('submitted', 'accepted', 'assigned', 'visited')`
	}
	if f.OverdueOnly {
		q += ` AND r.due_at < ?`
		args = append(args, s.now())
	}
	if f.Street != "" {
		q += ` AND r.street = ?`
		args = append(args, StreetKey(f.Street))
	}
	if f.Theme != "" {
		q += ` AND r.theme = ?`
		args = append(args, f.Theme)
	}
	if f.SpecialistID > 0 {
		q += ` AND r.specialist_id = ?`
		args = append(args, f.SpecialistID)
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q += fmt.Sprintf(` ORDER BY r.id DESC LIMIT %d`, f.Limit)
	return s.queryRequests(ctx, "list requests", q, args...)
}

// queryRequests runs a query selecting requestColumns and scans its rows.
func (s *Service) queryRequests(ctx context.Context, what, q string, args ...any) ([]Request, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := s.scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// move is every transition: it locks the request row, checks the
// workflow, applies the change and records it with who and when.
func (s *Service) move(ctx context.Context, id int64, to Status, actor, note string, apply func(r *Request)) (Request, error) {
	note = strings.TrimSpace(note)
	if (to == Rejected || to == Cancelled) && note == "" {
		return Request{}, ErrReasonRequired
	}
	err := s.inTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		var from string
		// A touching UPDATE takes the row lock (the portable SELECT … FOR UPDATE).
		err := tx.QueryRow(ctx, `UPDATE doorstep_requests SET updated_at = updated_at WHERE id = ? RETURNING status`, id).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("request %d: %w", id, err)
		}
		if !CanTransition(Status(from), to) {
			return fmt.Errorf("request %d %s → %s: %w", id, from, to, ErrIllegalTransition)
		}
		var r Request
		if apply != nil {
			apply(&r)
		}
		var due any
		if !to.Closed() {
			due = store.T(now.Add(s.cfg.Limits[to]))
		}
		q := `UPDATE doorstep_requests SET status = ?, updated_at = ?, due_at = ?, flagged_at = NULL`
		args := []any{string(to), now, due}
		switch to {
		case Assigned:
			q += `, specialist_id = ?`
			args = append(args, r.SpecialistID)
		case Rejected, Cancelled:
			q += `, reason = ?`
			args = append(args, note)
		case Completed:
			q += `, amount_fen = ?, outcome = ?, completed_at = ?`
			args = append(args, r.AmountFen, r.Outcome, now)
		}
		if _, err := tx.Exec(ctx, q+` WHERE id = ?`, append(args, id)...); err != nil {
			return fmt.Errorf("request %d → %s: %w", id, to, err)
		}
		return s.event(ctx, tx, id, Status(from), to, actor, note, now)
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, id)
}

// Accept takes a submitted request on.
func (s *Service) Accept(ctx context.Context, id int64, actor, note string) (Request, error) {
	return s.move(ctx, id, Accepted, actor, note, nil)
}

// Reject turns a request down, with the reason.
func (s *Service) Reject(ctx context.Context, id int64, actor, reason string) (Request, error) {
	return s.move(ctx, id, Rejected, actor, reason, nil)
}

// Cancel withdraws a request (staff, or the applicant through
// CancelByApplicant), with the reason.
func (s *Service) Cancel(ctx context.Context, id int64, actor, reason string) (Request, error) {
	return s.move(ctx, id, Cancelled, actor, reason, nil)
}

// CancelByApplicant lets the applicant withdraw with the number and the
// phone number they gave.
func (s *Service) CancelByApplicant(ctx context.Context, number, phone, reason string) (Request, error) {
	r, err := s.Lookup(ctx, number, phone)
	if err != nil {
		return Request{}, err
	}
	if strings.TrimSpace(reason) == "" {
		reason = "申请人取消"
	}
	return s.move(ctx, r.ID, Cancelled, "", reason, nil)
}

// Visit records that the specialist has been to the door.
func (s *Service) Visit(ctx context.Context, id int64, actor, note string) (Request, error) {
	return s.move(ctx, id, Visited, actor, note, nil)
}

// Outcome is how a request ended.
type Outcome struct {
	AmountFen int64  // paid out to the applicant, in fen (0 when nothing)
	Note      string // what was done
}

// Complete closes a visited request with its outcome.
func (s *Service) Complete(ctx context.Context, id int64, actor string, o Outcome) (Request, error) {
	if o.AmountFen < 0 {
		return Request{}, fmt.Errorf("amount %d: %w", o.AmountFen, ErrInvalidInput)
	}
	note := strings.TrimSpace(o.Note)
	if o.AmountFen > 0 {
		note = strings.TrimSpace(fmt.Sprintf("发放金额 %s 元。%s", Yuan(o.AmountFen), note))
	}
	return s.move(ctx, id, Completed, actor, note, func(r *Request) {
		r.AmountFen, r.Outcome = o.AmountFen, maskText(strings.TrimSpace(o.Note))
	})
}

// Event is one recorded step of a request.
type Event struct {
	From  Status     `json:"from"` // empty for the submission
	To    Status     `json:"to"`   // equal to From for a note (reveal, overdue flag)
	Actor string     `json:"actor"`
	Note  string     `json:"note,omitempty"`
	At    store.Time `json:"at"`
}

// History lists a request's events, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT from_status, to_status, actor, note, at FROM doorstep_events WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("history %d: %w", id, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var from, to string
		if err := rows.Scan(&from, &to, &e.Actor, &e.Note, &e.At); err != nil {
			return nil, err
		}
		e.From, e.To = Status(from), Status(to)
		out = append(out, e)
	}
	return out, rows.Err()
}

// FlagOverdue marks the open requests that have waited past their
// status's time limit and not been flagged since their last step, records
// an event for each, and returns them. Run it periodically (fuwu serve
// does; fuwu doorstep overdue does it once).
func (s *Service) FlagOverdue(ctx context.Context) ([]Request, error) {
	var ids []int64
	err := s.inTx(ctx, func(tx *store.Tx) error {
		ids = ids[:0]
		now := s.now()
		rows, err := tx.Query(ctx, `UPDATE doorstep_requests SET flagged_at = ?
			WHERE flagged_at IS NULL AND due_at < ? AND status IN ('submitted', 'accepted', 'assigned', 'visited')
			RETURNING id, status, due_at`, now, now)
		if err != nil {
			return fmt.Errorf("flag overdue: %w", err)
		}
		type hit struct {
			id     int64
			status string
			due    store.Time
		}
		var hits []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.status, &h.due); err != nil {
				rows.Close()
				return err
			}
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, h := range hits {
			late := now.Sub(h.due.Time).Round(time.Minute)
			note := fmt.Sprintf("超时未处理：“%s”已超过时限 %s", Status(h.status).Label(), late)
			if err := s.event(ctx, tx, h.id, Status(h.status), Status(h.status), "system", note, now); err != nil {
				return err
			}
			ids = append(ids, h.id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Request, 0, len(ids))
	for _, id := range ids {
		r, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// maskText hides ID, mobile and bank-card numbers in free text.
func maskText(s string) string {
	m, _ := privacy.Mask(s)
	return m
}
