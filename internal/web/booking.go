package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// errNoItemToBook answers a booking page without a published item.
var errNoItemToBook = refusal.Missing("web", "no_item_to_book", "请先在办事指南中选择要预约的事项。")

type bookingStep struct {
	Item     kb.Item
	Halls    []kb.Hall
	Hall     kb.Hall
	Days     []booking.DayInfo
	Day      string
	Slots    []booking.SlotInfo
	Start    string
	Name     string
	Mobile   string
	Done     *booking.Booking
	Horizon  int
	HallName map[string]string
}

func (s *Server) hallByID(r *http.Request) map[string]kb.Hall {
	out := map[string]kb.Hall{}
	if hs, err := s.cfg.KB.Halls(r.Context()); err == nil {
		for _, h := range hs {
			out[h.ID] = h
		}
	}
	return out
}

// bookingPage walks a resident through an appointment without script:
// item → hall → day → time → name and mobile.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderBooking(w, r, http.StatusOK, q.Get("item"), q.Get("hall"), q.Get("day"), q.Get("start"), "")
}

func (s *Server) renderBooking(w http.ResponseWriter, r *http.Request, status int, itemID, hallID, day, start, problem string) error {
	ctx := r.Context()
	rec, err := s.cfg.KB.Item(ctx, itemID)
	if err != nil && !errors.Is(err, kb.ErrNotFound) {
		return unavailable(kbDown, err)
	}
	if err != nil || rec.Status != kb.Published {
		return errNoItemToBook
	}
	d := bookingStep{Item: rec.Item, Horizon: s.cfg.Booking.HorizonDays()}
	halls := s.hallByID(r)
	ids, err := s.cfg.Booking.HallsFor(ctx, itemID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if h, ok := halls[id]; ok {
			d.Halls = append(d.Halls, h)
		}
	}
	if len(d.Halls) == 1 && hallID == "" {
		hallID = d.Halls[0].ID
	}
	if h, ok := halls[hallID]; ok && slices.Contains(ids, hallID) {
		d.Hall = h
		if d.Days, err = s.cfg.Booking.Days(ctx, hallID, itemID); err != nil {
			problem = s.problem(r, err)
		}
		if day != "" {
			d.Day = day
			if d.Slots, err = s.cfg.Booking.Slots(ctx, hallID, itemID, day); err != nil {
				problem = s.problem(r, err)
				d.Day = ""
			}
		}
		d.Start = start
	}
	p := s.page(r, "预约办理 · "+rec.Item.Name, d)
	p.Error = problem
	s.render(w, r, status, "booking.html", p)
	return nil
}

// bookingRequest is a resident's booking as the page's form and the API
// send it: one struct, the form's names beside the JSON's.
type bookingRequest struct {
	HallID   string `json:"hall_id" form:"hall"`
	ItemID   string `json:"item_id" form:"item"`
	Day      string `json:"day" form:"day"`
	Start    string `json:"start" form:"start"`
	Name     string `json:"name" form:"name"`
	Mobile   string `json:"mobile" form:"mobile"`
	IDNumber string `json:"id_number" form:"id_number"`
}

// book is the one core of a resident's booking, from the page's form
// (channel web) or the API (api); the chat books through the assistant,
// over the same booking service. The service checks everything.
func (s *Server) book(ctx context.Context, in bookingRequest, channel string) (booking.Booking, error) {
	t := strings.TrimSpace
	return s.cfg.Booking.Book(ctx, booking.Request{HallID: t(in.HallID), ItemID: t(in.ItemID), Day: t(in.Day), Start: t(in.Start),
		Name: t(in.Name), Mobile: t(in.Mobile), IDNumber: t(in.IDNumber), Channel: channel})
}

func (s *Server) bookingSubmit(w http.ResponseWriter, r *http.Request) error {
	var in bookingRequest
	err := decodeForm(r, &in)
	var b booking.Booking
	if err == nil {
		b, err = s.book(r.Context(), in, "web")
	}
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		st, msg := explain(err)
		return s.renderBooking(w, r, st, in.ItemID, in.HallID, in.Day, "", "预约没有成功："+msg)
	}
	http.Redirect(w, r, "/booking/lookup?"+url.Values{"code": {b.Code}, "m": {lastFour(in.Mobile)}, "new": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

type bookingView struct {
	Code     string
	Last4    string // the mobile's last four digits, which with the code prove the booking is the resident's
	Booking  *booking.Booking
	Hall     kb.Hall
	New      bool
	Days     []booking.DayInfo
	Day      string
	Slots    []booking.SlotInfo
	CanEdit  bool
	Problems string
}

func (s *Server) bookingLookup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderLookup(w, r, http.StatusOK, q.Get("code"), q.Get("m"), q.Get("day"), q.Get("new") == "1", "", "")
}

// lastFour is the last four digits of a mobile number as typed.
func lastFour(mobile string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, mobile)
	return d[max(0, len(d)-4):]
}

