// Package registry keeps the district's registries: 人口库 (residents) and
// 法人库 (enterprises), one profile a person or an enterprise, with the
// attributes policy conditions read. It imports them from CSV, .xlsx or
// JSONL with a field mapping (column → field, type, unit), validating ID
// numbers (GB 11643) and unified social credit codes (GB 32100): a bad
// row is reported with its line and reason and the rest imports, and a
// re-import updates by key, never duplicates.
//
// Names of persons, ID numbers, phones and addresses are stored masked for
// display and sealed (package privacy) for the staff who must open them;
// every opening is written to the audit log with who and why.
package registry

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the registries' schema.
var Migrations = store.Migrations{Component: "registry", FS: migrationFS, Dir: "migrations"}

// Topic is the change-notification topic: "profile:ID,ID…" or
// store.Resync after a large import.
const Topic = "registry"

// ErrNotFound is an unknown profile id.
var ErrNotFound = errors.New("profile not found")

// ErrInput is a refused request (no purpose for a reveal, a bad field).
var ErrInput = errors.New("registry: invalid input")

// Record is a profile as staff see it: personal data masked.
type Record struct {
	ID        string         `json:"id"`
	Kind      policy.Target  `json:"kind"`
	Name      string         `json:"name"`      // a person's masked, an enterprise's in full
	IDNumber  string         `json:"id_number"` // masked ID number, or the USCC in full
	Phone     string         `json:"phone"`     // masked
	Address   string         `json:"address"`   // masked
	Street    string         `json:"street"`
	Community string         `json:"community"`
	Fields    map[string]any `json:"fields"`
	UpdatedAt store.Time     `json:"updated_at"`
}

// Profile is the record as policies read it: its fields with id, kind,
// street and community.
func (r Record) Profile() policy.Profile {
	return profileOf(r.ID, r.Kind, r.Street, r.Community, r.Fields)
}

func profileOf(id string, kind policy.Target, street, community string, fields map[string]any) policy.Profile {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["id"], fields["kind"] = id, string(kind)
	if street != "" {
		fields["street"] = street
	}
	if community != "" {
		fields["community"] = community
	}
	return policy.Profile{ID: id, Kind: kind, Fields: fields}
}

// Store reads and writes the registries.
type Store struct {
	db    *store.DB
	keys  *privacy.Keys
	audit *audit.Log
	now   func() time.Time
}

// New makes a Store over a database migrated with Migrations (and the
// audit log's). keys seal personal data; reveals are recorded in log.
func New(db *store.DB, keys *privacy.Keys, log *audit.Log) *Store {
	return &Store{db: db, keys: keys, audit: log, now: time.Now}
}

// WithClock makes the store stamp changes with now (tests).
func (s *Store) WithClock(now func() time.Time) *Store { s.now = now; return s }

// DB is the store's database (for subscriptions).
func (s *Store) DB() *store.DB { return s.db }

const recordColumns = `id, kind, name_masked, idno_masked, phone_masked, address_masked, street, community, fields, updated_at`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var fields string
	if err := sc.Scan(&r.ID, &r.Kind, &r.Name, &r.IDNumber, &r.Phone, &r.Address, &r.Street, &r.Community, &fields, &r.UpdatedAt); err != nil {
		return r, err
	}
	var err error
	r.Fields, err = decodeFields(fields)
	return r, err
}

