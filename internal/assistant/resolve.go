package assistant

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// turnState carries one turn through the pipeline.
type turnState struct {
	in             input
	normAspect     Aspect // detectAspect of in.norm, worked out once
	state          State
	conversationID string
	startBooking   bool          // the resident asked to book the item answered
	startDoorstep  bool          // … or for door-to-door service
	benefits       *benefitsTurn // the eligibility dialogue's part of the turn
	tree           *treeTurn     // a tree report's part of the turn
	hazard         *hazardTurn   // a waterlogging question's part of the turn

	aspect     Aspect
	item       *kb.Item
	raw        []search.Hit // retrieval on the message's content
	hits       []search.Hit // … with the items of a described situation raised
	candidates []search.Hit // for a clarify turn
	status     Status
	scope      string // why out of scope: a category, "place", "unknown", "nothing"
	place      string // the other place a "place" decline names
	reason     string // for the record and a handoff ticket
	sensitive  *SensitiveWord
	flags      []string
	faq        *kb.FAQ // an FAQ entry the question matches
	content    string  // the message without its aspect cues
	situations []*situation
	asked      string // the document a yes/no question asks about
	// the aspect is the steps asked by how + the item's verb ("怎么注销"),
	// with no cue to weigh lighter than the words naming the item
	aspectOfVerb bool
	receives     bool // the question asks an amount the resident receives
	// confidence of an answer decided on the message alone (decide); 0
	// for answers that follow the conversation.
	confidence float64
	// sibling says why, of close siblings, the chosen one won (bySiblings).
	sibling string
	// alone marks a reply to a clarify question read on its own
	// (decidedAlone): no model is consulted for it.
	alone bool
}

// Ranking thresholds. They are global numbers chosen on the development
// dialogues as a whole; no rule names a question.
const (
	// A candidate within this share of the best score competes with it.
	closeRatio = 0.7
	// A bare message whose best item is a variant (补领) it did not ask
	// for is asked back when an item named for the same thing scores at
	// least this share of the best.
	bareVariantRatio = 0.5
	// … and a message that is only the document is asked back with the
	// items naming it that score at least this share of the best.
	bareDocumentRatio = 0.2
	// A situation's cue word (户口 after a birth) puts its item in place of
	// the best only when it scores at least this share of the best; below,
	// the words that ranked the best say more than the cue.
	cueRatio = 0.5
	// A short message (at most spreadRichness content words besides the
	// wrapping of a request) whose best
	// item matched the same words as another scoring at least spreadRatio
	// of it is asked back (decide, matchedAlike).
	spreadRatio    = 0.5
	spreadRichness = 3
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
	// An everyday cue (快递, 起名字) declines a question whose best items
	// explain less than this share of its salient words.
	weakCueShare = 0.6
	// A best hit covering this share of its item's name and scoring this
	// many times the next is taken whatever everyday cue the message has.
	dominantCoverage = 0.5
	dominantRatio    = 3
)

// failuresBeforePerson is how many unanswered turns in a row make the
// next one go to a person.
const failuresBeforePerson = 2

