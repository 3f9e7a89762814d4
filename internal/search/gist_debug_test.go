package search

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// FUWU_GIST="ITEM<TAB>text" lines: the proposal and the clauses' scores.
func TestGistDebug(t *testing.T) {
	in := os.Getenv("FUWU_GIST")
	if in == "" {
		t.Skip("FUWU_GIST unset")
	}
	items := DemoItems(t)
	ix := New(zh.MustDefault(), DefaultParams())
	ix.Replace(items)
	for _, line := range strings.Split(in, "\n") {
		item, text, _ := strings.Cut(line, "\t")
		g, cs := ix.gist(text, item, nil)
		var b strings.Builder
		for _, c := range cs {
			fmt.Fprintf(&b, " [%.1f", c.score)
			for i, w := range c.words {
				fmt.Fprintf(&b, " %s:%.1f", w, c.scores[i])
			}
			b.WriteString("]")
		}
		t.Logf("%s → %q\n   %s", item, g, b.String())
	}
}

// FUWU_DRIFT="query": its hits before and after FUWU_GIST's lessons join
// their items' FAQ.
func TestDriftDebug(t *testing.T) {
	q, in := os.Getenv("FUWU_DRIFT"), os.Getenv("FUWU_GIST")
	if q == "" {
		t.Skip("FUWU_DRIFT unset")
	}
	items := DemoItems(t)
	ix := New(zh.MustDefault(), DefaultParams())
	ix.Replace(items)
	show := func(label string) {
		r := ix.Search(t.Context(), q, 4)
		for _, h := range r.Hits {
			t.Logf("%s %s %.3f cov %.2f %v %v", label, h.ID, h.Score, h.Coverage, h.Fields, h.Terms)
		}
	}
	show("before")
	for _, line := range strings.Split(in, "\n") {
		item, text, _ := strings.Cut(line, "\t")
		for i := range items {
			if items[i].ID == item {
				items[i].FAQ = append(items[i].FAQ, kb.FAQ{Q: text, A: "x", Entry: true})
			}
		}
	}
	ix.Replace(items)
	show("after")
}
