package web

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// ErrNoConversation is returned for an unknown conversation or turn.
var ErrNoConversation = errors.New("no such conversation")

// Turn is one message and its reply, as shown back to the resident.
type Turn struct {
	ID       int64           `json:"turn_id"`
	At       time.Time       `json:"at"`
	Message  string          `json:"message"` // as stored: personal data masked
	Reply    assistant.Reply `json:"reply"`
	Feedback int             `json:"feedback,omitempty"` // 1–5, 0 when none
}

// Conversation is a resident's dialogue.
type Conversation struct {
	ID    string `json:"conversation_id"`
	Turns []Turn `json:"turns"`
}

// Feedback is a 好差评 rating of one answer.
type Feedback struct {
	ConversationID string `json:"conversation_id"`
	TurnID         int64  `json:"turn_id"`
	Score          int    `json:"score"` // 1 非常不满意 … 5 非常满意
	Comment        string `json:"comment,omitempty"`
}

// Validate checks the rating.
func (f Feedback) Validate() error {
	switch {
	case f.ConversationID == "":
		return errors.New("缺少 conversation_id")
	case f.TurnID <= 0:
		return errors.New("缺少 turn_id")
	case f.Score < 1 || f.Score > 5:
		return errors.New("评价须为 1 到 5 分")
	case len([]rune(f.Comment)) > 500:
		return errors.New("评价内容不能超过 500 字")
	}
	return nil
}

// ScoreLabels are the five 好差评 levels, index = score.
var ScoreLabels = [6]string{"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"}

// Conversations is where transcripts are read back and feedback goes.
// The assistant records turns as it answers; this is the web's view.
type Conversations interface {
	Conversation(ctx context.Context, id string) (Conversation, error)
	AddFeedback(ctx context.Context, f Feedback) error
}

// MemoryConversations keeps the most recent conversations in memory. Wrap
// the assistant with Record so that what it answers is kept. It serves a
// single replica until conversations are persisted in the database; a
// restart forgets them.
type MemoryConversations struct {
	max  int
	mask func(string) string

	mu    sync.Mutex
	order *list.List // most recent at the front; values are *Conversation
	byID  map[string]*list.Element
}

// NewMemoryConversations keeps up to max conversations (oldest dropped).
// mask hides personal data in the messages kept (nil keeps them as typed).
func NewMemoryConversations(max int, mask func(string) string) *MemoryConversations {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	return &MemoryConversations{max: max, mask: mask, order: list.New(), byID: map[string]*list.Element{}}
}

// Conversation returns a copy of a conversation.
func (m *MemoryConversations) Conversation(ctx context.Context, id string) (Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[id]
	if !ok {
		return Conversation{}, fmt.Errorf("conversation %q: %w", id, ErrNoConversation)
	}
	c := e.Value.(*Conversation)
	return Conversation{ID: c.ID, Turns: append([]Turn(nil), c.Turns...)}, nil
}

// AddFeedback rates a turn; a later rating replaces an earlier one.
func (m *MemoryConversations) AddFeedback(ctx context.Context, f Feedback) error {
	if err := f.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[f.ConversationID]
	if !ok {
		return fmt.Errorf("conversation %q: %w", f.ConversationID, ErrNoConversation)
	}
	c := e.Value.(*Conversation)
	for i := range c.Turns {
		if c.Turns[i].ID == f.TurnID {
			c.Turns[i].Feedback = f.Score
			return nil
		}
	}
	return fmt.Errorf("turn %d: %w", f.TurnID, ErrNoConversation)
}

func (m *MemoryConversations) add(msg string, rep assistant.Reply) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[rep.ConversationID]
	if ok {
		m.order.MoveToFront(e)
	} else {
		e = m.order.PushFront(&Conversation{ID: rep.ConversationID})
		m.byID[rep.ConversationID] = e
		for m.order.Len() > m.max {
			old := m.order.Back()
			m.order.Remove(old)
			delete(m.byID, old.Value.(*Conversation).ID)
		}
	}
	c := e.Value.(*Conversation)
	c.Turns = append(c.Turns, Turn{ID: rep.TurnID, At: time.Now(), Message: m.mask(msg), Reply: rep})
}

// Record wraps an assistant so that every turn it answers is kept in m.
// Replies without a conversation id or turn id get them here.
func (m *MemoryConversations) Record(svc assistant.Service) assistant.Service {
	return &recorder{svc: svc, m: m}
}

type recorder struct {
	svc assistant.Service
	m   *MemoryConversations
}

func (r *recorder) Ask(ctx context.Context, req assistant.Request) (assistant.Reply, error) {
	rep, err := r.svc.Ask(ctx, req)
	if err == nil {
		r.keep(req, &rep)
	}
	return rep, err
}

func (r *recorder) Stream(ctx context.Context, req assistant.Request, onDelta func(string)) (assistant.Reply, error) {
	rep, err := r.svc.Stream(ctx, req, onDelta)
	if err == nil {
		r.keep(req, &rep)
	}
	return rep, err
}

func (r *recorder) keep(req assistant.Request, rep *assistant.Reply) {
	if rep.ConversationID == "" {
		rep.ConversationID = req.ConversationID
	}
	if rep.ConversationID == "" {
		rep.ConversationID = newID()
	}
	if rep.TurnID == 0 {
		c, err := r.m.Conversation(context.Background(), rep.ConversationID)
		if err == nil {
			rep.TurnID = int64(len(c.Turns) + 1)
		} else {
			rep.TurnID = 1
		}
	}
	r.m.add(req.Message, *rep)
}
