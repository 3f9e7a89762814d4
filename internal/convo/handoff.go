package convo

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// HandoffState is where a handoff ticket is: open → claimed → closed.
type HandoffState string

const (
	HandoffOpen    HandoffState = "open"
	HandoffClaimed HandoffState = "claimed"
	HandoffClosed  HandoffState = "closed"
)

// TranscriptLine is one line of a handoff's transcript snapshot.
type TranscriptLine struct {
	Role string     `json:"role"` // "resident" or "assistant"
	Text string     `json:"text"`
	At   store.Time `json:"at"`
}

// Handoff is a ticket asking a person to take over a conversation.
type Handoff struct {
	ID             int64            `json:"id"`
	ConversationID string           `json:"conversation_id"`
	TurnID         int64            `json:"turn_id,omitempty"` // the turn that asked for it
	Reason         string           `json:"reason"`
	Transcript     []TranscriptLine `json:"transcript"` // masked, as of the last request
	State          HandoffState     `json:"state"`
	CreatedAt      store.Time       `json:"created_at"`
	UpdatedAt      store.Time       `json:"updated_at"`
	ClaimedBy      string           `json:"claimed_by,omitempty"`
	ClaimedAt      store.Time       `json:"claimed_at"`
	ClosedBy       string           `json:"closed_by,omitempty"`
	ClosedAt       store.Time       `json:"closed_at"`
	Replies        []HandoffReply   `json:"replies"`
}

// ReasonComplaint begins the reason of a ticket opened on a complaint
// (投诉), which the console shows apart from plain requests for a person.
const ReasonComplaint = "居民投诉"

// Complaint reports whether the ticket was opened on a complaint.
func (h Handoff) Complaint() bool { return strings.HasPrefix(h.Reason, ReasonComplaint) }

// LastQuestion is what the resident last wrote, for the queue: not the
// assistant's "已为您转接…", and not a bare request for a person ("转人工")
// when an earlier message says what the matter is.
func (h Handoff) LastQuestion() string {
	last := ""
	for i := len(h.Transcript) - 1; i >= 0; i-- {
		l := h.Transcript[i]
		if l.Role != "resident" {
			continue
		}
		if last == "" {
			last = l.Text
		}
		if !barePersonRequest(l.Text) {
			return l.Text
		}
	}
	return last
}

// barePersonRequest: a short message asking only for a person.
func barePersonRequest(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), "。.！!？?，, ")
	return len([]rune(s)) <= 6 && (strings.Contains(s, "人工") || strings.Contains(s, "客服") || strings.Contains(s, "真人"))
}

// HandoffReply is a staff member's message to the resident.
type HandoffReply struct {
	ID        int64      `json:"id"`
	HandoffID int64      `json:"handoff_id"`
	Author    string     `json:"author"`
	Body      string     `json:"body"`
	CreatedAt store.Time `json:"created_at"`
}

