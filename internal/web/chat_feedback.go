package web

// Residents' ratings of an answer (好差评), from the page's form, its script
// and the API, through one core (rate).

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request) error {
	var f Feedback
	err := decodeForm(r, &f)
	if err == nil {
		err = s.rate(r, f, "")
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": "感谢您的评价！"})
		return nil
	}
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		http.Redirect(w, r, s.chatURL(f.ConversationID, "", err), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, s.chatURL(f.ConversationID, fmt.Sprintf("t%d", f.TurnID), nil), http.StatusSeeOther)
	return nil
}

// rate is the one core of a resident's rating (好差评), from the page's
// form, its script and the API: checked, the answer the caller's to rate,
// recorded and counted. token is the API's capability ("" on the page,
// which holds it in a cookie).
func (s *Server) rate(r *http.Request, f Feedback, token string) error {
	f.Comment = strings.TrimSpace(f.Comment)
	if err := f.Validate(); err != nil {
		return err
	}
	if !s.ownsConversation(r, f.ConversationID, token) {
		return fmt.Errorf("conversation %q not the caller's: %w", f.ConversationID, errNoRated)
	}
	err := s.cfg.Conversations.AddFeedback(r.Context(), f)
	if errors.Is(err, ErrNoConversation) {
		return fmt.Errorf("%w: %w", errNoRated, err)
	}
	if err != nil {
		return err
	}
	s.metrics.feedback[f.Score].Add(1)
	return nil
}
