// Package search finds the service item a resident's words mean: an
// in-memory index over the published catalogue with field-weighted BM25
// (BM25F) on segmented words, a character-bigram channel for words the
// segmenter misses, synonym and pinyin (typo) expansion of the query, and
// optional dense vectors fused by reciprocal rank. The index is rebuilt from
// the store at start and kept current from change notifications.
package search

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// Field is a part of an item the index knows separately.
type Field uint8

const (
	FieldName Field = iota
	FieldAlias
	FieldFAQ
	FieldSummary
	FieldConditions
	FieldMaterials
	FieldMeta // theme, department, kind
	// FieldLearned holds the questions of FAQ entries added in the console
	// (kb entries, lessons among them), apart from the catalogue's own FAQ:
	// a field has its own average length, so a reviewer's lessons do not
	// change how the catalogue's FAQ of every other item weighs.
	FieldLearned
	numFields
)

// The steps of the process are not indexed: they read alike across items
// ("受理—审核—办结") and are the largest field, so they cost more time
// than they add to ranking.

var fieldNames = [numFields]string{"name", "aliases", "faq", "summary", "conditions", "materials", "meta", "learned"}

func (f Field) String() string { return fieldNames[f] }

// Params are the ranking constants. The defaults were chosen on the
// development dialogues as a whole (a handful of global numbers, never a
// per-question rule).
type Params struct {
	WordWeight   [numFields]float64
	BigramWeight [numFields]float64
	K1, B        float64
	// Bigram is the weight of the character-bigram channel against words.
	Bigram float64
	// Across is the weight of a query bigram that straddles the edge of
	// a dictionary word (证丢 in 房产证丢了).
	Across float64
	// Synonym and Pinyin weigh query terms added by the synonym table and
	// by near-homophone matching against the index vocabulary.
	Synonym, Pinyin float64
	// Coverage rewards candidates whose name the query covers: the share
	// of the name's word weight (idf) the query matched. Between siblings
	// such as 居住证申领 and 居住证签注（续期）, a question that says
	// nothing of 签注 or 续期 goes to the one it leaves least unexplained.
	Coverage float64
	// Partial is the share of coverage credit a name word gets for each
	// of its characters a shorter query word spells (注销 in 简易注销).
	Partial float64
	// Rerank is how many lexical candidates the coverage step reorders.
	Rerank int
	// InPhrase is the weight left to a query word that is part of a
	// longer phrase of the synonym table.
	InPhrase float64
	// Learned weighs the questions of FAQ entries (FieldLearned), which
	// are not in the word and bigram channels: a learned question adds
	// Learned × its matched words' idf × the square of the share of its
	// word weight the query has, so it matches strongly only when most of
	// its words are there, and one common word (公司) pulls nothing.
	Learned float64
}

// DefaultParams are the ranking constants Fuwu ships with.
func DefaultParams() Params {
	return Params{
		WordWeight:   [numFields]float64{4, 4, 2, 1.5, 0.6, 0.5, 0.8, 0},
		BigramWeight: [numFields]float64{4, 4, 2, 1.5, 0, 0, 0, 0},
		K1:           1.2,
		B:            0.6,
		Bigram:       0.35,
		Across:       0.25,
		Synonym:      0.8,
		Pinyin:       0.7,
		Coverage:     0.5,
		Partial:      0.5,
		Rerank:       20,
		InPhrase:     0.5,
		Learned:      4,
	}
}

// postings of one term: parallel slices, doc numbers ascending.
type postings struct {
	docs   []int32
	tf     []float32 // field-weighted, length-normalised term frequency
	fields []uint8   // bitmask of fields holding the term
	live   int       // document frequency among live documents
}

// channel is one inverted index (words or bigrams) with its statistics.
type channel struct {
	terms  map[string]*postings
	lenSum [numFields]float64 // over live docs
	// avg is the average field length the stored tf values were computed
	// with; when the live average drifts too far the index is rebuilt.
	avg    [numFields]float64
	weight [numFields]float64
}

