package gongwen

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"math"
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
	// Threshold is the gain in log-probability (nats) a correction must
	// bring, beyond its cost, to be proposed.
	Threshold float64
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
const DefaultThreshold = 6.0

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
	return out
}

func (s *Speller) buildConfusion() {
	type key = string
	same := map[key][]rune{}     // syllable+tone → chars
	toneless := map[key][]rune{} // syllable → chars
	chars := make([]rune, 0, len(s.charFreq))
	read := map[rune][]reading{}
	for r, f := range s.charFreq {
		if f < minCandidateFreq {
			continue
		}
		chars = append(chars, r)
	}
	for _, r := range chars {
		rs := readings(r)
		read[r] = rs
		for _, rd := range rs {
			same[rd.syl+string(rd.tone)] = append(same[rd.syl+string(rd.tone)], r)
			toneless[rd.syl] = append(toneless[rd.syl], r)
		}
	}
	s.conf = map[rune][]candidate{}
	// Every character the lexicon knows gets a confusion set, rare ones
	// included: a rare character is the likeliest typo of all.
	for r := range s.charFreq {
		rs, ok := read[r]
		if !ok {
			rs = readings(r)
		}
		best := map[rune]float64{}
		add := func(c rune, cost float64) {
			if c == r {
				return
			}
			if old, ok := best[c]; !ok || cost < old {
				best[c] = cost
			}
		}
		for _, rd := range rs {
			for _, c := range same[rd.syl+string(rd.tone)] {
				add(c, 0)
			}
			for _, c := range toneless[rd.syl] {
				add(c, 0.7)
			}
			for _, sim := range similar(rd.syl) {
				for _, c := range toneless[sim] {
					add(c, 2.5)
				}
			}
		}
		cs := make([]candidate, 0, len(best))
		for c, cost := range best {
			cs = append(cs, candidate{c, cost})
		}
		s.conf[r] = cs
	}
}

// logP is the unigram log-probability of a known word, or of an unknown
// single character (heavily penalised).
func (s *Speller) logP(w string) (float64, bool) {
	if wi, ok := s.words[w]; ok {
		return math.Log(float64(wi.freq)) - s.logTotal, true
	}
	return -s.logTotal - 4, false
}

// segment finds the most probable segmentation of h and returns its score
// and the start of each word.
func (s *Speller) segment(h []rune) (float64, []int) {
	n := len(h)
	best := make([]float64, n+1)
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = math.Inf(-1)
		for l := 1; l <= s.maxLen && l <= i; l++ {
			w := string(h[i-l : i])
			p, known := s.logP(w)
			if !known && l > 1 {
				continue
			}
			if v := best[i-l] + p; v > best[i] {
				best[i], from[i] = v, i-l
			}
		}
	}
	var starts []int
	for i := n; i > 0; i = from[i] {
		starts = append(starts, from[i])
	}
	for i, j := 0, len(starts)-1; i < j; i, j = i+1, j-1 {
		starts[i], starts[j] = starts[j], starts[i]
	}
	return best[n], starts
}

// isolated reports which positions of h are single-character words in its
// best segmentation: only those are candidates for correction, so that
// words the dictionary knows are never "corrected".
func isolated(n int, starts []int) []bool {
	iso := make([]bool, n)
	for k, st := range starts {
		end := n
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		if end-st == 1 {
			iso[st] = true
		}
	}
	return iso
}

// Edit is one proposed correction: the character at rune index Pos.
type Edit struct {
	Pos      int
	From, To rune
	// Gain is how much more probable (nats, cost deducted) the sentence
	// became; larger is surer.
	Gain float64
}

// stopChars are never corrected nor proposed by the speller: function
// characters whose misuse (的/地/得 …) has rules of its own.
const stopChars = "的地得了着过是在和与及也都就而把被对从向于为以其之所这那我你他她它们个"

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

const window = 4 // characters either side that decide a correction

func (s *Speller) correctRun(h []rune, threshold float64) []Edit {
	if len(h) < 2 {
		return nil
	}
	h = append([]rune(nil), h...)
	var edits []Edit
	fixed := make([]bool, len(h))
	for round := 0; round < 4; round++ {
		_, starts := s.segment(h)
		iso := isolated(len(h), starts)
		var best Edit
		for i, r := range h {
			if !iso[i] || fixed[i] || strings.ContainsRune(stopChars, r) {
				continue
			}
			lo, hi := max(0, i-window), min(len(h), i+window+1)
			win := append([]rune(nil), h[lo:hi]...)
			base, _ := s.segment(win)
			for _, c := range s.conf[r] {
				if strings.ContainsRune(stopChars, c.r) {
					continue
				}
				win[i-lo] = c.r
				sc, st := s.segment(win)
				gain := sc - base - c.cost
				if gain > threshold && gain > best.Gain && !isolated(len(win), st)[i-lo] {
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
