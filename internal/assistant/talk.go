package assistant

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

// talk rewrites a message the way residents speak or type it into the
// plainer Mandarin the catalogue is written in, before anything else
// reads it: voice-transcript fillers, pauses, stutters and
// self-corrections go; Cantonese words, chat shorthand, English words and
// pinyin abbreviations of the catalogue's own words become their standard
// forms. The kinds of word are data (lexicon/spoken.txt); the pinyin
// abbreviations are generated from the government-service lexicon.
type talk struct {
	interjections map[rune]bool
	// inWords hold an interjection's character as part of a word (喂饭,
	// 喂奶): it stays there.
	inWords     []string
	fillers     []string // longest first
	pauses      map[string]bool
	corrections map[string]bool
	leads       []string           // corrections that may open the corrected words, longest first
	restates    []string           // how the corrected words are opened, longest first
	words       map[rune][]rewrite // by first rune, longest first
	latin       map[string]string  // chat, English and pinyin shorthand
	// alts are the other lexicon words a generated pinyin key stands for,
	// most common first; known (the catalogue's document frequency), when
	// set, picks among them the word the catalogue uses most: sb is 社保
	// in a government-service chat, though 申办 is the commoner word.
	alts  map[string][]string
	known func(string) int
	// together, when set, counts the catalogue items holding two words:
	// of a key's words, the one whose items hold the message's other
	// words is meant (gjj dk tq hk: 还款). items counts the catalogue's
	// items.
	together func(a, b string) int
	items    func() int
	// generated are the keys made from words' pinyin rather than listed
	// in the lexicon. initialled, when set, gives the catalogue's own
	// words with a key's initials: a generated key, or one no word has,
	// may stand for them too, chosen only by the words beside it (hk:
	// 还款 beside 公积金 and 贷款, where the lexicon's hk is 户口).
	generated  map[string]bool
	initialled func(key string) []string
	// asks are the cue phrases that ask an aspect (预约, 条件): a key
	// standing for one keeps it, since what a resident asks is not
	// chosen by the words of the story around it.
	asks map[string]bool
	// spelled are the keys that spell a word's pinyin out in full
	// (shebaoka, liucheng): typed with a space between syllables (she
	// bao ka, liu cheng) they are still that word.
	spelled map[string]bool
	keep    map[string]bool
	// plain are everyday English words (my, by, set, yet): never read
	// as pinyin initials, whatever lexicon word the initials would give.
	plain map[string]bool
	a     *zh.Analyzer
	// spent are words of money a resident spent (看病, 票据); spentShort
	// are shorthand rewritten only in a message holding one: 能报吗 is
	// 能报销吗 of a hospital bill, and 能申报吗 of a work injury.
	spent      []string
	spentShort []rewrite
	// names are the catalogue items' English names.
	names *englishNames
}

type rewrite struct{ from, to string }

