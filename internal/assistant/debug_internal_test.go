package assistant

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// TestDebugFeatures prints the decision features of every first turn of
// the development set (FUWU_DEBUG=1), for studying thresholds.
func TestDebugFeatures(t *testing.T) {
	if os.Getenv("FUWU_DEBUG") == "" {
		t.Skip("set FUWU_DEBUG=1")
	}
	ix := debugIndex(t)
	as, err := New(Config{Index: ix, Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := os.Open(filepath.Join("..", "..", "data", "eval", "dev.jsonl"))
	cases, _ := ReadEvalCases(cf, "dev")
	type row struct {
		exp, q, unk     string
		top, cov, r2, e float64
		ok              bool
	}
	var rows []row
	for _, c := range cases {
		tt := c.Turns[0]
		exp := tt.expect()
		norm := as.a.Normalize(tt.Q)
		content := as.contentText(norm)
		q := ix.Analyse(content)
		res := ix.SearchQuery(q, 5)
		r := row{exp: exp, q: tt.Q}
		if len(res.Hits) > 0 {
			r.top, r.cov = res.Hits[0].Score, res.Hits[0].Coverage
			r.ok = res.Hits[0].ID == tt.Item
			r.e, r.unk = as.explained(content, q, res.Hits)
		}
		if len(res.Hits) > 1 {
			r.r2 = res.Hits[1].Score / r.top
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].e < rows[j].e })
	for _, r := range rows {
		fmt.Printf("%-12s top=%6.2f cov=%.2f r2=%.2f expl=%.2f unk=%-6s ok=%v %s\n", r.exp, r.top, r.cov, r.r2, r.e, r.unk, r.ok, r.q)
	}
}

type noHalls struct{}

func (noHalls) Hall(_ context.Context, id string) (kb.Hall, bool) { return kb.Hall{}, false }

func debugIndex(t testing.TB) *search.Index {
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	f, _ := data.KB().Open("items.jsonl")
	var items []kb.Item
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it kb.Item
		json.Unmarshal(sc.Bytes(), &it)
		items = append(items, it)
	}
	// FUWU_FAQ: learned FAQ questions, "ITEM<TAB>question" a line.
	for _, line := range strings.Split(os.Getenv("FUWU_FAQ"), "\n") {
		id, q, ok := strings.Cut(line, "\t")
		for i := range items {
			if ok && items[i].ID == id {
				items[i].FAQ = append(items[i].FAQ, kb.FAQ{Q: q, A: "learned", Entry: true})
			}
		}
	}
	ix.Replace(items)
	return ix
}
