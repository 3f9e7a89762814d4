package assistant

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// turnState carries one turn through the pipeline.
type turnState struct {
	in             input
	state          State
	conversationID string
	startBooking   bool // the resident asked to book the item answered
	startDoorstep  bool // … or for door-to-door service

	aspect     Aspect
	item       *kb.Item
	hits       []search.Hit // retrieval on the message's content
	candidates []search.Hit // for a clarify turn
	status     Status
	scope      string // why out of scope: a category, "place", "unknown", "nothing"
	reason     string // for the record and a handoff ticket
	sensitive  *SensitiveWord
	flags      []string
	faq        *kb.FAQ // an FAQ entry the question matches
	content    string  // the message without its aspect cues
}

// Ranking thresholds. They are global numbers chosen on the development
// dialogues as a whole; no rule names a question.
const (
	// A candidate within this share of the best score competes with it.
	closeRatio = 0.7
	// A follow-up switches item when the current one scores below this
	// share of the best and the best is named (coverage) at least this much.
	stayRatio      = 0.5
	switchCoverage = 0.3
	// A question whose best item's name it covers this well is answered
	// whatever else it says.
	namedCoverage = 0.75
	// Below this share of explained salient words, without strong evidence
	// for an item (score below weakScore) and naming little of the best
	// one (coverage below switchCoverage), a question is about something
	// the catalogue does not hold.
	explainedShare = 0.5
	weakScore      = 12
)

// failuresBeforePerson is how many unanswered turns in a row make the
// next one go to a person.
const failuresBeforePerson = 2

func (as *Assistant) resolve(ctx context.Context, t *turnState) {
	as.resolveTurn(ctx, t)
	if t.status == Answered && t.item != nil && as.cfg.Booking != nil {
		book, door := as.wantsBooking(t.in.norm)
		t.startBooking = book && !door
		t.startDoorstep = door
	}
	if (t.status == OutOfScope && t.scope != "sensitive" && t.scope != "meta") && t.state.Failures >= failuresBeforePerson {
		t.status, t.reason = Handoff, "连续多次未能解答："+t.reason
	}
}

func (as *Assistant) resolveTurn(ctx context.Context, t *turnState) {
	norm := t.in.norm
	t.aspect = as.detectAspect(norm)

	// A person, when asked for.
	if as.asksForPerson(norm) {
		t.status, t.reason = Handoff, "居民要求转人工"
		if it, ok := as.cfg.Index.Item(t.state.Item); ok {
			t.item = it
		}
		return
	}
	// The governed lexicon.
	if w, ok := as.cfg.Sensitive.Check(norm); ok {
		t.sensitive = &w
		switch w.Action {
		case ActionBlock:
			t.status, t.scope, t.reason = OutOfScope, "sensitive", "敏感词："+w.Category
			return
		case ActionHandoff:
			t.status, t.reason = Handoff, "敏感词："+w.Category
			return
		default:
			t.flags = append(t.flags, "sensitive:"+w.Category)
		}
	}
	// Instructions to the system are not questions about services.
	for _, h := range as.scope.match(norm) {
		if h.label == "meta" {
			t.status, t.scope, t.reason = OutOfScope, "meta", "试图改变助手指令"
			return
		}
	}
	// An appointment being made in the chat takes the turn first.
	if t.state.Booking != nil && as.cfg.Booking != nil {
		t.status = statusBooking
		return
	}
	// The answer to a clarify question.
	if len(t.state.Candidates) > 0 {
		if id, ok := as.pickCandidate(ctx, norm, t.state.Candidates); ok {
			if it, ok := as.cfg.Index.Item(id); ok {
				t.item, t.status = it, Answered
				return
			}
		}
	}

	content := as.contentText(norm)
	t.content = content
	q := as.cfg.Index.Analyse(content)
	res := as.cfg.Index.SearchQuery(q, 8)
	if len(q.Words) > 0 {
		res = as.cfg.Index.Search(ctx, content, 8) // dense channel too, when configured
	}
	t.hits = res.Hits

	// A follow-up leans on the item being discussed.
	if cur, ok := as.cfg.Index.Item(t.state.Item); ok {
		if as.staysOn(cur.ID, q, t.hits) {
			t.item, t.status = cur, Answered
			t.faq = as.matchFAQ(cur, norm)
			return
		}
	}
	as.decide(t, q)
}

