package web

// The residents' appointment API (/api/v1/booking, /api/v1/bookings).

import (
	"net/http"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

func (s *Server) apiBookingHalls(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.cfg.Booking.HallsFor(r.Context(), r.URL.Query().Get("item"))
	if err != nil {
		return err
	}
	halls := s.hallByID(r)
	out := []kb.Hall{}
	for _, id := range ids {
		if h, ok := halls[id]; ok {
			out = append(out, h)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"halls": out})
	return nil
}

func (s *Server) apiBookingDays(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	days, err := s.cfg.Booking.Days(r.Context(), q.Get("hall"), q.Get("item"))
	if err != nil {
		return err
	}
	if days == nil {
		days = []booking.DayInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"days": days, "horizon_days": s.cfg.Booking.HorizonDays()})
	return nil
}

func (s *Server) apiBookingSlots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	slots, err := s.cfg.Booking.Slots(r.Context(), q.Get("hall"), q.Get("item"), q.Get("day"))
	if err != nil {
		return err
	}
	if slots == nil {
		slots = []booking.SlotInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"slots": slots})
	return nil
}

func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) error {
	var in bookingRequest
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.book(r.Context(), in, "api")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b.Public())
	return nil
}

func (s *Server) apiBookingGet(w http.ResponseWriter, r *http.Request) error {
	b, err := s.verifiedBooking(r, r.PathValue("code"), r.URL.Query().Get("mobile_last4"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b.Public())
	return nil
}

func (s *Server) apiBookingCancel(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason      string `json:"reason"`
		MobileLast4 string `json:"mobile_last4"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := s.verifiedBooking(r, r.PathValue("code"), in.MobileLast4); err != nil {
		return err
	}
	b, err := s.cfg.Booking.Cancel(r.Context(), r.PathValue("code"), "", in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b.Public())
	return nil
}

func (s *Server) apiBookingReschedule(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Day         string `json:"day"`
		Start       string `json:"start"`
		MobileLast4 string `json:"mobile_last4"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := s.verifiedBooking(r, r.PathValue("code"), in.MobileLast4); err != nil {
		return err
	}
	b, err := s.cfg.Booking.Reschedule(r.Context(), r.PathValue("code"), in.Day, in.Start, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b.Public())
	return nil
}