func decodeFields(s string) (map[string]any, error) {
	m, err := policy.DecodeFields([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("decode stored fields: %w", err)
	}
	return m, nil
}

// Get returns one profile.
func (s *Store) Get(ctx context.Context, id string) (Record, error) {
	r, err := scanRecord(s.db.QueryRow(ctx, `SELECT `+recordColumns+` FROM registry_profiles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("profile %s: %w", id, ErrNotFound)
	}
	return r, err
}

// Filter selects profiles; zero fields match all.
type Filter struct {
	Kind      policy.Target
	Street    string
	Community string
	IDs       []string
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Kind != "" {
		conds, args = append(conds, `kind = ?`), append(args, f.Kind)
	}
	if f.Street != "" {
		conds, args = append(conds, `street = ?`), append(args, f.Street)
	}
	if f.Community != "" {
		conds, args = append(conds, `community = ?`), append(args, f.Community)
	}
	if len(f.IDs) > 0 {
		conds = append(conds, `id IN (?`+strings.Repeat(",?", len(f.IDs)-1)+`)`)
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns up to limit profiles (0: 100) after offset, ordered by id,
// and how many match.
func (s *Store) List(ctx context.Context, f Filter, limit, offset int) ([]Record, int, error) {
	where, args := f.where()
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM registry_profiles`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list profiles: %w", err)
	}
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT `+recordColumns+` FROM registry_profiles`+where+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list profiles: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Each calls fn with every profile matching f, ordered by id, streaming
// them (a registry of any size is read one row at a time).
func (s *Store) Each(ctx context.Context, f Filter, fn func(policy.Profile) error) error {
	where, args := f.where()
	rows, err := s.db.Query(ctx, `SELECT id, kind, street, community, fields FROM registry_profiles`+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("read profiles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, street, community, fields string
		var kind policy.Target
		if err := rows.Scan(&id, &kind, &street, &community, &fields); err != nil {
			return err
		}
		m, err := decodeFields(fields)
		if err != nil {
			return fmt.Errorf("profile %s: %w", id, err)
		}
		if err := fn(profileOf(id, kind, street, community, m)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count is how many profiles of each kind there are.
func (s *Store) Count(ctx context.Context) (map[policy.Target]int, error) {
	rows, err := s.db.Query(ctx, `SELECT kind, COUNT(*) FROM registry_profiles GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[policy.Target]int{}
	for rows.Next() {
		var k policy.Target
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// Streets lists the streets and their communities that profiles name.
func (s *Store) Streets(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT street, community FROM registry_profiles ORDER BY street, community`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var st, c string
		if err := rows.Scan(&st, &c); err != nil {
			return nil, err
		}
		if c != "" {
			out[st] = append(out[st], c)
		} else if _, ok := out[st]; !ok {
			out[st] = nil
		}
	}
	return out, rows.Err()
}

// Version is raised by every change to the registries (an import that
// changed rows, an edit, a deletion): results derived from them are
// current when they were derived at the version there is now.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.QueryRow(ctx, `SELECT version FROM registry_state WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("registry version: %w", err)
	}
	return v, nil
}

// bump raises the version inside a writing transaction.
func bump(ctx context.Context, tx *store.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE registry_state SET version = version + 1 WHERE id = 1`)
	return err
}

// Contact is a profile's personal data in full.
type Contact struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Address  string `json:"address"`
}

// Reveal opens a profile's sealed name, ID number, phone and address for
// a staff member, after writing to the audit log who (and in which role)
// opened which profile and why. The caller checks the role.
func (s *Store) Reveal(ctx context.Context, id, actor, role, purpose string) (Contact, error) {
	actor, purpose = strings.TrimSpace(actor), strings.TrimSpace(purpose)
	if actor == "" || purpose == "" {
		return Contact{}, fmt.Errorf("reveal: the staff member and the purpose must be given: %w", ErrInput)
	}
	var c Contact
	var name, idno, phone, addr string
	err := s.db.QueryRow(ctx, `SELECT name_sealed, idno_sealed, phone_sealed, address_sealed FROM registry_profiles WHERE id = ?`, id).
		Scan(&name, &idno, &phone, &addr)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("profile %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("reveal %s: %w", id, err)
	}
	// Recorded first: an opening that cannot be recorded does not happen.
	if _, err := s.audit.Record(ctx, audit.Entry{Actor: actor, Role: role, Action: "registry.reveal", Target: "profile:" + id,
		Details: map[string]any{"purpose": purpose}}); err != nil {
		return Contact{}, fmt.Errorf("reveal %s: %w", id, err)
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&c.Name, name}, {&c.IDNumber, idno}, {&c.Phone, phone}, {&c.Address, addr}} {
		if *f.dst, err = s.keys.Open(f.v); err != nil {
			return Contact{}, fmt.Errorf("reveal %s: %w", id, err)
		}
	}
	return c, nil
}

// UpdateFields changes attributes of one profile (nil deletes a field)
// and announces it, so its stored results are re-matched.
func (s *Store) UpdateFields(ctx context.Context, id string, set map[string]any) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var fields string
		err := tx.QueryRow(ctx, `SELECT fields FROM registry_profiles WHERE id = ?`, id).Scan(&fields)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("profile %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		m, err := decodeFields(fields)
		if err != nil {
			return err
		}
		for k, v := range set {
			if k == "id" || k == "kind" || k == "street" || k == "community" || !policy.ValidFieldKey(k) {
				return fmt.Errorf("field %q cannot be set: %w", k, ErrInput)
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("fields of %s: %w", id, err)
		}
		// The row hash no longer describes the row: a re-import of the
		// original line must restore it, not skip it as unchanged.
		if _, err = tx.Exec(ctx, `UPDATE registry_profiles SET fields = ?, row_hash = '', updated_at = ? WHERE id = ?`,
			string(b), store.T(s.now()), id); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
	if err != nil {
		return err
	}
	s.announce(ctx, []string{id})
	return nil
}

// Delete removes profiles and announces it.
func (s *Store) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	where, args := Filter{IDs: ids}.where()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM registry_profiles`+where, args...); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("delete profiles: %w", err)
	}
	s.announce(ctx, ids)
	return nil
}

// announceMax is the most profile ids one message names; more is a
// resync (PostgreSQL NOTIFY payloads are limited to 8000 bytes).
const announceMax = 200

func (s *Store) announce(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	msg := "profile:" + strings.Join(ids, ",")
	if len(ids) > announceMax || len(msg) > 7000 {
		msg = store.Resync
	}
	_ = s.db.Publish(ctx, Topic, msg)
}