func newChannel(w [numFields]float64) *channel {
	return &channel{terms: map[string]*postings{}, weight: w}
}

func (c *channel) df(t string) int {
	p := c.terms[t]
	if p == nil {
		return 0
	}
	return p.live
}

// counts are a term's occurrences in each field of one item.
type counts [numFields]uint16

// analysed is an item cut into terms, per channel and field.
type analysed struct {
	words, bigrams map[string]*counts
	wordLen, biLen [numFields]int
}

// Index is the in-memory search index. Safe for concurrent use: searches
// share a read lock; updates take the write lock briefly.
type Index struct {
	a      *zh.Analyzer
	params Params

	mu      sync.RWMutex
	ids     []string       // doc number → item id
	dead    []bool         // doc number → removed
	names   [][]string     // doc number → the words of the item's name and aliases
	nameDF  map[string]int // word → live items whose name has it
	byID    map[string]int32
	items   map[string]*kb.Item
	words   *channel
	bigrams *channel
	// learnedQs are, by doc number, the words of each learned question
	// (FieldLearned), scored apart (Params.Learned).
	learnedQs map[int32][][]string
	// vocabulary by pinyin key, for near-homophone expansion
	pinyin map[string][]string
	// initials are the words by their pinyin initials (社保 under sb),
	// for reading a resident's shorthand as the catalogue's words.
	initials map[string][]string

	vectors *vectorSet // optional dense channel

	// learned are the synonyms reviewers added in the console (kb
	// synonyms), consulted beside the analyser's table; swapped whole.
	learned atomic.Pointer[zh.Synonyms]
	// loadSeq numbers catalogue loads as they begin; shownSeq (under mu)
	// is the one whose snapshot is in place (replace).
	loadSeq  atomic.Uint64
	shownSeq uint64
	// loading counts the catalogue loads begun and not yet in place
	// (beginLoad); while any is, single-item updates are kept in
	// duringLoad, marked with the last load begun before them, and
	// applied again on top of a load's snapshot (replace): the snapshot
	// may have been read before the update, which no later change
	// notification would bring back.
	loading    int
	duringLoad []itemUpdate
	// scope are the decline and ask lessons reviewers published
	// (SetScopeLessons); swapped whole.
	scope atomic.Pointer[[]scopeRule]

	// termWords caches the words (stop words dropped) of the synonym
	// tables' terms, which expand cuts for every query: the analyser's
	// dictionary does not change, so neither does a term's cut.
	termWords  sync.Map // string → []string
	termWordsN atomic.Int32
}

// SetLearned replaces the learned synonyms with rules in the synonym
// table's format ("phrase = terms" a line); the next query uses them.
func (ix *Index) SetLearned(rules string) error {
	syn, err := zh.ParseSynonyms(rules, ix.a.Normalize)
	if err != nil {
		return fmt.Errorf("learned synonyms: %w", err)
	}
	ix.learned.Store(syn)
	return nil
}

// synonymSets are the tables a query is expanded with.
func (ix *Index) synonymSets() []*zh.Synonyms {
	if l := ix.learned.Load(); l != nil && l.Len() > 0 {
		return []*zh.Synonyms{ix.a.Synonyms(), l}
	}
	return []*zh.Synonyms{ix.a.Synonyms()}
}

// New makes an empty index.
func New(a *zh.Analyzer, p Params) *Index {
	return &Index{
		a: a, params: p,
		byID:     map[string]int32{},
		nameDF:   map[string]int{},
		items:    map[string]*kb.Item{},
		words:    newChannel(p.WordWeight),
		bigrams:  newChannel(p.BigramWeight),
		pinyin:   map[string][]string{},
		initials: map[string][]string{},

		learnedQs: map[int32][][]string{},
	}
}

// Len is the number of searchable items.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.items)
}

