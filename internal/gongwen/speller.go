package gongwen

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// The lexicon is gse's simplified-Chinese dictionary (Apache-2.0), reduced
// to Han-only words by gendict.go. It gives word frequencies for a unigram
// language model; go-pinyin (MIT) gives the readings from which the
// confusion sets (same and similar pronunciation) are built. Nothing here
// is derived from any test set.
//
//go:embed data/words.tsv.gz
var wordsGz []byte

//go:embed data/govwords.txt
var govWords string

// govWordFreq is the frequency given to the government words: that of an
// ordinary, moderately common word.
const govWordFreq = 2000

type wordInfo struct {
	freq uint32
	verb bool // POS "v": may reduplicate (研究研究)
}

// Speller is a Chinese spelling checker (CSC) built from a dictionary and
// pinyin data only: it replaces a character that stands alone in the best
// segmentation with a same- or similar-sounding one when that forms a word
// and the sentence becomes markedly more probable under a unigram word
// model. It is safe for concurrent use.
type Speller struct {
	words    map[string]wordInfo
	maxLen   int
	logTotal float64
	charFreq map[rune]uint64
	// conf maps a character to candidates and their cost (nats): 0 same
	// reading and tone, 0.7 same reading other tone, 2.5 similar reading.
	conf map[rune][]candidate
	// same and toneless list the common characters by reading with and
	// without tone.
	same, toneless map[string][]rune
	// Threshold is the gain in log-probability (nats) a correction must
	// bring, beyond its cost, to be proposed.
	Threshold float64
	lm        *bigramLM
}

type candidate struct {
	r    rune
	cost float64
}

var (
	spellerOnce sync.Once
	spellerVal  *Speller
)

// DefaultThreshold was chosen on a synthetic development set made from the
// shared knowledge-base texts (testdata/csc_dev_kb.jsonl), never on a test
// set.
const DefaultThreshold = 4.0

// DefaultSpeller loads the embedded lexicon once (about half a second).
func DefaultSpeller() *Speller {
	spellerOnce.Do(func() { spellerVal = newSpeller() })
	return spellerVal
}

// minCandidateFreq keeps rare characters out of the confusion sets: a
// correction into a character almost nobody writes is almost always wrong.
const minCandidateFreq = 300

func newSpeller() *Speller {
	s := &Speller{words: make(map[string]wordInfo, 360000), charFreq: map[rune]uint64{},
		Threshold: DefaultThreshold}
	zr, err := gzip.NewReader(bytes.NewReader(wordsGz))
	if err != nil {
		panic("gongwen: embedded lexicon: " + err.Error()) // build-time data, not input
	}
	sc := bufio.NewScanner(zr)
	var total float64
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 2 {
			continue
		}
		n, err := strconv.ParseUint(f[1], 10, 32)
		if err != nil || n == 0 {
			continue
		}
		w := f[0]
		s.words[w] = wordInfo{freq: uint32(n), verb: len(f) > 2 && f[2] == "v"}
		total += float64(n)
		l := 0
		for _, r := range w {
			s.charFreq[r] += n
			l++
		}
		if l > s.maxLen {
			s.maxLen = l
		}
	}
	// Words of government work the general dictionary lacks, so that they
	// are never "corrected" (政数局 is not a typo of 政数据).
	for _, w := range strings.Fields(govWords) {
		if strings.HasPrefix(w, "#") {
			continue
		}
		if _, ok := s.words[w]; !ok {
			s.words[w] = wordInfo{freq: govWordFreq}
			total += govWordFreq
		}
	}
	s.logTotal = math.Log(total)
	lm, err := loadLM(lmGz)
	if err != nil {
		panic("gongwen: embedded language model: " + err.Error()) // build-time data, not input
	}
	for _, w := range strings.Fields(govWords) {
		if !strings.HasPrefix(w, "#") {
			lm.addWord(w, float32(math.Log(govWordFreq)-s.logTotal))
		}
	}
	s.lm = lm
	s.buildConfusion()
	return s
}

