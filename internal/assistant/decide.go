package assistant

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// decide picks the answer, a clarifying question or a polite refusal for
// a message taken on its own.
func (as *Assistant) decide(t *turnState, q search.Query) {
	// Whether the question is in scope is judged on what retrieval found
	// for its words; the life situation it describes then helps choose.
	hits := t.raw
	if as.fieldOnly(t) {
		return
	}
	if len(hits) == 0 || len(q.Words) == 0 {
		t.status, t.scope, t.reason = OutOfScope, "nothing", "知识库中没有相关事项"
		// An aspect cue can be all a message names ("证件咋弄": 证件 is
		// the materials' cue, 咋弄 the steps'): a generic word among them
		// still asks for some service, too vaguely to pick one.
		if as.isVague(t.content) || as.asksWhatThereIs(t.content) || len(q.Words) == 0 && as.saysGeneric(t.in.norm) {
			t.status, t.scope, t.reason = Clarify, "", "问题过于笼统"
		}
		as.askAboutSituation(t, q)
		return
	}
	top := hits[0]
	named := top.Coverage >= namedCoverage
	// A question that names the item only through a synonym (餐厅 →
	// 食品经营许可证) is still checked for what is not a service question:
	// "推荐一下附近好吃的餐厅" asks for a restaurant, not a licence.
	if h, ok := as.everyday(t, q, hits); ok {
		t.status, t.scope, t.reason = OutOfScope, h.label, "非政务服务问题："+h.cue
		// A health word (医生说, 病情) in a story of illness or disability
		// is part of the story, unless what it asks is medical advice.
		if h.label == "health" && !as.scopes.asksAdvice(t.in.norm) {
			as.askAboutCare(t, q)
		}
		// An everyday word that tells the story of a situation never
		// declined (台风 of a home a typhoon wrecked) is the story, not
		// the request.
		if h.label != "health" && storyWord(t.situations, h.cue) {
			as.askAboutCare(t, q)
		}
		return
	}
	// Another place, or a service another level of government provides,
	// is out of scope wherever it is named, however well an item matches
	// (another district of the city only when the item is not the whole
	// city's).
	if p, ok := as.scopes.placeElsewhere(t.in.norm); ok && !as.sameCity(p, top) {
		t.status, t.scope, t.place, t.reason = OutOfScope, "place", p, "其他地区的事项："+p
		return
	}
	// So is a service only a household registered here may have (高龄津
	// 贴, 户口簿补领) asked for someone registered in another place (户口在
	// 湖南衡阳): that place's.
	if as.registeredElsewhere(t, top.ID) {
		return
	}
	// The clause that asks names things of its own that the best items
	// do not explain, while they match only the story before it: "换了新身
	// 份证 手机号的实名登记要重新弄吗" asks after a phone number, not the
	// card.
	if w, ok := as.askedElsewhere(t.withoutAsked(t.in.norm), q, hits); ok && !named {
		t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有该事项："+w
		as.askAboutCare(t, q)
		return
	}
	// A service another body provides (无犯罪记录证明, 深圳通), unless the
	// question names a catalogue item that merely mentions it (a material,
	// a purpose); an item named only by words inside it (过户 of 二手车过户)
	// is not named.
	if s, ok := as.scopes.serviceElsewhere(t.in.norm); ok && (!named || namedWithin(top, q, s)) && !as.paperFor(t.in.norm, s) {
		t.status, t.scope, t.reason = OutOfScope, "level", "不属于本区目录的事项："+s
		return
	}
	if !named {
		// A message marking its words as a topic (报税方面有点事 想请教) is
		// judged on the topic: the marks and the asking are no thing the
		// catalogue lacks.
		said := t.content
		if topic, ok := topicOnly(said); ok {
			said = topic
		}
		share, unknown := as.explained(said, q, hits)
		// Only generic words ("办证的事") name nothing the catalogue lacks:
		// such a message is asked back below, not declined.
		// A story whose words the catalogue lacks (the resident's job)
		// before a question naming a service it holds is not declined.
		// A best item that matched only generic words, a variant's among
		// them (丢了 → 补领, 注销), names nothing of the thing lost or
		// closed (信箱的钥匙丢了 找谁补), however its name holds them.
		if share < explainedShare && (top.Score < weakScore && top.Coverage < switchCoverage || as.onlyVariantTerms(q, top)) && !as.isVague(t.content) && !as.asksService(as.lastClause(t.in.norm), q, hits) && !(t.normAspect != "" && as.clauseAsksService(t.in.norm, q, hits, false)) {
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有该事项："+unknown
			as.askAboutSituation(t, q)
			return
		}
		if doc := as.unexplainedDocument(said, q, hits); doc != "" && !as.paperFor(t.in.norm, doc) && !as.situationLicence(t.situations, hits) {
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有该证件："+doc
			as.askAboutCare(t, q)
			return
		}
	}
	hits = t.hits
	top = hits[0]
	// A question made only of generic words (证明, 补办, 注销) names no
	// item: ask which.
	if !named && as.isVague(t.content) {
		t.status, t.reason = Clarify, "问题过于笼统"
		// A paper asked for (开个证明) chooses among the items that issue
		// or name it, not those that matched only the verb. (A card or
		// certificate word, 证 of 证过期了, is in too many texts to.)
		pool := hits
		if docs := slices.DeleteFunc(as.a.Words(t.content), func(w string) bool { return !isIssuedPaper(w) }); len(docs) > 0 {
			withDoc := slices.DeleteFunc(slices.Clone(hits), func(h search.Hit) bool {
				return !slices.ContainsFunc(docs, func(d string) bool { return slices.Contains(h.Terms, d) })
			})
			if len(withDoc) >= 2 {
				pool = withDoc
			}
		}
		// Money help asked for (老人补贴) chooses among the items that are
		// money help, by their names (津贴, 补贴 …), likewise.
		if slices.ContainsFunc(as.a.Words(t.content), func(w string) bool { return slices.Contains(benefitNouns, w) }) {
			withBenefit := slices.DeleteFunc(slices.Clone(pool), func(h search.Hit) bool { return !hasAny(h.Name, benefitNames) })
			if len(withBenefit) >= 2 {
				pool = withBenefit
			}
		}
		for i, h := range pool {
			if i == 3 || h.Score < 0.5*pool[0].Score {
				break
			}
			t.candidates = append(t.candidates, h)
		}
		if len(t.candidates) < 2 {
			t.candidates = nil
		}
		return
	}
	// A request that asks what there is ("政府有没有什么能帮的") and names
	// no item in its own words leaves the choice to the clerk: ask which
	// of the items that fit, the described situation's first.
	if !(named && namesInOwnWords(top, q)) && as.asksWhatThereIs(t.content) {
		if cands := fitting(t.situations, hits); len(cands) >= 2 {
			t.status, t.reason, t.candidates = Clarify, "询问有哪些可办事项", cands
			return
		}
	}
	// What must be done after a life event, asked whole (被裁员了 接下来
	// 要办啥, 老婆生咗 BB有咩手续要搞), saying nothing but the event,
	// leaves the choice to the clerk as well: ask, with the event's items.
	// The best item must be the event's: a shop closed (档口唔做喇) is
	// told in the opening's words, and its closing ranks first.
	if !(named && namesInOwnWords(top, q)) && inSituations(t.situations, top.Name) && as.eventTodo(t) {
		if cands := fitting(t.situations, hits); len(cands) >= 2 {
			t.status, t.reason, t.candidates = Clarify, "询问有哪些可办事项", cands
			return
		}
	}
	// A word that names one of the described situation's items there
	// ("户口" after a birth) chooses it over what the other words rank,
	// when no item is named, or one only by what the story says of a
	// family member (老公是深户 of a birth: the child's registration, not
	// the spouse's) — then however far that story ranks it above the
	// cued item.
	cued := false
	// A message that is only a document (宝宝出生证明) tells no story for
	// a cue to choose in: which of its items is asked below.
	if !as.onlyDocument(t.content) {
		if h, ok := as.cuedHit(t, q); ok && (!named || as.namedByFamily(q, top, h) || heldIn(t.situations, top.Name)) && (h.Score >= cueRatio*top.Score || named || namedByCue(q, top, cueWords(t.situations, h.Name))) && !as.cueInStory(t, h, top) && !as.statusOf(q, h, statusPool(hits)) && !as.statusBelow(t, q, h, top) {
			top, hits, cued = h, []search.Hit{h}, true
		}
	}
	// A described situation and a word for money help (开店的补贴, 孩子读书
	// 有没有资助), naming no item, asks which of the situation's benefits:
	// ask, with them as choices.
	if !named && !cued && len(t.situations) > 0 && (t.aspect == "" || t.aspect == Conditions || t.aspect == Process) && as.bareBenefit(t) {
		var cands []search.Hit
		for _, h := range hits {
			if len(cands) < 3 && slices.ContainsFunc(t.situations, func(s *situation) bool { return slices.Contains(s.items, h.Name) }) && hasAny(h.Name, benefitNames) {
				cands = append(cands, h)
			}
		}
		if len(cands) >= 2 {
			t.status, t.reason, t.candidates = Clarify, "问情境下有哪些补贴", cands
			return
		}
	}
	// A story that names no item, whose only words matching the best
	// item are the story's own and generic ones (搬到 …要办什么登记), says
	// which situation, not which of its items: ask, with those of its
	// items scoring close to the best.
	if top.Coverage < switchCoverage && inSituations(t.situations, top.Name) && !as.hasEvidence(t.situations, q, top) {
		if cands := storyChoices(t.situations, hits); len(cands) >= 2 {
			t.status, t.reason, t.candidates = Clarify, storyReason, cands
			return
		}
	}
	// Several papers lost at once, no item named: ask which to replace.
	if !named {
		if lost := as.lostPapers(t.content, q, hits); lost != nil {
			t.status, t.candidates, t.reason = Clarify, lost, "丢失了多个证件"
			return
		}
	}
	// A variant (补领) the question does not ask for, named only by its
	// document (营业执照 of 营业执照补领), yields to a close item that is
	// no variant and whose name the question covers at least half of:
	// "韩国朋友…开一家公司 营业执照审批要多久" asks the foreign company's
	// registration.
	if !named && !cued && as.isVariant(top.Name) && !as.asksVariant(q) {
		if h, ok := as.namedBeside(q, hits); ok {
			top, hits = h, []search.Hit{h}
		}
	}
	// Candidates that score close to the best compete with it.
	close := closeHits(hits)
	// Vague by the spread of its candidates: when the best item is not
	// named and the words of the question it matched, a group of people
	// or generic words, are exactly those that matched others scoring near
	// it ("老人家家里装东西那个 政府有补的那个": 老人 in 高龄老人津贴申领 and
	// 独居老人紧急呼叫设备申领 alike), only how often their texts use those
	// words ranks them: ask which. A verb said by its first character,
	// which one of their names holds (换 of 换领), tells them apart.
	if !named && as.substance(t.content) <= spreadRichness {
		if alike := as.matchedAlike(hits); len(alike) > 1 {
			if _, ok := as.shortVerb(q, alike); !ok {
				t.status, t.candidates, t.reason = Clarify, alike, "问题的词同样对应几个事项"
				return
			}
		}
	}
	// A bare message naming a document ("离婚证怎么办") whose best item is
	// a variant of it (补领, 换领) without asking for one may want the
	// document itself: ask, with the items named for it that are not
	// variants.
	if len(close) == 1 && !named && t.aspect == "" && as.richness(t.content) <= 1 && as.isVariant(top.Name) && !as.asksVariant(q) {
		for _, h := range hits[1:] {
			if len(close) < 3 && h.Score >= bareVariantRatio*top.Score && h.Coverage > 0 && !as.isVariant(h.Name) {
				close = append(close, h)
			}
		}
		// A message that is only the document ("房产证") says nothing to
		// answer: ask, with the items that name it among their texts.
		if len(close) == 1 && as.onlyDocument(t.content) {
			for _, h := range hits[1:] {
				if len(close) < 3 && h.Score >= bareDocumentRatio*top.Score && !as.isVariant(h.Name) && hasCommon(h.Terms, top.NameTerms) {
					close = append(close, h)
				}
			}
			t.status, t.candidates, t.reason = Clarify, close, "只说了证件，未说明要办什么"
			return
		}
		if len(close) > 1 {
			t.status, t.candidates, t.reason = Clarify, close, "未说明要办理还是补换"
			return
		}
	}
	// A message that is only a card's or certificate's name which several
	// items' names hold alike (优待证 of the elders' and the veterans'
	// cards, 残疾人证 of its first issue and its renewal), with no aspect
	// and no variant asked, says nothing that tells them apart: ask.
	if (t.aspect == "" || t.aspect == Process) && !as.asksVariant(q) && as.onlyDocument(t.content) {
		if shared := as.sharingName(t.in.norm, q, hits); len(shared) >= 2 {
			t.status, t.candidates, t.reason = Clarify, shared, "多个事项名称都含该证件"
			return
		}
	}
	// A bare message naming only what qualifies an item (租房 of
	// 住房公积金提取（租房）), not the item, may mean any item about that
	// thing: ask, with those scoring near it.
	if len(close) == 1 && !named && as.richness(t.content) <= 1 && qualifierOnly(top) {
		for _, h := range hits[1:] {
			if len(close) < 3 && h.Score >= bareVariantRatio*top.Score {
				close = append(close, h)
			}
		}
		if len(close) > 1 {
			t.status, t.candidates, t.reason = Clarify, close, "只说了事项的一种情形"
			return
		}
	}
	// A bare message that names two items outright alike (社保转移: the
	// pension's and the medical insurance's transfer), with nothing of its
	// own telling them apart, is asked back rather than guessed.
	if named && len(close) > 1 && (t.aspect == "" || t.aspect == Process) && as.richness(t.content) <= 1 && !as.asksVariant(q) {
		var both []search.Hit
		for _, h := range close {
			if h.Coverage >= namedCoverage {
				both = append(both, h)
			}
		}
		if len(both) > 1 && !as.tellsApart(q, both) {
			t.status, t.candidates, t.reason = Clarify, both, "问题同样说中了几个事项"
			return
		}
	}
	// A topic said as a topic ("发票的事", "纳税嘅嘢", 的东西 as Cantonese
	// 嘅嘢 is rewritten) that no item's name holds, asking nothing of it,
	// leaves open which of the items about it is meant: ask, with those
	// scoring at least half the best. Two words ("医保在外地用的事") are
	// still a topic.
	if topic, ok := topicOnly(t.content); ok && !named && t.aspect == "" && as.richness(topic) <= 2 {
		var cands []search.Hit
		for _, h := range hits {
			if len(cands) == 3 || h.Score < topicRatio*top.Score {
				break
			}
			cands = append(cands, h)
		}
		// However far apart they score, the items whose names hold what
		// the topic says (个税 → 个人所得税: its yearly return and its
		// deductions) are what it may mean.
		if len(cands) < 2 {
			cands = as.namingTopic(topic, q, hits)
		}
		// A topic no item's name holds names none: however far the best
		// scores ahead, the next ones are what it may mean as well.
		if len(cands) < 2 {
			cands = hits[:min(3, len(hits))]
		}
		if len(cands) >= 2 {
			t.status, t.candidates, t.reason = Clarify, cands, "只说了话题，未说明要办什么"
			return
		}
	}
	// A topic an item's name holds only through a synonym (公积金贷款的事)
	// is still a topic when another item holds every word of it too (the
	// loan and repaying it early): ask which, rather than guess the base.
	if topic, ok := topicOnly(t.content); ok && named && t.aspect == "" && as.richness(topic) <= 2 {
		if cands := as.holdingTopic(topic, hits, top); len(cands) >= 2 {
			t.status, t.candidates, t.reason = Clarify, cands, "只说了话题，未说明要办什么"
			return
		}
	}
	// A bare topic ("个税", "个税怎么弄"): one word, asking at most for the
	// steps, which two or more items' names hold (个人所得税: the yearly
	// return and the deductions), is a topic as well: ask which.
	// Applying (申请, 办理) asks for the item itself, not its variants.
	if !named && (t.aspect == "" || t.aspect == Process && vagueDoing.MatchString(t.in.norm)) && !applying.MatchString(t.in.norm) && len(t.situations) == 0 && as.richness(t.content) == 1 && !as.asksVariant(q) {
		if cands := as.namingTopic(t.content, q, hits); len(cands) >= 2 {
			// Items scoring near the best are choices too (信息 of the
			// queue's record, which its name holds only as 变更).
			for _, h := range hits {
				if len(cands) < 3 && h.Score >= topicRatio*top.Score && !slices.ContainsFunc(cands, func(c search.Hit) bool { return c.ID == h.ID }) {
					cands = append(cands, h)
				}
			}
			t.status, t.candidates, t.reason = Clarify, cands, "只说了话题，未说明要办什么"
			return
		}
	}
	// A message that tells a story and then asks: a close candidate the
	// request asks for beats one the story's words ranked first.
	if h, ok := as.byRequest(t.in.norm, hits); ok {
		top, close, named = h, []search.Hit{h}, h.Coverage >= namedCoverage
	}
	// An item the resident says is done or held already (失业登记做了, 我
	// 有深圳居住证) is the story: another item the question names answers.
	if h, ok := as.pastHeld(t.in.norm, hits); ok {
		top, close, named = h, []search.Hit{h}, h.Coverage >= namedCoverage
	} else if kept := slices.DeleteFunc(slices.Clone(close), func(h search.Hit) bool { return as.heldItem(t.in.norm, h) }); len(kept) > 0 && len(kept) < len(close) {
		close = kept
		top = close[0]
	}
	// An item whose name the message says only as what the resident is
	// (低保户, 低收入) while another close candidate's conditions hold those
	// words (属于特困、低保、低收入…) is the resident's status, a condition
	// of that candidate: the story, not the request.
	if kept := slices.DeleteFunc(slices.Clone(close), func(h search.Hit) bool { return as.statusOf(q, h, close) }); len(kept) > 0 && len(kept) < len(close) {
		close = kept
		top = close[0]
		named = top.Coverage >= namedCoverage
	} else if o, ok := as.statusHolder(q, top, statusPool(hits)); ok && top.ID == hits[0].ID && saidAsBeing(t.in.norm, saidFor(q, top.NameTerms)) {
		// A status named outright outscores, alone, the item it is a
		// condition of (我们家是低收入家庭 … 医保报完自己还要出 … 救助).
		top, close, named = o, []search.Hit{o}, o.Coverage >= namedCoverage
	}
	chosen := top
	// What tells close siblings apart in the catalogue, said in the
	// question, chooses among them however much else it says.
	h, why, ok := as.bySiblings(t, q, close)
	t.sibling = why
	if ok {
		chosen = h
	} else if len(close) > 1 && !named {
		var ok bool
		chosen, ok = as.distinguish(t, q, close)
		if !ok {
			chosen, ok = as.byContext(t, close)
		}
		if !ok && top.Score < weakScore && !slices.ContainsFunc(close, func(h search.Hit) bool { return h.Coverage > 0 || inSituations(t.situations, h.Name) }) && !as.byDepartment(q, close) {
			// The question names none of them and matches them only weakly
			// (基金 in their texts): choices would be unrelated to it. Items
			// of a described situation are what it calls for: asked below.
			t.status, t.scope, t.reason = OutOfScope, "unknown", "本区目录中没有相关事项："+t.content
			return
		}
		if !ok {
			t.status, t.candidates = Clarify, as.choices(q, close)
			t.reason = "候选事项相近"
			return
		}
	}
	if h, ok := as.askedVariantOf(q, chosen, close); ok {
		chosen = h
	} else if h, ok := as.namedVariantAsked(withoutStory(q, t.situations), chosen, close); ok {
		chosen = h
	}
	chosen = as.rerank(t, q, chosen)
	t.confidence = as.confidence(t, q, chosen)
	it, ok := as.cfg.Index.Item(chosen.ID)
	if !ok {
		t.status, t.scope = OutOfScope, "nothing"
		return
	}
	as.answer(t, it, t.in.norm, "")
}

