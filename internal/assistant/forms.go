package assistant

import (
	"strings"
	"unicode"
)

// The answers a resident gives to the chat's forms (an appointment, a
// door-to-door request), each checked before it is taken: a name is a
// name, an address reads as an address, a phone number is not either.

// notNameWords are words of a request or a question, never of a name:
// "申请上门办理" typed at the name question is the resident repeating the
// request, not 申请上门办理 the applicant.
var notNameWords = []string{"申请", "办理", "上门", "预约", "我要", "帮我", "怎么", "什么", "哪", "吗", "呢", "吧", "请问",
	"需要", "可以", "能不能", "谢谢", "你好", "您好", "身份证", "社保", "地址", "电话", "手机", "号码", "取消", "确认", "修改",
	"街道", "小区", "社区"}

// namePrefixes are lead-ins to a name.
var namePrefixes = []string{"我的名字是", "我的名字叫", "名字是", "名字叫", "姓名是", "姓名：", "姓名:", "姓名", "我叫", "我是", "叫"}

// personName reads the applicant's name from an answer ("我叫张三。"):
// Chinese characters (a minority name may join its parts with ·), or a
// name in Latin letters; ok is false for anything else.
func personName(answer string) (string, bool) {
	s := strings.TrimSpace(strings.Trim(strings.TrimSpace(answer), "。.，,！!～~ "))
	for _, p := range namePrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	s = strings.ReplaceAll(s, "•", "·")
	n := len([]rune(s))
	if n < 2 || hasAny(s, notNameWords) {
		return "", false
	}
	han, latin, dots := 0, 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r == '·':
			dots++
		case r < 128 && (unicode.IsLetter(r) || r == ' ' || r == '-' || r == '.'):
			latin++
		default:
			return "", false // digits, masks (*), punctuation, emoji
		}
	}
	switch {
	case han > 0 && latin == 0 && dots == 0:
		return s, han <= 6 // 欧阳娜娜; longer is a sentence
	case han > 0 && latin == 0:
		return s, n <= 20 && !strings.HasPrefix(s, "·") && !strings.HasSuffix(s, "·") // 阿卜杜·热合曼
	case han == 0 && dots == 0:
		return s, latin <= 40 && strings.ContainsFunc(s, unicode.IsLetter)
	}
	return "", false
}

// addressMarks are the words an address is made of.
var addressMarks = []string{"路", "街", "道", "巷", "弄", "号", "栋", "幢", "座", "楼", "层", "室", "单元", "小区", "花园",
	"苑", "园", "村", "大厦", "社区", "广场", "公寓", "府", "城", "庭", "湾", "里", "居", "院", "中心"}

// addressProblem says what is wrong with an answer to "where shall we
// come": "" when it reads as an address, else the question to ask again.
func addressProblem(raw, masked string) string {
	addr := strings.TrimSpace(masked)
	digits := 0
	for _, r := range raw {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if mobileRe.MatchString(raw) || (digits >= 7 && digits*2 >= len([]rune(strings.TrimSpace(raw)))) {
		return "这看起来是电话号码。请先告诉我上门地址（街道、小区、楼栋门牌），电话稍后再问您。"
	}
	if len([]rune(addr)) < 6 || !hasAny(addr, addressMarks) {
		return "请把上门地址说得具体一些，包括街道、小区和楼栋门牌，例如“梅林街道梅华路110号3栋502”。"
	}
	return ""
}

// withStreet puts the street a resident names ("梅林", "梅林街道梅丰社区")
// in front of an address that lacked it.
func withStreet(answer, street, address string) string {
	a := strings.TrimSpace(strings.Trim(answer, "。.，, "))
	if !strings.Contains(a, street+"街道") {
		a = street + "街道" + strings.TrimPrefix(strings.TrimPrefix(a, street), "街道")
	}
	return a + address
}

// Answers to a read-back.
var (
	confirmWords = []string{"确认", "确定", "是的", "对的", "没问题", "提交", "好的", "可以", "正确", "无误", "没错", "对", "是", "ok", "yes", "嗯"}
	denyWords    = []string{"不对", "不是", "错", "有误", "不正确", "修改", "改", "重新", "更正"}
)

// confirms reads a read-back's answer as a yes.
func confirms(norm string) bool {
	norm = strings.TrimSpace(strings.Trim(norm, "。.，,！! "))
	return !hasAny(norm, denyWords) && hasAny(norm, confirmWords)
}
