package assistant

import "testing"

// TestRequestSpan checks how a message splits into the background (the
// story's clauses of what happened) and the request (the clause that
// asks), and when there is no split to use.
func TestRequestSpan(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg, background, request string
		ok                       bool
	}{
		// The asking clause names nothing: the wish before it joins it.
		{"我们结婚五年了 一直没怀上 想抱养一个孩子 可以吗", "我们结婚五年了 一直没怀上", "想抱养一个孩子 可以吗", true},
		// A wish just before the question is part of the request; a wish
		// does not stop the rule as a question in the story would.
		{"结婚证以前弄丢了 现在想离婚 去哪里办离婚", "结婚证以前弄丢了", "现在想离婚 去哪里办离婚", true},
		{"阿妈旧年已经办咗长者卡 想申请长者饭堂 点样申请", "阿妈旧年已经办咗长者卡", "想申请长者饭堂 点样申请", true},
		// A purpose at the end asks nothing.
		{"结婚证前几天搬家弄丢了 下个月办房贷要用", "", "", false},
		// The story asks a question of its own.
		{"社区有老人饭堂吗 怎么报名", "", "", false},
		// A story of what is coming.
		{"孩子明年九月该上小学了 要怎么报名", "", "", false},
		// One clause: nothing before the request.
		{"异地就医备案怎么办", "", "", false},
	} {
		bg, req, ok := as.requestSpan(as.a.Normalize(c.msg))
		if ok != c.ok {
			t.Errorf("%q: ok=%v, want %v (background %q, request %q)", c.msg, ok, c.ok, bg, req)
			continue
		}
		if c.request != "" && (bg != as.a.Normalize(c.background) || req != as.a.Normalize(c.request)) {
			t.Errorf("%q: background %q, request %q; want %q, %q", c.msg, bg, req, c.background, c.request)
		}
	}
}

// TestStoryBefore checks the story before a request's clauses, and that a
// request split into more clauses than the message (its aspect cues
// blanked: "网上 能办吗" from "网上能办吗") leaves no story rather than
// a slice out of range.
func TestStoryBefore(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ norm, request, want string }{
		{"孩子在福田读小学 我们不是深户 小孩的医保怎么参", "小孩的医保怎么参", "孩子在福田读小学 我们不是深户"},
		{"老婆怀孕了 网上能办吗", "网上能办吗", "老婆怀孕了"},
		{"网上能办吗", "网上能办吗", ""},
		{"老婆怀孕了 生育登记网上能办吗", "怀孕了 生育登记 能办吗", ""},
		{"老婆怀孕了 网上能办吗", "老婆 怀孕了 网上 能办吗", ""},
	} {
		if got := storyBefore(c.norm, c.request); got != c.want {
			t.Errorf("storyBefore(%q, %q) = %q, want %q", c.norm, c.request, got, c.want)
		}
	}
}