// everyday reports a request that is not a service question (a recipe,
// a lawyer, a name for a baby), by the cues of lexicon/scope.txt, unless
// the question names its best item in its own words or that item stands
// far above every other (a message that says 医生说 on its way to naming
// 门诊特殊病种). A weak cue (one that shares words with services) counts
// when the best items leave most of the question, or most of the clause
// the cue is in, unexplained: "坐月子喝什么汤 猪脚姜醋怎么煲" names 坐月子
// but asks for a recipe.
func (as *Assistant) everyday(t *turnState, q search.Query, hits []search.Hit) (labelHit, bool) {
	hs := everydayCues(as.scope, as.scopes.blankOurPlaces(t.in.norm))
	if len(hs) == 0 || jobCues(t.in.norm, hs) {
		return labelHit{}, false
	}
	h := hs[0]
	head := cueIsHead(t.in.norm, h)
	// A paper asked about as one to bring (去哪里兑奖 带身份证就行吗) names
	// what the errand needs, not the errand: unless the rest names an item
	// too, it neither names the best item nor makes its clause the
	// service's.
	paper := t.asked
	if t.normAspect != Materials {
		paper = askedMaterial(t.in.norm) // 去哪里领 带身份证就行吗: a second question
	}
	paperOnly := paper != "" && strings.Contains(t.content, paper) && !as.namesItem(strings.ReplaceAll(t.content, paper, " "))
	if len(hits) > 0 {
		top := hits[0]
		// Unless the cue is in the clause that asks and the item does
		// not explain that clause: "房东不还押金 租赁合同有备案 能不能帮我
		// 追讨" names the lease's registration but asks for money back.
		// A name word said only inside the cue's phrase (续期 of 自动续期
		// in a video membership) is the cue's, not the item's.
		asks := as.cueAsksAlone(t.in.norm, q, hits) || nameOnlyInCue(top, q, hs) || head || paperOnly
		if top.Coverage >= namedCoverage && namesInOwnWords(top, q) && !asks {
			return labelHit{}, false
		}
		if dominant(hits) && saysPartOfName(top, q) && !asks {
			return labelHit{}, false
		}
	}
	// A reported instruction that names a service the best items hold
	// ("妇幼的医生说要去办出生医学证明") is what the resident was told to
	// do, unless what follows asks the doctor's question.
	if told, ok := reported(t.in.norm, hs); ok && as.asksService(as.contentText(told), q, hits) {
		if !as.scopes.asksAdvice(told) {
			return labelHit{}, false
		}
	}
	// A cue of a story (a trip, an illness, a theft) said only before the
	// clause that asks, which the best items explain, is background.
	if !paperOnly && !slices.ContainsFunc(hs, func(h labelHit) bool { return !as.scopes.storyCue(h) }) && as.cueInBackground(t.in.norm, q, hits) {
		return labelHit{}, false
	}
	// So is one in a message that asks how to get something done (an
	// aspect: 要怎么弄, 要带什么) and names, in a clause without a cue, a
	// service the best items hold: "我爸是四级肢体残疾 … 医生说严重多了 …
	// 这个要怎么弄" asks after the disability's service, whatever the
	// doctor said — unless it asks the doctor's question, or the cue is
	// in the clause that asks (房东不退押金 … 能帮我要回来吗).
	if !paperOnly && !slices.ContainsFunc(hs, func(h labelHit) bool { return h.weak || !as.scopes.storyCue(h) }) && t.normAspect != "" && !as.cueAsks(t.in.norm) && as.clauseAsksService(t.in.norm, q, hits, true) {
		if !as.scopes.asksAdvice(t.in.norm) {
			return labelHit{}, false
		}
	}
	if !h.weak || head {
		return h, true
	}
	// Nor does the paper count among what the best items explain.
	content := t.content
	if paper != "" {
		content = strings.ReplaceAll(content, paper, " ")
	}
	if share, _ := as.explained(content, q, hits); share < weakCueShare {
		return h, true
	}
	for _, c := range clauses(t.in.norm) {
		ch := everydayCues(as.scope, c)
		if len(ch) == 0 {
			continue
		}
		if share, _ := as.explained(as.contentText(c), q, hits); share < weakCueShare {
			return ch[0], true
		}
	}
	return labelHit{}, false
}

