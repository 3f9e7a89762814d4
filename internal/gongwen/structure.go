package gongwen

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// role is what a paragraph is in the document's structure.
type role int

const (
	roleEmpty  role = iota
	roleHeader      // 份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人
	roleTitle
	roleRecipients
	roleBody
	roleAttachNote // 附件说明 and its continuation lines
	roleSignature
	roleDate
	roleRemark
	roleAttachLabel // "附件1" heading an attachment
	roleAttachTitle
	roleAttachBody
	roleCC
	rolePrint
)

// structure is what analyze finds in a source: a role per paragraph.
type structure struct {
	roles []role
	// recipientsMissingColon is set when the line after the title looks
	// like the 主送机关 but does not end with "：".
	recipientsNoColon int // paragraph index, or -1
}

var (
	reCopyNo    = regexp.MustCompile(`^\d{6}$`)
	reSecret    = regexp.MustCompile(`^(绝密|机密|秘密)`)
	reUrgency   = regexp.MustCompile(`^(特急|加急|特提|平急)$`)
	reDocNumFul = regexp.MustCompile(`^\p{Han}{1,12}\s*[〔\[［【(（{]\s*\d{2,4}\s*[〕\]］】)）}]\s*第?\s*\d+\s*号`)
	reDateLine  = regexp.MustCompile(`^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$`)
	// A date line written with points or dashes ("2024.12.3"), which
	// checkDates reports; it is still where the 成文日期 stands.
	reDottedLine = regexp.MustCompile(`^(?:19|20)\d{2}(?:\.\d{1,2}\.|-\d{1,2}-|/\d{1,2}/|．\d{1,2}．)\d{1,2}$`)
	reAttachLbl  = regexp.MustCompile(`^附\s*件\s*\d*$`)
	rePrintLine  = regexp.MustCompile(`印发$`)
)

// trimSpace trims ASCII and full-width spaces.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
}

func endsWithTitleWord(s string) bool {
	s = strings.TrimRight(s, "。，、；：！？.,;:!? ")
	for _, t := range Types {
		if strings.HasSuffix(s, t.TitleWord()) {
			return true
		}
	}
	return strings.HasSuffix(s, "复函") || strings.HasSuffix(s, "命令")
}

func hasTerminal(s string) bool {
	return strings.ContainsAny(s, "。！？；")
}

func isHeaderLine(s string) bool {
	switch {
	case reCopyNo.MatchString(s), reSecret.MatchString(s), reUrgency.MatchString(s),
		reDocNumFul.MatchString(s), strings.HasPrefix(s, "签发人"):
		return true
	case strings.HasSuffix(s, "文件") && utf8.RuneCountInString(s) <= 30 && !hasTerminal(s):
		return true
	}
	return false
}

// recipientSuffixes end names of organisations and groups a 主送机关 line
// is made of.
var recipientSuffixes = []string{"局", "委", "办", "厅", "部", "院", "政府", "单位", "部门", "公司",
	"街道", "社区", "委员", "同志", "机构", "学校", "中心", "镇", "乡", "处", "科", "室", "会", "所",
	"站", "队", "组", "党组", "办事处"}

func looksLikeRecipients(s string) bool {
	if hasTerminal(s) || utf8.RuneCountInString(s) > 60 || headingLevel(s) > 0 {
		return false
	}
	t := strings.TrimRight(s, ",，:")
	for _, suf := range recipientSuffixes {
		if strings.HasSuffix(t, suf) {
			return true
		}
	}
	return false
}

