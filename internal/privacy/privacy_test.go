package privacy

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

// Numbers below are fake but well-formed: the IDs carry a correct
// ISO 7064 check character, the cards a correct Luhn digit.
const (
	id18  = "110101199003071233"
	id18X = "44030419851231002X"
	id18b = "440305200002297714" // born on a leap day
	id15  = "110101900307123"
	card  = "6222021234567890128"
	card2 = "6217001234567893"
)

func TestMask(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		kinds    []Kind
	}{
		// ID cards.
		{"我的身份证号是" + id18 + "，请帮我查", "我的身份证号是110101********1233，请帮我查", []Kind{IDCard}},
		{id18X, "440304********002X", []Kind{IDCard}},
		{"44030419851231002x号", "440304********002x号", []Kind{IDCard}},
		{id18b, "440305********7714", []Kind{IDCard}},
		{"110101 19900307 1233", "110101 ******** 1233", []Kind{IDCard}},
		{"老身份证" + id15, "老身份证110101******123", []Kind{IDCard}},
		{"１１０１０１１９９００３０７１２３３", "１１０１０１********１２３３", []Kind{IDCard}},
		// A mistyped ID (wrong check digit) is still an ID when its region
		// and birth date are real, with or without 身份证 nearby (issue 10,
		// finding 4), and however it is split.
		{"身份证号：110101199003071234", "身份证号：110101********1234", []Kind{IDCard}},
		{"编号110101199003071234", "编号110101********1234", []Kind{IDCard}},
		{"我的号码是11010119900307123X", "我的号码是110101********123X", []Kind{IDCard}},
		{"1101 0119 9003 0712 34", "1101 01** **** **12 34", []Kind{IDCard}},
		{"110101 1990 0307 1234", "110101 **** **** 1234", []Kind{IDCard}},
		// Impossible dates and regions are not IDs.
		{"110101199002301236", "110101199002301236", nil}, // 30 February
		{"990101199003071233", "990101199003071233", nil}, // no province 99
		// Mobile numbers.
		{"电话13812345678", "电话138****5678", []Kind{Mobile}},
		{"Tel:13812345678。", "Tel:138****5678。", []Kind{Mobile}},
		{"138 1234 5678", "138 **** 5678", []Kind{Mobile}},
		{"138-1234-5678", "138-****-5678", []Kind{Mobile}},
		{"+86 138 1234 5678", "+86 138 **** 5678", []Kind{Mobile}},
		{"+8613812345678", "+86138****5678", []Kind{Mobile}},
		{"0086-13812345678", "0086-138****5678", []Kind{Mobile}},
		{"１３８１２３４５６７８", "１３８****５６７８", []Kind{Mobile}},
		// A machine id (sixteen or more hex characters, a letter among
		// them) is not a phone or ID even when it holds eleven digits in
		// a row; a number glued to a few letters still is.
		{"video:3820aa69739a8c14226858681a5bf3e4", "video:3820aa69739a8c14226858681a5bf3e4", nil},
		{"ID 110101199003071233abcdef0", "ID 110101199003071233abcdef0", nil},
		{"abc13812345678", "abc138****5678", []Kind{Mobile}},
		{"Tel13812345678号", "Tel138****5678号", []Kind{Mobile}},
		{"13812345678abc", "138****5678abc", []Kind{Mobile}},
		// Mobiles however they are typed (finding 4).
		{"138.1234.5678", "138.****.5678", []Kind{Mobile}},
		{"138_1234_5678", "138_****_5678", []Kind{Mobile}},
		{"138/1234/5678", "138/****/5678", []Kind{Mobile}},
		{"138–1234–5678", "138–****–5678", []Kind{Mobile}},
		{"138—1234—5678", "138—****—5678", []Kind{Mobile}},
		{"1 3 8 1 2 3 4 5 6 7 8", "1 3 8 * * * * 5 6 7 8", []Kind{Mobile}},
		{"１３８．１２３４．５６７８", "１３８．****．５６７８", []Kind{Mobile}},
		{"１３８－１２３４－５６７８", "１３８－****－５６７８", []Kind{Mobile}},
		{"13812345678 13912345678", "138****5678 139****5678", []Kind{Mobile, Mobile}},
		{"12012345678", "12012345678", nil},   // no mobile starts 12
		{"138123456789", "138123456789", nil}, // twelve digits
		// Bank cards.
		{"卡号" + card, "卡号6222***********0128", []Kind{BankCard}},
		{"6217 0012 3456 7893", "6217 **** **** 7893", []Kind{BankCard}},
		{"6217-0012-3456-7893", "6217-****-****-7893", []Kind{BankCard}},
		{"6217 0012 3456 7894", "6217 0012 3456 7894", nil}, // Luhn fails
		// A mistyped card after 银行卡/卡号/账号 is still a card (finding 4).
		{"银行卡号 6222 0212 3456 7890 123", "银行卡号 6222 **** **** ***0 123", []Kind{BankCard}},
		{"卡号6217-0012-3456-7894", "卡号6217-****-****-7894", []Kind{BankCard}},
		{"账号：6217001234567894", "账号：6217********7894", []Kind{BankCard}},
		// E-mail.
		{"邮箱 zhangsan@example.com 谢谢", "邮箱 z***@example.com 谢谢", []Kind{Email}},
		{"13812345678@qq.com", "1***@qq.com", []Kind{Email}},
		{"发到wang.wu+gov@sub.example.com.cn。", "发到w***@sub.example.com.cn。", []Kind{Email}},
		{"a@b.com@c.com", "a***@b***@c.com", []Kind{Email, Email}},
		{"root@localhost 和 a@b.c 和 @home", "root@localhost 和 a@b.c 和 @home", nil},
		// Several at once.
		{"我叫张三，电话13812345678，身份证" + id18 + "，卡号" + card2,
			"我叫张三，电话138****5678，身份证110101********1233，卡号6217********7893", []Kind{Mobile, IDCard, BankCard}},
		// Public numbers, dates, amounts and ids stay as they are.
		{"请拨打0755-83988110或12345热线", "请拨打0755-83988110或12345热线", nil},
		{"社保咨询0755-12333，公积金12329", "社保咨询0755-12333，公积金12329", nil},
		{"075583988110", "075583988110", nil},
		{"400-123-4567", "400-123-4567", nil},
		{"2024-01-01至2024-12-31", "2024-01-01至2024-12-31", nil},
		{"2024-01-01 2024-12-31 2025-01-01", "2024-01-01 2024-12-31 2025-01-01", nil},
		{"费用1,234,567.89元，3个工作日", "费用1,234,567.89元，3个工作日", nil},
		{"事项FT-001、HALL-01", "事项FT-001、HALL-01", nil},
		{"时间戳1700000000000", "时间戳1700000000000", nil},
		{"12345678901234567890", "12345678901234567890", nil},
		{"https://fuwu.example/guide/FT-001", "https://fuwu.example/guide/FT-001", nil},
		{"", "", nil},
		{"没有数字的句子。", "没有数字的句子。", nil},
	}
	for _, tc := range cases {
		got, kinds := Mask(tc.in)
		if got != tc.want || !slices.Equal(kinds, tc.kinds) {
			t.Errorf("Mask(%q)\n got %q %v\nwant %q %v", tc.in, got, kinds, tc.want, tc.kinds)
		}
		if again, k := Mask(got); again != got || len(k) != 0 {
			t.Errorf("Mask not idempotent on %q: %q %v", got, again, k)
		}
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	for _, id := range []string{id18, id18X, id18b, "110105194910010023", "320102197806150011"} {
		if !validID18([]byte(id)) {
			t.Errorf("validID18(%s) = false", id)
		}
	}
	// Changing any one digit breaks the checksum.
	for i := 0; i < 17; i++ {
		b := []byte(id18)
		b[i] = '0' + (b[i]-'0'+1)%10
		if validID18(b) {
			t.Errorf("validID18 accepts %s", b)
		}
	}
	for _, c := range []string{card, card2, "4367421234567896", "6228480012345678903"} {
		if !luhn([]byte(c)) {
			t.Errorf("luhn(%s) = false", c)
		}
	}
	if luhn([]byte("6217001234567894")) {
		t.Error("luhn accepts a bad card")
	}
	if !validDate(2000, 2, 29, 1900, 2100) || validDate(1900, 2, 29, 1900, 2100) || validDate(2023, 4, 31, 1900, 2100) {
		t.Error("validDate leap/month lengths wrong")
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	if IDCard.Label() != "身份证号" || Mobile.Label() != "手机号" || BankCard.Label() != "银行卡号" || Email.Label() != "电子邮箱" {
		t.Fatal("labels")
	}
}

type stringer struct{ phone string }

func (s stringer) String() string { return "user " + s.phone }

type profile struct {
	Name  string
	Phone string
}

func TestHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	log = log.With("caller", "电话13812345678").WithGroup("turn")
	log.Info("问："+id18+"怎么补办",
		"text", "卡号"+card,
		"n", int64(13912345678),
		"err", errors.New("llm: body starts \"13712345678\""),
		"who", stringer{"13612345678"},
		"profile", profile{"张三", "13512345678"},
		slog.Group("g", "email", "lisi@example.com", "ok", "0755-83988110"),
		"count", 3,
		"hall", "HALL-01",
	)
	out := buf.String()
	for _, secret := range []string{id18, card, "13912345678", "13812345678", "13712345678", "13612345678", "13512345678", "lisi@"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line leaks %s: %s", secret, out)
		}
	}
	for _, keep := range []string{`"count":3`, `"hall":"HALL-01"`, `"ok":"0755-83988110"`, "110101********1233", "138****5678", "l***@example.com"} {
		if !strings.Contains(out, keep) {
			t.Errorf("log line lacks %s: %s", keep, out)
		}
	}

	// As ReplaceAttr on a built-in handler the message is masked too.
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: ReplaceAttr})).Info("手机13812345678", "id", id18)
	if out := buf.String(); strings.Contains(out, "13812345678") || strings.Contains(out, id18) {
		t.Errorf("ReplaceAttr leaks: %s", out)
	}
}

