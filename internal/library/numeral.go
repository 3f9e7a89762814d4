package library

import (
	"strconv"
	"strings"
)

var digitValue = map[rune]int{
	'零': 0, '〇': 0, '○': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var unitValue = map[rune]int{'十': 10, '百': 100, '千': 1000, '万': 10000}

// ParseNumeral reads a Chinese numeral as law texts write article numbers
// (一千二百六十, 二十, 十五, 一百零五) or plain digits (「第30条」), up to
// 99 999. It reports false for anything else.
func ParseNumeral(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n, true
	}
	total, section, num := 0, 0, 0
	lastDigit := -1 // the digit just read, -1 after a unit
	for _, r := range s {
		if d, ok := digitValue[r]; ok {
			if lastDigit > 0 {
				return 0, false // two digits in a row (二三); 零五 is fine
			}
			num, lastDigit = d, d
			continue
		}
		u, ok := unitValue[r]
		if !ok {
			return 0, false
		}
		if lastDigit < 0 {
			if u != 10 {
				return 0, false // 百 or 千 without a digit
			}
			num = 1 // 十五, 一百十
		}
		if u == 10000 {
			total += (section + num) * u
			section, num, lastDigit = 0, 0, -1
			continue
		}
		section += num * u
		num, lastDigit = 0, -1
	}
	return total + section + num, true
}

// Numeral writes n (0 < n < 100 000) the way law texts number articles:
// 一, 十, 十五, 二十, 一百零五, 一千二百六十.
func Numeral(n int) string {
	if n <= 0 {
		return "零"
	}
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	units := []struct {
		v int
		r string
	}{{10000, "万"}, {1000, "千"}, {100, "百"}, {10, "十"}}
	var b strings.Builder
	zero := false
	started := false
	for _, u := range units {
		q := n / u.v
		n %= u.v
		if q == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteRune('零')
			zero = false
		}
		// 十五 rather than 一十五 when the number starts with its tens.
		if !(u.v == 10 && q == 1 && !started) {
			b.WriteRune(d[q])
		}
		b.WriteString(u.r)
		started = true
	}
	if n > 0 {
		if zero {
			b.WriteRune('零')
		}
		b.WriteRune(d[n])
	}
	return b.String()
}

// ArticleNo is an article's number: 第三十条 is {30, 0}, 第三十条之一
// is {30, 1}. Ordered by Main, then Sub.
type ArticleNo struct {
	Main int
	Sub  int
}

// String is the article's label as the law writes it: 第三十条之一.
func (n ArticleNo) String() string {
	s := "第" + Numeral(n.Main) + "条"
	if n.Sub > 0 {
		s += "之" + Numeral(n.Sub)
	}
	return s
}

// Less orders article numbers.
func (n ArticleNo) Less(m ArticleNo) bool {
	if n.Main != m.Main {
		return n.Main < m.Main
	}
	return n.Sub < m.Sub
}

// ParseArticleNo reads a label such as 第三十条, 第三十条之一, 第30条 or
// 三十 (the bare number).
func ParseArticleNo(s string) (ArticleNo, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "第")
	main, sub, _ := strings.Cut(s, "条")
	if strings.HasPrefix(sub, "之") {
		sub = strings.TrimPrefix(sub, "之")
	} else if sub != "" {
		return ArticleNo{}, false
	}
	m, ok := ParseNumeral(main)
	if !ok || m <= 0 {
		return ArticleNo{}, false
	}
	n := ArticleNo{Main: m}
	if sub != "" {
		if n.Sub, ok = ParseNumeral(sub); !ok || n.Sub <= 0 {
			return ArticleNo{}, false
		}
	}
	return n, true
}
