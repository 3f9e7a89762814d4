package assistant

import (
	"slices"
	"testing"
)

// TestAskVariants checks that a cue with 什么 is also matched said with
// 啥 or with a measure word before it, and that other cues are left alone.
func TestAskVariants(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cue  string
		want []string
		not  []string
	}{
		{"准备什么", []string{"准备啥", "准备些什么", "准备点啥", "准备一些什么"}, nil},
		{"什么证件", []string{"啥证件"}, []string{"些什么证件"}}, // nothing before 什么 to take a measure word
		{"材料", []string{"材料"}, []string{"材料啥"}},
	} {
		got := askVariants(c.cue)
		if got[0] != c.cue {
			t.Errorf("%s: first variant %q, want the cue itself", c.cue, got[0])
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: variants %v lack %q", c.cue, got, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%s: variants %v hold %q", c.cue, got, w)
			}
		}
	}
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg  string
		want Aspect
	}{
		{"办这个得准备些什么", Materials},
		{"老人卡要交点啥", Materials},
		{"去的时候要带啥", Materials},
	} {
		if got := as.detectAspect(as.a.Normalize(c.msg)); got != c.want {
			t.Errorf("%q → aspect %q, want %q", c.msg, got, c.want)
		}
	}
}
