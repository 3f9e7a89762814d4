package assistant

import (
	"fmt"
	"strings"
)

// scopeModel is what the district catalogue covers, as data
// (lexicon/scope-model.txt): the places it serves and those it does not,
// services other levels of government provide, and the requests no
// service catalogue answers. It is checked wherever in a message the
// words appear, not only at its start.
type scopeModel struct {
	ours, foreign  []string // foreign: other districts, cities, provinces
	links          []string
	elsewhere      []string
	lookup, others []string
	records        []string
	injection      []string
	abuse          []string
	abusePerson    []string
}

func loadScopeModel(norm func(string) string) (*scopeModel, error) {
	m := &scopeModel{}
	lists := map[string]*[]string{
		"place.ours": &m.ours, "place.district": &m.foreign, "place.city": &m.foreign, "place.province": &m.foreign,
		"link": &m.links, "service.elsewhere": &m.elsewhere,
		"records.lookup": &m.lookup, "records.other": &m.others, "records.what": &m.records,
		"injection": &m.injection, "abuse": &m.abuse, "abuse.person": &m.abusePerson,
	}
	err := eachEntry("scope-model.txt", func(kind string, words []string) error {
		dst, ok := lists[kind]
		if !ok {
			return fmt.Errorf("unknown kind %q", kind)
		}
		for _, w := range words {
			*dst = append(*dst, norm(w))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// firstOf returns the first of words found in s.
func firstOf(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}

// placeElsewhere reports another district, city or province named as the
// place of the service: named anywhere, with neither a place of this
// district nor a word tying the two (moving insurance or a household).
func (m *scopeModel) placeElsewhere(norm string) (string, bool) {
	p, ok := firstOf(norm, m.foreign)
	if !ok {
		return "", false
	}
	if _, tied := firstOf(norm, m.ours); tied {
		return "", false
	}
	if _, tied := firstOf(norm, m.links); tied {
		return "", false
	}
	return p, true
}

// serviceElsewhere reports a service another level of government or
// another body provides (无犯罪记录证明, 护照, 深圳通).
func (m *scopeModel) serviceElsewhere(norm string) (string, bool) {
	return firstOf(norm, m.elsewhere)
}

// othersRecords reports a request to look up another person's records.
func (m *scopeModel) othersRecords(norm string) bool {
	_, a := firstOf(norm, m.lookup)
	_, b := firstOf(norm, m.others)
	_, c := firstOf(norm, m.records)
	return a && b && c
}

// injection reports a claim of authority inside a message.
func (m *scopeModel) injected(norm string) bool {
	_, ok := firstOf(norm, m.injection)
	return ok
}

// abusive reports abuse, and whether the message also asks for a person.
func (m *scopeModel) abusive(norm string) (abuse, person bool) {
	_, abuse = firstOf(norm, m.abuse)
	_, person = firstOf(norm, m.abusePerson)
	return abuse, person
}
