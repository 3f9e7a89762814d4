package kb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// A published item is never taken out of service to be edited. Its edits
// go into a pending revision (one per item) that moves draft → review
// while the item keeps serving its published version; publishing the
// revision replaces the live version in one transaction and announces the
// change on Topic, discarding it leaves the item as it was. Items that
// are not published (draft, review, withdrawn) are edited in place.

// Revision is the pending, edited copy of a published item.
type Revision struct {
	Item   Item   `json:"item"`
	Status Status `json:"status"` // Draft or Review
	// BaseVersion is the published version the revision was made from.
	BaseVersion int `json:"base_version"`
	// Hash identifies the revision's content; a reviewer publishes the
	// content they saw by passing it to PublishRevision.
	Hash        string     `json:"hash"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   store.Time `json:"created_at"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   store.Time `json:"updated_at"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt store.Time `json:"submitted_at"`
}

// RevisionEvent is what happened to a pending revision, as the item's
// history records it.
type RevisionEvent string

const (
	RevisionSaved     RevisionEvent = "saved"     // stored as a draft
	RevisionSubmitted RevisionEvent = "submitted" // sent for review
	RevisionReturned  RevisionEvent = "returned"  // sent back to draft
	RevisionPublished RevisionEvent = "published" // replaced the live version
	RevisionDiscarded RevisionEvent = "discarded" // thrown away
)

// Label is the event as staff read it.
func (e RevisionEvent) Label() string {
	switch e {
	case RevisionSaved:
		return "修订保存为草稿"
	case RevisionSubmitted:
		return "修订提交审核"
	case RevisionReturned:
		return "修订退回修改"
	case RevisionPublished:
		return "修订发布，替换已发布版本"
	case RevisionDiscarded:
		return "修订已放弃"
	}
	return string(e)
}

var (
	// ErrNotPublished: revisions are for published items; others are
	// edited in place.
	ErrNotPublished = refusal.New("kb", "not_published", "事项已不在发布状态，修订不能发布；可放弃该修订后直接编辑事项。")
	// ErrNoChange: the revision says what the published version says.
	ErrNoChange = refusal.New("kb", "no_change", "修订内容与已发布版本相同。如不再需要修订，请点“放弃修订”")
	// ErrStale: the published version changed after the revision was
	// made from it (an import, or another revision published); the
	// revision must be looked at and saved again before it can replace it.
	ErrStale = refusal.New("kb", "stale", "已发布版本在该修订创建之后又有变更（如批量导入），请核对修订内容并重新保存后再发布。")
	// ErrRevisionChanged: the revision was saved again after the reviewer
	// looked at it.
	ErrRevisionChanged = refusal.New("kb", "revision_changed", "修订在您查看之后又被修改，请核对最新内容后再发布。")
)

// ContentHash identifies an item's content (Revision.Hash is the hash of
// the revision's item).
func ContentHash(it Item) string {
	h, _, err := contentHash(&it)
	if err != nil {
		return ""
	}
	return h
}

// sameContent reports whether two versions say the same, ignoring the
// date of the last update (the editor stamps it on every save).
func sameContent(a, b Item) bool {
	b.Updated = a.Updated
	ha, _, err1 := contentHash(&a)
	hb, _, err2 := contentHash(&b)
	return err1 == nil && err2 == nil && ha == hb
}

// putRevision stores (or replaces) the pending revision of a published
// item at version, in state to, and records it in the history.
func putRevision(ctx context.Context, tx *store.Tx, it *Item, hash string, data []byte, to Status, version int, actor, note string, now store.Time) error {
	var subBy string
	var subAt store.Time
	ev := RevisionSaved
	if to == Review {
		subBy, subAt, ev = actor, now, RevisionSubmitted
	}
	if _, err := tx.Exec(ctx, `INSERT INTO kb_item_revisions (item_id, data, content_hash, status, base_version,
		created_by, created_at, updated_by, updated_at, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (item_id) DO UPDATE SET data = excluded.data, content_hash = excluded.content_hash, status = excluded.status,
		base_version = excluded.base_version, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
		submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at`,
		it.ID, string(data), hash, to, version, actor, now, actor, now, subBy, subAt); err != nil {
		return fmt.Errorf("save revision of %s: %w", it.ID, err)
	}
	return addHistory(ctx, tx, it.ID, version, Published, ev, actor, note, now)
}

// SaveRevision stores it as the pending revision of its published item,
// in state to (Draft or Review), replacing any earlier revision; the
// revision is based on the version published now. The published version
// keeps serving. A revision that changes nothing is refused (ErrNoChange);
// an item that is not published is refused (ErrNotPublished).
func (s *Store) SaveRevision(ctx context.Context, it Item, to Status, actor, note string) error {
	if to != Draft && to != Review {
		return fmt.Errorf("revision of %s: state must be draft or review, not %s", it.ID, to)
	}
	if err := it.Validate(); err != nil {
		return fmt.Errorf("item %q: %w", it.ID, err)
	}
	hash, data, err := contentHash(&it)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		live, err := scanRecord(tx.QueryRow(ctx, `SELECT `+recordColumns+recordFrom+` WHERE i.id = ?`, it.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("item %s: %w", it.ID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read item %s: %w", it.ID, err)
		}
		if live.Status != Published {
			return fmt.Errorf("item %s: %w", it.ID, ErrNotPublished)
		}
		if sameContent(live.Item, it) {
			return fmt.Errorf("item %s: %w", it.ID, ErrNoChange)
		}
		return putRevision(ctx, tx, &it, hash, data, to, live.Version, actor, note, store.Now())
	})
}

// Revision returns an item's pending revision (ErrNotFound when it has
// none).
func (s *Store) Revision(ctx context.Context, id string) (Revision, error) {
	return readRevision(s.db.QueryRow(ctx, revisionQuery, id), id)
}

const revisionQuery = `SELECT data, content_hash, status, base_version, created_by, created_at, updated_by, updated_at, submitted_by, submitted_at
	FROM kb_item_revisions WHERE item_id = ?`

func readRevision(row *sql.Row, id string) (Revision, error) {
	var r Revision
	var data string
	err := row.Scan(&data, &r.Hash, &r.Status, &r.BaseVersion, &r.CreatedBy, &r.CreatedAt, &r.UpdatedBy, &r.UpdatedAt, &r.SubmittedBy, &r.SubmittedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("revision of item %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read revision of %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(data), &r.Item); err != nil {
		return r, fmt.Errorf("decode revision of %s: %w", id, err)
	}
	return r, nil
}

// SetRevisionStatus moves a pending revision between draft and review:
// Review submits it, Draft returns it for more editing.
func (s *Store) SetRevisionStatus(ctx context.Context, id string, to Status, actor, note string) error {
	if to != Draft && to != Review {
		return fmt.Errorf("revision of %s: state must be draft or review, not %s", id, to)
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var from Status
		var base int
		err := tx.QueryRow(ctx, `SELECT status, base_version FROM kb_item_revisions WHERE item_id = ?`, id).Scan(&from, &base)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("revision of item %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if from == to {
			return fmt.Errorf("revision of %s is already %s", id, to)
		}
		now := store.Now()
		ev := RevisionReturned
		q, args := `UPDATE kb_item_revisions SET status = ? WHERE item_id = ?`, []any{to, id}
		if to == Review {
			ev = RevisionSubmitted
			q, args = `UPDATE kb_item_revisions SET status = ?, submitted_by = ?, submitted_at = ? WHERE item_id = ?`, []any{to, actor, now, id}
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("revision of %s: %w", id, err)
		}
		var st Status
		if err := tx.QueryRow(ctx, `SELECT status FROM kb_items WHERE id = ?`, id).Scan(&st); err != nil {
			return err
		}
		return addHistory(ctx, tx, id, base, st, ev, actor, note, now)
	})
}

// PublishRevision makes an item's pending revision its published version:
// in one transaction the item's content is replaced, its version raised
// and the revision removed; then the change is announced, so every
// replica's index serves the new text at once. The item must still be
// published at the version the revision was made from (ErrStale). reviewed
// is the Hash of the revision the reviewer saw (ErrRevisionChanged if it
// was saved again since); "" publishes whatever is pending.
func (s *Store) PublishRevision(ctx context.Context, id, reviewed, actor, note string) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var data, hash, upBy, subBy string
		var base int
		var subAt store.Time
		err := tx.QueryRow(ctx, `SELECT data, content_hash, base_version, updated_by, submitted_by, submitted_at
			FROM kb_item_revisions WHERE item_id = ?`, id).Scan(&data, &hash, &base, &upBy, &subBy, &subAt)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("revision of item %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read revision of %s: %w", id, err)
		}
		if reviewed != "" && reviewed != hash {
			return fmt.Errorf("item %s: %w", id, ErrRevisionChanged)
		}
		var st Status
		var version int
		if err := tx.QueryRow(ctx, `SELECT status, version FROM kb_items WHERE id = ?`, id).Scan(&st, &version); err != nil {
			return fmt.Errorf("read item %s: %w", id, err)
		}
		if st != Published {
			return fmt.Errorf("item %s: %w", id, ErrNotPublished)
		}
		if version != base {
			return fmt.Errorf("item %s (revision of version %d, published version %d): %w", id, base, version, ErrStale)
		}
		var it Item
		if err := json.Unmarshal([]byte(data), &it); err != nil {
			return fmt.Errorf("decode revision of %s: %w", id, err)
		}
		now := store.Now()
		res, err := tx.Exec(ctx, `UPDATE kb_items SET name = ?, theme = ?, data = ?, content_hash = ?, version = ?,
			updated_at = ?, updated_by = ?, submitted_by = ?, submitted_at = ?, published_by = ?, published_at = ?
			WHERE id = ? AND version = ? AND status = ?`,
			it.Name, it.Theme, data, hash, version+1, now, upBy, subBy, subAt, actor, now, id, version, Published)
		if err != nil {
			return fmt.Errorf("publish revision of %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("item %s: %w", id, ErrStale)
		}
		// Only the revision read above: one saved again meanwhile (by a
		// concurrent transaction) rolls the publish back.
		res, err = tx.Exec(ctx, `DELETE FROM kb_item_revisions WHERE item_id = ? AND content_hash = ?`, id, hash)
		if err != nil {
			return fmt.Errorf("publish revision of %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("item %s: %w", id, ErrRevisionChanged)
		}
		return addHistory(ctx, tx, id, version+1, Published, RevisionPublished, actor, note, now)
	})
	if err != nil {
		return err
	}
	s.announce(ctx, "item", id)
	return nil
}

// DiscardRevision throws an item's pending revision away; the item stays
// as it is.
func (s *Store) DiscardRevision(ctx context.Context, id, actor, note string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var base int
		err := tx.QueryRow(ctx, `SELECT base_version FROM kb_item_revisions WHERE item_id = ?`, id).Scan(&base)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("revision of item %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var st Status
		if err := tx.QueryRow(ctx, `SELECT status FROM kb_items WHERE id = ?`, id).Scan(&st); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM kb_item_revisions WHERE item_id = ?`, id); err != nil {
			return fmt.Errorf("discard revision of %s: %w", id, err)
		}
		return addHistory(ctx, tx, id, base, st, RevisionDiscarded, actor, note, store.Now())
	})
}

