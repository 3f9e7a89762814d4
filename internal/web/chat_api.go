package web

// The residents' chat API (/api/v1): a message answered as JSON or
// streamed, a conversation read back with its capability, a rating, a
// recording transcribed.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
)

// apiReply is the JSON API's answer (issue 3: conversation_id, status,
// answer, citations, route, suggestions; plus turn_id for feedback and
// the AI label flag).
type apiReply struct {
	ConversationID string `json:"conversation_id"`
	// ConversationToken is the capability to continue and read the
	// conversation (X-Conversation-Token); only the reply to a chat
	// message carries it.
	ConversationToken string               `json:"conversation_token,omitempty"`
	TurnID            int64                `json:"turn_id"`
	Status            assistant.Status     `json:"status"`
	Answer            string               `json:"answer"`
	Citations         []assistant.Citation `json:"citations"`
	Route             *assistant.Route     `json:"route"`
	Suggestions       []string             `json:"suggestions"`
	Generated         bool                 `json:"generated"`
	HandoffID         int64                `json:"handoff_id,omitempty"`
	Notice            string               `json:"notice,omitempty"`
	// Report leads to a form filing what the resident reported (a tree
	// problem), prefilled: a path on this server.
	Report *assistant.ReportCard `json:"report,omitempty"`
}

func toAPI(rep assistant.Reply) apiReply {
	out := apiReply{ConversationID: rep.ConversationID, TurnID: rep.TurnID, Status: rep.Status, Answer: rep.Answer,
		Citations: rep.Citations, Route: rep.Route, Suggestions: rep.Suggestions, Generated: rep.Generated,
		HandoffID: rep.HandoffID, Notice: rep.Notice, Report: rep.Report}
	if out.Citations == nil {
		out.Citations = []assistant.Citation{}
	}
	if out.Suggestions == nil {
		out.Suggestions = []string{}
	}
	return out
}

// toAPIWithToken is toAPI plus the conversation's capability; tok is
// conversation id's, computed for the request (turnRequest).
func (s *Server) toAPIWithToken(rep assistant.Reply, id, tok string) apiReply {
	out := toAPI(rep)
	if rep.ConversationID != id {
		tok = s.convs.token(rep.ConversationID)
	}
	out.ConversationToken = tok
	return out
}

// chatBody is the JSON body of a chat message sent to the API.
type chatBody struct {
	ConversationID    string `json:"conversation_id"`
	ConversationToken string `json:"conversation_token"`
	Message           string `json:"message"`
}

// readChat is turnRequest for the API's JSON body.
func (s *Server) readChat(w http.ResponseWriter, r *http.Request) (assistant.Request, string, error) {
	var in chatBody
	if err := decodeJSONBody(r, &in); err != nil {
		return assistant.Request{}, "", fmt.Errorf("%w: %v", errBadJSON, err)
	}
	if len(in.ConversationID) > 100 {
		if _, err := checkMessage(in.Message); err != nil {
			return assistant.Request{}, "", err // the message is checked first, as it always was
		}
		return assistant.Request{}, "", errBadConvID
	}
	return s.turnRequest(w, r, in.ConversationID, in.ConversationToken, in.Message, "api")
}

// apiChat answers one message; with "Accept: text/event-stream" it streams
// like /api/v1/chat/stream.
func (s *Server) apiChat(w http.ResponseWriter, r *http.Request) error {
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return s.apiChatStream(w, r)
	}
	req, tok, err := s.readChat(w, r) // a browser calling the API holds the conversation like the page does
	if err != nil {
		return err
	}
	rep, err := s.turn(r.Context(), req, nil)
	if err != nil {
		code, msg := turnError(err)
		writeJSONError(w, code, msg)
		return nil
	}
	writeJSON(w, http.StatusOK, s.toAPIWithToken(rep, req.ConversationID, tok))
	return nil
}

// apiChatStream streams "delta" events ({"text"}) and ends with one
// "reply" event holding the same object /api/v1/chat returns (or "error").
func (s *Server) apiChatStream(w http.ResponseWriter, r *http.Request) error {
	req, tok, err := s.readChat(w, r)
	if err != nil {
		return err
	}
	ev := startSSE(w)
	rep, err := s.turn(r.Context(), req, ev)
	if err != nil {
		_, msg := turnError(err)
		ev.send("error", apiError{Error: msg})
		return nil
	}
	ev.send("reply", s.toAPIWithToken(rep, req.ConversationID, tok))
	return nil
}

type apiTurn struct {
	TurnID   int64       `json:"turn_id"`
	At       time.Time   `json:"at"`
	Message  string      `json:"message"`
	Reply    apiReply    `json:"reply"`
	Feedback convo.Score `json:"feedback,omitempty"`
}

func (s *Server) apiConversation(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !s.ownsConversation(r, id, "") {
		return errConvGone // the same answer as for an unknown id: a guess learns nothing
	}
	c, err := s.cfg.Conversations.Conversation(r.Context(), id)
	if errors.Is(err, ErrNoConversation) {
		return errConvGone
	}
	if err != nil {
		return unavailable(serviceBusy, err)
	}
	out := struct {
		ConversationID string       `json:"conversation_id"`
		Turns          []apiTurn    `json:"turns"`
		StaffReplies   []StaffReply `json:"staff_replies"`
		HandoffState   string       `json:"handoff_state,omitempty"`
	}{ConversationID: c.ID, Turns: []apiTurn{}, StaffReplies: c.StaffReplies, HandoffState: c.HandoffState}
	if out.StaffReplies == nil {
		out.StaffReplies = []StaffReply{}
	}
	for _, t := range c.Turns {
		out.Turns = append(out.Turns, apiTurn{TurnID: t.ID, At: t.At, Message: t.Message, Reply: toAPI(t.Reply), Feedback: t.Feedback})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiFeedback(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Feedback
		ConversationToken string `json:"conversation_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	if err := s.rate(r, in.Feedback, in.ConversationToken); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": "感谢您的评价！"})
	return nil
}

// apiTranscribe turns a recording (multipart field "audio") into text.
func (s *Server) apiTranscribe(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Transcriber == nil {
		return errNoVoice
	}
	f, hdr, err := r.FormFile("audio")
	if err != nil {
		return fmt.Errorf("%w: %v", errNoRecording, err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	text, err := s.cfg.Transcriber.Transcribe(ctx, f, hdr.Filename, hdr.Header.Get("Content-Type"))
	if err != nil {
		return upstream("语音识别暂时不可用，请改用文字输入。", fmt.Errorf("transcribe: %w", err))
	}
	writeJSON(w, http.StatusOK, map[string]string{"text": text})
	return nil
}
