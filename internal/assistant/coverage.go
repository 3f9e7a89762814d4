package assistant

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// explained measures how much of the question the best items account
// for: the question's dictionary words (weighted by how rare they are in
// everyday Chinese), and the share of them matched directly or through a
// synonym or a pinyin correction. It also returns the most salient word
// nothing accounts for. A question about 护照 or 驾驶证 matches 换领 in
// the catalogue but leaves its main word unexplained.
func (as *Assistant) explained(content string, q search.Query, hits []search.Hit) (float64, string) {
	matched := map[string]bool{}
	for i, h := range hits {
		if i >= 3 {
			break
		}
		for _, w := range h.Terms {
			matched[w] = true
		}
	}
	// Phrases and windows whose expansions matched explain their words.
	var produced []string
	for _, t := range q.Words {
		if t.Source != search.FromQuery && matched[t.Text] {
			produced = append(produced, strings.Split(t.From, "|")...)
		}
	}
	var total, have, worst float64
	unknown := ""
	for _, u := range as.contentUnits(content) {
		w := u.text
		if as.frames[w] {
			continue // 政府, 有没有: the wrapping of a request, not its content
		}
		sal := as.salience(w)
		if u.run {
			// A run weighs as its characters, except in the clause that
			// asks, where it is the thing asked for (请月嫂): a word the
			// dictionary lacks, as rare as its rarest.
			sal = 0.2 * float64(utf8.RuneCountInString(w))
			if u.asking {
				sal = max(sal, runSalience)
			}
		}
		total += sal
		ok := matched[w]
		if u.run {
			ok = false // 月 of 月嫂 matched alone explains nothing
		}
		for _, p := range produced {
			if strings.Contains(p, w) || strings.Contains(w, p) {
				ok = true
			}
		}
		if !ok {
			for m := range matched {
				if len([]rune(m)) >= 2 && strings.Contains(w, m) {
					ok = true // 公积金贷款 explained by 公积金
				}
			}
		}
		if ok {
			have += sal
		} else if sal > worst {
			worst, unknown = sal, w
		}
	}
	if total == 0 {
		return 1, ""
	}
	return have / total, unknown
}

// contentUnits are the question's words, with each run of single
// characters standing side by side in it (月 嫂, 饮 早 茶: what a word the
// dictionary lacks falls apart into) joined into one unknown word. A
// character of the run that an item's text happens to hold (月) does not
// explain the word it is part of. Generic characters (办, 补, 开) and
// the wrapping of a request are words of their own and end a run. A unit
// in the last clause, the one that asks, is marked asking.
func (as *Assistant) contentUnits(content string) []contentUnit {
	words := as.a.Words(content)
	out := make([]contentUnit, 0, len(words))
	lastClause := strings.LastIndexAny(strings.TrimRight(content, " ,.?!;"), " ,.?!;") + 1
	cur, runEnd := 0, -1
	loose := func(w string) bool {
		r, n := utf8.DecodeRuneInString(w)
		return n == len(w) && unicode.Is(unicode.Han, r) && !as.generic[w] && !as.frames[w]
	}
	for _, w := range words {
		start := -1
		if i := strings.Index(content[cur:], w); i >= 0 {
			start = cur + i
			cur = start + len(w)
		}
		if loose(w) && start >= 0 && start == runEnd && len(out) > 0 && allLoose(out[len(out)-1].text, loose) {
			out[len(out)-1].text += w
			out[len(out)-1].run = true
		} else {
			// A run begins after a character of the text: one right after a
			// gap may be the rest of a word taken out (里 of 去哪里, an
			// aspect's phrase), not a word of its own.
			prev, _ := utf8.DecodeLastRuneInString(content[:max(start, 0)])
			asking := start >= lastClause && (!loose(w) || unicode.Is(unicode.Han, prev))
			out = append(out, contentUnit{text: w, asking: asking})
		}
		runEnd = -1
		if start >= 0 && loose(w) {
			runEnd = start + len(w)
		}
	}
	return out
}

