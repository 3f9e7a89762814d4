package zh

import (
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// pinyinTable gives each character its most common reading, toneless,
// folded for the confusions residents make when typing by sound: flat and
// retroflex initials (z/zh, c/ch, s/sh), n/l, and front and back nasal
// finals (in/ing, en/eng, an/ang). Two words with the same key are
// near-homophones: 公基金 and 公积金, 居注证 and 居住证, 执找 and 执照.
type pinyinTable struct {
	cache sync.Map // rune → string ("" for non-Han)
	args  pinyin.Args
}

func newPinyinTable() *pinyinTable {
	return &pinyinTable{args: pinyin.Args{Style: pinyin.Normal, Heteronym: false}}
}

func (t *pinyinTable) syllable(r rune) string {
	if v, ok := t.cache.Load(r); ok {
		return v.(string)
	}
	s := ""
	if IsHan(r) {
		if ps := pinyin.SinglePinyin(r, t.args); len(ps) > 0 {
			s = fuzzySyllable(ps[0])
		}
	}
	t.cache.Store(r, s)
	return s
}

func fuzzySyllable(s string) string {
	switch {
	case strings.HasPrefix(s, "zh"), strings.HasPrefix(s, "ch"), strings.HasPrefix(s, "sh"):
		s = s[:1] + s[2:]
	case strings.HasPrefix(s, "n") && s != "n" && s != "ng":
		s = "l" + s[1:]
	}
	switch {
	case strings.HasSuffix(s, "ing"), strings.HasSuffix(s, "eng"), strings.HasSuffix(s, "ang"):
		s = s[:len(s)-1]
	}
	return s
}

// PinyinKey is the folded toneless pinyin of a word, syllables joined by
// "'", or "" when the word has a character without a reading.
func (a *Analyzer) PinyinKey(word string) string {
	var b strings.Builder
	for _, r := range word {
		s := a.py.syllable(r)
		if s == "" {
			return ""
		}
		if b.Len() > 0 {
			b.WriteByte('\'')
		}
		b.WriteString(s)
	}
	return b.String()
}

// Syllables returns the folded syllable of each rune of a word ("" for a
// rune without a reading), for callers that key many windows of one text.
func (a *Analyzer) Syllables(runes []rune) []string {
	out := make([]string, len(runes))
	for i, r := range runes {
		out[i] = a.py.syllable(r)
	}
	return out
}
