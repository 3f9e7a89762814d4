package assistant

import (
	"fmt"
	"testing"
)

func TestTryClarify(t *testing.T) {
	as, _ := New(Config{Index: debugIndex(t), Halls: noHalls{}, Mask: func(s string) string { return s }})
	for _, q := range []string{"注销", "我要注销", "社保卡怎么弄", "补办一下", "申请登记", "开个证明", "证丢了 要补办", "户口迁移怎么办", "老人补贴在哪申请", "我要办个证", "想申请保障房", "孩子转学到福田"} {
		norm := as.a.Normalize(q)
		content := as.contentText(norm)
		qq := as.cfg.Index.Analyse(content)
		res := as.cfg.Index.SearchQuery(qq, 4)
		fmt.Printf("%s | content=%q rich=%d\n", q, content, as.richness(content))
		for _, h := range res.Hits {
			fmt.Printf("   %s %s %.2f cov=%.2f terms=%v names=%v\n", h.ID, h.Name, h.Score, h.Coverage, h.Terms, h.NameTerms)
		}
	}
}