// decide picks the answer, a clarifying question or a polite refusal for
// a message taken on its own.
func (as *Assistant) decide(t *turnState, q search.Query) {
	hits := t.hits
	if len(hits) == 0 || len(q.Words) == 0 {
		t.status, t.scope, t.reason = OutOfScope, "nothing", "知识库中没有相关事项"
		if as.isVague(t.content) {
			t.status, t.scope = Clarify, ""
		}
		return
	}
	top := hits[0]
	named := top.Coverage >= namedCoverage
	// A question that names the item only through a synonym (餐厅 →
	// 食品经营许可证) is still checked for what is not a service question:
	// "推荐一下附近好吃的餐厅" asks for a restaurant, not a licence.
	if !named || !namesInOwnWords(top, q) {
		if hs := as.scope.match(t.in.norm); len(hs) > 0 {
			t.status, t.scope, t.reason = OutOfScope, hs[0].label, "非政务服务问题："+hs[0].cue
			return
		}
	}
	if !named {
		if p, ok := as.elsewhere(t.in.norm); ok {
			t.status, t.scope, t.reason = OutOfScope, "place", "其他地区的事项："+p
			return
		}
		share, unknown := as.explained(t.content, q, hits)
		if share < explainedShare && top.Score < weakScore && top.Coverage < switchCoverage {
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有该事项："+unknown
			return
		}
		if doc := as.unexplainedDocument(t.content, q, hits); doc != "" {
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有该证件："+doc
			return
		}
	}
	// A question made only of generic words (证明, 补办, 注销) names no
	// item: ask which.
	if !named && as.isVague(t.content) {
		t.status, t.reason = Clarify, "问题过于笼统"
		for i, h := range hits {
			if i == 3 || h.Score < 0.5*top.Score {
				break
			}
			t.candidates = append(t.candidates, h)
		}
		if len(t.candidates) < 2 {
			t.candidates = nil
		}
		return
	}
	// Candidates that score close to the best compete with it.
	close := []search.Hit{top}
	for _, h := range hits[1:] {
		if h.Score >= closeRatio*top.Score && len(close) < 3 {
			close = append(close, h)
		}
	}
	chosen := top
	if len(close) > 1 && !named {
		var ok bool
		chosen, ok = as.distinguish(t, q, close)
		if !ok {
			chosen, ok = as.byContext(t, close)
		}
		if !ok && top.Score < weakScore && !slices.ContainsFunc(close, func(h search.Hit) bool { return h.Coverage > 0 }) {
			// The question names none of them and matches them only weakly
			// (基金 in their texts): choices would be unrelated to it.
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有相关事项："+t.content
			return
		}
		if !ok {
			t.status, t.candidates = Clarify, close
			t.reason = "候选事项相近"
			return
		}
	}
	it, ok := as.cfg.Index.Item(chosen.ID)
	if !ok {
		t.status, t.scope = OutOfScope, "nothing"
		return
	}
	t.item, t.status = it, Answered
	t.faq = as.matchFAQ(it, t.in.norm)
}

// namesInOwnWords reports whether a name word of the hit is one of the
// question's own words, not only a synonym or pinyin expansion.
func namesInOwnWords(h search.Hit, q search.Query) bool {
	for _, n := range h.NameTerms {
		for _, w := range q.Words {
			if w.Text == n && w.Source == search.FromQuery {
				return true
			}
		}
	}
	return false
}

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
	// Words are compared by what in the question produced them: 津贴 and
	// 补贴 matched for one word 补贴 distinguish nothing.
	origin := map[string][]string{}
	for _, w := range q.Words {
		if w.Source == search.FromQuery {
			origin[w.Text] = []string{w.Text}
		} else {
			origin[w.Text] = strings.Split(w.From, "|")
		}
	}
	count := map[string]int{}
	origins := make([]map[string]bool, len(close))
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
	if len(close) == 2 {
		a, b := as.restricted(close[0].Name, q), as.restricted(close[1].Name, q)
		if a != b {
			if a {
				return close[1], true
			}
			return close[0], true
		}
	}
	asksVariant := false
	for _, w := range q.Words {
		if as.variants[w.Text] {
			asksVariant = true
		}
	}
	if asksVariant || !hasAny(t.in.norm, wantNew) {
		return search.Hit{}, false
	}
	var base []search.Hit
	for _, h := range close {
		if !as.isVariant(h.Name) {
			base = append(base, h)
		}
	}
	if len(base) == 1 {
		return base[0], true
	}
	return search.Hit{}, false
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

