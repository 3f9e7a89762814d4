package teaching

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Draft statuses: a draft becomes edited when a teacher saves it, and
// shareable only from edited.
const (
	DraftNew  = "draft"
	Edited    = "edited"
	Shareable = "shareable"
)

// Draft is an answer to a student's question, prepared for a teacher.
type Draft struct {
	ID       int64    `json:"id"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Sources  []Source `json:"sources"`
	// AI says a model wrote (some of) the answer; it is labelled wherever shown.
	AI bool `json:"ai"`
	// Unsourced flags a draft with nothing to back it: no passage of the
	// collection and no source the teacher named.
	Unsourced bool       `json:"unsourced"`
	Status    string     `json:"status"`
	CreatedBy string     `json:"created_by"`
	CreatedAt store.Time `json:"created_at"`
	EditedBy  string     `json:"edited_by,omitempty"`
	EditedAt  store.Time `json:"edited_at"`
	SharedBy  string     `json:"shared_by,omitempty"`
	SharedAt  store.Time `json:"shared_at"`
	Fallback  string     `json:"fallback,omitempty"`
}

// Label is what must be shown with the draft's answer.
func (d *Draft) Label() string {
	switch {
	case d.AI && d.Status == DraftNew:
		return AILabel
	case d.AI:
		return "本内容由人工智能生成，已经教师审核修改"
	}
	return ""
}

var reDocCite = regexp.MustCompile(`《([^》]+)》`)

// DraftAnswer prepares an answer to a student's question from the
// teaching collection: without a model the best passages are quoted with
// their sources; with one, the model answers from them, and an answer
// that cites none of them is flagged. A draft is never shareable until a
// teacher edits it.
func (s *Store) DraftAnswer(ctx context.Context, question, teacher string) (*Draft, error) {
	question = strings.TrimSpace(question)
	if question == "" {
		return nil, errors.New("teaching: 学生问题为空")
	}
	sources, err := s.search(ctx, question, 3)
	if err != nil {
		return nil, err
	}
	d := &Draft{Question: question, Sources: sources, Status: DraftNew, CreatedBy: teacher}
	d.Answer = quoteSources(sources)
	if s.opt.Model != nil && len(sources) > 0 {
		var user strings.Builder
		fmt.Fprintf(&user, "学生的问题：%s\n\n教学资料：\n", question)
		for _, src := range sources {
			fmt.Fprintf(&user, "%s：%s\n", src.Cite(), body(src))
		}
		reply, err := s.complete(ctx, "你帮助教师回答学生的问题。语气亲切、耐心，先肯定学生的提问，再一步一步讲清楚。只依据给出的教学资料，引用时注明（见《文档名》章节）。资料不够回答时如实说明。", user.String())
		switch {
		case err != nil:
			d.Fallback = err.Error()
		case !citesAny(reply, sources):
			d.Fallback = "model answer cites no source; kept the quotations"
		default:
			d.Answer, d.AI = reply, true
		}
	}
	d.Unsourced = len(sources) == 0
	if err := s.saveDraft(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// quoteSources is the answer without a model.
func quoteSources(sources []Source) string {
	if len(sources) == 0 {
		return "（教学资源库中没有找到与这个问题相关的材料，请教师作答并注明出处。）"
	}
	var b strings.Builder
	b.WriteString("教学资料中的相关内容：\n")
	for _, src := range sources {
		fmt.Fprintf(&b, "%s：%s\n", src.Cite(), body(src))
	}
	return strings.TrimSpace(b.String())
}

func citesAny(reply string, sources []Source) bool {
	for _, m := range reDocCite.FindAllStringSubmatch(reply, -1) {
		for _, s := range sources {
			if m[1] == s.Document {
				return true
			}
		}
	}
	return false
}

func (s *Store) saveDraft(ctx context.Context, d *Draft) error {
	src, _ := json.Marshal(nonNilSources(d.Sources))
	d.CreatedAt = s.now()
	err := s.db.QueryRow(ctx, `INSERT INTO teaching_drafts (question, answer, sources, ai, status, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.Question, d.Answer, string(src), boolInt(d.AI), d.Status, d.CreatedBy, d.CreatedAt).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("teaching: save draft: %w", err)
	}
	return nil
}

func nonNilSources(s []Source) []Source {
	if s == nil {
		return []Source{}
	}
	return s
}

// Draft loads one draft.
func (s *Store) Draft(ctx context.Context, id int64) (*Draft, error) {
	d := &Draft{ID: id}
	var src string
	var ai int
	err := s.db.QueryRow(ctx, `SELECT question, answer, sources, ai, status, created_by, created_at, edited_by, edited_at, shared_by, shared_at
		FROM teaching_drafts WHERE id = ?`, id).Scan(&d.Question, &d.Answer, &src, &ai, &d.Status, &d.CreatedBy, &d.CreatedAt,
		&d.EditedBy, &d.EditedAt, &d.SharedBy, &d.SharedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("draft %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("teaching: load draft %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(src), &d.Sources); err != nil {
		return nil, err
	}
	d.AI, d.Unsourced = ai == 1, len(d.Sources) == 0
	return d, nil
}

// EditDraft saves the teacher's answer; source, when given, is a source
// the teacher names (教材第45页), which lifts the unsourced flag.
func (s *Store) EditDraft(ctx context.Context, id int64, answer, source, teacher string) (*Draft, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return nil, errors.New("teaching: 答案为空")
	}
	d, err := s.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Status == Shareable {
		return nil, errors.New("teaching: 已共享的答案不能再修改，请新建草稿")
	}
	if source = strings.TrimSpace(source); source != "" {
		d.Sources = append(d.Sources, Source{Document: "教师注明", Section: source})
	}
	src, _ := json.Marshal(nonNilSources(d.Sources))
	now := s.now()
	if _, err := s.db.Exec(ctx, `UPDATE teaching_drafts SET answer = ?, sources = ?, status = ?, edited_by = ?, edited_at = ? WHERE id = ?`,
		answer, string(src), Edited, teacher, now, id); err != nil {
		return nil, fmt.Errorf("teaching: edit draft %d: %w", id, err)
	}
	return s.Draft(ctx, id)
}

// ErrNotReviewed is returned when a draft no teacher has edited is to be shared.
var ErrNotReviewed = errors.New("teaching: 草稿须经教师修改确认后才能共享")

// ErrUnsourced is returned when a draft without any source is to be shared.
var ErrUnsourced = errors.New("teaching: 草稿没有任何来源，请补充出处后再共享")

// MarkShareable lets a draft reach the student: only after a teacher
// edited it, and only with a source.
func (s *Store) MarkShareable(ctx context.Context, id int64, teacher string) (*Draft, error) {
	d, err := s.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case d.Status == DraftNew:
		return nil, ErrNotReviewed
	case d.Unsourced:
		return nil, ErrUnsourced
	case d.Status == Shareable:
		return d, nil
	}
	if _, err := s.db.Exec(ctx, `UPDATE teaching_drafts SET status = ?, shared_by = ?, shared_at = ? WHERE id = ? AND status = ?`,
		Shareable, teacher, s.now(), id, Edited); err != nil {
		return nil, fmt.Errorf("teaching: share draft %d: %w", id, err)
	}
	return s.Draft(ctx, id)
}

// Drafts lists drafts, newest first; status "" for all.
func (s *Store) Drafts(ctx context.Context, status string) ([]*Draft, error) {
	q := `SELECT id FROM teaching_drafts`
	var args []any
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("teaching: list drafts: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]*Draft, 0, len(ids))
	for _, id := range ids {
		d, err := s.Draft(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