func (as *Assistant) resolve(ctx context.Context, t *turnState) {
	// Spoken forms become written ones, except while an appointment is
	// being made: names and addresses are read as typed.
	t.in.typed = t.in.norm
	if t.state.Booking == nil {
		t.in.norm = as.talk.rewrite(t.in.norm)
	}
	topic := t.state.Topic
	as.resolveTurn(ctx, t)
	as.rememberTopic(t, topic)
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
	// A tree report's place is asked for one turn only.
	treeDraft := t.state.TreeReport
	t.state.TreeReport = nil
	t.normAspect = as.detectAspect(norm)
	t.aspect = t.normAspect
	t.aspectOfVerb = as.aspectOfVerb(norm, t.normAspect)
	if t.aspect == Materials {
		t.asked = askedMaterial(norm)
	}
	// "一个月能领多少" asks what the resident receives, not a fee; so does
	// "每月能拿到多少", whose 拿到 alone would ask when.
	if asksReceive.MatchString(norm) && (t.aspect == "" || t.aspect == Fee || t.aspect == Overview || t.aspect == TimeLimit && receivedAmount.MatchString(norm)) {
		t.aspect, t.receives = Fee, true
	}

	// Abuse gets a calm reply and the offer of a person, never a service
	// item; with a request for a person, a person.
	// A word that can be abuse (智障, 垃圾) in a story of illness or
	// disability describes a person's life, not the service.
	// A wording a reviewer taught as an item's question is not abuse
	// (垃圾 of a 垃圾分类 question).
	if abuse, addressed, person := as.scopes.abusive(norm); abuse && !person && (addressed || !neverDeclined(as.situations.detect(norm))) && !as.learnedHeld(t, norm) {
		t.status, t.scope, t.reason = OutOfScope, "abuse", "辱骂或情绪激动"
		return
	}
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
	// Instructions to the system, or claims of authority inside a
	// message, are not questions about services.
	if as.scopes.injected(norm) || t.in.typed != norm && strings.IndexFunc(t.in.typed, isASCIILetter) >= 0 && as.scopes.injected(t.in.typed) {
		t.status, t.scope, t.reason = OutOfScope, "meta", "消息中冒充系统或管理员指令"
		return
	}
	for _, h := range as.scope.match(norm) {
		if h.label == "meta" {
			t.status, t.scope, t.reason = OutOfScope, "meta", "试图改变助手指令"
			return
		}
	}
	// Another person's records are theirs: declined, saying why.
	if as.scopes.othersRecords(norm) {
		t.status, t.scope, t.reason = OutOfScope, "records", "查询他人个人信息或办理记录"
		return
	}
	// A card a business or health provider issues is theirs to replace,
	// unless it is what an item asks for: a material asked about, or
	// named in the guide of the item being discussed, or in an item's
	// name.
	if card, ok := as.scopes.providerCard(norm, as.isWord); ok && !as.cardOfItem(t, card) {
		t.status, t.scope, t.reason = OutOfScope, "provider", "非政府部门发放的卡证："+card
		return
	}
	// An appointment being made in the chat takes the turn first.
	if t.state.Booking != nil && as.cfg.Booking != nil {
		t.status = statusBooking
		return
	}
	// A tree problem reported, or where the tree is (treereport.go).
	if as.resolveTreeReport(t, treeDraft) {
		return
	}
	// An eligibility question, or the answer to one (benefits.go).
	if as.resolveBenefits(ctx, t) {
		return
	}
	// A waterlogging question, or the community it was asked for
	// (hazards.go).
	if as.resolveHazard(ctx, t) {
		return
	}
	// The answer to a clarify question. A reply holding a reviewer's
	// learned question whole goes where the reviewer said, offered or
	// not: the choices were the assistant's guess, the lesson is what the
	// resident turned out to mean.
	if len(t.state.Candidates) > 0 {
		if it, ok := as.learnedItem(t, norm); ok {
			as.answer(t, it, norm, learnedReason)
			return
		}
		if it, ok := as.decidedAlone(ctx, t); ok {
			as.answer(t, it, norm, "")
			return
		}
		if id, ok := as.pickCandidate(ctx, norm, t.state.Candidates, t.state.ClarifyOf); ok {
			if it, ok := as.cfg.Index.Item(id); ok {
				t.item, t.status = it, Answered
				return
			}
		}
	}

	content := as.contentText(norm)
	// The time of day an hours question asks about (中午十二点) is the
	// question's, not a thing the catalogue lacks.
	if t.aspect == Location && asksHour(norm) {
		content = strings.TrimSpace(askedHour.ReplaceAllString(content, " "))
	}
	// In a conversation, the document a yes/no question asks about is a
	// material of the item being discussed, not a new topic: "要带户口本吗"
	// while discussing 居住证 is about 居住证.
	// So is it while a clarify question is pending: "要带两个人的合照吗"
	// asks about the choices offered.
	if _, ok := as.cfg.Index.Item(t.state.Item); (ok || len(t.state.Candidates) > 0) && t.asked != "" {
		content = strings.TrimSpace(strings.ReplaceAll(content, t.asked, " "))
	} else if t.asked != "" {
		// Without one, the document is still not the topic when the rest
		// of the message names an item: "长者饭堂吃饭要带长者卡吗" is about
		// 长者助餐, the card is what to bring.
		if rest := strings.TrimSpace(strings.ReplaceAll(content, t.asked, " ")); as.namesItem(rest) {
			content = rest
		}
	}
	content = as.dropWorkplace(content)
	content = as.dropPossessor(content)
	content = dropPurpose(content)
	t.content = content
	q := as.cfg.Index.Analyse(content)
	// Another place the resident goes to or stays in (转到上海…住院) is
	// what the synonym table calls 外地: its phrases for services done
	// away from Shenzhen (外地…医院 → 异地就医) read any place so named.
	if away := as.scopes.asAway(content); away != content {
		for _, w := range as.cfg.Index.Analyse(away).Words {
			if w.Source == search.FromSynonym && !slices.ContainsFunc(q.Words, func(x search.Term) bool { return x.Text == w.Text }) {
				q.Words = append(q.Words, w)
			}
		}
	}
	var res search.Result
	if len(q.Words) > 0 {
		res = as.cfg.Index.SearchAnalysed(ctx, content, q, 8) // dense channel too, when configured
	} else {
		res = as.cfg.Index.SearchQuery(q, 8)
	}
	// What the message denies ("我不是退伍的") is no evidence for an item
	// or a situation.
	denied, undenied := as.denied(norm, q)
	denied = deniedWelfare(norm, deniedDevice(norm, deniedLoan(norm, denied)))
	t.situations = as.situations.detect(dropPurpose(t.withoutAsked(undenied)))
	t.raw = as.withoutDenied(res.Hits, q, denied)
	t.hits = as.withoutOpposites(norm, as.situate(t.situations, q, t.raw))

	// A clarify question settled by a detail chooses among its choices;
	// the item guessed before it was asked is not one of them.
	pending := len(t.state.Candidates) > 0 && len(q.Words) > 0
	if pending {
		if it, ok := as.settleClarify(t.state.Candidates, t.hits); ok {
			as.answer(t, it, norm, "")
			return
		}
	}

	// A follow-up leans on the item being discussed, unless it asks for
	// something no service is (a recipe, a lawyer) however it goes on
	// from the item.
	if cur, ok := as.cfg.Index.Item(t.state.Item); ok && !pending {
		// A reviewer's lesson decides before the thread's rules and the
		// everyday cues (a reviewer said where the wording belongs): a
		// follow-up holding a learned question of the current item (its
		// name aside: "居住证 要多久" in "那要多久") stays on it; one
		// holding a learned question of another item whole moves there.
		// The lesson is held by the whole message, aspect cues and all
		// ("要先" in "税务那边要先"), not only its content.
		var wholes []search.Query
		if as.cfg.Index.HasLearned() {
			wholes = as.wholeMessage(t, norm)
		}
		for _, whole := range wholes {
			if as.cfg.Index.LearnedFull(whole, cur.ID, true) {
				as.answer(t, cur, norm, "")
				return
			}
		}
		for _, whole := range wholes {
			if id, ok := as.cfg.Index.LearnedSwitch(whole, cur.ID); ok {
				if it, ok := as.cfg.Index.Item(id); ok {
					as.answer(t, it, norm, "")
					return
				}
			}
		}
		if h, ok := as.everyday(t, q, t.raw); ok {
			t.status, t.scope, t.reason = OutOfScope, h.label, "非政务服务问题："+h.cue
			return
		}
		// A service another body provides, asked after in the middle of
		// a dialogue (普通话测试在哪报名 while on 教师资格认定), is theirs
		// however the current item mentions it; asking whether to bring
		// its paper (要带驾驶证吗) is the current item's materials.
		// A paper asked for that purpose, named outright (开签证要一份公积金
		// 缴存证明), is the catalogue's item.
		namesItem := len(t.raw) > 0 && t.raw[0].Coverage >= namedCoverage && namesInOwnWords(t.raw[0], q)
		if s, ok := as.scopes.serviceElsewhere(norm); ok && t.normAspect != Materials && t.asked == "" && !as.paperFor(norm, s) && !namesItem {
			t.status, t.scope, t.reason = OutOfScope, "level", "不属于本区目录的事项："+s
			return
		}
		// So is the same service in another place (the elders' alarm where
		// a mother lives in another district), when the turn says it is
		// that place's (她那边的) or says little of the item discussed: a
		// move there the item is for (辞职去香港 after 公积金 on leaving
		// Shenzhen) stays.
		if p, ok := as.scopes.placeElsewhere(norm); ok && (hasAny(norm, thereOwns) || as.itemExplains(cur, t.content, q) < placeThreadShare) && !as.scopes.sameCity(p, cur.Department) && len(t.raw) > 0 && !as.sameCity(p, t.raw[0]) {
			t.status, t.scope, t.place, t.reason = OutOfScope, "place", p, "其他地区的事项："+p
			return
		}
		if as.registeredElsewhere(t, cur.ID) {
			return
		}
		if it, ok := as.reguess(t, cur, q); ok {
			as.answer(t, it, norm, "")
			return
		}
		// "那丢了补领呢" after 身份证换领: a change of thread to a variant
		// the current item is not, naming nothing else, is its family's
		// item for that variant.
		if as.shiftsThread(norm) && as.onlyGeneric(content) {
			if it, ok := as.variantSibling(cur, q, t.hits); ok {
				as.answer(t, it, norm, "")
				return
			}
		}
		// A follow-up turning to another office than the item's (税务那边
		// 也要报到吗 after the business licence) asks after that office's
		// item.
		if it, ok := as.otherOffice(cur, norm, t.hits); ok {
			as.answer(t, it, norm, "")
			return
		}
		// One made only of generic words ("丢了", "要补办") names no other
		// item: it is about the current one.
		if as.onlyGeneric(content) || as.staysOn(cur, t, q, t.hits) {
			as.answer(t, cur, norm, "")
			return
		}
		if it, ok := as.sibling(cur, q, t.hits); ok {
			as.answer(t, it, norm, "")
			return
		}
	}
	as.decide(t, q)
	// "那身份证呢" after 社保卡丢了: the choices are told apart by what the
	// thread was about (丢了 → 补领).
	if t.status == Clarify && len(t.candidates) > 1 && t.state.Topic != "" && as.shiftsThread(norm) {
		it, ok := as.byTopic(t.state.Topic, q, t.candidates)
		if !ok {
			it, ok = as.carryTopic(t, t.state.Topic, q)
		}
		if ok {
			as.answer(t, it, norm, "")
		}
	}
	// "补证" asked back, then "结婚证": the reply names a family of its own
	// whose members the question asked back tells apart (补 → 补领结婚证).
	// "证件丢了要补" then "户口本": what to do with the document named is
	// what was asked. "医保可以自己交吗" then "那公积金呢 也可以自己缴吗":
	// the predicate carries over.
	if t.status == Clarify && len(t.candidates) > 0 && t.state.ClarifyOf != "" && !slices.ContainsFunc(t.candidates, func(h search.Hit) bool { return slices.Contains(t.state.Candidates, h.ID) }) {
		of := t.state.ClarifyOf
		it, ok := as.topicHolds(of, as.cfg.Index.Analyse(of), t.candidates)
		if !ok && as.shiftsThread(norm) {
			it, ok = as.carryTopic(t, of, q)
		}
		if ok {
			as.answer(t, it, norm, "")
		}
	}
	// A reviewer's lessons on turns like this one: a learned question
	// held whole, then a decline or ask lesson (kb.ScopeLesson).
	as.learnedDecides(t, norm)
	as.scopeLesson(t)
	// A turn that does not answer a clarify question but asks an aspect,
	// naming nothing the catalogue lacks ("多久能下来", "一个人去要多久"),
	// is asked the question again, not declined, and so is one that tells
	// more of the case but asks nothing ("我外婆九十三了 耳朵不好"), whether
	// or not it tells a life situation: the question asked stands, its
	// choices with it. One asking after what the catalogue lacks ("那基金
	// 呢") is declined.
	if len(t.state.Candidates) > 0 && (t.status == OutOfScope && (t.scope == "nothing" || t.scope == "unknown" && (t.aspect != "" && !as.leavesWord(t.content, q, t.raw) || !isQuestion(norm))) ||
		t.status == Clarify && t.reason == storyReason && !isQuestion(norm)) {
		as.askAgain(t)
	} else if len(t.state.Candidates) > 0 && t.status == OutOfScope && t.scope == "unknown" && as.richness(t.content) > spreadRichness {
		// One telling the case at length and asking of it, none of whose
		// words the catalogue explains (去年只上了半年班 … 扣多了 能拿回来吗
		// after 个税的事), tells the case of the question asked: the
		// choice retrieval ranked first for it. A short one naming a thing
		// (那基金呢) asks after something else and stays declined.
		if it, ok := as.cfg.Index.Item(t.state.Candidates[0]); ok {
			as.answer(t, it, norm, "")
		}
	}
	if as.cfg.Model != nil && as.cfg.Understand && !t.alone &&
		(t.status == Clarify || t.status == OutOfScope && (t.scope == "unknown" || t.scope == "nothing")) {
		as.understand(ctx, t)
	}
}

