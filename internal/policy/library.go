package policy

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the policy library's schema.
var Migrations = store.Migrations{Component: "policy", FS: migrationFS, Dir: "migrations"}

// Topic is the change-notification topic: "policy:ID,ID…" when policies
// changed, "fields" when the field schema did, or store.Resync.
const Topic = "policy"

// State is a policy's publishing state. Only published policies are in
// the live set that matching, self-checks and the chat use.
type State string

const (
	Draft     State = "draft"
	Review    State = "review" // submitted, waiting for a reviewer
	Published State = "published"
	Withdrawn State = "withdrawn"
)

// ParseState accepts the English names and their Chinese labels.
func ParseState(s string) (State, error) {
	switch strings.TrimSpace(s) {
	case "draft", "草稿":
		return Draft, nil
	case "review", "待审核":
		return Review, nil
	case "published", "已发布":
		return Published, nil
	case "withdrawn", "已撤回", "已下线":
		return Withdrawn, nil
	}
	return "", fmt.Errorf("unknown state %q (draft, review, published, withdrawn)", s)
}

// Label is the state as staff read it.
func (s State) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Review:
		return "待审核"
	case Published:
		return "已发布"
	case Withdrawn:
		return "已撤回"
	}
	return string(s)
}

// Refusals of the library.
var (
	ErrNotFound = errors.New("policy not found")
	// ErrNoChange: the edit says what the stored version says.
	ErrNoChange = errors.New("the policy is unchanged")
	// ErrState: the step is not allowed in the policy's state (publish a
	// draft that was never submitted, withdraw a draft …).
	ErrState = errors.New("not allowed in the policy's current state")
	// ErrStale: the published version changed after the revision was made
	// from it.
	ErrStale = errors.New("the published version changed after this revision was made")
	// ErrRevisionChanged: the revision was saved again after the reviewer
	// looked at it.
	ErrRevisionChanged = errors.New("the revision changed after it was reviewed")
)

