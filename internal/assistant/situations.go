package assistant

import (
	"errors"
	"fmt"
	"slices"
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
	// cues are the words that, said in this situation, name one of its
	// items: 户口 after a birth is 新生儿入户登记, 社保 after moving city
	// is the transfer of the pension insurance.
	cues []situationCue
}

// situationCue is an item of a situation and the words naming it there.
type situationCue struct {
	item  string
	words []string
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
		case "cue":
			item, words, ok := strings.Cut(rest, ":")
			if !ok || strings.TrimSpace(item) == "" || len(strings.Fields(words)) == 0 {
				return errors.New(`want "cue = item name : words"`)
			}
			c := situationCue{item: strings.TrimSpace(item)}
			for _, w := range strings.Fields(words) {
				c.words = append(c.words, norm(w))
			}
			cur.cues = append(cur.cues, c)
			return nil
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
		for _, c := range s.cues {
			if !slices.Contains(out[s.name], c.item) {
				out[s.name] = append(out[s.name], c.item)
			}
		}
	}
	return out
}

// cued returns the one item the described situations' cues name in the
// message: within a situation a clerk hears "户口" as the newborn's
// registration. Several items cued, or none, name nothing.
func (ss *situations) cued(sits []*situation, norm string) (string, bool) {
	item := ""
	for _, s := range sits {
		for _, c := range s.cues {
			if _, ok := firstOf(norm, c.words); !ok || c.item == item {
				continue
			}
			if item != "" {
				return "", false
			}
			item = c.item
		}
	}
	return item, item != ""
}
