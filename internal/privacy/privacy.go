// Package privacy finds and masks personal data before anything is logged,
// stored or sent to a model: mainland ID card numbers (a real region and
// birth date; the checksum is not required, a mistyped ID is still personal
// data), mobile numbers however their groups are joined, bank card numbers
// (Luhn, or any 16–19 digits after 银行卡/卡号/账号) and e-mail addresses in
// Chinese text.
//
// Masking keeps enough to be recognisable (110101********1234,
// 138****5678, 6222 **** **** 1234, z***@qq.com) and is idempotent.
//
// Landlines and short service numbers (0755-83988110, 12345, 12329) are
// deliberately left alone: the knowledge base is full of public hall and
// hotline numbers, which answers and logs must keep, and a landline cannot
// be told apart from a hall's by its shape.
package privacy

import (
	"strings"
)

// Kind is a kind of personal data.
type Kind string

const (
	IDCard   Kind = "id_card"   // 居民身份证号 (18-digit with checksum, or 15-digit old format)
	Mobile   Kind = "mobile"    // 手机号
	BankCard Kind = "bank_card" // 银行卡号
	Email    Kind = "email"     // 电子邮箱
)

// Label is the kind's name for residents and staff.
func (k Kind) Label() string {
	switch k {
	case IDCard:
		return "身份证号"
	case Mobile:
		return "手机号"
	case BankCard:
		return "银行卡号"
	case Email:
		return "电子邮箱"
	}
	return string(k)
}

// Mask returns s with every piece of personal data masked, and the kind of
// each value it masked (one entry per value). Text without any comes back
// unchanged, without allocating.
func Mask(s string) (string, []Kind) {
	if !mayContain(s) {
		return s, nil
	}
	var found []Kind
	// A masked number leaves digits (its last four) that could, with what
	// follows, look like another number; masking until nothing changes
	// makes Mask idempotent. A second pass finds something only when
	// numbers are strung together by single spaces or dashes, each further
	// pass needs another such coincidence, so the cap is never reached by
	// real text; it bounds the work on crafted input.
	for range maxPasses {
		out, f := maskOnce(s)
		if len(f) == 0 {
			break
		}
		found = append(found, f...)
		s = out
	}
	return s, found
}

