package assistant

import (
	"slices"
	"testing"
)

// TestSituationByAddedTerm checks that a situation is recognised by a
// catalogue word the synonym table adds for a message (独居 from
// 外公…一个人过), not only by its own words, and that a term the table
// does not add recognises nothing.
func TestSituationByAddedTerm(t *testing.T) {
	t.Parallel()
	ss, err := loadSituations(func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	added := map[string][]string{
		"我外公现在一个人过":   {"独居", "空巢", "老年人"},
		"孩子的爸妈都联系不上了": {"孤儿", "事实无人抚养儿童"},
		"我外公现在住院":     {"老年人"},
	}
	ss.added = func(norm string) []string { return added[norm] }
	for _, c := range []struct {
		msg  string
		want string // a situation detected, "" none of want
		none []string
	}{
		{"我外公现在一个人过", "old_age", nil},
		{"孩子的爸妈都联系不上了", "orphan", nil},
		{"我外公现在住院", "illness", []string{"old_age"}},
	} {
		var got []string
		for _, s := range ss.detect(c.msg) {
			got = append(got, s.name)
		}
		if !slices.Contains(got, c.want) {
			t.Errorf("detect(%q) = %v, want %s among them", c.msg, got, c.want)
		}
		for _, n := range c.none {
			if slices.Contains(got, n) {
				t.Errorf("detect(%q) = %v, want no %s", c.msg, got, n)
			}
		}
	}
	ss.added = nil
	for _, s := range ss.detect("我外公现在一个人过") {
		if s.name == "old_age" {
			t.Errorf("old_age detected with no synonym terms consulted")
		}
	}
}
