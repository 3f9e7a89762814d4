package web

import (
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
)

// render writes a side as text with [changed] runs bracketed.
func renderSegs(segs []diffSeg) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Changed {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestDiffText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ a, b, old, new string }{
		{"不收费", "不收费，工本费已取消", "不收费", "不收费[，工本费已取消]"},
		{"法定 20 个工作日", "法定 15 个工作日", "法定 [20] 个工作日", "法定 [15] 个工作日"},
		{"出生医学证明\n户口簿", "出生医学证明\n身份证\n户口簿", "出生医学证明\n户口簿", "出生医学证明\n[身份证\n]户口簿"},
		{"", "新内容", "", "[新内容]"},
		{"旧内容", "", "[旧内容]", ""},
		{"甲乙丙丁", "甲丙戊丁", "甲[乙]丙丁", "甲丙[戊]丁"},
		{"0755-99999999", "0755-83988110", "0755-[99999999]", "0755-[83988110]"},
		{"https://a.example/x1", "https://a.example/x2", "https://a.example/[x1]", "https://a.example/[x2]"},
	} {
		o, n := diffText(c.a, c.b)
		if got := renderSegs(o); got != c.old {
			t.Errorf("%q→%q old side %q, want %q", c.a, c.b, got, c.old)
		}
		if got := renderSegs(n); got != c.new {
			t.Errorf("%q→%q new side %q, want %q", c.a, c.b, got, c.new)
		}
	}
	// Too long to compare: shown as replaced, text intact.
	a, b := strings.Repeat("甲乙", 2000), strings.Repeat("乙甲", 2000)
	o, n := diffText("头"+a, "头"+b)
	if renderSegs(o) != "头["+a+"]" || renderSegs(n) != "头["+b+"]" {
		t.Errorf("long texts: %.40q / %.40q", renderSegs(o), renderSegs(n))
	}
}

func TestItemDiffs(t *testing.T) {
	t.Parallel()
	a := kb.Item{ID: "X", Name: "事项", Fee: "不收费", Updated: "2024-01-01"}
	b := a
	b.Fee, b.Updated = "收费", "2024-02-02"
	d := itemDiffs(a, b)
	if len(d) != 1 || d[0].Label != "收费标准" || renderSegs(d[0].Old) != "[不]收费" {
		t.Fatalf("diffs = %+v", d)
	}
}
