package assistant

import (
	"regexp"
	"strings"
)

// The output guard compares what a model wrote with the item's facts in
// one normal form, so that a figure or a link cannot slip past it by its
// spelling: full-width characters become ASCII (４００－８２０ → 400-820),
// runs of Chinese numerals become Arabic figures (四零零 → 400, 十五 →
// 15), and digit groups joined by spaces, dots, dashes or slashes are one
// figure (0755 8291 8000 → 075582918000). Links are found with or without
// a scheme (www.example.com/x, example.gov.cn).

// numeralWords contain numeral characters without being figures; they are
// left as they are (十分 is "very", 万一 "in case").
var numeralWords = []string{"十分", "万一", "千万", "一些", "一下", "一起", "一样", "一般", "统一", "唯一", "一律", "一并",
	"一致", "一切", "一旦", "逐一", "之一", "一定", "一直", "一同", "一键", "一网通办", "一件事", "一窗", "一门", "一次性", "一体化"}

var digitOf = map[rune]int{'零': 0, '〇': 0, '○': 0, '洞': 0, '一': 1, '幺': 1, '壹': 1, '二': 2, '两': 2, '贰': 2, '三': 3, '叁': 3,
	'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9}

var unitOf = map[rune]int{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

func isNumeral(r rune) bool {
	_, d := digitOf[r]
	_, u := unitOf[r]
	return d || u || r == '万' || r == '亿'
}

// normalizeFigures puts text in the guard's normal form (see above).
func normalizeFigures(s string) string {
	s = toHalfWidth(s)
	// Hide the words that only look like numbers, convert, restore.
	var hidden []string
	for _, w := range numeralWords {
		if strings.Contains(s, w) {
			hidden = append(hidden, w)
			s = strings.ReplaceAll(s, w, "\x00"+string(rune(0xE000+len(hidden)-1))+"\x00")
		}
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); {
		if !isNumeral(rs[i]) || rs[i] == '万' || rs[i] == '亿' {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && isNumeral(rs[j]) {
			j++
		}
		b.WriteString(chineseNumber(rs[i:j]))
		i = j
	}
	s = b.String()
	for k, w := range hidden {
		s = strings.ReplaceAll(s, "\x00"+string(rune(0xE000+k))+"\x00", w)
	}
	return s
}

// toHalfWidth maps full-width ASCII (U+FF01–U+FF5E) and the ideographic
// space to ASCII, and dashes that join digits to '-'.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		case r == '–' || r == '—' || r == '‒' || r == '―' || r == '－':
			return '-'
		}
		return r
	}, s)
}

// chineseNumber turns a run of numerals into Arabic digits: a run without
// units is read digit by digit (二〇二四 → 2024, 幺三八 → 138); one with
// units is a number (一百二十 → 120, 十五 → 15, 三万五千 → 35000).
func chineseNumber(rs []rune) string {
	hasUnit := false
	for _, r := range rs {
		if _, ok := unitOf[r]; ok || r == '万' || r == '亿' {
			hasUnit = true
		}
	}
	if !hasUnit {
		var b strings.Builder
		for _, r := range rs {
			b.WriteByte(byte('0' + digitOf[r]))
		}
		return b.String()
	}
	total, section, digit := 0, 0, -1
	for _, r := range rs {
		switch {
		case r == '万' || r == '亿':
			if digit >= 0 {
				section += digit
			}
			mult := 10000
			if r == '亿' {
				mult = 100000000
			}
			total = (total + section) * mult
			section, digit = 0, -1
		default:
			if u, ok := unitOf[r]; ok {
				if digit < 0 {
					digit = 1 // 十五: one ten
				}
				section += digit * u
				digit = -1
			} else {
				digit = digitOf[r]
			}
		}
	}
	if digit >= 0 {
		section += digit
	}
	return itoa(total + section)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// figureRe finds figures: digit groups joined by single separators.
var figureRe = regexp.MustCompile(`\d+(?:[ .\-_/]\d+)*`)

// figures returns each figure of normalised text with its separators
// dropped ("0755-8291 8000" → "075582918000").
func figures(norm string) []string {
	var out []string
	for _, f := range figureRe.FindAllString(norm, -1) {
		out = append(out, digitsOnly(f))
	}
	return out
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// figureSource is the facts as one string in which every figure appears
// with its separators dropped, each figure between spaces.
func figureSource(norm string) string {
	return " " + strings.Join(figures(norm), " ") + " "
}

// linkRe finds links with or without a scheme: a host of two or more
// labels ending in letters, and an optional path.
var linkRe = regexp.MustCompile(`(?i)(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?`)

// linkKey is a link compared without its scheme, case of host, or a
// trailing slash or punctuation.
func linkKey(u string) string {
	u = strings.TrimRight(u, ".,;:!?)/")
	low := strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(low, p) {
			u = u[len(p):]
			break
		}
	}
	host, path, _ := strings.Cut(u, "/")
	if path != "" {
		return strings.ToLower(host) + "/" + path
	}
	return strings.ToLower(host)
}
