package zh

import (
	"bufio"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Synonyms maps the words residents use to the words the catalogue uses
// (上户口 → 入户, 落户; 退休金 → 养老金). The table is data
// (lexicon/synonyms.txt), one rule a line:
//
//	# theme heading
//	上户口 报户口 落户口 = 入户 落户
//
// Any phrase on the left found in a query adds the terms on the right.
// Matching is by substring of the normalised text, so a rule still fires
// when the segmenter cuts the phrase differently. A phrase in parts,
// 找工作…补贴, matches its parts in order with no sentence end between
// them, anywhere in one clause (up to MaxClauseGap characters apart) and
// across a clause break only MaxGap apart: 找工作有没有补贴.
//
// A word class names the ways of saying one thing, to be combined with
// other words in a pattern:
//
//	@child = 儿子 女儿 孩子 闺女
//	就一个{child} 只有一个{child} 只生了一个{child} = 独生子女
//
// A phrase with {child} stands for the phrase with each member in its
// place (就一个儿子, 就一个女儿 …); several classes in one phrase combine.
// A class is defined before it is used. Phrases made from a class are
// patterns, not words, so they are not offered to the segmenter.
type Synonyms struct {
	rules []synRule // longest phrase first
	words []string
	// byTwo lists, per first two characters, the indexes of the rules
	// whose phrase (or first part) starts with them, and byFirst, per
	// first character, those of the rules whose first part is a single
	// character (ascending, so longest first): a query is scanned once
	// instead of once per rule, and at each character only the rules that
	// can start there are tried — a common first character starts a
	// hundred or more.
	byTwo   map[[2]rune][]int
	byFirst map[rune][]int
	adding  map[string]map[string]bool // phrase → terms its rules add
	terms   map[string]bool            // every term a rule adds
	// lines holds the phrases of each line of the table: the other ways
	// of saying what a rule's phrase says.
	lines map[int]map[string]bool
	// wordAt, when set, returns the dictionary word a text's cut starts
	// with at byte from (the last character of a matched phrase), when it
	// runs past that character and changes its sense: a base-dictionary
	// word of two or more characters, not a stop word, whose characters
	// after the first are not a stop word (落到 is 落 and 到). Empty when the
	// character is a word's edge. See Expand.
	wordAt func(norm string, from int) string
	// wordBefore, when set, is wordAt's mirror for a phrase's start: the
	// word a text's cut ends with at the character at byte at (the first
	// of a matched phrase), when it begins before that character: a word
	// of two or more characters, of the base dictionary or the lexicon,
	// not a stop word, whose characters before the last are not a stop
	// word. Empty when the character is a word's edge. See Expand.
	wordBefore func(norm string, at int) string
}

type synRule struct {
	phrase string
	parts  []string // of a phrase in parts, else nil
	adds   []string
	line   int
	// endsAlone: the phrase's last character is a word of its own in the
	// phrase (住 of 一个人住, 领 of 想领), which a longer word after it may
	// take (住院, 领养).
	endsAlone bool
	// startsAlone: the phrase's first character is a word of its own in
	// the phrase and so is the next (新 办 of 新办), and a longer word
	// before it may take the first (重新办 is doing it again, not a first
	// registration).
	startsAlone bool
}

// Gap separates the parts of a phrase in parts.
const Gap = "…"

// MaxGap is how many characters may stand between the parts of a phrase
// across a clause break (a comma, a pause); within one clause they meet
// up to MaxClauseGap apart: "我是美国人想在福田开一家咨询公司" says
// 美国人 and 公司 of one wish, nine characters apart.
const MaxGap = 6

// MaxClauseGap bounds the parts' distance inside one clause, for speech
// transcribed without any pause. On the learning sets (1390 messages) a
// clause-wide reach adds a match to 7, each right (干活…伤 of a work
// injury, 幼儿园…钱 of the kindergarten subsidy), all within 14
// characters, and changes no outcome.
const MaxClauseGap = 16

// clauseBreaks are the normalised text's clause separators.
const clauseBreaks = ", :"

// ParseSynonyms reads a synonym table; norm normalises both sides.
func ParseSynonyms(data string, norm func(string) string) (*Synonyms, error) {
	s := &Synonyms{adding: map[string]map[string]bool{}, terms: map[string]bool{}, lines: map[int]map[string]bool{}}
	seen := map[string]bool{}
	classes := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(data))
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
		left, right, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want \"phrases = terms\"", n)
		}
		if name, isClass := strings.CutPrefix(strings.TrimSpace(left), "@"); isClass {
			members := strings.Fields(norm(right))
			if name == "" || strings.ContainsAny(name, " \t{}") || len(members) == 0 {
				return nil, fmt.Errorf("line %d: want \"@class = words\"", n)
			}
			classes[name] = members
			continue
		}
		adds := strings.Fields(norm(right))
		var phrases []string
		partsOf := map[string][]string{}
		pattern := map[string]bool{}
		var fields []string
		for _, f := range strings.Fields(left) {
			if !strings.ContainsAny(f, "{}") {
				fields = append(fields, f)
				continue
			}
			made, err := fillClasses(f, classes)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			for _, m := range made {
				pattern[norm(m)] = true
			}
			fields = append(fields, made...)
		}
		for _, f := range fields {
			var parts []string
			for _, part := range strings.Split(f, Gap) {
				if part = strings.TrimSpace(norm(part)); part == "" {
					return nil, fmt.Errorf("line %d: empty part in %q", n, f)
				}
				parts = append(parts, part)
			}
			p := strings.Join(parts, Gap)
			phrases = append(phrases, p)
			if len(parts) > 1 {
				partsOf[p] = parts
			}
		}
		if len(adds) == 0 || len(phrases) == 0 {
			return nil, fmt.Errorf("line %d: empty side", n)
		}
		if s.lines[n] == nil {
			s.lines[n] = map[string]bool{}
		}
		for _, p := range phrases {
			s.lines[n][p] = true
			s.rules = append(s.rules, synRule{phrase: p, parts: partsOf[p], adds: adds, line: n})
			if s.adding[p] == nil {
				s.adding[p] = map[string]bool{}
			}
			for _, a := range adds {
				s.adding[p][a] = true
				s.terms[a] = true
			}
		}
		for _, w := range append(phrases, adds...) {
			if !seen[w] && !strings.Contains(w, Gap) && !pattern[w] {
				seen[w] = true
				s.words = append(s.words, w)
			}
		}
	}
	sort.SliceStable(s.rules, func(i, j int) bool { return len(s.rules[i].phrase) > len(s.rules[j].phrase) })
	s.byTwo = map[[2]rune][]int{}
	s.byFirst = map[rune][]int{}
	for i, r := range s.rules {
		head := r.phrase
		if r.parts != nil {
			head = r.parts[0]
		}
		if k, ok := FirstTwo(head); ok {
			s.byTwo[k] = append(s.byTwo[k], i)
			continue
		}
		first, _ := utf8.DecodeRuneInString(r.phrase)
		s.byFirst[first] = append(s.byFirst[first], i)
	}
	return s, sc.Err()
}

