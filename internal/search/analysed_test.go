package search_test

import (
	"context"
	"reflect"
	"testing"
)

// A query analysed once ranks as the text does: SearchAnalysed is Search
// without the second analysis.
func TestSearchAnalysedIsSearch(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	ctx := context.Background()
	for _, c := range loadFirstTurns(t) {
		want := ix.Search(ctx, c.Q, 8)
		got := ix.SearchAnalysed(ctx, c.Q, ix.Analyse(c.Q), 8)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %q:\n got %+v\nwant %+v", c.ID, c.Q, got, want)
		}
	}
}