// reading is a character's toneless syllable and its tone.
type reading struct {
	syl  string
	tone byte
}

func readings(r rune) []reading {
	var out []reading
	for _, p := range pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Tone3, Heteronym: true}) {
		tone := byte('5')
		if n := len(p); n > 0 && p[n-1] >= '1' && p[n-1] <= '4' {
			tone, p = p[n-1], p[:n-1]
		}
		out = append(out, reading{p, tone})
	}
	return out
}

// similar lists syllables that are commonly confused with syl: flat and
// retroflex initials, n/l, front and back nasals.
func similar(syl string) []string {
	var out []string
	swaps := [][2]string{{"zh", "z"}, {"ch", "c"}, {"sh", "s"}}
	for _, sw := range swaps {
		if strings.HasPrefix(syl, sw[0]) {
			out = append(out, sw[1]+syl[len(sw[0]):])
		} else if strings.HasPrefix(syl, sw[1]) && !strings.HasPrefix(syl, sw[0]) {
			out = append(out, sw[0]+syl[len(sw[1]):])
		}
	}
	switch {
	case strings.HasPrefix(syl, "n"):
		out = append(out, "l"+syl[1:])
	case strings.HasPrefix(syl, "l"):
		out = append(out, "n"+syl[1:])
	}
	switch {
	case strings.HasSuffix(syl, "ng"):
		out = append(out, syl[:len(syl)-1])
	case strings.HasSuffix(syl, "n"):
		out = append(out, syl+"g")
	}
	// u and ü after n and l (奴/女, 路/律); go-pinyin writes ü as v.
	switch {
	case strings.HasPrefix(syl, "nu") || strings.HasPrefix(syl, "lu"):
		out = append(out, syl[:1]+"v"+syl[2:])
	case strings.HasPrefix(syl, "nv") || strings.HasPrefix(syl, "lv"):
		out = append(out, syl[:1]+"u"+syl[2:])
	}
	return out
}

func (s *Speller) buildConfusion() {
	s.same = map[string][]rune{}
	s.toneless = map[string][]rune{}
	for r, f := range s.charFreq {
		if f < minCandidateFreq {
			continue
		}
		for _, rd := range readings(r) {
			s.same[rd.syl+string(rd.tone)] = append(s.same[rd.syl+string(rd.tone)], r)
			s.toneless[rd.syl] = append(s.toneless[rd.syl], r)
		}
	}
	for _, m := range []map[string][]rune{s.same, s.toneless} {
		for k, rs := range m {
			slices.Sort(rs)
			m[k] = rs
		}
	}
	s.conf = map[rune][]candidate{}
	for r := range s.charFreq {
		s.conf[r] = s.confusable(r)
	}
}

// candidates is the confusion set of r: precomputed for the characters of
// the lexicon, worked out on the spot for any other (a rare character is
// the likeliest typo of all).
func (s *Speller) candidates(r rune) []candidate {
	if cs, ok := s.conf[r]; ok {
		return cs
	}
	return s.confusable(r)
}

func (s *Speller) confusable(r rune) []candidate {
	best := map[rune]float64{}
	add := func(c rune, cost float64) {
		if c == r {
			return
		}
		if old, ok := best[c]; !ok || cost < old {
			best[c] = cost
		}
	}
	for _, rd := range readings(r) {
		for _, c := range s.same[rd.syl+string(rd.tone)] {
			add(c, costSameTone)
		}
		for _, c := range s.toneless[rd.syl] {
			add(c, costOtherTone)
		}
		for _, sim := range similar(rd.syl) {
			for _, c := range s.toneless[sim] {
				add(c, costSimilar)
			}
		}
	}
	cs := make([]candidate, 0, len(best))
	for c, cost := range best {
		cs = append(cs, candidate{c, cost})
	}
	// A fixed order, so that ties are broken the same way every run.
	slices.SortFunc(cs, func(a, b candidate) int { return cmp.Compare(a.r, b.r) })
	return cs
}

