package search

import "testing"

func TestPartIn(t *testing.T) {
	t.Parallel()
	words := []Term{{Text: "注销"}, {Text: "公司"}, {Text: "销"}}
	for _, c := range []struct {
		name string
		want float64
	}{
		{"简易注销", 0.5}, // 注销 is two of four characters
		{"注销", 0},     // the same word is full coverage, counted elsewhere
		{"有限责任公司", 2.0 / 6},
		{"登记", 0}, // nothing inside
		{"销户", 0}, // one-character words give no credit
	} {
		if got := partIn(c.name, words); got != c.want {
			t.Errorf("partIn(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}