// Item returns an indexed (published) item.
func (ix *Index) Item(id string) (*kb.Item, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	it, ok := ix.items[id]
	return it, ok
}

// Items returns every indexed item, ordered by id.
func (ix *Index) Items() []*kb.Item {
	ix.mu.RLock()
	out := make([]*kb.Item, 0, len(ix.items))
	for _, it := range ix.items {
		out = append(out, it)
	}
	ix.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// fieldTexts lists the text of each field of an item.
func fieldTexts(it *kb.Item) [numFields][]string {
	var f [numFields][]string
	f[FieldName] = []string{it.Name}
	f[FieldAlias] = it.Aliases
	for _, q := range it.FAQ {
		if q.Entry {
			f[FieldLearned] = append(f[FieldLearned], q.Q)
		} else {
			f[FieldFAQ] = append(f[FieldFAQ], q.Q)
		}
	}
	f[FieldSummary] = []string{it.Summary}
	f[FieldConditions] = it.Conditions
	for _, m := range it.Materials {
		f[FieldMaterials] = append(f[FieldMaterials], m.Name)
	}
	f[FieldMeta] = []string{it.Theme, it.Department, it.Kind}
	return f
}

// cut is one field text's words and bigrams.
type cut struct{ words, bigrams []string }

// shortText is the length up to which analysis results are memoised while
// building: material names, departments and themes repeat across a
// catalogue ("居民身份证" in most items), long texts rarely do.
const shortText = 24

func (ix *Index) cutText(t string, bigrams bool, memo map[string]cut) cut {
	if memo != nil && len(t) <= shortText*3 {
		if c, ok := memo[t]; ok {
			return c
		}
	}
	norm := ix.a.Normalize(t)
	c := cut{words: ix.a.TermsNormalized(norm)}
	if bigrams {
		c.bigrams = zh.Bigrams(norm)
	}
	if memo != nil && len(t) <= shortText*3 {
		memo[t] = c
	}
	return c
}

func (ix *Index) analyse(it *kb.Item) *analysed { return ix.analyseMemo(it, nil) }

func (ix *Index) analyseMemo(it *kb.Item, memo map[string]cut) *analysed {
	d := &analysed{words: make(map[string]*counts, 64), bigrams: make(map[string]*counts, 64)}
	bump := func(m map[string]*counts, t string, f Field) {
		c := m[t]
		if c == nil {
			c = new(counts)
			m[t] = c
		}
		if c[f] < math.MaxUint16 {
			c[f]++
		}
	}
	texts := fieldTexts(it)
	for f := Field(0); f < numFields; f++ {
		for _, t := range texts[f] {
			c := ix.cutText(t, ix.params.BigramWeight[f] > 0, memo)
			for _, w := range c.words {
				bump(d.words, w, f)
				d.wordLen[f]++
			}
			for _, g := range c.bigrams {
				bump(d.bigrams, g, f)
				d.biLen[f]++
			}
		}
	}
	return d
}

// Replace rebuilds the index from scratch with items.
func (ix *Index) Replace(items []kb.Item) {
	ix.replace(items, ix.beginLoad())
}

// itemUpdate is a single-item change made while a load was in flight:
// an item put in, or (item nil) the item id taken out.
type itemUpdate struct {
	after uint64 // the last load begun before it
	id    string
	item  *kb.Item
}

// beginLoad numbers a catalogue load as it begins, before the store is
// read; replace ends it.
func (ix *Index) beginLoad() uint64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.loading++
	return ix.loadSeq.Add(1)
}

// abandonLoad ends a load that failed before its snapshot.
func (ix *Index) abandonLoad() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.loading = max(ix.loading-1, 0)
	ix.endLoads()
}

// noteUpdate keeps a single-item change for the loads in flight; under
// mu.
func (ix *Index) noteUpdate(id string, it *kb.Item) {
	if ix.loading > 0 {
		ix.duringLoad = append(ix.duringLoad, itemUpdate{after: ix.loadSeq.Load(), id: id, item: it})
	}
}

