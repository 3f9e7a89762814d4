package zh

import (
	"bufio"
	"strings"
	"unicode"
	"unicode/utf8"
)

// charMap folds traditional characters to simplified ones (OpenCC's
// TSCharacters table) and rare look-alike characters residents type by
// mistake (variants.txt) to the character meant.
type charMap map[rune]rune

func parseCharMap(m charMap, data string) {
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		from, n1 := utf8.DecodeRuneInString(f[0])
		to, n2 := utf8.DecodeRuneInString(f[1])
		if n1 != len(f[0]) || n2 != len(f[1]) || from == to {
			continue // phrase mappings are not character folds
		}
		m[from] = to
	}
}

// resolve makes every fold final: OpenCC's table and the variants chain
// some characters (鏇 → 镟 → 旋), and one pass of Normalize must give
// what a second would.
func (m charMap) resolve() {
	for from, to := range m {
		seen := map[rune]bool{from: true}
		for {
			next, ok := m[to]
			if !ok || seen[to] {
				break
			}
			seen[to] = true
			to = next
		}
		if to == from {
			delete(m, from) // a cycle folds nothing
			continue
		}
		m[from] = to
	}
}

// Normalize returns s folded for matching: full-width forms to half-width,
// letters to lower case, traditional to simplified characters, look-alike
// characters to the usual ones, Chinese punctuation to ASCII, and runs of
// white space to one space. It never changes the number of runes except
// for collapsing white space, so positions stay meaningful.
func (a *Analyzer) Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldWidth(r)
		if m, ok := a.chars[r]; ok {
			r = m
		}
		if p, ok := punct[r]; ok {
			r = p
		}
		if unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// foldWidth maps full-width ASCII variants and the ideographic space to
// their half-width forms.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// punct maps Chinese punctuation to one ASCII form each, so that "，" and
// "," (or "？" and "?") mean the same to everything downstream.
var punct = map[rune]rune{
	'。': '.', '、': ',', '～': '~', '·': ' ', '—': '-', '–': '-', '…': '.',
	'“': '"', '”': '"', '‘': '\'', '’': '\'', '「': '"', '」': '"', '『': '"', '』': '"',
	'《': '"', '》': '"', '〈': '"', '〉': '"', '【': '[', '】': ']', '〔': '[', '〕': ']',
	'\u00a0': ' ',
}

// IsHan reports whether r is a Chinese character.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }
