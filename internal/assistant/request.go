package assistant

import (
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// requestMarkers tell the clause that carries a resident's request from
// the story before it (lexicon/request.txt).
type requestMarkers struct {
	end, ask, purpose []string
}

func loadRequestMarkers(norm func(string) string) (*requestMarkers, error) {
	m := &requestMarkers{}
	err := eachEntry("request.txt", func(kind string, words []string) error {
		for _, w := range words {
			switch kind {
			case "end":
				m.end = append(m.end, norm(w))
			case "ask":
				m.ask = append(m.ask, norm(w))
			case "purpose":
				m.purpose = append(m.purpose, norm(w))
			default:
				return fmt.Errorf("unknown kind %q", kind)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("request markers: %w", err)
	}
	return m, nil
}

// asks reports a clause that asks or wishes: it ends as a question or
// holds a question or wish word, and is not only a purpose ("要用").
func (m *requestMarkers) asks(c string) bool {
	ends := false
	for _, e := range m.end {
		if strings.HasSuffix(c, e) {
			ends = true
		}
	}
	if ends {
		return true
	}
	if _, ok := firstOf(c, m.purpose); ok {
		return false
	}
	_, ok := firstOf(c, m.ask)
	return ok
}

// requestSpan splits a message into the story and the request: the last
// clause that asks, with the clauses just before it while it names
// nothing itself ("想领养一个 可以吗"). ok is false when no clause asks or
// nothing comes before the request.
func (as *Assistant) requestSpan(norm string) (story, request string, ok bool) {
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
	for from > 0 && !as.namesSomething(strings.Join(cs[from:r+1], " ")) {
		from--
	}
	if from == 0 {
		return "", "", false
	}
	return strings.Join(cs[:from], " "), strings.Join(cs[from:], " "), true
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

// requestRatio is how close to the best a candidate must score for the
// request to choose it; requestMargin is how much better the request on
// its own must rank it than the best.
const (
	requestRatio  = 0.5
	requestMargin = 2.0
)

// byRequest chooses, among the candidates scoring close to the best, the
// one the request itself asks for when the best owes its rank to the
// story before it: "结婚十年了没孩子 … 想领养一个 可以吗" asks for 收养登记,
// not 结婚登记. The request clauses are searched on their own; a close
// candidate they rank first, and rank at least requestMargin times above
// the best, is chosen.
func (as *Assistant) byRequest(norm string, hits []search.Hit) (search.Hit, bool) {
	if len(hits) < 2 {
		return search.Hit{}, false
	}
	_, request, ok := as.requestSpan(norm)
	if !ok {
		return search.Hit{}, false
	}
	rq := as.cfg.Index.Analyse(as.contentText(request))
	if len(rq.Words) == 0 {
		return search.Hit{}, false
	}
	scores := map[string]float64{}
	for _, h := range as.cfg.Index.SearchQuery(rq, 30).Hits {
		scores[h.ID] = h.Score
	}
	top := hits[0]
	best, bestScore := search.Hit{}, 0.0
	for _, h := range hits[1:] {
		if h.Score < requestRatio*top.Score {
			continue
		}
		if s := scores[h.ID]; s > bestScore {
			best, bestScore = h, s
		}
	}
	if bestScore == 0 || bestScore < requestMargin*scores[top.ID] {
		return search.Hit{}, false
	}
	return best, true
}
