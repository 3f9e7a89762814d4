package assistant

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// situation is a life event residents describe instead of naming a
// service (a birth, a death, losing a job …) and the items a clerk would
// consider for it (lexicon/situations.txt).
type situation struct {
	name   string
	words  []string
	family []string // count only next to a family member
	// paired words mean it only in a message that also says one of with:
	// 骨折 is a work injury when 上班 or 工地 is said too. A paired word
	// counts only said as a word (saidAsWord: 生的 of 医院生的, not of
	// 先生的) and not inside one of unless (生了病).
	paired, with, unless []string
	// act words mean it when one of on follows them in the same clause:
	// 开个 … 铺 (开个修手机的小铺) opens a business, 开个证明 does not.
	act, on []string
	// terms are catalogue words the synonym table adds for a message
	// (独居 from 我妈…一个人住): said in everyday words, they mean it too.
	terms []string
	items []string // catalogue item names, the usual first
	// held are items the situation says the resident has applied for
	// already (在排公租房 is in the queue of 公共租赁住房申请): named, such
	// an item is the story, and a cue may still choose another.
	held []string
	// cues are the words that, said in this situation, name one of its
	// items: 户口 after a birth is 新生儿入户登记, 社保 after moving city
	// is the transfer of the pension insurance.
	cues []situationCue
	// neverDeclined: a message describing it is asked about, never
	// declined (declined = never).
	neverDeclined bool
	// age, when not 0, means it for a person said to be at least that old
	// (我妈七十六, 九十一了, 82岁), in whatever numbers: residents give the
	// age, not the word for old age.
	age int
}

// situationCue is an item of a situation and the words naming it there.
type situationCue struct {
	item  string
	words []string
}

type situations struct {
	list    []situation
	members []string
	// added returns the catalogue words the synonym table adds for a
	// normalised message (nil: none are consulted).
	added func(norm string) []string
	// wordSpans returns the rune spans of the dictionary words of two or
	// more characters in a run of Chinese characters (nil: paired words
	// count wherever they occur).
	wordSpans func(run string) [][2]int
	// byFirst lists, per first character, the situations' words with the
	// index of the situation in list: a message is scanned once for all
	// of them (saying), not once per word. loose holds any word without a
	// valid first character, looked for on its own.
	byFirst map[rune][]situationWord
	loose   []situationWord
}

// situationWord is one of the words of the situation list[sit].
type situationWord struct {
	word string
	sit  int
}

// indexWords fills byFirst from the situations' words.
func (ss *situations) indexWords() {
	ss.byFirst = map[rune][]situationWord{}
	for i, s := range ss.list {
		for _, w := range s.words {
			c, n := utf8.DecodeRuneInString(w)
			if c == utf8.RuneError && n <= 1 {
				ss.loose = append(ss.loose, situationWord{w, i})
				continue
			}
			ss.byFirst[c] = append(ss.byFirst[c], situationWord{w, i})
		}
	}
}

// saying reports, for each situation, whether norm holds one of its words
// (firstOf(norm, s.words)).
func (ss *situations) saying(norm string) []bool {
	out := make([]bool, len(ss.list))
	for _, sw := range ss.loose {
		out[sw.sit] = out[sw.sit] || strings.Contains(norm, sw.word)
	}
	for i, c := range norm {
		for _, sw := range ss.byFirst[c] {
			if !out[sw.sit] && strings.HasPrefix(norm[i:], sw.word) {
				out[sw.sit] = true
			}
		}
	}
	return out
}

