package assistant

import (
	"context"
	"fmt"

	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// ConvoRecorder keeps turns and handoff tickets in the conversation store.
type ConvoRecorder struct{ Store *convo.Store }

// RecordTurn implements Recorder.
func (r ConvoRecorder) RecordTurn(ctx context.Context, t TurnRecord) (int64, error) {
	saved, err := r.Store.RecordTurn(ctx, t.Channel, convoTurn(t))
	return saved.ID, err
}

func convoTurn(t TurnRecord) convo.Turn {
	turn := convo.Turn{
		ConversationID: t.ConversationID, Question: t.Question, Status: string(t.Status), Aspect: string(t.Aspect),
		ItemIDs: t.Items, Answer: t.Answer, Generated: t.Generated, Model: t.Model,
		LatencyMS: t.Latency.Milliseconds(), Confidence: t.Confidence,
	}
	if t.Generated {
		turn.Label = convo.Label{Generator: t.Generator, Model: t.Model, Time: store.T(t.GeneratedAt)}
	}
	return turn
}

// OpenHandoff implements Recorder.
func (r ConvoRecorder) OpenHandoff(ctx context.Context, conversationID string, turnID int64, reason string) (int64, error) {
	h, err := r.Store.OpenHandoff(ctx, conversationID, turnID, reason)
	return h.ID, err
}

// TurnWriter saves what a turn leaves behind, the dialogue state for the
// next turn and the turn's record, together: when WriteTurn returns nil
// both are durable, and the reply may be shown.
type TurnWriter interface {
	WriteTurn(ctx context.Context, next State, rec TurnRecord) (turnID int64, err error)
}

// GroupTurns writes each turn's state (DBState's table) and record (the
// conversation store) in a group transaction shared with the turns of
// other conversations finishing at the same moment (store.DB.GroupTx):
// under load, one commit serves many turns instead of each turn queueing
// for its own two.
type GroupTurns struct {
	DB    *store.DB
	Convo *convo.Store
	// Cache, when set, learns each committed state (see StateCache).
	Cache *StateCache
}

// WriteTurn implements TurnWriter.
func (g GroupTurns) WriteTurn(ctx context.Context, next State, rec TurnRecord) (int64, error) {
	// Encoding and masking happen here, before the group transaction,
	// which runs its turns' writes one after another.
	turn := convo.MaskTurn(convoTurn(rec))
	raw, err := encodeState(next)
	if err != nil {
		return 0, fmt.Errorf("write turn: %w", err)
	}
	var saved convo.Turn
	var seq int64
	// On PostgreSQL the two writes are only queued, and written with the
	// batch's others in two statements sent in one round trip
	// (store.DB.GroupQueue, store.Merge).
	err = g.DB.GroupQueue(ctx, func(tx *store.Tx) error {
		if err := tx.QueueMerged(ctx, saveStates, savedState{id: rec.ConversationID, raw: raw, at: store.Now()}); err != nil {
			return fmt.Errorf("save state: %w", err)
		}
		seq = g.Cache.next()
		return g.Convo.RecordMaskedTurnQueued(ctx, tx, rec.Channel, turn, &saved)
	})
	if err != nil {
		// A failed commit may still have reached the disk: whatever the
		// cache holds may be older than the stored state.
		g.Cache.drop(rec.ConversationID)
		return 0, fmt.Errorf("write turn: %w", err)
	}
	g.Cache.put(rec.ConversationID, raw, seq)
	return saved.ID, nil
}

// savedState is a state saveStates writes.
type savedState struct {
	id, raw string
	at      store.Time
}

// saveStates writes states: on PostgreSQL those of a pipelined group
// transaction's turns in one statement (store.Merge), elsewhere one by one.
var saveStates = &store.Merge{Queue: queueStates}

func queueStates(ctx context.Context, tx *store.Tx, rows []any) error {
	if tx.Dialect() != store.Postgres {
		for _, r := range rows {
			s := r.(savedState)
			if err := tx.Prepared().Queue(ctx, saveStateSQL, nil, s.id, s.raw, s.at); err != nil {
				return err
			}
		}
		return nil
	}
	// A row can be updated once per statement: of one conversation's
	// states, the last (the rows are in the order the turns came) is the
	// one a transaction of each would have left.
	last := make(map[string]int, len(rows))
	for i, r := range rows {
		last[r.(savedState).id] = i
	}
	ids, raws, ats := make([]string, 0, len(last)), make([]string, 0, len(last)), make([]string, 0, len(last))
	for i, r := range rows {
		s := r.(savedState)
		if last[s.id] == i {
			ids, raws, ats = append(ids, s.id), append(raws, s.raw), append(ats, s.at.String())
		}
	}
	return tx.Queue(ctx, saveStatesSQL, nil, ids, raws, ats)
}

// saveStatesSQL is saveStateSQL for arrays of ids, states and times (each
// id once), taken in the ids' order so that two transactions lock the
// rows they share in the same order.
const saveStatesSQL = `INSERT INTO assistant_state (conversation_id, state, updated_at)
	SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) AS s (conversation_id, state, updated_at) ORDER BY conversation_id
	ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