// cueIsHead reports a cue that is what its clause is about: the clause
// ends with it, after a 的 shortly before it ("幼儿园报名的钢琴兴趣班 退费怎
// 么弄"): what comes before the 的 only says which one.
func cueIsHead(norm string, h labelHit) bool {
	end := h.pos + len(h.cue)
	if end > len(norm) {
		return false
	}
	rest := norm[end:]
	if i := strings.IndexAny(rest, " ,.?!;"); i >= 0 {
		rest = rest[:i]
	}
	if rest != "" {
		return false
	}
	before := []rune(norm[:h.pos])
	for k := 1; k <= headReach && k <= len(before); k++ {
		if before[len(before)-k] == '的' {
			return true
		}
		if strings.ContainsRune(" ,.?!;", before[len(before)-k]) {
			return false
		}
	}
	return false
}

// headReach is how many characters may stand between a 的 and the cue
// it makes the head of the clause (的钢琴兴趣班).
const headReach = 3

// everydayCues are the everyday cues of lexicon/scope.txt in text, and a
// question for a provider of a kind (providerAsk) as a weak one.
func everydayCues(scope *cueTable, text string) []labelHit {
	hs := scope.match(text)
	if l := providerAsk.FindStringIndex(text); l != nil && !namesOffice(text[l[0]:l[1]]) {
		hs = append(hs, labelHit{label: "provider", length: utf8.RuneCountInString(text[l[0]:l[1]]), cue: text[l[0]:l[1]], pos: l[0], weak: true})
	}
	// What to eat or drink for one's health (糖尿病 吃什么水果比较好) is a
	// doctor's question, whether or not a health word names the illness.
	if l := adviceForm.FindStringIndex(text); l != nil && !slices.ContainsFunc(hs, func(h labelHit) bool { return h.label == "health" }) {
		hs = append([]labelHit{{label: "health", length: utf8.RuneCountInString(text[l[0]:l[1]]), cue: text[l[0]:l[1]], pos: l[0]}}, hs...)
	}
	for _, re := range recommendAsk {
		// 办 asks where a thing is done (哪家办得快) unless a business is
		// what does it (哪家酒店办年会好).
		if l := re.FindStringIndex(text); l != nil && (!strings.Contains(text[l[0]:l[1]], "办") || providerKind.MatchString(text[l[0]:l[1]])) && !namesOffice(text[l[0]:l[1]]) {
			// A strong cue, so it comes before the weak ones.
			hs = append([]labelHit{{label: "recommend", length: utf8.RuneCountInString(text[l[0]:l[1]]), cue: text[l[0]:l[1]], pos: l[0]}}, hs...)
			break
		}
	}
	return hs
}

// recommendAsk is a question for a good, cheap or trustworthy provider
// (哪家装修公司靠谱, 哪里印得便宜): asking which one is good is never asking
// where a service is done, which every hall does alike.
var recommendAsk = []*regexp.Regexp{
	regexp.MustCompile(`(?:哪家|哪间|边间|边家|哪一家)[\p{Han}]{0,6}?(?:好|靠谱|便宜|划算|实惠|正规|专业|口碑|最低|低一点|低些|抵|平)`),
	regexp.MustCompile(`(?:哪里|哪儿|边度|哪个地方|去哪|在哪|到哪)[\p{Han}]{0,6}?(?:便宜|划算|实惠|靠谱)`),
	// Which one of a kind (哪个游泳班报名便宜, 哪款好用, 什么牌子准), by its
	// price or quality only: 哪个 with 好 or 快 also asks which hall or
	// which time suits.
	regexp.MustCompile(`(?:哪个|哪款|哪种|什么牌子)[\p{Han}]{0,6}?(?:便宜|划算|实惠|抵|平些|平一点|平啲|靠谱|口碑|利率最低|利率低|手续费低|最准|好用|耐用)|哪款好`),
	// English asks the same by a brand or a price (which brand, printed
	// cheaply, the most accurate).
	regexp.MustCompile(`\b(?:which|what|any good|a good|the best|best) (?:[a-z]+ )?brands?\b|\bcheap(?:ly|est)\b|\bmost accurate\b`),
}

// providerAsk is a question for a business or provider of a kind (哪家体
// 检中心靠谱, 哪家银行手续费低, 附近有冇牙科门诊): the district names no
// shop, bank, clinic or class. Which hospital issues a paper (哪家医院)
// and which office or hall serves are the items' own (location).
var providerAsk = regexp.MustCompile(`(?:哪家|哪间|边间|边家|哪一家|附近有冇|附近有没有|附近有什么|附近哪里有|附近哪有)[\p{Han}]{0,6}?` + providerKinds)

// providerKinds are the kinds of business or provider a resident asks
// which one of.
const providerKinds = `(?:店|中心|银行|班|档口|档|馆|酒楼|茶楼|门诊|诊所|机构|商场|超市|市场|影楼|铺面|铺位|门面|房源|写字楼|师傅)`

