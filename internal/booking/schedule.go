package booking

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Clock is a time of day in minutes after midnight.
type Clock int

// ParseClock reads "9:00", "09:30" or "14：00".
func ParseClock(s string) (Clock, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "：", ":")
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	return Clock(hh*60 + mm), nil
}

// String formats the clock as "09:00".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Period is one stretch of opening time, [Start, End).
type Period struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// MarshalJSON writes {"start":"09:00","end":"12:00"}.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start string `json:"start"`
		End   string `json:"end"`
	}{p.Start.String(), p.End.String()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Period) UnmarshalJSON(b []byte) error {
	var v struct{ Start, End string }
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s, err := ParseClock(v.Start)
	if err != nil {
		return err
	}
	e, err := ParseClock(v.End)
	if err != nil {
		return err
	}
	*p = Period{s, e}
	return nil
}

// Schedule is a hall's weekly opening hours: for each weekday (index
// time.Weekday, Sunday = 0) the periods it is open; the gap between two
// periods is the lunch break. Appointments are cut into slots of
// SlotMinutes.
type Schedule struct {
	Week        [7][]Period `json:"week"`
	SlotMinutes int         `json:"slot_minutes"`
}

// DefaultSlotMinutes is the slot length when a schedule does not say.
const DefaultSlotMinutes = 30

// Validate reports overlapping or inverted periods and odd slot lengths.
func (s *Schedule) Validate() error {
	if s.SlotMinutes < 5 || s.SlotMinutes > 240 {
		return fmt.Errorf("slot length %d minutes is outside 5–240", s.SlotMinutes)
	}
	for wd, ps := range s.Week {
		for i, p := range ps {
			if p.End <= p.Start {
				return fmt.Errorf("%s: period %s-%s ends before it starts", weekdayNames[wd], p.Start, p.End)
			}
			if i > 0 && p.Start < ps[i-1].End {
				return fmt.Errorf("%s: periods %s-%s and %s-%s overlap", weekdayNames[wd], ps[i-1].Start, ps[i-1].End, p.Start, p.End)
			}
		}
	}
	return nil
}

// Open reports whether the schedule opens on any weekday.
func (s *Schedule) Open() bool {
	for _, ps := range s.Week {
		if len(ps) > 0 {
			return true
		}
	}
	return false
}

// Slots cuts a day's periods into slot start times; a slot that would run
// past the end of its period (into the lunch break) is not offered.
func (s *Schedule) Slots(periods []Period) []Clock {
	n := s.SlotMinutes
	if n <= 0 {
		n = DefaultSlotMinutes
	}
	var out []Clock
	for _, p := range periods {
		for c := p.Start; c+Clock(n) <= p.End; c += Clock(n) {
			out = append(out, c)
		}
	}
	return out
}

