package kb

// Learning from use: a reviewer turns a group of questions the assistant
// could not answer (or answered badly) into knowledge in one step — an
// alias of an item, a synonym the query expansion uses, or an FAQ entry
// tied to an item. Each goes through the knowledge base's usual review:
// those who may publish make it live at once (the index follows the
// change notification), others leave it waiting for a reviewer.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// LessonKind is what a lesson adds.
type LessonKind string

const (
	LearnAlias   LessonKind = "alias"   // a name residents use for the item
	LearnSynonym LessonKind = "synonym" // a phrase → catalogue words
	LearnFAQ     LessonKind = "faq"     // a question with its answer, tied to the item
	// LearnDecline: a phrase whose questions are no service of the
	// district (a business's, another city's); the assistant declines
	// them (a scope lesson, ScopeLessons).
	LearnDecline LessonKind = "decline"
	// LearnAsk: a phrase too vague for one item; the assistant asks which
	// of the lesson's items is meant (a scope lesson).
	LearnAsk LessonKind = "ask"
)

// Label is the kind as staff read it.
func (k LessonKind) Label() string {
	switch k {
	case LearnAlias:
		return "别名"
	case LearnSynonym:
		return "同义词"
	case LearnFAQ:
		return "问答"
	case LearnDecline:
		return "婉拒（非本区服务）"
	case LearnAsk:
		return "追问（列出候选事项）"
	}
	return string(k)
}

// Lesson is one review action on a group of questions.
type Lesson struct {
	Kind   LessonKind
	ItemID string   // alias, faq: the item; synonym: optional, a term source
	Phrase string   // alias: the name; synonym: the residents' phrase; faq: the question
	Answer string   // faq only
	Terms  []string // synonym only: the catalogue words the phrase stands for
	Items  []string // ask only: the items asked about (2 to maxAskItems)
	Note   string   // for the item's history
}

// Learned says what a lesson became.
type Learned struct {
	Kind   LessonKind `json:"kind"`
	Ref    string     `json:"ref"`    // item:ID, faq:ID, synonym:ID or scope:ID
	Status Status     `json:"status"` // Published, or Review when waiting for a reviewer
}

// Synonym is a learned synonym rule: residents' phrase → catalogue terms.
type Synonym struct {
	ID        int64      `json:"id"`
	Phrase    string     `json:"phrase"`
	Terms     []string   `json:"terms"`
	Status    Status     `json:"status"`
	CreatedBy string     `json:"created_by"`
	CreatedAt store.Time `json:"created_at"`
}

// Refusals of a lesson staff can act on.
var (
	ErrLessonKind     = refusal.Bad("kb", "lesson_kind", "请选择要生成的内容：别名、同义词、问答、婉拒或追问。")
	ErrLessonEmpty    = refusal.Bad("kb", "lesson_empty", "请填写内容：别名或同义词的说法，问答的问题和回答。")
	ErrLessonItem     = refusal.Bad("kb", "lesson_item", "别名和问答须选择对应的事项。")
	ErrLessonTerms    = refusal.Bad("kb", "lesson_terms", "同义词须填写对应的目录用语（空格分隔）。")
	ErrLessonSyntax   = refusal.Bad("kb", "lesson_syntax", "说法中不能含有 = # … 或换行。")
	ErrLessonHasAlias = refusal.Clash("kb", "lesson_has_alias", "该事项已有这个名称或别名。")
	ErrLessonAskItems = refusal.Bad("kb", "lesson_ask_items", "追问须填写2至5个已发布的候选事项编码（空格分隔）。")
	ErrLessonShort    = refusal.Bad("kb", "lesson_short", "婉拒或追问的说法至少两个字，且不能只是一个事项的名称。")
)

// maxAskItems bounds the items an ask lesson offers: a question a
// resident can answer at a glance.
const maxAskItems = 5

// maxPhrase bounds a learned phrase (runes): an alias or synonym is a few
// words, never a resident's whole story.
const maxPhrase = 40

// clean masks personal data and trims; lessons keep masked text only,
// whatever the form sent.
func clean(s string) string {
	m, _ := privacy.Mask(strings.TrimSpace(s))
	return m
}