// compound reports a message of several sentences or clauses set apart
// by punctuation (spaces, a voice transcript's pauses, do not count).
func compound(norm string) bool {
	return len(strings.FieldsFunc(norm, func(r rune) bool { return strings.ContainsRune("，,；;。？?！!", r) })) > 1
}

// wholeMessage is the message analysed whole for holding a reviewer's
// learned question: as its spoken forms were rewritten (norm) and, when
// that differs, as written (license, 咗), the words lessons are taught in.
func (as *Assistant) wholeMessage(t *turnState, norm string) []search.Query {
	out := []search.Query{as.cfg.Index.Analyse(norm)}
	if written := as.a.Normalize(t.in.masked); written != norm {
		out = append(out, as.cfg.Index.Analyse(written))
	}
	return out
}

// learnedDecides answers with the item a reviewer taught the turn's
// wording for: the message holds one of its learned questions (FAQ
// entries added in the console) whole, of two words at least
// (search.Index.LearnedSwitch). The ranking may put the item first and
// the decision still decline the turn for words the catalogue lacks, or
// rivals matching more of its words outrank it; the reviewer has said
// where such a wording belongs. A turn answered with an item it names or
// whose own learned question it holds is left. A turn declined as
// another place's is decided only by a learned question naming that place
// (search.Index.LearnedNaming): the reviewer taught that wording whole.
func (as *Assistant) learnedDecides(t *turnState, norm string) {
	if !as.cfg.Index.HasLearned() {
		return
	}
	switch {
	case t.status == Answered && t.item != nil, t.status == Clarify:
	case t.status == OutOfScope && t.scope == "place":
		naming := func(q search.Query) (string, bool) { return as.cfg.Index.LearnedNaming(q, t.place) }
		if it, ok := as.learnedIn(as.wholeMessage(t, norm), naming); ok {
			as.answer(t, it, norm, learnedReason)
		}
		return
	case t.status == OutOfScope:
	default:
		return
	}
	// A question of several sentences naming the item it was answered
	// with (its hit covers the name, namedCoverage) asks about that item
	// too, whatever else it holds: "租房提公积金要什么材料，租房合同要不要
	// 备案" names 租赁备案 beside a lesson's wording for the withdrawal.
	if t.status == Answered && compound(t.in.norm) && slices.ContainsFunc(t.hits, func(h search.Hit) bool { return h.ID == t.item.ID && h.Coverage >= namedCoverage }) {
		return
	}
	wholes := as.wholeMessage(t, norm)
	for _, whole := range wholes {
		if t.status == Answered && as.cfg.Index.LearnedFull(whole, t.item.ID, false) {
			return
		}
	}
	if it, ok := as.learnedIn(wholes, as.anyLearned); ok {
		as.answer(t, it, norm, learnedReason)
	}
}

