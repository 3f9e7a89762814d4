package assistant

import (
	"bufio"
	"embed"
	"fmt"
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
		if _, seen := t.order[label]; !seen {
			t.order[label] = len(t.order)
		}
		for _, c := range strings.Fields(rest) {
			t.cues = append(t.cues, cue{norm(c), label})
		}
	}
	sort.SliceStable(t.cues, func(i, j int) bool { return len([]rune(t.cues[i].phrase)) > len([]rune(t.cues[j].phrase)) })
	return t, nil
}

// match returns every label whose cue occurs in text, with the length (in
// runes) of its longest cue, best first: longer cue, then table order.
func (t *cueTable) match(text string) []labelHit {
	best := map[string]labelHit{}
	for _, c := range t.cues {
		if i := strings.Index(text, c.phrase); i >= 0 {
			l := len([]rune(c.phrase))
			if h, ok := best[c.label]; !ok || l > h.length {
				best[c.label] = labelHit{label: c.label, length: l, cue: c.phrase, pos: i}
			}
		}
	}
	out := make([]labelHit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].length != out[j].length {
			return out[i].length > out[j].length
		}
		return t.order[out[i].label] < t.order[out[j].label]
	})
	return out
}

type labelHit struct {
	label  string
	length int
	cue    string
	pos    int
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
