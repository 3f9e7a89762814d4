package assistant

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// State is what the assistant remembers of a conversation between turns.
type State struct {
	Item       string   `json:"item,omitempty"`       // the item being discussed
	Aspect     Aspect   `json:"aspect,omitempty"`     // the last aspect answered
	Candidates []string `json:"candidates,omitempty"` // choices offered by a clarify turn
	Failures   int      `json:"failures,omitempty"`   // consecutive turns without an answer
	Turns      int      `json:"turns"`
	// Topic is the content of the turn that chose the item (masked,
	// normalised, without aspect cues): what the thread is about when a
	// later turn names only another thing ("那身份证呢" after 社保卡丢了).
	Topic string `json:"topic,omitempty"`
	// Guess holds the first candidates of an answer decided on its
	// message alone that did not name its item (a vague question answered
	// by its likeliest item): a reply telling more of the case chooses
	// among them as it would among a clarify question's choices.
	Guess []string `json:"guess,omitempty"`
	// ClarifyOf is the content of the message a pending clarify question
	// asked about ("补证"): a reply naming another family ("结婚证") is
	// told apart by it.
	ClarifyOf string `json:"clarify_of,omitempty"`
	// Booking holds the slots of an appointment being made in the chat.
	Booking *BookingDraft `json:"booking,omitempty"`
	// Benefits is an eligibility dialogue under way (benefits.go).
	Benefits *BenefitsDraft `json:"benefits,omitempty"`
	// TreeReport is a tree report whose place was asked (treereport.go).
	TreeReport *TreeReportDraft `json:"tree_report,omitempty"`
	// HazardAsk: the last turn asked which community a waterlogging
	// question is about; HazardGarage: the question was about a garage.
	HazardAsk    bool `json:"hazard_ask,omitempty"`
	HazardGarage bool `json:"hazard_garage,omitempty"`
}

// BookingDraft is an appointment or a door-to-door request being filled
// in one question at a time, read back before anything is created.
type BookingDraft struct {
	Kind   string `json:"kind"` // "appointment" or "doorstep"
	ItemID string `json:"item_id"`
	HallID string `json:"hall_id,omitempty"`
	Day    string `json:"day,omitempty"`  // YYYY-MM-DD
	Time   string `json:"time,omitempty"` // HH:MM
	Name   string `json:"name,omitempty"`
	// The mobile number is kept sealed (Booker.Seal) from the turn that
	// gives it to the read-back's confirmation, and masked for the
	// read-back; the number itself never is in the state.
	MobileSealed string `json:"mobile_sealed,omitempty"`
	MobileMasked string `json:"mobile_masked,omitempty"`
	Address      string `json:"address,omitempty"` // the address for a door-to-door visit
	Street       string `json:"street,omitempty"`  // its street (街道), as the district names it
	Step         string `json:"step,omitempty"`
}

// StateStore keeps conversation states.
type StateStore interface {
	Load(ctx context.Context, conversationID string) (State, bool, error)
	Save(ctx context.Context, conversationID string, s State) error
}

// DBState keeps states in the database, shared by every replica.
type DBState struct {
	DB *store.DB
	// Cache, when set, answers Load for the conversations whose states
	// GroupTurns (with the same cache) wrote; only for a database no
	// other server writes (SQLite).
	Cache *StateCache
	// Reader, when set, reads the states the cache does not answer, in
	// batches with other turns' (store.KeyReader; made by
	// NewStateReader).
	Reader *store.KeyReader
}

// NewStateReader returns the batched reader of states for DBState.Reader.
func NewStateReader(db *store.DB) *store.KeyReader {
	return db.NewKeyReader(`SELECT conversation_id, state FROM assistant_state WHERE conversation_id`)
}

// Load implements StateStore.
func (d DBState) Load(ctx context.Context, id string) (State, bool, error) {
	raw, ok := d.Cache.get(id)
	if ok {
		return decodeState(raw)
	}
	t0 := time.Now()
	var err error
	if d.Reader != nil {
		var found bool
		raw, found, err = d.Reader.Get(ctx, id)
		if err == nil && !found {
			err = sql.ErrNoRows
		}
	} else {
		err = d.DB.QueryRowPrepared(ctx, `SELECT state FROM assistant_state WHERE conversation_id = ?`, id).Scan(&raw)
	}
	store.AddRead(ctx, time.Since(t0))
	if errors.Is(err, sql.ErrNoRows) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("load state: %w", err)
	}
	return decodeState(raw)
}

