package assistant

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// aspectLabels name each aspect as residents read it.
var aspectLabels = map[Aspect]string{
	Overview: "事项概况", Conditions: "申请条件", Materials: "申请材料", Process: "办理流程",
	TimeLimit: "办理时限", Fee: "收费标准", Location: "办理地点", Online: "网上办理",
	Appointment: "预约办理", Contact: "咨询电话", LegalBasis: "设定依据",
}

// AspectLabel is the Chinese name of an aspect.
func AspectLabel(a Aspect) string { return aspectLabels[a] }

// suggestionText is the quick reply that asks for an aspect; each reads
// as a follow-up the resolver understands.
var suggestionText = []struct {
	aspect Aspect
	text   string
}{
	{Materials, "需要带什么材料？"},
	{Conditions, "申请条件是什么？"},
	{Process, "办理流程是怎样的？"},
	{Online, "能在网上办吗？"},
	{Location, "在哪里办理？"},
	{TimeLimit, "多久能办好？"},
	{Fee, "收费吗？"},
	{Appointment, "需要预约吗？"},
	{Contact, "咨询电话是多少？"},
}

// HandoffSuggestion is the quick reply that asks for a person.
const HandoffSuggestion = "转人工"

func (as *Assistant) compose(ctx context.Context, t *turnState) Reply {
	r := Reply{Status: t.status, Citations: []Citation{}, Suggestions: []string{}, Confidence: t.confidence}
	// Candidates: the item answered first, then retrieval's others.
	if t.item != nil {
		r.Candidates = append(r.Candidates, t.item.ID)
	}
	for _, h := range t.hits {
		if t.item == nil || h.ID != t.item.ID {
			r.Candidates = append(r.Candidates, h.ID)
		}
	}
	if t.in.truncated {
		r.Notice = fmt.Sprintf("您的问题较长，已按前 %d 个字理解。", as.cfg.MaxRunes)
	}
	switch {
	case t.status == Answered && t.startBooking:
		as.startBookingFlow(ctx, t, &r)
	case t.status == Answered && t.startDoorstep:
		as.startDoorstepFlow(ctx, t, &r)
	case t.status == Answered:
		as.composeAnswer(ctx, t, &r)
	case t.status == Clarify:
		as.composeClarify(t, &r)
	case t.status == Handoff:
		as.composeHandoff(t, &r)
	case t.status == statusBooking:
		as.bookingTurn(ctx, t, &r)
	case t.status == statusBenefits:
		as.composeBenefits(ctx, t, &r)
	case t.status == statusTreeReport:
		as.composeTreeReport(t, &r)
	case t.status == statusHazard:
		as.composeHazard(t, &r)
	default:
		r.Status = OutOfScope
		as.composeDecline(t, &r)
	}
	return r
}

func (as *Assistant) composeAnswer(ctx context.Context, t *turnState, r *Reply) {
	it := t.item
	aspect := t.aspect
	if aspect == "" {
		aspect = Overview
	}
	r.Aspect = aspect
	r.Citations = []Citation{{ID: it.ID, Name: it.Name}}
	route := as.route(ctx, it)
	r.Route = route

	var b strings.Builder
	fmt.Fprintf(&b, "【%s】", it.Name)
	if t.faq != nil {
		fmt.Fprintf(&b, "\n关于“%s”：%s", strings.TrimRight(t.faq.Q, "？?"), t.faq.A)
	}
	b.WriteString("\n")
	// A yes/no question about one document, or about the hours of a day,
	// is answered directly before the whole aspect.
	if aspect == Materials && t.asked != "" {
		as.writeAskedMaterial(&b, it, t.asked)
	}
	if aspect == Location {
		as.writeAskedHours(ctx, &b, route, t.in.norm)
	}
	if t.receives {
		// An amount the resident receives is the item's 发放标准, never
		// its fee.
		switch {
		case it.Benefit != "":
			fmt.Fprintf(&b, "发放标准：%s。", strings.TrimRight(it.Benefit, "。"))
		case t.faq == nil:
			b.WriteString("办事指南未写明发放标准，具体以受理部门审核为准。")
		}
		if aspect == Fee {
			aspect = ""
		}
	}
	if aspect != "" {
		as.writeAspect(&b, it, aspect, route)
	}
	// An overview shows the way in; other aspects point to it briefly.
	if aspect != Online && aspect != Location && aspect != Appointment && aspect != Contact {
		b.WriteString("\n")
		writeRouteLine(&b, it, route)
	}
	fmt.Fprintf(&b, "\n\n以上内容来自福田区政务服务事项办事指南《%s》，具体以受理部门（%s）审核为准。", it.Name, orDash(it.Department))
	r.Answer = b.String()
	r.Suggestions = as.suggestions(it, aspect)
}

