// Package zh prepares Chinese text: normalisation (width, case, traditional
// → simplified, punctuation), word segmentation with gse and Fuwu's
// government-service lexicon, stop words, the colloquial synonym table, and
// pinyin keys for residents' typos and homophones. Everything it knows is
// data under dict/ and lexicon/, embedded in the binary.
package zh

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

//go:embed dict/base.txt.gz dict/TSCharacters.txt lexicon/*.txt
var files embed.FS

// Analyzer turns text into search terms. It is safe for concurrent use.
type Analyzer struct {
	seg        gse.Segmenter
	chars      charMap
	stop       map[string]bool
	synonyms   *Synonyms
	lexicon    []string
	lexiconSet map[string]bool
	py         *pinyinTable
	// added holds the words Fuwu's lexicons give the segmenter beyond the
	// base dictionary, with the frequency each goes in with.
	added map[string]int
	// merge holds the lexicon's phrases the base dictionary lacks (想领 is
	// 想 + 领): they are not dictionary entries, which would let them take
	// characters from the word beside them (想领养 cut 想领 养 loses 领养),
	// but tokens the dictionary cut are joined into one when together they
	// spell such a phrase.
	merge map[string]bool
	memo  *cutMemo // nil: no memo
}

var (
	defaultOnce sync.Once
	defaultA    *Analyzer
	defaultErr  error
)

// Default returns the process-wide analyzer, loading it on first use
// (about 0.4 s; call Preload early to overlap it with other start-up work).
func Default() (*Analyzer, error) {
	defaultOnce.Do(func() { defaultA, defaultErr = Load() })
	return defaultA, defaultErr
}

// Preload starts loading the default analyzer in the background.
func Preload() { go func() { _, _ = Default() }() }

// MustDefault is Default for tests and tools where the embedded data
// failing to load is a programming error.
func MustDefault() *Analyzer {
	a, err := Default()
	if err != nil {
		panic(err)
	}
	return a
}

