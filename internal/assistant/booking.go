package assistant

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Booker makes appointments and door-to-door requests for the chat. It is
// implemented over the booking and doorstep rooms.
type Booker interface {
	// Days lists days with free slots for an item at a hall, soonest first
	// ("2026-12-01").
	Days(ctx context.Context, hallID, itemID string) ([]string, error)
	// Times lists the free start times on a day ("09:00").
	Times(ctx context.Context, hallID, itemID, day string) ([]string, error)
	// Book makes the appointment and returns its confirmation code. Errors
	// carry a message fit for the resident.
	Book(ctx context.Context, b BookingRequest) (code string, err error)
	// RequestDoorstep files a door-to-door service request and returns its
	// number.
	RequestDoorstep(ctx context.Context, d DoorstepRequest) (number string, err error)
}

// BookingRequest is an appointment to make.
type BookingRequest struct {
	ItemID, HallID, Day, Time string
	Name, Mobile              string // the mobile number unmasked, for the booking only
	ConversationID            string
}

// DoorstepRequest is a door-to-door request from the chat.
type DoorstepRequest struct {
	ItemID, Name, Mobile, Address, Notes string
	ConversationID                       string
}

// statusBooking marks a turn spent filling in an appointment; the reply
// goes out as answered.
const statusBooking Status = "booking"

// BookSuggestion and DoorstepSuggestion start the two flows.
const (
	BookSuggestion     = "我要预约办理"
	DoorstepSuggestion = "申请上门办理"
)

var (
	bookIntent     = []string{"我要预约", "帮我预约", "我想预约", "预约办理", "给我预约", "约一个号", "帮我约", "我要约"}
	doorstepIntent = []string{"上门办", "申请上门", "上门服务", "上门办理", "能上门", "来家里办"}
	cancelWords    = []string{"取消", "不约了", "算了", "不用了", "退出"}
	mobileRe       = regexp.MustCompile(`(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})`)
	timeRe         = regexp.MustCompile(`(\d{1,2})[:：点](\d{2})?`)
	dayRe          = regexp.MustCompile(`(\d{1,2})月(\d{1,2})[日号]|(\d{4})-(\d{2})-(\d{2})`)
)

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// startBooking begins an appointment for the current item when the
// resident asks to book (not merely whether booking is needed).
func (as *Assistant) wantsBooking(norm string) (book, doorstep bool) {
	return hasAny(norm, bookIntent), hasAny(norm, doorstepIntent)
}

// bookingTurn fills one slot of the appointment being made: hall → day →
// time → name → mobile; then books. Every question offers its choices.
func (as *Assistant) bookingTurn(ctx context.Context, t *turnState, r *Reply) {
	r.Status = Answered
	d := t.state.Booking
	it, ok := as.cfg.Index.Item(d.ItemID)
	if !ok {
		t.state.Booking = nil
		r.Status = OutOfScope
		r.Answer = "抱歉，该事项已不在办事指南中，无法预约。"
		return
	}
	r.Citations = []Citation{{ID: it.ID, Name: it.Name}}
	r.Route = as.route(ctx, it)
	r.Aspect = Appointment
	norm := t.in.norm
	if hasAny(norm, cancelWords) {
		t.state.Booking = nil
		r.Answer = "好的，已取消本次预约。还有其他问题可以继续问我。"
		r.Suggestions = as.suggestions(it, Appointment)
		return
	}
	ask := func(text string, choices []string) {
		r.Answer = text
		r.Suggestions = append(choices, "取消预约")
	}
	switch d.Step {
	case "hall":
		for i, h := range r.Route.Halls {
			if strings.Contains(norm, as.a.Normalize(h.Name)) || norm == fmt.Sprint(i+1) || strings.Contains(norm, fmt.Sprintf("第%d", i+1)) {
				d.HallID = h.ID
			}
		}
		if d.HallID == "" {
			as.askHall(r, d, "请选择办理大厅（点选或回复序号）：")
			return
		}
		d.Step = "day"
	case "day":
		days, err := as.cfg.Booking.Days(ctx, d.HallID, d.ItemID)
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		if day, ok := pickDay(norm, days, as.cfg.Now()); ok {
			d.Day = day
			d.Step = "time"
		} else {
			ask("请从以下可预约日期中选择：", days)
			return
		}
	case "time":
		times, err := as.cfg.Booking.Times(ctx, d.HallID, d.ItemID, d.Day)
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		if tm, ok := pickTime(norm, times); ok {
			d.Time = tm
			d.Step = "name"
		} else {
			ask(fmt.Sprintf("%s 可预约的时段如下，请选择：", d.Day), times)
			return
		}
	case "name":
		name := strings.TrimSpace(strings.Trim(t.in.masked, "。.，, "))
		name = strings.TrimPrefix(strings.TrimPrefix(name, "我叫"), "姓名")
		if n := len([]rune(name)); n < 2 || n > 20 || strings.ContainsAny(name, "0123456789*") {
			ask("请告诉我办事人的姓名（与证件一致）。", nil)
			return
		}
		d.Name = name
		d.Step = "mobile"
	case "mobile":
		m := mobileRe.FindStringSubmatch(t.in.raw)
		if m == nil {
			ask("请提供手机号码，用于接收预约短信（号码只用于本次预约，不会出现在聊天记录中）。", nil)
			return
		}
		d.Mobile = strings.NewReplacer(" ", "", "-", "").Replace(m[1])
		code, err := as.cfg.Booking.Book(ctx, BookingRequest{ItemID: d.ItemID, HallID: d.HallID, Day: d.Day, Time: d.Time,
			Name: d.Name, Mobile: d.Mobile, ConversationID: t.conversationID})
		d.Mobile = ""
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		hall := d.HallID
		for _, h := range r.Route.Halls {
			if h.ID == d.HallID {
				hall = h.Name + "（" + h.Address + "）"
			}
		}
		t.state.Booking = nil
		r.Answer = fmt.Sprintf("预约成功！\n事项：%s\n地点：%s\n时间：%s %s\n预约码：%s\n请携带所需材料按时到场，凭预约码取号。如需取消或改约，可在“预约查询”中输入预约码办理。",
			it.Name, hall, d.Day, d.Time, code)
		r.Suggestions = []string{"需要带什么材料？", HandoffSuggestion}
		return
	}
	// Ask for the next missing slot.
	switch d.Step {
	case "day":
		days, err := as.cfg.Booking.Days(ctx, d.HallID, d.ItemID)
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		if len(days) == 0 {
			t.state.Booking = nil
			r.Answer = "抱歉，该大厅近期没有可预约的时段，您可以选择其他大厅或直接到现场办理。"
			r.Suggestions = as.suggestions(it, Appointment)
			return
		}
		ask("请选择预约日期：", days)
	case "time":
		times, err := as.cfg.Booking.Times(ctx, d.HallID, d.ItemID, d.Day)
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		ask(fmt.Sprintf("%s 可预约的时段如下，请选择：", d.Day), times)
	case "name":
		ask("请告诉我办事人的姓名（与证件一致）。", nil)
	case "mobile":
		ask("请提供手机号码，用于接收预约短信（号码只用于本次预约，不会出现在聊天记录中）。", nil)
	}
}

