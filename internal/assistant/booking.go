package assistant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Booker makes appointments and door-to-door requests for the chat. It is
// implemented over the booking and doorstep services (ServiceBooker).
type Booker interface {
	// Days lists a hall's open days for an item from today to the booking
	// horizon, soonest first, full ones marked.
	Days(ctx context.Context, hallID, itemID string) ([]OpenDay, error)
	// Times lists the free start times on a day ("09:00").
	Times(ctx context.Context, hallID, itemID, day string) ([]string, error)
	// Holiday names the holiday the calendar has on a day ("元旦"), or "".
	Holiday(ctx context.Context, day string) (string, error)
	// Book makes the appointment and returns its confirmation code. Errors
	// carry a message fit for the resident.
	Book(ctx context.Context, b BookingRequest) (code string, err error)
	// RequestDoorstep files a door-to-door service request and returns its
	// number.
	RequestDoorstep(ctx context.Context, d DoorstepRequest) (number string, err error)
	// StreetOf finds the district's street (街道) an address names, or "".
	StreetOf(address string) string
	// Streets are the district's streets, for a resident to choose from.
	Streets() []string
	// Seal and Open keep a resident's mobile number in the dialogue state
	// between the turn that gives it and the confirmation of the
	// read-back, unreadable to whoever reads the state table.
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
}

