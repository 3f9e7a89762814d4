package library

import (
	_ "embed"
	"fmt"
	"math"
	"sync"

	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// lexiconText is the library's own synonym table: everyday words for the
// words laws use (老师 → 教师, 砍树 → 砍伐 树木). The assistant's table
// maps residents' words to service items; this one maps them to statute
// vocabulary, in the same format and with the same matcher.
//
//go:embed lexicon.txt
var lexiconText string

var (
	lexOnce sync.Once
	lexTab  *zh.Synonyms
	lexErr  error
)

func legalSynonyms(an *zh.Analyzer) (*zh.Synonyms, error) {
	lexOnce.Do(func() {
		lexTab, lexErr = zh.ParseSynonyms(lexiconText, an.Normalize)
		if lexErr != nil {
			lexErr = fmt.Errorf("library: lexicon.txt: %w", lexErr)
		}
	})
	return lexTab, lexErr
}

// synonymWeight is the weight of the terms one phrase adds, shared among
// them as the engine shares its own expansions.
const synonymWeight = 0.8

// expandLegal adds the legal table's terms for a query.
func expandLegal(an *zh.Analyzer, tab *zh.Synonyms, q search.Query) search.Query {
	if tab == nil {
		return q
	}
	have := map[string]int{}
	for i, t := range q.Words {
		have[t.Text] = i
	}
	byPhrase := map[string][]string{}
	var order []string
	for _, e := range tab.Expand(q.Norm) {
		if _, ok := byPhrase[e.Phrase]; !ok {
			order = append(order, e.Phrase)
		}
		for _, w := range an.Segment(e.Term) {
			if !an.IsStop(w) {
				byPhrase[e.Phrase] = append(byPhrase[e.Phrase], w)
			}
		}
	}
	for _, ph := range order {
		ws := byPhrase[ph]
		w := synonymWeight / math.Sqrt(float64(max(len(ws), 1)))
		for _, t := range ws {
			if i, ok := have[t]; ok {
				q.Words[i].Weight = math.Max(q.Words[i].Weight, w)
				continue
			}
			have[t] = len(q.Words)
			q.Words = append(q.Words, search.Term{Text: t, Weight: w, Source: search.FromSynonym, From: ph})
		}
	}
	return q
}