func (as *Assistant) writeAspect(b *strings.Builder, it *kb.Item, aspect Aspect, route *Route) {
	switch aspect {
	case Conditions:
		if len(it.Conditions) == 0 {
			b.WriteString("办事指南未列出特别的申请条件，请咨询受理部门。")
			return
		}
		b.WriteString("申请条件：")
		writeList(b, it.Conditions)
	case Materials:
		if len(it.Materials) == 0 {
			b.WriteString("办事指南未列出申请材料，请咨询受理部门。")
			return
		}
		b.WriteString("需要准备的材料：")
		for i, m := range it.Materials {
			fmt.Fprintf(b, "\n%d. %s", i+1, materialLine(m))
		}
	case Process:
		if len(it.Process) == 0 {
			b.WriteString("办事指南未列出办理流程，请咨询受理部门。")
			return
		}
		b.WriteString("办理流程：")
		writeList(b, it.Process)
	case TimeLimit:
		b.WriteString(timeLimitText(it.TimeLimit))
	case Fee:
		if it.Fee == "" {
			b.WriteString("办事指南未写明收费标准，请咨询受理部门。")
		} else {
			fmt.Fprintf(b, "收费标准：%s。", strings.TrimRight(it.Fee, "。"))
		}
	case Location:
		if len(route.Halls) == 0 {
			b.WriteString("办事指南未列出线下办理地点。")
		} else {
			b.WriteString("可到以下地点办理：")
			writeHalls(b, route.Halls, it.Offline.Appointment)
		}
		if route.OnlineURL != "" {
			fmt.Fprintf(b, "\n也可以网上办理（%s）：%s", orDash(it.Online.Depth), route.OnlineURL)
		}
	case Online:
		if route.OnlineURL != "" {
			fmt.Fprintf(b, "可以网上办理，办理深度为“%s”。网上办理入口：%s", orDash(it.Online.Depth), route.OnlineURL)
			if it.Online.Depth != "" && it.Online.Depth != "全程网办" {
				b.WriteString("\n按办理深度，仍需到现场办理部分环节，地点如下：")
				writeHalls(b, route.Halls, it.Offline.Appointment)
			}
		} else {
			b.WriteString("该事项暂不支持网上办理，需要到现场办理。")
			if len(route.Halls) > 0 {
				writeHalls(b, route.Halls, it.Offline.Appointment)
			}
		}
	case Appointment:
		if it.Offline.Appointment {
			b.WriteString("该事项支持线下预约办理，可通过以下大厅的预约入口预约：")
			writeHalls(b, route.Halls, true)
		} else {
			b.WriteString("该事项无需预约，可在办公时间直接到以下地点办理：")
			writeHalls(b, route.Halls, false)
			if route.OnlineURL != "" {
				fmt.Fprintf(b, "\n也可以网上办理：%s", route.OnlineURL)
			}
		}
	case Contact:
		if it.Contact != "" {
			fmt.Fprintf(b, "咨询电话：%s（%s）。", it.Contact, orDash(it.Department))
		} else {
			b.WriteString("办事指南未列出专门的咨询电话。")
		}
		if len(route.Halls) > 0 {
			b.WriteString("\n办理大厅电话：")
			for _, h := range route.Halls {
				fmt.Fprintf(b, "\n· %s：%s", h.Name, orDash(h.Phone))
			}
		}
	case LegalBasis:
		if len(it.LegalBasis) == 0 {
			b.WriteString("办事指南未列出设定依据。")
			return
		}
		b.WriteString("设定依据：")
		writeList(b, it.LegalBasis)
	default: // overview
		if it.Summary != "" {
			b.WriteString(it.Summary)
		}
		if len(it.Conditions) > 0 {
			b.WriteString("\n申请条件：")
			writeList(b, it.Conditions)
		}
		if len(it.Materials) > 0 {
			b.WriteString("\n需要准备的材料：")
			for i, m := range it.Materials {
				fmt.Fprintf(b, "\n%d. %s", i+1, materialLine(m))
			}
		}
		if len(it.Process) > 0 {
			b.WriteString("\n办理流程：")
			writeList(b, it.Process)
		}
		b.WriteString("\n" + timeLimitText(it.TimeLimit))
		if it.Fee != "" {
			fmt.Fprintf(b, "\n收费标准：%s。", strings.TrimRight(it.Fee, "。"))
		}
	}
}

