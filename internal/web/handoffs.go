package web

// The queue of conversations handed to a person (转人工工单).

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/fuwu-gov/fuwu/internal/convo"
)

type handoffsData struct {
	List  []convo.Handoff
	Total int
	All   bool
}

func (s *Server) handoffsPage(w http.ResponseWriter, r *http.Request) error {
	all := r.URL.Query().Get("all") == "1"
	var list []convo.Handoff
	var total int
	var err error
	if all {
		list, total, err = s.cfg.Convo.Handoffs(r.Context(), convo.HandoffFilter{}, convo.Page{Limit: 200})
	} else {
		list, total, err = s.cfg.Convo.Queue(r.Context(), convo.Page{Limit: 200})
	}
	p := s.consolePage(r, "handoffs", "转人工工单", handoffsData{List: list, Total: total, All: all})
	if err != nil {
		p.Error = "查询失败：" + s.problem(r, err)
	}
	s.render(w, r, http.StatusOK, "handoffs.html", p)
	return nil
}

func (s *Server) handoffByPath(r *http.Request) (convo.Handoff, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		return convo.Handoff{}, errNoHandoff
	}
	h, err := s.cfg.Convo.Handoff(r.Context(), id)
	if errors.Is(err, convo.ErrNotFound) {
		return h, errNoHandoff
	}
	if err != nil {
		return h, unavailable("暂时无法读取工单。", err)
	}
	return h, nil
}

func (s *Server) handoffPage(w http.ResponseWriter, r *http.Request) error {
	h, err := s.handoffByPath(r)
	if err != nil {
		return err
	}
	p := s.consolePage(r, "handoffs", fmt.Sprintf("工单 #%d", h.ID), h)
	s.audit(r, nil, "convo.read", "conversation:"+h.ConversationID, map[string]any{"handoff": h.ID})
	s.render(w, r, http.StatusOK, "handoff.html", p)
	return nil
}

// handoffAction claims, replies to or closes a ticket.
func (s *Server) handoffAction(w http.ResponseWriter, r *http.Request) error {
	h, err := s.handoffByPath(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	ctx := r.Context()
	var done string // the notice
	action := r.PathValue("action")
	switch action {
	case "claim":
		_, err = s.cfg.Convo.ClaimHandoff(ctx, h.ID, u.Username)
		done = "handoff.claimed"
	case "reply":
		_, err = s.cfg.Convo.ReplyHandoff(ctx, h.ID, u.Username, r.FormValue("body"))
		done = "handoff.replied"
	case "close":
		_, err = s.cfg.Convo.CloseHandoff(ctx, h.ID, u.Username)
		done = "handoff.closed"
	default:
		return errNoStep
	}
	path := fmt.Sprintf("/admin/handoffs/%d", h.ID)
	switch {
	case errors.Is(err, convo.ErrState):
		err = errHandoffState
	case errors.Is(err, convo.ErrInput):
		err = errHandoffEmpty
	}
	if err != nil {
		return s.backRefused(w, r, path, err)
	}
	s.audit(r, nil, "handoff."+action, fmt.Sprintf("handoff:%d", h.ID), nil)
	s.back(w, r, path, done)
	return nil
}
