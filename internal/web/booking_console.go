package web

// The console's appointments: the day list per hall and window, check-in,
// no-show, cancel, revealing a contact (recorded), statistics.

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

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
