package web

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// ErrNoConversation is returned for an unknown conversation or turn.
var ErrNoConversation = errors.New("no such conversation")

// ErrRated is returned for a second rating of the same answer.
var ErrRated = refusal.Clash("web", "rated", "您已评价过这条回答，感谢您的反馈。")

// Turn is one message and its reply, as shown back to the resident.
type Turn struct {
	ID       int64           `json:"turn_id"`
	At       time.Time       `json:"at"`
	Message  string          `json:"message"` // as stored: personal data masked
	Reply    assistant.Reply `json:"reply"`
	Feedback convo.Score     `json:"feedback,omitempty"` // 0 when not rated
}

// Conversation is a resident's dialogue.
type Conversation struct {
	ID    string `json:"conversation_id"`
	Turns []Turn `json:"turns"`
	// Staff replies to the resident after a handoff (转人工), oldest first.
	StaffReplies []StaffReply `json:"staff_replies"`
	// HandoffState is the ticket's state (open, claimed, closed) or "".
	HandoffState string `json:"handoff_state,omitempty"`
}

// StaffReply is a staff member's message to the resident.
type StaffReply struct {
	At   time.Time `json:"at"`
	Body string    `json:"body"`
}

// Feedback is a 好差评 rating of one answer, as the page's form and the
// API send it: the same fields, the same scale (convo.Score, 1 非常不满意
// … 5 非常满意, as stored), the same checks.
type Feedback struct {
	ConversationID string      `json:"conversation_id" form:"conversation_id"`
	TurnID         int64       `json:"turn_id" form:"turn_id"`
	Score          convo.Score `json:"score" form:"score"`
	Comment        string      `json:"comment,omitempty" form:"comment"`
}

// maxComment is the longest comment residents may add to a rating.
const maxComment = 500

// Validate checks the rating.
func (f Feedback) Validate() error {
	switch {
	case f.ConversationID == "":
		return errNoConvID
	case f.TurnID <= 0:
		return errNoTurnID
	case !f.Score.Valid():
		return errBadScore
	case utf8.RuneCountInString(f.Comment) > maxComment:
		return errLongComment
	}
	return nil
}

// What a rating can be refused for.
var (
	errNoConvID    = refusal.Bad("web", "no_conversation_id", "缺少 conversation_id")
	errNoTurnID    = refusal.Bad("web", "no_turn_id", "缺少 turn_id")
	errBadScore    = refusal.Bad("web", "bad_score", "评价须为 1 到 5 分")
	errLongComment = refusal.Bad("web", "long_comment", fmt.Sprintf("评价内容不能超过 %d 字", maxComment))
	errBadRating   = refusal.Bad("web", "bad_rating", "评价无效")
)

// Conversations is where transcripts are read back and feedback goes.
// The assistant records turns as it answers; this is the web's view.
type Conversations interface {
	Conversation(ctx context.Context, id string) (Conversation, error)
	AddFeedback(ctx context.Context, f Feedback) error
}
