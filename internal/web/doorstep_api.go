package web

// The residents' door-to-door API (/api/v1/doorstep).

import (
	"errors"
	"net/http"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
)

// hideNumber answers the API's lookup by number and phone the same
// whether the number exists or the phone is wrong.
func hideNumber(err error) error {
	if errors.Is(err, doorstep.ErrPhoneMismatch) {
		return doorstep.ErrNotFound
	}
	return err
}

func (s *Server) apiDoorstepCatalogue(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.cfg.Doorstep.Catalogue(r.Context(), false)
	if err != nil {
		return hideNumber(err)
	}
	if groups == nil {
		groups = []doorstep.ThemeGroup{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"themes": groups})
	return nil
}

func (s *Server) apiDoorstepSubmit(w http.ResponseWriter, r *http.Request) error {
	var in doorstepRequest
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	req, err := s.submitDoorstep(r.Context(), in, "api")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, publicRequest(req))
	return nil
}

func (s *Server) apiDoorstepLookup(w http.ResponseWriter, r *http.Request) error {
	var in struct{ Number, Phone string }
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	req, err := s.cfg.Doorstep.Lookup(r.Context(), in.Number, in.Phone)
	if err != nil {
		return hideNumber(err)
	}
	writeJSON(w, http.StatusOK, publicRequest(req))
	return nil
}

// publicRequest is what an applicant sees of their request.
func publicRequest(q doorstep.Request) map[string]any {
	return map[string]any{"number": q.Number, "status": q.Status, "status_label": q.Status.Label(), "item_id": q.ItemID,
		"item_name": q.ItemName, "street": q.Street, "address": q.Address, "phone": q.Phone, "preferred": q.Preferred,
		"reason": q.Reason, "created_at": q.CreatedAt, "updated_at": q.UpdatedAt}
}
