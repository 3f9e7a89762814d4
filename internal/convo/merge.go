package convo

import (
	"context"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// queuedTurn is a turn writeTurnTo hands to writeTurns on PostgreSQL: t
// is the caller's, whose ID and Index are set once it has been written.
type queuedTurn struct {
	t            *Turn
	channel, day string
}

// writeTurns writes turns on PostgreSQL, each with its conversation
// (created, or its count of turns raised) and its citations: in a
// pipelined group transaction, the batch's turns in one statement
// (store.Merge), whose parameters are one array per column.
var writeTurns = &store.Merge{Queue: queueTurns}

func queueTurns(ctx context.Context, tx *store.Tx, rows []any) error {
	// A conversation's row can be updated once per statement, so a
	// second turn of one conversation goes to a later statement, in the
	// order the turns came.
	for len(rows) > 0 {
		var later []any
		seen := make(map[string]bool, len(rows))
		round := rows[:0:0]
		for _, r := range rows {
			q := r.(*queuedTurn)
			if seen[q.t.ConversationID] {
				later = append(later, r)
				continue
			}
			seen[q.t.ConversationID] = true
			round = append(round, r)
		}
		if err := queueTurnRound(ctx, tx, round); err != nil {
			return err
		}
		rows = later
	}
	return nil
}

// turnsSQL writes the turns of its array parameters (one element per
// turn, each of a different conversation) and returns each turn's
// position in the arrays (from 1), ID and index.
const turnsSQL = `WITH i AS (
		SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[], ?::text[],
			?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::double precision[])
			WITH ORDINALITY AS i (conv, channel, question, status, aspect, answer, generated, model,
				label_generator, label_model, label_time, latency_ms, day, created_at, confidence, ord)),
	c AS (
		INSERT INTO convo_conversations (id, channel, turns, day, created_at, updated_at)
		SELECT conv, channel, 1, day, created_at, created_at FROM i ORDER BY conv
		ON CONFLICT (id) DO UPDATE SET turns = convo_conversations.turns + 1, updated_at = excluded.updated_at
		RETURNING id, turns),
	t AS (
		INSERT INTO convo_turns (conversation_id, idx, question, status, aspect, answer, generated, model,
			label_generator, label_model, label_time, latency_ms, day, created_at, confidence)
		SELECT i.conv, c.turns - 1, i.question, i.status, i.aspect, i.answer, i.generated, i.model,
			i.label_generator, i.label_model, i.label_time, i.latency_ms, i.day, i.created_at, i.confidence
		FROM i JOIN c ON c.id = i.conv ORDER BY i.ord
		RETURNING id, conversation_id, idx),
	x AS (
		INSERT INTO convo_citations (turn_id, pos, item_id)
		SELECT t.id, p.pos, p.item FROM unnest(?::bigint[], ?::integer[], ?::text[]) AS p (ord, pos, item)
			JOIN i ON i.ord = p.ord JOIN t ON t.conversation_id = i.conv)
	SELECT i.ord, t.id, t.idx FROM t JOIN i ON i.conv = t.conversation_id`

// queueTurnRound queues turnsSQL for rows, turns of different
// conversations.
func queueTurnRound(ctx context.Context, tx *store.Tx, rows []any) error {
	n := len(rows)
	var (
		conv, channel, question, status, aspect, answer = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		model, labelGen, labelModel, day, created       = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		labelTime                                       = make([]*string, n)
		generated                                       = make([]int32, n)
		latency                                         = make([]int64, n)
		confidence                                      = make([]float64, n)
		citeOrd                                         []int64
		citePos                                         []int32
		citeItem                                        []string
		turns                                           = make([]*Turn, n)
	)
	for i, r := range rows {
		q := r.(*queuedTurn)
		t := q.t
		turns[i] = t
		conv[i], channel[i], question[i], status[i], aspect[i], answer[i] = t.ConversationID, q.channel, t.Question, t.Status, t.Aspect, t.Answer
		generated[i], model[i] = int32(boolInt(t.Generated)), t.Model
		labelGen[i], labelModel[i] = t.Label.Generator, t.Label.Model
		if !t.Label.Time.IsZero() {
			s := t.Label.Time.String()
			labelTime[i] = &s
		}
		latency[i], day[i], created[i], confidence[i] = t.LatencyMS, q.day, t.CreatedAt.String(), t.Confidence
		for pos, item := range t.ItemIDs {
			citeOrd = append(citeOrd, int64(i+1))
			citePos = append(citePos, int32(pos))
			citeItem = append(citeItem, item)
		}
	}
	if citeOrd == nil {
		citeOrd, citePos, citeItem = []int64{}, []int32{}, []string{}
	}
	return tx.QueueQuery(ctx, turnsSQL, func(row store.Scanner) error {
		var ord, id int64
		var idx int
		if err := row.Scan(&ord, &id, &idx); err != nil {
			return err
		}
		t := turns[ord-1]
		t.ID, t.Index = id, idx
		return nil
	}, conv, channel, question, status, aspect, answer, generated, model,
		labelGen, labelModel, labelTime, latency, day, created, confidence,
		citeOrd, citePos, citeItem)
}
