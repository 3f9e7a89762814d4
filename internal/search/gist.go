package search

// The gist of a resident's turn, for a lesson: when a reviewer turns a
// question the assistant missed into an FAQ entry or an alias of the item
// it meant, the lesson should hold what tells that item apart, not the
// whole turn. A voice transcript or a life story ("呃 我是外地的 在深圳
// 上班一年多了 … 孩子上学有用") taken whole teaches the item its
// incidental words, and they then pull unrelated questions to it.

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// gistRunes bounds a proposed question (runes, clauses joined by spaces):
// a question a reviewer publishes, not a story.
const gistRunes = 24

// gistEnough is the score at which the proposal says enough: a word that
// tells the item apart and a little context, or a few of the resident's
// own words. One word alone would match every question that has it.
const gistEnough = 4

// gistRivals is how many search hits, besides the ones the caller names,
// count as the items a turn was confused with.
const gistRivals = 4

// fillers are words of talk, not of the question: greetings, hesitation,
// self-corrections of a voice transcript. The stop list has the rest.
var fillers = map[string]bool{
	"你好": true, "您好": true, "喂": true, "呃": true, "嗯": true, "额": true, "哎": true, "唉": true,
	"请问": true, "那个": true, "就是": true, "是这样": true, "这样": true, "不对": true, "我是说": true,
	"听得到": true, "听到": true, "谢谢": true, "麻烦": true, "问一下": true, "想问": true, "打扰": true,
	"不知道": true, "我想": true, "想": true, "听说": true, "有没有": true, "一下": true,
}

// Gist proposes the question a lesson for item should hold, made from a
// resident's turn cut into clauses (at punctuation and spaces). A short
// turn (gistRunes or fewer characters without talk) is a question
// already: it is kept with fillers trimmed and without the clauses that
// only pull elsewhere. A long one is cut to its best clauses, within
// gistRunes, until they say enough (gistEnough), in the turn's order,
// each trimmed of fillers and pulling words at its edges; once a word
// tells item apart, clauses of loose words are background and left out.
//
// A word scores by where the catalogue has it, as the index cuts it (and
// through the synonym tables, so 领养 counts as 收养), against the
// rivals — the items the caller names (those the turn was answered with
// or ranked above item) and the best search hits for the turn: in item's
// text and no rival's, it tells item apart (2); in both, a little (0.5);
// in a rival's only, it is what pulled the turn away (−1); in no item, it
// is the resident's own word the catalogue lacks (0.5); elsewhere in the
// catalogue, by its rarity (nothing for a word most items have). Fillers,
// stop words, time words and numbers count nothing. With item "" (a
// turn that found nothing) any catalogue word counts 0.5.
//
// A proposal made only of words item shares with a rival, with three
// items or more or with another item's name (公积金, 社保卡) is none: ""
// (the caller keeps the turn whole).
func (ix *Index) Gist(text, item string, rivals []string) string {
	g, _ := ix.gist(text, item, rivals)
	return g
}

