package search_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// A field that holds text but weighs nothing is left out of the index: an
// item whose words appear only there is added, updated and removed
// without a panic, and those words find nothing.
func TestZeroWeightField(t *testing.T) {
	t.Parallel()
	p := search.DefaultParams()
	p.WordWeight[search.FieldSummary], p.BigramWeight[search.FieldSummary] = 0, 0
	ix := search.New(zh.MustDefault(), p)
	items := []kb.Item{
		{ID: "A", Name: "犬只登记", Summary: "鹦鹉饲养备案"},
		{ID: "B", Name: "居住证申领", Summary: "居住证"},
	}
	ix.Replace(items)
	ix.Upsert(kb.Item{ID: "C", Name: "猫咪绝育补贴", Summary: "孔雀开屏观赏"})
	ix.Upsert(kb.Item{ID: "C", Name: "猫咪绝育补贴", Summary: "孔雀开屏观赏与鹦鹉"})
	if got := top(ix, "犬只登记"); got != "A" {
		t.Errorf("犬只登记 found %q", got)
	}
	if got := top(ix, "孔雀开屏"); got != "" {
		t.Errorf("a word only in an unweighted field found %q", got)
	}
	ix.Remove("C")
	if ix.Len() != 2 {
		t.Errorf("len %d after remove", ix.Len())
	}
}
