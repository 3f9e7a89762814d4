package kb

// Scope lessons: what a reviewer teaches about the assistant's reach from
// a group of turns it answered but should not have. A decline lesson says
// the group's questions are no service of the district (a business's, a
// hospital's, another city's): the assistant declines a question holding
// the lesson's phrase. An ask lesson says the group is too vague for one
// item: the assistant asks which of the lesson's items is meant. Both go
// through review as synonyms do and are announced on Topic ("scope:ID")
// so the index (search.Follow) has them at once.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// ScopeLesson is a stored decline or ask lesson.
type ScopeLesson struct {
	ID        int64      `json:"id"`
	Kind      LessonKind `json:"kind"` // LearnDecline or LearnAsk
	Phrase    string     `json:"phrase"`
	Items     []string   `json:"items"` // ask: the items asked about
	Status    Status     `json:"status"`
	CreatedBy string     `json:"created_by"`
	CreatedAt store.Time `json:"created_at"`
}

// addScopeLesson stores a checked decline or ask lesson in state st; an
// ask lesson's items must be published, and a decline lesson may not be
// a published item's name or alias (it would decline the item itself).
func (s *Store) addScopeLesson(ctx context.Context, l Lesson, st Status, actor string) (int64, error) {
	if l.Kind == LearnDecline {
		items, err := s.PublishedItems(ctx)
		if err != nil {
			return 0, fmt.Errorf("decline lesson: %w", err)
		}
		for _, it := range items {
			if it.Name == l.Phrase || slices.Contains(it.Aliases, l.Phrase) {
				return 0, ErrLessonShort
			}
		}
	}
	if l.Kind == LearnAsk {
		for _, id := range l.Items {
			rec, err := s.Item(ctx, id)
			if err != nil {
				return 0, fmt.Errorf("lesson: item %s: %w", id, err)
			}
			if rec.Status != Published {
				return 0, fmt.Errorf("lesson: item %s: %w", id, ErrNotPublished)
			}
		}
	}
	now := store.Now()
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO kb_scope_lessons (kind, phrase, items, status, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.Kind, l.Phrase, strings.Join(l.Items, " "), st, actor, now, actor, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add %s lesson: %w", l.Kind, err)
	}
	s.announce(ctx, "scope", fmt.Sprint(id))
	return id, nil
}

// SetScopeLessonStatus publishes (Published), sends back (Review) or
// retires (Withdrawn) a decline or ask lesson.
func (s *Store) SetScopeLessonStatus(ctx context.Context, id int64, to Status, actor string) error {
	return s.setStatus(ctx, "kb_scope_lessons", "scope lesson", "scope", id, to, actor)
}

// ScopeLessons lists decline and ask lessons in state st ("" lists all),
// oldest first.
func (s *Store) ScopeLessons(ctx context.Context, st Status) ([]ScopeLesson, error) {
	return listByStatus(ctx, s, "scope lessons", `SELECT id, kind, phrase, items, status, created_by, created_at FROM kb_scope_lessons`, st,
		func(rows *sql.Rows) (ScopeLesson, error) {
			var y ScopeLesson
			var items string
			err := rows.Scan(&y.ID, &y.Kind, &y.Phrase, &items, &y.Status, &y.CreatedBy, &y.CreatedAt)
			y.Items = strings.Fields(items)
			return y, err
		})
}
