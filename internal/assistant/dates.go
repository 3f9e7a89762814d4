package assistant

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Days as residents say them: 明天, 这周六, 下周一, 12月5号, 五号. They are
// read against "today" in the district's zone, taken from the injected
// clock; which of them a hall is open on is the hall calendar's business
// (Booker.Days).

var (
	relDays = []struct {
		word string
		n    int
	}{{"大后天", 3}, {"后天", 2}, {"明天", 1}, {"明日", 1}, {"今天", 0}, {"今日", 0}}
	// weekRe: an optional week (这/本/下/下下), a weekday word and the day.
	weekRe  = regexp.MustCompile(`(这个|这|本|下下个|下下|下个|下)?(?:周|星期|礼拜)([一二三四五六日天1-7])`)
	monthRe = regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2}|[一二三四五六七八九十]+)月(\d{1,2}|[一二三四五六七八九十]+)[日号]?`)
	// A bare day of the month ("5号", "十五日"), not part of a month date.
	domRe = regexp.MustCompile(`(^|[^月\d一二三四五六七八九十])(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]`)
)

var weekdayDigits = map[string]time.Weekday{"一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday,
	"五": time.Friday, "六": time.Saturday, "日": time.Sunday, "天": time.Sunday, "1": time.Monday, "2": time.Tuesday,
	"3": time.Wednesday, "4": time.Thursday, "5": time.Friday, "6": time.Saturday, "7": time.Sunday}

// cnNumber reads 1–99 in digits or Chinese numerals (五, 十二, 二十八,
// 七十六): days of the month, ages.
func cnNumber(s string) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil && fmt.Sprint(n) == s {
		return n, true
	}
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1:
		d, ok := digits[rs[0]]
		return d, ok
	case len(rs) == 2 && rs[0] == '十':
		d, ok := digits[rs[1]]
		return 10 + d, ok
	case len(rs) == 2 && rs[1] == '十':
		d, ok := digits[rs[0]]
		return d * 10, ok
	case len(rs) == 3 && rs[1] == '十':
		a, ok1 := digits[rs[0]]
		b, ok2 := digits[rs[2]]
		return a*10 + b, ok1 && ok2
	}
	return 0, false
}

// spokenDay finds the day a message names, relative to today (midnight
// in the district's zone), and the words that named it. Weeks begin on
// Monday: 这周六 is the Saturday of this week (even when it has passed),
// 下周一 the Monday after this week's Sunday, 周六 the next Saturday from
// today on.
func spokenDay(norm string, today time.Time) (day time.Time, said string, ok bool) {
	for _, r := range relDays {
		if strings.Contains(norm, r.word) {
			return today.AddDate(0, 0, r.n), r.word, true
		}
	}
	if m := weekRe.FindStringSubmatch(norm); m != nil {
		wd := weekdayDigits[m[2]]
		// Days since this week's Monday, Monday = 0 … Sunday = 6.
		idx := func(d time.Weekday) int { return (int(d) + 6) % 7 }
		monday := today.AddDate(0, 0, -idx(today.Weekday()))
		switch m[1] {
		case "这", "这个", "本":
			return monday.AddDate(0, 0, idx(wd)), m[0], true
		case "下", "下个":
			return monday.AddDate(0, 0, 7+idx(wd)), m[0], true
		case "下下", "下下个":
			return monday.AddDate(0, 0, 14+idx(wd)), m[0], true
		}
		ahead := (idx(wd) - idx(today.Weekday()) + 7) % 7
		return today.AddDate(0, 0, ahead), m[0], true
	}
	if m := monthRe.FindStringSubmatch(norm); m != nil {
		if m[1] != "" {
			var y, mo, d int
			fmt.Sscanf(m[1]+" "+m[2]+" "+m[3], "%d %d %d", &y, &mo, &d)
			return dateOf(y, mo, d, today, m[0])
		}
		mo, ok1 := cnNumber(m[4])
		d, ok2 := cnNumber(m[5])
		if !ok1 || !ok2 {
			return time.Time{}, "", false
		}
		// A month already past this year is next year's.
		y := today.Year()
		if mo < int(today.Month()) {
			y++
		}
		return dateOf(y, mo, d, today, m[0])
	}
	if m := domRe.FindStringSubmatch(norm); m != nil {
		d, ok := cnNumber(m[2])
		if !ok {
			return time.Time{}, "", false
		}
		y, mo := today.Year(), int(today.Month())
		if d < today.Day() { // a day already past this month is next month's
			if mo++; mo == 13 {
				y, mo = y+1, 1
			}
		}
		return dateOf(y, mo, d, today, strings.TrimPrefix(m[0], m[1]))
	}
	return time.Time{}, "", false
}

// dateOf builds a date, refusing one that does not exist (2月30日).
func dateOf(y, mo, d int, today time.Time, said string) (time.Time, string, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, "", false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, today.Location())
	if t.Day() != d {
		return time.Time{}, "", false
	}
	return t, said, true
}