// fillClasses expands the {class} references of a phrase into every
// combination of the classes' members.
func fillClasses(phrase string, classes map[string][]string) ([]string, error) {
	i := strings.IndexByte(phrase, '{')
	if i < 0 || strings.IndexByte(phrase[:i], '}') >= 0 {
		if strings.IndexByte(phrase, '}') >= 0 {
			return nil, fmt.Errorf("unbalanced braces in %q", phrase)
		}
		return []string{phrase}, nil
	}
	j := strings.IndexByte(phrase[i:], '}')
	if j < 0 {
		return nil, fmt.Errorf("unbalanced braces in %q", phrase)
	}
	name := phrase[i+1 : i+j]
	members, ok := classes[name]
	if !ok {
		return nil, fmt.Errorf("unknown class {%s} (define it with \"@%s = words\" before use)", name, name)
	}
	rests, err := fillClasses(phrase[i+j+1:], classes)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(members)*len(rests))
	for _, m := range members {
		for _, r := range rests {
			out = append(out, phrase[:i]+m+r)
		}
	}
	return out, nil
}

// Adds reports whether a rule of phrase adds term.
func (s *Synonyms) Adds(phrase, term string) bool { return s.adding[phrase][term] }

// Len is the number of phrase rules.
func (s *Synonyms) Len() int { return len(s.rules) }