// mayContain is the fast path: no digit (ASCII or full-width) and no '@'
// means nothing to mask.
func mayContain(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= '0' && b <= '9' || b == '@' {
			return true
		}
		// Full-width digits ０-９ are EF BC 90 … EF BC 99.
		if b == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

const (
	maxDigits = 19 // the longest number masked (a bank card)
	maxPasses = 16
)

func maskOnce(s string) (string, []Kind) {
	var found []Kind
	if strings.IndexByte(s, '@') >= 0 {
		s = maskEmails(s, &found)
	}
	rs := []rune(s)
	changed := false
	// The groups of one run of numbers at a time, in one slice reused
	// along the text: every turn's question and answer are masked.
	var groups []group
	for i := 0; i < len(rs); {
		if digitValue(rs[i]) < 0 {
			i++
			continue
		}
		if end, ok := machineID(rs, i); ok {
			i = end
			continue
		}
		var end int
		groups, end = scanGroups(groups[:0], rs, i)
		for gi := 0; gi < len(groups); {
			matched := false
			// The longest match is a 19-digit card: spans stop there, which
			// keeps a pass linear however long the run of groups.
			last, n := gi-1, 0
			for last+1 < len(groups) && n+groups[last+1].end-groups[last+1].start <= maxDigits {
				last++
				n += groups[last].end - groups[last].start
			}
			for gj := last; gj >= gi; gj-- {
				span := groups[gi : gj+1]
				if k, keepHead, keepTail := classify(rs, span); k != "" {
					maskSpan(rs, span, keepHead, keepTail)
					found = append(found, k)
					changed = true
					gi = gj + 1
					matched = true
					break
				}
			}
			if !matched {
				gi++
			}
		}
		i = end
	}
	if !changed {
		return s, found
	}
	return string(rs), found
}

// machineID reports whether the digit at rs[i] lies in a machine
// identifier — a run of at least minMachineID hexadecimal characters with
// a letter among them, such as a session id or a hash — and where that run
// ends. Random hex ids contain eleven decimal digits in a row about once in
// a hundred; masking them as phone numbers broke lookups by id (an audit
// target no longer matched its session). A number a person writes is
// digits only, or glued to Chinese text or to a few letters, never inside
// sixteen hex characters.
func machineID(rs []rune, i int) (int, bool) {
	lo := i
	for lo > 0 && isHex(rs[lo-1]) {
		lo--
	}
	hi, letter := lo, false
	for hi < len(rs) && isHex(rs[hi]) {
		if rs[hi] > '9' {
			letter = true
		}
		hi++
	}
	return hi, letter && hi-lo >= minMachineID
}

const minMachineID = 16

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

// maskEmails masks local@domain.tld addresses, keeping the local part's
// first character and the domain (z***@qq.com). A hand scan rather than a
// regular expression: the expression took most of Mask's time.
func maskEmails(s string, found *[]Kind) string {
	var b strings.Builder
	done := 0 // s[:done] is written or consumed
	for at := 0; at < len(s); at++ {
		if s[at] != '@' {
			continue
		}
		lo := at
		for lo > done && isLocal(s[lo-1]) {
			lo--
		}
		end := domainEnd(s[at+1:])
		if lo == at || end == 0 {
			continue
		}
		end += at + 1
		b.WriteString(s[done:lo])
		b.WriteByte(s[lo])
		b.WriteString("***")
		b.WriteString(s[at:end])
		*found = append(*found, Email)
		done = end
		at = end - 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func isLocal(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-", c) >= 0
}

// domainEnd returns the length of the domain at the start of d
// (labels of letters, digits and hyphens; two or more; the last one
// starting with at least two letters), or 0.
func domainEnd(d string) int {
	n := 0
	for n < len(d) && (isLocal(d[n]) && d[n] != '_' && d[n] != '%' && d[n] != '+') {
		n++
	}
	best, pos := 0, 0
	for k := 0; pos <= n; k++ {
		next := strings.IndexByte(d[pos:n], '.')
		label := d[pos:n]
		if next >= 0 {
			label = d[pos : pos+next]
		}
		if label == "" {
			break
		}
		if k > 0 {
			letters := 0
			for letters < len(label) && (label[letters]|0x20 >= 'a' && label[letters]|0x20 <= 'z') {
				letters++
			}
			if letters >= 2 {
				best = pos + letters
			}
		}
		if next < 0 {
			break
		}
		pos += next + 1
	}
	return best
}

// group is a run of digits, rune indexes [start, end); x says an X
// follows it directly (an ID card's check character, if the span turns out
// to be an ID).
type group struct {
	start, end int
	x          bool
}

// digitValue is 0-9 for ASCII and full-width digits, else -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

func isX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// isSep is a character that joins the digit groups of one number as people
// type them: spaces, dashes of every width, dots, underscores, slashes
// (138.1234.5678, 138_1234_5678, 138/1234/5678, 138—1234—5678).
func isSep(r rune) bool {
	switch r {
	case ' ', '-', '.', '_', '/', '\u3000', '\u00a0', '－', '．', '＿', '／', '–', '—', '‒', '―', '‐', '−':
		return true
	}
	return false
}

func isAlnum(r rune) bool {
	return digitValue(r) >= 0 || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 'ａ' && r <= 'ｚ' || r >= 'Ａ' && r <= 'Ｚ'
}

// scanGroups reads digit groups from i, joined by single separators
// ("138 1234 5678", "6222-0212-…"), appends them to groups, and returns
// groups and the index after.
func scanGroups(groups []group, rs []rune, i int) ([]group, int) {
	for {
		start := i
		for i < len(rs) && digitValue(rs[i]) >= 0 {
			i++
		}
		// An X followed by a letter or digit belongs to some other code.
		x := i < len(rs) && isX(rs[i]) && (i+1 == len(rs) || !isAlnum(rs[i+1]))
		groups = append(groups, group{start, i, x})
		if i+1 < len(rs) && isSep(rs[i]) && digitValue(rs[i+1]) >= 0 {
			i++
			continue
		}
		return groups, i
	}
}

// digits appends the span's digits as ASCII to d.
func digits(d []byte, rs []rune, span []group) []byte {
	for _, g := range span {
		for _, r := range rs[g.start:g.end] {
			d = append(d, byte('0'+digitValue(r)))
		}
	}
	return d
}

// classify says whether the span is personal data, and how many digits to
// keep visible at its head and tail.
func classify(rs []rune, span []group) (Kind, int, int) {
	// A span holds at most maxDigits digits (see maskOnce), one more for
	// the X of an ID: the digits fit on the stack, and classify runs for
	// every number in every turn's question and answer.
	var buf [maxDigits + 1]byte
	d := digits(buf[:0], rs, span)
	// Groups of one or two digits are dates, counts and codes ("2024-01-01"),
	// never parts of an ID, card or phone number — except the country code
	// in front of a mobile number, a number typed one digit at a time
	// ("1 3 8 1 2 3 4 5 6 7 8"), and the short last group of a long number
	// typed in fours ("1101 0119 9003 0712 34").
	prefix86 := false
	singles := len(span) >= 11
	for _, g := range span {
		singles = singles && g.end-g.start == 1
	}
	for i, g := range span {
		if g.end-g.start >= 3 || singles {
			continue
		}
		if i == 0 && string(d[:g.end-g.start]) == "86" && len(span) > 1 { // d starts with this group's digits
			prefix86 = true
			continue
		}
		if i == len(span)-1 && i > 0 && len(d) >= 15 {
			continue
		}
		return "", 0, 0
	}
	switch {
	case prefix86:
		if len(d) == 13 && isMobile(d[2:]) {
			return Mobile, 5, 4
		}
		return "", 0, 0
	case len(d) == 17 && span[len(span)-1].x:
		// The X stays visible after the kept tail. A number with a valid
		// region and birth date is an ID even with a wrong checksum and no
		// 身份证 nearby: a mistyped ID is still personal data.
		if id := append(d, 'X'); plausibleID18(id) {
			return IDCard, 6, 3
		}
	case len(d) == 18:
		if plausibleID18(d) {
			return IDCard, 6, 4
		}
	case len(d) == 15:
		if validID15(d) {
			return IDCard, 6, 3
		}
		if string(d[:4]) == "0086" && isMobile(d[4:]) {
			return Mobile, 7, 4
		}
	case len(d) == 13 && string(d[:2]) == "86" && isMobile(d[2:]):
		return Mobile, 5, 4
	case len(d) == 11 && isMobile(d):
		return Mobile, 3, 4
	}
	// A card number fails Luhn when mistyped; after 银行卡, 卡号, 账号 it is
	// still one.
	if len(d) >= 16 && len(d) <= 19 && (luhn(d) || cardContext(rs, span[0].start)) {
		return BankCard, 4, 4
	}
	return "", 0, 0
}

// maskSpan replaces the span's digits with '*', keeping head and tail
// digits and every separator.
func maskSpan(rs []rune, span []group, head, tail int) {
	n := 0
	for _, g := range span {
		n += g.end - g.start
	}
	k := 0
	for _, g := range span {
		for i := g.start; i < g.end; i++ {
			if k >= head && k < n-tail {
				rs[i] = '*'
			}
			k++
		}
	}
}

func isMobile(d []byte) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d)
}

func allDigits(d []byte) bool {
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// provinces are the first two digits of mainland administrative division
// codes, plus 71 (Taiwan) and 81–83 (Hong Kong, Macao and Taiwan
// residents' residence permits, which share the ID number format).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// plausibleID18 checks region and birth date, not the checksum.
func plausibleID18(d []byte) bool {
	if len(d) != 18 || !allDigits(d[:17]) || !provinces[string(d[:2])] {
		return false
	}
	return validDate(atoi(d[6:10]), atoi(d[10:12]), atoi(d[12:14]), 1900, 2100)
}

// validID18 adds the ISO 7064 MOD 11-2 check character (GB 11643-1999).
func validID18(d []byte) bool {
	if !plausibleID18(d) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	return "10X98765432"[sum%11] == d[17]
}

// validID15 is the pre-1999 format: region, YYMMDD (19YY), sequence.
func validID15(d []byte) bool {
	return len(d) == 15 && allDigits(d) && provinces[string(d[:2])] &&
		validDate(1900+atoi(d[6:8]), atoi(d[8:10]), atoi(d[10:12]), 1900, 2000)
}

func validDate(y, m, day, minY, maxY int) bool {
	if y < minY || y > maxY || m < 1 || m > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return day <= days
}

func atoi(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

// cardContext reports whether the words just before position i say a
// card or account number follows.
func cardContext(rs []rune, i int) bool {
	before := string(rs[max(0, i-12):i])
	for _, w := range []string{"银行卡", "卡号", "账号", "帐号", "账户", "帐户", "储蓄卡", "信用卡", "借记卡", "社保卡"} {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// luhn is the ISO/IEC 7812 check bank card numbers carry.
func luhn(d []byte) bool {
	if !allDigits(d) {
		return false
	}
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}
