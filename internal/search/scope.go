package search

// Learned scope lessons (kb.ScopeLesson): a reviewer's "decline this"
// and "ask which of these items", consulted by the assistant on every
// turn it would otherwise answer. A lesson matches a message holding every
// word of its phrase (as the analyser cuts it, talk and particles left
// out), in any order: the resident's own words for what the catalogue
// does not serve, or for what is too vague for one item.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// ScopeMatch is the learned scope lesson a message matches.
type ScopeMatch struct {
	Kind   kb.LessonKind // kb.LearnDecline or kb.LearnAsk
	Phrase string
	Items  []string // ask: the items asked about, in the lesson's order
}

type scopeRule struct {
	ScopeMatch
	words []string
	runes int
}

// SetScopeLessons replaces the learned scope lessons with the published
// ones of list; the next turn uses them. A lesson whose phrase has no
// word besides talk is left out: it would match every message.
func (ix *Index) SetScopeLessons(list []kb.ScopeLesson) {
	var rules []scopeRule
	for _, l := range list {
		if l.Status != kb.Published || l.Kind != kb.LearnDecline && l.Kind != kb.LearnAsk {
			continue
		}
		r := scopeRule{ScopeMatch: ScopeMatch{Kind: l.Kind, Phrase: l.Phrase, Items: l.Items}}
		for _, w := range ix.a.Segment(ix.a.Normalize(l.Phrase)) {
			if scopeTalk(w) {
				continue
			}
			r.words = append(r.words, w)
			r.runes += len([]rune(w))
		}
		if r.runes < 2 {
			continue
		}
		rules = append(rules, r)
	}
	ix.scope.Store(&rules)
}

// HasScopeLessons reports whether any decline or ask lesson is
// published: a turn need not be analysed for them otherwise.
func (ix *Index) HasScopeLessons() bool {
	p := ix.scope.Load()
	return p != nil && len(*p) > 0
}

// ScopeLesson returns the learned scope lesson the normalised message
// matches: of several, the one whose words say most (runes), the older on
// a tie.
func (ix *Index) ScopeLesson(norm string) (ScopeMatch, bool) {
	p := ix.scope.Load()
	if p == nil {
		return ScopeMatch{}, false
	}
	best, found := -1, false
	var out ScopeMatch
	for _, r := range *p {
		if r.runes <= best {
			continue
		}
		all := true
		for _, w := range r.words {
			if !strings.Contains(norm, w) {
				all = false
				break
			}
		}
		if all {
			best, out, found = r.runes, r.ScopeMatch, true
		}
	}
	return out, found
}

// scopeTalk reports a word a scope lesson's phrase need not share with
// a message: talk (fillers), a particle, a mark. Generic words (证件,
// 办理) are kept: they are what a vague question is made of, and each
// word kept makes a lesson stricter, never looser.
func scopeTalk(w string) bool {
	rs := []rune(strings.TrimSpace(w))
	return len(rs) == 0 || fillers[w] || len(rs) == 1 && (!zh.IsHan(rs[0]) || strings.ContainsRune("的了吗吧啊呀嘛呢哦么啦", rs[0]))
}

// loadScopeLessons puts the published scope lessons in the index.
func loadScopeLessons(ctx context.Context, ix *Index, s *kb.Store) error {
	list, err := s.ScopeLessons(ctx, kb.Published)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	ix.SetScopeLessons(list)
	return nil
}

// LearnedFull reports whether the query holds every word of one of the
// item's learned questions (FAQ entries added in the console), the words
// of the item's name and aliases aside when nameAside: a reviewer's lesson
// "居住证 要多久" is held by the follow-up "那要多久" while 居住证 is being
// discussed.
func (ix *Index) LearnedFull(q Query, item string, nameAside bool) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d, ok := ix.byID[item]
	if !ok || ix.dead[d] {
		return false
	}
	_, n := ix.learnedHeld(q, d, nameAside)
	return n > 0
}

// LearnedSwitch returns the item other than cur with a learned question
// of at least two words the query holds whole, the one with the most
// words; a follow-up holding a reviewer's lesson for another item has
// changed the thread.
func (ix *Index) LearnedSwitch(q Query, cur string) (string, bool) {
	return ix.learnedSwitch(q, cur, "")
}

