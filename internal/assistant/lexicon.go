package assistant

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

// eachLine calls fn with every line of lexicon/name that is not blank once
// its "#" comment is cut, trimmed; fn's error comes back with the file and
// line number in front, so a reviewer finds the bad entry at once.
func eachLine(name string, fn func(line string) error) error {
	raw, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		return err
	}
	return scanLines(name, raw, fn)
}

func scanLines(name string, raw []byte, fn func(line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("lexicon/%s line %d: %w", name, n, err)
		}
	}
	return sc.Err()
}

// eachEntry calls fn with the key and the words of every "key = words" line
// of lexicon/name.
func eachEntry(name string, fn func(key string, words []string) error) error {
	return eachLine(name, func(line string) error {
		key, rest, ok := strings.Cut(line, "=")
		if !ok {
			return errors.New(`want "key = words"`)
		}
		return fn(strings.TrimSpace(key), strings.Fields(rest))
	})
}

// cueTable maps cue phrases to a label (an aspect, a scope category).
type cueTable struct {
	cues  []cue // longest first
	order map[string]int
	// byFirst lists the cues (indexes into cues, ascending) by their first
	// rune, for candidates: contentText blanks cues as it goes, so a cue
	// may come to occur once a space is made, and it looks at every cue
	// that can start anywhere in the text.
	byFirst map[rune][]int
	// byTwo and byOne list them (the same way) for match, which needs
	// only the cues that occur: by their first two runes, or by the one
	// rune of a one-rune cue; always holds any other (an empty cue),
	// tried on every text. Either way a turn does not search for each of
	// the hundreds of cues.
	byTwo  map[[2]rune][]int
	byOne  map[rune][]int
	always []int
	// inword are words no cue counts in or across (inLongerWord): 出租车
	// holds 租车 but is a taxi, not a rental car ("inword = …" lines).
	inword []string
}

type cue struct {
	phrase, label string
	weak          bool // counts only when no strong cue is found
}

