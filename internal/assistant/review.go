package assistant

// A simulated review round: what one pass of a reviewer through the
// console's unanswered questions (kb.Store.Learn) fixes on a set of
// dialogues. It measures the learning-from-use loop, not any sentence:
// the lessons are made from the set's misses by the same grouping and the
// same action the console offers, and the set is played again.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// ReviewOptions are what a review round teaches.
type ReviewOptions struct {
	// Kind is the lesson made of a group of item misses: kb.LearnFAQ or
	// kb.LearnAlias.
	Kind kb.LessonKind
	// Scope makes decline lessons of first turns answered that should
	// have been declined, and ask lessons of those answered that should
	// have been asked back (kb.LearnDecline, kb.LearnAsk).
	Scope bool
	// FollowUps makes lessons of the follow-ups a reviewer can read on
	// their own (reviewFollowUp).
	FollowUps bool
	// Lexicon, when set, takes the allow phrases of turns the governed
	// sensitive-word lexicon stopped although they wanted an answer or a
	// question back: the reviewer judges them false positives and allows
	// the phrase the console proposes (Assistant.SensitiveProposal), as
	// /admin/unanswered offers.
	Lexicon LexiconWriter
}

// LexiconWriter changes the governed sensitive-word lexicon
// (SensitiveStore).
type LexiconWriter interface {
	Put(ctx context.Context, w SensitiveWord, actor string) error
}

// sensitiveProposer is the Service's reading of a stopped message
// (*Assistant).
type sensitiveProposer interface {
	SensitiveProposal(text string) (SensitiveWord, string, bool)
}

// ReviewReport is a review round's result on one set.
type ReviewReport struct {
	Kind       kb.LessonKind `json:"kind"`
	Before     Metrics       `json:"before"`
	After      Metrics       `json:"after"`
	ItemMisses int           `json:"item_misses"` // turns whose expected item was not cited first
	// Reviewable are the item misses a reviewer can turn into knowledge:
	// first turns, and with FollowUps the follow-ups reviewFollowUp
	// makes a standalone question of.
	Reviewable int `json:"reviewable"`
	// FollowUps are the item misses after the first turn; of them,
	// ThreadChanges moved to another item (taught as a standalone
	// question for it) and Aspects stayed on the thread's item (taught as
	// an FAQ of it on the aspect asked, the thread item's name before the
	// turn's gist). The rest say nothing of their own (那要多久 where the
	// item should have stayed, no gist): the dialogue state's work,
	// unreviewable.
	FollowUps     int `json:"follow_ups"`
	ThreadChanges int `json:"thread_changes"`
	Aspects       int `json:"aspects"`
	// AfterMiss are follow-ups that should have stayed on the thread's
	// item whose previous turn was an item miss: left to that turn's
	// lesson. (A thread change is taught whatever came before: its words
	// name the new item.)
	AfterMiss int `json:"after_miss"`
	// ScopeMisses are turns that wanted a decline (out of scope) or a
	// question back (clarify) and got neither; ScopeReviewable are those
	// taught with Scope: the first turns among them, and the follow-ups
	// that wanted declining.
	ScopeMisses     int `json:"scope_misses"`
	ScopeReviewable int `json:"scope_reviewable"`
	ScopeFixed      int `json:"scope_fixed"`
	// Allowed are the allow phrases taught for false positives of the
	// sensitive-word lexicon (with ReviewOptions.Lexicon).
	Allowed int `json:"allowed"`
	Groups  int `json:"groups"`  // the console's groups of them
	Lessons int `json:"lessons"` // one action per group
	// Fixed are item misses right after the round; Broken, item turns
	// right before, wrong after.
	Fixed   int      `json:"fixed"`
	Broken  int      `json:"broken"`
	Refused []string `json:"refused,omitempty"`
	// BrokeTurns are the turns broken, StillTurns the item misses not
	// fixed, "case: question → got".
	BrokeTurns []string `json:"broke_turns,omitempty"`
	StillTurns []string `json:"still_turns,omitempty"`
	// Taught are the lessons made, "item: phrase" ("decline: phrase",
	// "ask A B: phrase").
	Taught []string `json:"taught,omitempty"`
}

