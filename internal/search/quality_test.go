package search_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// evalCase is a first turn of a development dialogue that names an item.
type evalCase struct {
	ID, Q, Item string
}

func loadFirstTurns(t testing.TB) []evalCase {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "data", "eval", "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var d struct {
			ID    string `json:"id"`
			Turns []struct {
				Q    string `json:"q"`
				Item string `json:"item"`
			} `json:"turns"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Turns) > 0 && d.Turns[0].Item != "" {
			out = append(out, evalCase{d.ID, d.Turns[0].Q, d.Turns[0].Item})
		}
	}
	return out
}

func demoIndex(t testing.TB) *search.Index {
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace(search.DemoItems(t))
	return ix
}

func TestQualityFirstTurns(t *testing.T) {
	t.Parallel()
	ix := demoIndex(t)
	cases := loadFirstTurns(t)
	top1, rec5 := 0, 0
	for _, c := range cases {
		res := ix.Search(context.Background(), c.Q, 5)
		for i, h := range res.Hits {
			if h.ID == c.Item {
				rec5++
				if i == 0 {
					top1++
				}
				break
			}
		}
		if testing.Verbose() && (len(res.Hits) == 0 || res.Hits[0].ID != c.Item) {
			got := ""
			if len(res.Hits) > 0 {
				got = res.Hits[0].ID + " " + res.Hits[0].Name
			}
			t.Logf("miss %s %q want %s got %s", c.ID, c.Q, c.Item, got)
		}
	}
	p1 := float64(top1) / float64(len(cases))
	r5 := float64(rec5) / float64(len(cases))
	fmt.Printf("search quality on %d first turns: top-1 %.3f, recall@5 %.3f\n", len(cases), p1, r5)
	if p1 < 0.85 || r5 < 0.97 {
		t.Errorf("top-1 %.3f (want ≥ 0.85), recall@5 %.3f (want ≥ 0.97)", p1, r5)
	}
}
