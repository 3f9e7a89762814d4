package kb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the knowledge base's schema.
var Migrations = store.Migrations{Component: "kb", FS: migrationFS, Dir: "migrations"}

// Topic is the change-notification topic; messages are "item:ID",
// "hall:ID", "faq:ID", "policy:ID" or store.Resync.
const Topic = "kb"

// ErrNotFound is returned for an unknown id.
var ErrNotFound = errors.New("not found")

// ErrIllegalMove refuses a publishing step the item's state does not
// allow (CanTransition).
var ErrIllegalMove = refusal.Clash("kb", "illegal_move", "无法变更状态：当前状态下不能进行该操作")

// Store reads and writes the knowledge base.
type Store struct {
	db *store.DB
}

// NewStore wraps a migrated database.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// DB exposes the underlying database (for subscriptions).
func (s *Store) DB() *store.DB { return s.db }

// Record is an item with its publishing metadata.
type Record struct {
	Item        Item       `json:"item"`
	Status      Status     `json:"status"`
	Version     int        `json:"version"`
	CreatedAt   store.Time `json:"created_at"`
	UpdatedAt   store.Time `json:"updated_at"`
	UpdatedBy   string     `json:"updated_by"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt store.Time `json:"submitted_at"`
	PublishedBy string     `json:"published_by,omitempty"`
	PublishedAt store.Time `json:"published_at"`
	// Pending is the state (draft or review) of the item's pending
	// revision, "" when it has none (see Revision).
	Pending Status `json:"pending,omitempty"`
}

// UpsertOptions say how an upsert treats publishing state.
type UpsertOptions struct {
	// Status for new items; existing items keep theirs unless ForceStatus.
	Status      Status
	ForceStatus bool
	Actor       string
	// Revise keeps an existing published item serving when the upsert
	// would move it to draft or review: the new content becomes the
	// item's pending revision in that state instead (console uploads).
	Revise bool
}

// UpsertResult counts what an upsert did.
type UpsertResult struct {
	Created, Updated, Unchanged int
	// Revised counts published items whose new content was stored as a
	// pending revision (UpsertOptions.Revise).
	Revised int `json:",omitempty"`
}

func contentHash(it *Item) (string, []byte, error) {
	b, err := json.Marshal(it)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), b, nil
}

// UpsertItems inserts or updates items by id in one transaction. Importing
// the same data twice changes nothing (not even the version), so imports
// are idempotent.
func (s *Store) UpsertItems(ctx context.Context, items []Item, opt UpsertOptions) (UpsertResult, error) {
	return s.upsertItems(ctx, items, nil, opt)
}

// upsertItems is UpsertItems where statuses[i], when set, is the state
// items[i] asks for, applied as if forced (unless opt.ForceStatus).
func (s *Store) upsertItems(ctx context.Context, items []Item, statuses []Status, opt UpsertOptions) (UpsertResult, error) {
	var res UpsertResult
	if opt.Status == "" {
		opt.Status = Published
	}
	var changed []string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res = UpsertResult{}
		changed = changed[:0]
		now := store.Now()
		for i := range items {
			it := &items[i]
			o := opt
			if i < len(statuses) && statuses[i] != "" && !opt.ForceStatus {
				o.Status, o.ForceStatus = statuses[i], true
			}
			if err := it.Validate(); err != nil {
				return fmt.Errorf("item %q: %w", it.ID, err)
			}
			hash, data, err := contentHash(it)
			if err != nil {
				return fmt.Errorf("item %s: %w", it.ID, err)
			}
			var oldHash string
			var oldStatus Status
			var version int
			err = tx.QueryRow(ctx, `SELECT content_hash, status, version FROM kb_items WHERE id = ?`, it.ID).
				Scan(&oldHash, &oldStatus, &version)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.Exec(ctx, `INSERT INTO kb_items (id, name, theme, status, data, content_hash, version,
					created_at, updated_at, updated_by, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
					it.ID, it.Name, it.Theme, o.Status, string(data), hash, now, now, o.Actor,
					pubActor(o.Status, o.Actor), pubTime(o.Status, now)); err != nil {
					return fmt.Errorf("insert item %s: %w", it.ID, err)
				}
				if err := addHistory(ctx, tx, it.ID, 1, o.Status, "", o.Actor, "导入", now); err != nil {
					return err
				}
				res.Created++
				changed = append(changed, it.ID)
			case err != nil:
				return fmt.Errorf("read item %s: %w", it.ID, err)
			default:
				status := oldStatus
				if o.ForceStatus {
					status = o.Status
				}
				if o.Revise && oldStatus == Published && (status == Draft || status == Review) {
					var revHash string
					var revStatus Status
					err := tx.QueryRow(ctx, `SELECT content_hash, status FROM kb_item_revisions WHERE item_id = ?`, it.ID).Scan(&revHash, &revStatus)
					if err != nil && !errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("read revision of %s: %w", it.ID, err)
					}
					if oldHash == hash || (revHash == hash && revStatus == status) {
						res.Unchanged++
						continue
					}
					if err := putRevision(ctx, tx, it, hash, data, status, version, o.Actor, "导入修订", now); err != nil {
						return err
					}
					res.Revised++
					continue
				}
				if oldHash == hash && status == oldStatus {
					res.Unchanged++
					continue
				}
				version++
				if _, err := tx.Exec(ctx, `UPDATE kb_items SET name = ?, theme = ?, status = ?, data = ?, content_hash = ?,
					version = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
					it.Name, it.Theme, status, string(data), hash, version, now, o.Actor, it.ID); err != nil {
					return fmt.Errorf("update item %s: %w", it.ID, err)
				}
				if status == Published && oldStatus != Published {
					if _, err := tx.Exec(ctx, `UPDATE kb_items SET published_by = ?, published_at = ? WHERE id = ?`,
						o.Actor, now, it.ID); err != nil {
						return err
					}
				}
				if err := addHistory(ctx, tx, it.ID, version, status, "", o.Actor, "导入更新", now); err != nil {
					return err
				}
				res.Updated++
				changed = append(changed, it.ID)
			}
		}
		return nil
	})
	if err != nil {
		return UpsertResult{}, err
	}
	s.announce(ctx, "item", changed...)
	return res, nil
}

func pubActor(st Status, actor string) string {
	if st == Published {
		return actor
	}
	return ""
}

func pubTime(st Status, now store.Time) store.Time {
	if st == Published {
		return now
	}
	return store.Time{}
}

// addHistory records a change: the item's state after it, and for a
// change to its pending revision what happened to that.
func addHistory(ctx context.Context, tx *store.Tx, id string, version int, st Status, rev RevisionEvent, actor, note string, at store.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO kb_item_history (item_id, version, status, revision, actor, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, version, st, string(rev), actor, note, at)
	if err != nil {
		return fmt.Errorf("history %s: %w", id, err)
	}
	return nil
}

// announce tells every replica which records changed. A failure to
// announce is not a failure to write: the data is committed, and replicas
// resynchronise on reconnect.
func (s *Store) announce(ctx context.Context, kind string, ids ...string) {
	if len(ids) == 0 {
		return
	}
	msg := kind + ":" + strings.Join(ids, ",")
	if len(ids) > 200 {
		msg = store.Resync // NOTIFY payloads are limited to 8000 bytes
	}
	_ = s.db.Publish(ctx, Topic, msg)
}

const recordColumns = `i.data, i.status, i.version, i.created_at, i.updated_at, i.updated_by, i.submitted_by, i.submitted_at,
	i.published_by, i.published_at, COALESCE(r.status, '')`

// recordFrom joins each item to its pending revision, if any.
const recordFrom = ` FROM kb_items i LEFT JOIN kb_item_revisions r ON r.item_id = i.id`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var data string
	if err := sc.Scan(&data, &r.Status, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.UpdatedBy,
		&r.SubmittedBy, &r.SubmittedAt, &r.PublishedBy, &r.PublishedAt, &r.Pending); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(data), &r.Item); err != nil {
		return r, fmt.Errorf("decode stored item: %w", err)
	}
	return r, nil
}

// Item returns one item in any state.
func (s *Store) Item(ctx context.Context, id string) (Record, error) {
	r, err := scanRecord(s.db.QueryRow(ctx, `SELECT `+recordColumns+recordFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("item %s: %w", id, ErrNotFound)
	}
	return r, err
}

// Filter selects items for listing; zero fields match everything.
type Filter struct {
	Status Status
	Theme  string
	// Pending selects items with a pending revision.
	Pending bool
}

// Items lists items ordered by id.
func (s *Store) Items(ctx context.Context, f Filter) ([]Record, error) {
	q := `SELECT ` + recordColumns + recordFrom + ` WHERE 1=1`
	var args []any
	if f.Status != "" {
		q += ` AND i.status = ?`
		args = append(args, f.Status)
	}
	if f.Theme != "" {
		q += ` AND i.theme = ?`
		args = append(args, f.Theme)
	}
	if f.Pending {
		q += ` AND r.item_id IS NOT NULL`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY i.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PublishedItems returns the searchable catalogue.
func (s *Store) PublishedItems(ctx context.Context) ([]Item, error) {
	recs, err := s.Items(ctx, Filter{Status: Published})
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(recs))
	for i, r := range recs {
		out[i] = r.Item
	}
	return out, nil
}

// transitions are the allowed publishing moves.
var transitions = map[Status][]Status{
	Draft:     {Review, Published},
	Review:    {Published, Draft},
	Published: {Withdrawn, Draft},
	Withdrawn: {Draft, Review, Published},
}

// CanTransition reports whether an item may move from one state to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// SetStatus moves an item to a new publishing state, recording who and
// when. Illegal moves are refused.
func (s *Store) SetStatus(ctx context.Context, id string, to Status, actor, note string) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var from Status
		var version int
		err := tx.QueryRow(ctx, `SELECT status, version FROM kb_items WHERE id = ?`, id).Scan(&from, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("item %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !CanTransition(from, to) {
			return fmt.Errorf("item %s: cannot move from %s to %s: %w", id, from, to, ErrIllegalMove)
		}
		now := store.Now()
		q := `UPDATE kb_items SET status = ? WHERE id = ?`
		args := []any{to, id}
		switch to {
		case Published:
			q = `UPDATE kb_items SET status = ?, published_by = ?, published_at = ? WHERE id = ?`
			args = []any{to, actor, now, id}
		case Review:
			q = `UPDATE kb_items SET status = ?, submitted_by = ?, submitted_at = ? WHERE id = ?`
			args = []any{to, actor, now, id}
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
		return addHistory(ctx, tx, id, version, to, "", actor, note, now)
	})
	if err != nil {
		return err
	}
	s.announce(ctx, "item", id)
	return nil
}

// History is one recorded state change of an item.
type History struct {
	Version int    `json:"version"`
	Status  Status `json:"status"` // the item's state after the change
	// Revision says what happened to the item's pending revision; ""
	// for a change of the item itself.
	Revision RevisionEvent `json:"revision,omitempty"`
	Actor    string        `json:"actor"`
	Note     string        `json:"note"`
	At       store.Time    `json:"at"`
}

// ItemHistory lists an item's state changes, oldest first.
func (s *Store) ItemHistory(ctx context.Context, id string) ([]History, error) {
	rows, err := s.db.Query(ctx, `SELECT version, status, revision, actor, note, at FROM kb_item_history WHERE item_id = ? ORDER BY at, version`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []History
	for rows.Next() {
		var h History
		if err := rows.Scan(&h.Version, &h.Status, &h.Revision, &h.Actor, &h.Note, &h.At); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// UpsertHalls inserts or replaces halls by id.
func (s *Store) UpsertHalls(ctx context.Context, halls []Hall) error {
	ids := make([]string, 0, len(halls))
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := store.Now()
		for i := range halls {
			h := &halls[i]
			if err := h.Validate(); err != nil {
				return fmt.Errorf("hall %q: %w", h.ID, err)
			}
			b, err := json.Marshal(h)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO kb_halls (id, name, data, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data, updated_at = excluded.updated_at`,
				h.ID, h.Name, string(b), now); err != nil {
				return fmt.Errorf("upsert hall %s: %w", h.ID, err)
			}
			ids = append(ids, h.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.announce(ctx, "hall", ids...)
	return nil
}

