package assistant

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// staysOn reports whether a message continues with the current item:
// it says nothing of an item (a pure follow-up such as "要带什么"), or the
// current item still fits it, or nothing else is clearly named.
//
// The order matters. A turn that marks a change of thread (那X呢, 还有X,
// 另外, X也) and names in X what another item's name holds, and the
// current item's name does not, moves to it: "幼儿园呢" after 小一学位.
// Otherwise the current item wins while its own text (conditions,
// materials, FAQ) accounts for the question's words — "社保要交满多久"
// in a school-place thread — unless another item is named outright. A
// turn whose words the current item does not hold at all while another
// item's do ("婚前检查是免费的吗" after 结婚登记) is about that item.
func (as *Assistant) staysOn(cur *kb.Item, t *turnState, q search.Query, hits []search.Hit) bool {
	// A turn opened as an aside (顺便问下, 另外, also) about a thing of its
	// own that the current item does not explain has left the item,
	// whatever aspect it asks: 水果批发市场几点开门 asks the market's hours,
	// not the hall's; so has one no item matches at all (where to buy
	// roasted beans), unless it asks the hall's hours on a day (周六上不
	// 上班).
	aside := hasPrefixAny(t.in.norm, newTopic) && as.itemExplains(cur, t.content, q) == 0
	if len(q.Words) == 0 || len(hits) == 0 {
		return !aside || as.salientMass(t.content) < switchMass || asksDay(t.in.norm)
	}
	if aside && as.unexplainedOwn(t.content, q, hits) {
		return false
	}
	top := hits[0]
	if top.ID == cur.ID {
		return true
	}
	// A hit the turn names outright (年报 → 企业年度报告公示), scoring close
	// to a best one it does not name at all (raised by a situation the
	// turn tells), stands for what the turn is about.
	if top.Coverage == 0 {
		for _, h := range hits[1:] {
			if h.Score < closeRatio*top.Score {
				break
			}
			if h.Coverage >= namedCoverage {
				top = h
				break
			}
		}
		if top.ID == cur.ID {
			return true
		}
	}
	// A turn whose own words weigh nothing ("离过婚的…吗" once the
	// document asked about is set aside) names nothing of its own.
	if as.salientMass(t.content) == 0 {
		return true
	}
	curName := as.a.Normalize(cur.Name)
	// "我的户口本在老家 拿复印件行不行", "除了出生证 户口本也得带上吧":
	// whether a copy or the original will do, or a document must be
	// brought, asks after a material of the item discussed, whichever
	// document it names, unless something befell the document (丢了,
	// 过期) that another item is for.
	if t.aspect == Materials && (hasAny(t.in.norm, documentForms) || hasAny(t.in.norm, bringWords)) && !as.asksVariant(q) && !as.namesOnlyOther(cur, t, q, top) {
		return true
	}
	// "我有居住证没有深圳户口能申请吗": the resident describes themself
	// and asks whether they may (能申请吗, 能领吗) — the thing named is a
	// condition of the current item, which the question leaves unsaid.
	// Before the change of thread: 也 of "她不是深户 也能办吗" asks the
	// same of another person, not of another thing.
	if asksMayI(t.in.norm) && describesSelf(t.in.norm) {
		return true
	}
	// "一直没开张也要报吗": whether the item is still owed when something
	// has not happened asks its conditions; 也 here is "even so", and the
	// circumstance (没开张) names no new need however a synonym reads it.
	if stillMust.MatchString(strings.TrimRight(t.in.norm, " .?!~,")) && !strings.HasPrefix(t.in.norm, "那") {
		return true
	}
	if as.shiftsThread(t.in.norm) && (as.namesOther(q, top, curName) || as.namesVariant(q, top, curName)) {
		return false
	}
	// "要先做失业登记吗" while on 就业困难人员认定: an item done first that
	// the current item's conditions require (已办理失业登记) is asked
	// about as its condition, not as a new need.
	if asksFirst(t.in.norm) && as.conditionNames(cur, top) {
		return true
	}
	if top.Coverage >= namedCoverage && namesInOwnWords(top, q) && as.namesOther(q, top, curName) {
		return false
	}
	// So is one whose whole name the turn says, in words the synonym
	// table reads as it (初一 → 初中一年级学位, 社保开户 → 单位社会保险参保
	// 登记), while it names the current item hardly at all; not when it
	// asks what to bring, which a paper another item issues can be.
	if top.Coverage >= 1 && t.aspect != Materials && as.namesOther(q, top, curName) && !slices.ContainsFunc(hits, func(h search.Hit) bool { return h.ID == cur.ID && h.Coverage >= switchCoverage }) {
		return false
	}
	// A thing and its plight (身份证 丢了 → 补领) that another item's name
	// holds and the current one's does not are a new need, however the
	// current guide mentions the thing (身份证 among its materials); a
	// plight alone ("补一张要花钱不") stays.
	if top.Coverage >= switchCoverage && as.namesVariant(q, top, curName) && as.namesOther(q, top, curName) {
		return false
	}
	curShare := as.itemExplains(cur, t.content, q)
	if curShare >= itemExplainsShare {
		return true
	}
	if _, ok := as.sibling(cur, q, hits); ok {
		return false
	}
	// An aspect question (a yes/no one: "能绑对象吗 还没领证") needs less:
	// half of what it names in the current item's text keeps it there,
	// unless its own words name another item ("执照拿到后公章怎么刻").
	if t.aspect != "" && !t.aspectOfVerb && curShare >= aspectExplainsShare && !as.namesOtherOwn(q, top, curName) {
		return true
	}
	for _, h := range hits {
		if h.ID == cur.ID && h.Score >= stayRatio*top.Score {
			return true
		}
	}
	if top.Coverage >= switchCoverage {
		return false
	}
	// A message that opens a new topic (另外, 还有, 顺便问) and names
	// something the current item does not hold at all is about that.
	if hasPrefixAny(t.in.norm, newTopic) && top.Coverage > 0 && !slices.ContainsFunc(hits, func(h search.Hit) bool { return h.ID == cur.ID }) {
		return false
	}
	// Words the current item does not hold anywhere, which the best item
	// accounts for, are about that item: after a change of thread, or
	// when they weigh enough and the best item's name holds a salient one
	// of them (婚前 of 免费婚前医学检查; not 公司 of 有限责任公司 in
	// "公司不给开证明怎么办").
	// An aspect question ("能不能在网上弄", "过期了还能签吗") is mostly its
	// cue; what is left must say more to leave the item.
	if curShare == 0 && top.Score >= weakScore/2 {
		mass := float64(switchMass)
		if t.aspect != "" && !t.aspectOfVerb {
			mass = switchMassAspect
		}
		if as.shiftsThread(t.in.norm) || as.namesOtherSalient(q, top, curName) && as.salientMass(t.content) >= mass {
			if share, _ := as.explained(t.content, q, hits[:1]); share >= explainedShare {
				return false
			}
		}
	}
	// A follow-up about a thing of its own that neither the current item
	// nor any other explains ("顺便问下 哪家影楼拍婚纱照好" after 婚前检查)
	// has left the item: judged on its own, it is declined. An aspect
	// question ("去哪修") is left to the rules above: its cue weighs on the
	// item it follows.
	if curShare == 0 && t.aspect == "" && as.unexplainedOwn(t.content, q, hits) {
		return false
	}
	// An aspect question about a thing no item of the catalogue holds at
	// all (婚礼司仪 收多少钱 after 结婚登记) asks after that thing, not the
	// item: judged on its own.
	if curShare == 0 && t.aspect != "" && as.ownUnknown(t.content) && as.unexplainedOwn(t.content, q, hits) {
		return false
	}
	return true
}