func decodeState(raw string) (State, bool, error) {
	var s State
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return State{}, false, fmt.Errorf("decode state: %w", err)
	}
	return s, true, nil
}

// Save implements StateStore.
func (d DBState) Save(ctx context.Context, id string, s State) error {
	d.Cache.drop(id)
	return saveState(ctx, d.DB, id, s)
}

// StateCache keeps the encoded states of recent conversations in memory,
// so that a turn need not read back the state the turn before it wrote
// (the read was 6 % of a turn's CPU on SQLite). Only GroupTurns fills it,
// after its transaction committed: a cached state is always the one on
// disk. Each entry keeps the sequence number its write took inside the
// transaction (SQLite runs one write transaction at a time, so the
// numbers follow the commits): two turns of one conversation committed
// in one order and cached in the other leave the later one. It is for a
// database this process alone writes (SQLite): another replica's writes
// would not reach it. A nil cache caches nothing.
type StateCache struct {
	seq atomic.Int64
	mu  sync.Mutex
	m   map[string]cachedState
}

type cachedState struct {
	raw string
	seq int64 // see next
}

// next numbers a write of a state, inside its transaction.
func (c *StateCache) next() int64 {
	if c == nil {
		return 0
	}
	return c.seq.Add(1)
}

// maxCachedStates bounds the cache (~1 KB a state).
const maxCachedStates = 20000

// NewStateCache returns an empty cache.
func NewStateCache() *StateCache { return &StateCache{m: map[string]cachedState{}} }

func (c *StateCache) get(id string) (string, bool) {
	if c == nil {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	return e.raw, ok
}

// put records raw as id's state, written with sequence number seq, unless
// a later write's is there.
func (c *StateCache) put(id, raw string, seq int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok && e.seq > seq {
		return
	}
	if len(c.m) >= maxCachedStates {
		for k := range c.m { // any one: a miss only costs a read
			delete(c.m, k)
			break
		}
	}
	c.m[id] = cachedState{raw, seq}
}

// drop forgets id's state: a write whose outcome is not known.
func (c *StateCache) drop(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// saveState writes s through db: the database, or a transaction that
// records the turn too.
func saveState(ctx context.Context, db interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}, id string, s State) error {
	raw, err := encodeState(s)
	if err != nil {
		return err
	}
	return saveEncodedState(ctx, db, id, raw)
}

// saveStateSQL writes a conversation's state: id, state, time.
const saveStateSQL = `INSERT INTO assistant_state (conversation_id, state, updated_at) VALUES (?, ?, ?)
	ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`

// encodeState is a state as the database keeps it.
func encodeState(s State) (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("save state: %w", err)
	}
	return string(b), nil
}

// saveEncodedState is saveState for a state encodeState encoded.
func saveEncodedState(ctx context.Context, db interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}, id, raw string) error {
	_, err := db.Exec(ctx, saveStateSQL, id, raw, store.Now())
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// MemoryState keeps states in memory (the CLI, evaluation, tests). Entries
// idle for longer than a day are dropped (within the hour after).
type MemoryState struct {
	mu sync.Mutex
	m  map[string]memEntry
	// swept is when Save last looked for idle entries: once an hour at
	// most, not on every save while more than 10,000 conversations are
	// less than a day old (each save then went through all of them).
	swept time.Time
}

type memEntry struct {
	s  State
	at time.Time
}

// Load implements StateStore.
func (m *MemoryState) Load(_ context.Context, id string) (State, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[id]
	return e.s, ok, nil
}

// Save implements StateStore.
func (m *MemoryState) Save(_ context.Context, id string, s State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]memEntry{}
	}
	now := time.Now()
	if len(m.m) > 10000 && now.Sub(m.swept) >= time.Hour {
		m.swept = now
		for k, e := range m.m {
			if now.Sub(e.at) > 24*time.Hour {
				delete(m.m, k)
			}
		}
	}
	m.m[id] = memEntry{s, now}
	return nil
}

// NewConversationID returns an unguessable conversation id.
func NewConversationID() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// validConversationID accepts ids this package makes (and similar ones
// made by a recorder): short, URL-safe.
func validConversationID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
