package assistant

import (
	"errors"
	"strings"
	"sync"
)

// harmRules recognise requests for help with something illegal by their
// shape — an act of forging or defrauding near the thing it is done to —
// rather than by listing sentences (lexicon/harm.txt says more).
type harmRules struct {
	acts, objects, safe, decoys []string
}

// harmGap is how many characters may stand between an act and its object
// (怎么伪造一张身份证: 2; 营业执照能不能伪造: 3).
const harmGap = 6

var (
	harmOnce   sync.Once
	harmLoaded harmRules
	harmErr    error
)

// loadHarm reads lexicon/harm.txt, normalising each word with norm.
func loadHarm(norm func(string) string) (harmRules, error) {
	harmOnce.Do(func() {
		harmErr = eachLine("harm.txt", func(line string) error {
			f := strings.Fields(line)
			var words []string
			for _, w := range f[1:] {
				if w = norm(w); w != "" {
					words = append(words, w)
				}
			}
			switch f[0] {
			case "act":
				harmLoaded.acts = append(harmLoaded.acts, words...)
			case "object":
				harmLoaded.objects = append(harmLoaded.objects, words...)
			case "safe":
				harmLoaded.safe = append(harmLoaded.safe, words...)
			case "false":
				harmLoaded.decoys = append(harmLoaded.decoys, words...)
			default:
				return errors.New("want act, object, safe or false")
			}
			return nil
		})
	})
	return harmLoaded, harmErr
}

type span struct{ start, end int } // rune offsets

// occurrences finds each word in rs; a word of ASCII letters only counts
// between non-letters ("ps" is not in "https").
func occurrences(rs []rune, words []string) []span {
	var out []span
	text := string(rs)
	for _, w := range words {
		if !strings.Contains(text, w) {
			continue // most words are absent: no scan of every position
		}
		wr := []rune(w)
		ascii := isASCIIWord(w)
		for i := 0; i+len(wr) <= len(rs); i++ {
			if string(rs[i:i+len(wr)]) != w {
				continue
			}
			if ascii && (i > 0 && isASCIILetter(rs[i-1]) || i+len(wr) < len(rs) && isASCIILetter(rs[i+len(wr)])) {
				continue
			}
			out = append(out, span{i, i + len(wr)})
		}
	}
	return out
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCIIWord(w string) bool {
	for _, r := range w {
		if !isASCIILetter(r) {
			return false
		}
	}
	return w != ""
}

// match reports whether normalised text asks for an illegal act, and the
// words that make it so ("伪造…身份证").
func (h harmRules) match(norm string) (string, []span, bool) {
	// Words that only contain an act or object are blanked first.
	for _, f := range h.decoys {
		if strings.Contains(norm, f) {
			norm = strings.ReplaceAll(norm, f, strings.Repeat("□", len([]rune(f))))
		}
	}
	rs := []rune(norm)
	acts := occurrences(rs, h.acts)
	if len(acts) == 0 {
		return "", nil, false
	}
	objects := occurrences(rs, h.objects)
	safe := occurrences(rs, h.safe)
	for _, a := range acts {
		for _, o := range objects {
			gap := o.start - a.end
			if o.start < a.start {
				gap = a.start - o.end
			}
			if gap < 0 || gap > harmGap {
				continue
			}
			lo, hi := min(a.start, o.start)-harmGap, max(a.end, o.end)+harmGap
			guarded := false
			for _, sf := range safe {
				guarded = guarded || sf.end > lo && sf.start < hi
			}
			if !guarded {
				first, second := a, o
				if o.start < a.start {
					first, second = o, a
				}
				return string(rs[first.start:first.end]) + "…" + string(rs[second.start:second.end]), []span{first, second}, true
			}
		}
	}
	return "", nil, false
}