// providerKind finds a kind of business in a question.
var providerKind = regexp.MustCompile(providerKinds)

// namesOffice reports a provider question that names a hall, a window
// or an office serving the items (officeWords): which one serves is the
// item's location, not a business to recommend.
func namesOffice(span string) bool {
	return strings.ContainsAny(span, "政务窗厅") || hasAny(span, officeWords)
}

// officeWords are offices a provider question may name that serve the
// items themselves (便民服务中心, 社保局).
var officeWords = []string{"服务中心", "办事", "派出所", "税务", "社保", "医保", "民政", "街道", "公积金", "人才", "就业", "残联"}

// nameOnlyInCue reports a hit whose name the question's own words say
// only inside phrases of everyday cues (自动续期 holding 续期).
func nameOnlyInCue(h search.Hit, q search.Query, hs []labelHit) bool {
	said := false
	for _, n := range h.NameTerms {
		for _, w := range q.Words {
			if w.Source != search.FromQuery || utf8.RuneCountInString(w.Text) < 2 || !strings.Contains(n, w.Text) {
				continue
			}
			if !slices.ContainsFunc(hs, func(c labelHit) bool { return strings.Contains(c.cue, w.Text) }) {
				return false
			}
			said = true
		}
	}
	return said
}

// cueInBackground reports an everyday word said only in the story
// before the question — the resident's job or background ("我是跑外卖的
// … 养老保险想自己交") — while the question after it names a catalogue
// service the best items account for. Only weak cues and those of a
// story (scope-model.txt, story.kinds) are background: "快递丢了 怎么办"
// asks nothing after the cue's clause.
func (as *Assistant) cueInBackground(norm string, q search.Query, hits []search.Hit) bool {
	cs := clauses(norm)
	last := -1
	for i, c := range cs {
		if len(as.scope.match(c)) > 0 {
			last = i
		}
	}
	if last < 0 || last == len(cs)-1 {
		return false
	}
	tail := strings.Join(cs[last+1:], " ")
	head := as.contentText(tail)
	if len(as.scope.match(head)) > 0 {
		return false
	}
	// What to eat or watch for after an illness is a doctor's question,
	// whatever the story.
	if as.scopes.asksAdvice(tail) {
		return false
	}
	// What follows the cue must ask something (能不能办, 要带什么): a
	// statement after it (我想上门跟他理论) is the story going on.
	if !isQuestion(tail) && as.detectAspect(tail) == "" {
		return false
	}
	// The clause that asks is the last: the story may run on after the
	// cue ("去年去旅游 … 摔断了腿 … 残疾证能不能办").
	return as.asksService(head, q, hits) || as.asksService(as.contentText(cs[len(cs)-1]), q, hits)
}

// asksService reports a question (the part of a message after its story)
// that names a service the best items hold — one of its words is a
// service word one of them matched as said, or is in one of their names
// — and whose words they mostly explain.
func (as *Assistant) asksService(head string, q search.Query, hits []search.Hit) bool {
	service := false
	for _, w := range as.a.Words(head) {
		if as.generic[w] || as.frames[w] {
			continue
		}
		// An item's name word a synonym of w adds (门特 → 门诊大病) names
		// the service as well as w itself.
		var said []string
		for _, qw := range q.Words {
			if qw.Source == search.FromSynonym && qw.From == w && utf8.RuneCountInString(w) >= 2 {
				said = append(said, qw.Text)
			}
		}
		for i, h := range hits {
			if i < 3 && (slices.Contains(h.NameTerms, w) || as.a.IsLexicon(w) && slices.Contains(h.Terms, w) || hasCommon(said, h.NameTerms)) {
				service = true
			}
		}
	}
	if !service {
		return false
	}
	share, _ := as.explained(head, q, hits)
	return share >= backgroundShare
}

// askedMass is the salience a question clause's own words must carry to
// be a question about something of its own (two rare words).
const askedMass = 6.0

// askedElsewhere reports a message of several clauses whose last, a
// question, carries salient words of its own (askedMass, besides generic
// words and places) that the best item explains less than a quarter of
// and the best three less than half, while the best item explains most
// of the clauses before it: the item is the story, the question is
// about something the catalogue does not hold. It returns the most
// salient word left unexplained.
func (as *Assistant) askedElsewhere(norm string, q search.Query, hits []search.Hit) (string, bool) {
	cs := clauses(norm)
	if len(cs) < 2 || len(hits) == 0 || !isQuestion(cs[len(cs)-1]) {
		return "", false
	}
	// A message that asks after its item before the last clause
	// ("新生儿上户口怎么办，我家座机…对吗") asks after it, whatever it adds.
	if slices.ContainsFunc(cs[:len(cs)-1], isQuestion) {
		return "", false
	}
	var own []string
	var mass float64
	hours := asksHour(norm)
	for _, w := range as.a.Words(as.contentText(cs[len(cs)-1])) {
		r, _ := utf8.DecodeRuneInString(w)
		if utf8.RuneCountInString(w) < 2 || !unicode.Is(unicode.Han, r) || as.frames[w] || as.generic[w] || as.a.IsStop(w) || as.scopes.isPlace(w) {
			continue // numbers and Latin words say no thing of their own
		}
		if hours && askedHour.FindString(w) == w {
			continue // the time an hours question asks about (中午十二点)
		}
		own = append(own, w)
		mass += as.salience(w)
	}
	if mass < askedMass {
		return "", false
	}
	last := strings.Join(own, " ")
	if share, _ := as.explained(last, q, hits[:min(3, len(hits))]); share >= explainedShare {
		return "", false
	}
	share, unknown := as.explained(last, q, hits[:1])
	if share >= 0.25 {
		return "", false
	}
	story := as.contentText(strings.Join(cs[:len(cs)-1], " "))
	if before, _ := as.explained(story, q, hits[:1]); before < explainedShare {
		return "", false
	}
	return unknown, true
}

// questionMarks are words that make a clause a question.
var questionMarks = []string{"吗", "呢", "嘛", "?", "？", "怎么", "怎样", "如何", "什么", "啥", "哪", "咩", "点样", "点解", "边度", "边间", "几时", "多少", "能不能", "可不可以", "要不要", "是不是", "有没有", "冇"}

// isQuestion reports a clause that asks.
func isQuestion(clause string) bool {
	return slices.ContainsFunc(questionMarks, func(m string) bool { return strings.Contains(clause, m) })
}

// jobMarks, right before an everyday cue, make it the resident's work
// (做翻译, 当翻译, 系做翻译嘅).
var jobMarks = []string{"做", "当", "干", "搞"}

// jobCues reports a message whose strong everyday cues all say the
// resident's work in the story, before the clause that asks ("我是自由职业
// 做翻译 没单位 能自己交公积金吗"): the story, not a request for the
// thing. A cue in the asking clause is a request however said (帮我做翻译).
func jobCues(norm string, hs []labelHit) bool {
	cs := clauses(norm)
	if len(cs) < 2 {
		return false
	}
	lastStart := strings.LastIndex(norm, cs[len(cs)-1])
	job := false
	for _, h := range hs {
		if h.weak {
			continue
		}
		before := norm[:h.pos]
		if h.pos >= lastStart || !slices.ContainsFunc(jobMarks, func(m string) bool { return strings.HasSuffix(before, m) }) {
			return false
		}
		job = true
	}
	return job
}

// cueAsks reports an everyday cue in the last clause of norm, where a
// message puts its question.
func (as *Assistant) cueAsks(norm string) bool {
	cs := clauses(norm)
	return len(cs) > 0 && len(as.scope.match(cs[len(cs)-1])) > 0
}

// cueAsksAlone reports an everyday cue, not a weak one, in the last
// clause of norm that the best item explains less than half of.
func (as *Assistant) cueAsksAlone(norm string, q search.Query, hits []search.Hit) bool {
	cs := clauses(norm)
	if len(cs) < 2 {
		return false
	}
	last := cs[len(cs)-1]
	hs := everydayCues(as.scope, last)
	if !slices.ContainsFunc(hs, func(h labelHit) bool { return !h.weak }) {
		return false
	}
	// A reported instruction ("社区医生说要先去办个X"): what the resident
	// was told to do follows the cue, and that is what the clause asks.
	if told, ok := reported(last, hs); ok {
		last = told
	}
	share, _ := as.explained(as.contentText(last), q, hits[:1])
	return share < explainedShare
}

// reported returns what follows the reporting cues of a clause (医生说)
// when every strong cue in it reports what someone said and something
// follows: "…医生说要去做个登记" tells what to do, not a medical question.
func reported(clause string, hs []labelHit) (string, bool) {
	end := -1
	for _, h := range hs {
		if h.weak {
			continue
		}
		if !strings.HasSuffix(h.cue, "说") {
			return "", false
		}
		end = max(end, h.pos+len(h.cue))
	}
	if end < 0 || strings.TrimSpace(clause[end:]) == "" {
		return "", false
	}
	return clause[end:], true
}

// clauseAsksService reports a clause of norm that names a service the
// best items hold and mostly explain (asksService): a spoken message may
// name the service in one clause ("身份证都在里面") and ask in another
// ("重新整一张要带什么"), with a story around them. Whom the service is
// for (老人, 我妈) and places name none. withoutCues: only clauses with no
// everyday cue count.
func (as *Assistant) clauseAsksService(norm string, q search.Query, hits []search.Hit, withoutCues bool) bool {
	for _, c := range clauses(norm) {
		if withoutCues && len(as.scope.match(c)) > 0 {
			continue
		}
		// Whom it is for (老人, 我妈) names no service.
		var own []string
		for _, w := range as.a.Words(as.contentText(c)) {
			if !slices.Contains(as.audiences, w) && !as.scopes.isPlace(w) {
				own = append(own, w)
			}
		}
		if len(own) > 0 && as.asksService(strings.Join(own, " "), q, hits) {
			return true
		}
	}
	return false
}

