package privacy

// Fields: checking and masking single values a form collects (a mobile
// number, an ID number, a name, an address), as opposed to Mask, which
// finds personal data inside free text.

import (
	"regexp"
	"strings"
	"unicode"
)

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizeMobile returns the 11-digit mainland mobile number in s
// (spaces, dashes and a +86 prefix allowed) and whether it is one.
func NormalizeMobile(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "0086")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s, mobileRe.MatchString(s)
}

// NormalizeID returns the 18-character resident ID number in s (upper-case
// X) and whether its GB 11643-1999 check digit is right.
func NormalizeID(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(s) != 18 {
		return s, false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return s, false
		}
		sum += int(c-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	return s, s[17] == check
}

// MaskMobile shows the first three and last four digits: 138****5678.
func MaskMobile(m string) string {
	r := []rune(m)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// MaskID shows the first six (the region) and last four characters of
// an ID number, as Mask does in text: 110105********002X.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) < 12 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

// MaskName keeps the surname (and the last character of longer names):
// 张* , 李*明, 欧**娜.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// MaskAddress keeps the address up to its first digit (district, street,
// road) and hides the house number and everything after it.
func MaskAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	i := strings.IndexFunc(addr, func(r rune) bool { return unicode.IsDigit(r) })
	if i < 0 {
		r := []rune(addr)
		if len(r) <= 6 {
			return addr
		}
		return string(r[:6]) + "****"
	}
	return addr[:i] + "****"
}