// learnedHeld reports a message holding a reviewer's learned question
// whole (learnedItem).
func (as *Assistant) learnedHeld(t *turnState, norm string) bool {
	_, ok := as.learnedItem(t, norm)
	return ok
}

// learnedItem is the item whose learned question the message holds whole
// (search.Index.LearnedSwitch), if any.
func (as *Assistant) learnedItem(t *turnState, norm string) (*kb.Item, bool) {
	if !as.cfg.Index.HasLearned() {
		return nil, false
	}
	return as.learnedIn(as.wholeMessage(t, norm), as.anyLearned)
}

// anyLearned is the item with a learned question q holds whole, any item.
func (as *Assistant) anyLearned(q search.Query) (string, bool) {
	return as.cfg.Index.LearnedSwitch(q, "")
}

// learnedIn is the item find reports for the first of the message's
// readings (wholeMessage) it reports one for.
func (as *Assistant) learnedIn(wholes []search.Query, find func(search.Query) (string, bool)) (*kb.Item, bool) {
	for _, whole := range wholes {
		if id, ok := find(whole); ok {
			return as.cfg.Index.Item(id)
		}
	}
	return nil, false
}

// scopeLesson applies the decline or ask lesson a reviewer published for
// questions holding the turn's words (search.Index.ScopeLesson): a
// decline lesson declines what the catalogue would have answered; an ask
// lesson asks which of its items is meant, unless the turn names the item
// it was answered with outright (its name or an alias, word for word). A
// turn declined for a reason of its own (a place, a category) keeps it.
func (as *Assistant) scopeLesson(t *turnState) {
	if !as.cfg.Index.HasScopeLessons() || t.status != Answered && t.status != Clarify && !(t.status == OutOfScope && (t.scope == "unknown" || t.scope == "nothing")) {
		return
	}
	// The message as written and as its spoken forms were rewritten
	// (咗 → 了): a lesson holds the residents' own words.
	m, ok := as.cfg.Index.ScopeLesson(t.in.norm)
	if !ok {
		if m, ok = as.cfg.Index.ScopeLesson(as.a.Normalize(t.in.masked)); !ok {
			return
		}
	}
	switch m.Kind {
	case kb.LearnDecline:
		t.status, t.scope, t.reason = OutOfScope, "learned", "审核认定非本区政务服务："+m.Phrase
		t.item, t.candidates, t.faq = nil, nil, nil
	case kb.LearnAsk:
		if t.status == Answered && t.item != nil && (namesOutright(t.in.norm, t.item) || as.detailPicks(t.in.norm, m, t.item)) {
			return
		}
		var cands []search.Hit
		for _, id := range m.Items {
			if it, ok := as.cfg.Index.Item(id); ok {
				cands = append(cands, search.Hit{ID: id, Name: it.Name})
			}
		}
		if len(cands) < 2 {
			return // the lesson's items are gone from the catalogue
		}
		t.status, t.scope, t.reason = Clarify, "", "审核认定问题宽泛，需追问："+m.Phrase
		t.item, t.candidates, t.faq = nil, cands, nil
	}
}