// contentUnit is a word of the question or a run of single characters.
type contentUnit struct {
	text   string
	run    bool // joined from single characters
	asking bool // in the clause that asks
}

// allLoose reports a unit made only of loose single characters.
func allLoose(u string, loose func(string) bool) bool {
	for _, r := range u {
		if !loose(string(r)) {
			return false
		}
	}
	return true
}

// documentSuffix ends the names of certificates and cards.
var documentSuffix = []string{"证", "照", "卡", "簿", "本"}

// unexplainedDocument returns a certificate the question is about that no
// candidate accounts for (护照, 驾驶证, 港澳通行证): the catalogue then
// only matched the action (换领, 续签), not the thing.
func (as *Assistant) unexplainedDocument(content string, q search.Query, hits []search.Hit) string {
	for _, w := range as.a.Words(content) {
		rs := []rune(w)
		if len(rs) < 2 || as.a.IsLexicon(w) || as.scopes.isPlace(w) {
			continue // 日本 of 日本人 ends like 户口本 but is a country
		}
		if countedThing(rs) {
			continue // 一本, 这张: a count of the thing said before, not a document
		}
		if actOnDocument(rs) {
			continue // 刷卡, 补证: something done with a card or licence, naming none
		}
		if strings.HasSuffix(w, "本") {
			continue // 资本, 成本: the booklets residents hold (户口本, 房本) are lexicon words
		}
		isDoc := false
		for _, suf := range documentSuffix {
			if strings.HasSuffix(w, suf) {
				isDoc = true
			}
		}
		if !isDoc {
			continue
		}
		if share, _ := as.explained(w, q, hits); share == 0 {
			return w
		}
	}
	return as.licenceOnly(content, q, hits)
}

// licenceOnly returns the thing an everyday licence or card is for (狗,
// 钓鱼, 健身) when the best items match nothing of the question but its
// licence words (证, 许可证, 办): the catalogue then holds a licence, not
// that one. A question in which the items explain any other word passes.
func (as *Assistant) licenceOnly(content string, q search.Query, hits []search.Hit) string {
	licence, object := false, ""
	for _, w := range as.a.Words(content) {
		if as.frames[w] || slices.Contains(as.audiences, w) || as.scopes.isPlace(w) {
			continue
		}
		// A person (老板叫我去, 我老婆的) is who asks or for whom, never
		// what a licence is for.
		if slices.Contains(as.scopes.others, w) || slices.Contains(as.scopes.family, w) {
			continue
		}
		if slices.Contains(as.scopes.licences, w) {
			// A licence the resident already holds (执照都有, 有执照) is
			// the story, not what is asked for.
			licence = licence || !heldLicence(content, w)
			continue
		}
		// What is done to the licence (注销, 变更, 补办), an act the
		// catalogue's items are named for, asks after the licence the
		// resident has, whatever it is for (小店…执照怎么注销).
		if as.variants[w] && slices.ContainsFunc(hits, func(h search.Hit) bool { return strings.Contains(h.Name, w) }) {
			return ""
		}
		if as.generic[w] {
			continue
		}
		if share, _ := as.explained(w, q, hits); share > 0 {
			return ""
		}
		if object == "" && (len([]rune(w)) >= 2 || slices.Contains(as.scopes.objects, w)) {
			object = w
		}
	}
	if !licence {
		return ""
	}
	return object
}