// OpenHandoff asks for a person on a conversation, with a masked snapshot
// of its transcript. A conversation has at most one ticket not yet closed:
// asking again refreshes that ticket's transcript and reason instead of
// queueing a second one. turnID may be 0.
func (s *Store) OpenHandoff(ctx context.Context, conversationID string, turnID int64, reason string) (Handoff, error) {
	now, _ := s.clock()
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// Touching the conversation row first serialises concurrent
		// requests for the same conversation on both engines.
		res, err := tx.Exec(ctx, `UPDATE convo_conversations SET updated_at = updated_at WHERE id = ?`, conversationID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("conversation %q: %w", conversationID, ErrNotFound)
		}
		lines, err := transcript(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		js, err := json.Marshal(lines)
		if err != nil {
			return err
		}
		var tid any
		if turnID != 0 {
			tid = turnID
		}
		err = tx.QueryRow(ctx, `SELECT id FROM convo_handoffs WHERE conversation_id = ? AND state <> 'closed' ORDER BY id LIMIT 1`,
			conversationID).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return tx.QueryRow(ctx, `INSERT INTO convo_handoffs (conversation_id, turn_id, reason, transcript, state, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id`, conversationID, tid, mask(reason), string(js), now, now).Scan(&id)
		case err != nil:
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE convo_handoffs SET transcript = ?, reason = ?, turn_id = COALESCE(?, turn_id), updated_at = ? WHERE id = ?`,
			string(js), mask(reason), tid, now, id)
		return err
	})
	if err != nil {
		return Handoff{}, fmt.Errorf("open handoff: %w", err)
	}
	return s.Handoff(ctx, id)
}

func transcript(ctx context.Context, tx *store.Tx, conversationID string) ([]TranscriptLine, error) {
	rows, err := tx.Query(ctx, `SELECT question, answer, created_at FROM convo_turns WHERE conversation_id = ? ORDER BY idx`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lines := []TranscriptLine{}
	for rows.Next() {
		var q, a string
		var at store.Time
		if err := rows.Scan(&q, &a, &at); err != nil {
			return nil, err
		}
		lines = append(lines, TranscriptLine{Role: "resident", Text: mask(q), At: at})
		if a != "" {
			lines = append(lines, TranscriptLine{Role: "assistant", Text: mask(a), At: at})
		}
	}
	return lines, rows.Err()
}

const handoffColumns = `id, conversation_id, turn_id, reason, transcript, state, created_at, updated_at,
	claimed_by, claimed_at, closed_by, closed_at`

func scanHandoff(sc interface{ Scan(...any) error }) (Handoff, error) {
	var h Handoff
	var tid sql.NullInt64
	var js string
	err := sc.Scan(&h.ID, &h.ConversationID, &tid, &h.Reason, &js, &h.State, &h.CreatedAt, &h.UpdatedAt,
		&h.ClaimedBy, &h.ClaimedAt, &h.ClosedBy, &h.ClosedAt)
	if err != nil {
		return h, err
	}
	h.TurnID = tid.Int64
	if err := json.Unmarshal([]byte(js), &h.Transcript); err != nil {
		return h, fmt.Errorf("handoff %d transcript: %w", h.ID, err)
	}
	h.Replies = []HandoffReply{}
	return h, nil
}

// Handoff returns a ticket with its replies.
func (s *Store) Handoff(ctx context.Context, id int64) (Handoff, error) {
	h, err := scanHandoff(s.db.QueryRow(ctx, `SELECT `+handoffColumns+` FROM convo_handoffs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Handoff{}, ErrNotFound
	}
	if err != nil {
		return Handoff{}, fmt.Errorf("handoff: %w", err)
	}
	list := []Handoff{h}
	if err := s.loadReplies(ctx, list); err != nil {
		return Handoff{}, err
	}
	return list[0], nil
}

// HandoffFilter selects tickets; zero fields do not filter.
type HandoffFilter struct {
	States         []HandoffState
	ConversationID string
}

// Handoffs lists tickets oldest first (the queue order), with replies, and
// the total matching.
func (s *Store) Handoffs(ctx context.Context, f HandoffFilter, p Page) ([]Handoff, int, error) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		where = append(where, `state IN (?`+strings.Repeat(", ?", len(f.States)-1)+`)`)
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.ConversationID != "" {
		where = append(where, `conversation_id = ?`)
		args = append(args, f.ConversationID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM convo_handoffs`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("handoffs: %w", err)
	}
	limit, offset := p.bounds()
	rows, err := s.db.Query(ctx, `SELECT `+handoffColumns+` FROM convo_handoffs`+cond+` ORDER BY created_at, id LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("handoffs: %w", err)
	}
	defer rows.Close()
	list := []Handoff{}
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("handoffs: %w", err)
		}
		list = append(list, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("handoffs: %w", err)
	}
	rows.Close()
	if err := s.loadReplies(ctx, list); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// Queue is the open handoff queue: tickets open or claimed, oldest first.
func (s *Store) Queue(ctx context.Context, p Page) ([]Handoff, int, error) {
	return s.Handoffs(ctx, HandoffFilter{States: []HandoffState{HandoffOpen, HandoffClaimed}}, p)
}