func materialLine(m kb.Material) string {
	var parts []string
	if m.Form != "" {
		parts = append(parts, m.Form)
	}
	if m.Copies > 0 {
		parts = append(parts, fmt.Sprintf("%d份", m.Copies))
	}
	s := m.Name
	if len(parts) > 0 {
		s += "（" + strings.Join(parts, "，") + "）"
	}
	if m.Note != "" {
		s += "，" + strings.TrimRight(m.Note, "。")
	}
	return s
}

func timeLimitText(tl kb.TimeLimit) string {
	var s string
	switch {
	case tl.LegalDays > 0 && tl.PromisedDays > 0:
		s = fmt.Sprintf("办理时限：法定办结时限 %d 个工作日，承诺办结时限 %d 个工作日。", tl.LegalDays, tl.PromisedDays)
	case tl.PromisedDays > 0:
		s = fmt.Sprintf("办理时限：承诺办结时限 %d 个工作日。", tl.PromisedDays)
	case tl.LegalDays > 0:
		s = fmt.Sprintf("办理时限：法定办结时限 %d 个工作日。", tl.LegalDays)
	default:
		s = "办事指南未写明办理时限。"
	}
	if tl.Note != "" {
		s += strings.TrimRight(tl.Note, "。") + "。"
	}
	return s
}

func writeList(b *strings.Builder, xs []string) {
	for i, x := range xs {
		fmt.Fprintf(b, "\n%d. %s", i+1, strings.TrimRight(x, "。；;"))
	}
}

func writeHalls(b *strings.Builder, halls []RouteHall, appointment bool) {
	for _, h := range halls {
		fmt.Fprintf(b, "\n· %s，地址：%s，办公时间：%s，电话：%s", h.Name, orDash(h.Address), orDash(h.Hours), orDash(h.Phone))
		if appointment && h.AppointmentURL != "" {
			fmt.Fprintf(b, "，预约：%s", h.AppointmentURL)
		}
	}
}

