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

// What the transcript keeps of a message that gave a name or an address
// for a booking: the booking has them (masked and sealed), the record of
// the conversation does not need them.
const (
	keptName    = "（办事人姓名，已隐去）"
	keptAddress = "（上门地址，已隐去）"
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
	// While the resident is answering the flow's questions, the reply is the
	// question alone: no route card under every step.
	defer func() {
		if t.state.Booking != nil {
			r.Route = nil
		}
	}()
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
		r.Answer = "好的，已取消本次申请。还有其他问题可以继续问我。"
		r.Suggestions = as.suggestions(it, Appointment)
		return
	}
	if d.Kind == "doorstep" {
		as.doorstepTurn(ctx, t, r, it.Name)
		return
	}
	// Choices go in the text too, numbered, for pages without script.
	ask := func(text string, choices []string) {
		var b strings.Builder
		b.WriteString(text)
		for i, c := range choices {
			fmt.Fprintf(&b, "\n%d. %s", i+1, c)
		}
		r.Answer = b.String()
		r.Suggestions = append(append([]string(nil), choices...), "取消预约")
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
		if day, ok := pickDay(norm, days, as.cfg.Now().In(as.cfg.Location)); ok {
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
		r.keptMessage = keptName
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
		r.Answer = fmt.Sprintf("预约成功！\n事项：%s\n地点：%s\n时间：%s %s\n预约码：%s\n请记下预约码（聊天记录中不再显示），携带所需材料按时到场，凭预约码取号。如需取消或改约，可在“预约查询”中输入预约码和手机号后四位办理。",
			it.Name, hall, d.Day, d.Time, code)
		r.secrets = append(r.secrets, code)
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
	// While the resident is answering the flow's questions, the reply is the
	// question alone: no route card under every step.
	defer func() {
		if t.state.Booking != nil {
			r.Route = nil
		}
	}()
	it := t.item
	if !it.Offline.Appointment || len(it.Offline.Halls) == 0 {
		as.composeAnswer(ctx, t, r)
		r.Answer = "该事项暂不提供线下预约，可在办公时间直接到大厅办理，或网上办理。\n\n" + r.Answer
		return
	}
	d := &BookingDraft{Kind: "appointment", ItemID: it.ID, Step: "hall"}
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

// ordinal reads a bare choice number ("2", "第2个").
func ordinal(norm string, n int) (int, bool) {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(norm), "第"), "个")
	var i int
	if _, err := fmt.Sscanf(s, "%d", &i); err != nil || fmt.Sprint(i) != s || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

func pickDay(norm string, days []string, now time.Time) (string, bool) {
	if i, ok := ordinal(norm, len(days)); ok {
		return days[i], true
	}
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

// hourWords turns spoken hours into digits ("两点半" → "2点半").
var hourWords = strings.NewReplacer("十二点", "12点", "十一点", "11点", "十点", "10点", "九点", "9点", "八点", "8点",
	"七点", "7点", "六点", "6点", "五点", "5点", "四点", "4点", "三点", "3点", "两点", "2点", "二点", "2点", "一点", "1点")

func pickTime(norm string, times []string) (string, bool) {
	if i, ok := ordinal(norm, len(times)); ok {
		return times[i], true
	}
	for _, tm := range times {
		if strings.Contains(norm, tm) {
			return tm, true
		}
	}
	norm = hourWords.Replace(norm)
	if m := timeRe.FindStringSubmatch(norm); m != nil {
		h := 0
		fmt.Sscanf(m[1], "%d", &h)
		if (strings.Contains(norm, "下午") || strings.Contains(norm, "晚")) && h < 12 {
			h += 12
		}
		mm := "00"
		switch {
		case m[2] != "":
			mm = m[2]
		case strings.Contains(norm, "点半"):
			mm = "30"
		case strings.Contains(norm, "点一刻"):
			mm = "15"
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

// startDoorstepFlow opens a door-to-door request for an item that offers it.
func (as *Assistant) startDoorstepFlow(ctx context.Context, t *turnState, r *Reply) {
	// While the resident is answering the flow's questions, the reply is the
	// question alone: no route card under every step.
	defer func() {
		if t.state.Booking != nil {
			r.Route = nil
		}
	}()
	it := t.item
	if !it.Doorstep {
		as.composeAnswer(ctx, t, r)
		r.Answer = "该事项暂不在上门办服务范围内。\n\n" + r.Answer
		return
	}
	t.state.Booking = &BookingDraft{Kind: "doorstep", ItemID: it.ID, Step: "name"}
	r.Status, r.Aspect = Answered, Appointment
	r.Citations = []Citation{{ID: it.ID, Name: it.Name}}
	r.Route = as.route(ctx, it)
	r.Answer = fmt.Sprintf("好的，为您申请“%s”上门办理服务，工作人员会联系您约定上门时间。请告诉我办事人的姓名。", it.Name)
	r.Suggestions = []string{"取消申请"}
}

// doorstepTurn fills a door-to-door request: name → address → mobile. The
// mobile number comes last, read from the message that gives it, so it is
// never kept in the dialogue state.
func (as *Assistant) doorstepTurn(ctx context.Context, t *turnState, r *Reply, itemName string) {
	d := t.state.Booking
	ask := func(text string) { r.Answer, r.Suggestions = text, []string{"取消申请"} }
	switch d.Step {
	case "name":
		name := strings.TrimPrefix(strings.TrimSpace(strings.Trim(t.in.masked, "。.，, ")), "我叫")
		if n := len([]rune(name)); n < 2 || n > 20 || strings.ContainsAny(name, "0123456789*") {
			ask("请告诉我办事人的姓名（与证件一致）。")
			return
		}
		d.Name, d.Step = name, "address"
		r.keptMessage = keptName
		ask("请告诉我上门地址（街道、小区、楼栋门牌）。")
	case "address":
		addr := strings.TrimSpace(t.in.masked)
		if len([]rune(addr)) < 6 {
			ask("请把上门地址说得具体一些，例如“福田街道福华三路88号某小区3栋502”。")
			return
		}
		d.Street, d.Step = addr, "mobile"
		r.keptMessage = keptAddress
		ask("请提供联系手机号码，便于工作人员联系您（号码只用于本次申请，不会出现在聊天记录中）。")
	case "mobile":
		m := mobileRe.FindStringSubmatch(t.in.raw)
		if m == nil {
			ask("请提供11位手机号码。")
			return
		}
		num, err := as.cfg.Booking.RequestDoorstep(ctx, DoorstepRequest{ItemID: d.ItemID, Name: d.Name,
			Mobile: strings.NewReplacer(" ", "", "-", "").Replace(m[1]), Address: d.Street, ConversationID: t.conversationID})
		if err != nil {
			as.bookingFailed(t, r, err)
			return
		}
		t.state.Booking = nil
		r.Answer = fmt.Sprintf("上门办理申请已提交！\n事项：%s\n申请编号：%s\n请记下申请编号（聊天记录中不再显示）。工作人员会尽快电话联系您，确认上门时间和需要准备的材料。", itemName, num)
		r.secrets = append(r.secrets, num)
		r.Suggestions = []string{"需要带什么材料？", HandoffSuggestion}
	}
}