// Words lists every phrase and term in the table (for the segmenter).
func (s *Synonyms) Words() []string { return s.words }

// FirstTwo returns the first two characters of s, if it has two valid
// ones: the key rules and cues are indexed by.
func FirstTwo(s string) ([2]rune, bool) {
	c1, n1 := utf8.DecodeRuneInString(s)
	c2, n2 := utf8.DecodeRuneInString(s[n1:])
	if n1 == 0 || n2 == 0 || c1 == utf8.RuneError && n1 == 1 || c2 == utf8.RuneError && n2 == 1 {
		return [2]rune{}, false
	}
	return [2]rune{c1, c2}, true
}

// matchAt reports whether the rule's phrase starts at byte i of norm, and
// the byte where the match ends.
func (r *synRule) matchAt(norm string, i int) (int, bool) {
	if r.parts == nil {
		return i + len(r.phrase), strings.HasPrefix(norm[i:], r.phrase)
	}
	if !strings.HasPrefix(norm[i:], r.parts[0]) {
		return 0, false
	}
	pos := i + len(r.parts[0])
	for _, part := range r.parts[1:] {
		found, crossed := false, false
		for gap, end := 0, pos; (gap <= MaxGap || !crossed && gap <= MaxClauseGap) && end < len(norm); gap++ {
			if strings.HasPrefix(norm[end:], part) {
				pos, found = end+len(part), true
				break
			}
			c, size := utf8.DecodeRuneInString(norm[end:])
			if strings.ContainsRune(".?!;", c) {
				return 0, false
			}
			crossed = crossed || strings.ContainsRune(clauseBreaks, c)
			end += size
		}
		if !found {
			return 0, false
		}
	}
	return pos, true
}

// endsInsideWord reports a match of r ending at byte end of norm whose
// last character a longer word after it takes, changing its sense: 一个人住
// in 一个人住院 (in hospital alone, not living alone), 想领 in 想领养. A
// longer word the rule itself covers is no such word: in a phrase of its
// line (被裁 in 被裁员, 去…带孙 in 带孙子 for 外地带孙子), part of a term it adds (回来能报 in 回来能报销
// adds 零星报销), or the continued text being a phrase of its line or a
// term it adds (上户 in 上户口); another rule's phrase (回老家住院 against
// 回老家住) says something else. The start is checked the same way, by
// startsInsideWord.
func (s *Synonyms) endsInsideWord(r *synRule, norm string, start, end int) bool {
	if !r.endsAlone || s.wordAt == nil {
		return false
	}
	_, size := utf8.DecodeLastRuneInString(norm[:end])
	w := s.wordAt(norm, end-size)
	if w == "" {
		return false
	}
	if s.coveredByLine(r, w) {
		return false
	}
	ext := norm[start:end-size] + w
	return !s.lines[r.line][ext] && !slices.Contains(r.adds, ext)
}