// replace is Replace of a snapshot taken as load seq began: a snapshot
// older than the one in place (an earlier load finishing later, when two
// run at once: a change's reload and a caller's) is dropped, so the index
// never goes back to a catalogue without changes it already showed.
func (ix *Index) replace(items []kb.Item, seq uint64) {
	docs := make([]*analysed, len(items))
	// Analysis is the slow part; it needs no lock.
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), 8)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			memo := map[string]cut{}
			for i := w; i < len(items); i += workers {
				docs[i] = ix.analyseMemo(&items[i], memo)
			}
		}(w)
	}
	wg.Wait()
	fresh := New(ix.a, ix.params)
	// Average lengths first, so every posting is computed once with them.
	for _, d := range docs {
		for f := Field(0); f < numFields; f++ {
			fresh.words.lenSum[f] += float64(d.wordLen[f])
			fresh.bigrams.lenSum[f] += float64(d.biLen[f])
		}
	}
	n := float64(max(len(items), 1))
	for f := Field(0); f < numFields; f++ {
		fresh.words.avg[f] = math.Max(fresh.words.lenSum[f]/n, 1)
		fresh.bigrams.avg[f] = math.Max(fresh.bigrams.lenSum[f]/n, 1)
	}
	// Learned questions are measured against one question of the
	// catalogue's FAQ, not against their own average: how much a lesson
	// weighs must not depend on how many lessons there are.
	if q := float64(faqQuestions(items)); q > 0 {
		fresh.words.avg[FieldLearned] = math.Max(fresh.words.lenSum[FieldFAQ]/q, 1)
		fresh.bigrams.avg[FieldLearned] = math.Max(fresh.bigrams.lenSum[FieldFAQ]/q, 1)
	}
	for i := range items {
		it := items[i]
		fresh.insert(&it, docs[i])
	}
	ix.mu.Lock()
	ix.loading = max(ix.loading-1, 0)
	if seq < ix.shownSeq {
		ix.endLoads()
		ix.mu.Unlock()
		return
	}
	ix.shownSeq = seq
	ix.ids, ix.dead, ix.names, ix.nameDF, ix.byID, ix.items = fresh.ids, fresh.dead, fresh.names, fresh.nameDF, fresh.byID, fresh.items
	ix.words, ix.bigrams, ix.pinyin, ix.initials, ix.learnedQs = fresh.words, fresh.bigrams, fresh.pinyin, fresh.initials, fresh.learnedQs
	// Single-item changes made since this load began go on top of its
	// snapshot, in the order they were made.
	var again []itemUpdate
	for _, u := range ix.duringLoad {
		if u.after >= seq {
			again = append(again, u)
		}
	}
	ix.endLoads()
	ix.mu.Unlock()
	if ix.vectors != nil {
		ix.vectors.sync(items)
	}
	for _, u := range again {
		if u.item != nil {
			ix.Upsert(*u.item)
		} else {
			ix.Remove(u.id)
		}
	}
}

// endLoads forgets the changes kept for loads once none is in flight;
// under mu.
func (ix *Index) endLoads() {
	if ix.loading == 0 {
		ix.duringLoad = nil
	}
}

// faqQuestions counts the catalogue's own FAQ questions (entries apart).
func faqQuestions(items []kb.Item) int {
	n := 0
	for i := range items {
		for _, q := range items[i].FAQ {
			if !q.Entry {
				n++
			}
		}
	}
	return n
}

// Upsert adds or replaces one item. The index reflects it as soon as
// Upsert returns.
func (ix *Index) Upsert(it kb.Item) {
	d := ix.analyse(&it)
	ix.mu.Lock()
	var old *analysed
	if prev, ok := ix.items[it.ID]; ok {
		old = ix.analyse(prev)
	}
	ix.delete(it.ID, old)
	for f := Field(0); f < numFields; f++ {
		ix.words.lenSum[f] += float64(d.wordLen[f])
		ix.bigrams.lenSum[f] += float64(d.biLen[f])
	}
	ix.insert(&it, d)
	ix.noteUpdate(it.ID, &it)
	rebuild := ix.stale()
	ix.mu.Unlock()
	if rebuild {
		ix.rebuild()
	}
	if ix.vectors != nil {
		ix.vectors.upsert(it)
	}
}

