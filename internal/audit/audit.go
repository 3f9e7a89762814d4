// Package audit keeps the staff actions' log, written once and never
// changed: who (and in which role) did what to which target, with details,
// from which address, when.
//
// The log is append-only three ways: this package has no update or delete;
// database triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
// on both engines; and entries are hash-chained, so that a change made by
// someone able to drop the triggers still shows in Verify.
package audit

import (
	"context"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the audit log's schema.
var Migrations = store.Migrations{Component: "audit", FS: migrationFS, Dir: "migrations"}

// Errors.
var (
	ErrInput = errors.New("audit: invalid entry")
	// ErrTampered is matched by the *TamperError Verify returns.
	ErrTampered = errors.New("audit: log tampered with")
)

// Entry is one staff action.
type Entry struct {
	ID      int64          `json:"id"` // 1, 2, 3 … in order of recording
	At      store.Time     `json:"at"`
	Actor   string         `json:"actor"` // user name
	Role    string         `json:"role"`
	Action  string         `json:"action"` // e.g. "kb.publish", "handoff.claim", "user.login"
	Target  string         `json:"target"` // e.g. "item:FT-001"
	Details map[string]any `json:"details"`
	IP      string         `json:"ip"`
}

// Log records and lists entries.
type Log struct {
	db    *store.DB
	now   func() time.Time
	zone  *time.Location // day filters are its calendar days
	suite cryptosuite.Suite
}

// New wraps a database migrated with Migrations. Days are counted in
// clock.Default's zone; see WithClock.
func New(db *store.DB) *Log { return &Log{db: db, now: time.Now, zone: clock.Default} }

// WithClock makes the log take the time from now and count days in zone
// (nil arguments keep the defaults). Call it before the log is used.
func (l *Log) WithClock(now func() time.Time, zone *time.Location) *Log {
	if now != nil {
		l.now = now
	}
	if zone != nil {
		l.zone = zone
	}
	return l
}

// WithSuite chains new entries with the suite's digest: SM3 for
// cryptosuite.GM. Once an SM3 entry is in the log, every later entry is
// chained with SM3 too, whichever suite the writer has, so that a command
// run without --crypto gm never weakens the chain; entries chained with
// SHA-256 before the switch still verify.
func (l *Log) WithSuite(s cryptosuite.Suite) *Log {
	l.suite = s
	return l
}

// Record appends e, setting ID and At, and returns it as stored. Actor and
// Action are required. String values in Details are masked (personal data
// has no place in an audit trail; the target says what was touched).
func (l *Log) Record(ctx context.Context, e Entry) (Entry, error) {
	e.Actor, e.Action = strings.TrimSpace(e.Actor), strings.TrimSpace(e.Action)
	if e.Actor == "" || e.Action == "" {
		return Entry{}, fmt.Errorf("%w: actor and action are required", ErrInput)
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	masked, ok := maskValue(e.Details).(map[string]any)
	if !ok {
		return Entry{}, fmt.Errorf("%w: details", ErrInput)
	}
	details, err := json.Marshal(masked)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: details: %v", ErrInput, err)
	}
	// Stored as JSON, read back from JSON: return what a reader will see.
	e.Details = nil
	if err := decodeDetails(string(details), &e.Details); err != nil {
		return Entry{}, fmt.Errorf("%w: details: %v", ErrInput, err)
	}
	e.Target, _ = privacy.Mask(e.Target)
	e.At = store.T(l.now())
	day := e.At.In(l.zone).Format(time.DateOnly)
	err = l.db.InTx(ctx, func(tx *store.Tx) error {
		var prev string
		if err := tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.ID, &prev); err != nil {
			return err
		}
		suite := l.suite
		if strings.HasPrefix(prev, sm3Tag) {
			suite = cryptosuite.GM
		}
		h := chainHash(suite, prev, e.ID, e.At.String(), e.Actor, e.Role, e.Action, e.Target, string(details), e.IP)
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (id, at, day, actor, role, action, target, details, ip, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.At, day, e.Actor, e.Role, e.Action, e.Target, string(details), e.IP, prev, h); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, h)
		return err
	})
	if err != nil {
		return Entry{}, fmt.Errorf("audit record %s %s: %w", e.Actor, e.Action, err)
	}
	return e, nil
}

func decodeDetails(s string, dst *map[string]any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return dec.Decode(dst)
}

// maskValue masks strings inside details; a number that looks like a
// phone or card number becomes a masked string.
func maskValue(v any) any {
	switch x := v.(type) {
	case string:
		m, _ := privacy.Mask(x)
		return m
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = maskValue(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = maskValue(val)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = maskValue(val)
		}
		return out
	case json.Number, int, int64, uint64:
		s := fmt.Sprint(x)
		if m, found := privacy.Mask(s); len(found) > 0 {
			return m
		}
		return x
	case float64:
		if m, found := privacy.Mask(strconv.FormatFloat(x, 'f', -1, 64)); len(found) > 0 {
			return m
		}
		return x
	case nil, bool, float32, int32, uint32:
		return x
	default:
		// Anything else goes through JSON and back, then gets masked.
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		var generic any
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if dec.Decode(&generic) != nil {
			return string(b)
		}
		return maskValue(generic)
	}
}