// lastClause is the content of the last clause of norm: where a spoken
// message puts its question.
func (as *Assistant) lastClause(norm string) string {
	cs := clauses(norm)
	if len(cs) < 2 {
		return ""
	}
	return as.contentText(cs[len(cs)-1])
}

// backgroundShare is the share of the question after an everyday word's
// clause that the best items must explain for the word to be background.
const backgroundShare = 0.5

// dominant reports a best hit that names its item well and scores far
// above the next: strong evidence whatever else the message says.
func dominant(hits []search.Hit) bool {
	top := hits[0]
	if top.Coverage < dominantCoverage {
		return false
	}
	return len(hits) == 1 || top.Score >= dominantRatio*hits[1].Score
}

// clauses splits a message where a speaker paused or punctuated.
func clauses(norm string) []string {
	return strings.FieldsFunc(norm, func(r rune) bool {
		return r == ' ' || r == ',' || r == '.' || r == '?' || r == '!' || r == ';' || r == '，' || r == '。' || r == '？' || r == '！'
	})
}

// fitting are the choices for a request that names no item: the items of
// the situation it describes, else those scoring at least half the best.
func fitting(sits []*situation, hits []search.Hit) []search.Hit {
	in := map[string]bool{}
	for _, s := range sits {
		for _, n := range s.items {
			in[n] = true
		}
	}
	var out []search.Hit
	for _, h := range hits {
		if len(out) == 3 {
			break
		}
		if len(in) > 0 && in[h.Name] || len(in) == 0 && h.Score >= 0.5*hits[0].Score {
			out = append(out, h)
		}
	}
	return out
}

// todoAsk asks what must be done, whole: 要办啥, 得跑哪些, 先弄些什么,
// 有咩手续要搞, 还有啥手续.
var todoAsk = regexp.MustCompile(`(?:要|得|需要|该)?先?(?:办|弄|搞|跑|走)些?(?:哪些|哪几样|哪几|哪样|啥|什么|咩)(?:手续|证|事|流程|程序|地方)?|有(?:咩|什么|啥|哪些)(?:手续|事)要(?:办|搞|弄)|还有(?:哪些|啥|什么|咩)(?:手续|事)`)

// licenceKinds name a kind of licence, which some of an event's items
// issue and others do not.
var licenceKinds = []string{"许可", "执照"}

// eventWords say when or where, in a message asking what must be done
// after an event (接下来, 之前, 政府那边): no thing of their own.
var eventWords = []string{"接下来", "接着", "后面", "往后", "以后", "之后", "之前", "前后", "然后", "先", "刚", "刚刚", "都", "还", "还有", "那边", "这边",
	"昨天", "前天", "今天", "前几天", "前阵子", "最近", "上周", "上个月", "上礼拜", "上星期", "去年", "今年"}

// eventTodo reports a message asking what must be done (todoAsk) after
// a life event it describes, and saying nothing else: each of its other
// words is the event's, a family member's (老婆), generic (手续), a
// frame (政府) or says when.
func (as *Assistant) eventTodo(t *turnState) bool {
	if len(t.situations) == 0 {
		return false
	}
	// Asked in the whole message: its aspect cues (手续, 要先) are no
	// longer in the content.
	todo := todoAsk.FindString(t.in.norm)
	if todo == "" {
		return false
	}
	// A word the event's items are told apart by (销户 after a death,
	// 烈士) asks for that item; a kind of licence (要办什么许可证 for a
	// food stall) for the items that issue it.
	if _, w, several := cuedIn(t.situations, t.in.norm); w != "" || several || hasAny(t.in.norm, licenceKinds) {
		return false
	}
	asking := as.a.Words(todo)
	for _, w := range as.a.Words(t.content) {
		if !storyWord(t.situations, w) && !as.familyWord(w) && !as.generic[w] && !as.frames[w] && !slices.Contains(eventWords, w) && !slices.Contains(asking, w) && utf8.RuneCountInString(w) > 1 {
			return false
		}
	}
	return true
}

// storyReason is why a story that names no item is asked about.
const storyReason = "描述了生活情境，未指明事项"

// closeHits are the best hit and those scoring within closeRatio of it,
// at most three: the candidates that compete.
func closeHits(hits []search.Hit) []search.Hit {
	close := []search.Hit{hits[0]}
	for _, h := range hits[1:] {
		if h.Score >= closeRatio*hits[0].Score && len(close) < 3 {
			close = append(close, h)
		}
	}
	return close
}

// storyChoices are the described situations' items scoring within
// closeRatio of the best hit, at most three.
func storyChoices(sits []*situation, hits []search.Hit) []search.Hit {
	var out []search.Hit
	for _, h := range hits {
		if len(out) == 3 || h.Score < closeRatio*hits[0].Score {
			break
		}
		if inSituations(sits, h.Name) {
			out = append(out, h)
		}
	}
	return out
}

// matchedAlike returns the best hit and those scoring at least
// spreadRatio of it that matched the very same words of the question,
// and hold the same of them in their names, at most three, when the best
// covers its name no better than switchCoverage: nothing the question
// says tells them apart.
func (as *Assistant) matchedAlike(hits []search.Hit) []search.Hit {
	top := hits[0]
	if top.Coverage >= switchCoverage {
		return nil
	}
	terms, named := as.matchedWords(top)
	if len(terms) == 0 {
		return nil
	}
	// Only a group of people (老人) or generic words matched: the question
	// says whom or what kind, not which service.
	for t := range terms {
		if !as.generic[t] && !slices.Contains(as.audiences, t) {
			return nil
		}
	}
	out := []search.Hit{top}
	for _, h := range hits[1:] {
		if h.Score < spreadRatio*top.Score || len(out) == 3 {
			break
		}
		if t, n := as.matchedWords(h); maps.Equal(t, terms) && maps.Equal(n, named) {
			out = append(out, h)
		}
	}
	return out
}

// matchedWords are the words of the question a hit matched, besides stop
// words and single characters, and those of them its name holds.
func (as *Assistant) matchedWords(h search.Hit) (terms, named map[string]bool) {
	terms, named = map[string]bool{}, map[string]bool{}
	name := as.a.Normalize(h.Name)
	for _, t := range h.Terms {
		if as.a.IsStop(t) || len([]rune(t)) < 2 {
			continue
		}
		terms[t] = true
		if strings.Contains(name, t) {
			named[t] = true
		}
	}
	return terms, named
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

// namedWithin reports a hit whose name words the question says, in its
// own words or through synonym phrases, only inside span.
func namedWithin(h search.Hit, q search.Query, span string) bool {
	if len(h.NameTerms) == 0 {
		return false
	}
	for _, n := range h.NameTerms {
		for _, w := range q.Words {
			if w.Text != n {
				continue
			}
			if w.Source == search.FromQuery && !strings.Contains(span, w.Text) {
				return false
			}
			for _, ph := range strings.Split(w.From, "|") {
				for _, part := range strings.Split(ph, zh.Gap) {
					if part != "" && !strings.Contains(span, part) {
						return false
					}
				}
			}
		}
	}
	return true
}

// saysPartOfName reports a question whose own words (two characters or
// more) are or are part of a name word of the hit: 门诊 of 门诊大病.
func saysPartOfName(h search.Hit, q search.Query) bool {
	for _, n := range h.NameTerms {
		for _, w := range q.Words {
			if w.Source == search.FromQuery && len([]rune(w.Text)) >= 2 && strings.Contains(n, w.Text) {
				return true
			}
		}
	}
	return false
}

// askAboutSituation turns a decline into a question when the message
// describes a life situation: a birth, a death, a lost job is in scope
// even when none of its words names a service. The choices are the
// situation's items as retrieval ranked them.
func (as *Assistant) askAboutSituation(t *turnState, q search.Query) {
	if len(t.situations) == 0 {
		return
	}
	// answer answers with h's item, if the index still holds it.
	answer := func(h search.Hit) bool {
		it, ok := as.cfg.Index.Item(h.ID)
		if ok {
			as.answer(t, it, t.in.norm, "")
			t.confidence = as.confidence(t, q, h)
		}
		return ok
	}
	// A word that names one of the situation's items there ("户口" after
	// a birth) is a question about that item.
	if h, ok := as.cuedHit(t, q); ok && answer(h) {
		return
	}
	in := map[string]bool{}
	for _, s := range t.situations {
		for _, n := range s.items {
			in[n] = true
		}
	}
	var cands []search.Hit
	for _, h := range t.hits {
		if in[h.Name] && len(cands) < 3 {
			cands = append(cands, h)
		}
	}
	if len(cands) == 0 {
		return
	}
	// A situation a clerk serves with one item only (an injury at work:
	// 工伤认定) calls for that item, whatever the story's other words.
	if len(cands) == 1 && singleItem(t.situations) && answer(cands[0]) {
		return
	}
	t.status, t.scope, t.reason, t.candidates = Clarify, "", storyReason, cands
	if len(cands) == 1 {
		t.candidates = nil
	}
}

// benefitWords ask for money help; benefitNames are how the names of the
// catalogue's benefit items say it.
var (
	benefitWords = []string{"补贴", "补助", "资助", "津贴", "扶持", "福利", "救助", "补钱", "有钱补", "钱补"}
	benefitNames = []string{"补贴", "补助", "津贴", "救助", "贴息", "抚恤", "保险金", "扶助金", "经济补助", "保障"}
)

// bareBenefit reports a message asking for money help in words that say
// no more than the situation, the help and whom it is for: "开店的补贴",
// not "一次性的创业补贴" nor "每月的生活费补助", which name one benefit.
func (as *Assistant) bareBenefit(t *turnState) bool {
	// The phrases the situation was recognised by are the situation,
	// however the segmenter cuts around them (想开个小店: 想开 + 小店).
	content := t.content
	for _, s := range t.situations {
		for _, w := range slices.Concat(s.words, s.family, s.paired, s.with, s.act) {
			if utf8.RuneCountInString(w) >= 3 { // 学位 of 学位补贴 names the benefit
				content = strings.ReplaceAll(content, w, " ")
			}
		}
	}
	asked := false
	for _, w := range as.a.Words(content) {
		switch {
		case slices.Contains(benefitWords, w):
			asked = true
		case as.generic[w] || as.frames[w] || slices.Contains(as.audiences, w) || as.familyWord(w) || storyWord(t.situations, w) || as.a.IsStop(w):
		case utf8.RuneCountInString(w) < 2:
		default:
			return false
		}
	}
	return asked
}

// topicRatio is how close to the best an item must score to be offered
// for a message that only names a topic.
const topicRatio = 0.5

// topicAsks are the words of asking a message may end with after its
// topic, longest first.
var topicAsks = []string{"想了解一下", "想问一下", "想了解下", "咨询一下", "了解一下", "想请教下", "请教一下", "搞不清楚", "不太清楚", "想问问", "想请教", "请教下", "想问下", "问一下", "咨询下", "了解下", "不太懂", "搞不懂", "想了解", "想咨询", "不清楚", "问问", "问下", "想问", "请教", "不懂", "唔明", "咨询你", "咨询一哈", "咨询"}

// topicMarks end a message that names a topic rather than a task.
var topicMarks = []string{"的事", "的事情", "的事儿", "的问题", "方面的", "嘅嘢", "嘅事", "的东西", "那些事", "相关的", "上有点事", "有点事", "有个事", "有些事", "上的事", "有点问题", "有些问题", "有个问题", "有几个问题", "有几件事", "有几个事", "有件事", "有些地方", "有个地方", "方面"}

// troubleMark ends a message that says something is wrong with what it
// names and no more (户口方面有事, 执照出了点状况, 房子证件上有点麻烦): a
// topic, like the marks above.
var troubleMark = regexp.MustCompile(`(?:上|里|那边|这边)?(?:出了|出|有|遇到|碰到)(?:一点|一些|点|些|个|几个)?小?(?:问题|状况|麻烦|毛病|事情|事儿|事)了?$`)

// notUnderstood is not understanding said at the end of a message.
var notUnderstood = regexp.MustCompile(`(?:没|不|唔|冇)(?:太)?(?:弄|搞|整|想|看|听)?(?:明白|清楚|懂|明)$`)

// topicOnly returns the topic of a message that ends by marking what it
// names as a topic: "开发票的事", "社保方面的".
func topicOnly(content string) (string, bool) {
	c := strings.TrimSpace(content)
	// An asking word after the topic ("离婚的事问下") still leaves it one.
	for _, a := range topicAsks {
		if t, ok := strings.CutSuffix(c, a); ok {
			c = strings.TrimSpace(t)
			break
		}
	}
	// Not understood (没弄明白, 不太明白, 冇搞清楚) asks as the words above do.
	if l := notUnderstood.FindStringIndex(c); l != nil {
		c = strings.TrimSpace(c[:l[0]])
	}
	for _, m := range topicMarks {
		if strings.HasSuffix(c, m) && utf8.RuneCountInString(c) > utf8.RuneCountInString(m) {
			return topicOf(strings.TrimSuffix(c, m)), true
		}
	}
	// Most messages end in no trouble word: spared the expression.
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(c, "了")); !strings.ContainsRune(troubleEnds, r) {
		return "", false
	}
	if l := troubleMark.FindStringIndex(c); l != nil && l[0] > 0 {
		return topicOf(c[:l[0]]), true
	}
	return "", false
}

