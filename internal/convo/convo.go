// Package convo stores the assistant's record: conversations and their turns
// (masked), the citations and implicit AI label of each answer, residents'
// feedback on the five-level 好差评 scale, and handoff tickets for staff. It
// also answers the staff console's questions: conversations by filter, the
// questions the assistant could not answer grouped by similarity, feedback
// per day, the items most asked about, the handoff queue.
//
// Callers mask personal data before they store it; every text written is
// masked again here (privacy.Mask is cheap and idempotent), so that a
// forgotten call never leaves an ID number in the record.
package convo

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the record's schema.
var Migrations = store.Migrations{Component: "convo", FS: migrationFS, Dir: "migrations"}

// Errors.
var (
	ErrNotFound = errors.New("convo: not found")
	// ErrState is a handoff transition its current state does not allow
	// (claiming a closed ticket).
	ErrState = errors.New("convo: not allowed in this state")
	ErrInput = errors.New("convo: invalid input")
)

// Statuses a turn records (the assistant's typed outcomes).
const (
	StatusAnswered   = "answered"
	StatusClarify    = "clarify"
	StatusOutOfScope = "out_of_scope"
	StatusHandoff    = "handoff"
)

// Store reads and writes the record.
type Store struct {
	db   *store.DB
	now  func() time.Time
	zone *time.Location // days in statistics and date filters are its calendar days
	// today is the last day clock formatted: every turn records its day,
	// and the string changes once a day.
	today atomic.Pointer[dayText]
}

// dayText is a calendar day and its time.DateOnly text.
type dayText struct {
	y    int
	m    time.Month
	d    int
	text string
}

// NewStore wraps a database migrated with Migrations. Days are counted in
// clock.Default's zone; see WithClock.
func NewStore(db *store.DB) *Store { return &Store{db: db, now: time.Now, zone: clock.Default} }

// WithClock makes the store take the time from now and count days in zone
// (nil arguments keep the defaults): the --tz of fuwu serve, a test's
// fixed instant. Call it before the store is used.
func (s *Store) WithClock(now func() time.Time, zone *time.Location) *Store {
	if now != nil {
		s.now = now
	}
	if zone != nil {
		s.zone = zone
	}
	return s
}

func (s *Store) clock() (store.Time, string) {
	t := store.T(s.now())
	local := t.In(s.zone)
	y, m, d := local.Date()
	if c := s.today.Load(); c != nil && c.y == y && c.m == m && c.d == d {
		return t, c.text
	}
	c := &dayText{y: y, m: m, d: d, text: local.Format(time.DateOnly)}
	s.today.Store(c)
	return t, c.text
}

func mask(text string) string {
	m, _ := privacy.Mask(text)
	return m
}

// Conversation is one resident's dialogue.
type Conversation struct {
	ID        string     `json:"id"`
	Channel   string     `json:"channel"` // web, api, cli, eval …
	Turns     int        `json:"turns"`
	CreatedAt store.Time `json:"created_at"`
	UpdatedAt store.Time `json:"updated_at"`
}

// Label is the implicit label a model-written answer carries (《人工智能生成
// 合成内容标识办法》): who generated it, with which model, when.
type Label struct {
	Generator string     `json:"generator,omitempty"`
	Model     string     `json:"model,omitempty"`
	Time      store.Time `json:"time"`
}

// Turn is one question and its answer.
type Turn struct {
	ID             int64    `json:"id"`
	ConversationID string   `json:"conversation_id"`
	Index          int      `json:"index"` // 0, 1, 2 … within the conversation
	Question       string   `json:"question"`
	Status         string   `json:"status"` // answered, clarify, out_of_scope, handoff
	Aspect         string   `json:"aspect,omitempty"`
	ItemIDs        []string `json:"item_ids"` // cited items, in order
	Answer         string   `json:"answer"`
	Generated      bool     `json:"generated"` // a model wrote the answer
	// Model is the model consulted for the turn, also when its answer was
	// discarded for the retrieval-only one (then Generated is false).
	Model     string `json:"model,omitempty"`
	Label     Label  `json:"label"` // set when Generated
	LatencyMS int64  `json:"latency_ms"`
	// Confidence is how sure an answer decided on the message alone was
	// (0 to 1; 0 when not measured).
	Confidence float64    `json:"confidence,omitempty"`
	CreatedAt  store.Time `json:"created_at"`
	Feedback   *Feedback  `json:"feedback,omitempty"` // when read back
}