// sm3Tag starts an SM3 chain hash; SHA-256 hashes are bare hex, as they
// always were.
const sm3Tag = "sm3:"

// chainHash links an entry to the one before it. Fields are
// length-prefixed, so no two different entries hash the same input.
func chainHash(suite cryptosuite.Suite, prev string, id int64, fields ...string) string {
	h := suite.NewHash()
	fmt.Fprintf(h, "%d:%s|%d|", len(prev), prev, id)
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	if suite == cryptosuite.GM {
		return sm3Tag + hex.EncodeToString(h.Sum(nil))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashSuite is the suite a stored hash was made with.
func hashSuite(hash string) cryptosuite.Suite {
	if strings.HasPrefix(hash, sm3Tag) {
		return cryptosuite.GM
	}
	return cryptosuite.Standard
}

// Page is a slice of a list: Limit rows (default 50, at most 500) after
// Offset.
type Page struct{ Limit, Offset int }

// Filter selects entries; zero fields do not filter.
type Filter struct {
	Actor   string
	Action  string // exact, or a prefix ending in "." ("kb." for all knowledge actions)
	Target  string
	FromDay string // YYYY-MM-DD in the log's zone, inclusive
	ToDay   string
}

// List returns entries matching f, newest first, and the total matching.
func (l *Log) List(ctx context.Context, f Filter, p Page) ([]Entry, int, error) {
	var where []string
	var args []any
	if f.Actor != "" {
		where, args = append(where, `actor = ?`), append(args, f.Actor)
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		where, args = append(where, `substr(action, 1, ?) = ?`), append(args, len(f.Action), f.Action)
	case f.Action != "":
		where, args = append(where, `action = ?`), append(args, f.Action)
	}
	if f.Target != "" {
		where, args = append(where, `target = ?`), append(args, f.Target)
	}
	for _, d := range []struct{ day, op string }{{f.FromDay, ">="}, {f.ToDay, "<="}} {
		if d.day == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.day); err != nil {
			return nil, 0, fmt.Errorf("audit list: %w: day %q: want YYYY-MM-DD", ErrInput, d.day)
		}
		where, args = append(where, `day `+d.op+` ?`), append(args, d.day)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := l.db.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit list: %w", err)
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	rows, err := l.db.Query(ctx, `SELECT id, at, actor, role, action, target, details, ip FROM audit_log`+cond+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, max(p.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit list: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var details string
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Role, &e.Action, &e.Target, &details, &e.IP); err != nil {
			return nil, 0, fmt.Errorf("audit list: %w", err)
		}
		if err := decodeDetails(details, &e.Details); err != nil {
			return nil, 0, fmt.Errorf("audit list: entry %d details: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit list: %w", err)
	}
	return out, total, nil
}

// TamperError says where the chain breaks.
type TamperError struct {
	ID     int64 // the first entry that does not verify (0: the head)
	Reason string
}

func (e *TamperError) Error() string {
	if e.ID == 0 {
		return "audit: log tampered with: " + e.Reason
	}
	return "audit: log tampered with at entry " + strconv.FormatInt(e.ID, 10) + ": " + e.Reason
}

func (e *TamperError) Is(target error) bool { return target == ErrTampered }

// Verify walks the whole chain and returns how many entries it checked, or
// a *TamperError at the first entry changed, removed or inserted out of
// turn.
func (l *Log) Verify(ctx context.Context) (int64, error) {
	rows, err := l.db.Query(ctx, `SELECT id, at, actor, role, action, target, details, ip, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	var n int64
	prev := ""
	for rows.Next() {
		var id int64
		var at, actor, role, action, target, details, ip, prevHash, hash string
		if err := rows.Scan(&id, &at, &actor, &role, &action, &target, &details, &ip, &prevHash, &hash); err != nil {
			return n, fmt.Errorf("audit verify: %w", err)
		}
		switch {
		case id != n+1:
			return n, &TamperError{ID: n + 1, Reason: fmt.Sprintf("entry missing (next is %d)", id)}
		case prevHash != prev:
			return n, &TamperError{ID: id, Reason: "does not follow the entry before it"}
		case strings.HasPrefix(prev, sm3Tag) && !strings.HasPrefix(hash, sm3Tag):
			return n, &TamperError{ID: id, Reason: "chained with SHA-256 after the log moved to SM3"}
		case chainHash(hashSuite(hash), prev, id, at, actor, role, action, target, details, ip) != hash:
			return n, &TamperError{ID: id, Reason: "content changed"}
		}
		prev, n = hash, id
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("audit verify: %w", err)
	}
	rows.Close()
	var seq int64
	var head string
	if err := l.db.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &head); errors.Is(err, sql.ErrNoRows) {
		return n, &TamperError{Reason: "head missing"}
	} else if err != nil {
		return n, fmt.Errorf("audit verify: %w", err)
	}
	if seq != n || head != prev {
		return n, &TamperError{ID: n + 1, Reason: fmt.Sprintf("%d entries recorded, %d present: the latest were removed", seq, n)}
	}
	return n, nil
}