var weekdayNames = [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// String writes the schedule in the form ParseHours reads:
// "周一至周五 09:00-12:00，14:00-18:00；周六 09:00-12:00".
func (s Schedule) String() string {
	// Group consecutive weekdays (Monday first) with equal periods.
	order := []int{1, 2, 3, 4, 5, 6, 0}
	key := func(wd int) string {
		var b strings.Builder
		for i, p := range s.Week[wd] {
			if i > 0 {
				b.WriteString("，")
			}
			fmt.Fprintf(&b, "%s-%s", p.Start, p.End)
		}
		return b.String()
	}
	var parts []string
	for i := 0; i < len(order); {
		k := key(order[i])
		j := i
		for j+1 < len(order) && key(order[j+1]) == k {
			j++
		}
		if k != "" {
			days := weekdayNames[order[i]]
			if j > i {
				days += "至" + weekdayNames[order[j]]
			}
			parts = append(parts, days+" "+k)
		}
		i = j + 1
	}
	return strings.Join(parts, "；")
}

var (
	rangeRe    = regexp.MustCompile(`(\d{1,2})\s*[:：]\s*(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})\s*[:：]\s*(\d{2})`)
	weekdayRe  = regexp.MustCompile(`(?:周|星期|礼拜)([一二三四五六日天])`)
	dayNumbers = map[string]int{"日": 0, "天": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
	// conditionRe marks hours that hold only sometimes or for some items:
	// they cannot become a weekly schedule on their own.
	conditionRe = regexp.MustCompile(`部分|征期|仅|限|除外|单周|双周|另行|预约制|节假日`)
)

// ParseHours reads a hall's opening hours as the catalogue writes them,
// e.g. "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00（部分事项）",
// into a weekly schedule. Segments it cannot turn into plain weekly hours
// ("征期周六 …", "（部分事项）") are left out and explained in the
// returned notes, so that staff can set them by hand. It fails only when
// nothing at all could be read.
func ParseHours(text string) (Schedule, []string, error) {
	sched := Schedule{SlotMinutes: DefaultSlotMinutes}
	var notes []string
	segs := strings.FieldsFunc(text, func(r rune) bool { return r == '；' || r == ';' || r == '\n' || r == '。' })
	read := 0
	for _, seg := range segs {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		days, rest, ok := parseDays(seg)
		if !ok {
			notes = append(notes, fmt.Sprintf("“%s”：未写明星期几，未纳入预约时段", seg))
			continue
		}
		if conditionRe.MatchString(seg) {
			notes = append(notes, fmt.Sprintf("“%s”：仅部分时间或部分事项开放，未纳入默认预约时段，请工作人员按需设置", seg))
			continue
		}
		var periods []Period
		bad := false
		for _, m := range rangeRe.FindAllStringSubmatch(rest, -1) {
			s, err1 := ParseClock(m[1] + ":" + m[2])
			e, err2 := ParseClock(m[3] + ":" + m[4])
			if err1 != nil || err2 != nil || e <= s {
				bad = true
				break
			}
			periods = append(periods, Period{s, e})
		}
		if bad || len(periods) == 0 {
			notes = append(notes, fmt.Sprintf("“%s”：无法识别时间段，未纳入预约时段", seg))
			continue
		}
		sort.Slice(periods, func(i, j int) bool { return periods[i].Start < periods[j].Start })
		overlap := false
		for i := 1; i < len(periods); i++ {
			if periods[i].Start < periods[i-1].End {
				overlap = true
			}
		}
		if overlap {
			notes = append(notes, fmt.Sprintf("“%s”：时间段重叠，未纳入预约时段", seg))
			continue
		}
		for _, d := range days {
			if len(sched.Week[d]) > 0 {
				notes = append(notes, fmt.Sprintf("“%s”：%s 已有时间段，以后写的为准", seg, weekdayNames[d]))
			}
			sched.Week[d] = append([]Period(nil), periods...)
		}
		read++
	}
	if read == 0 {
		return Schedule{}, notes, fmt.Errorf("no weekly opening hours found in %q", text)
	}
	return sched, notes, nil
}

// parseDays reads the weekday part at the start of a segment ("周一至周五",
// "周六、周日", "工作日", "每天") and returns the weekdays and the rest.
func parseDays(seg string) ([]int, string, bool) {
	// Everything before the first digit names the days.
	i := strings.IndexFunc(seg, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		i = len(seg)
	}
	head, rest := seg[:i], seg[i:]
	switch {
	case strings.Contains(head, "工作日"):
		return []int{1, 2, 3, 4, 5}, rest, true
	case strings.Contains(head, "每天"), strings.Contains(head, "每日"), strings.Contains(head, "全天"), strings.Contains(head, "周一至周日"):
		return []int{0, 1, 2, 3, 4, 5, 6}, rest, true
	case strings.Contains(head, "周末") || strings.Contains(head, "双休日"):
		return []int{6, 0}, rest, true
	}
	ms := weekdayRe.FindAllStringSubmatchIndex(head, -1)
	if len(ms) == 0 {
		return nil, rest, false
	}
	num := func(k int) int { return dayNumbers[head[ms[k][2]:ms[k][3]]] }
	var days []int
	seen := map[int]bool{}
	add := func(d int) {
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	for k := 0; k < len(ms); k++ {
		if k+1 < len(ms) {
			between := head[ms[k][1]:ms[k+1][0]]
			if strings.ContainsAny(between, "至到-–—~～") {
				// A range, Monday-based (周一至周日 covers all seven);
				// one running backwards wraps round the week end.
				a, b := (num(k)+6)%7, (num(k+1)+6)%7
				if b < a {
					b += 7
				}
				for x := a; x <= b; x++ {
					add((x + 1) % 7)
				}
				k++
				continue
			}
		}
		add(num(k))
	}
	return days, rest, true
}

// DayPeriods is the opening time on one date under a schedule and a
// calendar: nothing on a holiday, the weekday's hours otherwise, and on a
// make-up working day (调休) the hours of the weekday it stands in for.
func DayPeriods(s *Schedule, cal Calendar, day time.Time) []Period {
	key := day.Format(DayLayout)
	wd := day.Weekday()
	if c, ok := cal[key]; ok {
		switch c.Kind {
		case Holiday:
			return nil
		case Workday:
			wd = c.AsWeekday
		}
	}
	return s.Week[wd]
}

// DayLayout is how days are written everywhere: 2026-12-01.
const DayLayout = "2006-01-02"
