package search

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// Source says where a query term came from.
type Source string

const (
	FromQuery   Source = "query"
	FromSynonym Source = "synonym"
	FromPinyin  Source = "pinyin"
)

// Term is one weighted query term.
type Term struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
	Source Source  `json:"source"`
	// From is the phrase or window that produced the term; several are
	// joined by "|".
	From string `json:"from,omitempty"`
}

// Hit is one ranked item.
type Hit struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Score  float64  `json:"score"`
	Fields []string `json:"fields"` // fields the query matched
	Terms  []string `json:"terms"`  // query words the item matched
	// Coverage is the share of the item name's word weight (idf) that the
	// query's words cover: 1 when the question names the item outright.
	Coverage float64 `json:"coverage"`
	// NameTerms are the words of the item's name the query has.
	NameTerms []string `json:"name_terms,omitempty"`
}

// Result is a ranked list with the query as the index understood it.
type Result struct {
	Hits  []Hit  `json:"hits"`
	Terms []Term `json:"terms"`
}

// Query is an analysed query, reusable across searches.
type Query struct {
	Norm    string
	Words   []Term
	Bigrams []Term
}

// Analyse turns text into weighted terms: the text's own words, words the
// synonym table adds, and catalogue words that sound like the text where
// the text has a word the catalogue does not know (typos such as 公基金
// for 公积金).
func (ix *Index) Analyse(text string) Query {
	norm := ix.a.Normalize(text)
	q := Query{Norm: norm}
	seen := map[string]int{}
	add := func(t Term) {
		if i, ok := seen[t.Text]; ok {
			w := &q.Words[i]
			if w.Weight < t.Weight {
				w.Weight = t.Weight
			}
			if t.From != "" && w.Source != FromQuery && !strings.Contains("|"+w.From+"|", "|"+t.From+"|") {
				w.From += "|" + t.From
			}
			return
		}
		seen[t.Text] = len(q.Words)
		q.Words = append(q.Words, t)
	}
	for _, w := range ix.a.TermsNormalized(norm) {
		add(Term{Text: w, Weight: 1, Source: FromQuery})
	}
	// 的 set inside a word of an item's name (简易的注销, 高龄的津贴) is
	// read as the word said whole.
	for _, w := range ix.joinedAcrossDe(norm) {
		add(Term{Text: w, Weight: 1, Source: FromQuery})
	}
	// Phrases are also matched with aspect particles and 一下 taken out,
	// so that 生了孩子 reads as 生孩子, 丢过 as 丢, 登记一下失业 as 登记失业.
	compact := particles.Replace(norm)
	// The main table's expansions of norm serve twice: for the terms they
	// add and for the phrases they mark below.
	expansions := ix.a.Synonyms().Expand(norm)
	ix.expandWith(norm, expansions, ix.params.Synonym, add)
	if compact != norm {
		ix.expand(compact, ix.params.Synonym, add)
	}
	// A word inside a phrase the synonym table knows belongs to that
	// phrase: 单位 in 没有单位 (→ 灵活就业) is not evidence for the items
	// about 单位. It keeps a little weight, unless the rule itself names it.
	for _, e := range expansions {
		for i := range q.Words {
			w := &q.Words[i]
			// The parts of a phrase in parts are words in their own right.
			if w.Source == FromQuery && w.Text != e.Phrase && !strings.Contains(e.Phrase, zh.Gap) &&
				strings.Contains(e.Phrase, w.Text) && !ix.a.Synonyms().Adds(e.Phrase, w.Text) {
				w.Weight = math.Min(w.Weight, ix.params.InPhrase)
			}
		}
	}
	ix.mu.RLock()
	fixes := ix.homophones(norm)
	ix.mu.RUnlock()
	for _, t := range fixes {
		add(t)
		// A corrected word brings its synonyms too (底保 → 低保 → 最低生活保障).
		ix.expand(t.Text, ix.params.Synonym*ix.params.Pinyin, add)
	}
	bseen := map[string]int{}
	grams, across := ix.a.BigramsAcross(norm)
	for i, g := range grams {
		w := 1.0
		if across[i] {
			w = ix.params.Across
		}
		if j, ok := bseen[g]; ok {
			q.Bigrams[j].Weight = math.Max(q.Bigrams[j].Weight, w)
			continue
		}
		bseen[g] = len(q.Bigrams)
		q.Bigrams = append(q.Bigrams, Term{Text: g, Weight: w, Source: FromQuery})
	}
	return q
}

// deWindow is how many characters on each side of a 的 joinedAcrossDe
// reads: a name word is rarely longer than twice that.
const deWindow = 4

