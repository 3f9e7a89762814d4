package search_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// Learned questions (FAQ entries added in the console) are scored apart:
// they leave every other item's scores as they were, a query with most
// of a learned question's words finds its item, and one with a few of
// them does not outrank the items it names.
func TestLearnedQuestions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	items := search.DemoItems(t)
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace(items)
	const own = "居住证快到期了 怎么续"
	before := ix.Search(ctx, own, 3)

	lessons := map[string]string{
		"FT-034": "租房住了三年 居住证也一直有 我妈七十多了 腿脚不好 照顾老人的钱",
		"FT-067": "居住证快到期 孩子明年读一年级 学位",
		"FT-012": "跑外卖 没有公司 社保都是公司交 养老",
	}
	for i := range items {
		if q, ok := lessons[items[i].ID]; ok {
			items[i].FAQ = append(items[i].FAQ, kb.FAQ{Q: q, A: "…", Entry: true})
		}
	}
	ix.Replace(items)
	after := ix.Search(ctx, own, 3)
	if len(after.Hits) < 2 || len(before.Hits) < 2 {
		t.Fatalf("hits %v → %v", before.Hits, after.Hits)
	}
	for i := 0; i < 2; i++ {
		b, a := before.Hits[i], after.Hits[i]
		if a.ID != b.ID || a.Score != b.Score {
			t.Errorf("%q hit %d: %s %.3f before the lessons, %s %.3f after", own, i, b.ID, b.Score, a.ID, a.Score)
		}
	}
	for _, c := range []struct{ q, want string }{
		{"我是跑外卖的 没有公司 以前社保都是公司交 养老怎么交", "FT-012"},
		{"我妈七十多了 腿脚不好 有没有照顾老人的钱", "FT-034"},
	} {
		if r := ix.Search(ctx, c.q, 1); len(r.Hits) == 0 || r.Hits[0].ID != c.want {
			t.Errorf("%q: %v, want %s first", c.q, r.Hits, c.want)
		}
	}
	// One common word of a lesson (公司) pulls nothing.
	r := ix.Search(ctx, "公司名字怎么核名", 3)
	for _, h := range r.Hits {
		if h.ID == "FT-012" {
			t.Errorf("公司名字怎么核名 finds the lesson's item: %v", r.Hits)
		}
	}
}