func (l *Lesson) check() error {
	l.ItemID, l.Phrase, l.Answer = strings.TrimSpace(l.ItemID), clean(l.Phrase), clean(l.Answer)
	var terms []string
	for _, t := range l.Terms {
		for _, f := range strings.Fields(clean(t)) {
			if !slices.Contains(terms, f) {
				terms = append(terms, f)
			}
		}
	}
	l.Terms = terms
	var items []string
	for _, t := range l.Items {
		for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' || r == '\t' }) {
			if !slices.Contains(items, f) {
				items = append(items, f)
			}
		}
	}
	l.Items = items
	if l.Phrase == "" || l.Kind == LearnFAQ && l.Answer == "" {
		return ErrLessonEmpty
	}
	switch l.Kind {
	case LearnAlias, LearnSynonym:
		if strings.ContainsAny(l.Phrase, "=#…\r\n") || len([]rune(l.Phrase)) > maxPhrase {
			return ErrLessonSyntax
		}
		for _, t := range l.Terms {
			if strings.ContainsAny(t, "=#…") {
				return ErrLessonSyntax
			}
		}
	case LearnFAQ:
	case LearnDecline, LearnAsk:
		if strings.ContainsAny(l.Phrase, "=#…\r\n") || len([]rune(l.Phrase)) > maxPhrase {
			return ErrLessonSyntax
		}
		if len([]rune(l.Phrase)) < 2 {
			return ErrLessonShort
		}
		if l.Kind == LearnAsk && (len(l.Items) < 2 || len(l.Items) > maxAskItems) {
			return ErrLessonAskItems
		}
		return nil
	default:
		return ErrLessonKind
	}
	if l.Kind != LearnSynonym && l.ItemID == "" {
		return ErrLessonItem
	}
	if l.Kind == LearnSynonym && len(l.Terms) == 0 {
		return ErrLessonTerms
	}
	return nil
}

// Learn applies one lesson. With publish (the actor may publish) it goes
// live at once; otherwise it waits for review: an alias as the item's
// pending revision, an FAQ entry or a synonym in state Review. An alias
// for an item that already has a pending revision joins that revision
// and waits for review with it, so nobody's unreviewed edits go live
// through a one-click action.
func (s *Store) Learn(ctx context.Context, l Lesson, actor string, publish bool) (Learned, error) {
	if err := l.check(); err != nil {
		return Learned{}, err
	}
	st := Review
	if publish {
		st = Published
	}
	switch l.Kind {
	case LearnFAQ:
		if _, err := s.Item(ctx, l.ItemID); err != nil {
			return Learned{}, fmt.Errorf("lesson: item %s: %w", l.ItemID, err)
		}
		id, err := s.AddEntry(ctx, Entry{ItemID: l.ItemID, Question: l.Phrase, Answer: l.Answer, Status: st}, actor)
		if err != nil {
			return Learned{}, err
		}
		return Learned{Kind: l.Kind, Ref: fmt.Sprintf("faq:%d", id), Status: st}, nil
	case LearnSynonym:
		id, err := s.AddSynonym(ctx, l.Phrase, l.Terms, st, actor)
		if err != nil {
			return Learned{}, err
		}
		return Learned{Kind: l.Kind, Ref: fmt.Sprintf("synonym:%d", id), Status: st}, nil
	case LearnDecline, LearnAsk:
		id, err := s.addScopeLesson(ctx, l, st, actor)
		if err != nil {
			return Learned{}, err
		}
		return Learned{Kind: l.Kind, Ref: fmt.Sprintf("scope:%d", id), Status: st}, nil
	}
	return s.learnAlias(ctx, l, actor, publish)
}