// Record is a stored policy with its publishing metadata.
type Record struct {
	Policy      Policy     `json:"policy"`
	State       State      `json:"state"`
	Version     int        `json:"version"`
	Hash        string     `json:"hash"`
	CreatedAt   store.Time `json:"created_at"`
	UpdatedAt   store.Time `json:"updated_at"`
	UpdatedBy   string     `json:"updated_by"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt store.Time `json:"submitted_at"`
	PublishedBy string     `json:"published_by,omitempty"`
	PublishedAt store.Time `json:"published_at"`
	// Pending is the state (draft or review) of the policy's pending
	// revision, "" when it has none.
	Pending State `json:"pending,omitempty"`
}

// Revision is the pending, edited copy of a published policy.
type Revision struct {
	Policy      Policy     `json:"policy"`
	State       State      `json:"state"` // draft or review
	BaseVersion int        `json:"base_version"`
	Hash        string     `json:"hash"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   store.Time `json:"updated_at"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
}

// Library keeps policies in the store: an edit of a published policy
// waits as a revision until a reviewer publishes it (the same flow as
// service items), and no policy is stored whose expressions do not
// compile against the field schema.
type Library struct {
	db   *store.DB
	now  func() time.Time
	zone *time.Location
}

// NewLibrary wraps a database migrated with Migrations.
func NewLibrary(db *store.DB) *Library { return &Library{db: db, now: time.Now} }

// WithClock makes the library stamp changes with now and count days in
// zone (nil: clock.Default).
func (l *Library) WithClock(now func() time.Time, zone *time.Location) *Library {
	l.now, l.zone = now, zone
	return l
}

// DB is the library's database (for subscriptions).
func (l *Library) DB() *store.DB { return l.db }

func (l *Library) stamp() store.Time { return store.T(l.now()) }

// Today is the district's day now, by the library's clock.
func (l *Library) Today() Day { return Today(l.now(), l.zone) }

func contentHash(p *Policy) (string, []byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), b, nil
}

// check validates and compiles a policy against the schema's types for
// its target.
func (l *Library) check(ctx context.Context, p *Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	s, err := l.Schema(ctx)
	if err != nil {
		return err
	}
	_, err = Compile([]Policy{*p}, CompileOptions{Types: s.Types(p.Target)})
	return err
}

const recordColumns = `p.data, p.state, p.version, p.content_hash, p.created_at, p.updated_at, p.updated_by,
	p.submitted_by, p.submitted_at, p.published_by, p.published_at, COALESCE(r.state, '')`

const recordFrom = ` FROM policy_policies p LEFT JOIN policy_revisions r ON r.policy_id = p.id`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var data string
	if err := sc.Scan(&data, &r.State, &r.Version, &r.Hash, &r.CreatedAt, &r.UpdatedAt, &r.UpdatedBy,
		&r.SubmittedBy, &r.SubmittedAt, &r.PublishedBy, &r.PublishedAt, &r.Pending); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(data), &r.Policy); err != nil {
		return r, fmt.Errorf("decode stored policy: %w", err)
	}
	return r, nil
}

// Get returns one policy in any state.
func (l *Library) Get(ctx context.Context, id string) (Record, error) {
	r, err := scanRecord(l.db.QueryRow(ctx, `SELECT `+recordColumns+recordFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("policy %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("policy %s: %w", id, err)
	}
	return r, nil
}

// Filter selects policies; zero fields match all.
type Filter struct {
	State   State
	Target  Target
	Mode    Mode
	Pending bool // only policies with a pending revision
}

// List returns policies in library order.
func (l *Library) List(ctx context.Context, f Filter) ([]Record, error) {
	q := `SELECT ` + recordColumns + recordFrom + ` WHERE 1=1`
	var args []any
	if f.State != "" {
		q, args = q+` AND p.state = ?`, append(args, f.State)
	}
	if f.Target != "" {
		q, args = q+` AND p.target = ?`, append(args, f.Target)
	}
	if f.Mode != "" {
		q, args = q+` AND p.mode = ?`, append(args, f.Mode)
	}
	if f.Pending {
		q += ` AND r.policy_id IS NOT NULL`
	}
	return l.query(ctx, q+` ORDER BY p.position, p.id`, args...)
}

func (l *Library) query(ctx context.Context, q string, args ...any) ([]Record, error) {
	rows, err := l.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
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

// Published returns the published policies in library order, the order
// that decides ties between policies that may not be combined.
func (l *Library) Published(ctx context.Context) ([]Policy, error) {
	recs, err := l.List(ctx, Filter{State: Published})
	if err != nil {
		return nil, err
	}
	out := make([]Policy, len(recs))
	for i, r := range recs {
		out[i] = r.Policy
	}
	return out, nil
}

// Expiring lists the published policies whose expiry day falls within
// the days from asOf (inclusive), soonest first: the console's "expiring
// within 30 days".
func (l *Library) Expiring(ctx context.Context, asOf Day, days int) ([]Record, error) {
	return l.query(ctx, `SELECT `+recordColumns+recordFrom+` WHERE p.state = ? AND p.expires <> '' AND p.expires >= ? AND p.expires <= ?
		ORDER BY p.expires, p.position`, Published, asOf.String(), asOf.AddDays(days).String())
}

// Save stores an edit made by staff. A new policy is stored as a draft; a
// draft, a policy in review or a withdrawn one is edited in place and goes
// back to draft; a published policy keeps serving and the edit becomes its
// pending revision (draft). A policy whose expressions do not compile is
// refused with CompileErrors naming the condition.
func (l *Library) Save(ctx context.Context, p Policy, actor, note string) error {
	if err := l.check(ctx, &p); err != nil {
		return err
	}
	hash, data, err := contentHash(&p)
	if err != nil {
		return err
	}
	err = l.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := l.put(ctx, tx, &p, hash, data, Draft, actor, note, true)
		return err
	})
	if err != nil {
		return err
	}
	l.announce(ctx, p.ID)
	return nil
}

// putResult says what put did.
type putResult int

const (
	putCreated putResult = iota + 1
	putUpdated
	putRevised
	putUnchanged
)

// put stores p in state to. A published policy is not changed unless to
// is Published: the content waits as its revision in state to instead.
// With strict, an unchanged policy is ErrNoChange.
func (l *Library) put(ctx context.Context, tx *store.Tx, p *Policy, hash string, data []byte, to State, actor, note string, strict bool) (putResult, error) {
	now := l.stamp()
	var state State
	var version int
	var oldHash string
	err := tx.QueryRow(ctx, `SELECT state, version, content_hash FROM policy_policies WHERE id = ?`, p.ID).Scan(&state, &version, &oldHash)
	if errors.Is(err, sql.ErrNoRows) {
		var pos int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM policy_policies`).Scan(&pos); err != nil {
			return 0, err
		}
		var pubBy string
		var pubAt, subAt store.Time
		var subBy string
		if to == Published {
			pubBy, pubAt = actor, now
		}
		if to == Review {
			subBy, subAt = actor, now
		}
		if _, err := tx.Exec(ctx, `INSERT INTO policy_policies (id, position, title, target, mode, state, effective, expires, data,
			content_hash, version, created_at, updated_at, updated_by, submitted_by, submitted_at, published_by, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, pos, p.Title, p.Target, p.Mode, to, p.Effective, p.Expires, string(data), hash, now, now, actor,
			subBy, subAt, pubBy, pubAt); err != nil {
			return 0, fmt.Errorf("insert policy %s: %w", p.ID, err)
		}
		return putCreated, addHistory(ctx, tx, p.ID, 1, to, "", actor, orNote(note, "新建"), now)
	}
	if err != nil {
		return 0, fmt.Errorf("read policy %s: %w", p.ID, err)
	}
	if state == Published && to != Published {
		var revHash string
		var revState State
		err := tx.QueryRow(ctx, `SELECT content_hash, state FROM policy_revisions WHERE policy_id = ?`, p.ID).Scan(&revHash, &revState)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		if oldHash == hash || (revHash == hash && revState == to) {
			if strict {
				return 0, fmt.Errorf("policy %s: %w", p.ID, ErrNoChange)
			}
			return putUnchanged, nil
		}
		var subBy string
		var subAt store.Time
		if to == Review {
			subBy, subAt = actor, now
		}
		if _, err := tx.Exec(ctx, `INSERT INTO policy_revisions (policy_id, data, content_hash, state, base_version, created_by, created_at,
			updated_by, updated_at, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (policy_id) DO UPDATE SET data = excluded.data, content_hash = excluded.content_hash, state = excluded.state,
			base_version = excluded.base_version, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
			submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at`,
			p.ID, string(data), hash, to, version, actor, now, actor, now, subBy, subAt); err != nil {
			return 0, fmt.Errorf("save revision of %s: %w", p.ID, err)
		}
		ev := "saved"
		if to == Review {
			ev = "submitted"
		}
		return putRevised, addHistory(ctx, tx, p.ID, version, state, ev, actor, orNote(note, "修订"), now)
	}
	if oldHash == hash && state == to {
		if strict {
			return 0, fmt.Errorf("policy %s: %w", p.ID, ErrNoChange)
		}
		return putUnchanged, nil
	}
	version++
	q := `UPDATE policy_policies SET title = ?, target = ?, mode = ?, state = ?, effective = ?, expires = ?, data = ?,
		content_hash = ?, version = ?, updated_at = ?, updated_by = ?`
	args := []any{p.Title, p.Target, p.Mode, to, p.Effective, p.Expires, string(data), hash, version, now, actor}
	switch to {
	case Published:
		q, args = q+`, published_by = ?, published_at = ?`, append(args, actor, now)
	case Review:
		q, args = q+`, submitted_by = ?, submitted_at = ?`, append(args, actor, now)
	}
	if _, err := tx.Exec(ctx, q+` WHERE id = ?`, append(args, p.ID)...); err != nil {
		return 0, fmt.Errorf("update policy %s: %w", p.ID, err)
	}
	if to == Published {
		// Replaced wholesale: a pending revision was made from the old version.
		if _, err := tx.Exec(ctx, `DELETE FROM policy_revisions WHERE policy_id = ?`, p.ID); err != nil {
			return 0, err
		}
	}
	return putUpdated, addHistory(ctx, tx, p.ID, version, to, "", actor, orNote(note, "修改"), now)
}

func orNote(note, def string) string {
	if strings.TrimSpace(note) == "" {
		return def
	}
	return note
}

func addHistory(ctx context.Context, tx *store.Tx, id string, version int, st State, rev, actor, note string, at store.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO policy_history (policy_id, version, state, revision, actor, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, version, st, rev, actor, note, at)
	if err != nil {
		return fmt.Errorf("history of %s: %w", id, err)
	}
	return nil
}

// announce tells every replica which policies changed; the data is
// committed, so a failure to announce is not a failure of the change
// (replicas resynchronise on reconnect).
func (l *Library) announce(ctx context.Context, ids ...string) {
	if len(ids) == 0 {
		return
	}
	msg := "policy:" + strings.Join(ids, ",")
	if len(msg) > 7000 {
		msg = store.Resync // NOTIFY payloads are limited to 8000 bytes
	}
	_ = l.db.Publish(ctx, Topic, msg)
}

// Submit sends a draft (or withdrawn) policy, or a published policy's
// draft revision, for review.
func (l *Library) Submit(ctx context.Context, id, actor, note string) error {
	return l.step(ctx, id, actor, note, func(tx *store.Tx, st State, rev State, version int, now store.Time) error {
		switch {
		case rev == Draft:
			if _, err := tx.Exec(ctx, `UPDATE policy_revisions SET state = ?, submitted_by = ?, submitted_at = ? WHERE policy_id = ?`,
				Review, actor, now, id); err != nil {
				return err
			}
			return addHistory(ctx, tx, id, version, st, "submitted", actor, orNote(note, "修订提交审核"), now)
		case rev == "" && (st == Draft || st == Withdrawn):
			if _, err := tx.Exec(ctx, `UPDATE policy_policies SET state = ?, submitted_by = ?, submitted_at = ? WHERE id = ?`,
				Review, actor, now, id); err != nil {
				return err
			}
			return addHistory(ctx, tx, id, version, Review, "", actor, orNote(note, "提交审核"), now)
		}
		return fmt.Errorf("submit policy %s (%s): %w", id, st, ErrState)
	})
}

// Return sends a policy (or its revision) in review back to draft.
func (l *Library) Return(ctx context.Context, id, actor, note string) error {
	return l.step(ctx, id, actor, note, func(tx *store.Tx, st State, rev State, version int, now store.Time) error {
		switch {
		case rev == Review:
			if _, err := tx.Exec(ctx, `UPDATE policy_revisions SET state = ? WHERE policy_id = ?`, Draft, id); err != nil {
				return err
			}
			return addHistory(ctx, tx, id, version, st, "returned", actor, orNote(note, "修订退回修改"), now)
		case rev == "" && st == Review:
			if _, err := tx.Exec(ctx, `UPDATE policy_policies SET state = ? WHERE id = ?`, Draft, id); err != nil {
				return err
			}
			return addHistory(ctx, tx, id, version, Draft, "", actor, orNote(note, "退回修改"), now)
		}
		return fmt.Errorf("return policy %s (%s): %w", id, st, ErrState)
	})
}

// Withdraw takes a published policy out of force (its pending revision,
// if any, is discarded).
func (l *Library) Withdraw(ctx context.Context, id, actor, note string) error {
	return l.step(ctx, id, actor, note, func(tx *store.Tx, st State, rev State, version int, now store.Time) error {
		if st != Published {
			return fmt.Errorf("withdraw policy %s (%s): %w", id, st, ErrState)
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_policies SET state = ?, updated_at = ?, updated_by = ? WHERE id = ?`, Withdrawn, now, actor, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM policy_revisions WHERE policy_id = ?`, id); err != nil {
			return err
		}
		return addHistory(ctx, tx, id, version, Withdrawn, "", actor, orNote(note, "撤回"), now)
	})
}

// DiscardRevision throws a published policy's pending revision away.
func (l *Library) DiscardRevision(ctx context.Context, id, actor, note string) error {
	return l.step(ctx, id, actor, note, func(tx *store.Tx, st State, rev State, version int, now store.Time) error {
		if rev == "" {
			return fmt.Errorf("policy %s has no pending revision: %w", id, ErrState)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM policy_revisions WHERE policy_id = ?`, id); err != nil {
			return err
		}
		return addHistory(ctx, tx, id, version, st, "discarded", actor, orNote(note, "放弃修订"), now)
	})
}