// gist is Gist with the clauses it weighed.
func (ix *Index) gist(text, item string, rivals []string) (string, []clause) {
	clauses := splitClauses(text)
	if len(clauses) == 0 {
		return "", nil
	}
	rivals = ix.rivals(text, item, rivals)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	doc, ok := ix.byID[item]
	if !ok {
		doc = -1
	}
	var rivalDocs []int32
	for _, r := range rivals {
		if d, ok := ix.byID[r]; ok && d != doc {
			rivalDocs = append(rivalDocs, d)
		}
	}
	n := len(ix.items)
	// where scores one catalogue term.
	where := func(t string) (float64, bool) {
		p := ix.words.terms[t]
		if p == nil || p.live == 0 {
			return 0, false
		}
		inRival := false
		for _, d := range rivalDocs {
			if _, ok := lookup(p, d); ok {
				inRival = true
				break
			}
		}
		inItem := false
		if doc >= 0 {
			_, inItem = lookup(p, doc)
		}
		switch {
		case inItem && inRival:
			return 0.5, true
		case inItem && p.live*widespread > n:
			// A word a good share of the catalogue has (福田 of every
			// department, 登记, 身份证 among materials) says little of
			// item even where no rival has it: taught, it would pull
			// every question that has it.
			return 0.5, true
		case inItem:
			return 2, true
		case inRival:
			return -1, true
		}
		// Elsewhere in the catalogue: the rarer, the more it says.
		if doc < 0 {
			return 0.5, true // no item to set apart: any catalogue word
		}
		// A word most items have (公司, 办理) says nothing.
		if v := 0.25 * idf(p.live, n) / idf(0, n); v >= commonWord {
			return v, true
		}
		return 0, true
	}

	// shared reports a word whose every term item has and a rival, a few
	// other items or another item's name has too (公积金 among the
	// provident fund's items, 社保卡 of the card's first issue and its
	// replacement): it tells item apart from nothing.
	shared := func(w string) bool {
		if doc < 0 {
			return false
		}
		terms := ix.a.TermsNormalized(w)
		for _, t := range terms {
			p := ix.words.terms[t]
			if p == nil || p.live == 0 {
				return false
			}
			if _, in := lookup(p, doc); !in {
				return false
			}
			if v, _ := where(t); v != 0.5 && ix.nameDF[t] < 2 && p.live < sharedBy {
				return false
			}
		}
		return len(terms) > 0
	}
	// apartFrom reports a word among ws that is neither idle talk nor
	// shared: a lesson of shared words alone would pull every question
	// that has them to item.
	apartFrom := func(ws []string) bool {
		for _, w := range ws {
			if !ix.idle(w) && !shared(w) {
				return true
			}
		}
		return false
	}

	var cs []clause
	for i, c := range clauses {
		norm := ix.a.Normalize(c)
		words := ix.a.Segment(norm)
		if len(words) == 0 || fillers[strings.TrimRight(norm, "吗吧啊呀嘛")] {
			continue
		}
		// A synonym phrase lends its terms' places to the words in it.
		lent := map[string]float64{}
		for _, syn := range ix.synonymSets() {
			for _, e := range syn.Expand(norm) {
				s, ok := 0.0, false
				for _, t := range ix.termWordsOf(e.Term) {
					if v, k := where(t); k && (!ok || v > s) {
						s, ok = v, true
					}
				}
				if !ok {
					continue
				}
				for _, w := range words {
					if strings.Contains(e.Phrase, w) {
						if v, seen := lent[w]; !seen || s > v {
							lent[w] = s
						}
					}
				}
			}
		}
		cl := clause{words: words, pos: i}
		for _, w := range words {
			s := ix.wordScore(w, where)
			if v, ok := lent[w]; ok && v > s && !ix.idle(w) {
				s = v
			}
			cl.scores = append(cl.scores, s)
			cl.score += s
			cl.best = math.Max(cl.best, s)
		}
		cl.trim()
		for _, w := range cl.words[cl.lo:cl.hi] {
			cl.runes += len([]rune(w))
		}
		if cl.hi > cl.lo {
			cs = append(cs, cl)
		}
	}
	// A short turn is a question already: it is kept, talk trimmed.
	short, n := make([]string, 0, len(cs)), 0
	positive := slices.ContainsFunc(cs, func(c clause) bool { return c.score > 0 })
	apart := false
	for _, c := range cs {
		i, j := 0, len(c.words)
		for i < j && ix.idle(c.words[i]) {
			i++
		}
		for j > i && ix.idle(c.words[j-1]) {
			j--
		}
		if i < j {
			w := strings.Join(c.words[i:j], "")
			n += len([]rune(w))
			if !positive || c.score > 0 { // else it only pulls elsewhere
				short = append(short, w)
				apart = apart || apartFrom(c.words[i:j])
			}
		}
	}
	if n <= gistRunes {
		if !apart {
			return "", cs
		}
		return strings.Join(short, " "), cs
	}

	// The best clauses, within the budget, until they say enough.
	var keep []clause
	cand := make([]clause, 0, len(cs))
	for _, c := range cs {
		if c.score > 0 {
			cand = append(cand, c)
		}
	}
	if len(cand) == 0 {
		cand = cs
	}
	sort.SliceStable(cand, func(i, j int) bool { return cand[i].score > cand[j].score })
	used, said := 0, 0.0
	for _, c := range cand {
		if said >= gistEnough {
			break
		}
		if len(keep) > 0 && used+c.runes > gistRunes {
			continue
		}
		// Once a word tells the item apart, a clause of loose words
		// (深圳户口, 听邻居说) is background.
		if said >= 2 && c.score < 1 {
			continue
		}
		keep = append(keep, c)
		used += c.runes + 1
		said += c.score
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].pos < keep[j].pos })
	out := make([]string, 0, len(keep))
	apart = false
	for _, c := range keep {
		out = append(out, strings.Join(c.words[c.lo:c.hi], ""))
		apart = apart || apartFrom(c.words[c.lo:c.hi])
	}
	if !apart {
		return "", cs
	}
	return strings.Join(out, " "), cs
}