func (s *Store) loadReplies(ctx context.Context, list []Handoff) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for i, h := range list {
		idx[h.ID] = i
		args[i] = h.ID
	}
	rows, err := s.db.Query(ctx, `SELECT id, handoff_id, author, body, created_at FROM convo_handoff_replies
		WHERE handoff_id IN (?`+strings.Repeat(", ?", len(list)-1)+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("handoff replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r HandoffReply
		if err := rows.Scan(&r.ID, &r.HandoffID, &r.Author, &r.Body, &r.CreatedAt); err != nil {
			return fmt.Errorf("handoff replies: %w", err)
		}
		list[idx[r.HandoffID]].Replies = append(list[idx[r.HandoffID]].Replies, r)
	}
	return rows.Err()
}

// transition moves a ticket between states; from lists the states it may
// leave. The conditional UPDATE makes two staff racing for one ticket safe:
// exactly one wins, the other gets ErrState.
func (s *Store) transition(ctx context.Context, id int64, set string, args []any, from ...HandoffState) error {
	q := `UPDATE convo_handoffs SET ` + set + ` WHERE id = ? AND state IN (?` + strings.Repeat(", ?", len(from)-1) + `)`
	args = append(args, id)
	for _, st := range from {
		args = append(args, string(st))
	}
	res, err := s.db.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var st HandoffState
	if err := s.db.QueryRow(ctx, `SELECT state FROM convo_handoffs WHERE id = ?`, id).Scan(&st); errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	return fmt.Errorf("%w: ticket %d is %s", ErrState, id, st)
}

// ClaimHandoff lets staff member who take an open ticket.
func (s *Store) ClaimHandoff(ctx context.Context, id int64, who string) (Handoff, error) {
	if who == "" {
		return Handoff{}, fmt.Errorf("claim handoff: %w: who is required", ErrInput)
	}
	now, _ := s.clock()
	if err := s.transition(ctx, id, `state = 'claimed', claimed_by = ?, claimed_at = ?, updated_at = ?`,
		[]any{who, now, now}, HandoffOpen); err != nil {
		return Handoff{}, fmt.Errorf("claim handoff: %w", err)
	}
	return s.Handoff(ctx, id)
}

// CloseHandoff closes an open or claimed ticket.
func (s *Store) CloseHandoff(ctx context.Context, id int64, who string) (Handoff, error) {
	if who == "" {
		return Handoff{}, fmt.Errorf("close handoff: %w: who is required", ErrInput)
	}
	now, _ := s.clock()
	if err := s.transition(ctx, id, `state = 'closed', closed_by = ?, closed_at = ?, updated_at = ?`,
		[]any{who, now, now}, HandoffOpen, HandoffClaimed); err != nil {
		return Handoff{}, fmt.Errorf("close handoff: %w", err)
	}
	return s.Handoff(ctx, id)
}

// ReplyHandoff adds a staff reply (masked) to a ticket that is not closed;
// replying to an open ticket claims it for the author.
func (s *Store) ReplyHandoff(ctx context.Context, id int64, who, body string) (HandoffReply, error) {
	body = strings.TrimSpace(body)
	if who == "" || body == "" {
		return HandoffReply{}, fmt.Errorf("reply handoff: %w: author and text are required", ErrInput)
	}
	now, _ := s.clock()
	r := HandoffReply{HandoffID: id, Author: who, Body: mask(body), CreatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// One conditional UPDATE both checks the state and locks the
		// ticket, so a reply never lands on a ticket closed meanwhile.
		res, err := tx.Exec(ctx, `UPDATE convo_handoffs SET updated_at = ?,
				claimed_by = CASE WHEN state = 'open' THEN ? ELSE claimed_by END,
				claimed_at = CASE WHEN state = 'open' THEN ? ELSE claimed_at END,
				state = CASE WHEN state = 'open' THEN 'claimed' ELSE state END
			WHERE id = ? AND state <> 'closed'`, now, who, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var st HandoffState
			if err := tx.QueryRow(ctx, `SELECT state FROM convo_handoffs WHERE id = ?`, id).Scan(&st); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			} else if err != nil {
				return err
			}
			return fmt.Errorf("%w: ticket %d is %s", ErrState, id, st)
		}
		return tx.QueryRow(ctx, `INSERT INTO convo_handoff_replies (handoff_id, author, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			id, who, r.Body, now).Scan(&r.ID)
	})
	if err != nil {
		return HandoffReply{}, fmt.Errorf("reply handoff: %w", err)
	}
	return r, nil
}
