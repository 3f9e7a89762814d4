package assistant

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// The FAQ cache gives what reading the question afresh gives, for a new
// text as for one seen before, and stays within its bound.
func TestFAQCache(t *testing.T) {
	a, err := zh.Default()
	if err != nil {
		t.Fatal(err)
	}
	var nilCache *faqCache
	c := &faqCache{}
	for _, q := range []string{
		"居住证到期了怎么办？",
		"每个月能领多少钱",
		"办理需要多长时间",
		"ＡＢＣ 怎么 申请",
		"居住证到期了怎么办？", // again, from the cache
	} {
		n := a.Normalize(q)
		want := &faqQuestion{bigrams: bigramSet(n), kind: questionKind(n), variant: hasAny(n, variantCues)}
		for name, got := range map[string]*faqQuestion{"cache": c.get(a, q), "nil cache": nilCache.get(a, q)} {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q gives %+v, want %+v", name, q, got, want)
			}
		}
	}
	if len(c.m) != 4 {
		t.Errorf("%d questions kept, want 4", len(c.m))
	}
	for i := range maxFAQCache + 1 {
		c.get(a, fmt.Sprint("问题", i))
	}
	if len(c.m) > maxFAQCache {
		t.Errorf("%d questions kept, bound %d", len(c.m), maxFAQCache)
	}
}
