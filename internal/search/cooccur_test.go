package search_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestWordsBesideEachOther checks the counts a resident's shorthand is
// read by: the items holding two words, and the words under a key of
// pinyin initials, both following the catalogue as items come and go.
func TestWordsBesideEachOther(t *testing.T) {
	t.Parallel()
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace([]kb.Item{
		{ID: "A-1", Name: "公积金贷款提前还款", Summary: "公积金贷款的借款人提前归还贷款。"},
		{ID: "A-2", Name: "公积金贷款申请", Summary: "职工用公积金贷款购买住房。"},
		{ID: "A-3", Name: "户口迁出登记", Summary: "户口迁往外地。"},
	})
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"公积金", "贷款", 2},
		{"还款", "公积金", 1},
		{"户口", "公积金", 0},
		{"没有的词", "公积金", 0},
	} {
		if got := ix.CoDocFreq(c.a, c.b); got != c.want {
			t.Errorf("CoDocFreq(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if got := ix.WordsWithInitials("hk"); !slices.Contains(got, "还款") || !slices.Contains(got, "户口") {
		t.Errorf("hk: %v, want 还款 and 户口", got)
	}
	// An item taken out takes its words with it.
	ix.Remove("A-1")
	if got := ix.CoDocFreq("公积金", "贷款"); got != 1 {
		t.Errorf("after removing A-1: CoDocFreq = %d, want 1", got)
	}
	if got := ix.WordsWithInitials("hk"); slices.Contains(got, "还款") {
		t.Errorf("after removing A-1: hk gives %v, still 还款", got)
	}
	ix.Upsert(kb.Item{ID: "A-4", Name: "住所信息申报"})
	if got := ix.WordsWithInitials("zs"); !slices.Contains(got, "住所") {
		t.Errorf("after adding A-4: zs gives %v, want 住所", got)
	}
}