// digitRuns returns the maximal runs of digits in s (an ID's trailing X
// after 17 digits included), as ASCII.
func digitRuns(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i < len(rs); {
		if digitValue(rs[i]) < 0 {
			i++
			continue
		}
		// Digits inside a machine id are not a number a person wrote.
		if end, ok := machineID(rs, i); ok {
			i = end
			continue
		}
		var b strings.Builder
		start := i
		for i < len(rs) && digitValue(rs[i]) >= 0 {
			b.WriteByte(byte('0' + digitValue(rs[i])))
			i++
		}
		if i-start == 17 && i < len(rs) && isX(rs[i]) && (i+1 == len(rs) || !isAlnum(rs[i+1])) {
			b.WriteByte('X')
			i++
		}
		out = append(out, b.String())
	}
	return out
}

func personal(run string) bool {
	d := []byte(run)
	return validID18(d) || validID15(d) || isMobile(d) || len(d) >= 16 && len(d) <= 19 && luhn(d)
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"身份证" + id18 + "电话13812345678", id18X, "6217 0012 3456 7893 5678 9012 3456 7",
		"+86 138 1234 5678", "a@b.com@c.com", "请拨打0755-83988110或12345", "１３８１２３４５６７８",
		card + " " + card2 + "-" + id15, "11010119900307123X1", "2024-01-01 2024-12-31",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, found := Mask(s)
		again, more := Mask(out)
		if again != out || len(more) != 0 {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", s, out, again, more)
		}
		if out == s && len(found) != 0 || out != s && len(found) == 0 {
			t.Fatalf("found %v but output %q vs input %q", found, out, s)
		}
		outRuns := map[string]bool{}
		for _, r := range digitRuns(out) {
			outRuns[r] = true
		}
		for _, r := range digitRuns(s) {
			if personal(r) && outRuns[r] {
				t.Fatalf("%q: output %q still holds %s", s, out, r)
			}
		}
	})
}