// Load builds an analyzer from the embedded dictionary and lexicon.
func Load() (*Analyzer, error) {
	a := &Analyzer{chars: charMap{}, stop: map[string]bool{}, memo: new(cutMemo)}
	ts, err := files.ReadFile("dict/TSCharacters.txt")
	if err != nil {
		return nil, err
	}
	parseCharMap(a.chars, string(ts))
	variants, err := files.ReadFile("lexicon/variants.txt")
	if err != nil {
		return nil, err
	}
	parseCharMap(a.chars, string(variants))
	a.chars.resolve()

	base, err := readGzip("dict/base.txt.gz")
	if err != nil {
		return nil, fmt.Errorf("zh: load dictionary: %w", err)
	}
	// The lexicon's words reach the segmenter as set out below, where
	// they are written into its dictionary.
	lex, err := a.readWordList("lexicon/gov.txt")
	if err != nil {
		return nil, err
	}
	syn, err := files.ReadFile("lexicon/synonyms.txt")
	if err != nil {
		return nil, err
	}
	a.synonyms, err = ParseSynonyms(string(syn), a.Normalize)
	if err != nil {
		return nil, fmt.Errorf("zh: lexicon/synonyms.txt: %w", err)
	}
	govSet := make(map[string]bool, len(lex))
	for _, w := range lex {
		govSet[w] = true
	}
	words := append(lex, a.synonyms.Words()...)
	a.lexicon = words
	a.lexiconSet = make(map[string]bool, len(words))
	for _, w := range words {
		a.lexiconSet[w] = true
	}
	// A lexicon word the base dictionary also has is written once, after
	// the base lines: the segmenter keeps the first entry it reads of a
	// word.
	inLexicon := make(map[string]bool, len(words))
	for _, w := range words {
		inLexicon[w] = true
	}
	var dict strings.Builder
	dict.Grow(len(base) + 16*len(words))
	inBase := map[string]bool{}
	baseLine := map[string]string{}
	for _, line := range strings.Split(string(base), "\n") {
		w, rest, _ := strings.Cut(line, " ")
		inBase[w] = true
		baseLine[w] = rest
		if w != "" && !inLexicon[w] {
			dict.WriteString(line)
			dict.WriteByte('\n')
		}
	}
	// The government-service words (gov.txt) go in with a high frequency
	// so that the segmenter keeps them whole (社保卡, 高龄津贴, 在 手机上
	// rather than 在手 机上), and so do the catalogue's terms the synonym
	// table adds when the base dictionary has them. The phrases residents
	// say (the table's left-hand side, 想领, 丢了) are for matching: one
	// the base dictionary has keeps its own frequency, and one it lacks is
	// no entry at all but joined from the tokens that spell it (merge), so
	// neither takes characters from the word beside it (想领养 is 想 领养).
	a.added = map[string]int{}
	a.merge = map[string]bool{}
	for _, w := range words {
		n := len([]rune(w))
		switch {
		case n < 2 || n > maxMerge:
		case govSet[w] || inBase[w] && a.synonyms.terms[w]:
			fmt.Fprintf(&dict, "%s %d\n", w, lexiconFreq)
			a.added[w] = lexiconFreq
		case inBase[w]:
			dict.WriteString(w + " " + baseLine[w] + "\n")
			f, _ := strconv.Atoi(strings.Fields(baseLine[w] + " 0")[0])
			a.added[w] = f
		default:
			a.merge[w] = true
		}
	}
	stops, err := a.readWordList("lexicon/stopwords.txt")
	if err != nil {
		return nil, err
	}
	// An A-not-A question form the base dictionary lacks (能不能) is kept
	// whole, so that its characters do not join the words around it:
	// "能不能自己交" is 能不能 自己 交, not 能 不能自己 交. (Only those: any
	// other entry shifts how unknown words nearby are cut.)
	for _, w := range stops {
		a.stop[w] = true
		if n := len([]rune(w)); n >= 2 && !inBase[w] && !inLexicon[w] && isANotA(w) {
			fmt.Fprintf(&dict, "%s %d\n", w, stopFreq)
			a.added[w] = stopFreq
		}
	}
	a.seg.SkipLog = true
	if err := a.seg.LoadDictStr(dict.String()); err != nil {
		return nil, fmt.Errorf("zh: load dictionary: %w", err)
	}
	a.py = newPinyinTable()
	a.watchPhraseEnds(inBase)
	return a, nil
}

