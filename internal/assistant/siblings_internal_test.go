package assistant

import (
	"context"
	"strings"
	"testing"
)

// TestSiblingTrace checks that the turn records why a sibling won: the
// winner, and the details or the rule that set the others aside.
func TestSiblingTrace(t *testing.T) {
	t.Parallel()
	ix := debugIndex(t)
	as, err := New(Config{Index: ix, Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg, item string
		says      []string
	}{
		// The group rule: the veterans' version, its group said.
		{"退伍老兵创业有贷款贴息吗", "FT-116", []string{"FT-116 胜出", "FT-027 排除"}},
		// A detail: closing down, against opening.
		{"小吃店关门了 个体户的执照要注销", "FT-099", []string{"FT-099 胜出", "区别词", "注销"}},
	} {
		in, _ := as.guardInput(c.msg)
		ts := &turnState{in: in}
		as.resolve(context.Background(), ts)
		if ts.item == nil || ts.item.ID != c.item {
			t.Errorf("%q → %v, want %s (%s)", c.msg, ts.item, c.item, ts.sibling)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(ts.sibling, s) {
				t.Errorf("%q: trace %q does not say %q", c.msg, ts.sibling, s)
			}
		}
	}
}
