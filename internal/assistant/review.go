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

	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// ReviewReport is a review round's result on one set.
type ReviewReport struct {
	Kind       kb.LessonKind `json:"kind"`
	Before     Metrics       `json:"before"`
	After      Metrics       `json:"after"`
	ItemMisses int           `json:"item_misses"` // turns whose expected item was not cited first
	// Reviewable are those a reviewer can turn into knowledge: first
	// turns (a follow-up read alone, 那要带啥, is the dialogue state's
	// work, not the catalogue's).
	Reviewable int      `json:"reviewable"`
	Groups     int      `json:"groups"`  // the console's groups of them
	Lessons    int      `json:"lessons"` // one action per group
	Fixed      int      `json:"fixed"`   // item misses right after the round
	Broken     int      `json:"broken"`  // item turns right before, wrong after
	Refused    []string `json:"refused,omitempty"`
	// BrokeTurns are the turns broken, "case: question → got".
	BrokeTurns []string `json:"broke_turns,omitempty"`
	// Taught are the lessons made, "item: phrase".
	Taught []string `json:"taught,omitempty"`
}

// Reviewer is what a review round needs of the knowledge base: the
// expected item's text, and the console's one action.
type Reviewer interface {
	Item(ctx context.Context, id string) (kb.Record, error)
	Learn(ctx context.Context, l kb.Lesson, actor string, publish bool) (kb.Learned, error)
}

// Gister proposes the question a lesson holds, made from a resident's
// turn: its gist for item, set apart from rivals (*search.Index).
type Gister interface {
	Gist(text, item string, rivals []string) string
}

// ReviewRound plays cases, groups the reviewable item misses as the
// console does (convo.GroupQuestions, with the item the reviewer judges
// right as the group's item), makes one lesson of kind per group — an FAQ
// with the group's most frequent wording as the question and the item's
// summary as the answer, or that wording as an alias — publishes them,
// calls sync so the index has them, and plays cases again. With gist,
// the lesson holds what the console proposes to the reviewer: the
// wording's gist for the item, set apart from the items its turns were
// confused with; without, the wording whole.
func ReviewRound(ctx context.Context, svc Service, cases []EvalCase, kbs Reviewer, kind kb.LessonKind, gist Gister, sync func(context.Context) error) (ReviewReport, error) {
	rep := ReviewReport{Kind: kind}
	if kind != kb.LearnFAQ && kind != kb.LearnAlias {
		return rep, fmt.Errorf("review round: lessons are faq or alias, not %q", kind)
	}
	before, misses, err := Evaluate(ctx, svc, cases)
	if err != nil {
		return rep, err
	}
	rep.Before = before
	key := func(m EvalMiss) string { return fmt.Sprintf("%s\x00%d", m.Case, m.Turn) }
	missed := map[string]bool{}
	var qs []convo.Question
	rivalsOf := map[int64][]string{}
	for _, m := range misses {
		if m.Item == "" {
			continue
		}
		rep.ItemMisses++
		missed[key(m)] = true
		if m.Turn > 0 {
			continue
		}
		rep.Reviewable++
		id := int64(len(qs) + 1)
		rivalsOf[id] = m.Rivals
		qs = append(qs, convo.Question{TurnID: id, Text: m.Q, Status: convo.ReasonLowConfidence, ItemID: m.Item})
	}
	groups := convo.GroupQuestions(qs, 0)
	rep.Groups = len(groups)
	// The questions are proposed before any lesson is published: each is
	// proposed against the catalogue the reviewer saw (the index may
	// follow the published lessons while the round goes on).
	phrases := make([]string, len(groups))
	for i, g := range groups {
		phrases[i] = g.Question
		if gist == nil {
			continue
		}
		var rivals []string
		for _, id := range g.TurnIDs {
			for _, r := range rivalsOf[id] {
				if !slices.Contains(rivals, r) {
					rivals = append(rivals, r)
				}
			}
		}
		if p := gist.Gist(g.Question, g.ItemID, rivals); p != "" {
			phrases[i] = p
		}
	}
	for i, g := range groups {
		rec, err := kbs.Item(ctx, g.ItemID)
		if err != nil {
			return rep, fmt.Errorf("review round: item %s: %w", g.ItemID, err)
		}
		answer := rec.Item.Summary
		if answer == "" {
			answer = rec.Item.Name
		}
		phrase := phrases[i]
		l := kb.Lesson{Kind: kind, ItemID: g.ItemID, Phrase: phrase, Answer: answer}
		if _, err := kbs.Learn(ctx, l, "review-round", true); err != nil {
			rep.Refused = append(rep.Refused, fmt.Sprintf("%s → %s: %v", phrase, g.ItemID, err))
			continue
		}
		rep.Lessons++
		rep.Taught = append(rep.Taught, g.ItemID+": "+l.Phrase)
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
			if !missed[key(m)] {
				rep.Broken++
				rep.BrokeTurns = append(rep.BrokeTurns, fmt.Sprintf("%s: %s → %s", m.Case, m.Q, m.Got))
			}
		}
	}
	for k := range missed {
		if !still[k] {
			rep.Fixed++
		}
	}
	return rep, nil
}