// FuzzMaskLeavesNoMobileOrID checks the output alone (issue 10, finding
// 4): whatever the input, no run of digits in what Mask returns is an
// 11-digit mobile number or an 18-character ID number.
func FuzzMaskLeavesNoMobileOrID(f *testing.F) {
	for _, s := range []string{
		"电话13812345678", "138.1234.5678", "1 3 8 1 2 3 4 5 6 7 8", "１３８－１２３４－５６７８", "138—1234—5678",
		"编号110101199003071234", "1101 0119 9003 0712 34", id18X, "86 13812345678 1", "113812345678",
		"13812345678X", "11010119900307123X13812345678", "银行卡号 6222 0212 3456 7890 123",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := Mask(s)
		for _, r := range digitRuns(out) {
			d := []byte(r)
			if len(d) == 11 && isMobile(d) {
				t.Fatalf("%q → %q: mobile %s survives", s, out, r)
			}
			if len(d) == 18 && (validID18(d) || plausibleID18(d)) {
				t.Fatalf("%q → %q: ID %s survives", s, out, r)
			}
		}
	})
}

func BenchmarkMask(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"plain", "生了孩子怎么上户口，需要带什么材料，在福田哪个大厅办理，几点开门？"},
		{"numbers", "我在2024-03-15预约了，请拨打0755-83988110或12345热线，费用0元，3个工作日办结。"},
		{"personal", "我叫张三，电话138 1234 5678，身份证" + id18 + "，卡号6217 0012 3456 7893，邮箱zhangsan@example.com"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				Mask(bc.text)
			}
		})
	}
}

func ExampleMask() {
	out, found := Mask("电话13812345678，身份证" + id18)
	fmt.Println(out, found)
	// Output: 电话138****5678，身份证110101********1233 [mobile id_card]
}