// detailPicks reports a message saying, besides an ask lesson's words, a
// word of the answered item's name that none of the lesson's other items
// has: the detail that picks it among them. A lesson taught on "养老金的事"
// asks which pension matter is meant; "快退休了 养老金的事找谁" says 退休, of
// 基本养老金申领（退休待遇核准） only, and is answered.
func (as *Assistant) detailPicks(norm string, m search.ScopeMatch, it *kb.Item) bool {
	phrase, name := as.a.Normalize(m.Phrase), as.a.Normalize(it.Name)
	// Words as the name is cut (退休) and as the message is (资格认证
	// inside the name's 待遇资格认证): either may be the longer.
	for _, w := range append(as.a.Segment(name), as.a.Segment(norm)...) {
		if len([]rune(w)) < 2 || strings.Contains(phrase, w) || !strings.Contains(norm, w) || !strings.Contains(name, w) {
			continue
		}
		other := slices.ContainsFunc(m.Items, func(id string) bool {
			o, ok := as.cfg.Index.Item(id)
			return ok && id != it.ID && strings.Contains(o.Name, w)
		})
		if !other {
			return true
		}
	}
	return false
}

// namesOutright reports a message holding the item's name or an alias.
func namesOutright(norm string, it *kb.Item) bool {
	if strings.Contains(norm, it.Name) {
		return true
	}
	return slices.ContainsFunc(it.Aliases, func(a string) bool { return a != "" && strings.Contains(norm, a) })
}