// parseCues reads "label = cue cue …" lines; norm normalises the cues.
func parseCues(name string, norm func(string) string) (*cueTable, error) {
	t := &cueTable{order: map[string]int{}}
	err := eachEntry(name, func(label string, cues []string) error {
		if label == "inword" {
			for _, c := range cues {
				t.inword = append(t.inword, norm(c))
			}
			return nil
		}
		// "~label = …" makes every cue of the line weak.
		allWeak := strings.HasPrefix(label, "~")
		label = strings.TrimPrefix(label, "~")
		if _, seen := t.order[label]; !seen {
			t.order[label] = len(t.order)
		}
		for _, c := range cues {
			weak := allWeak || strings.HasPrefix(c, "~")
			for _, v := range askVariants(norm(strings.TrimPrefix(c, "~"))) {
				t.cues = append(t.cues, cue{v, label, weak})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(t.cues, func(i, j int) bool { return len([]rune(t.cues[i].phrase)) > len([]rune(t.cues[j].phrase)) })
	t.index()
	return t, nil
}

// index fills byFirst, byTwo, byOne and always. An empty cue (which
// occurs everywhere) goes under utf8.RuneError, which candidates always
// takes.
func (t *cueTable) index() {
	t.byFirst = map[rune][]int{}
	t.byTwo, t.byOne, t.always = map[[2]rune][]int{}, map[rune][]int{}, nil
	for i, c := range t.cues {
		r, n := utf8.DecodeRuneInString(c.phrase)
		t.byFirst[r] = append(t.byFirst[r], i)
		switch k, ok := zh.FirstTwo(c.phrase); {
		case ok:
			t.byTwo[k] = append(t.byTwo[k], i)
		case r != utf8.RuneError && n == len(c.phrase):
			t.byOne[r] = append(t.byOne[r], i)
		default:
			t.always = append(t.always, i)
		}
	}
}

// occurring are the indexes of the cues that may occur in text,
// ascending: those whose first two runes stand together in it, or whose
// one rune is in it, and always.
func (t *cueTable) occurring(text string) []int {
	out := append([]int(nil), t.always...)
	for i, r := range text {
		out = append(out, t.byOne[r]...)
		if k, ok := zh.FirstTwo(text[i:]); ok {
			out = append(out, t.byTwo[k]...)
		}
	}
	sort.Ints(out)
	return slices.Compact(out)
}

// candidates are the indexes of the cues whose first rune occurs in text,
// ascending (the table's order).
func (t *cueTable) candidates(text string) []int {
	out := append([]int(nil), t.byFirst[utf8.RuneError]...)
	seen := make(map[rune]bool, len(text)/3+1)
	seen[utf8.RuneError] = true
	for _, r := range text {
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, t.byFirst[r]...)
	}
	sort.Ints(out)
	return out
}

// askVariants returns a cue with the other ways its question word is
// said: 什么 as 啥, and with a measure word before it (准备些什么, 交点啥).
func askVariants(c string) []string {
	out := []string{c}
	i := strings.Index(c, "什么")
	if i < 0 {
		return out
	}
	pre, post := c[:i], c[i+len("什么"):]
	if i == 0 {
		return append(out, "啥"+post) // nothing before it to take a measure word
	}
	seen := map[string]bool{c: true}
	for _, m := range []string{"", "些", "点", "一些", "一点"} {
		for _, q := range []string{"什么", "啥"} {
			if v := pre + m + q + post; !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// match returns every label whose cue occurs in text, best first: strong
// cues before weak ones, longer cues first, then the cue later in the
// text, then table order.
func (t *cueTable) match(text string) []labelHit {
	best := map[string]labelHit{}
	for _, k := range t.occurring(text) {
		c := t.cues[k]
		if i := t.lastFree(text, c.phrase); i >= 0 {
			h := labelHit{label: c.label, length: len([]rune(c.phrase)), cue: c.phrase, pos: i, weak: c.weak}
			if old, ok := best[c.label]; !ok || h.better(old, t) {
				best[c.label] = h
			}
		}
	}
	out := make([]labelHit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].better(out[j], t) })
	return out
}

// lastFree is lastAsked's occurrence of phrase in text that no inword
// word holds or crosses, or -1.
func (t *cueTable) lastFree(text, phrase string) int {
	for end := len(text); ; {
		i := lastAsked(text[:end], phrase)
		if i < 0 || !inLongerWord(text, i, i+len(phrase), t.inword) {
			return i
		}
		end = i + len(phrase) - 1
	}
}

// givesValue matches what follows a cue when the resident is handing over
// personal data rather than asking: "我电话是138****5678", "身份证号码
// 110101********1234" (the input guard has masked the value by then).
var givesValue = regexp.MustCompile(`^[是为:\s]{0,3}[0-9a-z]+ ?\*{3}`)

// lastAsked is the byte offset of the last occurrence of phrase in text
// that is not followed by a masked value, or -1.
func lastAsked(text, phrase string) int {
	for end := len(text); ; {
		i := strings.LastIndex(text[:end], phrase)
		if i < 0 {
			return i
		}
		// givesValue needs a masked value (***) after the cue.
		rest := text[i+len(phrase):]
		if !wordEdges(text, i, len(phrase)) {
			end = i
			continue
		}
		if !strings.Contains(rest, "***") || !givesValue.MatchString(rest) {
			return i
		}
		end = i
	}
}

// wordEdges reports whether the n bytes of text at i are whole where they
// are Latin: a cue that begins or ends with a letter (app, online) is an
// English word or a shorthand, not the inside of a longer one (reapply).
func wordEdges(text string, i, n int) bool {
	if n == 0 {
		return true
	}
	letter := func(k int) bool { return isASCIILetter(rune(text[k])) }
	if letter(i) && i > 0 && letter(i-1) {
		return false
	}
	j := i + n
	return !letter(j-1) || j >= len(text) || !letter(j)
}

func (h labelHit) better(o labelHit, t *cueTable) bool {
	if h.weak != o.weak {
		return !h.weak
	}
	if h.length != o.length {
		return h.length > o.length
	}
	if h.pos != o.pos {
		return h.pos > o.pos
	}
	return t.order[h.label] < t.order[o.label]
}

type labelHit struct {
	label  string
	length int
	cue    string
	pos    int
	weak   bool
}

// wordList reads whitespace-separated words, '#' comments.
func wordList(name string, norm func(string) string) ([]string, error) {
	raw, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			out = append(out, norm(w))
		}
	}
	return out, nil
}