// Remove takes an item out of the index.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	if prev, ok := ix.items[id]; ok {
		ix.delete(id, ix.analyse(prev))
	}
	ix.noteUpdate(id, nil)
	rebuild := ix.stale()
	ix.mu.Unlock()
	if rebuild {
		ix.rebuild()
	}
	if ix.vectors != nil {
		ix.vectors.remove(id)
	}
}

// insert adds an analysed item; lenSum must already include it.
func (ix *Index) insert(it *kb.Item, d *analysed) {
	n := int32(len(ix.ids))
	ix.ids = append(ix.ids, it.ID)
	ix.dead = append(ix.dead, false)
	names := ix.nameWords(it)
	ix.names = append(ix.names, names)
	for _, w := range names {
		ix.nameDF[w]++
	}
	ix.byID[it.ID] = n
	ix.items[it.ID] = it
	for _, q := range it.FAQ {
		if !q.Entry {
			continue
		}
		var ws []string
		for _, w := range ix.a.TermsNormalized(ix.a.Normalize(q.Q)) {
			if !slices.Contains(ws, w) {
				ws = append(ws, w)
			}
		}
		if len(ws) > 0 {
			ix.learnedQs[n] = append(ix.learnedQs[n], ws)
		}
	}
	ix.words.insert(n, d.words, &d.wordLen, ix.params)
	ix.bigrams.insert(n, d.bigrams, &d.biLen, ix.params)
	for w := range d.words {
		// A word only in fields that weigh nothing has no postings.
		if p := ix.words.terms[w]; p != nil && p.live == 1 { // first live occurrence
			ix.addPinyin(w)
		}
	}
}