// Publish puts a policy in review (or a published policy's revision in
// review) into force. reviewed is the Hash of what the reviewer read —
// the policy's, or the revision's — and "" publishes whatever is there;
// a revision saved again since is ErrRevisionChanged, one made from an
// older published version ErrStale. The policy is compiled once more
// against today's schema before it goes live.
func (l *Library) Publish(ctx context.Context, id, reviewed, actor, note string) error {
	s, err := l.Schema(ctx)
	if err != nil {
		return err
	}
	return l.step(ctx, id, actor, note, func(tx *store.Tx, st State, rev State, version int, now store.Time) error {
		if rev == Review {
			var data, hash string
			var base int
			if err := tx.QueryRow(ctx, `SELECT data, content_hash, base_version FROM policy_revisions WHERE policy_id = ?`, id).
				Scan(&data, &hash, &base); err != nil {
				return err
			}
			if reviewed != "" && reviewed != hash {
				return fmt.Errorf("policy %s: %w", id, ErrRevisionChanged)
			}
			if base != version {
				return fmt.Errorf("policy %s (revision of version %d, published version %d): %w", id, base, version, ErrStale)
			}
			var p Policy
			if err := json.Unmarshal([]byte(data), &p); err != nil {
				return fmt.Errorf("decode revision of %s: %w", id, err)
			}
			if _, err := Compile([]Policy{p}, CompileOptions{Types: s.Types(p.Target)}); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE policy_policies SET title = ?, target = ?, mode = ?, effective = ?, expires = ?, data = ?,
				content_hash = ?, version = ?, updated_at = ?, published_by = ?, published_at = ? WHERE id = ? AND version = ?`,
				p.Title, p.Target, p.Mode, p.Effective, p.Expires, data, hash, version+1, now, actor, now, id, version); err != nil {
				return err
			}
			res, err := tx.Exec(ctx, `DELETE FROM policy_revisions WHERE policy_id = ? AND content_hash = ?`, id, hash)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("policy %s: %w", id, ErrRevisionChanged)
			}
			return addHistory(ctx, tx, id, version+1, Published, "published", actor, orNote(note, "修订发布"), now)
		}
		if rev != "" || st != Review {
			return fmt.Errorf("publish policy %s (%s; only a policy in review is published): %w", id, st.Label(), ErrState)
		}
		var data, hash string
		if err := tx.QueryRow(ctx, `SELECT data, content_hash FROM policy_policies WHERE id = ?`, id).Scan(&data, &hash); err != nil {
			return err
		}
		if reviewed != "" && reviewed != hash {
			return fmt.Errorf("policy %s: %w", id, ErrRevisionChanged)
		}
		var p Policy
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return fmt.Errorf("decode policy %s: %w", id, err)
		}
		if _, err := Compile([]Policy{p}, CompileOptions{Types: s.Types(p.Target)}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_policies SET state = ?, published_by = ?, published_at = ? WHERE id = ?`,
			Published, actor, now, id); err != nil {
			return err
		}
		return addHistory(ctx, tx, id, version, Published, "", actor, orNote(note, "发布"), now)
	})
}

