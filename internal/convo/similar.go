package convo

import (
	"sort"
	"strings"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// DefaultThreshold is the similarity at which two questions are grouped.
const DefaultThreshold = 0.5

// QuestionGroup is a set of similar questions, for staff deciding which
// FAQ the knowledge base lacks.
type QuestionGroup struct {
	Question string         `json:"question"` // the most frequent wording
	Count    int            `json:"count"`
	Examples []string       `json:"examples"` // up to 5 other wordings
	Reasons  map[string]int `json:"reasons"`  // turn status (or bad_feedback) → count
	ItemID   string         `json:"item_id,omitempty"`
	// Thread is, when its turns are follow-ups, the item their
	// conversations were about most often: a reviewer reads 那要带啥 with
	// it (a thread change is a question for the new item, an aspect an
	// FAQ of the thread's item).
	Thread  string     `json:"thread,omitempty"`
	TurnIDs []int64    `json:"turn_ids"` // up to 20, latest first
	Last    store.Time `json:"last"`
}

// stopChars are function words and question words that say nothing about
// the topic (怎么, 请问, 需要, 办理 …).
const stopChars = "的了吗呢吧啊呀嘛么怎如何什我你您请问要想能可以在哪里个一下是有需办理得去到和与或就还都也咋样多少些这那给让"

// features are a question's characters (letters and digits, lower-cased)
// and its pairs of adjacent characters, leaving out stop characters and
// pairs with one. Plain character bigrams made 生了孩子怎么上户口 and
// 孩子出生后怎么办理上户口 too far apart (0.43) and 怎么办理护照 and
// 怎么办理居住证 too close: single characters make word order matter less,
// pairs keep apart words that share a character, and dropping stop
// characters stops 怎么办理 from making every question alike.
func features(text string) map[string]struct{} {
	var rs []rune
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, unicode.ToLower(r))
		}
	}
	f := make(map[string]struct{}, 2*len(rs))
	for i, r := range rs {
		if strings.ContainsRune(stopChars, r) {
			continue
		}
		f[string(r)] = struct{}{}
		if i+1 < len(rs) && !strings.ContainsRune(stopChars, rs[i+1]) {
			f[string(rs[i:i+2])] = struct{}{}
		}
	}
	return f
}

func normKey(text string) string {
	var b strings.Builder
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Similarity is the Jaccard similarity of two questions' features.
func Similarity(a, b string) float64 {
	fa, fb := features(a), features(b)
	return jaccard(fa, fb)
}

func jaccard(a, b map[string]struct{}) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// GroupQuestions clusters questions greedily: identical wordings (ignoring
// punctuation and case) first, then, most frequent first, each wording
// joins the most similar existing group whose leading wording it matches
// with Jaccard similarity ≥ threshold and whose resolved item does not
// differ from its own, or leads a new group. An inverted
// index over features keeps this near linear. Groups come back largest
// first, then most recent.
func GroupQuestions(qs []Question, threshold float64) []QuestionGroup {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	type wording struct {
		key, text string
		qs        []Question
		last      store.Time
	}
	byKey := map[string]*wording{}
	var order []*wording
	for _, q := range qs {
		k := normKey(q.Text)
		w := byKey[k]
		if w == nil {
			w = &wording{key: k, text: strings.TrimSpace(q.Text)}
			byKey[k] = w
			order = append(order, w)
		}
		w.qs = append(w.qs, q)
		if q.At.After(w.last.Time) {
			w.last = q.At
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if len(order[i].qs) != len(order[j].qs) {
			return len(order[i].qs) > len(order[j].qs)
		}
		return order[i].last.After(order[j].last.Time)
	})

	// A wording's item is the item its turns resolved to most often.
	itemOf := func(w *wording) string {
		n := map[string]int{}
		best := ""
		for _, q := range w.qs {
			if q.ItemID == "" {
				continue
			}
			n[q.ItemID]++
			if n[q.ItemID] > n[best] || n[q.ItemID] == n[best] && q.ItemID < best {
				best = q.ItemID
			}
		}
		return best
	}
	type cluster struct {
		lead     map[string]struct{}
		item     string // the lead's resolved item, if any
		wordings []*wording
	}
	var clusters []*cluster
	index := map[string][]int{} // feature → clusters whose lead has it
	for _, w := range order {
		f := features(w.key)
		item := itemOf(w)
		overlap := map[int]int{}
		for k := range f {
			for _, c := range index[k] {
				overlap[c]++
			}
		}
		best, bestSim := -1, 0.0
		for c, n := range overlap {
			if ci := clusters[c].item; ci != "" && item != "" && ci != item {
				// Alike in words, resolved to different items: what one
				// group needs (an alias, an FAQ) is not what the other does.
				continue
			}
			sim := float64(n) / float64(len(f)+len(clusters[c].lead)-n)
			if sim >= threshold && (sim > bestSim || sim == bestSim && c < best) {
				best, bestSim = c, sim
			}
		}
		if best < 0 && len(f) == 0 && w.key == "" {
			// Questions with no letters at all ("？？") group together.
			for i, c := range clusters {
				if len(c.lead) == 0 {
					best = i
					break
				}
			}
		}
		if best >= 0 {
			clusters[best].wordings = append(clusters[best].wordings, w)
			continue
		}
		clusters = append(clusters, &cluster{lead: f, item: item, wordings: []*wording{w}})
		for k := range f {
			index[k] = append(index[k], len(clusters)-1)
		}
	}

	out := make([]QuestionGroup, 0, len(clusters))
	for _, c := range clusters {
		g := QuestionGroup{Question: c.wordings[0].text, Reasons: map[string]int{}, Examples: []string{}}
		items, threads := map[string]int{}, map[string]int{}
		var all []Question
		for i, w := range c.wordings {
			if i > 0 && len(g.Examples) < 5 {
				g.Examples = append(g.Examples, w.text)
			}
			all = append(all, w.qs...)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].At.After(all[j].At.Time) })
		for _, q := range all {
			g.Count++
			g.Reasons[q.Status]++
			if q.ItemID != "" {
				items[q.ItemID]++
			}
			if q.Thread != "" {
				threads[q.Thread]++
			}
			if len(g.TurnIDs) < 20 {
				g.TurnIDs = append(g.TurnIDs, q.TurnID)
			}
		}
		if len(all) > 0 {
			g.Last = all[0].At
		}
		for id, n := range items {
			if n > items[g.ItemID] || n == items[g.ItemID] && id < g.ItemID {
				g.ItemID = id
			}
		}
		for id, n := range threads {
			if n > threads[g.Thread] || n == threads[g.Thread] && id < g.Thread {
				g.Thread = id
			}
		}
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Last.After(out[j].Last.Time)
	})
	return out
}