// ownUnknown reports content with a word of its own (ownWord) that no
// catalogue item holds and that weighs at least switchMass alone.
func (as *Assistant) ownUnknown(content string) bool {
	// Two runs of characters the dictionary holds no word for (多肉,
	// 烂根) are such words too (unexplainedOwn).
	if as.unknownRuns(as.contentUnits(content)) >= 2 {
		return true
	}
	for _, w := range as.a.Words(content) {
		if as.ownWord(w) && as.cfg.Index.DocFreq(w) == 0 && as.salience(w) >= switchMass {
			return true
		}
	}
	return false
}

// firstMarks ask whether something must be done before: 要先, 得先.
var firstMarks = []string{"要先", "得先", "需要先", "必须先", "先要", "先得", "使唔使先", "要唔要先", "是不是先", "系咪要先"}

// asksFirst reports a question whether something comes first.
func asksFirst(norm string) bool {
	return slices.ContainsFunc(firstMarks, func(m string) bool { return strings.Contains(norm, m) })
}

// conditionNames reports a hit whose name's words the current item's
// conditions hold (失业登记 of 已办理失业登记): doing it is one of them.
func (as *Assistant) conditionNames(cur *kb.Item, h search.Hit) bool {
	conds := as.conditionsText(cur)
	return h.ID != cur.ID && len(h.NameTerms) > 0 && slices.ContainsFunc(h.NameTerms, func(n string) bool {
		return utf8.RuneCountInString(n) >= 3 && strings.Contains(conds, n)
	})
}

// unexplainedOwn reports content whose own words — besides generic ones,
// places, people and whom a service is for — weigh at least askedMass
// and the best items explain less than half of. One rare word's weight
// (switchMass) is too little: "那独生子女证呢" may be a material.
func (as *Assistant) unexplainedOwn(content string, q search.Query, hits []search.Hit) bool {
	var own []string
	var mass float64
	// Characters the dictionary holds no word for (多肉, 烂根) are a word
	// it lacks, as rare as its rarest, when there are two such: one may
	// be what is left of words cut apart (人画 of 找人画).
	units := as.contentUnits(content)
	runs := as.unknownRuns(units)
	for _, u := range units {
		switch {
		case u.run && runs >= 2:
			own = append(own, u.text)
			mass += runSalience
		case !u.run && as.ownWord(u.text):
			own = append(own, u.text)
			mass += as.salience(u.text)
		}
	}
	if mass < askedMass || len(hits) == 0 {
		return false
	}
	share, _ := as.explained(strings.Join(own, " "), q, hits[:min(3, len(hits))])
	return share < explainedShare
}

// unknownRuns counts the runs of single characters among units that no
// catalogue item holds (多肉, 烂根: words the dictionary lacks).
func (as *Assistant) unknownRuns(units []contentUnit) int {
	n := 0
	for _, u := range units {
		if u.run && as.cfg.Index.DocFreq(u.text) == 0 {
			n++
		}
	}
	return n
}

// ownWord reports a word a follow-up says of its own: two characters or
// more, neither generic nor a frame, a stop word, a place, a group a
// service is for or a family member.
func (as *Assistant) ownWord(w string) bool {
	return utf8.RuneCountInString(w) >= 2 && !as.frames[w] && !as.generic[w] && !as.a.IsStop(w) && !as.scopes.isPlace(w) &&
		!slices.Contains(as.audiences, w) && !slices.Contains(as.scopes.family, w)
}

