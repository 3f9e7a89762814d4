package assistant

import "testing"

// TestSpentShorthandRewrite checks that 报 alone is written 报销 only in a
// message about money spent, and never inside a word (报名, 报销).
func TestSpentShorthandRewrite(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"住院花了两万 能报吗", "住院花了两万 能报销吗"},
		{"自己垫付的医药费 点样报", "自己垫付的医药费 怎么报销"},
		{"住院花了两万 怎么报名", "住院花了两万 怎么报名"},
		{"住院花了两万 怎么报销", "住院花了两万 怎么报销"},
		{"单位不帮我报 我自己能报吗", "单位不帮我报 我自己能报吗"},
	} {
		if got := as.talk.rewrite(as.a.Normalize(c.in)); got != c.want {
			t.Errorf("%q → %q, want %q", c.in, got, c.want)
		}
	}
}