func writeRouteLine(b *strings.Builder, it *kb.Item, route *Route) {
	if route.OnlineURL != "" {
		fmt.Fprintf(b, "网上办理（%s）：%s", orDash(it.Online.Depth), route.OnlineURL)
		if len(route.Halls) > 0 {
			fmt.Fprintf(b, "；也可到%s等%d个大厅现场办理。", route.Halls[0].Name, len(route.Halls))
		}
		return
	}
	if len(route.Halls) > 0 {
		b.WriteString("需到现场办理：")
		writeHalls(b, route.Halls, it.Offline.Appointment)
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// route builds the way to get the item done from the knowledge base only.
func (as *Assistant) route(ctx context.Context, it *kb.Item) *Route {
	r := &Route{ItemID: it.ID, Appointment: it.Offline.Appointment, Doorstep: it.Doorstep, Mode: "offline"}
	if it.Online.Available && it.Online.URL != "" {
		r.Mode, r.OnlineURL, r.OnlineDepth = "online", it.Online.URL, it.Online.Depth
	}
	for _, id := range it.Offline.Halls {
		h, ok := as.cfg.Halls.Hall(ctx, id)
		if !ok {
			continue
		}
		rh := RouteHall{ID: h.ID, Name: h.Name, Address: h.Address, Hours: h.Hours, Phone: h.Phone}
		if it.Offline.Appointment {
			rh.AppointmentURL = h.AppointmentURL
		}
		r.Halls = append(r.Halls, rh)
	}
	return r
}

func (as *Assistant) suggestions(it *kb.Item, asked Aspect) []string {
	var out []string
	for _, s := range suggestionText {
		if s.aspect == asked {
			continue
		}
		if s.aspect == Appointment && !it.Offline.Appointment {
			continue
		}
		if s.aspect == Online && !it.Online.Available {
			continue
		}
		out = append(out, s.text)
		if len(out) == 4 {
			break
		}
	}
	if as.cfg.Booking != nil && it.Offline.Appointment && len(it.Offline.Halls) > 0 {
		out = append(out, BookSuggestion)
	}
	if as.cfg.Booking != nil && it.Doorstep {
		out = append(out, DoorstepSuggestion)
	}
	return append(out, HandoffSuggestion)
}

func (as *Assistant) composeClarify(t *turnState, r *Reply) {
	var b strings.Builder
	if len(t.candidates) == 0 {
		b.WriteString("请问您具体想办理哪项业务？可以说说要办的事情，例如“新生儿怎么上户口”“社保卡丢了怎么补”。")
		r.Answer = b.String()
		r.Suggestions = []string{HandoffSuggestion}
		return
	}
	b.WriteString("您想咨询的是下面哪一项？请点选或回复序号：")
	for i, h := range t.candidates {
		fmt.Fprintf(&b, "\n%d. %s", i+1, h.Name)
		r.Suggestions = append(r.Suggestions, h.Name)
	}
	r.Candidates = nil
	for _, h := range t.candidates {
		r.Candidates = append(r.Candidates, h.ID)
	}
	r.Answer = b.String()
	r.Suggestions = append(r.Suggestions, HandoffSuggestion)
}

func (as *Assistant) composeDecline(t *turnState, r *Reply) {
	hot := as.cfg.Hotline
	var msg string
	switch t.scope {
	case "sensitive":
		msg = "抱歉，您的问题涉及违法违规内容，我无法提供帮助。如需办理政务服务，请描述您要办理的事项。"
	case "meta":
		msg = "抱歉，我只能解答福田区政务服务事项的办理问题，不能执行这类请求。请告诉我您要办理什么事项。"
	case "abuse":
		msg = fmt.Sprintf("给您带来不便，非常抱歉，我理解您着急的心情。请告诉我您要办理的事项，我尽力帮您；也可以点击“转人工”由工作人员为您处理，或拨打%s政务服务便民热线。", hot)
	case "records":
		msg = fmt.Sprintf("抱歉，为保护个人隐私，我不能查询或提供他人的个人信息和办理记录。本人可登录i深圳App或粤省事查询自己的记录；代他人查询或办理，一般需持本人签署的授权委托书和双方身份证到窗口办理，具体请拨打%s咨询。", hot)
	case "level":
		msg = fmt.Sprintf("抱歉，您咨询的事项不在福田区政务服务事项目录中（可能由市级部门或其他机构办理），我无法给出准确答复。建议拨打%s政务服务便民热线咨询，或点击“转人工”。", hot)
	case "provider":
		msg = fmt.Sprintf("抱歉，您问的卡或证件不是政府部门发放的，一般由发卡或发证的单位（场馆、商家、医院或社康等医疗卫生机构）办理，补办、续办请直接联系该单位。如需办理政务服务事项，请告诉我要办什么；其他问题可拨打%s热线咨询。", hot)
	case "company":
		msg = fmt.Sprintf("抱歉，这类业务由供水、供电、燃气、通信运营商、保险公司、检测机构或网络平台等服务单位为其客户办理，不属于福田区政务服务事项，请直接联系该单位。如需办理政务服务事项，请告诉我要办什么；其他问题可拨打%s热线咨询。", hot)
	case "place":
		msg = fmt.Sprintf("抱歉，我只能解答深圳市福田区的政务服务事项。其他地区的事项，建议咨询当地政务服务热线（拨打%s）或当地政务服务中心。", hot)
	case "learned":
		msg = fmt.Sprintf("抱歉，这类问题不属于福田区政务服务事项（一般由商家、其他机构或其他地区的部门办理），我无法给出准确答复。如需办理政务服务事项，请告诉我要办什么；其他问题可拨打%s政务服务便民热线咨询。", hot)
	case "unknown":
		msg = fmt.Sprintf("抱歉，福田区政务服务事项目录中暂未收录您咨询的事项，我无法给出准确答复。建议拨打%s政务服务便民热线咨询，或点击“转人工”由工作人员为您解答。", hot)
	case "nothing":
		msg = fmt.Sprintf("抱歉，我没有在福田区政务服务事项中找到相关内容。您可以换个说法描述要办的事情，或拨打%s政务服务便民热线，也可以点击“转人工”。", hot)
	default:
		msg = fmt.Sprintf("抱歉，这个问题不属于政务服务咨询范围，我暂时无法回答。如需办理政务服务事项，请告诉我要办什么；其他问题可拨打%s热线咨询。", hot)
	}
	r.Answer = msg
	r.Suggestions = []string{HandoffSuggestion}
}

func (as *Assistant) composeHandoff(t *turnState, r *Reply) {
	if it := t.item; it != nil {
		r.Citations = []Citation{{ID: it.ID, Name: it.Name}}
	}
	if t.sensitive != nil && t.sensitive.Category == "self_harm" {
		r.Answer = "听起来您现在很难受，您并不孤单。已为您转接人工客服，工作人员会尽快联系您。如遇紧急情况，请立即拨打110或120。"
		return
	}
	if hasAny(t.in.norm, as.complaints) {
		// A complaint: the ticket says so, with what the resident wrote.
		t.reason = convo.ReasonComplaint + "：" + firstRunes(t.in.masked, 60)
		r.Answer = fmt.Sprintf("已记录您的投诉，并为您转接人工客服，工作人员会尽快在此回复您（工作日 9:00-18:00）。您也可以拨打%s政务服务便民热线反映。", as.cfg.Hotline)
		return
	}
	if strings.HasPrefix(t.reason, "连续多次") {
		r.Answer = fmt.Sprintf("抱歉，我几次都没能帮上忙。已为您转接人工客服，工作人员会尽快在此回复您（工作日 9:00-18:00）；您也可以拨打%s政务服务便民热线。", as.cfg.Hotline)
		return
	}
	r.Answer = fmt.Sprintf("好的，已为您转接人工客服，工作人员会尽快在此回复您（工作日 9:00-18:00）。您也可以拨打%s政务服务便民热线。", as.cfg.Hotline)
}

// firstRunes cuts s to at most n characters.
func firstRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// writeAskedMaterial answers "要带X吗" from the item's materials: the
// material and its form when the list has it, or that the list does not.
func (as *Assistant) writeAskedMaterial(b *strings.Builder, it *kb.Item, thing string) {
	if m, ok := as.findMaterial(it, thing); ok {
		fmt.Fprintf(b, "需要：%s。\n", materialLine(m))
		return
	}
	fmt.Fprintf(b, "办事指南的材料清单中没有“%s”，以受理窗口为准。\n", thing)
}

// findMaterial finds the material a resident's word for a document means:
// most of its character pairs in the material's name (户口本 →
// 居民户口簿), or a catalogue word it stands for.
func (as *Assistant) findMaterial(it *kb.Item, thing string) (kb.Material, bool) {
	norm := as.a.Normalize(thing)
	q := as.cfg.Index.Analyse(norm)
	for _, m := range it.Materials {
		name := as.a.Normalize(m.Name)
		if strings.Contains(name, norm) || overlap(bigramSet(norm), bigramSet(name)) >= 0.5 {
			return m, true
		}
		for _, w := range q.Words {
			if len([]rune(w.Text)) >= 3 && strings.Contains(name, w.Text) {
				return m, true
			}
		}
	}
	return kb.Material{}, false
}

// writeAskedHours answers "星期六开门吗", "中午休息吗", "明天上班吗" with
// each hall's hours for that day. A dated day (今天, 明天, 这周六, 1月1号)
// is read against the injected clock and the hall calendar, so that a
// public holiday says so instead of the weekday's hours.
func (as *Assistant) writeAskedHours(ctx context.Context, b *strings.Builder, route *Route, norm string) {
	day, noon := hoursQuestion(norm)
	if d, said, ok := spokenDay(norm, as.today()); ok && askedDay.FindString(said) != said {
		date := d.Format(time.DateOnly)
		label := clock.Day(date)
		if said == "今天" || said == "今日" || said == "明天" || said == "明日" || said == "后天" || said == "大后天" {
			label = said + "（" + strings.Replace(label, "（", "，", 1)
		}
		if as.cfg.Booking != nil {
			name, err := as.cfg.Booking.Holiday(ctx, date)
			if err != nil {
				// Without the calendar the weekday's hours still help;
				// say they are the usual ones.
				slog.WarnContext(ctx, "hall calendar unavailable", "err", err)
			} else if name != "" {
				fmt.Fprintf(b, "%s是%s假期，各办事大厅不办公。\n", label, name)
				return
			}
		}
		day = int(d.Weekday())
		if day == 0 {
			day = 7
		}
		fmt.Fprintf(b, "%s：\n", label)
	}
	if day == 0 && !noon {
		return
	}
	for _, h := range route.Halls {
		if s := hoursOn(h.Hours, day, noon); s != "" {
			fmt.Fprintf(b, "%s：%s。\n", h.Name, s)
		}
	}
}