// startsInsideWord is endsInsideWord's mirror: a match of r starting at
// byte start of norm whose first character a longer word before it takes,
// changing its sense: 新办 in 重新办 (again, not for the first time). A
// longer word the rule itself covers is no such word, as at the end: one
// in a phrase of its line or a term it adds, or the text from the word's
// start being a phrase of its line or a term it adds; nor is the phrase of
// a rule adding one of its terms (刚生 in 刚生娃 against 生娃).
func (s *Synonyms) startsInsideWord(r *synRule, norm string, start, end int) bool {
	if !r.startsAlone || s.wordBefore == nil {
		return false
	}
	w := s.wordBefore(norm, start)
	if w == "" {
		return false
	}
	if s.coveredByLine(r, w) {
		return false
	}
	// A phrase of another rule that adds one of r's terms says the same
	// thing (刚生 and 生娃 both add 出生): it takes nothing from r.
	for _, a := range r.adds {
		if s.adding[w][a] {
			return false
		}
	}
	_, size := utf8.DecodeLastRuneInString(w)
	ext := w[:len(w)-size] + norm[start:end]
	return !s.lines[r.line][ext] && !slices.Contains(r.adds, ext)
}

// negations are the characters that, right before a phrase, say the
// resident is not doing it (不开公司, 唔开公司, 没…).
const negations = "不没唔冇未别"

// negatedPhrase reports a whole-phrase match of r at byte i of norm right
// after a negation, when the negated phrase is itself a phrase of another
// rule: that rule says what not doing it means (不开公司 is trading
// alone, 个体工商户), so r's phrase (开公司 → 有限责任公司) is not said. A
// negated phrase no rule holds is left to r: 没上户口 still asks for the
// registration.
func (s *Synonyms) negatedPhrase(r *synRule, norm string, i int) bool {
	if r.parts != nil || i == 0 {
		return false
	}
	c, size := utf8.DecodeLastRuneInString(norm[:i])
	if !strings.ContainsRune(negations, c) {
		return false
	}
	neg := norm[i-size:i] + r.phrase
	return s.adding[neg] != nil && !s.lines[r.line][neg]
}

// coveredByLine reports whether w is part of a phrase of r's line or of a
// term r adds: a word the rule itself says.
func (s *Synonyms) coveredByLine(r *synRule, w string) bool {
	for p := range s.lines[r.line] {
		if strings.Contains(p, w) {
			return true
		}
	}
	for _, a := range r.adds {
		if strings.Contains(a, w) {
			return true
		}
	}
	return false
}

// Expansion is a term a synonym rule adds, and the phrase that fired it.
type Expansion struct {
	Term   string
	Phrase string
}

// Expand returns the terms the rules add for normalised text, longest
// phrases first. A term two phrases add comes once for each; a term the
// text already contains is not added.
func (s *Synonyms) Expand(norm string) []Expansion {
	var fired []int
	for i, c := range norm {
		fired = s.fire(fired, s.byFirst[c], norm, i)
		if k, ok := FirstTwo(norm[i:]); ok {
			fired = s.fire(fired, s.byTwo[k], norm, i)
		}
	}
	if len(fired) == 0 {
		return nil
	}
	slices.Sort(fired)
	fired = slices.Compact(fired)
	var out []Expansion
	seen := map[Expansion]bool{}
	for _, ri := range fired {
		r := &s.rules[ri]
		for _, t := range r.adds {
			e := Expansion{Term: t, Phrase: r.phrase}
			if !seen[e] && !strings.Contains(norm, t) {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// fire appends to fired those of rules that match norm at byte i.
func (s *Synonyms) fire(fired, rules []int, norm string, i int) []int {
	for _, ri := range rules {
		if end, ok := s.rules[ri].matchAt(norm, i); ok && !s.endsInsideWord(&s.rules[ri], norm, i, end) &&
			!s.startsInsideWord(&s.rules[ri], norm, i, end) && !s.negatedPhrase(&s.rules[ri], norm, i) {
			fired = append(fired, ri)
		}
	}
	return fired
}

// IsLexicon reports whether a normalised word is one of Fuwu's own
// government-service words (lexicon or synonym table).
func (a *Analyzer) IsLexicon(w string) bool { return a.lexiconSet[w] }
