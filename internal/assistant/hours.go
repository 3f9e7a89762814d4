package assistant

import (
	"fmt"
	"regexp"
	"strings"
)

// Opening-hours questions ("中午休息吗", "星期天上班不") are answered
// with each hall's hours for the day asked, read from the hall's hours
// as the catalogue writes them: "周一至周五 9:00-12:00，14:00-18:00；
// 周六 9:00-12:00（部分事项）".

var weekdayNames = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "末": weekend}

// weekend is 周末: Saturday and Sunday.
const weekend = 8

var (
	askedDay  = regexp.MustCompile(`(?:周|星期|礼拜)([一二三四五六日天末])`)
	hoursPart = regexp.MustCompile(`^(.*?)(?:周|星期)([一二三四五六日])(?:至(?:周|星期)?([一二三四五六日]))?\s*(.*)$`)
	timeSpan  = regexp.MustCompile(`(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})`)
)

// hoursQuestion returns the day a message asks about (1 = Monday … 7 =
// Sunday, weekend for 周末), and whether it
// asks about the midday break.
func hoursQuestion(norm string) (day int, noon bool) {
	if m := askedDay.FindStringSubmatch(norm); m != nil {
		day = weekdayNames[m[1]]
	}
	noon = strings.Contains(norm, "中午") || strings.Contains(norm, "午休")
	return day, noon
}

// hoursOn says a hall's hours on a day, or for the midday break.
func hoursOn(hours string, day int, noon bool) string {
	type part struct {
		from, to int
		spans    [][]string
		note     string
	}
	var parts []part
	for _, seg := range strings.FieldsFunc(hours, func(r rune) bool { return r == '；' || r == ';' }) {
		m := hoursPart.FindStringSubmatch(strings.TrimSpace(seg))
		if m == nil {
			continue
		}
		p := part{from: weekdayNames[m[2]], to: weekdayNames[m[2]], note: strings.TrimSpace(m[1])}
		if m[3] != "" {
			p.to = weekdayNames[m[3]]
		}
		p.spans = timeSpan.FindAllStringSubmatch(m[4], -1)
		if i := strings.IndexAny(m[4], "（("); i >= 0 {
			p.note = strings.TrimSpace(p.note + m[4][i:])
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	dayText := func(d int) string {
		name := []string{"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"}[d]
		for _, p := range parts {
			if d >= p.from && d <= p.to && len(p.spans) > 0 {
				var ss []string
				for _, s := range p.spans {
					ss = append(ss, s[1]+"-"+s[2])
				}
				out := name + "办公 " + strings.Join(ss, "，")
				if p.note != "" {
					out += " " + p.note
				}
				return out
			}
		}
		return name + "不办公"
	}
	var out []string
	if noon {
		for _, p := range parts {
			if len(p.spans) >= 2 {
				out = append(out, fmt.Sprintf("中午 %s-%s 休息", p.spans[0][2], p.spans[1][1]))
				break
			}
		}
		if len(out) == 0 {
			out = append(out, "中午不休息")
		}
	}
	switch {
	case day == weekend:
		out = append(out, dayText(6), dayText(7))
	case day > 0:
		out = append(out, dayText(day))
	}
	return strings.Join(out, "；")
}