// Words that say a licence or a service is already held or done: after
// it (执照都有, 失业登记做了) or before it (已经有执照).
var (
	heldAfter  = []string{"都有", "有了", "已经有", "已有", "拿到了", "办好了", "办了", "也有", "齐全", "下来了", "批下来", "办下来", "拿到手", "到手了", "出来了", "做了", "做好了", "办完了", "弄好了", "弄完了", "搞掂了", "搞定了"}
	heldBefore = []string{"有", "拿到了", "办好了", "办了", "已经拿", "开始拿", "在拿", "一直拿", "已经领", "开始领", "在领", "一直领",
		// A status granted (认定了低收入家庭, 我家是低收入家庭).
		"认定了", "认定为", "评上了", "评上", "评为", "属于", "已经是", "家是", "家里是"}
	// Of a service, only what says it is done: 办下来 also asks when
	// (居住证办下来要多久).
	doneAfter = slices.DeleteFunc(slices.Clone(heldAfter), func(w string) bool {
		return !strings.ContainsAny(w, "了有齐")
	})
	// Said between a thing and what says it is held (已经下来了, 早就办好了).
	heldAdverbs = []string{"已经", "早就", "早已", "都已经", "也已经", "都"}
	// Said before 有, these ask for it instead (要有, 没有).
	notHeldBefore = []string{"没有", "要有", "得有", "须有", "无"}
	// Said after it, these make 有… a question (有补助吗).
	questionEnds = []string{"吗", "不", "没", "么", "嘛", "呢", "冇", "咩", "吧", "啊"}
)

// heldLicence reports every occurrence of the licence word w in content
// said as held already.
func heldLicence(content, w string) bool {
	return heldEach(content, w, heldAfter, nil)
}

// heldEach reports every occurrence of w in content said as held or done
// already; isPlace, when not nil, lets a place stand between a word said
// before and w (我有深圳居住证).
func heldEach(content, w string, after []string, isPlace func(string) bool) bool {
	n := 0
	for i := 0; ; {
		j := strings.Index(content[i:], w)
		if j < 0 {
			break
		}
		start, end := i+j, i+j+len(w)
		i = end
		rest, before := strings.TrimLeft(content[end:], " "), content[:start]
		// 营业执照已经下来了: 已经 before what says it is held.
		for _, adv := range heldAdverbs {
			if r, ok := strings.CutPrefix(rest, adv); ok && hasAnyPrefix(r, after) {
				rest = r
				break
			}
		}
		if isPlace != nil {
			rs := []rune(before)
			for k := 3; k >= 2; k-- {
				if len(rs) >= k && isPlace(string(rs[len(rs)-k:])) {
					before = string(rs[:len(rs)-k])
					break
				}
			}
		}
		// 有补助吗, 有生活费吗 ask whether there is one.
		heldB := hasAnySuffix(before, heldBefore) && !hasAnySuffix(before, notHeldBefore) && !asksAfter(rest)
		if !hasAnyPrefix(rest, after) && !heldB && !granted(w, rest) && !doneVerb.MatchString(rest) {
			return false
		}
		n++
	}
	return n > 0
}

// grantVerbs are a status's verbs of granting (低收入家庭认定).
var grantVerbs = []string{"认定", "评定"}

// granted reports the granting verb w of a status said done by what
// follows it, rest: 认定了 (认定了低收入家庭) or 认定为, not asked (认定了吗).
func granted(w, rest string) bool {
	if !slices.Contains(grantVerbs, w) {
		return false
	}
	for _, p := range []string{"了", "为"} {
		if r, ok := strings.CutPrefix(rest, p); ok {
			return !asksAfter(r)
		}
	}
	return false
}

// doneVerb is a thing said done by a verb of getting it done after 已经
// (户口簿已经改好了, 少儿医保已经交了) or with 好/完 (改好了): not 已经过期了
// or 已经丢了, which befell it.
var doneVerb = regexp.MustCompile(`^(?:都|也)?(?:(?:已经|早就|早已|已)(?:办|交|缴|改|弄|做|参|买|换|补|领|拿|开|签|报|申请|登记|认定|备案)(?:好|完|上|过)?|(?:改|交|缴|搞|申请|登记|备案)(?:好|完))了`)