// vagueDoing asks how to go about something without saying what is to be
// done (怎么弄, 咋整, 要搞点啥, 点算).
var vagueDoing = regexp.MustCompile(`(?:怎么|咋|点样?|如何)(?:弄|搞|整|算|处理)|要(?:弄|搞|整)(?:点|些)?(?:啥|什么|咩)`)

// applying asks for an item itself (居住证怎么办, 申请张社保卡).
var applying = regexp.MustCompile(`办|申请|申领|领取`)

// troubleEnds are the last characters troubleMark can end on (了 aside).
const troubleEnds = "题况烦病情儿事"

// fieldOnly asks which item is meant of a message naming a field of
// services only in everyday words (房子的事, 想申请房子, 店铺证件出了点
// 问题): every word of it, or of its topic, is a field's (lexicon/
// fields.txt) or says nothing of which service (办, 手续, 证件). The
// field's catalogue words, with the generic words said (房子 备案), find
// the items offered.
func (as *Assistant) fieldOnly(t *turnState) bool {
	// Most messages hold no field word: spared the segmenting.
	if !slices.ContainsFunc(as.fieldWords, func(w string) bool { return strings.Contains(t.content, w) }) {
		return false
	}
	said := t.content
	if topic, ok := topicOnly(said); ok {
		said = topic
	}
	var look []string
	field := false
	for _, w := range as.a.Words(said) {
		switch {
		case as.fields[w] != nil:
			look, field = append(look, as.fields[w]...), true
		case as.generic[w] || as.frames[w]:
			look = append(look, w)
		default:
			return false
		}
	}
	if !field {
		return false
	}
	hits := as.cfg.Index.SearchQuery(as.cfg.Index.Analyse(strings.Join(look, " ")), 8).Hits
	// A situation the message tells (政府的房子: a need for housing)
	// chooses the field's items it holds; without two of them, the
	// field's best items are offered.
	cands := fitting(t.situations, hits)
	if len(cands) < 2 {
		cands = fitting(nil, hits)
	}
	if len(cands) < 2 {
		return false
	}
	t.status, t.candidates, t.reason = Clarify, cands, "只说了领域，未说明要办什么"
	return true
}

// topicOf is what is left of a topic once what marks the field (执照方面
// 有点问题) is cut: no part of it.
func topicOf(s string) string {
	topic := strings.TrimSpace(s)
	for _, f := range []string{"方面", "这块", "那块"} {
		if t, ok := strings.CutSuffix(topic, f); ok && t != "" {
			topic = strings.TrimSpace(t)
		}
	}
	return topic
}

// namingTopic returns up to three hits whose names hold a word the topic
// says, in its own words or the synonym table's (个税 → 个人所得税).
func (as *Assistant) namingTopic(topic string, q search.Query, hits []search.Hit) []search.Hit {
	var ws []string
	for _, w := range as.a.Words(topic) {
		if utf8.RuneCountInString(w) >= 2 && !as.generic[w] && !as.frames[w] {
			ws = append(ws, w)
			ws = append(ws, addedFor(q, []string{w})...)
		}
	}
	var cands []search.Hit
	for _, h := range hits {
		if len(cands) < 3 && slices.ContainsFunc(h.NameTerms, func(n string) bool { return slices.Contains(ws, n) }) {
			cands = append(cands, h)
		}
	}
	return cands
}

// holdingTopic returns up to three hits, scoring at least topicRatio of
// the best, that matched every content word of topic.
func (as *Assistant) holdingTopic(topic string, hits []search.Hit, top search.Hit) []search.Hit {
	var ws []string
	for _, w := range as.a.Words(topic) {
		if as.salience(w) >= 1 {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return nil
	}
	var cands []search.Hit
	for _, h := range hits {
		if len(cands) == 3 || h.Score < topicRatio*top.Score {
			break
		}
		all := true
		for _, w := range ws {
			if !slices.Contains(h.Terms, w) {
				all = false
				break
			}
		}
		if all {
			cands = append(cands, h)
		}
	}
	return cands
}

// singleItem reports described situations each of which lists one item.
func singleItem(sits []*situation) bool {
	for _, s := range sits {
		if len(s.items) != 1 {
			return false
		}
	}
	return len(sits) > 0
}

// askAboutCare turns a decline into a question when the message
// describes a situation that is never declined (an illness, a disability,
// a person needing care): "医生说我妈以后都要坐轮椅了" says 医生说 but tells
// of a life the district's services are for.
func (as *Assistant) askAboutCare(t *turnState, q search.Query) {
	if neverDeclined(t.situations) {
		as.askAboutSituation(t, q)
	}
}

// onlyDocument reports a message whose words, besides generic ones, are
// all names of certificates or cards: it names the thing, not the task.
func (as *Assistant) onlyDocument(content string) bool {
	doc := false
	for _, w := range as.a.Words(content) {
		// Whose document it is (宝宝出生证明) says no task either.
		if as.generic[w] || as.frames[w] || slices.Contains(documentHolders, w) {
			continue
		}
		if !isDocumentWord(w) {
			return false
		}
		doc = true
	}
	return doc
}

// documentHolders are the people a document is said to be of.
var documentHolders = []string{"宝宝", "囡囡", "孩子", "小孩", "小朋友", "儿子", "女儿", "我妈", "我爸", "老妈", "老爸", "老公", "老婆", "爸妈", "父母", "老人"}

// qualifierOnly reports a hit whose name the question matched only in its
// bracketed part, the case it is for (（租房）, （退休）).
func qualifierOnly(h search.Hit) bool {
	open := strings.IndexAny(h.Name, "（(")
	if open < 0 || len(h.NameTerms) == 0 {
		return false
	}
	main, qual := h.Name[:open], h.Name[open:]
	for _, n := range h.NameTerms {
		if strings.Contains(main, n) || !strings.Contains(qual, n) {
			return false
		}
	}
	return true
}

// onlyVariantTerms reports a hit that matched only generic words, one of
// them a variant's (补领, 遗失, 注销): what is done to a thing, not which.
func (as *Assistant) onlyVariantTerms(q search.Query, h search.Hit) bool {
	return as.onlyGenericTerms(q, h) && slices.ContainsFunc(h.Terms, func(t string) bool { return as.variants[t] })
}

// situationLicence reports a licence word (执照, 许可证) that an item of
// a described situation matched: the licence of a shop being opened (开个
// 修手机的小铺 … 执照) is the shop's, not one for a thing the catalogue
// lacks.
func (as *Assistant) situationLicence(sits []*situation, hits []search.Hit) bool {
	for _, h := range hits {
		if inSituations(sits, h.Name) && hasCommon(h.Terms, as.scopes.licences) {
			return true
		}
	}
	return false
}

func hasCommon(a, b []string) bool {
	return slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) })
}

