package gongwen

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Format rules: GB/T 9704-2012 and the 条例.

// 发文字号: 机关代字 + 〔年份〕 + 序号 + 号, year in full, no 第, no leading
// zeros (GB/T 9704-2012 §7.2.4).
var reDocNum = regexp.MustCompile(`(\p{Han}{1,12}?)([〔\[［【(（{])(\s*)(\d{2,4})(\s*)([〕\]］】)）}])(\s*)(第?)(\s*)(\d+)(\s*)号`)

func (c *checker) checkFormat() {
	for _, l := range c.logicals {
		c.checkDocNumber(l)
		switch l.role {
		case roleTitle:
			c.checkTitle(l)
		case roleRecipients:
			c.checkRecipients(l)
		case roleDate:
			c.checkDateLine(l, "format.date", "成文日期")
		case rolePrint:
			c.checkPrintLine(l)
		}
	}
	c.checkHeadings()
	c.checkAttachments()
}

func (c *checker) checkDocNumber(l *logical) {
	s := string(l.runes)
	for _, m := range reDocNum.FindAllStringSubmatchIndex(s, -1) {
		ri := runeIndexer(s)
		g := func(k int) (int, int) { return ri(m[2*k]), ri(m[2*k+1]) }
		year := s[m[8]:m[9]]
		// Court case numbers use （） by their own rules and have no 机关代字
		// before the bracket; a 2-digit or 4-digit year is required.
		if len(year) != 2 && len(year) != 4 {
			continue
		}
		ob, oe := g(2)
		cb, ce := g(6)
		if s[m[4]:m[5]] != "〔" || s[m[12]:m[13]] != "〕" {
			c.add(l, ob, oe, "format.docnum.bracket", Error, "发文字号的年份应使用六角括号〔〕", "〔")
			if s[m[12]:m[13]] != "〕" {
				c.add(l, cb, ce, "format.docnum.bracket", Error, "发文字号的年份应使用六角括号〔〕", "〕")
			}
		}
		if len(year) == 2 {
			ys, ye := g(4)
			c.add(l, ys, ye, "format.docnum.year", Error, "发文字号的年份应标全称", "20"+year)
		}
		if s[m[16]:m[17]] == "第" {
			ds, de := g(8)
			c.add(l, ds, de, "format.docnum.di", Error, "发文字号的序号不加“第”字", "")
		}
		if num := s[m[20]:m[21]]; len(num) > 1 && num[0] == '0' {
			ns, ne := g(10)
			c.add(l, ns, ne, "format.docnum.zero", Error, "发文字号的序号不编虚位（不加前导0）", strings.TrimLeft(num, "0"))
		}
	}
}

// runeIndexer converts byte offsets of s to rune offsets.
func runeIndexer(s string) func(int) int {
	return func(b int) int { return utf8.RuneCountInString(s[:b]) }
}

func (c *checker) checkTitle(l *logical) {
	n := len(l.runes)
	k := n
	for k > 0 && strings.ContainsRune("。，、；：！？.,;:!?", l.runes[k-1]) {
		k--
	}
	if k < n {
		c.add(l, k, n, "format.title.punct", Error, "标题末尾不加标点符号", "")
	}
}

func (c *checker) checkRecipients(l *logical) {
	n := len(l.runes)
	if n == 0 {
		return
	}
	last := l.runes[n-1]
	switch {
	case last == '：':
	case last == ':' || last == '，' || last == ',' || last == '。' || last == '；':
		c.add(l, n-1, n, "format.recipients.colon", Error, "主送机关名称后应使用全角冒号", "：")
	default:
		c.add(l, n-1, n, "format.recipients.colon", Error, "主送机关名称后应加全角冒号", string(last)+"：")
	}
}

var reDateParts = regexp.MustCompile(`^(\d{4}|[〇○零一二三四五六七八九]{4})(\s*年\s*)(\d{1,2}|[一二三四五六七八九十]{1,3})(\s*月\s*)(\d{1,2}|[一二三四五六七八九十]{1,3})(\s*日)`)

