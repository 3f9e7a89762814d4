package assistant

import (
	"regexp"
	"sync"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// matchFAQ finds the item's FAQ entry that answers the message: one
// whose question says much the same (most of its character pairs), or
// one that answers the same kind of question (an amount received, how
// long) when the message asks that kind. An entry about a variant of the
// item (到期, 补办, 逾期) answers only a message that mentions a variant:
// a first-time "怎么办理居住证" is not "居住证到期了怎么办".
func (as *Assistant) matchFAQ(it *kb.Item, norm string) *kb.FAQ {
	msg := bigramSet(norm)
	kind := questionKind(norm)
	msgVariant := hasAny(norm, variantCues)
	var best, byKind *kb.FAQ
	bestScore, kindScore := 0.0, -1.0
	for i := range it.FAQ {
		q := as.faqs.get(as.a, it.FAQ[i].Q)
		if q.variant && !msgVariant {
			continue
		}
		s := overlap(q.bigrams, msg)
		if s > bestScore {
			best, bestScore = &it.FAQ[i], s
		}
		if kind != "" && q.kind == kind && s > kindScore {
			byKind, kindScore = &it.FAQ[i], s
		}
	}
	if bestScore >= 0.5 {
		return best
	}
	return byKind
}

// faqQuestion is what matchFAQ compares a message with, read from an FAQ
// question's text once rather than on every turn about its item.
type faqQuestion struct {
	bigrams map[string]bool // of the normalised question; read only
	kind    string          // questionKind
	variant bool            // names a variant (variantCues)
}

// faqCache keeps faqQuestion by question text: an edited question is
// another key, and the cache is emptied when it reaches maxFAQCache.
type faqCache struct {
	mu sync.Mutex
	m  map[string]*faqQuestion
}

// maxFAQCache bounds the cache well above a catalogue's FAQ count.
const maxFAQCache = 20000

func (c *faqCache) get(a *zh.Analyzer, q string) *faqQuestion {
	if c == nil {
		n := a.Normalize(q)
		return &faqQuestion{bigrams: bigramSet(n), kind: questionKind(n), variant: hasAny(n, variantCues)}
	}
	c.mu.Lock()
	f, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return f
	}
	n := a.Normalize(q)
	f = &faqQuestion{bigrams: bigramSet(n), kind: questionKind(n), variant: hasAny(n, variantCues)}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxFAQCache {
		c.m = map[string]*faqQuestion{}
	}
	c.m[q] = f
	c.mu.Unlock()
	return f
}

// variantCues mark a question about a variant of an item rather than
// getting it the first time.
var variantCues = []string{"到期", "过期", "逾期", "超过", "续", "补", "丢", "遗失", "换", "变更", "注销", "撤销", "错了"}

// Kinds of question an FAQ entry can answer whatever its wording, by
// the words that ask them: plain substrings, found without a regexp.
var (
	amountWords   = []string{"多少钱", "有多少", "领多少", "发多少", "补多少", "拿多少", "取多少", "贷多少", "报多少", "补贴多少", "几块", "多少元", "标准是多少", "什么标准", "发放标准", "补贴标准"}
	durationWords = []string{"多久", "多长时间", "几个月", "几年", "多少个月", "多少年", "领多长"}
)

// asksReceive is a question about an amount the resident receives.
var asksReceive = regexp.MustCompile(`(?:领|发|补|拿|到手|给|补贴|津贴|能报|可以报|报销|涨)[^,.?!;]{0,4}多少|每个?月[^,.?!;]{0,4}多少|一个月[^,.?!;]{0,4}多少|发放标准|补贴标准|待遇标准`)

// receivedAmount is an amount received asked with a verb that alone asks
// when (拿到多少, 领到手多少, 到手几多), not a number of days or months.
var receivedAmount = regexp.MustCompile(`(?:拿到|领到|到手|攞到)(?:手)?(?:大概|大约|最多|一共)?(?:多少|几多)(?:钱|块|元)?(?:$|[^天日周年月个时])`)

// questionKind is "amount" for a question about an amount received or
// allowed, "duration" for how long something lasts, or "".
func questionKind(norm string) string {
	switch {
	case hasAny(norm, amountWords):
		return "amount"
	case hasAny(norm, durationWords):
		return "duration"
	}
	return ""
}

func bigramSet(s string) map[string]bool {
	out := map[string]bool{}
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// overlap is the share of a's bigrams that b has.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for g := range a {
		if b[g] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

func subset(a, b map[string]bool) bool {
	for x := range a {
		if !b[x] {
			return false
		}
	}
	return true
}