// rivals are the named rivals and the best search hits for text other
// than item, ranked above it or, with item not among them, the first few.
func (ix *Index) rivals(text, item string, named []string) []string {
	out := append([]string(nil), named...)
	res := ix.SearchQuery(ix.Analyse(text), gistRivals+1)
	for i, h := range res.Hits {
		if h.ID == item || i >= gistRivals {
			break
		}
		out = append(out, h.ID)
	}
	return out
}

// wordScore is a word's worth in a lesson (see Gist).
func (ix *Index) wordScore(w string, where func(string) (float64, bool)) float64 {
	if ix.idle(w) {
		return 0
	}
	// The index's terms for the word (search mode gives its sub-words).
	terms := ix.a.TermsNormalized(w)
	best, known := 0.0, false
	for _, t := range terms {
		if s, ok := where(t); ok && (!known || s > best || s < 0) {
			best, known = s, true
			if s < 0 {
				break
			}
		}
	}
	if known {
		return best
	}
	// The resident's own word, which the catalogue lacks: worth teaching
	// beside a word that tells the item apart, not alone.
	if len([]rune(w)) < 2 {
		return 0.2
	}
	return 0.5
}

const numerals = "零一二两三四五六七八九十百千万几半上这下前去今明每"

// whenWords place the story in time; they say nothing of the need.
var whenWords = map[string]bool{
	"现在": true, "以前": true, "以后": true, "之前": true, "之后": true, "当时": true, "时候": true,
	"最近": true, "刚刚": true, "后来": true, "今天": true, "昨天": true, "前天": true, "今年": true,
	"去年": true, "前年": true, "明年": true, "上个月": true, "这个月": true, "下个月": true, "马上": true,
	"快要": true, "已经": true, "一直": true,
}

// widespread: a word more than one item in widespread has is common to
// the catalogue (see Gist).
const widespread = 4

// sharedBy: a word as many items have as this, item among them, tells
// item apart from nothing in a lesson of such words alone (see Gist).
const sharedBy = 3

// commonWord is the score below which a catalogue word elsewhere is too
// common to matter (0.25 × its idf's share of the highest).
const commonWord = 0.15

// idle reports whether a word says nothing of the need: a filler, a stop
// word, a number, or a lone non-Chinese character.
func (ix *Index) idle(w string) bool {
	if fillers[w] || ix.a.IsStop(w) {
		return true
	}
	rs := []rune(w)
	if len(rs) == 1 && !zh.IsHan(rs[0]) || whenWords[w] {
		return true
	}
	// A number, or a span of time or age: 五十一, 半年, 十年, 八十三岁.
	for i, r := range rs {
		if !unicode.IsDigit(r) && !strings.ContainsRune(numerals, r) &&
			(i == 0 || i < len(rs)-1 || !strings.ContainsRune("年月天日周岁个多", r)) {
			return false
		}
	}
	return true
}

// clause is one clause of a turn with its words' scores.
type clause struct {
	words  []string
	scores []float64
	score  float64 // sum of the words' scores
	best   float64 // the best word's
	lo, hi int     // the words kept after trimming
	runes  int     // theirs
	pos    int     // place in the turn
}

// edgeWord is the least a word at the edge of a kept clause is worth:
// a lone character the catalogue lacks (月 of 每个月) is not.
const edgeWord = 0.25

// trim drops the clause's words at either edge that count (almost)
// nothing or pull elsewhere, so a kept clause starts and ends with what matters.
func (c *clause) trim() {
	i, j := 0, len(c.words)
	for i < j && c.scores[i] < edgeWord {
		i++
	}
	for j > i && c.scores[j-1] < edgeWord {
		j--
	}
	c.lo, c.hi = i, j
}

// splitClauses cuts a turn at punctuation and spaces.
func splitClauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("，。！？；：、…～~", r)
	})
}