// byContext settles an ambiguous new question from the conversation: the
// one candidate that mentions the item just discussed ("拿到之后怎么上户口"
// after 出生医学证明 means 新生儿入户, whose materials list it) or shares
// a word of its name (公积金 after 养老金（退休）: 住房公积金提取（退休）).
func (as *Assistant) byContext(t *turnState, close []search.Hit) (search.Hit, bool) {
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
		mentioned := false
		for _, w := range q.Words {
			if strings.Contains(w.Text, g) || strings.Contains(g, w.Text) && len([]rune(w.Text)) >= 2 {
				mentioned = true
			}
		}
		if !mentioned {
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

// staysOn reports whether a message continues with the current item:
// it says nothing of an item (a pure follow-up such as "要带什么"), or the
// current item still fits it well, or nothing else is clearly named.
func (as *Assistant) staysOn(cur string, q search.Query, hits []search.Hit) bool {
	if len(q.Words) == 0 || len(hits) == 0 {
		return true
	}
	top := hits[0]
	if top.ID == cur {
		return true
	}
	for _, h := range hits {
		if h.ID == cur && h.Score >= stayRatio*top.Score {
			return true
		}
	}
	return top.Coverage < switchCoverage
}

// contentText is the message without its aspect cues ("要带什么",
// "能在网上办吗"), so that what is left says which item it is about.
func (as *Assistant) contentText(norm string) string {
	out := norm
	for _, c := range as.aspects.cues {
		if strings.Contains(out, c.phrase) {
			out = strings.ReplaceAll(out, c.phrase, " ")
		}
	}
	return strings.TrimSpace(out)
}

// canQuestion is a weak eligibility question: "她能提公积金交房租吗".
var canQuestion = regexp.MustCompile(`(能|可以|可不可以|能不能)[^,.?!;]{0,8}(吗|不)`)

func (as *Assistant) detectAspect(norm string) Aspect {
	hs := as.aspects.match(norm)
	if len(hs) > 0 && !hs[0].weak {
		return Aspect(hs[0].label)
	}
	if canQuestion.MatchString(norm) {
		return Conditions
	}
	if len(hs) > 0 {
		return Aspect(hs[0].label)
	}
	return ""
}

func (as *Assistant) asksForPerson(norm string) bool {
	for _, h := range as.handoffs {
		if strings.Contains(norm, h) {
			return true
		}
	}
	return false
}

// movement words mean a question about another place still concerns this
// district: moving insurance, a household or a claim between them.
var movement = []string{"深圳", "福田", "转", "迁", "回", "异地", "老家", "外地", "备案", "报销", "结算", "来深", "过来", "投靠"}

// elsewhere reports a place outside the district in a question that does
// not tie it to the district.
func (as *Assistant) elsewhere(norm string) (string, bool) {
	for _, m := range movement {
		if strings.Contains(norm, m) {
			return "", false
		}
	}
	for _, p := range as.places {
		if strings.Contains(norm, p) {
			return p, true
		}
	}
	return "", false
}

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
	for _, w := range as.a.Words(content) {
		sal := as.salience(w)
		total += sal
		ok := matched[w]
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

// documentSuffix ends the names of certificates and cards.
var documentSuffix = []string{"证", "照", "卡", "簿", "本"}

// unexplainedDocument returns a certificate the question is about that no
// candidate accounts for (护照, 驾驶证, 港澳通行证): the catalogue then
// only matched the action (换领, 续签), not the thing.
func (as *Assistant) unexplainedDocument(content string, q search.Query, hits []search.Hit) string {
	for _, w := range as.a.Words(content) {
		rs := []rune(w)
		if len(rs) < 2 || as.a.IsLexicon(w) {
			continue
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
	return ""
}

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
	return math.Max(0.3, math.Min(5, math.Log10(4.6e7/f)-2))
}

// isVague reports a message whose content words are all generic (see
// lexicon/generic.txt): it asks for something without saying what.
func (as *Assistant) isVague(content string) bool {
	words := as.a.Words(content)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !as.generic[w] {
			return false
		}
	}
	return true
}

// pickCandidate resolves the answer to a clarifying question: an ordinal
// ("第二个", "2"), or words of one candidate's name.
func (as *Assistant) pickCandidate(ctx context.Context, norm string, cands []string) (string, bool) {
	ordinals := [][]string{{"第一", "1", "一个", "前者", "头一个"}, {"第二", "2", "后者"}, {"第三", "3"}}
	trimmed := strings.Trim(norm, " .,!?~")
	for i, words := range ordinals {
		if i >= len(cands) {
			break
		}
		for _, w := range words {
			if trimmed == w || strings.HasPrefix(trimmed, w+"个") || strings.HasPrefix(trimmed, "第"+w) || (len([]rune(w)) > 1 && strings.Contains(trimmed, w)) {
				return cands[i], true
			}
		}
	}
	// The candidate whose name the message covers best.
	best, bestScore := "", 0.0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		if as.a.Normalize(it.Name) == trimmed {
			return id, true
		}
		s := overlap(bigramSet(as.a.Normalize(it.Name)), bigramSet(norm))
		if s > bestScore {
			best, bestScore = id, s
		}
	}
	if bestScore >= 0.34 {
		return best, true
	}
	return "", false
}

// matchFAQ finds the item's FAQ question closest to the message, when it
// is close enough to answer from.
func (as *Assistant) matchFAQ(it *kb.Item, norm string) *kb.FAQ {
	msg := bigramSet(norm)
	var best *kb.FAQ
	bestScore := 0.0
	for i := range it.FAQ {
		s := overlap(bigramSet(as.a.Normalize(it.FAQ[i].Q)), msg)
		if s > bestScore {
			best, bestScore = &it.FAQ[i], s
		}
	}
	if bestScore >= 0.5 {
		return best
	}
	return nil
}

func bigramSet(s string) map[string]bool {
	out := map[string]bool{}
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// overlap is the share of a's bigrams that b has.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for g := range a {
		if b[g] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

func subset(a, b map[string]bool) bool {
	for x := range a {
		if !b[x] {
			return false
		}
	}
	return true
}