// Halls lists every hall ordered by id.
func (s *Store) Halls(ctx context.Context) ([]Hall, error) {
	rows, err := s.db.Query(ctx, `SELECT data FROM kb_halls ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list halls: %w", err)
	}
	defer rows.Close()
	var out []Hall
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var h Hall
		if err := json.Unmarshal([]byte(data), &h); err != nil {
			return nil, fmt.Errorf("decode stored hall: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Hall returns one hall.
func (s *Store) Hall(ctx context.Context, id string) (Hall, error) {
	var data string
	err := s.db.QueryRow(ctx, `SELECT data FROM kb_halls WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return Hall{}, fmt.Errorf("hall %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Hall{}, err
	}
	var h Hall
	err = json.Unmarshal([]byte(data), &h)
	return h, err
}

// UpsertPolicies inserts or replaces policy documents by id.
func (s *Store) UpsertPolicies(ctx context.Context, ps []Policy) error {
	ids := make([]string, 0, len(ps))
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := store.Now()
		for i := range ps {
			p := &ps[i]
			if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Title) == "" {
				return fmt.Errorf("policy %q: id and title are required", p.ID)
			}
			b, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO kb_policies (id, title, data, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET title = excluded.title, data = excluded.data, updated_at = excluded.updated_at`,
				p.ID, p.Title, string(b), now); err != nil {
				return fmt.Errorf("upsert policy %s: %w", p.ID, err)
			}
			ids = append(ids, p.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.announce(ctx, "policy", ids...)
	return nil
}

// Policies lists every policy document ordered by id.
func (s *Store) Policies(ctx context.Context) ([]Policy, error) {
	rows, err := s.db.Query(ctx, `SELECT data FROM kb_policies ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	defer rows.Close()
	var out []Policy
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var p Policy
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return nil, fmt.Errorf("decode stored policy: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddEntry stores a standalone FAQ entry and returns its id.
func (s *Store) AddEntry(ctx context.Context, e Entry, actor string) (int64, error) {
	if strings.TrimSpace(e.Question) == "" || strings.TrimSpace(e.Answer) == "" {
		return 0, errors.New("faq: question and answer are required")
	}
	if e.Status == "" {
		e.Status = Draft
	}
	now := store.Now()
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO kb_faq (item_id, question, answer, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.ItemID, e.Question, e.Answer, e.Status, actor, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add faq: %w", err)
	}
	s.announce(ctx, "faq", fmt.Sprint(id))
	return id, nil
}

// UpdateEntry changes a standalone FAQ entry.
func (s *Store) UpdateEntry(ctx context.Context, e Entry) error {
	res, err := s.db.Exec(ctx, `UPDATE kb_faq SET item_id = ?, question = ?, answer = ?, status = ?, updated_at = ? WHERE id = ?`,
		e.ItemID, e.Question, e.Answer, e.Status, store.Now(), e.ID)
	if err != nil {
		return fmt.Errorf("update faq %d: %w", e.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("faq %d: %w", e.ID, ErrNotFound)
	}
	s.announce(ctx, "faq", fmt.Sprint(e.ID))
	return nil
}

// Entries lists standalone FAQ entries; status "" lists all.
func (s *Store) Entries(ctx context.Context, status Status) ([]Entry, error) {
	q := `SELECT id, item_id, question, answer, status FROM kb_faq`
	var args []any
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list faq: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.ItemID, &e.Question, &e.Answer, &e.Status); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Count returns how many items there are in each status.
func (s *Store) Count(ctx context.Context) (map[Status]int, error) {
	rows, err := s.db.Query(ctx, `SELECT status, COUNT(*) FROM kb_items GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Status]int{}
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
