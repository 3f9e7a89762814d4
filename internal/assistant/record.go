package assistant

import (
	"context"

	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// ConvoRecorder keeps turns and handoff tickets in the conversation store.
type ConvoRecorder struct{ Store *convo.Store }

// RecordTurn implements Recorder.
func (r ConvoRecorder) RecordTurn(ctx context.Context, t TurnRecord) (int64, error) {
	turn := convo.Turn{
		ConversationID: t.ConversationID, Question: t.Question, Status: string(t.Status), Aspect: string(t.Aspect),
		ItemIDs: t.Items, Answer: t.Answer, Generated: t.Generated, Model: t.Model,
		LatencyMS: t.Latency.Milliseconds(),
	}
	if t.Generated {
		turn.Label = convo.Label{Generator: t.Generator, Model: t.Model, Time: store.T(t.GeneratedAt)}
	}
	saved, err := r.Store.RecordTurn(ctx, t.Channel, turn)
	return saved.ID, err
}

// OpenHandoff implements Recorder.
func (r ConvoRecorder) OpenHandoff(ctx context.Context, conversationID string, turnID int64, reason string) (int64, error) {
	h, err := r.Store.OpenHandoff(ctx, conversationID, turnID, reason)
	return h.ID, err
}
