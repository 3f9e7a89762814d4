package assistant

import "testing"

// TestSaysAgeOf checks that an age said in Chinese numerals or digits,
// after a family member or before 岁, 了, 出头 or 多岁, is read as one, and
// that a number counting something else (七十多个人, 八十块) is not.
func TestSaysAgeOf(t *testing.T) {
	t.Parallel()
	members := []string{"我妈", "外公", "阿嫲"}
	cases := []struct {
		msg  string
		want bool
	}{
		{"我妈七十六 腿脚不好", true},
		{"外公今年八十", true},
		{"阿嫲九十二了 想领点钱", true},
		{"他82岁了", true},
		{"老人家一百岁出头", true},
		{"我妈六十六 想办张卡", false}, // below seventy
		{"单位有七十多个人", false},
		{"花了八十块", false},
		{"十一月办的", false},
	}
	for _, c := range cases {
		if got := saysAgeOf(c.msg, 70, members); got != c.want {
			t.Errorf("saysAgeOf(%q) = %v, want %v", c.msg, got, c.want)
		}
	}
}
