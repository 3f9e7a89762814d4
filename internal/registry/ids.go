package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/policy"
)

// CheckIDNumber validates an 18-character resident ID number (公民身份号码,
// GB 11643-1999): 17 digits, a birth date that exists, and the ISO 7064
// MOD 11-2 check character (0–9 or X). It returns the number normalised
// (upper-case X, no spaces) and, on failure, why.
func CheckIDNumber(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		if r == 'ｘ' || r == 'Ｘ' {
			return 'X'
		}
		return r
	}, s)
	if len(s) != 18 {
		return s, fmt.Errorf("公民身份号码应为18位，实为%d位", len([]rune(s)))
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return s, errors.New("公民身份号码前17位应为数字")
		}
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' {
		return s, errors.New("公民身份号码末位应为数字或X")
	}
	if s[0] == '0' || s[0] == '9' {
		return s, errors.New("公民身份号码的地址码不存在")
	}
	if _, err := policy.ParseDay(s[6:10] + "-" + s[10:12] + "-" + s[12:14]); err != nil {
		return s, fmt.Errorf("公民身份号码中的出生日期 %s 不存在", s[6:14])
	}
	if want := idCheckChar(s[:17]); s[17] != want {
		return s, fmt.Errorf("公民身份号码校验码错误（应为%c）", want)
	}
	return s, nil
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChar is the GB 11643 check character of the first 17 digits.
func idCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// IDBirthDate and IDGender read what an ID number says about its holder.
func IDBirthDate(id string) string { return id[6:10] + "-" + id[10:12] + "-" + id[12:14] }

// IDGender is 男 for an odd 17th digit, 女 for an even one.
func IDGender(id string) string {
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

// usccChars are the characters of a unified social credit code (GB
// 32100-2015): digits and upper-case letters without I, O, Z, S and V;
// a character's value is its position.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CheckUSCC validates an 18-character unified social credit code (统一社会
// 信用代码, GB 32100-2015): its character set and the MOD 31 check
// character. It returns the code normalised (upper case, no spaces).
func CheckUSCC(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if n := len([]rune(s)); n != 18 {
		return s, fmt.Errorf("统一社会信用代码应为18位，实为%d位", n)
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return s, fmt.Errorf("统一社会信用代码第%d位 %q 不是有效字符（不使用 I、O、Z、S、V）", i+1, s[i])
		}
		sum += v * usccWeights[i]
	}
	if strings.IndexByte(usccChars, s[17]) < 0 {
		return s, fmt.Errorf("统一社会信用代码第18位 %q 不是有效字符", s[17])
	}
	if want := usccCheckChar(s[:17]); s[17] != want {
		return s, fmt.Errorf("统一社会信用代码校验码错误（应为%c）", want)
	}
	return s, nil
}

func usccCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccChars, body[i]) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}