// loadTalk reads lexicon/spoken.txt and generates the pinyin shorthand of
// a's lexicon.
func loadTalk(a *zh.Analyzer) (*talk, error) {
	tk := &talk{
		interjections: map[rune]bool{}, pauses: map[string]bool{}, corrections: map[string]bool{},
		words: map[rune][]rewrite{}, latin: map[string]string{}, keep: map[string]bool{}, plain: map[string]bool{}, spelled: map[string]bool{}, generated: map[string]bool{}, a: a,
	}
	norm := a.Normalize
	var phrases []englishName
	err := eachEntry("spoken.txt", func(kind string, words []string) error {
		for _, w := range words {
			switch kind {
			case "interjection":
				r, size := utf8.DecodeRuneInString(norm(w))
				if size != len(norm(w)) {
					return fmt.Errorf("interjection %q is not one character", w)
				}
				tk.interjections[r] = true
			case "inword":
				tk.inWords = append(tk.inWords, norm(w))
			case "filler":
				tk.fillers = append(tk.fillers, norm(w))
			case "pause":
				tk.pauses[norm(w)] = true
			case "correction":
				tk.corrections[norm(w)] = true
			case "correction-lead":
				tk.leads = append(tk.leads, norm(w))
			case "restate":
				tk.restates = append(tk.restates, norm(w))
			case "keep":
				tk.keep[norm(w)] = true
			case "phrase":
				from, to, ok := strings.Cut(w, ">")
				if !ok || from == "" {
					return fmt.Errorf("%s: want word_word>to, got %q", kind, w)
				}
				phrases = append(phrases, englishName{englishWords(strings.ReplaceAll(from, "_", " ")), norm(to)})
			case "plain":
				tk.plain[norm(w)] = true
			case "spent":
				tk.spent = append(tk.spent, norm(w))
			case "short.spent":
				from, to, ok := strings.Cut(w, ">")
				if !ok || from == "" {
					return fmt.Errorf("%s: want from>to, got %q", kind, w)
				}
				tk.spentShort = append(tk.spentShort, rewrite{norm(from), norm(to)})
			default:
				from, to, ok := strings.Cut(w, ">")
				if !ok || from == "" {
					return fmt.Errorf("%s: want from>to, got %q", kind, w)
				}
				from, to = norm(from), norm(to)
				// Two English words said as one (id_card, social_security).
				if a, b, two := strings.Cut(from, "_"); two && isLatin(a) && isLatin(b) {
					tk.latin[a+" "+b] = to
					continue
				}
				if isLatin(from) {
					tk.latin[from] = to
					continue
				}
				r, _ := utf8.DecodeRuneInString(from)
				tk.words[r] = append(tk.words[r], rewrite{from, to})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(tk.fillers, func(i, j int) bool { return len(tk.fillers[i]) > len(tk.fillers[j]) })
	for _, ws := range [][]string{tk.leads, tk.restates} {
		sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	}
	for r := range tk.words {
		ws := tk.words[r]
		sort.SliceStable(ws, func(i, j int) bool { return len(ws[i].from) > len(ws[j].from) })
	}
	tk.generateShorthand(a)
	if tk.names, err = loadEnglishNames(norm); err != nil {
		return nil, err
	}
	for _, p := range phrases {
		if len(p.words) < 2 {
			return nil, fmt.Errorf("spoken.txt: phrase %v has fewer than two content words", p.words)
		}
		tk.names.add(p)
	}
	return tk, nil
}

// generateShorthand adds the pinyin initials (sfz, gjj, sbk) and the
// spelled-out pinyin (shebaoka, gongjijin) of every lexicon word. When two
// words share a key, the more common word in everyday Chinese has it:
// that is the one people abbreviate.
func (tk *talk) generateShorthand(a *zh.Analyzer) {
	type cand struct {
		word string
		freq float64
	}
	all := map[string][]cand{}
	offer := func(key, w string, f float64) {
		if tk.keep[key] || tk.plain[key] {
			return
		}
		if _, listed := tk.latin[key]; listed {
			return
		}
		all[key] = append(all[key], cand{w, f})
	}
	for _, w := range a.LexiconWords() {
		n := utf8.RuneCountInString(w)
		if n < 2 || n > 5 {
			continue
		}
		syl := a.PlainPinyin(w)
		ini, ok := zh.Initials(syl)
		if !ok {
			continue
		}
		f, _ := a.WordFreq(w)
		offer(ini, w, f)
		if full := strings.Join(syl, ""); len(full) >= 4 {
			offer(full, w, f)
			tk.spelled[full] = true
		}
	}
	tk.alts = map[string][]string{}
	for k, cs := range all {
		tk.generated[k] = true
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].freq != cs[j].freq {
				return cs[i].freq > cs[j].freq
			}
			return cs[i].word < cs[j].word
		})
		tk.latin[k] = cs[0].word
		for _, c := range cs {
			if !slices.Contains(tk.alts[k], c.word) {
				tk.alts[k] = append(tk.alts[k], c.word)
			}
		}
		if len(tk.alts[k]) < 2 {
			delete(tk.alts, k)
		}
	}
}

// aspectShorthand adds the pinyin initials of the two-character words
// that ask an aspect (tj 条件, lc 流程, dh 电话) where no catalogue word
// has the key: residents abbreviate what they ask as they abbreviate what
// they ask about. A word the dictionary lacks (按啥) and a weak cue are
// no word anyone abbreviates.
func (tk *talk) aspectShorthand(a *zh.Analyzer, t *cueTable) {
	tk.asks = map[string]bool{}
	for _, c := range t.cues {
		tk.asks[c.phrase] = true
	}
	// best holds the keys this gave, with their word's frequency: of two
	// aspect words, the commoner has the key.
	best := map[string]float64{}
	for _, c := range t.cues {
		f, ok := a.WordFreq(c.phrase)
		if c.weak || !ok || utf8.RuneCountInString(c.phrase) != 2 {
			continue
		}
		key, ok := zh.Initials(a.PlainPinyin(c.phrase))
		if !ok || tk.keep[key] || tk.plain[key] {
			continue
		}
		prev, ours := best[key]
		if _, taken := tk.latin[key]; taken && !ours || f <= prev {
			continue
		}
		tk.latin[key], best[key] = c.phrase, f
		tk.generated[key] = true
	}
	tk.spellCues(t)
}

// spellCues adds the spelled-out pinyin of the cues that ask an aspect
// (liucheng 流程, zaina 在哪, jiaoqian 交钱), where no other word has the
// key: a resident typing pinyin types what they ask in it too. One
// syllable (na, ji) is too many words to read as one.
func (tk *talk) spellCues(t *cueTable) {
	for _, c := range t.cues {
		syl := tk.a.PlainPinyin(c.phrase)
		full := strings.Join(syl, "")
		if len(syl) < 2 || len(full) < 4 || slices.Contains(syl, "") {
			continue
		}
		if _, taken := tk.latin[full]; taken || tk.keep[full] || tk.plain[full] {
			continue
		}
		tk.latin[full] = c.phrase
		tk.spelled[full] = true
	}
}

// catalogueWords are the catalogue's words key may stand for besides
// the lexicon's: none for a listed key, whose word is reviewed.
func (tk *talk) catalogueWords(key string) []string {
	if tk.initialled == nil || len(key) < 2 || len(key) > 4 || tk.keep[key] || tk.plain[key] {
		return nil
	}
	to, listed := tk.latin[key]
	if listed && !tk.generated[key] {
		return nil
	}
	var out []string
	for _, w := range tk.initialled(key) {
		if w != to && !slices.Contains(tk.alts[key], w) {
			out = append(out, w)
		}
	}
	return out
}

// latinWord is the word a shorthand key stands for: of a generated key's
// words, the one most catalogue items hold (the commonest on a tie).
func (tk *talk) latinWord(key string) (string, bool) {
	to, ok := tk.latin[key]
	if !ok || tk.known == nil {
		return to, ok
	}
	best := tk.known(to)
	for _, w := range tk.alts[key] {
		if n := tk.known(w); n > best {
			to, best = w, n
		}
	}
	return to, true
}

func isLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// rewrite returns norm (a normalised message) in plain written Mandarin.
func (tk *talk) rewrite(norm string) string {
	s := tk.rewriteWords(norm)
	s = tk.rewriteSpent(s)
	s = tk.names.rewrite(s)
	s = tk.rewriteLatin(s)
	s = tk.joinSplitWords(s)
	return tk.tidyPauses(s)
}

// rewriteSpent writes the shorthand of money spent in full (能报吗 →
// 能报销吗) in a message that speaks of such money.
func (tk *talk) rewriteSpent(s string) string {
	if len(tk.spentShort) == 0 {
		return s
	}
	if _, ok := firstOf(s, tk.spent); !ok {
		return s
	}
	for _, w := range tk.spentShort {
		for i := 0; ; {
			j := strings.Index(s[i:], w.from)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(w.from)
			// 怎么报 of 怎么报名 or 怎么报销 stays: its last character
			// makes a word with the next.
			last, _ := utf8.DecodeLastRuneInString(w.from)
			if next, size := utf8.DecodeRuneInString(s[end:]); size > 0 {
				if _, word := tk.a.WordFreq(string(last) + string(next)); word {
					i = end
					continue
				}
			}
			s = s[:start] + w.to + s[end:]
			i = start + len(w.to)
		}
	}
	return s
}

// splitBy are what speech puts inside a verb-object word: 备个案, 报了个
// 名, 离了婚, 办过证.
var splitBy = []string{"了个", "一个", "个", "了", "过"}

// notSplit are the characters before 个 or 了 that count or point, not
// verbs: 几个月 is not 几月, 这个案 is not 这案.
const notSplit = "一二两三四五六七八九十百千几这那哪每某各半整多好"

// joinSplitWords writes a verb-object word said with a measure word or
// an aspect particle inside it (备个案, 挂个号, 离了婚) as the word
// (备案, 挂号, 离婚). The word must be one the catalogue or Fuwu's lexicon
// uses (救个急 → 救急), and
// neither the first character with the separator (为了, 整个), the
// separator with the next characters (个体户) nor the object with the
// characters after it (房子) a word of its own.
func (tk *talk) joinSplitWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(notSplit, r) {
			continue
		}
		for _, sep := range splitBy {
			if !strings.HasPrefix(s[i:], sep) {
				continue
			}
			y, _ := utf8.DecodeRuneInString(s[i+len(sep):])
			if !unicode.Is(unicode.Han, y) {
				break
			}
			sepFirst, _ := utf8.DecodeRuneInString(sep)
			sepLast, _ := utf8.DecodeLastRuneInString(sep)
			if _, ok := tk.a.WordFreq(string(r) + string(sepFirst)); ok {
				break // 为了, 整个
			}
			if tk.wordAt(s[i+len(sep)-len(string(sepLast)):], 3) {
				break // 个体户
			}
			if tk.wordAt(s[i+len(sep):], 2) {
				break // 租了房子 is 租 房子: joined, 租房 would leave 子 alone
			}
			if w := string(r) + string(y); !tk.spoken(w) && (tk.known != nil && tk.known(w) > 0 || tk.a.IsLexicon(w)) {
				i += len(sep) // drop the separator; y is written next
			}
			break
		}
	}
	return b.String()
}

