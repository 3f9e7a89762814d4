package convo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Page is a slice of a list: Limit rows (default 50, at most 500) after
// Offset.
type Page struct {
	Limit, Offset int
}

func (p Page) bounds() (int, int) {
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	return min(limit, 500), max(p.Offset, 0)
}

// Filter selects conversations; zero fields do not filter.
type Filter struct {
	Status      string // has a turn with this status
	BadFeedback bool   // has a turn rated 不满意 or 非常不满意
	FromDay     string // started on or after (YYYY-MM-DD in the store's zone)
	ToDay       string // started on or before
	ItemID      string // has a turn citing this item
	Text        string // a question or answer contains this text
	Channel     string
}

// Summary is a conversation as the console lists it.
type Summary struct {
	Conversation
	FirstQuestion string `json:"first_question"`
	LastStatus    string `json:"last_status"`
	WorstScore    Score  `json:"worst_score,omitempty"` // 0 when never rated
	Handoff       bool   `json:"handoff"`               // has a handoff ticket
}

// likeEscape makes text a LIKE pattern matching it literally anywhere.
func likeEscape(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}

// Conversations lists conversations matching f, most recently active
// first, and the total matching.
func (s *Store) Conversations(ctx context.Context, f Filter, p Page) ([]Summary, int, error) {
	if _, _, err := dayRange(f.FromDay, f.ToDay, false); err != nil {
		return nil, 0, fmt.Errorf("conversations: %w", err)
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Status != "" {
		add(`EXISTS (SELECT 1 FROM convo_turns t WHERE t.conversation_id = c.id AND t.status = ?)`, f.Status)
	}
	if f.BadFeedback {
		add(`EXISTS (SELECT 1 FROM convo_feedback fb WHERE fb.conversation_id = c.id AND fb.score <= 2)`)
	}
	if f.FromDay != "" {
		add(`c.day >= ?`, f.FromDay)
	}
	if f.ToDay != "" {
		add(`c.day <= ?`, f.ToDay)
	}
	if f.ItemID != "" {
		add(`EXISTS (SELECT 1 FROM convo_citations ci JOIN convo_turns t ON t.id = ci.turn_id WHERE t.conversation_id = c.id AND ci.item_id = ?)`, f.ItemID)
	}
	if f.Text != "" {
		pat := likeEscape(f.Text)
		add(`EXISTS (SELECT 1 FROM convo_turns t WHERE t.conversation_id = c.id AND (t.question LIKE ? ESCAPE '\' OR t.answer LIKE ? ESCAPE '\'))`, pat, pat)
	}
	if f.Channel != "" {
		add(`c.channel = ?`, f.Channel)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM convo_conversations c`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("conversations: %w", err)
	}
	limit, offset := p.bounds()
	rows, err := s.db.Query(ctx, `SELECT c.id, c.channel, c.turns, c.created_at, c.updated_at,
			COALESCE((SELECT t.question FROM convo_turns t WHERE t.conversation_id = c.id ORDER BY t.idx LIMIT 1), ''),
			COALESCE((SELECT t.status FROM convo_turns t WHERE t.conversation_id = c.id ORDER BY t.idx DESC LIMIT 1), ''),
			COALESCE((SELECT MIN(fb.score) FROM convo_feedback fb WHERE fb.conversation_id = c.id), 0),
			(SELECT COUNT(*) FROM convo_handoffs h WHERE h.conversation_id = c.id)
		FROM convo_conversations c`+cond+` ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("conversations: %w", err)
	}
	defer rows.Close()
	list := []Summary{}
	for rows.Next() {
		var sm Summary
		var worst, handoffs int
		if err := rows.Scan(&sm.ID, &sm.Channel, &sm.Turns, &sm.CreatedAt, &sm.UpdatedAt, &sm.FirstQuestion, &sm.LastStatus, &worst, &handoffs); err != nil {
			return nil, 0, fmt.Errorf("conversations: %w", err)
		}
		sm.WorstScore, sm.Handoff = Score(worst), handoffs > 0
		list = append(list, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("conversations: %w", err)
	}
	return list, total, nil
}

// ItemCount is how often an item was cited.
type ItemCount struct {
	ItemID        string `json:"item_id"`
	Turns         int    `json:"turns"`         // answers citing it
	Conversations int    `json:"conversations"` // distinct conversations
}

// TopItems returns the items cited most between two days (inclusive;
// empty bounds are open), most cited first.
func (s *Store) TopItems(ctx context.Context, fromDay, toDay string, limit int) ([]ItemCount, error) {
	if _, _, err := dayRange(fromDay, toDay, false); err != nil {
		return nil, fmt.Errorf("top items: %w", err)
	}
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.db.Query(ctx, `SELECT ci.item_id, COUNT(DISTINCT t.id) AS n, COUNT(DISTINCT t.conversation_id)
		FROM convo_citations ci JOIN convo_turns t ON t.id = ci.turn_id
		WHERE t.day >= ? AND t.day <= ?
		GROUP BY ci.item_id ORDER BY n DESC, ci.item_id LIMIT ?`, openFrom(fromDay), openTo(toDay), limit)
	if err != nil {
		return nil, fmt.Errorf("top items: %w", err)
	}
	defer rows.Close()
	out := []ItemCount{}
	for rows.Next() {
		var ic ItemCount
		if err := rows.Scan(&ic.ItemID, &ic.Turns, &ic.Conversations); err != nil {
			return nil, fmt.Errorf("top items: %w", err)
		}
		out = append(out, ic)
	}
	return out, rows.Err()
}

func openFrom(day string) string {
	if day == "" {
		return "0000-00-00"
	}
	return day
}

func openTo(day string) string {
	if day == "" {
		return "9999-99-99"
	}
	return day
}

// MaxUnanswered bounds how many recent questions Unanswered groups.
const MaxUnanswered = 5000

// Unanswered groups the questions the assistant could not answer or
// declined (status clarify, out_of_scope or handoff), the answers
// residents rated 不满意 or worse and the answers given with a confidence
// below LowConfidence, between two days (inclusive; empty
// bounds are open), by similarity: see GroupQuestions. threshold 0 means
// DefaultThreshold. Only the latest MaxUnanswered such turns are read.
func (s *Store) Unanswered(ctx context.Context, fromDay, toDay string, threshold float64) ([]QuestionGroup, error) {
	if _, _, err := dayRange(fromDay, toDay, false); err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	// A follow-up is shown with the item its conversation was about: the
	// previous turn's first cited item.
	rows, err := s.db.Query(ctx, `SELECT t.id, t.question, t.status, t.created_at, COALESCE(f.score, 0), ci.item_id, t.confidence,
			(SELECT pc.item_id FROM convo_turns p JOIN convo_citations pc ON pc.turn_id = p.id AND pc.pos = 0
				WHERE p.conversation_id = t.conversation_id AND p.idx < t.idx ORDER BY p.idx DESC LIMIT 1)
		FROM convo_turns t
		LEFT JOIN convo_feedback f ON f.turn_id = t.id
		LEFT JOIN convo_citations ci ON ci.turn_id = t.id AND ci.pos = 0
		WHERE t.day >= ? AND t.day <= ? AND (t.status IN (?, ?, ?) OR f.score <= 2
			OR t.status = ? AND t.confidence > 0 AND t.confidence < ?)
		ORDER BY t.id DESC LIMIT ?`,
		openFrom(fromDay), openTo(toDay), StatusClarify, StatusOutOfScope, StatusHandoff, StatusAnswered, LowConfidence, MaxUnanswered)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	defer rows.Close()
	var qs []Question
	for rows.Next() {
		var q Question
		var score int
		var item, thread sql.NullString
		var conf float64
		if err := rows.Scan(&q.TurnID, &q.Text, &q.Status, &q.At, &score, &item, &conf, &thread); err != nil {
			return nil, fmt.Errorf("unanswered: %w", err)
		}
		switch {
		case q.Status == StatusAnswered && Score(score).Bad():
			q.Status = ReasonBadFeedback
		case q.Status == StatusAnswered:
			q.Status = ReasonLowConfidence
		}
		q.ItemID, q.Thread = item.String, thread.String
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	return GroupQuestions(qs, threshold), nil
}

// ReasonBadFeedback marks, in QuestionGroup.Reasons, answered questions
// rated 不满意 or 非常不满意.
const ReasonBadFeedback = "bad_feedback"

// ReasonLowConfidence marks answers decided with a confidence below
// LowConfidence: probably right, worth a reviewer's look.
const ReasonLowConfidence = "low_confidence"

// LowConfidence is the answer confidence below which the console lists an
// answered question for review: on the development and probe sets the
// precision of answers rises from 0.93 to 0.94–1.0 above it (README,
// answer confidence curve), so most wrong answers that are not
// confident fall below it.
const LowConfidence = 0.5

// Question is one question for grouping.
type Question struct {
	TurnID int64
	Text   string
	Status string // the turn's status, or ReasonBadFeedback
	ItemID string // first cited item, if any
	// Thread is, for a follow-up, the item its conversation was about
	// (the previous turn's first cited item); "" for a first turn.
	Thread string
	At     store.Time
}