// newID is an unguessable conversation id: 128 random bits, URL-safe.
func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewConversation starts a conversation on a channel.
func (s *Store) NewConversation(ctx context.Context, channel string) (Conversation, error) {
	now, day := s.clock()
	c := Conversation{ID: newID(), Channel: channel, CreatedAt: now, UpdatedAt: now}
	_, err := s.db.Exec(ctx, `INSERT INTO convo_conversations (id, channel, turns, day, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)`,
		c.ID, c.Channel, day, now, now)
	if err != nil {
		return Conversation{}, fmt.Errorf("new conversation: %w", err)
	}
	return c, nil
}

// EnsureConversation records a conversation under an id the caller made
// (the assistant names conversations itself); an existing one is kept.
func (s *Store) EnsureConversation(ctx context.Context, id, channel string) error {
	if id == "" {
		return fmt.Errorf("ensure conversation: %w: empty id", ErrInput)
	}
	now, day := s.clock()
	_, err := s.db.Exec(ctx, `INSERT INTO convo_conversations (id, channel, turns, day, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, id, channel, day, now, now)
	if err != nil {
		return fmt.Errorf("ensure conversation: %w", err)
	}
	return nil
}

// AddTurn appends t to its conversation and returns it with ID, Index and
// CreatedAt set. Question, answer and label are masked again on the way in.
func (s *Store) AddTurn(ctx context.Context, t Turn) (Turn, error) {
	return s.addTurn(ctx, t, "", false)
}

// RecordTurn is AddTurn that first creates the conversation on channel if
// it does not exist, in the same transaction: a conversation is never
// left without the turn that started it (a client that went away, a
// crash, a refused write).
func (s *Store) RecordTurn(ctx context.Context, channel string, t Turn) (Turn, error) {
	return s.addTurn(ctx, t, channel, true)
}

func (s *Store) addTurn(ctx context.Context, t Turn, channel string, create bool) (Turn, error) {
	var saved Turn
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		saved, err = s.writeTurn(ctx, tx, t, channel, create, false)
		return err
	})
	return saved, err
}

// RecordTurnTx is RecordTurn inside tx, for a caller that writes more in
// the same transaction (the assistant's dialogue state, committed with
// other turns' in one group transaction).
func (s *Store) RecordTurnTx(ctx context.Context, tx *store.Tx, channel string, t Turn) (Turn, error) {
	return s.writeTurn(ctx, tx, t, channel, true, false)
}

// MaskedTurn is a turn whose personal data is already masked, ready for
// RecordMaskedTurnTx.
type MaskedTurn struct{ t Turn }

// MaskTurn masks t's question and answer as writing a turn does. A group
// transaction writes its turns one after another, so what can be done
// before it (the masking's regular expressions) is done by each caller.
func MaskTurn(t Turn) MaskedTurn {
	t.Question, t.Answer = mask(t.Question), mask(t.Answer)
	return MaskedTurn{t}
}

// RecordMaskedTurnTx is RecordTurnTx for a turn MaskTurn prepared.
func (s *Store) RecordMaskedTurnTx(ctx context.Context, tx *store.Tx, channel string, m MaskedTurn) (Turn, error) {
	return s.writeTurn(ctx, tx, m.t, channel, true, true)
}

// RecordMaskedTurnQueued is RecordMaskedTurnTx in a transaction of
// store.DB.GroupQueue, whose statements may only be queued: the saved
// turn goes to *out, whose ID and Index are set once the transaction has
// committed.
func (s *Store) RecordMaskedTurnQueued(ctx context.Context, tx *store.Tx, channel string, m MaskedTurn, out *Turn) error {
	return s.writeTurnTo(ctx, tx, m.t, channel, true, true, out)
}

// writeTurn writes a turn in three statements (conversation, turn,
// citations), whatever the number of citations: a turn's writes are on
// every resident's path.
func (s *Store) writeTurn(ctx context.Context, tx *store.Tx, t Turn, channel string, create, masked bool) (Turn, error) {
	var out Turn
	if err := s.writeTurnTo(ctx, tx, t, channel, create, masked, &out); err != nil {
		return Turn{}, err
	}
	return out, nil
}

// writeTurnTo is writeTurn saving the turn to *out; on PostgreSQL, in a
// pipelined transaction, its ID and Index are set at the commit.
func (s *Store) writeTurnTo(ctx context.Context, tx *store.Tx, t Turn, channel string, create, masked bool, out *Turn) error {
	if t.ConversationID == "" || t.Status == "" {
		return fmt.Errorf("add turn: %w: conversation and status are required", ErrInput)
	}
	now, day := s.clock()
	t.CreatedAt = now
	if !masked {
		t.Question, t.Answer = mask(t.Question), mask(t.Answer)
	}
	if !t.Generated {
		t.Label = Label{}
	}
	t.Feedback = nil
	tx = tx.Prepared() // on every turn's path
	if create && tx.Dialect() == store.Postgres {
		*out = t
		if err := tx.QueueMerged(ctx, writeTurns, &queuedTurn{t: out, channel: channel, day: day}); err != nil {
			return fmt.Errorf("add turn: %w", err)
		}
		return nil
	}
	if tx.Dialect() == store.SQLite {
		if err := writeTurnSQLite(ctx, tx, &t, channel, day, now, create); err != nil {
			return err
		}
	} else {
		var n int
		err := tx.QueryRow(ctx, `UPDATE convo_conversations SET turns = turns + 1, updated_at = ? WHERE id = ? RETURNING turns`,
			now, t.ConversationID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("add turn: conversation %q: %w", t.ConversationID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("add turn: %w", err)
		}
		t.Index = n - 1
		if err := tx.QueryRow(ctx, `INSERT INTO convo_turns (conversation_id, idx, question, status, aspect, answer, generated, model,
			label_generator, label_model, label_time, latency_ms, day, created_at, confidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.ConversationID, t.Index, t.Question, t.Status, t.Aspect, t.Answer, boolInt(t.Generated), t.Model,
			t.Label.Generator, t.Label.Model, t.Label.Time, t.LatencyMS, day, now, t.Confidence).Scan(&t.ID); err != nil {
			return fmt.Errorf("add turn: %w", err)
		}
	}
	if len(t.ItemIDs) > 0 {
		var q strings.Builder
		q.WriteString(`INSERT INTO convo_citations (turn_id, pos, item_id) VALUES `)
		args := make([]any, 0, 3*len(t.ItemIDs))
		for i, id := range t.ItemIDs {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?)")
			args = append(args, t.ID, i, id)
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("add turn: citations: %w", err)
		}
	}
	*out = t
	return nil
}

