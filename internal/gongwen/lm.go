package gongwen

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"
)

// The word bigram model is derived by genlm.go from the word trigram model
// that ships with libime (fcitx), LGPL-2.1-or-later, Copyright 2015-2022
// CSSlayer (data/LICENSE.libime-lm): Han-only unigrams with their back-off
// weights and the bigrams between them. It is what lets the speller judge
// a character by its neighbours beyond the word it stands in.
//
//go:embed data/lm.bin.gz
var lmGz []byte

// bigramLM is a back-off word bigram model; probabilities are natural
// logarithms.
type bigramLM struct {
	ids    map[string]int32
	uni    []float32
	bo     []float32
	start  []int32 // bigrams of word a are next[start[a]:start[a+1]]
	next   []int32
	prob   []float32
	maxLen int
	// pre2 holds, for the first two characters of every word of two or
	// more, the longest such word: most substrings of a sentence are not
	// words, and this turns them away without hashing a string.
	pre2 map[uint64]uint8
}

func pairKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(b) }

func (m *bigramLM) notePrefix(w string) {
	rs := []rune(w)
	if len(rs) < 2 {
		return
	}
	k := pairKey(rs[0], rs[1])
	if l := uint8(min(len(rs), 255)); l > m.pre2[k] {
		m.pre2[k] = l
	}
}

const ln10 = math.Ln10

// unkLogP is the log-probability of a character the model does not know:
// below every known word (libime's <unk> is about -6.3 log10).
const unkLogP = -7.5 * ln10

func loadLM(gz []byte) (*bigramLM, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(zr, 1<<16)
	magic := make([]byte, 5)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "FWLM1" {
		return nil, errors.New("language model: bad header")
	}
	fixed := func() (float32, error) {
		v, err := binary.ReadVarint(r)
		return float32(float64(v) / 1000 * ln10), err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 1<<24 {
		return nil, errors.New("language model: bad word count")
	}
	m := &bigramLM{ids: make(map[string]int32, n), uni: make([]float32, n), bo: make([]float32, n),
		pre2: make(map[uint64]uint8, n)}
	buf := make([]byte, 0, 64)
	for i := range int(n) {
		l, err := binary.ReadUvarint(r)
		if err != nil || l > 256 {
			return nil, fmt.Errorf("language model: word %d: bad length", i)
		}
		buf = buf[:l]
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		w := string(buf)
		m.ids[w] = int32(i)
		m.notePrefix(w)
		if c := utf8.RuneCountInString(w); c > m.maxLen {
			m.maxLen = c
		}
		if m.uni[i], err = fixed(); err != nil {
			return nil, err
		}
		if m.bo[i], err = fixed(); err != nil {
			return nil, err
		}
	}
	nb, err := binary.ReadUvarint(r)
	if err != nil || nb > 1<<26 {
		return nil, errors.New("language model: bad bigram count")
	}
	m.start = make([]int32, n+1)
	m.next = make([]int32, nb)
	m.prob = make([]float32, nb)
	a, b := uint64(0), uint64(0)
	for k := range int(nb) {
		da, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		db, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		if da == 0 && k > 0 {
			b += db
		} else {
			a += da
			b = db
		}
		if a >= n || b >= n {
			return nil, fmt.Errorf("language model: bigram %d out of range", k)
		}
		m.next[k] = int32(b)
		if m.prob[k], err = fixed(); err != nil {
			return nil, err
		}
		m.start[a+1] = int32(k + 1)
	}
	for i := 1; i <= int(n); i++ { // words without bigrams
		if m.start[i] < m.start[i-1] {
			m.start[i] = m.start[i-1]
		}
	}
	return m, nil
}

// addWord adds a unigram the model lacks (government words).
func (m *bigramLM) addWord(w string, logp float32) {
	if _, ok := m.ids[w]; ok {
		return
	}
	m.ids[w] = int32(len(m.uni))
	m.uni = append(m.uni, logp)
	m.bo = append(m.bo, 0)
	m.start = append(m.start, m.start[len(m.start)-1])
	m.notePrefix(w)
	if c := utf8.RuneCountInString(w); c > m.maxLen {
		m.maxLen = c
	}
}

// logP is log P(b | a); a < 0 means no known history, b < 0 an unknown
// character.
func (m *bigramLM) logP(a, b int32) float64 {
	if b < 0 {
		return unkLogP
	}
	if a < 0 {
		return float64(m.uni[b])
	}
	lo, hi := int(m.start[a]), int(m.start[a+1])
	nx := m.next[lo:hi]
	if k := sort.Search(len(nx), func(i int) bool { return nx[i] >= b }); k < len(nx) && nx[k] == b {
		return float64(m.prob[lo+k])
	}
	return float64(m.bo[a] + m.uni[b])
}

// lattice is scratch space for score, reused across calls by one goroutine.
type lattice struct {
	ids    [][]int32 // ids[e][l-1]: word of length l ending at e, or -2
	states [][]state
}

type state struct {
	id    int32
	score float64
}

// score is the log-probability of the best segmentation of the Han text
// h (one run, no punctuation) under the bigram model, and the length of
// the word covering each position in that segmentation.
func (m *bigramLM) score(h []rune, lat *lattice, cover []int) float64 {
	n := len(h)
	for len(lat.states) <= n {
		lat.states = append(lat.states, nil)
		lat.ids = append(lat.ids, nil)
	}
	lat.states[0] = append(lat.states[0][:0], state{-1, 0})
	type back struct{ from, l int }
	var bp []back
	if cover != nil {
		bp = make([]back, n+1)
	}
	var sb [64]byte
	for e := 1; e <= n; e++ {
		st := lat.states[e][:0]
		bestE := math.Inf(-1)
		for l := 1; l <= m.maxLen && l <= e; l++ {
			if l > 1 && int(m.pre2[pairKey(h[e-l], h[e-l+1])]) < l {
				continue
			}
			key := sb[:0]
			for _, r := range h[e-l : e] {
				key = utf8.AppendRune(key, r)
			}
			id, ok := m.ids[string(key)]
			if !ok {
				if l > 1 {
					continue
				}
				id = -1
			}
			best := math.Inf(-1)
			for _, p := range lat.states[e-l] {
				if v := p.score + m.logP(p.id, id); v > best {
					best = v
				}
			}
			if math.IsInf(best, -1) {
				continue
			}
			st = append(st, state{id, best})
			if bp != nil && best > bestE {
				bestE = best
				bp[e] = back{e - l, l}
			}
		}
		lat.states[e] = st
	}
	best := math.Inf(-1)
	for _, p := range lat.states[n] {
		if p.score > best {
			best = p.score
		}
	}
	if cover != nil {
		// The cover follows, per end, the best-scoring word: an
		// approximation of the Viterbi path good enough to tell whether a
		// character stands alone.
		for e := n; e > 0; {
			b := bp[e]
			for k := b.from; k < e; k++ {
				cover[k] = b.l
			}
			e = b.from
		}
	}
	return best
}

// known reports whether w is a word of the model.
func (m *bigramLM) known(h []rune) bool {
	if len(h) > 1 && int(m.pre2[pairKey(h[0], h[1])]) < len(h) {
		return false
	}
	var sb [64]byte
	key := sb[:0]
	for _, r := range h {
		key = utf8.AppendRune(key, r)
	}
	_, ok := m.ids[string(key)]
	return ok
}
