package gongwen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Dates and digits anywhere in the text (GB/T 15835-2011; 公文 style).

var (
	// "2024.12.10", "2024-12-10", "2024/12/10": one separator used twice.
	reDottedDate = regexp.MustCompile(`(^|[^\d.．/-])((?:19|20)\d{2})([./．-])(\d{1,2})([./．-])(\d{1,2})([^\d.．/-]|$)`)
	// "12月10号": a day of the month is 日 in writing.
	reHaoDay = regexp.MustCompile(`(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})(号)`)
	// Full-width digits, alone or mixed into a number ("１２", "1２").
	reWideDigits = regexp.MustCompile(`[0-9０-９]*[０-９][0-9０-９]*`)
)

func (c *checker) checkDates(l *logical) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, m := range reDottedDate.FindAllStringSubmatchIndex(s, -1) {
		if s[m[6]:m[7]] != s[m[10]:m[11]] {
			continue // 2024.12-10: not one date
		}
		y, _ := strconv.Atoi(s[m[4]:m[5]])
		mo, _ := strconv.Atoi(s[m[8]:m[9]])
		d, _ := strconv.Atoi(s[m[12]:m[13]])
		if !validDate(y, mo, d) {
			continue // a version number or a code, not a date
		}
		c.add(l, ri(m[4]), ri(m[13]), "number.date.style", Error,
			"日期应写作“××××年×月×日”，不用圆点、横线或斜线分隔", fmt.Sprintf("%d年%d月%d日", y, mo, d))
	}
	for _, m := range reHaoDay.FindAllStringSubmatchIndex(s, -1) {
		i := ri(m[6])
		c.add(l, i, i+1, "number.date.hao", Warning, "公文中的日期不用口语写法", "日")
	}
	for _, m := range reWideDigits.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		c.add(l, ri(m[0]), ri(m[1]), "number.fullwidth", Error, "阿拉伯数字应使用半角字符", halfWidthDigits(w))
	}
}

func halfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}