// How much salience a follow-up's words must carry, the
// current item holding none of them, to move to the best item: one
// service word, or a little more beside an aspect's cue.
const (
	switchMass       = 4.0
	switchMassAspect = 5.0
)

// salientMass sums the salience of the content's words that count for
// itemExplains.
func (as *Assistant) salientMass(content string) float64 {
	var m float64
	for _, w := range as.a.Words(content) {
		if utf8.RuneCountInString(w) < 2 || as.frames[w] || as.generic[w] || as.a.IsStop(w) {
			continue
		}
		m += as.salience(w)
	}
	return m
}

// sibling returns the item of the same family as the current one (their
// names share a word: 住房公积金) whose own part of the name the turn
// names and the current item's name lacks: "我辞职了 回老家" after a
// 住房公积金 item is 住房公积金提取（离职离深）. The resident is telling
// which of the family's items they meant.
func (as *Assistant) sibling(cur *kb.Item, q search.Query, hits []search.Hit) (*kb.Item, bool) {
	return as.familyMember(cur, q, hits, as.namesOther)
}

// variantSibling is sibling for a turn naming only a variant the current
// item is not ("那丢了补领呢" after 居民身份证换领): the family's item for it.
func (as *Assistant) variantSibling(cur *kb.Item, q search.Query, hits []search.Hit) (*kb.Item, bool) {
	return as.familyMember(cur, q, hits, as.namesVariant)
}

// familyMember returns the one item of the current item's family among
// the first hits that the turn names by what names(q, hit, curName)
// finds.
func (as *Assistant) familyMember(cur *kb.Item, q search.Query, hits []search.Hit, names func(search.Query, search.Hit, string) bool) (*kb.Item, bool) {
	if len(hits) == 0 {
		return nil, false
	}
	curName := as.a.Normalize(cur.Name)
	var found *kb.Item
	for i, h := range hits {
		if i == siblingReach {
			break
		}
		if h.ID == cur.ID || h.Coverage < switchCoverage || h.Score < stayRatio*hits[0].Score {
			continue
		}
		name := as.a.Normalize(h.Name)
		family := func(w string) bool { return !as.generic[w] && as.salience(w) >= familySalience }
		if !slices.ContainsFunc(as.sharedNameWords([]string{curName, name}), family) || !names(q, h, curName) {
			continue // a family is a thing both names hold (住房公积金), not an action (申领) or a common word (居民)
		}
		if found != nil {
			return nil, false // two siblings named: not told apart
		}
		found, _ = as.cfg.Index.Item(h.ID)
	}
	return found, found != nil
}

// familySalience is the least salience of a word that makes a family.
const familySalience = 3

// siblingReach is how far down the hits a sibling is looked for.
const siblingReach = 5

// stillMust is a question whether something is still owed though a
// thing has not happened or is not so: "没开张也要报吗", "不上班了还得交吗".
var stillMust = regexp.MustCompile(`(没|不|未|冇|唔)[^也还都]{0,8}(也|还|都)(要|得|需要|用|使)[\p{Han}]{0,3}(吗|么|嘛|不)$`)

// mayI ends a question whether the resident may do the thing discussed,
// its object left unsaid: "能申请吗", "可以领不", "能不能办", "行不行".
var mayI = regexp.MustCompile(`(能|可以|可不可以|能不能|可否)(领|申请|办|办理|申领|享受|参加|报|补|换|绑)?(吗|不|么|呢)?$|(行不行|行吗|可以吗|能行吗)$`)

func asksMayI(norm string) bool {
	return mayI.MatchString(strings.TrimRight(norm, " .?!~,"))
}

// selfCues describe the resident's own situation: "我有…", "我是…的",
// "没有…"; or that of the person the thread is for, said with a pronoun
// ("她不是深户", "他没交过社保"): the thread's item is about them.
var selfCues = []string{"我有", "我是", "我没", "我在", "我家", "没有", "本人是", "本人有", "我不是",
	"我们是", "我们有", "我们没", "我们在", "我们家", "我们不是", "咱们是", "咱家",
	"她是", "她不是", "她有", "她没", "她在", "他是", "他不是", "他有", "他没", "他在"}

func describesSelf(norm string) bool {
	for _, c := range selfCues {
		if strings.Contains(norm, c) {
			return true
		}
	}
	// A clause opening with 她/他 (not 他们, not 他说) tells of that
	// person: "她户口在老家".
	for _, c := range clauses(norm) {
		for _, p := range []string{"她", "他"} {
			if rest, ok := strings.CutPrefix(c, p); ok && rest != "" && !strings.HasPrefix(rest, "们") && !strings.HasPrefix(rest, "说") {
				return true
			}
		}
	}
	return false
}

// documentForms are the forms a material is handed in (a copy, the
// original); bringWords say a document is brought along (带上, 得带).
var (
	documentForms = []string{"复印件", "原件", "复印"}
	bringWords    = []string{"带上", "得带", "也带"}
)

// itemExplainsShare is the share of a follow-up's salient words the
// current item's own text must hold for the item to keep the turn.
const itemExplainsShare = 0.75

// aspectExplainsShare is that share for a turn asking an aspect.
const aspectExplainsShare = 0.5

// itemExplains is the share, weighted by salience, of the content's words
// that the item's own text (name, summary, conditions, materials, FAQ)
// holds, directly or through the query's synonyms. Generic words and the
// wrapping of a request do not count; a content without salient words
// gives 0.
func (as *Assistant) itemExplains(it *kb.Item, content string, q search.Query) float64 {
	return as.itemHolds(it, content, q, false)
}