// rewriteWords replaces spoken words by their standard forms, the longest
// word at each position first.
func (tk *talk) rewriteWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		done := false
		for _, w := range tk.words[r] {
			if strings.HasPrefix(s[i:], w.from) && !tk.crossesWord(s, i, i+len(w.from)) {
				b.WriteString(w.to)
				i += len(w.from)
				done = true
				break
			}
		}
		if !done {
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// crossesWord reports whether a written-Mandarin word runs across an edge
// of s[i:j], a spoken word found there: the characters of a Cantonese
// word are often part of a standard one (返 of 返回, 过身 of 办过身份证,
// 点办 of 几点办公, 份工 of 一份工作), which must stay as written. A word
// counts when the analyser's dictionary holds it and it is not itself in
// the spoken table.
func (tk *talk) crossesWord(s string, i, j int) bool {
	const maxRunes = 4
	// Words starting before the spoken word and ending inside or after it.
	p := i
	for n := 0; n < maxRunes-1 && p > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:p])
		p -= size
		if tk.crossing(s, p, i, j) {
			return true
		}
	}
	// Words starting inside it (or at its start) and ending after it.
	for p := i; p < j; {
		if tk.crossing(s, p, i, j) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[p:])
		p += size
	}
	return false
}

// crossing reports whether a dictionary word starts at p and ends strictly
// inside or beyond s[i:j] so that it crosses one of its edges.
func (tk *talk) crossing(s string, p, i, j int) bool {
	const maxRunes = 4
	q := p
	for n := 0; n < maxRunes && q < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[q:])
		q += size
		if n == 0 || q <= i || (p >= i && q <= j) || (p == i && q == j) {
			continue
		}
		// [p, q) overlaps s[i:j] and sticks out on one side.
		w := s[p:q]
		if !isHan(w) || tk.spoken(w) {
			continue
		}
		if _, ok := tk.a.WordFreq(w); ok {
			return true
		}
	}
	return false
}