// watchPhraseEnds marks the synonym phrases whose last (or first)
// character is a word of its own in the phrase (住 of 一个人住, 新 of 新办), and gives the table the
// dictionary cut it checks their ends against: a match is not made when
// the text's word at that character is a longer base-dictionary word
// (住院 after 一个人住), unless a stop word (办理 after 想办) or a verb with a
// stop word after it (落到). Their starts are watched the same way: the
// text's word at a phrase's first character beginning before it (重新 of
// 怎么重新办 against 新办).
func (a *Analyzer) watchPhraseEnds(inBase map[string]bool) {
	s := a.synonyms
	// The base dictionary's words are those the segmenter knows, less the
	// lexicon's own it lacks: only those are kept, not the whole base.
	lexBase := map[string]bool{}
	for w := range a.added {
		if inBase[w] {
			lexBase[w] = true
		}
	}
	isBase := func(w string) bool {
		if _, lex := a.added[w]; lex {
			return lexBase[w]
		}
		f, _, ok := a.seg.Find(w)
		return ok && f > 0
	}
	for i := range s.rules {
		r := &s.rules[i]
		p := r.phrase
		if r.parts != nil {
			p = r.parts[len(r.parts)-1]
		}
		if utf8.RuneCountInString(p) < 2 {
			continue
		}
		ws := a.seg.Cut(p, false) // the dictionary's cut, not joined into the phrase
		r.endsAlone = len(ws) > 1 && utf8.RuneCountInString(ws[len(ws)-1]) == 1
	}
	for i := range s.rules {
		r := &s.rules[i]
		p := r.phrase
		if r.parts != nil {
			p = r.parts[0]
		}
		if utf8.RuneCountInString(p) < 2 {
			continue
		}
		ws := a.seg.Cut(p, false)
		// Only a first character standing before another lone one is
		// watched: the two make the phrase together (新 办), and a word
		// taking the first leaves the second on its own. One standing
		// before a word of its own is its verb (报 户口, 满 60), and a longer
		// verb ending in it says the same act (申报户口, 年满60).
		r.startsAlone = len(ws) > 1 && utf8.RuneCountInString(ws[0]) == 1 && utf8.RuneCountInString(ws[1]) == 1
	}
	s.wordAt = func(norm string, from int) string {
		run := norm[from:]
		if k := strings.IndexFunc(run, func(r rune) bool { return !IsHan(r) }); k >= 0 {
			run = run[:k]
		}
		if utf8.RuneCountInString(run) < 2 {
			return ""
		}
		ws := a.dictCut(run)
		if len(ws) == 0 {
			return ""
		}
		w := ws[0]
		_, size := utf8.DecodeRuneInString(w)
		if utf8.RuneCountInString(w) < 2 || !isBase(w) || a.stop[w] || a.stop[w[size:]] {
			return ""
		}
		// The characters after the phrase may start a word longer than the
		// rest of w (领养老金: 养老金, not 领养 老金): the cut went wrong there.
		rest := run[size:]
		if next := a.dictCut(rest); len(next) > 0 && len(next[0]) > len(w)-size {
			return ""
		}
		return w
	}
	s.wordBefore = func(norm string, at int) string {
		_, size := utf8.DecodeRuneInString(norm[at:])
		run := norm[:at+size]
		if k := strings.LastIndexFunc(run[:at], func(r rune) bool { return !IsHan(r) }); k >= 0 {
			_, n := utf8.DecodeRuneInString(run[k:])
			run = run[k+n:]
		}
		if utf8.RuneCountInString(run) < 2 {
			return ""
		}
		ws := a.dictCut(run)
		if len(ws) == 0 {
			return ""
		}
		w := ws[len(ws)-1]
		_, last := utf8.DecodeLastRuneInString(w)
		head := w[:len(w)-last]
		if utf8.RuneCountInString(w) < 2 || !isBase(w) && !a.lexiconSet[w] || a.stop[w] || a.stop[head] {
			return ""
		}
		// The characters before the phrase may end a word longer than the
		// rest of w: the cut went wrong there.
		before := run[:len(run)-size]
		if prev := a.dictCut(before); len(prev) > 0 && len(prev[len(prev)-1]) > len(head) {
			return ""
		}
		return w
	}
}

// stopFreq is the frequency given to A-not-A question forms the base
// dictionary lacks: enough to win over a rare idiom (不能自己).
const stopFreq = 100

// isANotA reports an A-not-A question form (能不能, 行不行, 可不可以).
func isANotA(w string) bool {
	rs := []rune(w)
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == '不' && rs[i-1] == rs[i+1] {
			return true
		}
	}
	return false
}

// lexiconFreq is the frequency given to lexicon words: as common as a
// frequent everyday word, so that they win over accidental splits.
const lexiconFreq = 1000000

func readGzip(name string) ([]byte, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// readWordList reads one entry a line (first field), '#' comments.
func (a *Analyzer) readWordList(name string) ([]string, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.Fields(line) {
			out = append(out, a.Normalize(f))
		}
	}
	return out, nil
}

// Synonyms is the colloquial synonym table.
func (a *Analyzer) Synonyms() *Synonyms { return a.synonyms }

// IsStop reports whether a normalised word carries no meaning for search.
func (a *Analyzer) IsStop(w string) bool { return a.stop[w] }

// WordFreq returns how often the segmenter's dictionary has seen w, and
// whether it knows the word at all.
func (a *Analyzer) WordFreq(w string) (float64, bool) {
	f, _, ok := a.seg.Find(w)
	if !ok && a.merge[w] {
		return lexiconFreq, true
	}
	return f, ok
}

// maxMerge is the longest lexicon word, in characters, the segmenter
// keeps whole.
const maxMerge = 8

// cutRun cuts one run of Chinese characters in precise mode, new words
// guessed when hmm is set, then joins the tokens that spell a lexicon
// phrase.
func (a *Analyzer) cutRun(run string, hmm bool) []string {
	ws := a.mergePhrases(a.seg.Cut(run, false))
	if !hmm {
		return ws
	}
	return a.guessNew(ws)
}

