package assistant

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// distinguish decides between close candidates. A question that says
// much (more than a few content words) is ranked, not questioned back:
// the best candidate wins. A short one picks the candidate that alone
// matched words the others did not (遗失 for 社会保障卡补换 against
// 社会保障卡申领); when several did, the best of them. When none did, the
// question names a family of items: if it asks to get something new (办,
// 申请) and exactly one of them is the basic item rather than a variant
// (补领, 换领, 续期 …), that one; otherwise it is ambiguous.
func (as *Assistant) distinguish(t *turnState, q search.Query, close []search.Hit) (search.Hit, bool) {
	if as.richness(t.content) > 3 {
		return close[0], true
	}
	origin, origins, count := as.queryOrigins(q, close)
	// The one candidate whose name holds the thing the question names
	// (户口本 → 居民户口簿补领换领), when the others hold it only among
	// their materials and share with the question just the action (补领).
	things := make([]map[string]bool, len(close))
	named := -1
	held := make([][]string, len(close))
	var all []string
	for i, h := range close {
		name := as.a.Normalize(h.Name)
		for _, w := range q.Words {
			if len([]rune(w.Text)) < 2 || as.generic[w.Text] || as.variants[w.Text] || !strings.Contains(name, w.Text) {
				continue
			}
			if slices.Contains(as.audiences, w.Text) {
				continue // a group of people, not a thing (老人)
			}
			held[i] = append(held[i], w.Text)
			all = append(all, w.Text)
		}
	}
	for i := range close {
		things[i] = map[string]bool{}
		for _, w := range held[i] {
			// The question said the longer word: 养老 of 养老金 is not
			// what it names when another name holds all of 养老金.
			if slices.ContainsFunc(all, func(v string) bool { return len(v) > len(w) && strings.Contains(v, w) }) {
				continue
			}
			for _, o := range origin[w] {
				if !as.generic[o] && !as.variants[o] {
					things[i][o] = true
				}
			}
		}
		if len(things[i]) > 0 {
			if named >= 0 {
				named = -2 // several names hold a thing: a family
			} else if named == -1 {
				named = i
			}
		}
	}
	if named >= 0 {
		return close[named], true
	}
	if named == -2 && asksDetail(t.aspect) {
		// The question asks a detail (how long, where) of a family of
		// items it names (出生医学证明 of 签发 and 补发): a candidate whose
		// name does not hold that thing, however many other words it
		// matched (宝宝), is not what is asked.
		var fc []search.Hit
		var fo, ft []map[string]bool
		for i := range close {
			if len(things[i]) > 0 {
				fc, fo, ft = append(fc, close[i]), append(fo, origins[i]), append(ft, things[i])
			}
		}
		close, origins, things = fc, fo, ft
		if len(close) == 1 {
			return close[0], true
		}
	}
	// One candidate accounting for everything any other does, and more.
	for i, h := range close {
		wins := len(origins[i]) > 0
		for j := range close {
			if i != j && !(len(origins[j]) < len(origins[i]) && subset(origins[j], origins[i])) {
				wins = false
				break
			}
		}
		if wins {
			return h, true
		}
	}
	for i, h := range close {
		for o := range origins[i] {
			if count[o] == 1 {
				return h, true // close is best first: the best with words of its own
			}
		}
	}
	// Of a pair, an item for a group the question does not mention gives
	// way to the one for everyone (a general item and its version for a
	// group is the usual pair; with more candidates, the question is
	// simply vague).
	// A message that is only the thing both names hold ("贴息", "优待证的
	// 事"), asking for nothing, says nothing that could choose: ask.
	bare := named == -2 && as.richness(t.content) <= 1 && !hasAny(t.in.norm, wantNew)
	if len(close) == 2 && !bare {
		a, b := as.restricted(close[0].Name, q), as.restricted(close[1].Name, q)
		if a != b {
			if a {
				return close[1], true
			}
			return close[0], true
		}
	}
	if as.asksVariant(q) {
		// Asking to replace (补结婚证): the one variant among them.
		var vs []search.Hit
		for _, h := range close {
			if as.isVariant(h.Name) {
				vs = append(vs, h)
			}
		}
		if len(vs) == 1 {
			return vs[0], true
		}
		// Of several variants, the one whose name says the asked verb:
		// 换 is 换领, not 补领.
		if h, ok := as.askedVariant(q, vs); ok {
			return h, true
		}
		return search.Hit{}, false
	}
	if h, ok := as.shortVerb(q, close); ok {
		return h, true
	}
	// Asking to get it, or asking a detail of getting it (几天能拿到, 在哪
	// 领, 多少钱) without a word of replacing it: the basic item of the
	// family the question names, not its 补发.
	if !hasAny(t.in.norm, wantNew) && !asksDetail(t.aspect) {
		return search.Hit{}, false
	}
	var base []search.Hit
	for i, h := range close {
		if !as.isVariant(h.Name) && (named != -2 || len(things[i]) > 0) {
			base = append(base, h)
		}
	}
	if len(base) == 1 {
		return base[0], true
	}
	return search.Hit{}, false
}