// spoken reports whether w is one of the table's spoken words.
func (tk *talk) spoken(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	for _, x := range tk.words[r] {
		if x.from == w {
			return true
		}
	}
	return false
}

// rewriteLatin replaces runs of Latin letters that are shorthand or
// English words.
func (tk *talk) rewriteLatin(s string) string {
	// Without a catalogue to count in, a key is latinWord's word.
	out, ambiguous := tk.rewriteLatinAmong(s, tk.together == nil, nil)
	if !ambiguous {
		return out
	}
	// The message's other words, with the keys of several words left
	// out, choose each such key's word.
	var context []string
	for _, w := range tk.a.Words(out) {
		if utf8.RuneCountInString(w) >= 2 && tk.known(w) > 0 {
			context = append(context, w)
		}
	}
	out, _ = tk.rewriteLatinAmong(s, true, context)
	return out
}

// rewriteLatinAmong rewrites s's latin runs. A key of several words is
// the word context chooses, or when not choose is left as typed (and
// reported).
func (tk *talk) rewriteLatinAmong(s string, choose bool, context []string) (string, bool) {
	ambiguous := false
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] < 'a' || s[i] > 'z' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		run := s[i:j]
		// A word's pinyin typed a syllable at a time (liu cheng, yao jiao
		// qian): the longest run of up to four that spells a word.
		if to, k, ok := tk.spelledRun(s, i, j); ok {
			b.WriteString(to)
			i = k
			continue
		}
		// A pair of English words said as one: "id card", "social security".
		if k := j + 1; k < len(s) && s[j] == ' ' && s[k] >= 'a' && s[k] <= 'z' {
			for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
				k++
			}
			if to, ok := tk.latin[s[i:k]]; ok {
				b.WriteString(to)
				i = k
				continue
			}
		}
		to, ok := tk.latinWord(run)
		extra := tk.catalogueWords(run)
		several := (len(tk.alts[run]) > 1 || len(extra) > 0) && !(ok && tk.asks[to])
		switch {
		case tk.keep[run] || !ok && !several:
			b.WriteString(run)
		case several && !choose:
			ambiguous = true
			b.WriteString(run)
		case several:
			b.WriteString(tk.wordAmong(run, to, ok, extra, context))
		default:
			b.WriteString(to)
		}
		i = j
	}
	return b.String(), ambiguous
}