// guessNew guesses new words, as gse does, in each stretch of single
// characters left between the words of a dictionary cut; a phrase made
// of tokens is a word here, so its characters are not glued to their
// neighbours. ws is not changed.
func (a *Analyzer) guessNew(ws []string) []string {
	out := make([]string, 0, len(ws))
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		buf := strings.Join(ws[start:end], "")
		if f, _, ok := a.seg.Find(buf); end-start == 1 || ok && f > 0 {
			out = append(out, ws[start:end]...)
		} else {
			out = append(out, a.seg.HMMCut(buf)...)
		}
		start = -1
	}
	for i, w := range ws {
		if utf8.RuneCountInString(w) == 1 {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		out = append(out, w)
	}
	flush(len(ws))
	return out
}

// dictCut, hmmCut and searchCut are a run's cuts in each mode, from the
// memo. Each mode builds on the one before (the guessing of new words
// starts from the dictionary cut, search mode from the precise cut), so
// a run cut in several modes in one turn goes through the segmenter once.
// The slices are shared and must not be modified.
func (a *Analyzer) dictCut(run string) []string {
	return a.memo.cut(cutDict, run, func() []string { return a.cutRun(run, false) })
}

func (a *Analyzer) hmmCut(run string) []string {
	return a.memo.cut(cutHMM, run, func() []string { return a.guessNew(a.dictCut(run)) })
}

func (a *Analyzer) searchCut(run string) []string {
	return a.memo.cut(cutSearch, run, func() []string { return a.cutSearchRun(run) })
}

// mergePhrases joins consecutive tokens whose concatenation is one of the
// lexicon's phrases, longest first from the left. A phrase whose edge
// falls inside a token is not made: the word there stays whole.
func (a *Analyzer) mergePhrases(ws []string) []string {
	if len(a.merge) == 0 || len(ws) < 2 {
		return ws
	}
	out := ws[:0:0]
	for i := 0; i < len(ws); {
		end, joined, n := i+1, ws[i], utf8.RuneCountInString(ws[i])
		for j := i + 1; j < len(ws); j++ {
			joined += ws[j]
			if n += utf8.RuneCountInString(ws[j]); n > maxMerge {
				break
			}
			if a.merge[joined] {
				end = j + 1
			}
		}
		out = append(out, strings.Join(ws[i:end], ""))
		i = end
	}
	return out
}

