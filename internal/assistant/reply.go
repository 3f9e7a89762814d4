// Package assistant is the citizen assistant (AI 福务管家): one dialogue
// turn as a pipeline — input guard → resolve → decide → compose → output
// guard → record — answering only from the knowledge base.
package assistant

import (
	"context"
	"strings"
)

// Status is the typed outcome of a turn.
type Status string

const (
	Answered   Status = "answered"
	Clarify    Status = "clarify"      // candidates too close: ask which one
	OutOfScope Status = "out_of_scope" // not a government-service question, or not in the catalogue
	Handoff    Status = "handoff"      // a person takes over
)

// Aspect is what the resident wants to know about an item.
type Aspect string

const (
	Overview    Aspect = "overview"
	Conditions  Aspect = "conditions"
	Materials   Aspect = "materials"
	Process     Aspect = "process"
	TimeLimit   Aspect = "time_limit"
	Fee         Aspect = "fee"
	Location    Aspect = "location"
	Online      Aspect = "online"
	Appointment Aspect = "appointment"
	Contact     Aspect = "contact"
	LegalBasis  Aspect = "legal_basis"
)

// Request is one message from a resident.
type Request struct {
	ConversationID string `json:"conversation_id,omitempty"`
	Message        string `json:"message"`
	Channel        string `json:"-"` // web, api, cli, eval
	// NewConversation says the caller issued ConversationID itself (the web
	// binds a fresh id to the resident before the answer streams, and holds
	// the capability for older ones). Without it an id the assistant does
	// not know starts a new conversation under an id of its own: a client
	// can never choose a conversation's id.
	NewConversation bool `json:"-"`
	// Fresh says ConversationID was issued for this request (with
	// NewConversation): no state can be stored under it yet, so none is
	// looked up.
	Fresh bool `json:"-"`
}

// Citation names a knowledge-base item an answer is drawn from.
type Citation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Route is where the resident goes next: online (the knowledge base's own
// link) or offline (halls with address, hours and appointment link).
type Route struct {
	Mode        string      `json:"mode"` // "online" or "offline"
	ItemID      string      `json:"item_id"`
	OnlineURL   string      `json:"online_url,omitempty"`
	OnlineDepth string      `json:"online_depth,omitempty"` // 全程网办 / 一次到场 / 需到现场
	Appointment bool        `json:"appointment"`            // halls take appointments for this item
	Doorstep    bool        `json:"doorstep"`               // offered by door-to-door service
	Halls       []RouteHall `json:"halls,omitempty"`
}

// RouteHall is a hall as shown with an answer.
type RouteHall struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Address        string `json:"address"`
	Hours          string `json:"hours"`
	Phone          string `json:"phone"`
	AppointmentURL string `json:"appointment_url,omitempty"`
}

// Reply is the assistant's answer to one message.
type Reply struct {
	ConversationID string     `json:"conversation_id"`
	TurnID         int64      `json:"turn_id"`
	Status         Status     `json:"status"`
	Answer         string     `json:"answer"`
	Citations      []Citation `json:"citations"`
	Route          *Route     `json:"route"`
	Suggestions    []string   `json:"suggestions"`
	Aspect         Aspect     `json:"aspect,omitempty"`
	// Report leads to a form that files what the resident reported (a
	// tree problem), prefilled.
	Report *ReportCard `json:"report,omitempty"`
	// Candidates are the item ids retrieval ranked, best first (for
	// evaluation and for staff reviewing the turn).
	Candidates []string `json:"candidates,omitempty"`
	// Generated is true when a model wrote the answer; it then carries the
	// explicit AI label.
	Generated bool   `json:"generated"`
	HandoffID int64  `json:"handoff_id,omitempty"`
	Notice    string `json:"notice,omitempty"` // e.g. the model was unavailable
	// Fallback says why a model answer was replaced by the composed one
	// (model error, timeout, output guard); empty otherwise. For metrics.
	Fallback string `json:"-"`
	// Confidence is how sure an answer taken from the message alone is
	// (0–1); 0 when the answer follows the conversation. For calibration.
	Confidence float64 `json:"-"`

	// What the resident alone may see: secrets in the answer (a booking
	// code, which with the mobile's last four digits changes the booking)
	// are shown once and replaced in the stored transcript, and a step that
	// asked for a name or an address keeps a placeholder as the question.
	secrets     []string
	keptMessage string
}

// redacted is what the transcript keeps of the turn's answer.
func (r *Reply) redacted() string {
	out := r.Answer
	for _, sec := range r.secrets {
		if sec != "" {
			out = strings.ReplaceAll(out, sec, "［已隐去］")
		}
	}
	return out
}

// Service answers residents. Stream calls onDelta with pieces of the answer
// as they are written (model tokens, or the composed answer in chunks) and
// returns the final reply, which is authoritative: a streamed draft that
// fails the output guard is replaced by the final answer.
type Service interface {
	Ask(ctx context.Context, req Request) (Reply, error)
	Stream(ctx context.Context, req Request, onDelta func(string)) (Reply, error)
}