// cardOfItem reports whether a provider's card named in the turn is what
// a catalogue item asks for or issues: the document a yes/no question
// asks about, a reviewer's lesson the turn holds, a material in the guide
// of the item being discussed, or a word of an item's name.
func (as *Assistant) cardOfItem(t *turnState, card string) bool {
	if t.asked != "" && (strings.Contains(t.asked, card) || strings.Contains(card, t.asked)) {
		return true
	}
	// A reviewer taught the wording for an item (a learned question held
	// whole): the card is that item's business.
	if as.cfg.Index.HasLearned() {
		for _, whole := range as.wholeMessage(t, t.in.norm) {
			if _, ok := as.cfg.Index.LearnedSwitch(whole, ""); ok {
				return true
			}
		}
	}
	if cur, ok := as.cfg.Index.Item(t.state.Item); ok && strings.Contains(itemText(cur), card) {
		return true
	}
	for _, it := range as.cfg.Index.Items() {
		if strings.Contains(it.Name, card) {
			return true
		}
	}
	return false
}

// workplace is where the resident works, said as background: "我在餐厅
// 打工", "在酒店上班", "在写字楼里做保洁" (an employee's job, not 做生意).
// The business is not the resident's to license.
var workplace = regexp.MustCompile(`在([\p{Han}]{1,8}?)(?:里|那边|这边)?(?:打工|上班|工作|干活|做事|做工|帮工|(?:做|当)(?:保洁|保安|清洁工|清洁|服务员|收银员|收银|店员|文员|前台|厨师|帮厨|司机|送货|搬运工|杂工|护工|保姆|销售))`)

