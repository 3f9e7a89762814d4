package search

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// Two loads at once (a change's reload and a caller's): the snapshot of
// the load that began later stays in place whichever finishes last, so a
// lesson the index showed never goes missing again.
func TestReplaceKeepsNewerSnapshot(t *testing.T) {
	t.Parallel()
	ix := New(zh.MustDefault(), DefaultParams())
	old := []kb.Item{{ID: "A-1", Name: "居住证申领"}}
	newer := []kb.Item{{ID: "A-1", Name: "居住证申领", FAQ: []kb.FAQ{{Q: "外地人办个证住这边", A: "可以", Entry: true}}}}
	first, second := ix.loadSeq.Add(1), ix.loadSeq.Add(1)
	for _, c := range []struct {
		name  string
		order func()
	}{
		{"newer finishes last", func() { ix.replace(old, first); ix.replace(newer, second) }},
		{"older finishes last", func() { ix.replace(newer, second); ix.replace(old, first) }},
	} {
		ix.shownSeq = 0
		c.order()
		if it, ok := ix.Item("A-1"); !ok || len(it.FAQ) != 1 {
			t.Errorf("%s: the older snapshot is in place: %+v", c.name, it)
		}
	}
	// A direct Replace is the newest of all.
	ix.Replace(old)
	if it, _ := ix.Item("A-1"); len(it.FAQ) != 0 {
		t.Errorf("Replace after the loads: %+v", it)
	}
}
