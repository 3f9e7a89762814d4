package assistant

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// requestMarkers tell the clause that carries a resident's request from
// the story before it (lexicon/request.txt).
type requestMarkers struct {
	end, ask, wish, purpose, plan, past []string
}

func loadRequestMarkers(norm func(string) string) (*requestMarkers, error) {
	m := &requestMarkers{}
	lists := map[string]*[]string{"end": &m.end, "ask": &m.ask, "purpose": &m.purpose, "wish": &m.wish, "past": &m.past, "plan": &m.plan}
	err := eachEntry("request.txt", func(kind string, words []string) error {
		list, ok := lists[kind]
		if !ok {
			return fmt.Errorf("unknown kind %q", kind)
		}
		for _, w := range words {
			*list = append(*list, norm(w))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("request markers: %w", err)
	}
	return m, nil
}

// asks reports a clause that asks or wishes: it questions, or holds a
// wish word and is not only a purpose ("要用").
func (m *requestMarkers) asks(c string) bool {
	if m.questions(c) {
		return true
	}
	_, ok := firstOf(c, m.wish)
	return ok
}

// questions reports a clause that ends as a question, or holds a
// question word and is not only a purpose ("现在报名上学要用").
func (m *requestMarkers) questions(c string) bool {
	for _, e := range m.end {
		if strings.HasSuffix(c, e) {
			return true
		}
	}
	if _, ok := firstOf(c, m.purpose); ok {
		return false
	}
	_, ok := firstOf(c, m.ask)
	return ok
}

// requestSpan splits a message into the story and the request: the last
// clause that asks, with the clause before it when that one asks too and
// tells no past event, or tells one but the asking clause names nothing
// of its own ("想领养一个 可以吗", "想申请长者饭堂 点样申请"). ok is false
// when no clause asks, nothing comes before the request, or the story is
// not background: it questions too ("社区有老人饭堂吗，怎么报名") or tells
// what is coming ("孩子明年该上小学了"). background is the story's clauses
// that tell what happened or how things have been (lexicon/request.txt
// "past").
func (as *Assistant) requestSpan(norm string) (background, request string, ok bool) {
	cs := clauses(norm)
	r := -1
	for i := len(cs) - 1; i >= 0; i-- {
		if as.requests.asks(cs[i]) {
			r = i
			break
		}
	}
	if r < 0 {
		return "", "", false
	}
	from := r
	if r > 0 && as.requests.asks(cs[r-1]) {
		if _, past := firstOf(cs[r-1], as.requests.past); !past || !as.namesSomething(cs[r]) {
			from = r - 1
		}
	}
	if from == 0 {
		return "", "", false
	}
	var past []string
	for _, c := range cs[:from] {
		if as.requests.questions(c) {
			return "", "", false
		}
		if _, plan := firstOf(c, as.requests.plan); plan {
			return "", "", false
		}
		if _, ok := firstOf(c, as.requests.past); ok {
			past = append(past, c)
		}
	}
	return strings.Join(past, " "), strings.Join(cs[from:], " "), true
}

// requestRatio is how close to the best a candidate must score for the
// request to choose it; requestMargin is how much better the request on
// its own must rank it than the best.
// stateMargin is how much better than the best item the request on its
// own must rank its choice when the story tells how things are, not what
// happened.
const stateMargin = 4.0

// stateStoryRatio is how much better than the request's choice such a
// story must rank its own best.
const stateStoryRatio = 2.0

const (
	requestRatio  = 0.5
	requestMargin = 2.0
	// requestTie: candidates the request alone scores within this share
	// of its best are alike to it; the whole message ranks them.
	requestTie = 0.9
)

// byRequest chooses, among the candidates scoring close to the best, the
// one the request itself asks for when the best owes its rank to the
// story before it: "结婚十年了没孩子 … 想领养一个 可以吗" asks for 收养登记,
// not 结婚登记. The request clauses are searched on their own; a close
// candidate they rank first, and rank at least requestMargin times above
// the best, is chosen, when the best owes its rank to the background:
// the story's clauses of what happened, searched on their own, find it,
// scoring at least requestRatio of the chosen one's score there.
func (as *Assistant) byRequest(norm string, hits []search.Hit) (search.Hit, bool) {
	if len(hits) < 2 {
		return search.Hit{}, false
	}
	background, request, ok := as.requestSpan(norm)
	if !ok {
		return search.Hit{}, false
	}
	// A request for what there is ("像我们这样的家庭有什么补助吗") leaves
	// the choice to the story.
	if as.asksWhatThereIs(request) {
		return search.Hit{}, false
	}
	// What it asks about the item (网上, 多久, 材料) names no item.
	request = as.withoutAspects(request)
	// A request made only of generic words ("要去哪里申请", "怎么换")
	// says what to do, not which item: the story tells that.
	if !as.namesSomething(request) {
		return search.Hit{}, false
	}
	scores, said := as.searchOwn(request)
	top := hits[0]
	best, bestScore := search.Hit{}, 0.0
	for _, h := range hits[1:] {
		if !closeToTop(h, top, background != "") {
			continue
		}
		if s := scores[h.ID]; s > bestScore && said[h.ID] {
			best, bestScore = h, s
		}
	}
	if bestScore == 0 || bestScore < requestMargin*scores[top.ID] {
		return search.Hit{}, false
	}
	// Siblings the request alone scores alike (公积金…拿出来: every
	// withdrawal) are told apart by the whole message, the story's detail
	// with it (买了房: the one for buying): the best ranked of them.
	for _, h := range hits[1:] {
		if closeToTop(h, top, background != "") && said[h.ID] && scores[h.ID] >= requestTie*bestScore {
			best = h
			break
		}
	}
	// A story of how things are rather than what happened ("孩子在福田读
	// 小学 我们不是深户 … 小孩的医保怎么参") is background too when the
	// request says next to nothing of the best item (stateMargin).
	// Unless that story is what qualifies the resident for the request
	// ("我老婆是深圳户口 … 户口能迁过来吗"): it must rank the request's
	// choice far below its own best.
	state := false
	if background == "" && bestScore >= stateMargin*scores[top.ID] {
		background, state = storyBefore(norm, request), true
	}
	// Only now is the story searched: most turns stop above.
	past, _ := as.searchOwn(background)
	if past[top.ID] == 0 || past[top.ID] < requestRatio*past[best.ID] {
		return search.Hit{}, false
	}
	if state && past[best.ID]*stateStoryRatio > past[top.ID] {
		return search.Hit{}, false
	}
	return best, true
}

// closeToTop reports a candidate the request may choose over top: one
// scoring at least requestRatio of it, or, after a story of what
// happened (past), one whose whole name the message says (年报 for 企业
// 年度报告公示), however few of the message's other words its text holds.
// A story of how things are (孩子读的是民办小学) keeps the ratio.
func closeToTop(h, top search.Hit, past bool) bool {
	return h.Score >= requestRatio*top.Score || past && h.Coverage >= 1
}

// storyBefore is what norm says before the clauses of request, its
// last ones; "" when request holds as many clauses as norm or more.
func storyBefore(norm, request string) string {
	cs := clauses(norm)
	n := len(cs) - len(clauses(request))
	if n <= 0 {
		return ""
	}
	return strings.Join(cs[:n], " ")
}

// namesSomething reports a clause with a word that is neither generic
// nor a question's wrapping.
func (as *Assistant) namesSomething(c string) bool {
	for _, w := range as.a.Words(as.contentText(c)) {
		if !as.generic[w] && !as.frames[w] {
			return true
		}
	}
	return false
}

// searchOwn searches text on its own: the items' scores, and whether
// a service word of the text (a word of the item's name, or one of the
// lexicon's) matched the item, not only everyday words (现在, 直接).
func (as *Assistant) searchOwn(text string) (scores map[string]float64, said map[string]bool) {
	scores, said = map[string]float64{}, map[string]bool{}
	q := as.cfg.Index.Analyse(as.contentText(text))
	if len(q.Words) == 0 {
		return scores, said
	}
	for _, h := range as.cfg.Index.SearchQuery(q, 30).Hits {
		scores[h.ID] = h.Score
		said[h.ID] = len(h.NameTerms) > 0 || slices.ContainsFunc(h.Terms, as.a.IsLexicon)
	}
	return scores, said
}

// withoutAspects is text without the cues of what is asked about an item
// (lexicon/aspects.txt): "现在可以直接在网上弄吗" asks how, not which.
func (as *Assistant) withoutAspects(text string) string {
	for range 4 {
		hs := as.aspects.match(text)
		if len(hs) == 0 {
			break
		}
		for _, h := range hs {
			text = strings.ReplaceAll(text, h.cue, " ")
		}
	}
	return text
}