// dropWorkplace removes the place a resident works at from a message
// that asks about something else in another pause ("我在餐厅打工 老板不
// 给交社保 我能自己交吗"): an employee's workplace names no service of
// theirs, while its words (餐厅 → 食品经营许可证) would pull the licence
// of running one. A place of this district or elsewhere stays (the scope
// model reads it), and so does a message that is only the workplace.
func (as *Assistant) dropWorkplace(content string) string {
	cs := clauses(content)
	if len(cs) < 2 {
		return content
	}
	for _, c := range cs {
		m := workplace.FindStringSubmatch(c)
		if m == nil {
			continue
		}
		place := m[1]
		// A place of this district or elsewhere stays, and the business
		// said after it goes: 车公庙 of 在车公庙一栋写字楼里.
		p, ok := firstOf(place, as.scopes.ours)
		if !ok {
			p, ok = firstOf(place, as.scopes.foreign)
		}
		if ok {
			place = place[strings.Index(place, p)+len(p):]
		}
		if place == "" {
			continue
		}
		rest := strings.Replace(content, c, " ", 1)
		if len(as.a.Words(rest)) == 0 {
			continue
		}
		content = strings.Replace(content, c, strings.Replace(c, place, " ", 1), 1)
	}
	return content
}

// possessor is a family member said as whose a thing is (我爸的, 我妈嘅).
var possessor = regexp.MustCompile(`(?:我|俺)?(?:爸爸|妈妈|老爸|老妈|爷爷|奶奶|外公|外婆|老公|老婆|儿子|女儿|阿爸|阿妈|老豆|老母|爸|妈)(?:的|嘅)`)

// dropPossessor removes from content a family member said as whose a
// catalogue thing is ("把我爸的户口弄一下"): the thing says what is asked,
// and the person's own words (我爸 read as an elder) would pull towards
// the items for that group instead.
func (as *Assistant) dropPossessor(content string) string {
	locs := possessor.FindAllStringIndex(content, -1)
	for i := len(locs) - 1; i >= 0; i-- {
		l := locs[i]
		ws := as.a.Words(content[l[1]:])
		if len(ws) == 0 || !as.a.IsLexicon(ws[0]) || !strings.HasPrefix(content[l[1]:], ws[0]) {
			continue
		}
		content = content[:l[0]] + " " + content[l[1]:]
	}
	return content
}

// isWord reports a word of the segmenter's dictionary.
func (as *Assistant) isWord(w string) bool {
	_, ok := as.a.WordFreq(w)
	return ok
}

func (as *Assistant) asksForPerson(norm string) bool {
	for _, h := range as.handoffs {
		if strings.Contains(norm, h) {
			return true
		}
	}
	return false
}

// namesItem reports whether text names a catalogue item well: its best
// hit covers at least switchCoverage of the item's name.
func (as *Assistant) namesItem(text string) bool {
	q := as.cfg.Index.Analyse(text)
	if len(q.Words) == 0 {
		return false
	}
	hits := as.cfg.Index.SearchQuery(q, 1).Hits
	return len(hits) > 0 && hits[0].Coverage >= switchCoverage
}