// queryOrigins says, for each candidate, which words of the question it
// matched, each word counted as what in the question produced it: 津贴
// and 补贴 matched for one word 补贴 distinguish nothing. origin maps a
// matched term to those words; count is how many candidates matched each.
func (as *Assistant) queryOrigins(q search.Query, close []search.Hit) (origin map[string][]string, origins []map[string]bool, count map[string]int) {
	origin = map[string][]string{}
	for _, w := range q.Words {
		if w.Source == search.FromQuery {
			origin[w.Text] = []string{w.Text}
		}
	}
	for _, w := range q.Words {
		if w.Source == search.FromQuery {
			continue
		}
		// A synonym matched for a phrase said in parts (医保…外地能用 →
		// 异地就医) accounts for the question's words in those parts too
		// (外地): an item holding only one of them has no word of its own.
		from := strings.Split(w.From, "|")
		for _, f := range from {
			if !strings.Contains(f, "…") {
				continue
			}
			for _, part := range strings.Split(f, "…") {
				for qw := range origin {
					if len(origin[qw]) == 1 && origin[qw][0] == qw && strings.Contains(part, qw) && !slices.Contains(from, qw) {
						from = append(from, qw)
					}
				}
			}
		}
		origin[w.Text] = from
	}
	count = map[string]int{}
	origins = make([]map[string]bool, len(close))
	for i, h := range close {
		origins[i] = map[string]bool{}
		for _, w := range h.Terms {
			if as.a.IsStop(w) || len([]rune(w)) < 2 {
				continue
			}
			for _, o := range origin[w] {
				origins[i][o] = true
			}
		}
		for o := range origins[i] {
			count[o]++
		}
	}
	return origin, origins, count
}

// choices are the close candidates to offer when none can be chosen:
// all but those that matched only words another candidate matched too,
// and fewer of them (户口迁出 for 外地 beside the two items of 异地就医,
// which matched 外地 within 医保…外地): such an item explains nothing of
// the question the others leave out. The best stays.
func (as *Assistant) choices(q search.Query, close []search.Hit) []search.Hit {
	_, origins, _ := as.queryOrigins(q, close)
	out := close[:1:1]
	for i := 1; i < len(close); i++ {
		dominated := false
		for j := range close {
			if j != i && len(origins[i]) < len(origins[j]) && subset(origins[i], origins[j]) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, close[i])
		}
	}
	if len(out) < 2 {
		return close // a question offers a choice
	}
	return out
}

// asksVariant reports a question asking for a variant of an item (补领,
// 换领, 续期 …).
func (as *Assistant) asksVariant(q search.Query) bool {
	for _, w := range q.Words {
		if as.variants[w.Text] {
			return true
		}
		// A variant's verb said alone: 补 (补领), 换 (换领), or after a
		// modal the segmenter keeps with it (要换, 去补).
		verb := w.Text
		if rs := []rune(verb); len(rs) == 2 && w.Source == search.FromQuery && strings.ContainsRune("要想去能得再", rs[0]) {
			verb = string(rs[1])
		}
		if utf8.RuneCountInString(verb) == 1 {
			for v := range as.variants {
				if strings.HasPrefix(v, verb) {
					return true
				}
			}
		}
	}
	return false
}

