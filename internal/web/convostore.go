package web

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// ConvoConversations reads transcripts from the conversation store (every
// replica sees every conversation) and keeps the full replies of recent
// turns in memory, so the page can show a turn's route and quick replies
// exactly as they were given; older turns are rebuilt from the record
// (answer, status, citations).
type ConvoConversations struct {
	store *convo.Store
	kb    *kb.Store

	mu     sync.Mutex
	max    int
	order  *list.List // of *assistant.Reply, most recent first
	byTurn map[int64]*list.Element
}

// NewConvoConversations reads from s; item names for rebuilt citations
// come from k.
func NewConvoConversations(s *convo.Store, k *kb.Store) *ConvoConversations {
	return &ConvoConversations{store: s, kb: k, max: 5000, order: list.New(), byTurn: map[int64]*list.Element{}}
}

// Record wraps the assistant: its replies are remembered for display, and
// a turn the assistant did not record itself (TurnID 0: no recorder
// configured) is recorded here, so no answer goes unrecorded.
func (c *ConvoConversations) Record(svc assistant.Service) assistant.Service {
	return &convoRecorder{svc: svc, c: c}
}

type convoRecorder struct {
	svc assistant.Service
	c   *ConvoConversations
}

func (r *convoRecorder) Ask(ctx context.Context, req assistant.Request) (assistant.Reply, error) {
	rep, err := r.svc.Ask(ctx, req)
	if err != nil {
		return rep, err
	}
	return rep, r.c.keep(ctx, req, &rep)
}

func (r *convoRecorder) Stream(ctx context.Context, req assistant.Request, onDelta func(string)) (assistant.Reply, error) {
	rep, err := r.svc.Stream(ctx, req, onDelta)
	if err != nil {
		return rep, err
	}
	return rep, r.c.keep(ctx, req, &rep)
}

func (c *ConvoConversations) keep(ctx context.Context, req assistant.Request, rep *assistant.Reply) error {
	if rep.TurnID == 0 {
		if rep.ConversationID == "" {
			rep.ConversationID = assistant.NewConversationID()
		}
		t := convo.Turn{ConversationID: rep.ConversationID, Question: req.Message, Status: string(rep.Status),
			Aspect: string(rep.Aspect), Answer: rep.Answer, Generated: rep.Generated}
		for _, ci := range rep.Citations {
			t.ItemIDs = append(t.ItemIDs, ci.ID)
		}
		saved, err := c.store.RecordTurn(ctx, req.Channel, t)
		if err != nil {
			return fmt.Errorf("record turn: %w", err)
		}
		rep.TurnID = saved.ID
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max > 0 && c.order.Len() >= c.max {
		// Full, as it is after the first few thousand turns: the oldest
		// reply's element and copy take the new one rather than being
		// dropped for a new allocation each turn. No one else holds them
		// (cached returns a copy).
		old := c.order.Back()
		cp := old.Value.(*assistant.Reply)
		oldID := cp.TurnID
		*cp = *rep
		c.order.MoveToFront(old)
		c.byTurn[rep.TurnID] = old
		delete(c.byTurn, oldID) // after, as when the oldest was removed after the push
		return nil
	}
	cp := *rep
	c.byTurn[rep.TurnID] = c.order.PushFront(&cp)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byTurn, old.Value.(*assistant.Reply).TurnID)
	}
	return nil
}

func (c *ConvoConversations) cached(turnID int64) (assistant.Reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byTurn[turnID]
	if !ok {
		return assistant.Reply{}, false
	}
	return *e.Value.(*assistant.Reply), true
}

// Conversation reads a conversation back, with staff replies.
func (c *ConvoConversations) Conversation(ctx context.Context, id string) (Conversation, error) {
	_, turns, err := c.store.Conversation(ctx, id)
	if errors.Is(err, convo.ErrNotFound) {
		return Conversation{}, fmt.Errorf("conversation %q: %w", id, ErrNoConversation)
	}
	if err != nil {
		return Conversation{}, err
	}
	out := Conversation{ID: id}
	names := map[string]string{}
	for _, t := range turns {
		rep, ok := c.cached(t.ID)
		if !ok {
			rep = assistant.Reply{ConversationID: id, TurnID: t.ID, Status: assistant.Status(t.Status),
				Answer: t.Answer, Aspect: assistant.Aspect(t.Aspect), Generated: t.Generated}
			for _, item := range t.ItemIDs {
				if _, seen := names[item]; !seen {
					if rec, err := c.kb.Item(ctx, item); err == nil {
						names[item] = rec.Item.Name
					} else {
						names[item] = item
					}
				}
				rep.Citations = append(rep.Citations, assistant.Citation{ID: item, Name: names[item]})
			}
		}
		turn := Turn{ID: t.ID, At: t.CreatedAt.Time, Message: t.Question, Reply: rep}
		if t.Feedback != nil {
			turn.Feedback = t.Feedback.Score
		}
		out.Turns = append(out.Turns, turn)
	}
	hs, _, err := c.store.Handoffs(ctx, convo.HandoffFilter{ConversationID: id}, convo.Page{Limit: 20})
	if err != nil {
		return Conversation{}, err
	}
	for _, h := range hs {
		out.HandoffState = string(h.State)
		for _, r := range h.Replies {
			out.StaffReplies = append(out.StaffReplies, StaffReply{At: r.CreatedAt.Time, Body: r.Body})
		}
	}
	return out, nil
}

// AddFeedback records a 好差评 rating.
func (c *ConvoConversations) AddFeedback(ctx context.Context, f Feedback) error {
	if err := f.Validate(); err != nil {
		return err
	}
	_, err := c.store.SetFeedback(ctx, f.ConversationID, f.TurnID, f.Score, f.Comment)
	switch {
	case errors.Is(err, convo.ErrNotFound):
		return fmt.Errorf("turn %d: %w", f.TurnID, ErrNoConversation)
	case errors.Is(err, convo.ErrRated):
		return fmt.Errorf("turn %d: %w", f.TurnID, ErrRated)
	case errors.Is(err, convo.ErrInput):
		return fmt.Errorf("%w: %w", errBadRating, err)
	}
	return err
}