// cutSearchRun cuts one run in search mode: the precise cut, and before
// each word of three or more characters its two- and three-character
// sub-words the dictionary or the lexicon knows (gse's search mode).
func (a *Analyzer) cutSearchRun(run string) []string {
	var out []string
	for _, w := range a.hmmCut(run) {
		rs := []rune(w)
		for _, l := range []int{2, 3} {
			for i := 0; i+l <= len(rs) && len(rs) > l; i++ {
				if sub := string(rs[i : i+l]); a.knows(sub) {
					out = append(out, sub)
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// knows reports whether w is a dictionary word or a lexicon phrase.
func (a *Analyzer) knows(w string) bool {
	if f, _, ok := a.seg.Find(w); ok && f > 0 {
		return true
	}
	return a.merge[w]
}

// Segment cuts normalised text into words (precise mode) keeping
// punctuation out. Letters and digits come out as whole runs.
func (a *Analyzer) Segment(norm string) []string {
	var out []string
	forRuns(norm, func(run string, han bool) {
		if !han {
			out = append(out, run)
			return
		}
		for _, w := range a.hmmCut(run) {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
	})
	return out
}

// Words cuts normalised text into dictionary words only (no guessing of
// new words: an unknown sequence falls apart into characters), stop words
// dropped. It tells which words of a question are known Chinese words.
func (a *Analyzer) Words(norm string) []string {
	var out []string
	forRuns(norm, func(run string, han bool) {
		if !han {
			if !a.stop[run] {
				out = append(out, run)
			}
			return
		}
		for _, w := range a.dictCut(run) {
			if w = strings.TrimSpace(w); w != "" && !a.stop[w] {
				out = append(out, w)
			}
		}
	})
	return out
}

// WordSpans cuts a run of Chinese characters into dictionary words (no
// guessing of new words) and returns the rune spans of the words of two or
// more characters.
func (a *Analyzer) WordSpans(run string) [][2]int {
	var out [][2]int
	pos := 0
	for _, w := range a.dictCut(run) {
		n := len([]rune(w))
		if n >= 2 {
			out = append(out, [2]int{pos, pos + n})
		}
		pos += n
	}
	return out
}

// Terms returns the search terms of text: normalised, segmented in search
// mode (long words also give their dictionary sub-words, so 公积金 yields
// 公积金 and 公积), stop words dropped. The order follows the text.
func (a *Analyzer) Terms(text string) []string {
	return a.TermsNormalized(a.Normalize(text))
}

// TermsNormalized is Terms for text already normalised.
func (a *Analyzer) TermsNormalized(norm string) []string {
	var out []string
	forRuns(norm, func(run string, han bool) {
		if !han {
			if !a.stop[run] {
				out = append(out, run)
			}
			return
		}
		for _, w := range a.searchCut(run) {
			w = strings.TrimSpace(w)
			if w == "" || a.stop[w] {
				continue
			}
			out = append(out, w)
			out = a.lexiconInside(out, w)
		}
	})
	return out
}

// lexiconInside appends the terms of the synonym table, of four or more
// characters, that stand inside a longer word: search mode gives only the
// two- and three-character sub-words, so 医保关系转移接续 would not yield
// 转移接续, the term 转过来 adds.
func (a *Analyzer) lexiconInside(out []string, w string) []string {
	rs := []rune(w)
	for l := 4; l < len(rs); l++ {
		for i := 0; i+l <= len(rs); i++ {
			if sub := string(rs[i : i+l]); a.synonyms.terms[sub] {
				out = append(out, sub)
			}
		}
	}
	return out
}

// forRuns splits normalised text into runs of Chinese characters and runs
// of letters/digits; everything else separates runs.
func forRuns(s string, fn func(run string, han bool)) {
	start, kind := -1, 0 // kind 1 = Han, 2 = letters/digits
	flush := func(end int) {
		if start >= 0 {
			fn(s[start:end], kind == 1)
		}
		start, kind = -1, 0
	}
	for i, r := range s {
		k := 0
		switch {
		case IsHan(r):
			k = 1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			k = 2
		}
		if k != kind {
			flush(i)
			if k != 0 {
				start, kind = i, k
			}
		}
	}
	flush(len(s))
}

// Bigrams returns the character bigrams of every Chinese run in normalised
// text (a single-character run gives itself), the n-gram channel that
// finds what segmentation misses.
func Bigrams(norm string) []string {
	grams, _ := bigrams(norm, nil)
	return grams
}

// BigramsAcross returns the character bigrams of norm, like Bigrams, and
// whether each straddles the edge of a dictionary word of two or more
// characters (证丢 in 房产证丢了): such a bigram is evidence of a phrase
// pattern, not of the thing asked about.
func (a *Analyzer) BigramsAcross(norm string) ([]string, []bool) {
	return bigrams(norm, a)
}

// bigrams cuts norm into bigrams; with an analyser it also tells which
// straddle a word edge.
func bigrams(norm string, a *Analyzer) ([]string, []bool) {
	var grams []string
	var across []bool
	forRuns(norm, func(run string, han bool) {
		if !han {
			return
		}
		rs := []rune(run)
		if len(rs) == 1 {
			grams = append(grams, run)
			across = append(across, false)
			return
		}
		word := make([]int, len(rs)) // span number + 1, 0 for single characters
		if a != nil {
			for k, sp := range a.WordSpans(run) {
				for i := sp[0]; i < sp[1]; i++ {
					word[i] = k + 1
				}
			}
		}
		for i := 0; i+1 < len(rs); i++ {
			grams = append(grams, string(rs[i:i+2]))
			across = append(across, word[i] != word[i+1] && (word[i] > 0 || word[i+1] > 0))
		}
	})
	return grams, across
}