// cuedHit is the item the described situation's cues name in the
// message, unless the message asks for a variant (补, 换) the cue does
// not tell apart; a cue naming the very variant the message asks for
// (残疾人证换领 when the grade changed: 换领), which retrieval ranks best
// too, stands.
func (as *Assistant) cuedHit(t *turnState, q search.Query) (search.Hit, bool) {
	if len(t.situations) == 0 {
		return search.Hit{}, false
	}
	// The document a yes/no question asks about (要带户口本吗) is a
	// material of the item, not a word naming one.
	norm := t.in.norm
	if t.asked != "" {
		norm = strings.ReplaceAll(norm, t.asked, " ")
	}
	name, word := as.situations.cuedBy(t.situations, norm)
	ok := name != "" && !as.cueShared(t.situations, name, word)
	// A variant word the story's own words add (注销 from 走了 in a death)
	// is the situation, not a variant asked for; nor is the cue itself
	// (换了 of a phone number changed while in the housing queue).
	asked := withoutStory(q, t.situations)
	asked.Words = slices.DeleteFunc(asked.Words, func(w search.Term) bool { return strings.Contains(word, w.Text) })
	// The variant asked is the cued item's when retrieval ranks it best,
	// or ranks best the item the story says is held already (排公租房 …
	// 能改吗: the queue's record changed, not a new application).
	if !ok || (as.asksVariant(asked) && !(as.namesAskedVariant(q, name) && len(t.hits) > 0 && (t.hits[0].Name == name || heldIn(t.situations, t.hits[0].Name)))) {
		return search.Hit{}, false
	}
	for _, h := range t.hits {
		if h.Name == name {
			return h, true
		}
	}
	for _, it := range as.cfg.Index.Items() {
		if it.Name == name {
			return search.Hit{ID: it.ID, Name: it.Name}, true
		}
	}
	return search.Hit{}, false
}

// cueShared reports a cue word that an item another described situation
// lists holds in its name or summary: 一次性 names a veteran's one-off
// grant, and as much the startup subsidy (一次性初创企业补贴) of a business
// opened in the same message.
func (as *Assistant) cueShared(sits []*situation, item, word string) bool {
	if len(sits) < 2 {
		return false
	}
	var others []*situation
	for _, s := range sits {
		if !slices.Contains(s.items, item) {
			others = append(others, s)
		}
	}
	if len(others) == 0 {
		return false
	}
	for _, it := range as.cfg.Index.Items() {
		if slices.ContainsFunc(others, func(s *situation) bool { return slices.Contains(s.items, it.Name) }) &&
			strings.Contains(as.a.Normalize(it.Name+" "+it.Summary), word) {
			return true
		}
	}
	return false
}

// cueInStory reports a cue said only in the story before the clause that
// asks, while the question names another of the situation's items more
// than the cued one, at least cueNamedRatio times ("买了套二手房 … 公积金…能拿出来吗": the story's 二手
// cues the transfer, the question names the withdrawal for buying). A cue
// in the asking clause still chooses ("不在深圳干了 … 社保怎么办"), and
// so does one beside an item the resident holds already (在排公租房).
const cueNamedRatio = 2.0

func (as *Assistant) cueInStory(t *turnState, cued, top search.Hit) bool {
	if cued.ID == top.ID || heldIn(t.situations, top.Name) || top.Coverage < switchCoverage || top.Coverage < cueNamedRatio*cued.Coverage || !inSituations(t.situations, top.Name) {
		return false
	}
	name, ok := as.situations.cued(t.situations, as.lastClause(t.in.norm))
	return !ok || name != cued.Name
}

// withoutStory is q without the words a synonym added for a word the
// described situations are recognised by (死亡, 注销 from 走了).
func withoutStory(q search.Query, sits []*situation) search.Query {
	out := q
	out.Words = nil
	for _, w := range q.Words {
		if w.Source == search.FromSynonym && slices.ContainsFunc(strings.Split(w.From, "|"), func(f string) bool { return storyWord(sits, f) }) {
			continue
		}
		out.Words = append(out.Words, w)
	}
	return out
}

// confidence says how sure an answer to a message on its own is, from 0
// to 1: how much of the question the best items explain, how much of the
// chosen item's name it says, and how far the chosen item stands above
// the next. The README's precision/coverage curve is measured on it.
func (as *Assistant) confidence(t *turnState, q search.Query, chosen search.Hit) float64 {
	share, _ := as.explained(t.content, q, t.raw)
	named := min(1, chosen.Coverage/namedCoverage)
	margin := 1.0
	for _, h := range t.hits {
		if h.ID != chosen.ID && chosen.Score > 0 {
			margin = max(0, 1-h.Score/chosen.Score)
			break
		}
	}
	return 0.4*share + 0.4*named + 0.2*margin
}

// sharingName returns the items, best first and at most three, whose
// names hold the same document word of the question (the question's own
// or its synonym's, ending like a card or certificate), when two or more
// do among the hits scoring at least bareVariantRatio of the best.
func (as *Assistant) sharingName(norm string, q search.Query, hits []search.Hit) []search.Hit {
	if len(hits) < 2 {
		return nil
	}
	var best []search.Hit
	root := "" // the question's document word whose synonyms named them
	for _, w := range q.Words {
		if w.Source == search.FromPinyin || utf8.RuneCountInString(w.Text) < 3 || !isDocumentWord(w.Text) {
			continue
		}
		// A generic document word of the question's own stands for the
		// documents the synonym table gives it (缴费证明: 参保缴费证明,
		// 缴存证明, 完税证明): the items naming any of them share it.
		family := []string{w.Text}
		if w.Source == search.FromQuery {
			for _, e := range q.Words {
				if e.Source == search.FromSynonym && isDocumentWord(e.Text) && utf8.RuneCountInString(e.Text) >= 3 &&
					slices.Contains(strings.Split(e.From, "|"), w.Text) {
					family = append(family, e.Text)
				}
			}
		}
		var in []search.Hit
		for _, h := range hits {
			if h.Score < bareVariantRatio*hits[0].Score {
				break
			}
			name := as.a.Normalize(h.Name)
			if slices.ContainsFunc(family, func(f string) bool { return strings.Contains(name, f) }) && len(in) < 3 {
				in = append(in, h)
			}
		}
		if len(in) > len(best) {
			best, root = in, ""
			if len(family) > 1 {
				root = w.Text
			}
		}
	}
	if len(best) < 2 || best[0].ID != hits[0].ID {
		return nil
	}
	if root != "" {
		// The parts of the generic word (缴费 of 缴费证明) are the word
		// itself, not what tells its documents apart; another word of
		// the question that some of them matched and others did not (社保,
		// 打印) narrows the choice.
		best = as.narrowBeyond(q, best, root)
		if len(best) < 2 {
			return nil
		}
	} else if as.tellsApart(q, best) {
		return nil
	}
	// A word of getting it (想办, 申请) asks for the document itself: the
	// items for a variant of it (续期, 换领) are not meant.
	if hasAny(norm, wantNew) {
		best = slices.DeleteFunc(best, func(h search.Hit) bool { return as.isVariant(h.Name) })
		if len(best) < 2 {
			return nil
		}
	}
	return best
}

// isDocumentWord reports a word naming a document: a certificate, a card
// or a booklet (证, 照, 卡, 簿, 本), or a paper an office issues (证明,
// 凭证, 回执, 清单, 报告).
func isDocumentWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	return strings.HasSuffix(w, "证书") || slices.ContainsFunc(documentSuffix, func(s string) bool { return strings.HasSuffix(w, s) }) ||
		isIssuedPaper(w) && !slices.Contains(issuedSuffix, w)
}

// byDepartment reports candidates of one department that the question
// matched only through its name, by what residents call the body (派出所 →
// 公安局, a synonym): it names the body, so the body's services are the
// choices, not unrelated ones. A word of the question's own in the name
// (基金 of 社会保险基金管理局) is no such call.
func (as *Assistant) byDepartment(q search.Query, hits []search.Hit) bool {
	viaSynonym := map[string]bool{}
	for _, w := range q.Words {
		viaSynonym[w.Text] = w.Source == search.FromSynonym
	}
	dep := ""
	for _, h := range hits {
		it, ok := as.cfg.Index.Item(h.ID)
		if !ok || len(h.Terms) == 0 || dep != "" && it.Department != dep {
			return false
		}
		dep = it.Department
		name := as.a.Normalize(it.Department)
		for _, w := range h.Terms {
			if !strings.Contains(name, w) || !viaSynonym[w] {
				return false
			}
		}
	}
	return dep != ""
}

// isIssuedPaper reports a word naming a paper an office issues (证明,
// 缴费证明, 回执), the generic word itself included.
func isIssuedPaper(w string) bool {
	return slices.ContainsFunc(issuedSuffix, func(s string) bool { return strings.HasSuffix(w, s) })
}