// checkDateLine checks a 成文日期 (or 印发日期): Arabic numerals, the year in
// full, month and day without a leading zero (GB/T 9704-2012 §7.3.5.1).
func (c *checker) checkDateLine(l *logical, rule, what string) {
	s := string(l.runes)
	lead := len(s) - len(strings.TrimLeft(s, " \u3000\t"))
	m := reDateParts.FindStringSubmatchIndex(s[lead:])
	if m == nil {
		return
	}
	for k := range m {
		m[k] += lead
	}
	ri := runeIndexer(s)
	y, mo, d := s[m[2]:m[3]], s[m[6]:m[7]], s[m[10]:m[11]]
	if !isASCIIDigits(y) || !isASCIIDigits(mo) || !isASCIIDigits(d) {
		yy, mm, dd := arabicYear(y), arabicSmall(mo), arabicSmall(d)
		if yy != "" && mm != "" && dd != "" {
			c.add(l, ri(m[2]), ri(m[11]+len("日")), rule+".arabic", Error,
				what+"应使用阿拉伯数字", yy+"年"+mm+"月"+dd+"日")
		}
		return
	}
	if len(mo) == 2 && mo[0] == '0' {
		c.add(l, ri(m[6]), ri(m[7]), rule+".zero", Error, what+"的月、日不编虚位", mo[1:])
	}
	if len(d) == 2 && d[0] == '0' {
		c.add(l, ri(m[10]), ri(m[11]), rule+".zero", Error, what+"的月、日不编虚位", d[1:])
	}
}

func (c *checker) checkPrintLine(l *logical) {
	s := string(l.runes)
	i := strings.IndexAny(s, "0123456789〇○零一二三四五六七八九")
	for i > 0 {
		// Find the date inside "XX办公室    2024年9月19日印发".
		sub := &logical{role: roleDate, runes: l.runes[utf8.RuneCountInString(s[:i]):], at: l.at[utf8.RuneCountInString(s[:i]):]}
		if reDateParts.MatchString(string(sub.runes)) {
			c.checkDateLine(sub, "format.printdate", "印发日期")
			return
		}
		j := strings.IndexAny(s[i+1:], "0123456789〇○零一二三四五六七八九")
		if j < 0 {
			return
		}
		i += 1 + j
	}
}

func isASCIIDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func arabicYear(s string) string {
	if isASCIIDigits(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		i := strings.IndexRune("〇一二三四五六七八九", r)
		switch {
		case r == '○' || r == '零':
			b.WriteByte('0')
		case i >= 0:
			b.WriteByte(byte('0' + i/3))
		default:
			return ""
		}
	}
	return b.String()
}

func arabicSmall(s string) string {
	if isASCIIDigits(s) {
		return strings.TrimLeft(s, "0")
	}
	if n := chineseNumber(s); n > 0 {
		return fmt.Sprint(n)
	}
	return ""
}

// checkHeadings checks the markers of the four heading levels: their form
// ("1." not "1、"), their sequence at each level and that no level is
// skipped (GB/T 9704-2012 §7.3.3).
func (c *checker) checkHeadings() {
	var count [5]int
	cur := 0
	for _, l := range c.logicals {
		if l.role != roleBody {
			continue
		}
		s := string(l.runes)
		lead := len([]rune(s)) - len([]rune(strings.TrimLeft(s, " \u3000\t")))
		h, ok := parseHeading(string(l.runes[lead:]))
		if !ok {
			continue
		}
		mlen := utf8.RuneCountInString(h.text)
		if h.text != h.want {
			c.add(l, lead, lead+mlen, "format.heading.style", Error,
				fmt.Sprintf("第%s层标题序号应写作“%s”", chineseNumeral(h.level), h.want), h.want)
		}
		if h.level > cur+1 {
			c.add(l, lead, lead+mlen, "format.heading.skip", Warning,
				fmt.Sprintf("标题层次跳级：%s下不应直接使用第%s层序号", levelName(cur), chineseNumeral(h.level)), "")
		}
		if want := count[h.level] + 1; h.n != want {
			c.add(l, lead, lead+mlen, "format.heading.sequence", Error,
				fmt.Sprintf("标题序号不连续：此处应为第%d个", want), numberMarker(h.level, want))
		}
		count[h.level] = h.n
		for k := h.level + 1; k < len(count); k++ {
			count[k] = 0
		}
		cur = h.level
	}
}

func levelName(level int) string {
	if level == 0 {
		return "正文开头"
	}
	return "第" + chineseNumeral(level) + "层标题"
}