// withoutAsked is text without the document a yes/no question asks to
// bring, once the turn set it aside as a material of what the rest names
// (要带结婚证吗 after 给娃报户口): it tells no situation (a marriage) and is
// no thing of the asking clause's own.
func (t *turnState) withoutAsked(text string) string {
	if t.asked == "" || strings.Contains(t.content, t.asked) {
		return text
	}
	return strings.ReplaceAll(text, t.asked, " ")
}

// learnedReason is the record's reason for a turn a reviewer's learned
// question decided.
const learnedReason = "按审核补充的问答回答"

// answer settles the turn on item it: answered, with the FAQ entry the
// message matches; a decline's reason or a question's choices worked out
// before no longer hold.
func (as *Assistant) answer(t *turnState, it *kb.Item, norm, reason string) {
	t.item, t.status, t.scope, t.place, t.reason, t.candidates = it, Answered, "", "", reason, nil
	t.faq = as.matchFAQ(it, norm)
}

// placeThreadShare is how much of a follow-up naming another place the
// item discussed must explain for the place to be where the resident goes
// for it rather than where the service asked is.
const placeThreadShare = 0.5

// thereOwns say a service is the place's just named: 那边的, 嗰边嘅.
var thereOwns = []string{"那边的", "那里的", "那儿的", "嗰边的", "嗰边嘅", "嗰度嘅", "当地的"}

// offices maps an office's word to its department's; officeSide is one
// named as a side of the matter (税务那边, 社保那头, 医保方面).
var (
	offices    = map[string]string{"税务": "税务局", "社保": "社会保险", "医保": "医疗保障", "公积金": "住房公积金", "民政": "民政局", "残联": "残疾人联合会", "派出所": "公安局", "人社": "人力资源", "教育局": "教育局", "卫健": "卫生健康", "退役军人": "退役军人"}
	officeSide = regexp.MustCompile(`(` + strings.Join(slices.Sorted(maps.Keys(offices)), "|") + `)(?:那边|那头|那里|嗰边|方面)`)
)

// otherOffice returns, for a follow-up naming another office than the
// current item's department (税务那边 while on the business licence), the
// best of the first five hits of that office's department.
func (as *Assistant) otherOffice(cur *kb.Item, norm string, hits []search.Hit) (*kb.Item, bool) {
	m := officeSide.FindStringSubmatch(norm)
	if m == nil {
		return nil, false
	}
	dept := offices[m[1]]
	if strings.Contains(cur.Department, dept) {
		return nil, false
	}
	for i, h := range hits {
		if i == 5 {
			break
		}
		if it, ok := as.cfg.Index.Item(h.ID); ok && strings.Contains(it.Department, dept) {
			return it, true
		}
	}
	return nil, false
}

// laterMarks begin what a thing is wanted for later (以后好贷款买房,
// 以后想用来贷款): the purpose, neither what is asked now nor a situation
// the resident is in.
var laterMarks = []string{"以后好", "以后想用来", "以后用来", "将来好", "将来想用来", "为了以后", "方便以后", "以后方便"}

// dropPurpose removes from content the purposes it says, each to the end
// of its clause, and the clauses saying only what something is needed for,
// unless nothing else would be left.
func dropPurpose(content string) string {
	out := content
	for _, m := range laterMarks {
		for {
			i := strings.Index(out, m)
			if i < 0 {
				break
			}
			end := len(out)
			if j := strings.IndexAny(out[i:], " ,.?!;"); j >= 0 {
				end = i + j
			}
			out = out[:i] + " " + out[end:]
		}
	}
	// A clause saying only what the thing is needed for (现在报名上学要用)
	// is its purpose too.
	if cs := clauses(out); len(cs) > 1 && hasAny(out, neededFor) {
		for _, c := range cs {
			if hasAnySuffix(c, neededFor) {
				out = strings.Replace(out, c, " ", 1)
			}
		}
	}
	if strings.TrimSpace(out) == "" {
		return content
	}
	return out
}

// neededFor end a clause that says what a thing is needed for.
var neededFor = []string{"要用", "要用的", "需要用", "得用", "急用"}