// Change is one field that differs between two versions of an item, as
// text staff read (lists one entry a line).
type Change struct {
	Field string // the item's JSON key
	Label string // the field's name in the editor
	Old   string
	New   string
}

// itemFields are the fields of an item in the editor's order, each as text.
var itemFields = []struct {
	key, label string
	text       func(*Item) string
}{
	{"name", "事项名称", func(it *Item) string { return it.Name }},
	{"aliases", "别名", func(it *Item) string { return strings.Join(it.Aliases, "\n") }},
	{"theme", "主题", func(it *Item) string { return it.Theme }},
	{"audience", "服务对象", func(it *Item) string { return strings.Join(it.Audience, "、") }},
	{"department", "实施部门", func(it *Item) string { return it.Department }},
	{"kind", "事项类型", func(it *Item) string { return it.Kind }},
	{"summary", "简介", func(it *Item) string { return it.Summary }},
	{"conditions", "办理条件", func(it *Item) string { return strings.Join(it.Conditions, "\n") }},
	{"materials", "申请材料", func(it *Item) string {
		var b []string
		for _, m := range it.Materials {
			line := m.Name
			var attrs []string
			if m.Form != "" {
				attrs = append(attrs, m.Form)
			}
			if m.Copies > 0 {
				attrs = append(attrs, fmt.Sprintf("%d份", m.Copies))
			}
			if len(attrs) > 0 {
				line += "（" + strings.Join(attrs, "，") + "）"
			}
			if m.Note != "" {
				line += "：" + m.Note
			}
			b = append(b, line)
		}
		return strings.Join(b, "\n")
	}},
	{"process", "办理流程", func(it *Item) string { return strings.Join(it.Process, "\n") }},
	{"time_limit", "办理时限", func(it *Item) string {
		t := it.TimeLimit
		s := fmt.Sprintf("法定 %d 个工作日，承诺 %d 个工作日", t.LegalDays, t.PromisedDays)
		if t.Note != "" {
			s += "\n" + t.Note
		}
		return s
	}},
	{"fee", "收费标准", func(it *Item) string { return it.Fee }},
	{"benefit", "发放标准", func(it *Item) string { return it.Benefit }},
	{"legal_basis", "设定依据", func(it *Item) string { return strings.Join(it.LegalBasis, "\n") }},
	{"online", "网上办理", func(it *Item) string {
		o := it.Online
		s := "可网上办理"
		if !o.Available {
			s = "不可网上办理"
		}
		if o.Depth != "" {
			s += "（" + o.Depth + "）"
		}
		if o.URL != "" {
			s += "\n" + o.URL
		}
		return s
	}},
	{"offline", "办理大厅", func(it *Item) string {
		s := strings.Join(it.Offline.Halls, "、")
		if it.Offline.Appointment {
			s += "\n可预约办理"
		}
		return s
	}},
	{"contact", "咨询电话", func(it *Item) string { return it.Contact }},
	{"faq", "常见问题", func(it *Item) string {
		var b []string
		for _, f := range it.FAQ {
			b = append(b, "问："+f.Q+"\n答："+f.A)
		}
		return strings.Join(b, "\n")
	}},
	{"doorstep", "上门办", func(it *Item) string {
		if it.Doorstep {
			return "可申请上门办理"
		}
		return "不提供上门办理"
	}},
	{"internal_notes", "内部备注（仅工作人员可见）", func(it *Item) string { return it.InternalNotes }},
	{"extra", "其他字段", func(it *Item) string {
		if len(it.Extra) == 0 {
			return ""
		}
		b, _ := json.Marshal(it.Extra) // map keys sorted
		return string(b)
	}},
}

// Changes lists the fields in which next differs from prev, in the
// editor's order (the date of the last update is not a change).
func Changes(prev, next Item) []Change {
	var out []Change
	for _, f := range itemFields {
		a, b := f.text(&prev), f.text(&next)
		if a != b {
			out = append(out, Change{Field: f.key, Label: f.label, Old: a, New: b})
		}
	}
	return out
}