// bookingGuessed counts a resident's attempt to open a booking by code and
// mobile digits, before it is checked; past the limit it returns a
// *tooMany (429). Every attempt counts, right or wrong, so that a correct
// guess cannot reset the count.
func (s *Server) bookingGuessed(r *http.Request) error {
	ok, wait := s.bookingGuard.Take("ip:" + clientIP(r))
	if ok {
		return nil
	}
	return &tooMany{wait: wait, msg: fmt.Sprintf("查询次数过多，请 %d 分钟后再试。如需帮助，请拨打 12345 政务服务便民热线。", int(wait/time.Minute)+1)}
}

func (s *Server) renderLookup(w http.ResponseWriter, r *http.Request, status int, code, last4, day string, isNew bool, flash, problem string) error {
	ctx := r.Context()
	v := bookingView{Code: booking.NormalizeCode(code), Last4: strings.TrimSpace(last4), New: isNew}
	if v.Code != "" {
		if err := s.bookingGuessed(r); err != nil {
			return err
		}
		b, err := s.cfg.Booking.Verify(ctx, v.Code, v.Last4)
		if err != nil {
			if !isRefusal(err) {
				return err
			}
			_, msg := explain(err)
			status, problem = http.StatusNotFound, msg
		} else {
			pb := b.Public()
			v.Booking = &pb
			v.Hall = s.hallByID(r)[b.HallID]
			v.CanEdit = b.Status == booking.Booked
			if v.CanEdit {
				v.Days, _ = s.cfg.Booking.Days(ctx, b.HallID, b.ItemID)
				if day != "" {
					v.Day = day
					v.Slots, _ = s.cfg.Booking.Slots(ctx, b.HallID, b.ItemID, day)
				}
			}
		}
	}
	p := s.page(r, "预约查询", v)
	p.Flash, p.Error = flash, problem
	s.render(w, r, status, "booking_lookup.html", p)
	return nil
}

// verifiedBooking checks a resident's code and mobile digits (rate
// limited).
func (s *Server) verifiedBooking(r *http.Request, code, last4 string) (booking.Booking, error) {
	if err := s.bookingGuessed(r); err != nil {
		return booking.Booking{}, err
	}
	return s.cfg.Booking.Verify(r.Context(), code, last4)
}

// lookupRefused shows the lookup form with why a resident's code and
// digits did not open their booking (404); anything else is returned.
func (s *Server) lookupRefused(w http.ResponseWriter, r *http.Request, code string, err error) error {
	if !isRefusal(err) {
		return err
	}
	_, msg := explain(err)
	p := s.page(r, "预约查询", bookingView{Code: booking.NormalizeCode(code)})
	p.Error = msg
	s.render(w, r, http.StatusNotFound, "booking_lookup.html", p)
	return nil
}

func (s *Server) bookingCancel(w http.ResponseWriter, r *http.Request) error {
	code, last4 := r.PostFormValue("code"), r.PostFormValue("m")
	b, err := s.verifiedBooking(r, code, last4)
	if err != nil {
		return s.lookupRefused(w, r, code, err)
	}
	if _, err := s.cfg.Booking.Cancel(r.Context(), b.Code, "", "居民取消"); err != nil {
		if !isRefusal(err) {
			return err
		}
		st, msg := explain(err)
		return s.renderLookup(w, r, st, code, last4, "", false, "", "取消没有成功："+msg)
	}
	return s.renderLookup(w, r, http.StatusOK, code, last4, "", false, "预约已取消。", "")
}

func (s *Server) bookingReschedule(w http.ResponseWriter, r *http.Request) error {
	code, last4 := r.PostFormValue("code"), r.PostFormValue("m")
	b, err := s.verifiedBooking(r, code, last4)
	if err != nil {
		return s.lookupRefused(w, r, code, err)
	}
	if _, err := s.cfg.Booking.Reschedule(r.Context(), b.Code, r.PostFormValue("day"), r.PostFormValue("start"), ""); err != nil {
		if !isRefusal(err) {
			return err
		}
		st, msg := explain(err)
		return s.renderLookup(w, r, st, code, last4, "", false, "", "改约没有成功："+msg)
	}
	return s.renderLookup(w, r, http.StatusOK, code, last4, "", false, "已改约，预约码不变。", "")
}