func (s *Store) learnAlias(ctx context.Context, l Lesson, actor string, publish bool) (Learned, error) {
	rec, err := s.Item(ctx, l.ItemID)
	if err != nil {
		return Learned{}, fmt.Errorf("lesson: item %s: %w", l.ItemID, err)
	}
	if rec.Status != Published {
		return Learned{}, fmt.Errorf("lesson: item %s: %w", l.ItemID, ErrNotPublished)
	}
	it := rec.Item
	joined := false
	if rec.Pending != "" {
		rev, err := s.Revision(ctx, l.ItemID)
		switch {
		case err == nil:
			it, joined = rev.Item, true
		case !errors.Is(err, ErrNotFound):
			return Learned{}, err
		}
	}
	if it.Name == l.Phrase || slices.Contains(it.Aliases, l.Phrase) {
		return Learned{}, ErrLessonHasAlias
	}
	it.Aliases = append(slices.Clip(it.Aliases), l.Phrase)
	note := l.Note
	if note == "" {
		note = "由未解决的问题生成别名：" + l.Phrase
	}
	if err := s.SaveRevision(ctx, it, Review, actor, note); err != nil {
		return Learned{}, err
	}
	out := Learned{Kind: LearnAlias, Ref: "item:" + l.ItemID, Status: Review}
	if !publish || joined {
		return out, nil
	}
	if err := s.PublishRevision(ctx, l.ItemID, ContentHash(it), actor, note); err != nil {
		return out, err
	}
	out.Status = Published
	return out, nil
}

// AddSynonym stores a synonym rule in state st (Review or Published).
func (s *Store) AddSynonym(ctx context.Context, phrase string, terms []string, st Status, actor string) (int64, error) {
	l := Lesson{Kind: LearnSynonym, Phrase: phrase, Terms: terms}
	if err := l.check(); err != nil {
		return 0, err
	}
	if st != Review && st != Published {
		return 0, fmt.Errorf("synonym: state must be review or published, not %s", st)
	}
	now := store.Now()
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO kb_synonyms (phrase, terms, status, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.Phrase, strings.Join(l.Terms, " "), st, actor, now, actor, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add synonym: %w", err)
	}
	s.announce(ctx, "synonym", fmt.Sprint(id))
	return id, nil
}

// SetSynonymStatus publishes (Published), sends back (Review) or retires
// (Withdrawn) a learned synonym.
func (s *Store) SetSynonymStatus(ctx context.Context, id int64, to Status, actor string) error {
	return s.setStatus(ctx, "kb_synonyms", "synonym", "synonym", id, to, actor)
}

// setStatus moves row id of a reviewed table (learned synonyms, scope
// lessons) to state to and announces it on topic; what names the row in
// errors.
func (s *Store) setStatus(ctx context.Context, table, what, topic string, id int64, to Status, actor string) error {
	if to != Review && to != Published && to != Withdrawn {
		return fmt.Errorf("%s %d: %w", what, id, ErrIllegalMove)
	}
	res, err := s.db.Exec(ctx, `UPDATE `+table+` SET status = ?, updated_by = ?, updated_at = ? WHERE id = ?`, to, actor, store.Now(), id)
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	s.announce(ctx, topic, fmt.Sprint(id))
	return nil
}

// Synonyms lists learned synonyms in state st ("" lists all), oldest first.
func (s *Store) Synonyms(ctx context.Context, st Status) ([]Synonym, error) {
	return listByStatus(ctx, s, "synonyms", `SELECT id, phrase, terms, status, created_by, created_at FROM kb_synonyms`, st,
		func(rows *sql.Rows) (Synonym, error) {
			var y Synonym
			var terms string
			err := rows.Scan(&y.ID, &y.Phrase, &terms, &y.Status, &y.CreatedBy, &y.CreatedAt)
			y.Terms = strings.Fields(terms)
			return y, err
		})
}

// listByStatus runs query over a reviewed table (learned synonyms, scope
// lessons), narrowed to state st unless it is "", oldest first, and
// scans each row; what names the list in errors.
func listByStatus[T any](ctx context.Context, s *Store, what, query string, st Status, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var args []any
	if st != "" {
		query += ` WHERE status = ?`
		args = append(args, st)
	}
	rows, err := s.db.Query(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		y, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// SynonymRules renders published synonyms in the synonym table's format
// (zh.ParseSynonyms): "phrase = terms", one a line.
func SynonymRules(list []Synonym) string {
	var b strings.Builder
	for _, y := range list {
		if y.Status == Published {
			fmt.Fprintf(&b, "%s = %s\n", y.Phrase, strings.Join(y.Terms, " "))
		}
	}
	return b.String()
}
