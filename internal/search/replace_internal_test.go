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
	first, second := ix.beginLoad(), ix.beginLoad()
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

// A single-item change made while a load is in flight is not undone by
// the load's snapshot, read before it (a reload that began before a
// reviewer's edit and finished after it); a change made before the load
// began is the snapshot's to show.
func TestLoadKeepsUpdatesMadeDuringIt(t *testing.T) {
	t.Parallel()
	ix := New(zh.MustDefault(), DefaultParams())
	before := []kb.Item{{ID: "A-1", Name: "居住证申领"}, {ID: "A-2", Name: "护照办理"}}
	ix.Replace(before)

	seq := ix.beginLoad() // the load reads the store here: A-1 without its FAQ
	snapshot := []kb.Item{{ID: "A-1", Name: "居住证申领"}, {ID: "A-2", Name: "护照办理"}}
	ix.Upsert(kb.Item{ID: "A-1", Name: "居住证申领", FAQ: []kb.FAQ{{Q: "外地人办个证住这边", A: "可以"}}})
	ix.Remove("A-2")
	ix.replace(snapshot, seq)
	if it, ok := ix.Item("A-1"); !ok || len(it.FAQ) != 1 {
		t.Errorf("the edit made during the load was undone: %+v", it)
	}
	if _, ok := ix.Item("A-2"); ok {
		t.Error("the removal made during the load was undone")
	}
	if ix.loading != 0 || ix.duringLoad != nil {
		t.Errorf("after the load: %d loading, %d changes kept", ix.loading, len(ix.duringLoad))
	}

	// No load in flight: nothing is kept, and the next load shows the
	// store as it reads it.
	ix.Upsert(kb.Item{ID: "A-3", Name: "结婚登记"})
	if ix.duringLoad != nil {
		t.Errorf("kept without a load: %+v", ix.duringLoad)
	}
	ix.replace([]kb.Item{{ID: "A-1", Name: "居住证申领"}}, ix.beginLoad())
	if _, ok := ix.Item("A-3"); ok {
		t.Error("a change made before the load began outlived it")
	}
}
