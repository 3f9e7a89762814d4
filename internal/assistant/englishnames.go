package assistant

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// englishNames are the English names residents use for catalogue items
// (lexicon/english-names.txt): reviewed data, one line per item. Word by
// word, English gives words the catalogue does not use (property
// certificate is not 不动产权证书), so a message holding all the content
// words of a name, close together and in any order, names that item in
// the catalogue's own words before the English table reads the rest.
type englishNames struct {
	names  []englishName
	byWord map[string][]int // content word → names holding it
}

type englishName struct {
	words []string // content words, stemmed, each once
	// item is the catalogue item's name, normalised, or for a phrase of
	// spoken.txt the words it says (where … buy: 哪里买).
	item string
}

// englishFunctionWords carry no name: dropped from names and messages
// alike, with single letters (the s of martyr's).
var englishFunctionWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an the of for to my our your his her their and or in on at with by from is are be do i we me it this that") {
		englishFunctionWords[w] = true
	}
}

// englishStem reduces a plural to its singular (pensions, disabilities,
// taxes), so a name is written once. Other inflections stay: read as
// their base word they cost more turns than they gained.
func englishStem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses")):
		w = w[:n-2]
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	return w
}

// loadEnglishNames reads lexicon/english-names.txt: "item name = name |
// name | …", each name two or more content words.
func loadEnglishNames(norm func(string) string) (*englishNames, error) {
	en := &englishNames{byWord: map[string][]int{}}
	err := eachLine("english-names.txt", func(line string) error {
		item, rest, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(item) == "" {
			return fmt.Errorf(`want "item name = name | name"`)
		}
		item = norm(strings.TrimSpace(item))
		for _, name := range strings.Split(rest, "|") {
			for _, w := range strings.Fields(name) {
				if !isLatin(w) {
					return fmt.Errorf("%s: %q is not a lower-case English word", item, w)
				}
			}
			words := englishWords(name)
			if len(words) < 2 {
				return fmt.Errorf("%s: name %q has fewer than two content words", item, strings.TrimSpace(name))
			}
			en.add(englishName{words, item})
		}
		return nil
	})
	return en, err
}

// englishWords are a name's content words, stemmed, each once.
func englishWords(name string) []string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if w = englishStem(w); len(w) > 1 && !englishFunctionWords[w] && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

// add indexes a name by each of its words.
func (en *englishNames) add(n englishName) {
	for _, w := range n.words {
		en.byWord[w] = append(en.byWord[w], len(en.names))
	}
	en.names = append(en.names, n)
}

// englishToken is one English content word of a message, at s[start:end].
type englishToken struct {
	start, end int
	stem       string
}

// rewrite writes each item a name in s names as the item's name, in place
// of the name's first word, and drops the name's other words. Names whose
// words lie closest together go first; a word serves one name. A name's
// words lie within a window of twice its length plus two content words,
// so a name is not pieced together from a long message's far ends.
func (en *englishNames) rewrite(s string) string {
	if en == nil || len(en.names) == 0 {
		return s
	}
	var toks []englishToken
	for i := 0; i < len(s); {
		if s[i] < 'a' || s[i] > 'z' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		if w := englishStem(s[i:j]); len(w) > 1 && !englishFunctionWords[w] {
			toks = append(toks, englishToken{i, j, w})
		}
		i = j
	}
	if len(toks) < 2 {
		return s
	}
	type match struct {
		name int
		at   []int // token indexes, in message order
	}
	var matches []match
	seen := map[int]bool{}
	for _, t := range toks {
		for _, ni := range en.byWord[t.stem] {
			if seen[ni] {
				continue
			}
			seen[ni] = true
			if m, ok := en.find(ni, toks); ok {
				matches = append(matches, match{ni, m})
			}
		}
	}
	if len(matches) == 0 {
		return s
	}
	sort.SliceStable(matches, func(i, j int) bool {
		a, b := matches[i], matches[j]
		// Words said together name more surely than words strewn
		// about: fewest words between first, then the longer name,
		// then the earlier.
		if ga, gb := gap(a.at), gap(b.at); ga != gb {
			return ga < gb
		}
		if len(a.at) != len(b.at) {
			return len(a.at) > len(b.at)
		}
		return a.at[0] < b.at[0]
	})
	used := make([]bool, len(toks))
	put := map[int]string{} // token index → the item name written there
	for _, m := range matches {
		free := true
		for _, k := range m.at {
			free = free && !used[k]
		}
		if !free {
			continue
		}
		for _, k := range m.at {
			used[k] = true
		}
		put[m.at[0]] = en.names[m.name].item
	}
	var b strings.Builder
	last := 0
	for k, t := range toks {
		if !used[k] {
			continue
		}
		b.WriteString(s[last:t.start])
		if item, ok := put[k]; ok {
			b.WriteString(" " + item + " ")
		}
		last = t.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// gap counts the other words among a match's tokens (at, ascending).
func gap(at []int) int { return at[len(at)-1] - at[0] + 1 - len(at) }

// find reports the tokens holding name ni's words, in any order: each
// word's first occurrence in a window that starts at one of them.
func (en *englishNames) find(ni int, toks []englishToken) ([]int, bool) {
	words := en.names[ni].words
	window := 2*len(words) + 2
	for i, t := range toks {
		if !slices.Contains(words, t.stem) {
			continue
		}
		at := make([]int, 0, len(words))
		for _, w := range words {
			k := -1
			for j := i; j < len(toks) && j < i+window; j++ {
				if toks[j].stem == w {
					k = j
					break
				}
			}
			if k < 0 {
				break
			}
			at = append(at, k)
		}
		if len(at) == len(words) {
			sort.Ints(at)
			return at, true
		}
	}
	return nil, false
}