// Edit is one proposed correction: the character at rune index Pos.
type Edit struct {
	Pos      int
	From, To rune
	// Gain is how much more probable (nats, cost deducted) the sentence
	// became; larger is surer.
	Gain float64
}

// Correct returns the corrected sentence and its edits. Non-Han text is
// kept as it is; each run of Han characters is checked on its own.
func (s *Speller) Correct(sentence string) (string, []Edit) {
	return s.correct(sentence, s.Threshold)
}

func (s *Speller) correct(sentence string, threshold float64) (string, []Edit) {
	rs := []rune(sentence)
	var edits []Edit
	for i := 0; i < len(rs); {
		if !unicode.Is(unicode.Han, rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
			j++
		}
		for _, e := range s.correctRun(rs[i:j], threshold) {
			e.Pos += i
			rs[e.Pos] = e.To
			edits = append(edits, e)
		}
		i = j
	}
	return string(rs), edits
}

// window is how many characters either side of a position take part in
// judging a correction there: enough for a bigram model to see the words
// around it.
const window = 6

// Costs (nats) of proposing a character, by kind of confusion, and the
// extra evidence asked of a change inside a word the text already forms.
var (
	costSameTone    = 0.0
	costOtherTone   = 0.7
	costSimilar     = 4.0
	costInWord      = 1.0
	maxEditsPerRun  = 3
	minFunctionLogP = -4.5 * ln10 // single-character words this common are compared by context alone
)

func (s *Speller) correctRun(h []rune, threshold float64) []Edit {
	if len(h) < 2 {
		return nil
	}
	h = append([]rune(nil), h...)
	var edits []Edit
	fixed := make([]bool, len(h))
	lat := &lattice{}
	cover := make([]int, len(h))
	win := make([]rune, 0, 2*window+1)
	for round := 0; round < maxEditsPerRun; round++ {
		s.lm.score(h, lat, cover)
		var best Edit
		for i, r := range h {
			if fixed[i] {
				continue
			}
			lo, hi := max(0, i-window), min(len(h), i+window+1)
			win = append(win[:0], h[lo:hi]...)
			base := s.lm.score(win, lat, nil)
			extra := 0.0
			if cover[i] > 1 {
				extra = costInWord
			}
			fromFunc := s.functionWord(r)
			for _, c := range s.candidates(r) {
				if !(fromFunc && s.functionWord(c.r)) && !s.formsWord(win, i-lo, c.r) {
					continue
				}
				win[i-lo] = c.r
				gain := s.lm.score(win, lat, nil) - base - c.cost - extra
				if gain > threshold && gain > best.Gain {
					best = Edit{Pos: i, From: r, To: c.r, Gain: gain}
				}
			}
			win[i-lo] = r
		}
		if best.Gain == 0 {
			break
		}
		h[best.Pos] = best.To
		fixed[best.Pos] = true
		edits = append(edits, best)
	}
	return edits
}

// functionWord reports whether r alone is a common word (在, 再, 的, 得 …):
// such characters are compared by their context even when no longer word
// forms around them.
func (s *Speller) functionWord(r rune) bool {
	id, ok := s.lm.ids[string(r)]
	return ok && float64(s.lm.uni[id]) > minFunctionLogP
}

// formsWord reports whether putting c at position i of win makes a word
// of two to four characters with its neighbours.
func (s *Speller) formsWord(win []rune, i int, c rune) bool {
	old := win[i]
	win[i] = c
	defer func() { win[i] = old }()
	for l := 2; l <= 4; l++ {
		for a := max(0, i-l+1); a <= i && a+l <= len(win); a++ {
			if s.lm.known(win[a : a+l]) {
				return true
			}
		}
	}
	return false
}
