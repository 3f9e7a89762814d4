package assistant

import "testing"

// TestSaidAsBeing checks that a status is read as what someone is after
// 是 or 属于, as a household (低保户) or as a bare attribute between
// pauses, and not as what a message asks for.
func TestSaidAsBeing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		msg  string
		word string
		want bool
	}{
		{"我们家是低收入家庭 老伴住院", "低收入家庭", true},
		{"我爸八十一 深户 低收入 想装扶手", "低收入", true},
		{"我家低保户 孩子上学", "低保", true},
		{"怎么申请低保", "低保", false},
		{"低保要什么材料", "低保", false},
	}
	for _, c := range cases {
		if got := saidAsBeing(c.msg, []string{c.word}); got != c.want {
			t.Errorf("saidAsBeing(%q, %q) = %v, want %v", c.msg, c.word, got, c.want)
		}
	}
}

// TestHeldWithAdverb checks that a thing said held with an adverb between
// (营业执照已经下来了, 执照早就到手了) is held, and one still awaited
// (执照已经在办) is not.
func TestHeldWithAdverb(t *testing.T) {
	t.Parallel()
	cases := []struct {
		msg, w string
		want   bool
	}{
		{"营业执照已经下来了 主要卖茶水", "营业执照", true},
		{"执照早就到手了 想卖糕点", "执照", true},
		{"执照已经在办 多久能下来", "执照", false},
	}
	for _, c := range cases {
		if got := heldEach(c.msg, c.w, doneAfter, nil); got != c.want {
			t.Errorf("heldEach(%q, %q) = %v, want %v", c.msg, c.w, got, c.want)
		}
	}
}