// joinedAcrossDe returns the words of items' names (and aliases) that norm
// says with a 的 inside them: each 的 between two Chinese characters is
// taken out of a window around it, the window cut again, and the name
// words that span the join kept.
func (ix *Index) joinedAcrossDe(norm string) []string {
	if !strings.Contains(norm, "的") {
		return nil
	}
	rs := []rune(norm)
	var out []string
	for i, r := range rs {
		if r != '的' || i == 0 || i == len(rs)-1 || !zh.IsHan(rs[i-1]) || !zh.IsHan(rs[i+1]) {
			continue
		}
		from, to := max(0, i-deWindow), min(len(rs), i+1+deWindow)
		before, after := string(rs[from:i]), string(rs[i+1:to])
		ix.mu.RLock()
		for _, w := range ix.a.TermsNormalized(before + after) {
			if spansJoin(before, after, w) && ix.nameDF[w] > 0 {
				out = append(out, w)
			}
		}
		ix.mu.RUnlock()
	}
	return out
}

// spansJoin reports a word that ends what comes before the join and
// begins what follows it, at least two characters on each side: 简易|注销.
// A shorter reach (子户 of 孩子的户口) is a chance of the cut, not a word
// said whole.
func spansJoin(before, after, w string) bool {
	rs := []rune(w)
	for k := 2; k <= len(rs)-2; k++ {
		if strings.HasSuffix(before, string(rs[:k])) && strings.HasPrefix(after, string(rs[k:])) {
			return true
		}
	}
	return false
}

var particles = strings.NewReplacer("了", "", "过", "", "着", "", "一下", "")

// expand adds the synonym table's terms for text. The terms of one phrase
// share its weight (divided by the square root of their number), so a
// phrase listing many canonical words does not outweigh one listing few.
// Added terms are cut in precise mode: 新生儿 adds 新生儿, not also 新生.
func (ix *Index) expand(text string, weight float64, add func(Term)) {
	ix.expandWith(text, ix.a.Synonyms().Expand(text), weight, add)
}

// expandWith is expand given main, the main table's expansions of text.
func (ix *Index) expandWith(text string, main []zh.Expansion, weight float64, add func(Term)) {
	byPhrase := map[string][]string{}
	var order []string
	for _, set := range ix.synonymSets() {
		exps := main
		if set != ix.a.Synonyms() {
			exps = set.Expand(text)
		}
		for _, e := range exps {
			if _, ok := byPhrase[e.Phrase]; !ok {
				order = append(order, e.Phrase)
			}
			byPhrase[e.Phrase] = append(byPhrase[e.Phrase], ix.termWordsOf(e.Term)...)
		}
	}
	for _, ph := range order {
		ws := byPhrase[ph]
		w := weight / math.Sqrt(float64(max(len(ws), 1)))
		for _, t := range ws {
			add(Term{Text: t, Weight: w, Source: FromSynonym, From: ph})
		}
	}
}

// maxTermWords bounds termWords: the tables' terms are a few thousand.
const maxTermWords = 50000

// termWordsOf are the words of a synonym term, stop words dropped, cut in
// precise mode (cached; the slice is shared, not to be changed).
func (ix *Index) termWordsOf(term string) []string {
	if ws, ok := ix.termWords.Load(term); ok {
		return ws.([]string)
	}
	var ws []string
	for _, w := range ix.a.Segment(term) {
		if !ix.a.IsStop(w) {
			ws = append(ws, w)
		}
	}
	if ix.termWordsN.Load() < maxTermWords {
		if _, loaded := ix.termWords.LoadOrStore(term, ws); !loaded {
			ix.termWordsN.Add(1)
		}
	}
	return ws
}

// homophones finds catalogue words that sound like windows of the text
// the catalogue does not know. Caller holds the read lock.
func (ix *Index) homophones(norm string) []Term {
	var out []Term
	for _, run := range hanRuns(norm) {
		syl := ix.a.Syllables(run)
		// A typo breaks a word, so a window never cuts a word the
		// dictionary recognised: 生证 inside 出生证 is no typo for 深圳, nor
		// 人怎 (人 + half of 怎么) one for 认证.
		inside := ix.a.WordSpans(string(run))
		for size := 4; size >= 2; size-- {
			for i := 0; i+size <= len(run); i++ {
				win := string(run[i : i+size])
				if ix.knows(win) || cuts(inside, i, i+size) {
					continue
				}
				// A common word is what the resident meant, not a typo.
				if f, ok := ix.a.WordFreq(win); ok && f >= 100 {
					continue
				}
				key, ok := joinKey(syl[i : i+size])
				if !ok {
					continue
				}
				for _, w := range ix.pinyin[key] {
					// Two characters sound alike too often by chance (里剩,
					// li sheng, folded to 离深): they must sound the same
					// unfolded.
					if w != win && ix.knows(w) && (size > 2 || slices.Equal(ix.a.PlainPinyin(w), ix.a.PlainPinyin(win))) {
						out = append(out, Term{Text: w, Weight: ix.params.Pinyin, Source: FromPinyin, From: win})
					}
				}
			}
		}
	}
	return out
}

