package assistant

import "testing"

func TestChoiceOrdinal(t *testing.T) {
	tests := []struct {
		msg  string
		want int
		ok   bool
	}{
		{"2", 1, true},
		{"第二个", 1, true},
		{"第二个吧", 1, true},
		{"我要办第二个", 1, true},
		{"后者", 1, true},
		{"选前者吧", 0, true},
		{"第一个", 0, true},
		{"一个", 0, true},
		{"三", 2, true},
		{"第三项", 2, true},
		{"头一个", 0, true},
		// Words that hold an ordinal without naming a choice.
		{"就我一个人 摆个早餐摊", 0, false},
		{"第一次办", 0, false},
		{"一个月能领多少", 0, false},
		{"两个股东", 0, false},
		{"二手房", 0, false},
		{"一二三", 0, false},
	}
	for _, tt := range tests {
		got, ok := choiceOrdinal(tt.msg)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("choiceOrdinal(%q) = %d, %v; want %d, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}