// itemHolds is itemExplains, counting generic words too when asked: what
// a thread was about includes its plight (丢了, 过期).
func (as *Assistant) itemHolds(it *kb.Item, content string, q search.Query, withGeneric bool) float64 {
	var b strings.Builder
	b.WriteString(itemText(it))
	for _, f := range it.FAQ {
		b.WriteString(" " + f.Q + " " + f.A)
	}
	text := as.a.Normalize(b.String())
	var total, have float64
	for _, w := range as.a.Words(content) {
		if utf8.RuneCountInString(w) < 2 || as.frames[w] || as.generic[w] && !withGeneric || as.a.IsStop(w) {
			continue
		}
		sal := as.salience(w)
		total += sal
		ok := as.holdsHead(text, w)
		for _, qw := range q.Words {
			if ok {
				break
			}
			if qw.Source != search.FromQuery && utf8.RuneCountInString(qw.Text) >= 2 && as.holdsHead(text, qw.Text) {
				for _, f := range strings.Split(qw.From, "|") {
					if strings.Contains(f, w) || strings.Contains(w, f) {
						ok = true
					}
				}
			}
		}
		if ok {
			have += sal
		}
	}
	if total == 0 {
		return 0
	}
	return have / total
}

// holdsHead reports whether text holds the word or its head, a tail of
// three characters or more: Chinese compounds end in what they name, so a
// guide's "户口簿" holds 居民户口簿, the synonym of 户口本.
func (as *Assistant) holdsHead(text, w string) bool {
	if strings.Contains(text, w) {
		return true
	}
	rs := []rune(w)
	for i := 1; len(rs)-i >= 3; i++ {
		if head := string(rs[i:]); !as.generic[head] && strings.Contains(text, head) {
			return true
		}
	}
	return false
}

// namesOther reports a turn naming, in its own words or their synonyms,
// something the hit's name holds and the current item's name does not:
// 幼儿园 names 幼儿园入园报名, not 小学一年级学位申请.
func (as *Assistant) namesOther(q search.Query, h search.Hit, curName string) bool {
	name := as.a.Normalize(h.Name)
	for _, w := range q.Words {
		// The city (深圳 of 深圳市居住证申领) is every item's: it names none.
		if utf8.RuneCountInString(w.Text) < 2 || as.generic[w.Text] || as.variants[w.Text] || as.scopes.isPlace(w.Text) {
			continue
		}
		if strings.Contains(name, w.Text) && !strings.Contains(curName, w.Text) {
			return true
		}
	}
	return false
}

// namesVariant reports a variant the turn asks for (补领 through 丢了)
// that the hit's name holds and the current item's name does not.
func (as *Assistant) namesVariant(q search.Query, h search.Hit, curName string) bool {
	name := as.a.Normalize(h.Name)
	for _, w := range q.Words {
		if as.variants[w.Text] && strings.Contains(name, w.Text) && !strings.Contains(curName, w.Text) {
			return true
		}
	}
	return false
}

// namesOtherSalient is namesOther for words of a family's salience.
func (as *Assistant) namesOtherSalient(q search.Query, h search.Hit, curName string) bool {
	var strong search.Query
	for _, w := range q.Words {
		if as.salience(w.Text) >= familySalience {
			strong.Words = append(strong.Words, w)
		}
	}
	return as.namesOther(strong, h, curName)
}

// namesOtherOwn is namesOther for the turn's own words only, not their
// synonyms: "公章" names 公章刻制备案; "领证" only leads to 结婚登记.
func (as *Assistant) namesOtherOwn(q search.Query, h search.Hit, curName string) bool {
	own := search.Query{}
	for _, w := range q.Words {
		if w.Source == search.FromQuery {
			own.Words = append(own.Words, w)
		}
	}
	return as.namesOther(own, h, curName)
}

// shiftsThread reports a turn marked as a change of thread: "那X呢" and
// "X呢", "还有X", "另外…", "X也…", "还要另外办X" — the resident goes on to
// another thing.
// What X is decides whether the item changes (namesOther): "那材料呢"
// names no other item.
func (as *Assistant) shiftsThread(norm string) bool {
	s := strings.Trim(norm, " ,.?!~")
	if hasPrefixAny(s, newTopic) || hasPrefixAny(s, nextStep) {
		return true
	}
	// "还要另外办…许可吗", "还要别的证吗": something besides the item.
	if hasAny(s, besides) {
		return true
	}
	if strings.HasSuffix(s, "呢") && utf8.RuneCountInString(s) <= shiftMaxRunes {
		return true
	}
	cs := clauses(s)
	for i, c := range cs {
		// "户口本也破了": a second thing in the same plight; "那公积金呢 也能
		// 自己交吗": the same question asked of a second thing.
		if j := strings.Index(c, "也"); j > 0 || j == 0 && i > 0 {
			return true
		}
	}
	// "那公积金呢 …": a first clause 那X呢 names the other thing.
	if len(cs) > 1 && strings.HasPrefix(cs[0], "那") && strings.HasSuffix(cs[0], "呢") && utf8.RuneCountInString(cs[0]) <= shiftMaxRunes {
		return true
	}
	return false
}

// shiftMaxRunes bounds a "X呢" turn: a short question about another thing,
// not a long story that happens to end in 呢.
const shiftMaxRunes = 12