// step runs one publishing step on policy id in a transaction and
// announces the change.
func (l *Library) step(ctx context.Context, id, actor, note string, fn func(tx *store.Tx, st, rev State, version int, now store.Time) error) error {
	err := l.db.InTx(ctx, func(tx *store.Tx) error {
		var st, rev State
		var version int
		err := tx.QueryRow(ctx, `SELECT p.state, p.version, COALESCE(r.state, '')`+recordFrom+` WHERE p.id = ?`, id).Scan(&st, &version, &rev)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("policy %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("policy %s: %w", id, err)
		}
		return fn(tx, st, rev, version, l.stamp())
	})
	if err != nil {
		return err
	}
	l.announce(ctx, id)
	return nil
}

// Revision returns a policy's pending revision (ErrNotFound when none).
func (l *Library) Revision(ctx context.Context, id string) (Revision, error) {
	var r Revision
	var data string
	err := l.db.QueryRow(ctx, `SELECT data, state, base_version, content_hash, updated_by, updated_at, submitted_by
		FROM policy_revisions WHERE policy_id = ?`, id).Scan(&data, &r.State, &r.BaseVersion, &r.Hash, &r.UpdatedBy, &r.UpdatedAt, &r.SubmittedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("revision of policy %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(data), &r.Policy)
}

// History is one recorded change of a policy.
type History struct {
	Version  int        `json:"version"`
	State    State      `json:"state"`              // the policy's state after it
	Revision string     `json:"revision,omitempty"` // saved, submitted, returned, published, discarded
	Actor    string     `json:"actor"`
	Note     string     `json:"note"`
	At       store.Time `json:"at"`
}

// History lists a policy's changes, oldest first.
func (l *Library) History(ctx context.Context, id string) ([]History, error) {
	rows, err := l.db.Query(ctx, `SELECT version, state, revision, actor, note, at FROM policy_history WHERE policy_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []History
	for rows.Next() {
		var h History
		if err := rows.Scan(&h.Version, &h.State, &h.Revision, &h.Actor, &h.Note, &h.At); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// ImportOptions tune Import.
type ImportOptions struct {
	// State for the imported policies (default Review: a reviewer
	// publishes them). Published puts them in force at once (the demo
	// data, an administrator's bulk load); a changed published policy
	// imported in another state becomes its pending revision.
	State State
	Actor string
}

// ImportReport says what an import did.
type ImportReport struct {
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Revised   int       `json:"revised"`
	Unchanged int       `json:"unchanged"`
	Problems  []Problem `json:"problems"`
}

// Import reads policies.jsonl into the library. A line that does not read
// or a policy that does not compile (against the field schema) is
// reported with its line, policy and condition and left out; the others
// are stored in one transaction, so a failure half-way stores nothing and
// loses nothing already stored.
func (l *Library) Import(ctx context.Context, r io.Reader, file string, opt ImportOptions) (ImportReport, error) {
	ps, lines, problems, err := ReadPolicies(r, file)
	if err != nil {
		return ImportReport{Problems: problems}, err
	}
	return l.importPolicies(ctx, ps, lines, problems, file, opt)
}

func (l *Library) importPolicies(ctx context.Context, ps []Policy, lines []int, problems []Problem, file string, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Problems: problems}
	if opt.State == "" {
		opt.State = Review
	}
	s, err := l.Schema(ctx)
	if err != nil {
		return rep, err
	}
	var good []Policy
	for i := range ps {
		if _, err := Compile([]Policy{ps[i]}, CompileOptions{Types: s.Types(ps[i].Target)}); err != nil {
			var ce CompileErrors
			if errors.As(err, &ce) {
				for _, e := range ce {
					rep.Problems = append(rep.Problems, Problem{File: file, Line: lines[i], ID: ps[i].ID, Message: e.Error()})
				}
				continue
			}
			return rep, err
		}
		good = append(good, ps[i])
	}
	var changed []string
	err = l.db.InTx(ctx, func(tx *store.Tx) error {
		changed = changed[:0]
		rep.Created, rep.Updated, rep.Revised, rep.Unchanged = 0, 0, 0, 0
		for i := range good {
			p := &good[i]
			hash, data, err := contentHash(p)
			if err != nil {
				return err
			}
			res, err := l.put(ctx, tx, p, hash, data, opt.State, opt.Actor, "导入", false)
			if err != nil {
				return err
			}
			switch res {
			case putCreated:
				rep.Created++
			case putUpdated:
				rep.Updated++
			case putRevised:
				rep.Revised++
			case putUnchanged:
				rep.Unchanged++
				continue
			}
			changed = append(changed, p.ID)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", file, err)
	}
	l.announce(ctx, changed...)
	return rep, nil
}

// Export writes the policies in the given states (all when none) as
// policies.jsonl, in library order.
func (l *Library) Export(ctx context.Context, w io.Writer, states ...State) error {
	recs, err := l.List(ctx, Filter{})
	if err != nil {
		return err
	}
	var ps []Policy
	for _, r := range recs {
		if len(states) == 0 || containsState(states, r.State) {
			ps = append(ps, r.Policy)
		}
	}
	return WritePolicies(w, ps)
}

func containsState(list []State, s State) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