// askedVariant returns the one variant whose name holds a variant word
// the question says, or the verb of one said alone (换 of 换领).
func (as *Assistant) askedVariant(q search.Query, vs []search.Hit) (search.Hit, bool) {
	var asked []string
	for _, w := range q.Words {
		if as.variants[w.Text] {
			asked = append(asked, w.Text)
			continue
		}
		if utf8.RuneCountInString(w.Text) == 1 {
			for v := range as.variants {
				if strings.HasPrefix(v, w.Text) {
					asked = append(asked, w.Text)
					break
				}
			}
		}
	}
	// Only variants of one thing the question names (身份证 in both
	// 居民身份证换领 and 居民身份证补领): "换证" with 身份证 and 残疾人证
	// among them says which verb, not which document.
	if !as.namesSharedThing(q, vs) {
		return search.Hit{}, false
	}
	found, n := search.Hit{}, 0
	for _, h := range vs {
		name := as.a.Normalize(h.Name)
		if slices.ContainsFunc(asked, func(w string) bool { return strings.Contains(name, w) }) {
			found, n = h, n+1
		}
	}
	return found, n == 1
}

// namesSharedThing reports a question word, neither generic nor a
// variant, that every candidate's name holds.
func (as *Assistant) namesSharedThing(q search.Query, hs []search.Hit) bool {
	for _, w := range q.Words {
		if w.Source != search.FromQuery || utf8.RuneCountInString(w.Text) < 2 || as.generic[w.Text] || as.variants[w.Text] {
			continue
		}
		all := true
		for _, h := range hs {
			if !strings.Contains(as.a.Normalize(h.Name), w.Text) {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

// shortVerb returns the one candidate whose name has a verb the question
// says by its first character alone, as people do in speech: "能报吗"
// is 报销, "能迁吗" 迁出.
func (as *Assistant) shortVerb(q search.Query, close []search.Hit) (search.Hit, bool) {
	found, n := search.Hit{}, 0
	for _, h := range close {
		name := []rune(as.a.Normalize(h.Name))
		says := false
		for _, w := range q.Words {
			if w.Source != search.FromQuery || utf8.RuneCountInString(w.Text) != 1 || as.a.IsStop(w.Text) {
				continue
			}
			// A two-character word of the name beginning with it (报销
			// inside 零星报销).
			for i := 0; i+1 < len(name); i++ {
				if string(name[i]) != w.Text {
					continue
				}
				if _, ok := as.a.WordFreq(string(name[i : i+2])); ok {
					says = true
				}
			}
		}
		if says {
			found, n = h, n+1
		}
	}
	return found, n == 1
}

// wantNew are words of getting something for the first time.
var wantNew = []string{"办", "申请", "申领", "领", "开通", "注册", "新"}

// richness counts the content words of a message that carry meaning.
func (as *Assistant) richness(content string) int {
	n := 0
	for _, w := range as.a.Words(content) {
		if as.salience(w) >= 1 {
			n++
		}
	}
	return n
}

// substance counts the content words that carry meaning besides the
// wrapping of a request (政府, 有没有).
func (as *Assistant) substance(content string) int {
	n := 0
	for _, w := range as.a.Words(content) {
		if as.salience(w) >= 1 && !as.frames[w] {
			n++
		}
	}
	return n
}

// byContext settles an ambiguous new question from the conversation: the
// one candidate that mentions the item just discussed ("拿到之后怎么上户口"
// after 出生医学证明 means 新生儿入户, whose materials list it) or shares
// a word of its name (公积金 after 养老金（退休）: 住房公积金提取（退休）).
func (as *Assistant) byContext(t *turnState, close []search.Hit) (search.Hit, bool) {
	// A reply to "which one?" that describes the resident's situation
	// instead of naming an item: the item the situation lists. (On a
	// first message a situation among close items is asked about.)
	if len(t.state.Candidates) > 0 {
		if h, ok := as.bySituation(t, close); ok {
			return h, true
		}
	}
	cur, ok := as.cfg.Index.Item(t.state.Item)
	if !ok {
		return search.Hit{}, false
	}
	var words []string
	for _, w := range as.a.Segment(as.a.Normalize(cur.Name)) {
		if len([]rune(w)) >= 2 && !as.a.IsStop(w) {
			words = append(words, w)
		}
	}
	best, bestN, ties := search.Hit{}, 0, 0
	for _, h := range close {
		it, ok := as.cfg.Index.Item(h.ID)
		if !ok || it.ID == cur.ID {
			continue
		}
		text := as.a.Normalize(itemText(it))
		n := 0
		for _, w := range words {
			if strings.Contains(text, w) {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, ties = h, n, 1
		case n == bestN && n > 0:
			ties++
		}
	}
	return best, bestN > 0 && ties == 1
}

func itemText(it *kb.Item) string {
	var b strings.Builder
	b.WriteString(it.Name + " " + it.Summary)
	for _, c := range it.Conditions {
		b.WriteString(" " + c)
	}
	for _, m := range it.Materials {
		b.WriteString(" " + m.Name)
	}
	return b.String()
}

// restricted reports whether an item's name names a group of people that
// none of the question's words (or their synonyms) mention.
func (as *Assistant) restricted(name string, q search.Query) bool {
	norm := as.a.Normalize(name)
	for _, g := range as.audiences {
		if !strings.Contains(norm, g) {
			continue
		}
		if !as.groupMentioned(g, q, false) {
			return true
		}
	}
	return false
}

func (as *Assistant) isVariant(name string) bool {
	norm := as.a.Normalize(name)
	for v := range as.variants {
		if strings.Contains(norm, v) {
			return true
		}
	}
	return false
}

// asksDetail reports an aspect that asks one detail of getting an item
// (how long, where, how much, what to bring, online, booking, whom to
// call) rather than how it goes or who may have it.
func asksDetail(a Aspect) bool {
	switch a {
	case TimeLimit, Location, Fee, Materials, Online, Appointment, Contact:
		return true
	}
	return false
}

// bySituation picks, of close candidates, the one a described life
// situation lists.
func (as *Assistant) bySituation(t *turnState, close []search.Hit) (search.Hit, bool) {
	// A described life situation (摆个早餐摊: opening a business) lists
	// the items a clerk would consider for it: of close candidates, the
	// one it lists (个体工商户设立登记, not 注销). A situation word that is
	// part of a candidate's name (结婚那个, 出生证) names that item rather
	// than describing a situation: the rule does not apply.
	var listed []search.Hit
	names := make([]string, len(close))
	for i, h := range close {
		names[i] = as.a.Normalize(h.Name)
	}
	for _, h := range close {
		if slices.ContainsFunc(t.situations, func(s *situation) bool {
			w, ok := firstOf(t.in.norm, s.words)
			return ok && slices.Contains(s.items, h.Name) &&
				!slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, w) })
		}) {
			listed = append(listed, h)
		}
	}
	if len(listed) == 1 {
		return listed[0], true
	}
	return search.Hit{}, false
}

// groupMentioned reports whether a word of q (or its synonyms) mentions
// the group g: holds it, is a part of it of two characters or more, or
// is one of its aliases. With byThing, a synonym read from the group's
// thing alone (优待证 → 退役军人优待证) does not count.
func (as *Assistant) groupMentioned(g string, q search.Query, byThing bool) bool {
	for _, w := range q.Words {
		if strings.Contains(w.Text, g) && !(byThing && saysThingOnly(w, g)) ||
			strings.Contains(g, w.Text) && utf8.RuneCountInString(w.Text) >= 2 || slices.Contains(as.audienceAlias[g], w.Text) {
			return true
		}
	}
	return false
}