// wordAmong is, of key's words and extra (the catalogue's), the one
// the context's words choose. A word's support is how often its catalogue
// items hold the context's words, as a share of its own items (a common
// word is beside everything); context words most items hold (申请, 办理)
// tell nothing. wordAlone's choice stays unless another word is clearly
// meant: its items hold context words at least once per item on average
// and twice in all, and it has four times the support of latinWord's
// word (to, if ok).
func (tk *talk) wordAmong(key, to string, ok bool, extra, context []string) string {
	// Without context (or a catalogue to count in) nothing chooses.
	if len(context) == 0 {
		return tk.wordAlone(key, to, ok, extra)
	}
	common := tk.items() / 4
	var telling []string
	for _, c := range context {
		if tk.known(c) <= common {
			telling = append(telling, c)
		}
	}
	if len(telling) == 0 {
		return tk.wordAlone(key, to, ok, extra)
	}
	support := func(w string) (float64, int) {
		df := tk.known(w)
		if df == 0 {
			return 0, 0
		}
		n := 0
		for _, c := range telling {
			n += tk.together(w, c)
		}
		return float64(n) / float64(df), n
	}
	base := 0.0
	if ok {
		base, _ = support(to)
	}
	best, chosen := 0.0, ""
	for _, w := range append(slices.Clip(tk.alts[key]), extra...) {
		if ok && w == to {
			continue
		}
		if s, n := support(w); s >= 1 && n >= 2 && s >= 4*base && s > best {
			best, chosen = s, w
		}
	}
	if chosen != "" {
		return chosen
	}
	return tk.wordAlone(key, to, ok, extra)
}

// wordAlone is the word of a key that nothing beside it chooses:
// latinWord's (to, if ok), else the catalogue's one word of a key of four
// letters or more (sdfp), else the key as typed: two or three letters
// are too many words to guess.
func (tk *talk) wordAlone(key, to string, ok bool, extra []string) string {
	switch {
	case ok:
		return to
	case len(key) >= 4 && len(extra) == 1:
		return extra[0]
	}
	return key
}