// cuts reports whether an edge of [i, j) falls strictly inside a span.
func cuts(spans [][2]int, i, j int) bool {
	for _, sp := range spans {
		if sp[0] < i && i < sp[1] || sp[0] < j && j < sp[1] {
			return true
		}
	}
	return false
}

func joinKey(syl []string) (string, bool) {
	n := 0
	for _, s := range syl {
		if s == "" {
			return "", false
		}
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for i, s := range syl {
		if i > 0 {
			b = append(b, '\'')
		}
		b = append(b, s...)
	}
	return string(b), true
}

func hanRuns(s string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range s {
		if zh.IsHan(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// scratch is a reusable score accumulator.
type scratch struct {
	score   []float32
	touched []int32
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// Search ranks the catalogue for text and returns the best k items.
func (ix *Index) Search(ctx context.Context, text string, k int) Result {
	return ix.SearchAnalysed(ctx, text, ix.Analyse(text), k)
}

// SearchAnalysed is Search for a caller that has analysed text already
// (q is ix.Analyse(text)): a chat turn reads the query's words itself and
// must not pay for segmenting the text twice. text feeds the dense
// channel, when configured.
func (ix *Index) SearchAnalysed(ctx context.Context, text string, q Query, k int) Result {
	if ix.vectors == nil {
		return ix.SearchQuery(q, k)
	}
	deep := ix.SearchQuery(q, max(k, ix.vectors.opt.Depth))
	res := ix.vectors.fuse(ctx, text, Result{Hits: deep.Hits[:min(k, len(deep.Hits))], Terms: deep.Terms}, k, deep.Hits)
	// Keep only items still in the index (one may have gone meanwhile).
	ix.mu.RLock()
	kept := res.Hits[:0]
	for _, h := range res.Hits {
		if it, ok := ix.items[h.ID]; ok {
			h.Name = it.Name
			kept = append(kept, h)
		}
	}
	ix.mu.RUnlock()
	res.Hits = kept
	return res
}

// SearchQuery ranks the catalogue for an analysed query (lexical channels
// only).
func (ix *Index) SearchQuery(q Query, k int) Result {
	terms := append([]Term(nil), q.Words...)
	res := Result{Terms: terms}
	if k <= 0 {
		return res
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := len(ix.items)
	if n == 0 {
		return res
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	if cap(sc.score) < len(ix.ids) {
		sc.score = make([]float32, len(ix.ids))
	}
	sc.score = sc.score[:len(ix.ids)]
	sc.touched = sc.touched[:0]
	k1 := ix.params.K1
	accumulate := func(c *channel, ts []Term, scale float64) {
		for _, t := range ts {
			p := c.terms[t.Text]
			if p == nil || p.live == 0 {
				continue
			}
			w := float32(scale * t.Weight * idf(p.live, n) * (k1 + 1))
			for i, d := range p.docs {
				if ix.dead[d] {
					continue
				}
				tf := p.tf[i]
				if sc.score[d] == 0 {
					sc.touched = append(sc.touched, d)
				}
				sc.score[d] += w * tf / (float32(k1) + tf)
			}
		}
	}
	accumulate(ix.words, q.Words, 1)
	accumulate(ix.bigrams, q.Bigrams, ix.params.Bigram)
	ix.learnedScores(q, sc)

	top := topK(sc.score, sc.touched, max(k, ix.params.Rerank))
	cover, named := ix.coverage(q, top)
	if ix.params.Coverage > 0 {
		top = ix.rerank(top, sc.score, cover)
	}
	if len(top) > k {
		top = top[:k]
	}
	for _, d := range top {
		id := ix.ids[d]
		h := Hit{ID: id, Name: ix.items[id].Name, Score: float64(sc.score[d]), Coverage: cover[d], NameTerms: named[d]}
		var mask uint8
		for _, t := range q.Words {
			if m, ok := lookup(ix.words.terms[t.Text], d); ok {
				mask |= m
				h.Terms = append(h.Terms, t.Text)
			}
		}
		for _, t := range q.Bigrams {
			if m, ok := lookup(ix.bigrams.terms[t.Text], d); ok {
				mask |= m
			}
		}
		h.Fields = fieldList(mask)
		res.Hits = append(res.Hits, h)
	}
	for _, d := range sc.touched {
		sc.score[d] = 0
	}
	return res
}

// learnedScores adds the learned questions' scores (Params.Learned).
// Caller holds the read lock.
func (ix *Index) learnedScores(q Query, sc *scratch) {
	if ix.params.Learned == 0 || len(ix.learnedQs) == 0 {
		return
	}
	in := make(map[string]float64, len(q.Words))
	for _, t := range q.Words {
		in[t.Text] = math.Max(in[t.Text], t.Weight)
	}
	n := len(ix.items)
	for d, qs := range ix.learnedQs {
		if ix.dead[d] {
			continue
		}
		best := 0.0
		for _, ws := range qs {
			var have, all float64
			for _, w := range ws {
				wt := idf(ix.words.df(w), n)
				all += wt
				have += wt * in[w]
			}
			if all == 0 || have == 0 {
				continue
			}
			share := have / all
			best = math.Max(best, ix.params.Learned*have*share*share)
		}
		if best > 0 {
			if sc.score[d] == 0 {
				sc.touched = append(sc.touched, d)
			}
			sc.score[d] += float32(best)
		}
	}
}

// coverage is, for each candidate, the share of its name's word weight
// that the query's words (expansions included) cover. A name word weighs
// by how few item names share it, so that the word setting an item apart
// from its siblings (签注 in 居住证签注, 居民身份证 in 居民身份证换领)
// counts more than one many names have (申领, 登记).
func (ix *Index) coverage(q Query, top []int32) (map[int32]float64, map[int32][]string) {
	inQuery := make(map[string]bool, len(q.Words))
	for _, t := range q.Words {
		inQuery[t.Text] = true
	}
	long := longTerms(q.Words)
	n := len(ix.items)
	out := make(map[int32]float64, len(top))
	named := make(map[int32][]string, len(top))
	for _, d := range top {
		var have, all float64
		for _, w := range ix.names[d] {
			wt := idf(max(ix.nameDF[w], 1), n)
			all += wt
			if inQuery[w] {
				have += wt
				named[d] = append(named[d], w)
			} else if part := partInLong(w, long); part > 0 {
				// 注销 covers some of 简易注销, by its share of the characters.
				have += wt * part * ix.params.Partial
			}
		}
		if all > 0 {
			out[d] = have / all
		}
	}
	return out, named
}

// partIn is the largest share of w's characters that one query word of
// two or more characters, standing inside w, spells.
func partIn(w string, words []Term) float64 { return partInLong(w, longTerms(words)) }

// longTerm is a query word of two or more characters, and their number.
type longTerm struct {
	text string
	n    int
}

// longTerms are the words partIn looks for, counted once per query
// rather than once per candidate name word.
func longTerms(words []Term) []longTerm {
	out := make([]longTerm, 0, len(words))
	for _, t := range words {
		if l := utf8.RuneCountInString(t.Text); l >= 2 {
			out = append(out, longTerm{t.Text, l})
		}
	}
	return out
}

// partInLong is partIn over longTerms.
func partInLong(w string, words []longTerm) float64 {
	n := utf8.RuneCountInString(w)
	best := 0
	for _, t := range words {
		if t.n < n && t.n > best && strings.Contains(w, t.text) {
			best = t.n
		}
	}
	return float64(best) / float64(n)
}

// rerank multiplies each candidate's score by 1 + Coverage × its coverage.
func (ix *Index) rerank(top []int32, score []float32, cover map[int32]float64) []int32 {
	for _, d := range top {
		score[d] *= float32(1 + ix.params.Coverage*cover[d])
	}
	sort.SliceStable(top, func(i, j int) bool {
		if score[top[i]] != score[top[j]] {
			return score[top[i]] > score[top[j]]
		}
		return top[i] < top[j]
	})
	return top
}

// lookup finds doc d in a posting list.
func lookup(p *postings, d int32) (uint8, bool) {
	if p == nil {
		return 0, false
	}
	i := sort.Search(len(p.docs), func(i int) bool { return p.docs[i] >= d })
	if i < len(p.docs) && p.docs[i] == d {
		return p.fields[i], true
	}
	return 0, false
}

// topK returns the k best documents, best first; ties go to the lower
// document number (the earlier item id), so results are deterministic.
func topK(score []float32, touched []int32, k int) []int32 {
	better := func(a, b int32) bool {
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return a < b
	}
	if len(touched) <= k*4 {
		out := append([]int32(nil), touched...)
		sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
		if len(out) > k {
			out = out[:k]
		}
		return out
	}
	// A bounded min-heap for large candidate sets.
	h := make([]int32, 0, k)
	worst := func() int {
		wi := 0
		for i := 1; i < len(h); i++ {
			if better(h[wi], h[i]) {
				wi = i
			}
		}
		return wi
	}
	wi := -1
	for _, d := range touched {
		if len(h) < k {
			h = append(h, d)
			if len(h) == k {
				wi = worst()
			}
			continue
		}
		if better(d, h[wi]) {
			h[wi] = d
			wi = worst()
		}
	}
	sort.Slice(h, func(i, j int) bool { return better(h[i], h[j]) })
	return h
}
