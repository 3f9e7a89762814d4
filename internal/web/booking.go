package web

import (
	"errors"
	"fmt"
	"html/template"
	"math"
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

func (s *Server) bookingSubmit(w http.ResponseWriter, r *http.Request) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	b, err := s.cfg.Booking.Book(r.Context(), booking.Request{HallID: f("hall"), ItemID: f("item"), Day: f("day"), Start: f("start"),
		Name: f("name"), Mobile: f("mobile"), IDNumber: f("id_number"), Channel: "web"})
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		st, msg := explain(err)
		return s.renderBooking(w, r, st, f("item"), f("hall"), f("day"), "", "预约没有成功："+msg)
	}
	http.Redirect(w, r, "/booking/lookup?"+url.Values{"code": {b.Code}, "m": {lastFour(f("mobile"))}, "new": {"1"}}.Encode(), http.StatusSeeOther)
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

// API.

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

type apiBookRequest struct {
	HallID   string `json:"hall_id"`
	ItemID   string `json:"item_id"`
	Day      string `json:"day"`
	Start    string `json:"start"`
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
	IDNumber string `json:"id_number"`
}

func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) error {
	var in apiBookRequest
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.cfg.Booking.Book(r.Context(), booking.Request{HallID: in.HallID, ItemID: in.ItemID, Day: in.Day, Start: in.Start,
		Name: in.Name, Mobile: in.Mobile, IDNumber: in.IDNumber, Channel: "api"})
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

// Staff.

type adminBookingData struct {
	Halls    []kb.Hall
	Hall     kb.Hall // zero when AllHalls
	AllHalls bool    // every hall's bookings: ?hall=all
	HallName map[string]string
	Day      string
	Windows  []booking.Window
	Window   int64
	List     []booking.Booking
	Schedule booking.HallSchedule
	Revealed map[string]booking.Contact
	Stats    booking.Stats
	Chart    template.HTML
}

func (s *Server) adminBooking(w http.ResponseWriter, r *http.Request) error {
	return s.renderAdminBooking(w, r, nil)
}

func (s *Server) renderAdminBooking(w http.ResponseWriter, r *http.Request, revealed map[string]booking.Contact) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := adminBookingData{Day: q.Get("day"), Revealed: revealed}
	if d.Day == "" {
		d.Day = s.cfg.Booking.Today()
	}
	hs, err := s.cfg.KB.Halls(ctx)
	if err != nil {
		return unavailable("读取服务大厅失败", err)
	}
	d.Halls, d.HallName = hs, map[string]string{}
	hallID := q.Get("hall")
	if hallID == "" && len(hs) > 0 {
		hallID = hs[0].ID
	}
	for _, h := range hs {
		d.HallName[h.ID] = h.Name
		if h.ID == hallID {
			d.Hall = h
		}
	}
	if hallID == "all" {
		// Every hall's day list: no one window, schedule or hall filter.
		d.AllHalls, hallID = true, ""
		d.List, err = s.cfg.Booking.DayList(ctx, "", d.Day, 0)
	} else {
		fmt.Sscan(q.Get("window"), &d.Window)
		if d.Windows, err = s.cfg.Booking.Windows(ctx, hallID); err == nil {
			d.List, err = s.cfg.Booking.DayList(ctx, hallID, d.Day, d.Window)
		}
		d.Schedule, _ = s.cfg.Booking.HallSchedule(ctx, hallID)
	}
	if err != nil {
		return unavailable("读取预约失败", err)
	}
	today := s.cfg.Now().In(s.cfg.Booking.Location())
	from, to := today.AddDate(0, 0, -29).Format(booking.DayLayout), today.AddDate(0, 0, s.cfg.Booking.HorizonDays()).Format(booking.DayLayout)
	if d.Stats, err = s.cfg.Booking.Stats(ctx, from, to, hallID); err == nil {
		d.Chart = bookingChart(fillDays(from, to, d.Stats.ByDay))
	}
	p := s.consolePage(r, "booking", "预约管理", d)
	s.render(w, r, http.StatusOK, "admin_booking.html", p)
	return nil
}