// writeTurnSQLite writes t's conversation and turn on SQLite and sets
// t.Index and t.ID, without RETURNING: SQLite collects a statement's
// RETURNING rows in a temporary table it opens and closes each time,
// which cost more than the plain statements and a lookup by primary key
// (the group committer's profile, every turn's path).
func writeTurnSQLite(ctx context.Context, tx *store.Tx, t *Turn, channel, day string, now store.Time, create bool) error {
	// The time is formatted once (store.Time.Value) and bound once per
	// statement (?4 twice). The values the statements share are boxed
	// once: each conversion of a string to an argument allocates.
	at, id, dayArg := any(now.String()), any(t.ConversationID), any(day)
	var err error
	var res sql.Result
	if create {
		_, err = tx.Exec(ctx, `INSERT INTO convo_conversations (id, channel, turns, day, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?4)
			ON CONFLICT (id) DO UPDATE SET turns = convo_conversations.turns + 1, updated_at = excluded.updated_at`,
			id, channel, dayArg, at)
	} else {
		res, err = tx.Exec(ctx, `UPDATE convo_conversations SET turns = turns + 1, updated_at = ? WHERE id = ?`, at, id)
		if err == nil {
			var n int64
			if n, err = res.RowsAffected(); err == nil && n == 0 {
				return fmt.Errorf("add turn: conversation %q: %w", t.ConversationID, ErrNotFound)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("add turn: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT turns FROM convo_conversations WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("add turn: %w", err)
	}
	t.Index = n - 1
	res, err = tx.Exec(ctx, `INSERT INTO convo_turns (conversation_id, idx, question, status, aspect, answer, generated, model,
			label_generator, label_model, label_time, latency_ms, day, created_at, confidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, t.Index, t.Question, t.Status, t.Aspect, t.Answer, boolInt(t.Generated), t.Model,
		t.Label.Generator, t.Label.Model, t.Label.Time, t.LatencyMS, dayArg, at, t.Confidence)
	if err == nil {
		t.ID, err = res.LastInsertId()
	}
	if err != nil {
		return fmt.Errorf("add turn: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Conversation returns a conversation and its turns in order, each with
// its feedback.
func (s *Store) Conversation(ctx context.Context, id string) (Conversation, []Turn, error) {
	var c Conversation
	err := s.db.QueryRow(ctx, `SELECT id, channel, turns, created_at, updated_at FROM convo_conversations WHERE id = ?`, id).
		Scan(&c.ID, &c.Channel, &c.Turns, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, nil, ErrNotFound
	}
	if err != nil {
		return Conversation{}, nil, fmt.Errorf("conversation: %w", err)
	}
	turns, err := s.queryTurns(ctx, `t.conversation_id = ?`, id)
	if err != nil {
		return Conversation{}, nil, err
	}
	return c, turns, nil
}

// Turn returns one turn with its feedback.
func (s *Store) Turn(ctx context.Context, id int64) (Turn, error) {
	turns, err := s.queryTurns(ctx, `t.id = ?`, id)
	if err != nil {
		return Turn{}, err
	}
	if len(turns) == 0 {
		return Turn{}, ErrNotFound
	}
	return turns[0], nil
}

// queryTurns reads the turns matching cond (on alias t) with their
// feedback and citations, in conversation order.
func (s *Store) queryTurns(ctx context.Context, cond string, args ...any) ([]Turn, error) {
	rows, err := s.db.Query(ctx, `SELECT t.id, t.conversation_id, t.idx, t.question, t.status, t.aspect, t.answer, t.generated, t.model,
			t.label_generator, t.label_model, t.label_time, t.latency_ms, t.created_at,
			f.score, f.comment, f.created_at
		FROM convo_turns t LEFT JOIN convo_feedback f ON f.turn_id = t.id
		WHERE `+cond+` ORDER BY t.conversation_id, t.idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("turns: %w", err)
	}
	defer rows.Close()
	var turns []Turn
	byID := map[int64]int{}
	for rows.Next() {
		var t Turn
		var gen int
		var score sql.NullInt64
		var comment sql.NullString
		var fat store.Time
		if err := rows.Scan(&t.ID, &t.ConversationID, &t.Index, &t.Question, &t.Status, &t.Aspect, &t.Answer, &gen, &t.Model,
			&t.Label.Generator, &t.Label.Model, &t.Label.Time, &t.LatencyMS, &t.CreatedAt, &score, &comment, &fat); err != nil {
			return nil, fmt.Errorf("turns: %w", err)
		}
		t.Generated = gen != 0
		t.ItemIDs = []string{}
		if score.Valid {
			t.Feedback = &Feedback{TurnID: t.ID, ConversationID: t.ConversationID, Score: Score(score.Int64), Comment: comment.String, CreatedAt: fat}
		}
		byID[t.ID] = len(turns)
		turns = append(turns, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("turns: %w", err)
	}
	if len(turns) == 0 {
		return turns, nil
	}
	// Citations of the same turns, in one query.
	crow, err := s.db.Query(ctx, `SELECT c.turn_id, c.item_id FROM convo_citations c JOIN convo_turns t ON t.id = c.turn_id
		WHERE `+cond+` ORDER BY c.turn_id, c.pos`, args...)
	if err != nil {
		return nil, fmt.Errorf("citations: %w", err)
	}
	defer crow.Close()
	for crow.Next() {
		var tid int64
		var item string
		if err := crow.Scan(&tid, &item); err != nil {
			return nil, fmt.Errorf("citations: %w", err)
		}
		if i, ok := byID[tid]; ok {
			turns[i].ItemIDs = append(turns[i].ItemIDs, item)
		}
	}
	return turns, crow.Err()
}