func numberMarker(level, n int) string {
	switch level {
	case 1:
		return chineseNumeral(n) + "、"
	case 2:
		return "（" + chineseNumeral(n) + "）"
	case 3:
		return fmt.Sprintf("%d.", n)
	}
	return fmt.Sprintf("（%d）", n)
}

var reAttachNoteItem = regexp.MustCompile(`^(\s*)(?:(\d{1,2})(\s*[.．、]))?(.*)$`)

// checkAttachments checks the 附件说明 (GB/T 9704-2012 §7.3.4): full-width
// colon, numbering only with more than one attachment and in sequence,
// names without final punctuation, and agreement with the attachments that
// follow the document.
func (c *checker) checkAttachments() {
	type item struct {
		l         *logical
		nameStart int
		name      string
	}
	var items []item
	var numbered []struct {
		l        *logical
		from, to int
		n        int
		sep      string
	}
	for _, l := range c.logicals {
		if l.role != roleAttachNote {
			continue
		}
		s := string(l.runes)
		lead := len([]rune(s)) - len([]rune(strings.TrimLeft(s, " \u3000\t")))
		start := lead
		if strings.HasPrefix(s[len(s)-len(strings.TrimLeft(s, " \u3000\t")):], "附件") {
			rest := []rune(strings.TrimLeft(s, " \u3000\t"))
			k := 2
			for k < len(rest) && rest[k] == ' ' {
				k++
			}
			if k < len(rest) && rest[k] == ':' {
				c.add(l, lead+k, lead+k+1, "format.attachment.colon", Error, "“附件”后应使用全角冒号", "：")
			}
			start = lead + k + 1
		}
		sub := string(l.runes[min(start, len(l.runes)):])
		m := reAttachNoteItem.FindStringSubmatch(sub)
		nameStart := start + utf8.RuneCountInString(m[1])
		if m[2] != "" {
			from := nameStart
			to := from + utf8.RuneCountInString(m[2]+m[3])
			numbered = append(numbered, struct {
				l        *logical
				from, to int
				n        int
				sep      string
			}{l, from, to, atoi(m[2]), strings.TrimSpace(m[3])})
			nameStart = to
		}
		name := strings.TrimSpace(m[4])
		items = append(items, item{l, nameStart, name})
		if name != "" {
			rs := []rune(name)
			if strings.ContainsRune("。，；、.,;", rs[len(rs)-1]) {
				end := nameStart + len([]rune(strings.TrimRight(m[4], " ")))
				c.add(l, end-1, end, "format.attachment.punct", Error, "附件名称后不加标点符号", "")
			}
		}
	}
	if len(items) == 1 && len(numbered) == 1 {
		nb := numbered[0]
		c.add(nb.l, nb.from, nb.to, "format.attachment.number", Error, "只有一个附件时不编序号", "")
	} else {
		for i, nb := range numbered {
			want := fmt.Sprintf("%d.", i+1)
			if nb.n != i+1 || nb.sep == "、" {
				c.add(nb.l, nb.from, nb.to, "format.attachment.number", Error,
					"附件序号应依次写作“1.”“2.”……", want)
			}
		}
	}
	// The attachments themselves, after the 成文日期.
	var titles []*logical
	var labels []*logical
	for _, l := range c.logicals {
		switch l.role {
		case roleAttachLabel:
			labels = append(labels, l)
		case roleAttachTitle:
			titles = append(titles, l)
		}
	}
	if len(labels) == 0 {
		return
	}
	if len(items) == 0 {
		c.add(labels[0], 0, len(labels[0].runes), "format.attachment.missing", Error,
			"文后有附件，但正文后缺少附件说明", "")
		return
	}
	if len(labels) != len(items) {
		c.add(labels[0], 0, len(labels[0].runes), "format.attachment.mismatch", Error,
			fmt.Sprintf("附件说明列出%d个附件，文后附有%d个", len(items), len(labels)), "")
		return
	}
	for i, t := range titles {
		if i >= len(items) {
			break
		}
		if normName(string(t.runes)) != normName(items[i].name) {
			c.add(t, 0, len(t.runes), "format.attachment.mismatch", Error,
				fmt.Sprintf("附件标题与附件说明中第%d个附件名称不一致", i+1), items[i].name)
		}
	}
}

func normName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '《' || r == '》' {
			return -1
		}
		return r
	}, s)
	return strings.TrimRight(s, "。，；、.,;")
}

// validDate reports whether y-m-d is a calendar date.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}