// spelledRun finds, from the latin run s[i:j], the longest sequence of
// two to four space-separated runs that joined spell a word out in full,
// and returns the word and where the sequence ends.
func (tk *talk) spelledRun(s string, i, j int) (string, int, bool) {
	ends := []int{j}
	for k := j; len(ends) < 4 && k+1 < len(s) && s[k] == ' ' && s[k+1] >= 'a' && s[k+1] <= 'z'; {
		k++
		for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
			k++
		}
		ends = append(ends, k)
	}
	for n := len(ends) - 1; n >= 1; n-- {
		key := strings.ReplaceAll(s[i:ends[n]], " ", "")
		if !tk.spelled[key] {
			continue
		}
		if to, ok := tk.latinWord(key); ok {
			return to, ends[n], true
		}
	}
	return "", 0, false
}

// unstutter drops from the end of prev the words next starts by saying
// again ("我之前在 在长沙", "年限能不能 能不能合到"). One repeated character
// counts only when it is a function word (在, 我, 要), not part of a
// content word (社保 保险). Words said again are whole words of next: the
// end of prev that begins a longer word after the pause (出生 出生证) was
// said once.
func (tk *talk) unstutter(prev, next string) string {
	p, n := []rune(prev), []rune(next)
	var spans [][2]int
	for k := min(4, len(p)-1, len(n)); k >= 1; k-- {
		if string(p[len(p)-k:]) != string(n[:k]) {
			continue
		}
		if k == 1 && !tk.a.IsStop(string(n[:1])) {
			return prev
		}
		if spans == nil {
			spans = tk.a.WordSpans(next)
		}
		if slices.ContainsFunc(spans, func(sp [2]int) bool { return sp[0] < k && k < sp[1] }) {
			return prev
		}
		return string(p[:len(p)-k])
	}
	return prev
}

// chunk is a stretch of speech between pauses and the pause after it.
type chunk struct{ text, sep string }

func isPause(r rune) bool { return strings.ContainsRune(" ,.?!;:~", r) }