func (s *Server) adminBookingAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code, action := r.PathValue("code"), r.PathValue("action")
	u := currentUser(r)
	actor := ""
	if u != nil {
		actor = u.Username
	}
	var err error
	var done string // the notice's code
	switch action {
	case "checkin":
		_, err = s.cfg.Booking.CheckIn(ctx, code, actor)
		done = "booking.checked_in"
	case "noshow":
		_, err = s.cfg.Booking.MarkNoShow(ctx, code, actor)
		done = "booking.no_show"
	case "cancel":
		_, err = s.cfg.Booking.Cancel(ctx, code, actor, strings.TrimSpace(r.PostFormValue("reason")))
		done = "booking.cancelled"
	case "reveal":
		purpose := strings.TrimSpace(r.PostFormValue("purpose"))
		if purpose == "" {
			purpose = "工作人员联系办事人"
		}
		var c booking.Contact
		c, err = s.cfg.Booking.Reveal(ctx, code, actor, purpose)
		if err == nil {
			s.audit(r, nil, "booking.reveal", "booking:"+code, map[string]any{"purpose": purpose})
			r.URL.RawQuery = url.Values{"hall": {r.PostFormValue("hall")}, "day": {r.PostFormValue("day")}}.Encode()
			return s.renderAdminBooking(w, r, map[string]booking.Contact{booking.NormalizeCode(code): c})
		}
	default:
		return errNoAction
	}
	backPath := "/admin/booking?" + url.Values{"hall": {r.PostFormValue("hall")}, "day": {r.PostFormValue("day")}}.Encode()
	if err != nil {
		return s.backRefused(w, r, backPath, err)
	}
	s.audit(r, nil, "booking."+action, "booking:"+code, nil)
	s.back(w, r, backPath, done, code)
	return nil
}

// fillDays lists every day of [from, to] with its counts (zero when
// nobody booked), so that the chart's bars keep their width and place.
func fillDays(from, to string, counts []booking.Count) []booking.Count {
	by := map[string]booking.Count{}
	for _, c := range counts {
		by[c.Key] = c
	}
	f, err1 := time.Parse(booking.DayLayout, from)
	t, err2 := time.Parse(booking.DayLayout, to)
	if err1 != nil || err2 != nil || t.Before(f) || t.Sub(f) > 400*24*time.Hour {
		return counts
	}
	var out []booking.Count
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		k := d.Format(booking.DayLayout)
		c, ok := by[k]
		if !ok {
			c = booking.Count{Key: k, Label: k}
		}
		out = append(out, c)
	}
	return out
}

// bookingChart draws bookings per day, stacked by outcome, as inline SVG.
func bookingChart(days []booking.Count) template.HTML {
	const w, h, left, right, top, bottom = 900.0, 220.0, 36.0, 12.0, 16.0, 36.0
	n := len(days)
	if n == 0 {
		return ""
	}
	maxTotal := 1
	for _, d := range days {
		maxTotal = max(maxTotal, d.Total)
	}
	scale := math.Pow(10, math.Ceil(math.Log10(float64(maxTotal))))
	for _, f := range []float64{0.2, 0.5} {
		if scale*f >= float64(maxTotal) {
			scale *= f
			break
		}
	}
	scale = math.Max(scale, 4) // four grid lines at whole numbers
	plotW, plotH := w-left-right, h-top-bottom
	slot := plotW / float64(n)
	barW := math.Max(2, slot*0.7)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="每日预约量" xmlns="http://www.w3.org/2000/svg">`, w, h)
	for i := 0; i <= 4; i++ {
		y := top + plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d9dee6"/>`, left, y, w-right, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#5b6573">%g</text>`, left-4, y+4, scale*float64(4-i)/4)
	}
	parts := []struct {
		label, colour string
		get           func(booking.Count) int
	}{
		{"已签到", "#1c7c3a", func(c booking.Count) int { return c.CheckedIn }},
		{"待办", "#0b5cab", func(c booking.Count) int { return c.Booked }},
		{"未到", "#e07a1f", func(c booking.Count) int { return c.NoShow }},
		{"已取消", "#b8c0cc", func(c booking.Count) int { return c.Cancelled }},
	}
	every := max(1, n/10)
	for i, d := range days {
		x := left + slot*float64(i) + (slot-barW)/2
		y := top + plotH
		for _, p := range parts {
			v := p.get(d)
			if v == 0 {
				continue
			}
			hgt := plotH * float64(v) / scale
			y -= hgt
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s：%d</title></rect>`, x, y, barW, hgt, p.colour, d.Key, p.label, v)
		}
		if i%every == 0 && len(d.Key) >= 10 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#5b6573">%s</text>`, x+barW/2, h-bottom+16, d.Key[5:])
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers, dates and fixed labels only
}