// LearnedNaming is LearnedSwitch(q, "") over the learned questions that
// hold word in one of their words: a wording declined as another place's
// that a reviewer taught whole, place and all (人在东莞 居住证签注), decides
// the questions holding it, not every question about the service.
func (ix *Index) LearnedNaming(q Query, word string) (string, bool) {
	if word == "" {
		return "", false
	}
	return ix.learnedSwitch(q, "", word)
}

// learnedSwitch is LearnedSwitch over the learned questions holding word
// in one of their words ("" any).
func (ix *Index) learnedSwitch(q Query, cur, word string) (string, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	in := heldWords(q)
	best, out := 1, ""
	for d, qs := range ix.learnedQs {
		if ix.dead[d] || ix.ids[d] == cur {
			continue
		}
		for _, ws := range qs {
			if word != "" && !slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, word) }) {
				continue
			}
			if n, ok := holdsAll(in, q, ws, nil); ok && (n > best || n == best && out != "" && ix.ids[d] < out) {
				best, out = n, ix.ids[d]
			}
		}
	}
	return out, out != ""
}

// heldWords are the query's words of some weight.
func heldWords(q Query) map[string]bool {
	in := make(map[string]bool, len(q.Words))
	for _, t := range q.Words {
		if t.Weight > 0 {
			in[t.Text] = true
		}
	}
	return in
}

// holdsAll reports whether the query holds every word of ws (skip aside),
// as a word of its own or verbatim in its text, and how many it held.
func holdsAll(in map[string]bool, q Query, ws []string, skip func(string) bool) (int, bool) {
	n := 0
	for _, w := range ws {
		if skip != nil && skip(w) {
			continue
		}
		// Held as a word of the message's, or verbatim in it: the lesson
		// was cut alone, the message in context (先清掉 alone, 先清 掉吗 in
		// 账要先清掉吗).
		if !in[w] && !strings.Contains(q.Norm, w) {
			return n, false
		}
		n++
	}
	return n, true
}

// learnedHeld returns the index of doc d's first learned question whose
// words the query holds whole and how many words it has (the name's
// aside when nameAside); 0 words when none is held. Caller holds the
// read lock.
func (ix *Index) learnedHeld(q Query, d int32, nameAside bool) (int, int) {
	in := heldWords(q)
	var skip func(string) bool
	if nameAside {
		skip = func(w string) bool { return ix.inName(d, w) }
	}
	bestI, bestN := -1, 0
	for i, ws := range ix.learnedQs[d] {
		n, all := holdsAll(in, q, ws, skip)
		if all && n > bestN {
			bestI, bestN = i, n
		}
	}
	return bestI, bestN
}

// TrimTalk is the turn without its talk: each clause (split at
// punctuation and spaces) trimmed of fillers at its edges (呃, 你好,
// 请问), clauses of talk only left out, the rest joined by spaces. What
// a decline lesson proposes: the residents' words whole, every one of
// which a question must hold to be declined.
func (ix *Index) TrimTalk(text string) string {
	var out []string
	for _, c := range splitClauses(text) {
		ws := ix.a.Segment(ix.a.Normalize(c))
		i, j := 0, len(ws)
		for i < j && fillers[ws[i]] {
			i++
		}
		for j > i && fillers[ws[j-1]] {
			j--
		}
		if i < j {
			out = append(out, strings.Join(ws[i:j], ""))
		}
	}
	return strings.Join(out, " ")
}

// inName reports a word found in doc d's item name or an alias, as
// written (the name's own cut may differ: 简易注销 against 简易 注销).
// Caller holds the read lock.
func (ix *Index) inName(d int32, w string) bool {
	it := ix.items[ix.ids[d]]
	if it == nil {
		return false
	}
	if strings.Contains(ix.a.Normalize(it.Name), w) {
		return true
	}
	return slices.ContainsFunc(it.Aliases, func(a string) bool { return strings.Contains(ix.a.Normalize(a), w) })
}

// HasLearned reports whether any item has a learned question: without,
// a turn need not be analysed whole for one.
func (ix *Index) HasLearned() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.learnedQs) > 0
}