func loadSituations(norm func(string) string) (*situations, error) {
	out := &situations{}
	var cur *situation
	err := eachLine("situations.txt", func(line string) error {
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			out.list = append(out.list, situation{name: strings.Trim(line, "[]")})
			cur = &out.list[len(out.list)-1]
			return nil
		}
		key, rest, ok := strings.Cut(line, "=")
		if !ok || cur == nil {
			return errors.New(`want "[situation]" then "key = words"`)
		}
		var dst *[]string
		switch strings.TrimSpace(key) {
		case "words":
			dst = &cur.words
		case "family":
			dst = &cur.family
		case "paired":
			dst = &cur.paired
		case "with":
			dst = &cur.with
		case "unless":
			dst = &cur.unless
		case "act":
			dst = &cur.act
		case "on":
			dst = &cur.on
		case "terms":
			dst = &cur.terms
		case "items":
			dst = &cur.items
		case "held":
			dst = &cur.held
		case "age":
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil || n <= 0 {
				return errors.New(`want "age = years"`)
			}
			cur.age = n
			return nil
		case "declined":
			if strings.TrimSpace(rest) != "never" {
				return errors.New(`want "declined = never"`)
			}
			cur.neverDeclined = true
			return nil
		case "cue":
			item, words, ok := strings.Cut(rest, ":")
			if !ok || strings.TrimSpace(item) == "" || len(strings.Fields(words)) == 0 {
				return errors.New(`want "cue = item name : words"`)
			}
			c := situationCue{item: strings.TrimSpace(item)}
			for _, w := range strings.Fields(words) {
				c.words = append(c.words, norm(w))
			}
			cur.cues = append(cur.cues, c)
			return nil
		default:
			return fmt.Errorf("unknown key %q", strings.TrimSpace(key))
		}
		for _, w := range strings.Fields(rest) {
			if dst == &cur.items || dst == &cur.held {
				*dst = append(*dst, w) // names are matched as the catalogue writes them
			} else {
				*dst = append(*dst, norm(w))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The family-member list is a section of its own.
	kept := out.list[:0]
	for _, s := range out.list {
		if s.name == "_family" {
			out.members = s.words
			continue
		}
		kept = append(kept, s)
	}
	out.list = kept
	out.indexWords()
	return out, nil
}

// detect returns the situations a message describes.
func (ss *situations) detect(norm string) []*situation {
	var out []*situation
	_, family := firstOf(norm, ss.members)
	var added []string
	if ss.added != nil {
		added = ss.added(norm)
	}
	saying := ss.saying(norm)
	for i := range ss.list {
		s := &ss.list[i]
		ok := saying[i]
		if !ok && family {
			_, ok = firstOf(norm, s.family)
		}
		if !ok && len(s.paired) > 0 {
			_, w := firstOf(norm, s.with)
			ok = w && ss.saidAsWord(norm, s.paired, s.unless, nil)
		}
		if !ok && len(s.act) > 0 && hasAny(norm, s.on) { // most messages name no shop: spared the segmenting
			ok = ss.saidAsWord(norm, s.act, s.unless, s.on)
		}
		if !ok {
			ok = slices.ContainsFunc(s.terms, func(t string) bool { return slices.Contains(added, t) })
		}
		if !ok && s.age > 0 {
			ok = saysAgeOf(norm, s.age, ss.members)
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// saidAsWord reports one of words said as a word: its first character
// does not end a longer dictionary word (生的 of 医院生的, not of 先生的
// or 学生的), no dictionary word begins inside it and runs past its end
// (要开 of 要开车), and it is outside the unless phrases (生了病). With
// objects, one of them must follow it in the same clause (开个 … 铺).
func (ss *situations) saidAsWord(norm string, words, unless, objects []string) bool {
	for _, u := range unless {
		norm = strings.ReplaceAll(norm, u, " ")
	}
	for _, run := range strings.FieldsFunc(norm, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
		var spans [][2]int
		if ss.wordSpans != nil {
			spans = ss.wordSpans(run)
		}
		rs := []rune(run)
		for _, w := range words {
			wr := []rune(w)
			for i := 0; i+len(wr) <= len(rs); i++ {
				end := i + len(wr)
				if string(rs[i:end]) != w || slices.ContainsFunc(spans, func(sp [2]int) bool {
					return sp[0] < i && sp[1] == i+1 && !slices.Contains(modals, string(rs[sp[0]:i])) || sp[0] >= i && sp[0] < end && sp[1] > end
				}) {
					continue
				}
				if _, ok := firstOf(string(rs[end:]), objects); ok || objects == nil {
					return true
				}
			}
		}
	}
	return false
}

// modals are what may stand before a verb in a word the dictionary
// holds (想开 "get over it", 要生): 想开个 is still 开个 said as a word.
var modals = []string{"想", "要", "准备", "打算", "刚"}

// Situation weights, chosen on the development sets: an item of a
// described situation scores this much more, and one retrieval missed
// joins the candidates at this share of the best score.
const (
	situationBoost = 0.5
	situationFloor = 0.5
	// An item outside the described situations that matched only words
	// naming no service (证, 要办, 福田, the family member, the story's
	// own words) keeps this share of its score: below every item of the
	// situation, which join at situationFloor or more.
	storyOnlyWeight = 0.25
)

// situate raises the items of the situations a message describes among
// the retrieved hits, adding those retrieval missed.
func (as *Assistant) situate(sits []*situation, q search.Query, hits []search.Hit) []search.Hit {
	if len(sits) == 0 {
		return hits
	}
	// A question that names an item (its best hit covers the item's name)
	// is ranked by what it says; the situation helps the ones that
	// describe a life event without naming any service. A name reached
	// only through a generic word the story's own words expand to (走了 →
	// 注销 of 清税注销) is the story told, not an item named.
	named := len(hits) > 0 && hits[0].Coverage >= switchCoverage && !as.unaskedVariant(sits, q, hits[0])
	if named && !as.namedByStory(sits, hits[0], q, true) {
		// Named through the story's words alone (刚生 → 新生儿), the items
		// it shares only words of no weight with still give way.
		if as.namedByStory(sits, hits[0], q, false) {
			return as.demoteGeneric(sits, q, hits)
		}
		return hits
	}
	out := as.demoteUnrelated(sits, q, hits)
	byName := map[string]*search.Hit{}
	ids := map[string]string{}
	for _, it := range as.cfg.Index.Items() {
		ids[it.Name] = it.ID
	}
	top := 1.0
	if len(hits) > 0 {
		top = hits[0].Score
	}
	for i := range out {
		byName[out[i].Name] = &out[i]
	}
	raised := map[string]bool{}
	for _, s := range sits {
		for r, name := range s.items {
			if raised[name] {
				continue
			}
			raised[name] = true
			if h, ok := byName[name]; ok {
				h.Score *= 1 + situationBoost
				continue
			}
			id, ok := ids[name]
			if !ok {
				continue
			}
			out = append(out, search.Hit{ID: id, Name: name, Score: top * situationFloor * (1 - 0.05*float64(r))})
			byName[name] = &out[len(out)-1]
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// unaskedVariant reports a hit outside the described situations named
// for a variant (营业执照补领) the question does not ask, in a story told
// in words apart from the hit's name: a licence said while opening a
// shop is the first one, which the situation's items issue, not its
// replacement. (A marriage known only by 结婚证 is that paper's story.)
func (as *Assistant) unaskedVariant(sits []*situation, q search.Query, h search.Hit) bool {
	if inSituations(sits, h.Name) || as.asksVariant(withoutStory(q, sits)) {
		return false
	}
	if !as.isVariant(h.Name) {
		return false
	}
	apart := q.Norm
	for _, n := range h.NameTerms {
		apart = strings.ReplaceAll(apart, n, " ")
	}
	return len(as.situations.detect(apart)) > 0
}

// demoteUnrelated lowers the hits outside the situations that the story
// shares only a word of no weight with (证 of 食品经营许可证 in "刚生完孩子
// 要办什么证", 老婆 of 夫妻投靠入户): they are not what it calls for.
func (as *Assistant) demoteUnrelated(sits []*situation, q search.Query, hits []search.Hit) []search.Hit {
	out := append([]search.Hit(nil), hits...)
	for i := range out {
		if inSituations(sits, out[i].Name) {
			continue
		}
		if !as.hasEvidence(sits, q, out[i]) {
			out[i].Score *= storyOnlyWeight
			continue
		}
		// The story's own words (搬家 in 义务教育阶段转学申请's text) are
		// evidence for the situation, not for an item outside it: such
		// an item keeps the share of its matched words' salience that the
		// rest of the question gives it.
		out[i].Score *= 1 - as.storyShare(sits, q, out[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// storyShare is the share of a hit's matched words, weighed by salience,
// that only the story's own words produced, besides words of its name.
func (as *Assistant) storyShare(sits []*situation, q search.Query, h search.Hit) float64 {
	var all, story float64
	name := as.a.Normalize(h.Name)
	for _, t := range h.Terms {
		sal := as.salience(t)
		all += sal
		if strings.Contains(name, t) {
			continue // 学位 of 民办学校学位补贴申领 names the item
		}
		only := false
		for _, w := range q.Words {
			if w.Text != t {
				continue
			}
			origin := []string{w.Text}
			if w.Source != search.FromQuery && w.From != "" {
				origin = strings.Split(w.From, "|")
			}
			only = !slices.ContainsFunc(origin, func(o string) bool { return !storyWord(sits, o) })
			break
		}
		if only {
			story += sal
		}
	}
	if all == 0 {
		return 0
	}
	return story / all
}

// demoteGeneric lowers the hits outside the situations that matched
// generic words only (证, 要办).
func (as *Assistant) demoteGeneric(sits []*situation, q search.Query, hits []search.Hit) []search.Hit {
	out := append([]search.Hit(nil), hits...)
	for i := range out {
		if !inSituations(sits, out[i].Name) && as.onlyGenericTerms(q, out[i]) {
			out[i].Score *= storyOnlyWeight
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// onlyGenericTerms reports a hit whose matched words all come from
// generic words of the question (证, 要办 and its synonym 申领).
func (as *Assistant) onlyGenericTerms(q search.Query, h search.Hit) bool {
	for _, t := range h.Terms {
		for _, w := range q.Words {
			if w.Text != t {
				continue
			}
			origin := []string{w.Text}
			if w.Source != search.FromQuery && w.From != "" {
				origin = strings.Split(w.From, "|")
			}
			for _, o := range origin {
				if !as.generic[o] && !as.familyWord(o) {
					return false
				}
			}
		}
	}
	return len(h.Terms) > 0
}

// neverDeclined reports a described situation that is never declined
// as out of scope (an illness, a disability, old age).
func neverDeclined(sits []*situation) bool {
	return slices.ContainsFunc(sits, func(s *situation) bool { return s.neverDeclined })
}

// inSituations reports an item the situations list or cue.
func inSituations(sits []*situation, name string) bool {
	for _, s := range sits {
		if slices.Contains(s.items, name) || slices.ContainsFunc(s.cues, func(c situationCue) bool { return c.item == name }) {
			return true
		}
	}
	return false
}

// hasEvidence reports a hit that matched a word of the question that
// says something of a service: not a generic word (证, 办, 登记), not the
// wrapping of a request (政府), not a place of this district, not a
// family member and not a word of the story itself (走了, 刚生), whether
// the question says it or a synonym of it matched.
func (as *Assistant) hasEvidence(sits []*situation, q search.Query, h search.Hit) bool {
	origin := map[string][]string{}
	for _, w := range q.Words {
		if w.Source == search.FromQuery || w.From == "" {
			origin[w.Text] = append(origin[w.Text], w.Text)
		} else {
			origin[w.Text] = append(origin[w.Text], strings.Split(w.From, "|")...)
		}
	}
	name := as.a.Normalize(h.Name)
	for _, t := range h.Terms {
		if as.generic[t] {
			continue // 补领 that 找不到 expands to says no more than 补领
		}
		for _, o := range origin[t] {
			// A word of the story that is part of the item's name
			// (结婚 of 补领结婚证) names the item.
			if as.weighs(sits, o) || len([]rune(o)) >= 2 && !as.generic[o] && strings.Contains(name, o) {
				return true
			}
		}
	}
	return false
}

// weighs reports a word of a story that says something of a service.
func (as *Assistant) weighs(sits []*situation, w string) bool {
	if len([]rune(w)) < 2 || as.generic[w] || as.frames[w] || as.a.IsStop(w) || storyWord(sits, w) {
		return false
	}
	if slices.Contains(as.scopes.ours, w) {
		return false
	}
	return !as.familyWord(w)
}

// familyWord reports a family member (我爸, 老婆).
func (as *Assistant) familyWord(w string) bool {
	for _, m := range as.situations.members {
		if strings.Contains(w, m) && len([]rune(w)) <= len([]rune(m))+1 {
			return true
		}
	}
	return false
}

// namedByStory reports a hit whose name words the question has only as
// synonyms of the described situations' own words: "走了" expands to 注销,
// which names 清税注销 as much as the death's 死亡人员户口注销. With
// generic, the name words must be generic ones, which any synonym may
// have given (找不到 → 补领 of 居民身份证补领 in a story of dementia).
func (as *Assistant) namedByStory(sits []*situation, h search.Hit, q search.Query, generic bool) bool {
	if len(h.NameTerms) == 0 {
		return false
	}
	for _, n := range h.NameTerms {
		if generic && !as.generic[n] {
			return false
		}
		for _, w := range q.Words {
			if w.Text != n {
				continue
			}
			if w.Source == search.FromQuery || w.From == "" {
				return false
			}
			if generic {
				continue // a generic word a synonym gave (找不到 → 补领)
			}
			for _, f := range strings.Split(w.From, "|") {
				if !storyWord(sits, f) {
					return false
				}
			}
		}
	}
	return true
}

// storyWord reports a word that is, or is part of, a word the described
// situations are recognised by.
func storyWord(sits []*situation, w string) bool {
	for _, s := range sits {
		for _, x := range slices.Concat(s.words, s.family, s.paired, s.act) {
			if strings.Contains(x, w) {
				return true
			}
		}
	}
	return false
}

// SituationItems lists each life situation's item names (its items,
// those it holds and those its cues name) as the shipped data gives them,
// for checking them against a catalogue.
func SituationItems() map[string][]string {
	ss, err := loadSituations(func(s string) string { return s })
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, s := range ss.list {
		out[s.name] = s.items
		names := slices.Clone(s.held)
		for _, c := range s.cues {
			names = append(names, c.item)
		}
		for _, n := range names {
			if !slices.Contains(out[s.name], n) {
				out[s.name] = append(out[s.name], n)
			}
		}
	}
	return out
}

// heldIn reports an item one of the described situations says the
// resident has applied for already.
func heldIn(sits []*situation, name string) bool {
	return slices.ContainsFunc(sits, func(s *situation) bool { return slices.Contains(s.held, name) })
}

// cueWords returns the words that cue item in the described situations.
func cueWords(sits []*situation, item string) []string {
	var out []string
	for _, s := range sits {
		for _, c := range s.cues {
			if c.item == item {
				out = append(out, c.words...)
			}
		}
	}
	return out
}

// cued returns the one item the described situations' cues name in the
// message: within a situation a clerk hears "户口" as the newborn's
// registration. Several items cued, or none, name nothing.
func (ss *situations) cued(sits []*situation, norm string) (string, bool) {
	item, _ := ss.cuedBy(sits, norm)
	return item, item != ""
}

// longestOf returns the longest of words that text holds (保租房, not
// the 租房 inside it).
func longestOf(text string, words []string) (string, bool) {
	best := ""
	for _, w := range words {
		if len(w) > len(best) && strings.Contains(text, w) {
			best = w
		}
	}
	return best, best != ""
}

// cuedBy is cued with the cue word that named the item (the longest).
// When the whole message cues several items, its last two clauses, where
// a spoken message asks its question after the story, may cue one
// (医院给了张出生证 … 孩子户口落我名下 要带些什么: the newborn's
// registration, not the birth certificate).
func (ss *situations) cuedBy(sits []*situation, norm string) (item, word string) {
	item, word, several := cuedIn(sits, norm)
	if !several {
		return item, word
	}
	if cs := clauses(norm); len(cs) > 2 {
		if item, word, several = cuedIn(sits, strings.Join(cs[len(cs)-2:], " ")); !several {
			return item, word
		}
	}
	return "", ""
}

// cuedIn is the item the situations' cues name in text, with its cue
// word; several reports more than one item cued.
func cuedIn(sits []*situation, text string) (item, word string, several bool) {
	for _, s := range sits {
		for _, c := range s.cues {
			w, ok := longestOf(text, c.words)
			if !ok || c.item == item {
				continue
			}
			if item != "" {
				return "", "", true
			}
			item, word = c.item, w
		}
	}
	return item, word, false
}

// ageSaid finds an age in Chinese numerals or digits: 七十六, 九十一, 八十,
// 一百, 82. What follows it tells whether it is one (岁, 了, 出头, 多岁).
var ageSaid = regexp.MustCompile(`([一二三四五六七八九])?十([一二三四五六七八九])?|一百|[1-9][0-9]`)

// saysAgeOf reports a person said to be at least min years old: a number
// followed by 岁, 了, 出头 or 多 (岁), or said right after a family member
// (我妈七十六) and ending its clause.
func saysAgeOf(norm string, min int, members []string) bool {
	for _, loc := range ageSaid.FindAllStringSubmatchIndex(norm, -1) {
		n := ageValue(norm[loc[0]:loc[1]])
		if n < min || n > 120 {
			continue
		}
		rest := norm[loc[1]:]
		if hasAnyPrefix(rest, ageAfter) {
			return true
		}
		before := strings.TrimRight(norm[:loc[0]], "今年已经都快 ")
		if rest == "" || strings.IndexAny(rest[:1], " ,.?!;") == 0 {
			if hasAnySuffix(before, members) {
				return true
			}
		}
	}
	return false
}

// ageAfter follow a number that is an age.
var ageAfter = []string{"岁", "周岁", "了", "出头", "多岁", "几岁", "好几", "多了", "几了"}

// ageValue reads an age said in Chinese numerals (七十六) or digits (76).
func ageValue(s string) int {
	if s == "一百" {
		return 100
	}
	n, _ := cnNumber(s)
	return n
}