// besides ask for something in addition to the item discussed.
var besides = []string{"另外", "别的"}

// newTopic opens a message about something else.
var newTopic = []string{"另外", "还有", "顺便问", "再问", "换个问题", "还想问", "对了", "also", "by the way", "btw", "one more thing", "another question"}

// nextStep asks what comes after the item discussed: another item.
var nextStep = []string{"之后", "接下来", "办完了还要", "办完还要"}

func hasPrefixAny(s string, ps []string) bool {
	s = strings.TrimLeft(s, " ,.")
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// pickCandidate resolves the answer to a clarifying question: an ordinal
// ("第二个", "2"), or words of one candidate's name. of is what the
// question was asked about (ClarifyOf).
func (as *Assistant) pickCandidate(ctx context.Context, norm string, cands []string, of string) (string, bool) {
	trimmed := strings.Trim(norm, " .,!?~")
	if i, ok := choiceOrdinal(trimmed); ok && i < len(cands) {
		return cands[i], true
	}
	// The reply's own retrieval, of its content; none for one made only
	// of generic words (丢了, 唔见咗: a detail of the offered choices).
	var hits []search.Hit
	if content := as.contentText(norm); !as.onlyGeneric(content) {
		hits = as.cfg.Index.Search(ctx, content, 12).Hits
	}
	// A choice the reply names outright in its own retrieval ("想用住房公
	// 积金贷" after the loan choices) is it, however many characters another
	// choice's name shares with the reply.
	if len(hits) > 0 && slices.Contains(cands, hits[0].ID) && hits[0].Coverage >= namedCoverage {
		return hits[0].ID, true
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
	if id, ok := as.notOffered(hits, cands); ok {
		return id, true
	}
	if id, ok := as.pickByOwnWord(norm, cands, of); ok {
		return id, true
	}
	return as.pickVariant(norm, cands)
}

// notOffered returns the item a reply to a clarify question names on its
// own, when it is none of the choices offered and stands far above all of
// them in the reply's own retrieval: "我是退伍兵 想贷款开个小超市" after
// the general start-up choices is the veterans' loan, "佢读紧私立小学"
// after the school choices the private-school subsidy. hits are the
// reply's own retrieval.
func (as *Assistant) notOffered(hits []search.Hit, cands []string) (string, bool) {
	if len(hits) == 0 || !as.unofferedVersion(hits[0], cands) {
		return "", false
	}
	for _, h := range hits[1:] {
		if slices.Contains(cands, h.ID) && h.Score*notOfferedRatio > hits[0].Score {
			return "", false
		}
	}
	return hits[0].ID, true
}

// unofferedVersion reports a hit that is none of the choices offered and
// that the reply names (its name covered at least notOfferedCoverage, not
// by a qualifier alone), in a word no choice's name holds, while being a
// version of one of them.
func (as *Assistant) unofferedVersion(h search.Hit, cands []string) bool {
	if slices.Contains(cands, h.ID) || h.Coverage < notOfferedCoverage || qualifierOnly(h) {
		return false
	}
	// It must name something no choice's name holds: 残疾证 after the
	// certificate's first issue and its renewal chooses between them.
	var names []string
	for _, id := range cands {
		if it, ok := as.cfg.Index.Item(id); ok {
			names = append(names, as.a.Normalize(it.Name))
		}
	}
	if !slices.ContainsFunc(h.NameTerms, func(n string) bool {
		return !slices.ContainsFunc(names, func(name string) bool { return strings.Contains(name, n) })
	}) {
		return false
	}
	// And it must be a version of an offered choice, its name sharing a
	// word of substance with one (创业贷款贴息 of 创业担保贷款贴息, 学位 of
	// 学位补贴 and 学位申请): a
	// reply telling the resident's trade (开个小饭馆) still chooses.
	return as.sharesSubstance(as.a.Normalize(h.Name), names...)
}

// sharesSubstance reports two characters of name, not a generic word,
// that one of others holds too.
func (as *Assistant) sharesSubstance(name string, others ...string) bool {
	for w := range bigramSet(name) {
		if !as.generic[w] && slices.ContainsFunc(others, func(o string) bool { return strings.Contains(o, w) }) {
			return true
		}
	}
	return false
}

// decidedAlone returns the item a reply to a clarify question is answered
// with when read on its own, as a first message, when that item is an
// unoffered version of the choices (unofferedVersion): what the reply asks
// for ("想配根盲杖和助视器" after the disability benefits: 辅助器具适配)
// outranks the offered choice that its story matched more ("二级视力残疾":
// 重度残疾人护理补贴). The reading on its own consults no model.
func (as *Assistant) decidedAlone(ctx context.Context, t *turnState) (*kb.Item, bool) {
	alone := &turnState{in: t.in, conversationID: t.conversationID, alone: true}
	as.resolveTurn(ctx, alone)
	if alone.status != Answered || alone.item == nil {
		return nil, false
	}
	// A choice that is the alone item's version for a group (退役军人创业
	// 贷款贴息 of 创业担保贷款贴息) was offered for the group said before
	// ("我是退伍的"), which the reply need not say again.
	for _, id := range t.state.Candidates {
		if it, ok := as.cfg.Index.Item(id); ok && as.groupVersion(it.Name, alone.item.Name) {
			return nil, false
		}
	}
	for _, h := range alone.hits {
		if h.ID == alone.item.ID {
			return alone.item, as.unofferedVersion(h, t.state.Candidates) || as.unofferedOfTopic(h, t.state.Candidates, t.state.ClarifyOf)
		}
	}
	return nil, false
}

// unofferedOfTopic reports a hit that is none of the choices offered for
// a message naming only a topic (户口方面有事咨询) or a field (店铺证件出
// 了点问题), that the reply names (as unofferedVersion asks), and that
// matched a word of the topic or the field: the choices were its first
// few items, and the reply chose another of them (夫妻投靠入户 of 户口).
func (as *Assistant) unofferedOfTopic(h search.Hit, cands []string, of string) bool {
	if slices.Contains(cands, h.ID) || h.Coverage < notOfferedCoverage || qualifierOnly(h) {
		return false
	}
	topic, ok := topicOnly(of)
	if !ok {
		topic = of
	}
	// A field said in everyday words (店铺) is the catalogue's words for
	// it (营业执照); those of a topic are its own. A message neither
	// topic nor field offered its choices for what else it said.
	var words []string
	for _, w := range as.a.Words(topic) {
		if f := as.fields[w]; f != nil {
			words = append(words, f...)
		} else if ok {
			words = append(words, w)
		}
	}
	return slices.ContainsFunc(words, func(w string) bool {
		return utf8.RuneCountInString(w) >= 2 && !as.generic[w] && slices.Contains(h.Terms, w)
	})
}

// groupVersion reports a name holding a group of people (lexicon/
// audiences.txt) that general does not, sharing a word of substance with
// it: the group's version of the general item.
func (as *Assistant) groupVersion(name, general string) bool {
	name, general = as.a.Normalize(name), as.a.Normalize(general)
	// Of the groups the name holds, the whole ones (困难残疾人, not its 困难);
	// a narrower kind of a group general names too (重度残疾人 of 残疾人)
	// is no other group.
	other := func(g string) bool {
		whole := strings.Contains(name, g) && !slices.ContainsFunc(as.audiences, func(h string) bool {
			return len(h) > len(g) && strings.Contains(h, g) && strings.Contains(name, h)
		})
		return whole && !strings.Contains(general, g) &&
			!slices.ContainsFunc(as.audiences, func(h string) bool { return strings.Contains(general, h) && strings.Contains(g, h) })
	}
	return slices.ContainsFunc(as.audiences, other) && as.sharesSubstance(general, name)
}

// notOfferedRatio is how far above every offered choice an item the reply
// names on its own must score to be taken instead.
const notOfferedRatio = 1.5

// notOfferedCoverage is how much of its name such an item's words must
// cover.
const notOfferedCoverage = 0.4

// settleClarify answers a clarify question the resident settled by a
// detail rather than by a name or a place ("租房那个 房东叫我去弄" after
// 备案 choices): the choices are the offered candidates and the other
// items named for what they share (备案: the offer showed only three), and
// the message's own retrieval ranks them. A message that names an item
// outright is a new question, decided on its own.
func (as *Assistant) settleClarify(cands []string, hits []search.Hit) (*kb.Item, bool) {
	if len(hits) == 0 || hits[0].Coverage >= namedCoverage {
		return nil, false
	}
	offered := map[string]bool{}
	var names []string
	for _, id := range cands {
		if it, ok := as.cfg.Index.Item(id); ok {
			offered[id] = true
			names = append(names, as.a.Normalize(it.Name))
		}
	}
	shared := as.sharedNameWords(names)
	var eligible []search.Hit
	for _, h := range hits {
		if offered[h.ID] {
			eligible = append(eligible, h)
			continue
		}
		name := as.a.Normalize(h.Name)
		for _, w := range shared {
			if strings.Contains(name, w) {
				eligible = append(eligible, h)
				break
			}
		}
	}
	if len(eligible) == 0 || eligible[0].Score < settleShare*hits[0].Score {
		return nil, false
	}
	if len(eligible) > 1 && eligible[1].Score >= closeRatio*eligible[0].Score {
		return nil, false
	}
	return as.cfg.Index.Item(eligible[0].ID)
}

// settleShare is the share of the message's best score the chosen
// candidate must reach: the detail must speak for it, not for another
// matter altogether.
const settleShare = 0.4

// sharedNameWords are the words (two characters or more, not generic)
// every name holds: 备案 of 异地就医备案, 公章刻制备案 and 户外招牌设置备案.
func (as *Assistant) sharedNameWords(names []string) []string {
	if len(names) < 2 {
		return nil
	}
	var out []string
	for _, w := range as.a.Segment(names[0]) {
		if utf8.RuneCountInString(w) < 2 || as.a.IsStop(w) || slices.Contains(out, w) {
			continue
		}
		all := true
		for _, n := range names[1:] {
			if !strings.Contains(n, w) {
				all = false
				break
			}
		}
		if all {
			out = append(out, w)
		}
	}
	return out
}

// leavesWord reports a message leaving a word unexplained (基金), not
// only single characters (人) that unknown text falls apart into.
func (as *Assistant) leavesWord(content string, q search.Query, hits []search.Hit) bool {
	_, unknown := as.explained(content, q, hits)
	return utf8.RuneCountInString(unknown) >= 2
}

// askAgain repeats a clarify question the turn did not answer, with the
// same choices.
func (as *Assistant) askAgain(t *turnState) bool {
	var cands []search.Hit
	for _, id := range t.state.Candidates {
		if it, ok := as.cfg.Index.Item(id); ok {
			cands = append(cands, search.Hit{ID: it.ID, Name: it.Name})
		}
	}
	if len(cands) < 2 {
		return false
	}
	t.status, t.scope, t.candidates, t.reason = Clarify, "", cands, "追问未说明是哪一项"
	return true
}

// carryTopic answers "那公积金呢 也能自己交吗" after 灵活就业 养老保险自己交:
// the turn names another thing (X) and asks of it what the thread asked,
// so X's items are ranked on the turn and the thread's topic together;
// of those whose name holds what the turn names, one clearly first is
// the answer. Ranking X alone cannot see the predicate carried over.
func (as *Assistant) carryTopic(t *turnState, topic string, q search.Query) (*kb.Item, bool) {
	if topic == "" || len(q.Words) == 0 {
		return nil, false
	}
	var named []string
	for _, w := range q.Words {
		if utf8.RuneCountInString(w.Text) >= 2 && w.Source != search.FromPinyin {
			named = append(named, w.Text)
		}
	}
	if len(named) == 0 {
		return nil, false
	}
	both := t.content + " " + topic
	hits := as.cfg.Index.SearchQuery(as.cfg.Index.Analyse(both), 12).Hits
	var own []search.Hit
	for _, h := range hits {
		if slices.ContainsFunc(named, func(w string) bool { return strings.Contains(h.Name, w) }) {
			own = append(own, h)
		}
	}
	if len(own) == 0 || len(own) > 1 && own[0].Score < carryMargin*own[1].Score {
		return nil, false
	}
	return as.cfg.Index.Item(own[0].ID)
}

// carryMargin is how far ahead of X's next item the first must rank on
// the turn and the thread's topic together.
const carryMargin = 1.2

// rememberTopic keeps the content of a turn that chose a new item as the
// thread's topic; a follow-up on the same item keeps the topic it had.
func (as *Assistant) rememberTopic(t *turnState, before string) {
	switch {
	case t.status == Clarify && len(t.state.Candidates) == 0:
		t.state.ClarifyOf = strings.TrimSpace(t.content)
	case t.status != Clarify:
		t.state.ClarifyOf = ""
	}
	if t.status != Answered || t.item == nil {
		t.state.Guess = nil
		return
	}
	if t.item.ID != t.state.Item {
		t.state.Guess = as.guessOf(t)
	}
	if t.item.ID != t.state.Item || before == "" {
		if c := strings.TrimSpace(t.content); c != "" {
			t.state.Topic = c
		}
	}
}

// byTopic picks among choices the one whose guide holds most of what the
// thread was about, when one holds more than every other; else, when
// neither the thread nor the turn asks for a variant (补发, 换领), the one
// choice that is not a variant ("那出生证明呢" after 上户口: 签发, not 补发).
func (as *Assistant) byTopic(topic string, turn search.Query, cands []search.Hit) (*kb.Item, bool) {
	q := as.cfg.Index.Analyse(topic)
	if it, ok := as.topicHolds(topic, q, cands); ok {
		return it, true
	}
	if as.asksVariant(q) || as.asksVariant(turn) {
		return nil, false
	}
	var plain *kb.Item
	for _, h := range cands {
		if as.isVariant(h.Name) {
			continue
		}
		if plain != nil {
			return nil, false
		}
		plain, _ = as.cfg.Index.Item(h.ID)
	}
	return plain, plain != nil
}

// topicHolds picks the choice whose guide holds most of the topic.
func (as *Assistant) topicHolds(topic string, q search.Query, cands []search.Hit) (*kb.Item, bool) {
	var best *kb.Item
	bestShare, ties := 0.0, 0
	for _, h := range cands {
		it, ok := as.cfg.Index.Item(h.ID)
		if !ok {
			continue
		}
		switch share := as.itemHolds(it, topic, q, true); {
		case share > bestShare:
			best, bestShare, ties = it, share, 1
		case share == bestShare:
			ties++
		}
	}
	return best, best != nil && bestShare > 0 && ties == 1
}

// ordinals name the choices of a clarify question by their place.
var ordinals = [][]string{{"第一", "前者", "头一", "1", "一"}, {"第二", "后者", "2", "二"}, {"第三", "3", "三"}}

// choiceOrdinal reads the place of the choice a message names: the whole
// message is an ordinal ("2", "一个", "第二个吧"), or a spelled-out one
// stands in it as a word of its own ("我要办第二个", "选后者"). An ordinal
// inside another word names no choice: "第一次", "一个人", "二手房".
func choiceOrdinal(msg string) (int, bool) {
	for i, words := range ordinals {
		for _, w := range words {
			strong := utf8.RuneCountInString(w) > 1
			for at := 0; ; {
				j := strings.Index(msg[at:], w)
				if j < 0 {
					break
				}
				before, after := msg[:at+j], msg[at+j+len(w):]
				at += j + len(w)
				if !strong && before != "" {
					continue // a bare 2 or 二 is the whole answer or nothing
				}
				if endsChoice(strings.TrimLeft(after, " ")) {
					return i, true
				}
			}
		}
	}
	return 0, false
}

// endsChoice reports what may follow an ordinal that names a choice:
// nothing, a measure word (个, 项) and then nothing or a particle.
func endsChoice(after string) bool {
	for _, m := range []string{"个", "项", "种", "条"} {
		after = strings.TrimPrefix(after, m)
	}
	after = strings.TrimLeft(after, " ")
	if after == "" {
		return true
	}
	for _, p := range []string{"吧", "呢", "啊", "吗", "的", "那个", "这个", "."} {
		if strings.HasPrefix(after, p) {
			return true
		}
	}
	return false
}

// pickVariant picks, for an answer saying the thing was lost or must be
// replaced (不见了, 要补), the one candidate that is a variant (补领, 换领).
func (as *Assistant) pickVariant(norm string, cands []string) (string, bool) {
	q := as.cfg.Index.Analyse(norm)
	if !as.asksVariant(q) {
		return "", false
	}
	// The one candidate named for the variant asked (丢了 → 补领), else
	// the one variant among them.
	named, variant := "", ""
	nNamed, nVariant := 0, 0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		name := as.a.Normalize(it.Name)
		for _, w := range q.Words {
			if as.variants[w.Text] && strings.Contains(name, w.Text) {
				named, nNamed = id, nNamed+1
				break
			}
		}
		if as.isVariant(it.Name) {
			variant, nVariant = id, nVariant+1
		}
	}
	switch {
	case nNamed == 1:
		return named, true
	case nVariant == 1:
		return variant, true
	}
	// … else the one whose guide speaks of it (过期 → 换领, whose
	// conditions say 有效期满).
	pick, n := "", 0
	for _, id := range cands {
		it, ok := as.cfg.Index.Item(id)
		if !ok {
			continue
		}
		text := as.a.Normalize(itemText(it))
		for _, w := range q.Words {
			if as.variants[w.Text] && strings.Contains(text, w.Text) || w.Source == search.FromQuery && utf8.RuneCountInString(w.Text) >= 2 && strings.Contains(text, w.Text) {
				pick, n = id, n+1
				break
			}
		}
	}
	return pick, n == 1
}

// pickByOwnWord picks the one candidate whose name holds a word of the
// answer, or of its synonyms, that no other candidate's name holds:
// "我是退伍的" answers 创业担保贷款贴息 or 退役军人创业贷款贴息 through
// 退伍 → 退役军人. A word of what the question was asked about (of: 发票
// after "开发票的事") was in every choice's reason and names none.
func (as *Assistant) pickByOwnWord(norm string, cands []string, of string) (string, bool) {
	names := make([]string, len(cands))
	for i, id := range cands {
		if it, ok := as.cfg.Index.Item(id); ok {
			names[i] = as.a.Normalize(it.Name)
		}
	}
	q := as.cfg.Index.Analyse(norm)
	pick := -1
	for i, name := range names {
		own := false
		for _, w := range q.Words {
			if len([]rune(w.Text)) < 2 || as.generic[w.Text] || !strings.Contains(name, w.Text) || of != "" && strings.Contains(of, w.Text) {
				continue
			}
			shared := false
			for j, other := range names {
				if j != i && strings.Contains(other, w.Text) {
					shared = true
				}
			}
			if !shared {
				own = true
			}
		}
		if own {
			if pick >= 0 {
				return "", false
			}
			pick = i
		}
	}
	if pick < 0 {
		return "", false
	}
	return cands[pick], true
}

// guessReach is how many of a guess's candidates a reply may choose from.
const guessReach = 4

// guessOf returns the first candidates of an answer decided on its message
// alone that did not name the item it chose, that item first; nil for any
// other answer. The guess holds while the thread stays on the item.
func (as *Assistant) guessOf(t *turnState) []string {
	if t.confidence == 0 || len(t.hits) < 2 {
		return nil
	}
	for _, h := range t.hits {
		if h.ID == t.item.ID && h.Coverage >= namedCoverage {
			return nil
		}
	}
	ids := []string{t.item.ID}
	for _, h := range t.hits {
		if len(ids) == guessReach {
			break
		}
		if h.ID != t.item.ID {
			ids = append(ids, h.ID)
		}
	}
	return ids
}

// reguess reads a reply to a guessed answer (state.Guess) with the
// question it follows: what the reply adds to the case ("是公积金的 交了五年"
// after 想打印一下我交了几年) chooses among the guess's candidates, as a
// detail settles a clarify question. The item guessed keeps the turn
// unless another candidate clearly ranks above it on both together.
// rq is the reply's own analysed content.
func (as *Assistant) reguess(t *turnState, cur *kb.Item, rq search.Query) (*kb.Item, bool) {
	if len(t.state.Guess) < 2 || t.state.Topic == "" || as.onlyGeneric(t.content) || as.salientMass(t.content) < switchMass {
		return nil, false
	}
	both := t.state.Topic + " " + t.content
	q := as.cfg.Index.Analyse(both)
	hits := as.cfg.Index.SearchQuery(q, 8).Hits
	hits = as.situate(as.situations.detect(both), q, hits)
	if len(hits) == 0 || hits[0].ID == cur.ID || !slices.Contains(t.state.Guess, hits[0].ID) {
		return nil, false
	}
	for _, h := range hits[1:] {
		if h.ID == cur.ID && h.Score >= closeRatio*hits[0].Score {
			return nil, false
		}
	}
	it, ok := as.cfg.Index.Item(hits[0].ID)
	if !ok {
		return nil, false
	}
	// The reply itself must speak for it: its words held more by the
	// candidate's text than by the item guessed.
	if as.itemExplains(it, t.content, rq) <= as.itemExplains(cur, t.content, rq) {
		return nil, false
	}
	return it, true
}

// namesOnlyOther reports a turn naming another item outright, in its own
// words, while the current item's text holds none of what it says ("买了
// 二手房 要过户 得带哪些东西" after 不动产权证书补发): what to bring for
// that item is asked, not a material of the current one.
func (as *Assistant) namesOnlyOther(cur *kb.Item, t *turnState, q search.Query, top search.Hit) bool {
	return top.Coverage >= namedCoverage && saysPartOfName(top, q) && as.itemExplains(cur, t.content, q) == 0
}