// analyze assigns roles. It is forgiving: a plain letter without header or
// 版记 is still parsed, and whatever cannot be placed is body.
func analyze(src *Source) *structure {
	n := len(src.Paragraphs)
	st := &structure{roles: make([]role, n), recipientsNoColon: -1}
	txt := make([]string, n)
	var ne []int // non-empty paragraph indexes
	for i, p := range src.Paragraphs {
		txt[i] = trimSpace(p)
		if txt[i] != "" {
			ne = append(ne, i)
			st.roles[i] = roleBody
		}
	}
	if len(ne) == 0 {
		return st
	}
	// The 版头 ends with the last header-like line among the first few;
	// lines before it (an organ's name as 发文机关标志 of a 函) belong to it.
	k := 0
	for j := 0; j < len(ne) && j < 6; j++ {
		if s := txt[ne[j]]; isHeaderLine(s) {
			k = j + 1
		} else if hasTerminal(s) || utf8.RuneCountInString(s) > 40 {
			break
		}
	}
	for j := 0; j < k; j++ {
		st.roles[ne[j]] = roleHeader
	}
	// Title: lines joined until they end with a type word ("…的通知");
	// failing that, the lines up to a 主送机关 line ending with a colon.
	titleEnd := -1 // exclusive index into ne
	joined := ""
	for j := k; j < len(ne) && j < k+4; j++ {
		s := txt[ne[j]]
		if headingLevel(s) > 0 || (j > k && hasTerminal(strings.TrimRight(s, "。；！？"))) {
			break
		}
		joined += s
		if endsWithTitleWord(joined) {
			titleEnd = j + 1
			break
		}
		if hasTerminal(s) || (!src.Text && j > k) {
			break
		}
	}
	rec := -1
	if titleEnd < 0 {
		for j := k; j < len(ne) && j < k+6; j++ {
			s := txt[ne[j]]
			if hasTerminal(strings.TrimRight(s, "。；！？")) || headingLevel(s) > 0 {
				break
			}
			if (strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")) && j > k {
				if j-k <= 4 {
					titleEnd, rec = j, j
				}
				break
			}
		}
	} else if titleEnd < len(ne) {
		if s := txt[ne[titleEnd]]; strings.HasSuffix(s, "：") && !hasTerminal(s) && utf8.RuneCountInString(s) <= 80 {
			rec = titleEnd
		}
	}
	body := k
	if titleEnd > k {
		for j := k; j < titleEnd; j++ {
			st.roles[ne[j]] = roleTitle
		}
		body = titleEnd
		if rec == titleEnd {
			st.roles[ne[rec]] = roleRecipients
			body = rec + 1
		} else if titleEnd < len(ne) && looksLikeRecipients(txt[ne[titleEnd]]) {
			st.roles[ne[titleEnd]] = roleRecipients
			st.recipientsNoColon = ne[titleEnd]
			body = titleEnd + 1
		}
	}
	// The tail, from the end: 版记, attachments, 附注, date, signature.
	end := len(ne)
	for end > body {
		s := txt[ne[end-1]]
		switch {
		case strings.HasPrefix(s, "抄送"):
			st.roles[ne[end-1]] = roleCC
		case rePrintLine.MatchString(s) && strings.Contains(s, "年"):
			st.roles[ne[end-1]] = rolePrint
		default:
			goto tailDone
		}
		end--
	}
tailDone:
	// The date line: the last full-date paragraph of the document's first
	// part (attachments follow it).
	date := -1
	for j := body; j < end; j++ {
		if reDateLine.MatchString(txt[ne[j]]) || reDottedLine.MatchString(txt[ne[j]]) {
			date = j
			// Attachments and remark come after the date; only a date
			// followed by them or by nothing is the 成文日期.
			if rest := ne[j+1 : end]; len(rest) == 0 || reAttachLbl.MatchString(txt[rest[0]]) ||
				strings.HasPrefix(txt[rest[0]], "（") || strings.HasPrefix(txt[rest[0]], "(") {
				break
			}
			date = -1
		}
	}
	if date < 0 {
		return st
	}
	st.roles[ne[date]] = roleDate
	if date-1 >= body {
		s := txt[ne[date-1]]
		if !hasTerminal(s) && utf8.RuneCountInString(s) <= 40 && headingLevel(s) == 0 {
			st.roles[ne[date-1]] = roleSignature
		}
	}
	// 附件说明: "附件：" before the signature, with its numbered continuations.
	for j := body; j < date; j++ {
		s := txt[ne[j]]
		if strings.HasPrefix(s, "附件：") || strings.HasPrefix(s, "附件:") {
			st.roles[ne[j]] = roleAttachNote
			for j2 := j + 1; j2 < date && st.roles[ne[j2]] == roleBody; j2++ {
				if !reAttachItem.MatchString(txt[ne[j2]]) {
					break
				}
				st.roles[ne[j2]] = roleAttachNote
			}
			break
		}
	}
	j := date + 1
	if j < end && (strings.HasPrefix(txt[ne[j]], "（") || strings.HasPrefix(txt[ne[j]], "(")) {
		st.roles[ne[j]] = roleRemark
		j++
	}
	for ; j < end; j++ {
		s := txt[ne[j]]
		if reAttachLbl.MatchString(s) {
			st.roles[ne[j]] = roleAttachLabel
			if j+1 < end {
				st.roles[ne[j+1]] = roleAttachTitle
				j++
			}
			continue
		}
		st.roles[ne[j]] = roleAttachBody
	}
	return st
}