// stripInterjections removes the interjections' characters from a
// stretch of speech, except where a word holds one (喂饭).
func (tk *talk) stripInterjections(text string) string {
	kept := map[int]bool{}
	for _, w := range tk.inWords {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			for k := i + j; k < i+j+len(w); k++ {
				kept[k] = true
			}
			i += j + len(w)
		}
	}
	var b strings.Builder
	for i, r := range text {
		if tk.interjections[r] && !kept[i] {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tidyPauses removes what a transcript of speech holds besides the
// question: interjections, fillers, whole pauses of filler words,
// repeated words (在 在长沙), and words the speaker corrected.
func (tk *talk) tidyPauses(s string) string {
	var chunks []chunk
	start := 0
	for i, r := range s {
		if isPause(r) {
			if i > start || len(chunks) == 0 {
				chunks = append(chunks, chunk{text: s[start:i]})
			}
			chunks[len(chunks)-1].sep += string(r)
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(s) {
		chunks = append(chunks, chunk{text: s[start:]})
	}
	var kept []chunk
	for i := 0; i < len(chunks); i++ {
		c := chunks[i]
		c.text = tk.stripInterjections(c.text)
		for trimmed := true; trimmed; {
			trimmed = false
			for _, f := range tk.fillers {
				if strings.HasPrefix(c.text, f) {
					c.text, trimmed = c.text[len(f):], true
					break
				}
			}
		}
		// "驾照不是 我是说居住证": a correction said at the end of the
		// words it corrects, the corrected words opened after the pause.
		if i+1 < len(chunks) && tk.endsCorrected(c.text, chunks[i+1].text) {
			chunks[i+1].text = tk.trimRestate(chunks[i+1].text)
			continue
		}
		if len(kept) > 0 {
			if rest, ok := tk.correction(c.text); ok {
				// "结婚 不是 是离婚", "护照 说错了 我是说港澳通行证": drop what
				// was corrected and the words that open the correction.
				// A correction that goes on to ask another question ("失业金
				// 怎么领 不对 我是想问 网上能申请吗") corrects the question,
				// not the thing it was about: what was said stays.
				next := rest
				if next == "" && i+1 < len(chunks) {
					next = chunks[i+1].text
				}
				if !hasPrefixAny(next, questionRestates) {
					kept = kept[:len(kept)-1]
				}
				if rest = tk.trimRestate(rest); rest == "" {
					if i+1 < len(chunks) {
						chunks[i+1].text = tk.trimRestate(chunks[i+1].text)
					}
					continue
				}
				c.text = rest
			}
		}
		if c.text == "" || tk.pauses[c.text] {
			if len(kept) > 0 && c.sep != "" && strings.TrimSpace(c.sep) != "" {
				kept[len(kept)-1].sep = c.sep // keep a question mark
			}
			continue
		}
		if len(kept) > 0 {
			prev := kept[len(kept)-1].text
			if prev == c.text || utf8.RuneCountInString(prev) <= 4 && strings.HasPrefix(c.text, prev) {
				kept[len(kept)-1] = c // a stutter: the speaker said it again
				continue
			}
			if utf8.RuneCountInString(c.text) <= 2 && strings.HasSuffix(prev, c.text) {
				continue // "丢了 了": the pause repeats the end of the last
			}
			kept[len(kept)-1].text = tk.unstutter(prev, c.text)
		}
		kept = append(kept, c)
	}
	var b strings.Builder
	for i, c := range kept {
		b.WriteString(c.text)
		if i < len(kept)-1 {
			if sep := strings.TrimSpace(c.sep); sep != "" {
				b.WriteString(sep)
			} else {
				b.WriteByte(' ')
			}
		} else {
			b.WriteString(strings.TrimSpace(c.sep))
		}
	}
	return b.String()
}

// questionRestates open a correction that asks another question of the
// same thing.
var questionRestates = []string{"我是想问", "我想问的是", "我是问", "我问的是", "我是要问", "我要问的是"}

// correction reports whether a pause says the words before it were
// wrong — a correction word, said twice ("不对不对") or after 我 ("我说错
// 了") — and returns what follows a correction that opens the pause
// ("说错了港澳通行证" → 港澳通行证).
func (tk *talk) correction(text string) (string, bool) {
	t := strings.TrimPrefix(text, "我")
	if tk.corrections[t] || tk.corrections[text] {
		return "", true
	}
	for _, l := range tk.leads {
		if !strings.HasPrefix(t, l) {
			continue
		}
		rest := t[len(l):]
		for strings.HasPrefix(rest, l) {
			rest = rest[len(l):] // "不对不对"
		}
		if rest == "" || tk.corrections[rest] {
			return "", true
		}
		// Only words opened as a correction are one: "不对外开放吗",
		// "搞错了怎么办" go on with the question.
		if r := tk.trimRestate(rest); r != rest && r != "" {
			return r, true
		}
		return "", false
	}
	return "", false
}

// endsCorrected reports a pause ending in a correction word ("驾照不是")
// whose next pause opens the corrected words with more than a bare 是
// ("我是说居住证"): the whole pause was corrected.
func (tk *talk) endsCorrected(text, next string) bool {
	if _, ok := tk.correction(text); ok {
		return false // the pause is a correction by itself
	}
	for c := range tk.corrections {
		if rest, ok := strings.CutSuffix(text, c); ok && rest != "" {
			r := tk.trimRestate(next)
			return r != next && r != "" && !strings.HasPrefix(next, "是")
		}
	}
	return false
}

// trimRestate removes the words that open corrected words ("我是说").
func (tk *talk) trimRestate(text string) string {
	for _, r := range tk.restates {
		if strings.HasPrefix(text, r) {
			return text[len(r):]
		}
	}
	return text
}

// wordAt reports whether s opens with a dictionary word of at least n
// characters.
func (tk *talk) wordAt(s string, n int) bool {
	end := 0
	for k := 0; k < 5 && end < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		if k+1 < n {
			continue
		}
		if _, ok := tk.a.WordFreq(s[:end]); ok && isHan(s[:end]) {
			return true
		}
	}
	return false
}

// isHan reports whether s is all Chinese characters.
func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}