func (as *Assistant) askHall(r *Reply, d *BookingDraft, lead string) {
	var b strings.Builder
	b.WriteString(lead)
	for i, h := range r.Route.Halls {
		fmt.Fprintf(&b, "\n%d. %s（%s，%s）", i+1, h.Name, h.Address, h.Hours)
		r.Suggestions = append(r.Suggestions, h.Name)
	}
	r.Answer = b.String()
	r.Suggestions = append(r.Suggestions, "取消预约")
}

// startBookingFlow opens a draft for an item and asks the first question.
func (as *Assistant) startBookingFlow(ctx context.Context, t *turnState, r *Reply) {
	it := t.item
	d := &BookingDraft{ItemID: it.ID, Step: "hall"}
	t.state.Booking = d
	r.Status = Answered
	r.Aspect = Appointment
	r.Citations = []Citation{{ID: it.ID, Name: it.Name}}
	r.Route = as.route(ctx, it)
	if len(r.Route.Halls) == 1 {
		d.HallID = r.Route.Halls[0].ID
		d.Step = "day"
		as.bookingTurn(ctx, t, r)
		return
	}
	as.askHall(r, d, fmt.Sprintf("好的，为您预约办理“%s”。请选择办理大厅（点选或回复序号）：", it.Name))
}

func (as *Assistant) bookingFailed(t *turnState, r *Reply, err error) {
	msg := "预约系统暂时不可用，请稍后再试，或直接到大厅现场办理。"
	var ue interface{ UserMessage() string }
	if errors.As(err, &ue) {
		msg = ue.UserMessage()
	}
	r.Answer = "抱歉，预约没有成功：" + msg
	r.Suggestions = []string{BookSuggestion, HandoffSuggestion}
	t.state.Booking = nil
}

func pickDay(norm string, days []string, now time.Time) (string, bool) {
	for _, d := range days {
		if strings.Contains(norm, d) {
			return d, true
		}
	}
	if m := dayRe.FindStringSubmatch(norm); m != nil {
		var want string
		if m[1] != "" {
			var mo, dd int
			fmt.Sscanf(m[1]+" "+m[2], "%d %d", &mo, &dd)
			want = fmt.Sprintf("-%02d-%02d", mo, dd)
		} else {
			want = fmt.Sprintf("%s-%s-%s", m[3], m[4], m[5])
		}
		for _, d := range days {
			if strings.HasSuffix(d, want) || d == want {
				return d, true
			}
		}
	}
	rel := map[string]int{"今天": 0, "明天": 1, "后天": 2}
	for w, n := range rel {
		if strings.Contains(norm, w) {
			want := now.AddDate(0, 0, n).Format("2006-01-02")
			for _, d := range days {
				if d == want {
					return d, true
				}
			}
		}
	}
	return "", false
}

func pickTime(norm string, times []string) (string, bool) {
	for _, tm := range times {
		if strings.Contains(norm, tm) {
			return tm, true
		}
	}
	if m := timeRe.FindStringSubmatch(norm); m != nil {
		h := 0
		fmt.Sscanf(m[1], "%d", &h)
		if strings.Contains(norm, "下午") && h < 12 {
			h += 12
		}
		mm := "00"
		if m[2] != "" {
			mm = m[2]
		}
		want := fmt.Sprintf("%02d:%s", h, mm)
		for _, tm := range times {
			if tm == want {
				return tm, true
			}
		}
	}
	return "", false
}