// Reviewer is what a review round needs of the knowledge base: the
// expected item's text, and the console's one action.
type Reviewer interface {
	Item(ctx context.Context, id string) (kb.Record, error)
	Learn(ctx context.Context, l kb.Lesson, actor string, publish bool) (kb.Learned, error)
}

// placeNamer reports a wording naming another place as where its
// service is (*Assistant.NamesOtherPlace).
type placeNamer interface {
	NamesOtherPlace(text string) bool
}

// Gister proposes the question a lesson holds, made from a resident's
// turn: its gist for item, set apart from rivals (*search.Index).
type Gister interface {
	Gist(text, item string, rivals []string) string
}

// maxLessonRunes is the longest phrase a decline or ask lesson holds
// (kb's bound).
const maxLessonRunes = 40

// askItems is how many of an answered turn's ranked items an ask lesson
// offers; maxAskChoices, how many it may offer (kb's bound).
const (
	askItems      = 3
	maxAskChoices = 5
)

// lessonGroup is one of the console's groups with the lesson it becomes.
type lessonGroup struct {
	g      convo.QuestionGroup
	kind   kb.LessonKind
	prefix string // an aspect follow-up's lesson: the thread item's name
	// whole: the lesson holds the wording whole, talk aside, not its
	// gist: it was declined as another place's, and the place must stay.
	whole  bool
	items  []string // an ask lesson's items
	rivals []string
}

