package assistant

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// situation is a life event residents describe instead of naming a
// service (a birth, a death, losing a job …) and the items a clerk would
// consider for it (lexicon/situations.txt).
type situation struct {
	name   string
	words  []string
	family []string // count only next to a family member
	items  []string // catalogue item names, the usual first
}

type situations struct {
	list    []situation
	members []string
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
		case "items":
			dst = &cur.items
		default:
			return fmt.Errorf("unknown key %q", strings.TrimSpace(key))
		}
		for _, w := range strings.Fields(rest) {
			if dst == &cur.items {
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
	return out, nil
}

// detect returns the situations a message describes.
func (ss *situations) detect(norm string) []*situation {
	var out []*situation
	_, family := firstOf(norm, ss.members)
	for i := range ss.list {
		s := &ss.list[i]
		_, ok := firstOf(norm, s.words)
		if !ok && family {
			_, ok = firstOf(norm, s.family)
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// Situation weights, chosen on the development sets: an item of a
// described situation scores this much more, and one retrieval missed
// joins the candidates at this share of the best score.
const (
	situationBoost = 0.5
	situationFloor = 0.5
)

// situate raises the items of the situations a message describes among
// the retrieved hits, adding those retrieval missed.
func (as *Assistant) situate(sits []*situation, hits []search.Hit) []search.Hit {
	// A question that names an item (its best hit covers the item's name)
	// is ranked by what it says; the situation helps the ones that
	// describe a life event without naming any service.
	if len(sits) == 0 || len(hits) > 0 && hits[0].Coverage >= switchCoverage {
		return hits
	}
	if len(hits) == 0 {
		hits = nil
	}
	byName := map[string]*search.Hit{}
	ids := map[string]string{}
	for _, it := range as.cfg.Index.Items() {
		ids[it.Name] = it.ID
	}
	top := 1.0
	if len(hits) > 0 {
		top = hits[0].Score
	}
	out := append([]search.Hit(nil), hits...)
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

// SituationItems lists each life situation's item names as the shipped
// data gives them, for checking them against a catalogue.
func SituationItems() map[string][]string {
	ss, err := loadSituations(func(s string) string { return s })
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, s := range ss.list {
		out[s.name] = s.items
	}
	return out
}