// nameWords are the distinct words of an item's name and aliases, cut in
// precise mode, without stop words.
func (ix *Index) nameWords(it *kb.Item) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range append([]string{it.Name}, it.Aliases...) {
		for _, w := range ix.a.Segment(ix.a.Normalize(t)) {
			if !seen[w] && !ix.a.IsStop(w) && zh.IsHan([]rune(w)[0]) {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func (ix *Index) addPinyin(w string) {
	if len([]rune(w)) < 2 {
		return
	}
	key := ix.a.PinyinKey(w)
	if key == "" {
		return
	}
	for _, x := range ix.pinyin[key] {
		if x == w {
			return
		}
	}
	ix.pinyin[key] = append(ix.pinyin[key], w)
	if syl := ix.a.PlainPinyin(w); len(syl) <= 4 {
		if key, ok := zh.Initials(syl); ok && len(key) >= 2 {
			ix.initials[key] = append(ix.initials[key], w)
		}
	}
}

// WordsWithInitials is the live items' words whose pinyin initials are
// key (two to four letters), sorted.
func (ix *Index) WordsWithInitials(key string) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []string
	for _, w := range ix.initials[key] {
		if ix.words.df(w) > 0 {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

func (c *channel) insert(n int32, terms map[string]*counts, lens *[numFields]int, p Params) {
	var norm [numFields]float64
	for f := Field(0); f < numFields; f++ {
		norm[f] = 1 - p.B + p.B*float64(lens[f])/c.avg[f]
	}
	for t, cnt := range terms {
		var tf float64
		var mask uint8
		for f := Field(0); f < numFields; f++ {
			if cnt[f] == 0 || c.weight[f] == 0 {
				continue
			}
			tf += c.weight[f] * float64(cnt[f]) / norm[f]
			mask |= 1 << f
		}
		if mask == 0 {
			continue
		}
		pl := c.terms[t]
		if pl == nil {
			pl = &postings{}
			c.terms[t] = pl
		}
		pl.docs = append(pl.docs, n)
		pl.tf = append(pl.tf, float32(tf))
		pl.fields = append(pl.fields, mask)
		pl.live++
	}
}

// delete marks an item's document dead and takes it out of the
// statistics; old is the item as it was analysed (nil if absent).
func (ix *Index) delete(id string, old *analysed) {
	n, ok := ix.byID[id]
	if !ok || old == nil {
		return
	}
	ix.dead[n] = true
	delete(ix.learnedQs, n)
	for _, w := range ix.names[n] {
		if ix.nameDF[w]--; ix.nameDF[w] <= 0 {
			delete(ix.nameDF, w)
		}
	}
	ix.names[n] = nil
	delete(ix.byID, id)
	delete(ix.items, id)
	for f := Field(0); f < numFields; f++ {
		ix.words.lenSum[f] -= float64(old.wordLen[f])
		ix.bigrams.lenSum[f] -= float64(old.biLen[f])
	}
	ix.words.forget(old.words)
	ix.bigrams.forget(old.bigrams)
}

func (c *channel) forget(terms map[string]*counts) {
	for t, cnt := range terms {
		for f := Field(0); f < numFields; f++ {
			if cnt[f] > 0 && c.weight[f] != 0 {
				if p := c.terms[t]; p != nil {
					p.live--
				}
				break
			}
		}
	}
}

// stale reports whether dead documents or drifted field lengths call for
// a rebuild: more dead documents than live ones, or an average field
// length more than 20 % away from the one stored scores were computed with.
func (ix *Index) stale() bool {
	live := len(ix.items)
	if len(ix.ids) > 64 && live*2 < len(ix.ids) {
		return true
	}
	if live < 20 {
		return live > 0 && len(ix.ids) > 2*live+8
	}
	for _, c := range []*channel{ix.words, ix.bigrams} {
		for f := Field(0); f < FieldLearned; f++ { // FieldLearned's is fixed (Replace)
			cur := math.Max(c.lenSum[f]/float64(live), 1)
			if math.Abs(cur-c.avg[f]) > 0.2*c.avg[f] {
				return true
			}
		}
	}
	return false
}

// rebuild re-indexes the live items.
func (ix *Index) rebuild() {
	seq := ix.beginLoad() // before the items are read: see replace
	ix.mu.RLock()
	items := make([]kb.Item, 0, len(ix.items))
	for _, it := range ix.items {
		items = append(items, *it)
	}
	ix.mu.RUnlock()
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	ix.replace(items, seq)
}

// idf is BM25's inverse document frequency, floored so that a term in
// every document still counts a little.
func idf(df, n int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// knows reports whether w is a word of the live catalogue.
func (ix *Index) knows(w string) bool { return ix.words.df(w) > 0 }

func fieldList(mask uint8) []string {
	var out []string
	for f := Field(0); f < numFields; f++ {
		if mask&(1<<f) != 0 {
			out = append(out, f.String())
		}
	}
	return out
}

// CoDocFreq is the number of live items whose indexed text holds both
// words, for telling the words a shorthand may stand for apart by the
// words beside it.
func (ix *Index) CoDocFreq(a, b string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	pa, pb := ix.words.terms[a], ix.words.terms[b]
	if pa == nil || pb == nil {
		return 0
	}
	n := 0
	for i, j := 0, 0; i < len(pa.docs) && j < len(pb.docs); {
		switch da, db := pa.docs[i], pb.docs[j]; {
		case da < db:
			i++
		case da > db:
			j++
		default:
			if !ix.dead[da] {
				n++
			}
			i++
			j++
		}
	}
	return n
}

// DocFreq is the number of live items whose indexed text holds the word
// term (as the analyser cuts it), for callers that weigh query words
// themselves (the document library's "not found" test).
func (ix *Index) DocFreq(term string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.words.df(term)
}