// ReviewRound plays cases, groups the reviewable misses as the console
// does (convo.GroupQuestions, with the item the reviewer judges right as
// the group's item), makes one lesson per group — for item misses an FAQ
// (the group's most frequent wording as the question, the item's summary
// as the answer) or that wording as an alias (opt.Kind); with opt.Scope a
// decline lesson for turns that wanted declining and an ask lesson, with
// the items the turn was ranked and the one its dialogue's next turn
// meant, for turns that wanted asking back —
// publishes them, calls sync so the index has them, and plays cases
// again. With gist, the lesson holds what the console proposes to the
// reviewer: the wording's gist for the item, set apart from the items its
// turns were confused with (for a decline, from the item it was answered
// with), or, for a wording declined as another place's, the wording whole,
// talk aside; without gist, the wording whole.
func ReviewRound(ctx context.Context, svc Service, cases []EvalCase, kbs Reviewer, opt ReviewOptions, gist Gister, sync func(context.Context) error) (ReviewReport, error) {
	rep := ReviewReport{Kind: opt.Kind}
	if opt.Kind != kb.LearnFAQ && opt.Kind != kb.LearnAlias {
		return rep, fmt.Errorf("review round: lessons are faq or alias, not %q", opt.Kind)
	}
	before, misses, err := Evaluate(ctx, svc, cases)
	if err != nil {
		return rep, err
	}
	rep.Before = before
	byID := map[string]EvalCase{}
	for _, c := range cases {
		byID[c.ID] = c
	}
	key := func(m EvalMiss) string { return fmt.Sprintf("%s\x00%d", m.Case, m.Turn) }
	missed, scopeMissed := map[string]bool{}, map[string]string{}
	// Item lessons, aspect follow-ups' FAQ lessons, decline and ask
	// lessons are grouped apart: the console's groups share a status.
	var items, aspects, declines, asks []convo.Question
	info := map[int64]EvalMiss{}
	add := func(list *[]convo.Question, m EvalMiss, text, item string) {
		id := int64(len(info) + 1)
		info[id] = m
		q := convo.Question{TurnID: id, Text: text, Status: convo.ReasonLowConfidence, ItemID: item}
		if m.Turn > 0 {
			// The thread item (the console shows the previous turn's cited
			// item; the simulation, the item that turn was about).
			q.Thread = threadItem(byID[m.Case], m.Turn)
		}
		*list = append(*list, q)
	}
	itemMissed := map[string]bool{}
	for _, m := range misses {
		if m.Item != "" {
			itemMissed[key(m)] = true
		}
	}
	for _, m := range misses {
		switch {
		case m.Item != "":
			rep.ItemMisses++
			missed[key(m)] = true
			if m.Turn == 0 {
				rep.Reviewable++
				add(&items, m, m.Q, m.Item)
				continue
			}
			rep.FollowUps++
			if !opt.FollowUps {
				continue
			}
			thread := threadItem(byID[m.Case], m.Turn)
			if thread == m.Item && itemMissed[fmt.Sprintf("%s\x00%d", m.Case, m.Turn-1)] {
				// It should have stayed, but the conversation went wrong a
				// turn before: the console shows it under the wrong item,
				// and the earlier turn's lesson is what sets it right.
				rep.AfterMiss++
				continue
			}
			switch {
			case thread == "" || thread != m.Item:
				// A thread change: the turn read alone is a question
				// for the new item.
				rep.ThreadChanges++
				rep.Reviewable++
				add(&items, m, m.Q, m.Item)
			case gist != nil && gist.Gist(m.Q, m.Item, m.Rivals) != "":
				rep.Aspects++
				rep.Reviewable++
				add(&aspects, m, m.Q, m.Item)
			}
		case m.Want == "out_of_scope" || m.Want == "clarify":
			rep.ScopeMisses++
			scopeMissed[key(m)] = m.Want
			// A decline holds the wording whole and reads alone, in the
			// middle of a dialogue too (an everyday aside: 订个蛋糕 after a
			// marriage question); a question back needs the turn before.
			if !opt.Scope || m.Turn > 0 && m.Want != "out_of_scope" {
				continue
			}
			if m.Want == "out_of_scope" {
				rep.ScopeReviewable++
				add(&declines, m, m.Q, "")
			} else if len(m.Candidates) >= 2 {
				rep.ScopeReviewable++
				add(&asks, m, m.Q, "")
			}
		}
	}
	// False positives of the sensitive-word lexicon: the turn wanted an
	// answer or a question back and was stopped; an item lesson alone
	// would never reach it.
	var allows []string
	if sp, ok := svc.(sensitiveProposer); ok && opt.Lexicon != nil {
		for _, m := range misses {
			if m.Want == "out_of_scope" || m.Status != OutOfScope && m.Status != Handoff {
				continue
			}
			if _, phrase, ok := sp.SensitiveProposal(m.Q); ok && !slices.Contains(allows, phrase) {
				allows = append(allows, phrase)
			}
		}
	}
	var groups []lessonGroup
	rivalsOf := func(g convo.QuestionGroup, decline bool) []string {
		var out []string
		for _, id := range g.TurnIDs {
			rs := info[id].Rivals
			if decline && info[id].Cited != "" {
				rs = []string{info[id].Cited}
			}
			for _, r := range rs {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
		return out
	}
	pn, _ := svc.(placeNamer)
	for _, g := range convo.GroupQuestions(items, 0) {
		lg := lessonGroup{g: g, kind: opt.Kind, rivals: rivalsOf(g, false)}
		lg.whole = pn != nil && pn.NamesOtherPlace(g.Question) && slices.ContainsFunc(g.TurnIDs, func(id int64) bool { return info[id].Status == OutOfScope })
		groups = append(groups, lg)
	}
	for _, g := range convo.GroupQuestions(aspects, 0) {
		rec, err := kbs.Item(ctx, g.ItemID)
		if err != nil {
			return rep, fmt.Errorf("review round: item %s: %w", g.ItemID, err)
		}
		groups = append(groups, lessonGroup{g: g, kind: kb.LearnFAQ, prefix: rec.Item.Name, rivals: rivalsOf(g, false)})
	}
	for _, g := range convo.GroupQuestions(declines, 0) {
		groups = append(groups, lessonGroup{g: g, kind: kb.LearnDecline, rivals: rivalsOf(g, true)})
	}
	for _, g := range convo.GroupQuestions(asks, 0) {
		// The reviewer types the choices (2 to 5 items): the items the
		// turns were ranked, and, reading the conversation, what the
		// resident's next turn said was meant when those lack it.
		var its []string
		for _, id := range g.TurnIDs {
			for _, c := range info[id].Candidates {
				if len(its) < askItems && !slices.Contains(its, c) {
					its = append(its, c)
				}
			}
		}
		for _, id := range g.TurnIDs {
			m := info[id]
			c := byID[m.Case]
			if m.Turn+1 >= len(c.Turns) {
				continue
			}
			if meant := c.Turns[m.Turn+1].Item; meant != "" && len(its) < maxAskChoices && !slices.Contains(its, meant) {
				its = append(its, meant)
			}
		}
		groups = append(groups, lessonGroup{g: g, kind: kb.LearnAsk, items: its})
	}
	rep.Groups = len(groups)
	// The questions are proposed before any lesson is published: each is
	// proposed against the catalogue the reviewer saw (the index may
	// follow the published lessons while the round goes on).
	phrases := make([]string, len(groups))
	trimmed := func(q string) string { return q }
	if tt, ok := gist.(interface{ TrimTalk(string) string }); ok {
		trimmed = tt.TrimTalk
	}
	for i, lg := range groups {
		phrases[i] = lg.g.Question
		if lg.whole {
			phrases[i] = trimmed(lg.g.Question)
			continue
		}
		// A decline or an ask holds the residents' words whole, talk
		// aside (search.Index.TrimTalk), when they fit a phrase: every
		// word of it must be in a question it decides; the gist, set
		// against the item the turn was answered with, would keep only
		// the incidental words (阿爷) and make an ask lesson catch
		// questions whose detail picks one of its items.
		if lg.kind == kb.LearnDecline || lg.kind == kb.LearnAsk {
			phrases[i] = trimmed(lg.g.Question)
			if len([]rune(phrases[i])) <= maxLessonRunes {
				continue
			}
			phrases[i] = lg.g.Question
		}
		if gist != nil {
			if p := gist.Gist(lg.g.Question, lg.g.ItemID, lg.rivals); p != "" {
				phrases[i] = p
			}
		}
		if lg.prefix != "" {
			phrases[i] = lg.prefix + " " + phrases[i]
		}
	}
	for i, lg := range groups {
		phrase := phrases[i]
		l := kb.Lesson{Kind: lg.kind, ItemID: lg.g.ItemID, Phrase: phrase, Items: lg.items}
		taught := lg.g.ItemID + ": " + phrase
		switch lg.kind {
		case kb.LearnDecline:
			taught = "decline: " + phrase
		case kb.LearnAsk:
			taught = "ask " + strings.Join(lg.items, " ") + ": " + phrase
		default:
			rec, err := kbs.Item(ctx, lg.g.ItemID)
			if err != nil {
				return rep, fmt.Errorf("review round: item %s: %w", lg.g.ItemID, err)
			}
			l.Answer = rec.Item.Summary
			if l.Answer == "" {
				l.Answer = rec.Item.Name
			}
		}
		if _, err := kbs.Learn(ctx, l, "review-round", true); err != nil {
			rep.Refused = append(rep.Refused, fmt.Sprintf("%s: %v", taught, err))
			continue
		}
		rep.Lessons++
		rep.Taught = append(rep.Taught, taught)
	}
	for _, phrase := range allows {
		if err := opt.Lexicon.Put(ctx, SensitiveWord{Word: phrase, Allow: true}, "review-round"); err != nil {
			rep.Refused = append(rep.Refused, fmt.Sprintf("allow: %s: %v", phrase, err))
			continue
		}
		rep.Allowed++
		rep.Taught = append(rep.Taught, "allow: "+phrase)
	}
	if err := sync(ctx); err != nil {
		return rep, err
	}
	after, misses, err := Evaluate(ctx, svc, cases)
	if err != nil {
		return rep, err
	}
	rep.After = after
	still := map[string]bool{}
	for _, m := range misses {
		if m.Item != "" {
			still[key(m)] = true
			if missed[key(m)] {
				rep.StillTurns = append(rep.StillTurns, fmt.Sprintf("%s#%d: %s → %s (want %s)", m.Case, m.Turn, m.Q, m.Got, m.Item))
			} else {
				rep.Broken++
				rep.BrokeTurns = append(rep.BrokeTurns, fmt.Sprintf("%s: %s → %s", m.Case, m.Q, m.Got))
			}
		}
		if m.Want == "out_of_scope" || m.Want == "clarify" {
			still[key(m)+m.Want] = true
		}
	}
	for k := range missed {
		if !still[k] {
			rep.Fixed++
		}
	}
	for k, want := range scopeMissed {
		if !still[k+want] {
			rep.ScopeFixed++
		}
	}
	return rep, nil
}

// threadItem is the item a dialogue was about before turn: the last
// earlier turn's expected item (what the console shows as the
// conversation's item when that turn was answered right), "" if none.
func threadItem(c EvalCase, turn int) string {
	for i := min(turn, len(c.Turns)) - 1; i >= 0; i-- {
		if c.Turns[i].Item != "" {
			return c.Turns[i].Item
		}
	}
	return ""
}