// asksAfter reports a question ending the few characters after a word
// (吗 of 生活费吗): 有 before it then asks whether there is one.
func asksAfter(rest string) bool {
	if hasAnyPrefix(rest, questionEnds) {
		return true
	}
	clause := rest
	if i := strings.IndexAny(rest, " ,.?!;"); i >= 0 {
		clause = rest[:i]
	}
	return utf8.RuneCountInString(clause) <= 4 && hasAnySuffix(clause, questionEnds)
}

func hasAnySuffix(s string, ss []string) bool {
	return slices.ContainsFunc(ss, func(x string) bool { return strings.HasSuffix(s, x) })
}

// heldItem reports an item whose name's words, wherever the question says
// them, are said as held or done already (失业登记做了, 我有深圳居住证): the
// resident's story, not the request. An item named only through a synonym
// is not.
func (as *Assistant) heldItem(norm string, h search.Hit) bool {
	said := false
	for _, n := range h.NameTerms {
		w, ok := saidPart(norm, n)
		if !ok {
			continue
		}
		said = true
		if !heldEach(norm, w, doneAfter, as.scopes.isPlace) {
			return false
		}
	}
	return said
}

// saidPart returns how the message says a name word: whole, or by its
// longest part of three characters or more (户口簿 of 居民户口簿).
func saidPart(norm, n string) (string, bool) {
	if strings.Contains(norm, n) {
		return n, true
	}
	rs := []rune(n)
	for size := len(rs) - 1; size >= 3; size-- {
		for i := 0; i+size <= len(rs); i++ {
			if p := string(rs[i : i+size]); strings.Contains(norm, p) {
				return p, true
			}
		}
	}
	return "", false
}

// pastHeld returns, when the best item is one the resident says is held or
// done already, the best-ranked other item the question names that is not.
func (as *Assistant) pastHeld(norm string, hits []search.Hit) (search.Hit, bool) {
	if len(hits) < 2 || !as.heldItem(norm, hits[0]) {
		return search.Hit{}, false
	}
	for _, h := range hits[1:] {
		if h.Score < heldRatio*hits[0].Score {
			break
		}
		if (len(h.NameTerms) > 0 || explainsMore(h, hits[0])) && !as.heldItem(norm, h) {
			return h, true
		}
	}
	return search.Hit{}, false
}

// explainsMore reports a hit that matched a word of two characters or
// more that the held item did not (认证 beside 退休金).
func explainsMore(h, held search.Hit) bool {
	return slices.ContainsFunc(h.Terms, func(w string) bool {
		return utf8.RuneCountInString(w) >= 2 && !slices.Contains(held.Terms, w)
	})
}

// heldRatio is how far below a held item another item may score and
// still be what the question asks for.
const heldRatio = 0.3

// salience weighs a dictionary word by its rarity: a rare word says more
// about what the question is about than a common one. Single characters
// (what unknown sequences fall apart into) weigh little; Fuwu's own
// service words weigh like rare words.
func (as *Assistant) salience(w string) float64 {
	if len([]rune(w)) < 2 {
		return 0.2
	}
	if as.a.IsLexicon(w) {
		return 4
	}
	f, ok := as.a.WordFreq(w)
	if !ok || f <= 0 {
		return 1
	}
	return freqSalience(f)
}

// freqSalience is the salience of a dictionary word seen f times.
func freqSalience(f float64) float64 {
	return math.Max(0.3, math.Min(5, math.Log10(4.6e7/f)-2))
}

// dictionaryCut is the fewest times a word of the base dictionary was
// seen (internal/zh/gendict -min): a word it lacks is rarer.
const dictionaryCut = 20

// runSalience weighs a run of single characters in the clause that asks
// (月 嫂 of 请月嫂): a word the dictionary lacks, so at least as rare as
// its rarest. On the learning sets it changes no figure; it declines
// "老婆快生了 去边度请月嫂好", which the other words' match to 夫妻投靠入户
// answered.
var runSalience = freqSalience(dictionaryCut)