// paperFor reports a service another body provides named as the purpose
// of a paper asked for before it ("拿个证明去办签证", "开个证明 拿去办护照
// 用"): the paper is the question, the service what it is for.
func (as *Assistant) paperFor(norm, service string) bool {
	// The service's office asking for a paper (公证处要…档案, 做公证 要…档
	// 案) or the service said as what it is used for (办签证用; for a …
	// visa, with a paper asked) makes it the purpose wherever it stands.
	for rest := norm; ; {
		j := strings.Index(rest, service)
		if j < 0 {
			break
		}
		before, after := rest[:j], rest[j+len(service):]
		if requiresPaper(after) || purposeAfter(after) || englishPurpose(before) && slices.ContainsFunc(as.a.Words(norm), isIssuedPaper) {
			return true
		}
		rest = after
	}
	i := strings.Index(norm, service)
	if i <= 0 {
		return false
	}
	before := norm[:i]
	purpose := false
	for _, m := range purposeMarks {
		if strings.HasSuffix(before, m) {
			before, purpose = strings.TrimSuffix(before, m), true
			break
		}
	}
	return purpose && slices.ContainsFunc(as.a.Words(before), isIssuedPaper)
}

// requiresPaper reports the text after a service naming its office, or
// starting a clause of its own, that asks for a paper or a record:
// 公证处要…档案, 做公证 要…档案 (not 养猫要不要办许可证, which asks).
func requiresPaper(after string) bool {
	office := false
	for _, o := range serviceOffices {
		if rest, ok := strings.CutPrefix(after, o); ok {
			after, office = rest, true
		}
	}
	if !office || strings.HasPrefix(after, "要不要") {
		return false
	}
	for _, m := range requireMarks {
		if rest, ok := strings.CutPrefix(after, m); ok {
			clause, _, _ := strings.Cut(rest, " ")
			clause, _, _ = strings.Cut(clause, ",")
			return slices.ContainsFunc(requiredPapers, func(p string) bool { return strings.Contains(clause, p) })
		}
	}
	return false
}

// purposeAfter reports a service said as what something is used for: 办签
// 证用, 签证要用.
func purposeAfter(after string) bool {
	return strings.HasPrefix(after, "用") || strings.HasPrefix(after, "要用") || strings.HasPrefix(after, "需要用")
}

// englishPurpose reports English "for" a few words before a service (for
// a Japanese tourist 签证): with a paper asked, what it is for.
func englishPurpose(before string) bool {
	fields := strings.Fields(before)
	for k := len(fields) - 1; k >= 0 && k >= len(fields)-4; k-- {
		if fields[k] == "for" {
			return true
		}
	}
	return false
}

var (
	// serviceOffices follow a service to name the office that provides
	// it; a pause lets what follows say what the service needs.
	serviceOffices = []string{" ", "处", "那边", "那里", "的人"}
	// requireMarks say that the office asks for something.
	requireMarks = []string{"要求", "需要", "要", "让"}
	// requiredPapers are what an office asks a resident to bring.
	requiredPapers = append([]string{"档案", "记录"}, issuedSuffix...)
)

// purposeMarks join a paper to what it is for, longest first.
var purposeMarks = []string{"拿去办", "用来办", "拿来办", "去申请", "用来", "用于", "拿去", "去办", "好办", "去"}

// issuedSuffix ends the names of papers an office issues on request.
var issuedSuffix = []string{"证明", "凭证", "回执", "清单", "报告", "许可", "许可证"}

// narrowBeyond keeps the hits that match the most of the question's words
// outside root and its parts, its generic words aside (社保 of 社保缴费证明
// keeps the item whose texts hold 社会保险).
func (as *Assistant) narrowBeyond(q search.Query, hits []search.Hit, root string) []search.Hit {
	count := make([]int, len(hits))
	for _, w := range q.Words {
		if w.Source == search.FromPinyin || strings.Contains(root, w.Text) || as.generic[w.Text] || as.frames[w.Text] {
			continue
		}
		if w.Source == search.FromSynonym && slices.ContainsFunc(strings.Split(w.From, "|"), func(f string) bool { return strings.Contains(root, f) }) {
			continue // an expansion of root itself
		}
		for i, h := range hits {
			if slices.Contains(h.Terms, w.Text) {
				count[i]++
			}
		}
	}
	most := slices.Max(count)
	var out []search.Hit
	for i, h := range hits {
		if count[i] == most {
			out = append(out, h)
		}
	}
	return out
}

// tellsApart reports a word of the question's own that some of the hits'
// names hold and others do not (老年人 of 老年人优待证): it says which.
func (as *Assistant) tellsApart(q search.Query, hits []search.Hit) bool {
	for _, w := range q.Words {
		if w.Source != search.FromQuery {
			continue
		}
		n := 0
		for _, h := range hits {
			if strings.Contains(as.a.Normalize(h.Name), w.Text) {
				n++
			}
		}
		if n > 0 && n < len(hits) {
			return true
		}
	}
	return false
}

// namesAskedVariant reports an item name holding a variant word (换领,
// 补领 …) the question says or its synonyms add.
func (as *Assistant) namesAskedVariant(q search.Query, name string) bool {
	norm := as.a.Normalize(name)
	for _, w := range q.Words {
		if as.variants[w.Text] && strings.Contains(norm, w.Text) {
			return true
		}
	}
	return false
}

// namedVariantAsked returns, when the chosen item is a basic one
// (公共租赁住房申请) and the question asks for a variant (变更, from 信息
// 怎么改) that exactly one close candidate, also named by the question, is
// for (住房保障资格轮候信息变更), that candidate: what is to be done to a
// thing outranks which thing's text matched more. Not when the question
// says it is the first time (第一次 → 首次), which only a basic item is.
func (as *Assistant) namedVariantAsked(q search.Query, chosen search.Hit, close []search.Hit) (search.Hit, bool) {
	if as.isVariant(chosen.Name) || slices.ContainsFunc(q.Words, func(w search.Term) bool { return w.Text == firstIssue }) {
		return search.Hit{}, false
	}
	var found []search.Hit
	for _, h := range close {
		if h.ID != chosen.ID && h.Coverage >= namedCoverage && as.namesAskedVariant(q, h.Name) {
			found = append(found, h)
		}
	}
	if len(found) != 1 {
		return search.Hit{}, false
	}
	return found[0], true
}

// firstIssue is the catalogue's word for getting a thing the first time.
const firstIssue = "首次"

// sameCity reports the place named, another district of this city, and
// the best item's department serving the whole city (scopeModel.sameCity).
func (as *Assistant) sameCity(place string, top search.Hit) bool {
	it, ok := as.cfg.Index.Item(top.ID)
	return ok && as.scopes.sameCity(place, it.Department)
}

// askedVariantOf returns, when the chosen item is a variant (营业执照补领)
// other than the one the question asks in its own words (注销), the best
// close candidate named for the asked one: what is to be done to a thing
// outranks which thing's text matched more.
func (as *Assistant) askedVariantOf(q search.Query, chosen search.Hit, close []search.Hit) (search.Hit, bool) {
	var asked []string
	for _, w := range q.Words {
		if w.Source == search.FromQuery && as.variants[w.Text] {
			asked = append(asked, w.Text)
		}
	}
	if len(asked) == 0 {
		return search.Hit{}, false
	}
	holds := func(h search.Hit) bool {
		return slices.ContainsFunc(asked, func(v string) bool { return strings.Contains(h.Name, v) })
	}
	other := false
	for v := range as.variants {
		if strings.Contains(chosen.Name, v) && !slices.Contains(asked, v) {
			other = true
		}
	}
	if !other || holds(chosen) {
		return search.Hit{}, false
	}
	for _, h := range close {
		if h.ID != chosen.ID && holds(h) {
			return h, true
		}
	}
	return search.Hit{}, false
}

// namedByCue reports a hit named only through synonym phrases that are
// cue words of the cued item (没走医保 names the out-of-town
// reimbursement; told of a birth, it is the birth's medical costs): the
// situation says which item those words mean.
func namedByCue(q search.Query, h search.Hit, cues []string) bool {
	if len(h.NameTerms) == 0 || len(cues) == 0 {
		return false
	}
	for _, n := range h.NameTerms {
		for _, w := range q.Words {
			if w.Text != n {
				continue
			}
			if w.Source == search.FromQuery {
				return false
			}
			for _, from := range strings.Split(w.From, "|") {
				if !slices.Contains(cues, from) {
					return false
				}
			}
		}
	}
	return true
}

// namedByFamily reports a hit each name word of which that the cued hit's
// name lacks the synonym table added for phrases about a family member
// (夫妻投靠 for 老公是深户): what the story says of that person, not a
// service the message names.
func (as *Assistant) namedByFamily(q search.Query, h, cued search.Hit) bool {
	own := 0
	for _, n := range h.NameTerms {
		if slices.Contains(cued.NameTerms, n) {
			continue
		}
		own++
		i := slices.IndexFunc(q.Words, func(w search.Term) bool { return w.Text == n })
		if i < 0 || q.Words[i].Source == search.FromQuery {
			return false
		}
		for _, from := range strings.Split(q.Words[i].From, "|") {
			if _, ok := firstOf(from, as.situations.members); !ok {
				return false
			}
		}
	}
	return own > 0
}

// namedBeside returns the first hit after the best, scoring at least
// cueRatio of it, that is no variant, whose name the question covers at
// least half of, and which shares no name word with the best: an item
// for the variant's own document (公积金贷款 of 提前还款) is the siblings'
// choice to make, not this one.
func (as *Assistant) namedBeside(q search.Query, hits []search.Hit) (search.Hit, bool) {
	top := hits[0]
	for _, h := range hits[1:] {
		if h.Score < cueRatio*top.Score {
			break
		}
		if !as.isVariant(h.Name) && h.Coverage >= variantYieldCoverage && !hasCommon(h.NameTerms, top.NameTerms) {
			return h, true
		}
	}
	return search.Hit{}, false
}

// variantYieldCoverage is how much of its name a close item must be
// named by for an unasked variant to yield to it (namedBeside).
const variantYieldCoverage = 0.5