// OpenDay is a day a hall takes appointments for an item.
type OpenDay struct {
	Day  string `json:"day"`  // YYYY-MM-DD
	Full bool   `json:"full"` // open, but every place is taken
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

// wantsBooking tells whether the resident asks to book the current item
// or to have it done at home (not merely whether booking is needed).
func (as *Assistant) wantsBooking(norm string) (book, doorstep bool) {
	return hasAny(norm, bookIntent), hasAny(norm, doorstepIntent)
}

// The steps of the two forms, in the order they are asked. Each is asked
// only while its answer is missing, so that changing one answer from the
// read-back asks for that one (and those that depend on it) and comes
// straight back to the read-back.
const (
	stepItem    = "item"
	stepHall    = "hall"
	stepDay     = "day"
	stepTime    = "time"
	stepName    = "name"
	stepAddress = "address"
	stepStreet  = "street"
	stepMobile  = "mobile"
	stepConfirm = "confirm"
)

// form is one turn of a form being filled in the chat.
type form struct {
	as  *Assistant
	ctx context.Context
	t   *turnState
	r   *Reply
	d   *BookingDraft
	it  *kb.Item
}

// bookingTurn takes the resident's answer to the form's current question,
// then asks the next one; once every answer is in, it reads them all
// back, and only a confirmation of the read-back books the appointment or
// files the request.
func (as *Assistant) bookingTurn(ctx context.Context, t *turnState, r *Reply) {
	defer hideRouteWhileFilling(t, r)
	r.Status = Answered
	d := t.state.Booking
	it, ok := as.cfg.Index.Item(d.ItemID)
	if !ok {
		t.state.Booking = nil
		r.Status = OutOfScope
		r.Answer = "抱歉，该事项已不在办事指南中，无法办理。"
		return
	}
	f := &form{as: as, ctx: ctx, t: t, r: r, d: d, it: it}
	f.cite()
	if hasAny(t.in.norm, cancelWords) {
		t.state.Booking = nil
		r.Answer = "好的，已取消本次申请。还有其他问题可以继续问我。"
		r.Suggestions = as.suggestions(it, Appointment)
		return
	}
	if d.Step == stepConfirm {
		f.confirm()
		return
	}
	if !f.take(d.Step) {
		return // asked again, saying why
	}
	f.advance()
}

func (f *form) cite() {
	f.r.Citations = []Citation{{ID: f.it.ID, Name: f.it.Name}}
	f.r.Route = f.as.route(f.ctx, f.it)
	f.r.Aspect = Appointment
}

func (f *form) doorstep() bool { return f.d.Kind == "doorstep" }

// cancelChip is the choice that abandons the form.
func (f *form) cancelChip() string {
	if f.doorstep() {
		return "取消申请"
	}
	return "取消预约"
}

// ask puts a question with its choices, numbered in the text too for
// pages without script.
func (f *form) ask(text string, choices ...string) {
	var b strings.Builder
	b.WriteString(text)
	for i, c := range choices {
		fmt.Fprintf(&b, "\n%d. %s", i+1, c)
	}
	f.r.Answer = b.String()
	f.r.Suggestions = append(append([]string(nil), choices...), f.cancelChip())
}

// say puts a question whose chips are not numbered choices.
func (f *form) say(text string, chips ...string) {
	f.r.Answer = text
	f.r.Suggestions = append(append([]string(nil), chips...), f.cancelChip())
}

// next is the first step whose answer is missing, or the read-back.
func (f *form) next() string {
	d := f.d
	steps := [][2]string{{stepHall, d.HallID}, {stepDay, d.Day}, {stepTime, d.Time}, {stepName, d.Name}, {stepMobile, d.MobileSealed}}
	if f.doorstep() {
		steps = [][2]string{{stepName, d.Name}, {stepAddress, d.Address}, {stepStreet, d.Street}, {stepMobile, d.MobileSealed}}
	}
	for _, s := range steps {
		if s[1] == "" {
			return s[0]
		}
	}
	return stepConfirm
}

// advance moves to the next missing answer and asks for it.
func (f *form) advance() {
	f.d.Step = f.next()
	switch f.d.Step {
	case stepHall:
		f.askHall("请选择办理大厅（点选或回复序号）：")
	case stepDay:
		f.askDay("")
	case stepTime:
		f.askTime("")
	case stepName:
		f.say("请告诉我办事人的姓名（与证件一致）。")
	case stepAddress:
		f.say("请告诉我上门地址（街道、小区、楼栋门牌）。")
	case stepStreet:
		f.say("请问地址在哪个街道？上门办服务本区各街道，可以点选或直接说，例如“梅林街道梅丰社区”。", f.as.cfg.Booking.Streets()...)
	case stepMobile:
		if f.doorstep() {
			f.say("请提供联系手机号码，便于工作人员联系您（号码只用于本次申请，不会出现在聊天记录中）。")
		} else {
			f.say("请提供手机号码，用于接收预约短信（号码只用于本次预约，不会出现在聊天记录中）。")
		}
	case stepConfirm:
		f.readBack("")
	}
}

// take reads the answer to step from this turn's message; when it is not
// usable it asks again, saying why, and returns false.
func (f *form) take(step string) bool {
	t, d, norm := f.t, f.d, f.t.in.norm
	switch step {
	case stepItem:
		return f.takeItem()
	case stepHall:
		for i, h := range f.r.Route.Halls {
			if strings.Contains(norm, f.as.a.Normalize(h.Name)) || norm == fmt.Sprint(i+1) || strings.Contains(norm, fmt.Sprintf("第%d", i+1)) {
				d.HallID = h.ID
			}
		}
		if d.HallID == "" {
			f.askHall("请选择办理大厅（点选或回复序号）：")
			return false
		}
		d.Day, d.Time = "", ""
	case stepDay:
		return f.takeDay()
	case stepTime:
		times, err := f.as.cfg.Booking.Times(f.ctx, d.HallID, d.ItemID, d.Day)
		if err != nil {
			f.failed(err)
			return false
		}
		tm, ok := pickTime(norm, times)
		if !ok {
			f.askTime("")
			return false
		}
		d.Time = tm
	case stepName:
		name, ok := personName(t.in.masked)
		if !ok {
			f.say("请告诉我办事人的姓名（与证件一致），例如“张三”。")
			return false
		}
		d.Name = name
		f.r.keptMessage = keptName
	case stepAddress:
		if p := addressProblem(t.in.raw, t.in.masked); p != "" {
			f.say(p)
			return false
		}
		d.Address = strings.TrimSpace(t.in.masked)
		f.r.keptMessage = keptAddress
		d.Street = f.as.cfg.Booking.StreetOf(d.Address)
	case stepStreet:
		st := f.as.cfg.Booking.StreetOf(t.in.masked)
		if st == "" {
			f.say("没有找到这个街道。请从本区街道中选择，或说出街道名称，例如“梅林街道”。", f.as.cfg.Booking.Streets()...)
			return false
		}
		d.Address, d.Street = withStreet(t.in.masked, st, d.Address), st
		f.r.keptMessage = keptAddress
	case stepMobile:
		return f.takeMobile()
	}
	return true
}

// takeMobile reads a mobile number and keeps it sealed until the read-back
// is confirmed.
func (f *form) takeMobile() bool {
	m := mobileRe.FindStringSubmatch(f.t.in.raw)
	if m == nil {
		f.say("请提供11位手机号码，例如 138 0013 8000。")
		return false
	}
	num := strings.NewReplacer(" ", "", "-", "").Replace(m[1])
	sealed, err := f.as.cfg.Booking.Seal(num)
	if err != nil {
		f.failed(err)
		return false
	}
	f.d.MobileSealed, f.d.MobileMasked = sealed, privacy.MaskMobile(num)
	return true
}

// days are the hall's open days for the draft's item, or nil after
// telling the resident there are none (the draft is closed then).
func (f *form) days() ([]OpenDay, bool) {
	days, err := f.as.cfg.Booking.Days(f.ctx, f.d.HallID, f.d.ItemID)
	if err != nil {
		f.failed(err)
		return nil, false
	}
	for _, d := range days {
		if !d.Full {
			return days, true
		}
	}
	f.t.state.Booking = nil
	f.r.Answer = "抱歉，该大厅近期没有可预约的时段，您可以选择其他大厅或直接到现场办理。"
	f.r.Suggestions = f.as.suggestions(f.it, Appointment)
	return nil, false
}

// dayChoices are the days with a place left, as residents read them.
func dayChoices(days []OpenDay) []string {
	var out []string
	for _, d := range days {
		if !d.Full {
			out = append(out, clock.Day(d.Day))
		}
	}
	return out
}

func (f *form) askDay(why string) {
	days, ok := f.days()
	if !ok {
		return
	}
	f.ask(why+"请选择预约日期（也可以说“明天”“下周一”）：", dayChoices(days)...)
}

// takeDay reads the day: a choice's number, a date, or a day said as
// residents say it (明天, 这周六, 下周一), checked against the hall's
// calendar; a day the hall cannot take is explained.
func (f *form) takeDay() bool {
	days, ok := f.days()
	if !ok {
		return false
	}
	free := dayChoices(days)
	norm := f.t.in.norm
	pick := func(day string) {
		f.d.Day, f.d.Time = day, ""
	}
	if i, ok := ordinal(norm, len(free)); ok {
		for _, d := range days {
			if clock.Day(d.Day) == free[i] {
				pick(d.Day)
				return true
			}
		}
	}
	today := f.as.today()
	want, said, ok := spokenDay(norm, today)
	if !ok {
		f.askDay("")
		return false
	}
	day := want.Format(time.DateOnly)
	for _, d := range days {
		if d.Day == day && !d.Full {
			pick(day)
			return true
		}
	}
	// "这周六（12月5日）", or the date itself when that is what was said.
	label := clock.Day(day)
	if !strings.ContainsAny(said, "月日号-") {
		label = fmt.Sprintf("%s（%d月%d日）", said, want.Month(), want.Day())
	}
	var why string
	switch {
	case want.Before(today):
		why = label + "已经过去了。"
	case slices.ContainsFunc(days, func(d OpenDay) bool { return d.Day == day }):
		why = label + "已约满。"
	case day > days[len(days)-1].Day:
		why = fmt.Sprintf("%s超出了可预约的范围（目前可预约到%s）。", label, clock.Day(days[len(days)-1].Day))
	default:
		name, err := f.as.cfg.Booking.Holiday(f.ctx, day)
		if err != nil {
			f.failed(err)
			return false
		}
		if name != "" {
			why = fmt.Sprintf("%s是%s假期，大厅不办公。", label, name)
		} else {
			why = label + "该大厅不办公。"
		}
	}
	f.askDay(why)
	return false
}

func (f *form) askTime(why string) {
	times, err := f.as.cfg.Booking.Times(f.ctx, f.d.HallID, f.d.ItemID, f.d.Day)
	if err != nil {
		f.failed(err)
		return
	}
	if len(times) == 0 {
		full := clock.Day(f.d.Day)
		f.d.Day = ""
		f.d.Step = stepDay
		f.askDay(full + "的时段已约满。")
		return
	}
	f.ask(fmt.Sprintf("%s%s 可预约的时段如下，请选择：", why, clock.Day(f.d.Day)), times...)
}

func (f *form) askHall(lead string) {
	var b strings.Builder
	b.WriteString(lead)
	f.r.Suggestions = nil
	for i, h := range f.r.Route.Halls {
		fmt.Fprintf(&b, "\n%d. %s（%s，%s）", i+1, h.Name, h.Address, h.Hours)
		f.r.Suggestions = append(f.r.Suggestions, h.Name)
	}
	f.r.Answer = b.String()
	f.r.Suggestions = append(f.r.Suggestions, f.cancelChip())
}

// hallName is the draft's hall as shown in the read-back.
func (f *form) hallName() string {
	for _, h := range f.r.Route.Halls {
		if h.ID == f.d.HallID {
			return h.Name + "（" + h.Address + "）"
		}
	}
	return f.d.HallID
}

// readBack shows every answer and asks for the confirmation.
func (f *form) readBack(lead string) {
	d := f.d
	// The resident sees the name and address to check them; the stored
	// transcript does not keep them.
	f.r.secrets = append(f.r.secrets, d.Name, d.Address)
	var b strings.Builder
	b.WriteString(lead)
	if f.doorstep() {
		fmt.Fprintf(&b, "请核对上门办理申请：\n事项：%s\n姓名：%s\n地址：%s\n电话：%s\n确认提交吗？", f.it.Name, d.Name, d.Address, d.MobileMasked)
		f.r.Answer, f.r.Suggestions = b.String(), []string{"确认提交", "修改", f.cancelChip()}
		return
	}
	fmt.Fprintf(&b, "请核对预约信息：\n事项：%s\n地点：%s\n时间：%s %s\n姓名：%s\n电话：%s\n确认预约吗？",
		f.it.Name, f.hallName(), clock.Day(d.Day), d.Time, d.Name, d.MobileMasked)
	f.r.Answer, f.r.Suggestions = b.String(), []string{"确认预约", "修改", f.cancelChip()}
}

// confirm answers the read-back: a yes books or files; a field named
// (修改地址), or a new value given outright (a number, a day), changes
// that answer and comes back; anything else reads it back again.
func (f *form) confirm() {
	d, norm := f.d, f.t.in.norm
	if confirms(norm) {
		f.submit()
		return
	}
	// A value given outright: a new mobile number, another day or time.
	switch {
	case mobileRe.MatchString(f.t.in.raw):
		if f.takeMobile() {
			f.advance()
		}
		return
	case !f.doorstep() && hasAny(norm, []string{"月", "号", "日", "周", "星期", "礼拜", "天"}) && !hasAny(norm, []string{"号码"}):
		if _, _, ok := spokenDay(norm, f.as.today()); ok {
			if f.takeDay() {
				f.advance()
			}
			return
		}
	}
	fields := f.fields()
	for _, fl := range fields {
		if hasAny(norm, fl.words) {
			fl.clear()
			d.Step = f.next()
			if fl.step == stepItem {
				d.Step = stepItem
				f.say("请告诉我要上门办理的事项，例如“居民身份证换领”“高龄津贴”。")
				return
			}
			f.advance()
			return
		}
	}
	if hasAny(norm, denyWords) {
		var chips []string
		for _, fl := range fields {
			chips = append(chips, "修改"+fl.label)
		}
		f.say("请问要修改哪一项？", chips...)
		return
	}
	f.readBack("")
}

// field is an answer the read-back can change.
type field struct {
	step, label string
	words       []string
	clear       func()
}

func (f *form) fields() []field {
	d := f.d
	name := field{stepName, "姓名", []string{"姓名", "名字"}, func() { d.Name = "" }}
	mobile := field{stepMobile, "电话", []string{"电话", "手机", "号码"}, func() { d.MobileSealed, d.MobileMasked = "", "" }}
	if f.doorstep() {
		return []field{
			{stepItem, "事项", []string{"事项", "业务", "办的事"}, func() {}},
			name,
			{stepAddress, "地址", []string{"地址", "街道", "小区", "门牌"}, func() { d.Address, d.Street = "", "" }},
			mobile,
		}
	}
	out := []field{}
	if len(f.r.Route.Halls) > 1 {
		out = append(out, field{stepHall, "大厅", []string{"大厅", "地点", "地方"}, func() { d.HallID, d.Day, d.Time = "", "", "" }})
	}
	return append(out,
		field{stepDay, "日期", []string{"日期", "哪天", "那天", "改天"}, func() { d.Day, d.Time = "", "" }},
		field{stepTime, "时间", []string{"时间", "时段", "几点"}, func() { d.Time = "" }},
		name, mobile)
}

// takeItem reads which door-to-door item the request is for.
func (f *form) takeItem() bool {
	res := f.as.cfg.Index.Search(f.ctx, f.as.contentText(f.t.in.norm), 3)
	if len(res.Hits) == 0 {
		f.say("没有找到这个事项。请说出要上门办理的事项名称，例如“居民身份证换领”。")
		return false
	}
	it, ok := f.as.cfg.Index.Item(res.Hits[0].ID)
	if !ok {
		return false
	}
	if !it.Doorstep {
		f.say(fmt.Sprintf("“%s”暂不在上门办服务范围内。请说出要上门办理的事项，或回复“取消申请”。", it.Name))
		return false
	}
	f.d.ItemID, f.it = it.ID, it
	f.t.item = it
	f.cite()
	return true
}

// submit books the appointment or files the request, with the mobile
// number opened from its seal for that moment only.
func (f *form) submit() {
	d, t, r := f.d, f.t, f.r
	mobile, err := f.as.cfg.Booking.Open(d.MobileSealed)
	if err != nil {
		f.failed(err)
		return
	}
	if f.doorstep() {
		num, err := f.as.cfg.Booking.RequestDoorstep(f.ctx, DoorstepRequest{ItemID: d.ItemID, Name: d.Name, Mobile: mobile,
			Address: d.Address, ConversationID: t.conversationID})
		if err != nil {
			f.failed(err)
			return
		}
		t.state.Booking = nil
		r.Answer = fmt.Sprintf("上门办理申请已提交！\n事项：%s\n申请编号：%s\n请记下申请编号（聊天记录中不再显示）。工作人员会尽快电话联系您，确认上门时间和需要准备的材料。", f.it.Name, num)
		r.secrets = append(r.secrets, num)
		r.Suggestions = []string{"需要带什么材料？", HandoffSuggestion}
		return
	}
	code, err := f.as.cfg.Booking.Book(f.ctx, BookingRequest{ItemID: d.ItemID, HallID: d.HallID, Day: d.Day, Time: d.Time,
		Name: d.Name, Mobile: mobile, ConversationID: t.conversationID})
	if err != nil {
		f.failed(err)
		return
	}
	t.state.Booking = nil
	r.Answer = fmt.Sprintf("预约成功！\n事项：%s\n地点：%s\n时间：%s %s\n预约码：%s\n请记下预约码（聊天记录中不再显示），携带所需材料按时到场，凭预约码取号。如需取消或改约，可在“预约查询”中输入预约码和手机号后四位办理。",
		f.it.Name, f.hallName(), clock.Day(d.Day), d.Time, code)
	r.secrets = append(r.secrets, code)
	r.Suggestions = []string{"需要带什么材料？", HandoffSuggestion}
}

// failed ends the form with the refusal's reason (or a generic one).
func (f *form) failed(err error) {
	msg := "系统暂时不可用，请稍后再试，或直接到大厅现场办理。"
	var ue interface{ UserMessage() string }
	if errors.As(err, &ue) {
		msg = ue.UserMessage()
	} else {
		slog.Warn("chat form", "kind", f.d.Kind, "err", err)
	}
	what := "预约"
	if f.doorstep() {
		what = "申请"
	}
	f.r.Answer = "抱歉，" + what + "没有成功：" + msg
	f.r.Suggestions = []string{BookSuggestion, HandoffSuggestion}
	if f.doorstep() {
		f.r.Suggestions[0] = DoorstepSuggestion
	}
	f.t.state.Booking = nil
}

// today is the district's date now, at midnight.
func (as *Assistant) today() time.Time {
	n := as.cfg.Now().In(as.cfg.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, as.cfg.Location)
}

// startBookingFlow opens a draft for the item the request is about and
// asks the first question (a day said with the request is taken).
func (as *Assistant) startBookingFlow(ctx context.Context, t *turnState, r *Reply) {
	defer hideRouteWhileFilling(t, r)
	f := as.openForm(ctx, t, r, "appointment", stepHall)
	if f == nil {
		return
	}
	if len(r.Route.Halls) == 1 {
		f.d.HallID = r.Route.Halls[0].ID
		if _, _, ok := spokenDay(t.in.norm, as.today()); ok {
			f.d.Step = stepDay
			if !f.takeDay() {
				return
			}
		}
		f.advance()
		return
	}
	f.askHall(fmt.Sprintf("好的，为您预约办理“%s”。请选择办理大厅（点选或回复序号）：", f.it.Name))
}

// startDoorstepFlow opens a door-to-door request for the item the request
// is about, when it offers the service.
func (as *Assistant) startDoorstepFlow(ctx context.Context, t *turnState, r *Reply) {
	defer hideRouteWhileFilling(t, r)
	if f := as.openForm(ctx, t, r, "doorstep", stepName); f != nil {
		f.say(fmt.Sprintf("好的，为您申请“%s”上门办理服务，工作人员会联系您约定上门时间。提交前我会把填写的内容念给您核对。请告诉我办事人的姓名。", f.it.Name))
	}
}

// openForm starts a form of kind for the item the request is about; when
// the item does not take that kind of request it answers about the item,
// saying so, and returns nil.
func (as *Assistant) openForm(ctx context.Context, t *turnState, r *Reply, kind, first string) *form {
	it := as.requestItem(ctx, t)
	why := ""
	switch {
	case kind == "doorstep" && !it.Doorstep:
		why = fmt.Sprintf("“%s”暂不在上门办服务范围内。", it.Name)
	case kind == "appointment" && (!it.Offline.Appointment || len(it.Offline.Halls) == 0):
		why = "该事项暂不提供线下预约，可在办公时间直接到大厅办理，或网上办理。"
	}
	if why != "" {
		as.composeAnswer(ctx, t, r)
		r.Answer = why + "\n\n" + r.Answer
		return nil
	}
	d := &BookingDraft{Kind: kind, ItemID: it.ID, Step: first}
	t.state.Booking = d
	r.Status = Answered
	f := &form{as: as, ctx: ctx, t: t, r: r, d: d, it: it}
	f.cite()
	return f
}

// hideRouteWhileFilling leaves the route card out while a form is being
// filled: the reply is the question alone.
func hideRouteWhileFilling(t *turnState, r *Reply) {
	if t.state.Booking != nil {
		r.Route = nil
	}
}

// requestItem is the item a booking or door-to-door request is about. The
// conversation's item unless the request names another one itself: "他
// 身份证过期了，能上门办吗" after talk of an 80-year-old's allowance is
// about the ID card. The item is shown again in the read-back.
func (as *Assistant) requestItem(ctx context.Context, t *turnState) *kb.Item {
	cur := t.item
	content := as.contentText(t.in.norm)
	for _, w := range append(append([]string{"上门"}, doorstepIntent...), bookIntent...) {
		content = strings.ReplaceAll(content, w, " ")
	}
	hits := as.cfg.Index.Search(ctx, content, 3).Hits
	if len(hits) == 0 || hits[0].ID == cur.ID || hits[0].Coverage == 0 || hits[0].Score < weakScore {
		return cur
	}
	for _, h := range hits[1:] {
		if h.ID == cur.ID && h.Score >= closeRatio*hits[0].Score {
			return cur // the conversation's item fits the request as well
		}
	}
	it, ok := as.cfg.Index.Item(hits[0].ID)
	if !ok {
		return cur
	}
	t.item = it
	return it
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