// isVague reports a message whose content words are all generic (see
// lexicon/generic.txt): it asks for something without saying what.
func (as *Assistant) isVague(content string) bool {
	words := as.a.Words(content)
	if len(words) == 0 {
		return false
	}
	thing := false
	for _, w := range words {
		switch {
		case as.generic[w]:
			thing = true
		case as.frames[w] || slices.Contains(as.audiences, w):
			// "老人的手续咋办": a group of people names no service.
		default:
			return false
		}
	}
	return thing
}

// addedFor are the terms the synonym table added to q for any of words
// (社会保障卡 for 社保卡, 退役军人 for 退伍).
func addedFor(q search.Query, words []string) []string {
	var out []string
	for _, t := range q.Words {
		if t.Source == search.FromSynonym && slices.ContainsFunc(strings.Split(t.From, "|"), func(f string) bool { return slices.Contains(words, f) }) {
			out = append(out, t.Text)
		}
	}
	return out
}

// saysGeneric reports a message holding a generic word of two or more
// characters (证件, 补办), even one the analyser leaves out of its words
// as an aspect's cue.
func (as *Assistant) saysGeneric(norm string) bool {
	for w := range as.generic {
		if utf8.RuneCountInString(w) >= 2 && strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// onlyGeneric reports a message whose every content word is generic
// (补办, 丢了, 证明): it names no item.
func (as *Assistant) onlyGeneric(content string) bool {
	words := as.a.Words(content)
	for _, w := range words {
		if !as.generic[w] {
			return false
		}
	}
	return len(words) > 0
}

// asksWhatThereIs reports a request that leaves the choice of service to
// the clerk: "政府有没有什么能帮的", "生仔有咩钱可以攞".
func (as *Assistant) asksWhatThereIs(content string) bool {
	offerNear := func(rest string, within int) bool {
		rest = strings.TrimLeft(rest, " ")
		rs := []rune(rest)
		for i := 0; i <= within && i < len(rs); i++ {
			for _, o := range as.openOffers {
				if strings.HasPrefix(string(rs[i:]), o) {
					return true
				}
			}
		}
		return false
	}
	for _, list := range []struct {
		words  []string
		within int
	}{{as.openWhat, openAskReach}, {as.openAdjacent, 0}} {
		for _, w := range list.words {
			for i := 0; ; {
				j := strings.Index(content[i:], w)
				if j < 0 {
					break
				}
				i += j + len(w)
				if offerNear(content[i:], list.within) {
					return true
				}
			}
		}
	}
	if _, ok := firstOf(content, as.openTodo); ok {
		return true
	}
	for _, d := range as.openDoable {
		if i := strings.Index(content, d); i >= 0 {
			if hasAnyPrefix(strings.TrimLeft(content[i+len(d):], " "), as.openWhat) {
				return true
			}
		}
	}
	return false
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// openAskReach is how many characters may stand between a word asking
// "what" and the offer it asks about ("有没有什么 能帮一下的").
const openAskReach = 4

// countedThing reports a word made of a number or a demonstrative and a
// measure word (一本, 两张, 这本, 那个证): it counts or points at a thing
// said elsewhere ("结婚证…重新弄一本") and names no document of its own.
// actOnDocument reports a two-character word that is a verb and the
// card or licence it acts on (刷卡, 办证, 补卡, 换本): it names no document
// the catalogue could lack.
func actOnDocument(rs []rune) bool {
	return len(rs) == 2 && strings.ContainsRune(documentActs, rs[0]) && slices.Contains(documentSuffix, string(rs[1]))
}

// documentActs are the verbs said of a card or licence in one word.
const documentActs = "刷办补换领拿用插丢掉开挂绑激注销考查带交发制持续拍"

func countedThing(rs []rune) bool {
	if len(rs) != 2 {
		return false
	}
	return strings.ContainsRune("一二两三几每这那哪另新半整某该各", rs[0]) && strings.ContainsRune("本张份个只件", rs[1])
}