var reAttachItem = regexp.MustCompile(`^\d{1,2}\s*[.．、]`)

// Heading markers of the four levels (GB/T 9704-2012 §7.3.3): "一、",
// "（一）", "1.", "（1）", with the wrong forms people type.
var (
	reH1 = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})([、，,．.])`)
	reH2 = regexp.MustCompile(`^([（(])([一二三四五六七八九十]{1,3})([）)])([、，,．.]?)`)
	reH3 = regexp.MustCompile(`^(\d{1,2})([.．、，,])`)
	reH4 = regexp.MustCompile(`^([（(])(\d{1,2})([）)])([、，,．.]?)`)
)

// heading is a parsed heading marker at the start of a paragraph.
type heading struct {
	level int
	n     int    // its number
	text  string // the marker as written
	want  string // the marker as it should be
}

func headingLevel(s string) int {
	if h, ok := parseHeading(s); ok {
		return h.level
	}
	return 0
}

func parseHeading(s string) (heading, bool) {
	if m := reH1.FindStringSubmatch(s); m != nil {
		// "一是" and "一方面" are not headings; "一、" is; "一，" and "一." are
		// headings typed wrongly only when the marker is short.
		n := chineseNumber(m[1])
		if n <= 0 {
			return heading{}, false
		}
		return heading{1, n, m[0], m[1] + "、"}, true
	}
	if m := reH2.FindStringSubmatch(s); m != nil {
		n := chineseNumber(m[2])
		if n <= 0 {
			return heading{}, false
		}
		return heading{2, n, m[0], "（" + m[2] + "）"}, true
	}
	if m := reH3.FindStringSubmatch(s); m != nil {
		rest := s[len(m[0]):]
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || unicode.IsDigit(r) || r == '%' {
			return heading{}, false // "1.5万", a number
		}
		n := atoi(m[1])
		want := m[1] + "."
		if m[2] == "．" {
			want = m[0] // full-width point is accepted
		}
		return heading{3, n, m[0], want}, true
	}
	if m := reH4.FindStringSubmatch(s); m != nil {
		return heading{4, atoi(m[2]), m[0], "（" + m[2] + "）"}, true
	}
	return heading{}, false
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// chineseNumber parses 一 … 九十九; 0 if it is not such a number.
func chineseNumber(s string) int {
	digit := func(r rune) int { return strings.IndexRune("〇一二三四五六七八九", r) / 3 }
	rs := []rune(s)
	switch len(rs) {
	case 1:
		if rs[0] == '十' {
			return 10
		}
		return digit(rs[0])
	case 2:
		if rs[0] == '十' {
			return 10 + digit(rs[1])
		}
		if rs[1] == '十' && digit(rs[0]) > 1 {
			return digit(rs[0]) * 10
		}
	case 3:
		if rs[1] == '十' && digit(rs[0]) > 1 && digit(rs[2]) > 0 {
			return digit(rs[0])*10 + digit(rs[2])
		}
	}
	return 0
}

// chineseNumeral writes 1 … 99 in Chinese numerals.
func chineseNumeral(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return ""
	case n < 10:
		return d[n]
	case n < 20:
		return "十" + d[n-10]
	}
	return d[n/10] + "十" + d[n%10]
}
