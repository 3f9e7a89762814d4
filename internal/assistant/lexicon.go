package assistant

import (
	"bufio"
	"embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

// cueTable maps cue phrases to a label (an aspect, a scope category).
type cueTable struct {
	cues  []cue // longest first
	order map[string]int
}

type cue struct {
	phrase, label string
	weak          bool // counts only when no strong cue is found
}

// parseCues reads "label = cue cue …" lines; norm normalises the cues.
func parseCues(name string, norm func(string) string) (*cueTable, error) {
	raw, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		return nil, err
	}
	t := &cueTable{order: map[string]int{}}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		label, rest, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("lexicon/%s line %d: want \"label = cues\"", name, n)
		}
		label = strings.TrimSpace(label)
		// "~label = …" makes every cue of the line weak.
		allWeak := strings.HasPrefix(label, "~")
		label = strings.TrimPrefix(label, "~")
		if _, seen := t.order[label]; !seen {
			t.order[label] = len(t.order)
		}
		for _, c := range strings.Fields(rest) {
			weak := allWeak || strings.HasPrefix(c, "~")
			t.cues = append(t.cues, cue{norm(strings.TrimPrefix(c, "~")), label, weak})
		}
	}
	sort.SliceStable(t.cues, func(i, j int) bool { return len([]rune(t.cues[i].phrase)) > len([]rune(t.cues[j].phrase)) })
	return t, nil
}

// match returns every label whose cue occurs in text, best first: strong
// cues before weak ones, longer cues first, then the cue later in the
// text, then table order.
func (t *cueTable) match(text string) []labelHit {
	best := map[string]labelHit{}
	for _, c := range t.cues {
		if i := lastAsked(text, c.phrase); i >= 0 {
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

// givesValue matches what follows a cue when the resident is handing over
// personal data rather than asking: "我电话是138****5678", "身份证号码
// 110101********1234" (the input guard has masked the value by then).
var givesValue = regexp.MustCompile(`^[是为:\s]{0,3}[0-9a-z]+ ?\*{3}`)

// lastAsked is the byte offset of the last occurrence of phrase in text
// that is not followed by a masked value, or -1.
func lastAsked(text, phrase string) int {
	for end := len(text); ; {
		i := strings.LastIndex(text[:end], phrase)
		if i < 0 || !givesValue.MatchString(text[i+len(phrase):]) {
			return i
		}
		end = i
	}
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
