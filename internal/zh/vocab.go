package zh

import (
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// LexiconWords returns Fuwu's government-service vocabulary (lexicon/gov.txt
// and every word of the synonym table), the words residents abbreviate.
func (a *Analyzer) LexiconWords() []string {
	return append([]string(nil), a.lexicon...)
}

// PlainPinyin returns the toneless pinyin of each character of a word as
// it is typed (unfolded: 农 is "nong", not the homophone key "long"), or
// nil when a character has no reading.
func (a *Analyzer) PlainPinyin(word string) []string {
	args := pinyin.Args{Style: pinyin.Normal}
	var out []string
	for _, r := range word {
		if !IsHan(r) {
			return nil
		}
		ps := pinyin.SinglePinyin(r, args)
		if len(ps) == 0 {
			return nil
		}
		out = append(out, ps[0])
	}
	return out
}

// Initials are the first letters of a word's pinyin syllables (sfz of
// shen fen zheng), the shorthand residents type, if it has syllables and
// none is empty.
func Initials(syl []string) (string, bool) {
	var b strings.Builder
	for _, s := range syl {
		if s == "" {
			return "", false
		}
		b.WriteByte(s[0])
	}
	return b.String(), len(syl) > 0
}
