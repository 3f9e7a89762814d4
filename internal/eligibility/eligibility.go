// Package eligibility keeps the matches of the registries against the
// published policies in the store and current: when a profile changes
// only its row is matched again, when a policy changes only its column
// (and the columns of the policies it may not be combined with), and the
// whole table when the day turns. One replica — the holder of a
// PostgreSQL advisory lock — does the matching; every replica reads the
// same rows.
//
// On those results it builds the two ways a policy reaches people: 政策找人
// (per policy, the profiles that qualify and have not been served, by
// street and community, exported to Excel or turned into door-to-door
// requests) and 免申即享 (a batch of who gets how much and why, approved
// or returned by a reviewer and frozen once approved), with statistics by
// policy, street and month.
package eligibility

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the schema of stored results, outreach and batches.
var Migrations = store.Migrations{Component: "eligibility", FS: migrationFS, Dir: "migrations"}

// Topic announces that stored results changed: "profile:ID,…",
// "policy:ID,…" or store.Resync.
const Topic = "eligibility"

// Refusals.
var (
	ErrNotFound = errors.New("not found")
	ErrInput    = errors.New("eligibility: invalid request")
	// ErrSameActor: a batch is approved by someone other than who made it.
	ErrSameActor = errors.New("a batch must be approved by someone other than who made it")
	ErrState     = errors.New("not allowed in the batch's current state")
)

// Config tunes a Service.
type Config struct {
	Now      func() time.Time // default time.Now
	Location *time.Location   // the zone days begin in; default clock.Default
}

// Service keeps and serves the stored results.
type Service struct {
	db       *store.DB
	live     *policy.Live
	reg      *registry.Store
	doorstep *doorstep.Service
	audit    *audit.Log
	now      func() time.Time
	zone     *time.Location
}

// New makes a Service. doorstep may be nil (no door-to-door outreach).
func New(db *store.DB, live *policy.Live, reg *registry.Store, ds *doorstep.Service, log *audit.Log, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{db: db, live: live, reg: reg, doorstep: ds, audit: log, now: cfg.Now, zone: cfg.Location}
}

// Today is the district's day by the service's clock.
func (s *Service) Today() policy.Day { return policy.Today(s.now(), s.zone) }

// Live is the live policy set the service matches with.
func (s *Service) Live() *policy.Live { return s.live }

// Result is one stored match.
type Result struct {
	ProfileID  string                   `json:"profile"`
	PolicyID   string                   `json:"policy"`
	Kind       policy.Target            `json:"kind"`
	Street     string                   `json:"street"`
	Community  string                   `json:"community"`
	Status     policy.Status            `json:"status"`
	AmountFen  *int64                   `json:"amount_fen,omitempty"`
	Chosen     *bool                    `json:"chosen,omitempty"`
	ExcludedBy string                   `json:"excluded_by,omitempty"`
	Conditions []policy.ConditionResult `json:"conditions"`
	AsOf       string                   `json:"as_of"`
}

func toFen(a *float64) *int64 {
	if a == nil {
		return nil
	}
	f := int64(math.Round(*a * 100))
	return &f
}

// Yuan formats fen as 1234.50.
func Yuan(fen int64) string { return doorstep.Yuan(fen) }

// setHash identifies the live set: which policies, in which version.
func setHash(set *policy.Set) string {
	h := sha256.New()
	for _, cp := range set.Policies {
		b, _ := json.Marshal(cp.Policy)
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// registryFP is the version of the registries the results follow.
func (s *Service) registryFP(ctx context.Context) (string, error) {
	v, err := s.reg.Version(ctx)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(v, 10), nil
}

type state struct{ asOf, setHash, registryFP string }

func (s *Service) state(ctx context.Context) (state, error) {
	var st state
	err := s.db.QueryRow(ctx, `SELECT as_of, set_hash, registry_fp FROM eligibility_state WHERE id = 1`).Scan(&st.asOf, &st.setHash, &st.registryFP)
	return st, err
}

// Sync matches everything again when the stored results were computed
// on another day, with other policies or from another registry; it
// reports whether it did.
func (s *Service) Sync(ctx context.Context) (bool, error) {
	asOf := s.Today()
	set := s.live.Set()
	st, err := s.state(ctx)
	if err != nil {
		return false, fmt.Errorf("eligibility state: %w", err)
	}
	fp, err := s.registryFP(ctx)
	if err != nil {
		return false, err
	}
	if st.asOf == asOf.String() && st.setHash == setHash(set) && st.registryFP == fp {
		return false, nil
	}
	return true, s.MatchAll(ctx)
}

// MatchAll matches every profile against every live policy and replaces
// the stored results, in batches of profiles; readers see the old results
// until each batch commits.
func (s *Service) MatchAll(ctx context.Context) error {
	start := time.Now()
	asOf := s.Today()
	set := s.live.Set()
	fp, err := s.registryFP(ctx)
	if err != nil {
		return err
	}
	w := s.newWriter(ctx, asOf)
	ev := policy.NewEvaluator(set)
	var ms []policy.Match
	var ids []string
	var rows []row
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		err := w.replaceProfiles(ids, rows)
		ids, rows = ids[:0], rows[:0]
		return err
	}
	profiles := 0
	// Results of profiles that no longer exist are dropped at the end.
	err = s.reg.Each(ctx, registry.Filter{}, func(p policy.Profile) error {
		profiles++
		ms = ev.MatchProfile(&p, asOf, false, ms[:0])
		ids = append(ids, p.ID)
		for i := range ms {
			rows = append(rows, rowOf(&p, &ms[i]))
		}
		if len(ids) >= 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("match all: %w", err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM eligibility_results WHERE profile_id NOT IN (SELECT id FROM registry_profiles)`); err != nil {
		return fmt.Errorf("match all: %w", err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE eligibility_state SET as_of = ?, set_hash = ?, registry_fp = ?, updated_at = ? WHERE id = 1`,
		asOf.String(), setHash(set), fp, store.T(s.now())); err != nil {
		return fmt.Errorf("match all: %w", err)
	}
	slog.Info("eligibility: matched every profile", "profiles", profiles, "policies", len(set.Policies), "as_of", asOf.String(),
		"took", time.Since(start).Round(time.Millisecond))
	_ = s.db.Publish(ctx, Topic, store.Resync)
	return nil
}

// row is one result to store.
type row struct {
	profile, policy, kind, street, community, status, excluded, conditions string
	amount                                                                 *int64
	chosen                                                                 *int
}

func rowOf(p *policy.Profile, m *policy.Match) row {
	r := row{profile: p.ID, policy: m.Policy, kind: string(p.Kind), status: string(m.Status), excluded: m.ExcludedBy, amount: toFen(m.Amount)}
	r.street, _ = p.Fields["street"].(string)
	r.community, _ = p.Fields["community"].(string)
	if m.Chosen != nil {
		c := 0
		if *m.Chosen {
			c = 1
		}
		r.chosen = &c
	}
	b, _ := json.Marshal(m.Conditions)
	r.conditions = string(b)
	return r
}

type writer struct {
	s    *Service
	ctx  context.Context
	asOf string
}

func (s *Service) newWriter(ctx context.Context, asOf policy.Day) *writer {
	return &writer{s: s, ctx: ctx, asOf: asOf.String()}
}

// replaceProfiles replaces the stored rows of the given profiles.
func (w *writer) replaceProfiles(ids []string, rows []row) error {
	return w.replace(`profile_id`, ids, rows)
}

// replace deletes the stored rows whose column (profile_id or policy_id)
// is one of keys and inserts rows, in one transaction.
func (w *writer) replace(column string, keys []string, rows []row) error {
	ctx := w.ctx
	now := store.T(w.s.now())
	return w.s.db.InTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.SQLite {
			// Statement journals in memory, as the registry import does.
			if _, err := tx.Exec(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
				return err
			}
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			args := make([]any, n)
			for i, k := range keys[:n] {
				args[i] = k
			}
			if _, err := tx.Exec(ctx, `DELETE FROM eligibility_results WHERE `+column+` IN (?`+strings.Repeat(",?", n-1)+`)`, args...); err != nil {
				return err
			}
			keys = keys[n:]
		}
		for len(rows) > 0 {
			n := min(len(rows), 200)
			vals := make([]any, 0, n*12)
			for _, r := range rows[:n] {
				var amount, chosen any
				if r.amount != nil {
					amount = *r.amount
				}
				if r.chosen != nil {
					chosen = *r.chosen
				}
				vals = append(vals, r.profile, r.policy, r.kind, r.street, r.community, r.status, amount, chosen, r.excluded, r.conditions, w.asOf, now)
			}
			q := `INSERT INTO eligibility_results (profile_id, policy_id, kind, street, community, status, amount_fen, chosen, excluded_by,
				conditions, as_of, updated_at) VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?,?,?),", n), ",")
			if _, err := tx.Exec(ctx, q, vals...); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	})
}

// RematchProfiles matches the given profiles again (a change in the
// registry) and replaces their rows; a profile that no longer exists
// loses its rows.
func (s *Service) RematchProfiles(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	asOf := s.Today()
	ev := policy.NewEvaluator(s.live.Set())
	var rows []row
	var ms []policy.Match
	for len(ids) > 0 {
		n := min(len(ids), 500)
		part := ids[:n]
		ids = ids[n:]
		rows = rows[:0]
		err := s.reg.Each(ctx, registry.Filter{IDs: part}, func(p policy.Profile) error {
			ms = ev.MatchProfile(&p, asOf, false, ms[:0])
			for i := range ms {
				rows = append(rows, rowOf(&p, &ms[i]))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.newWriter(ctx, asOf).replaceProfiles(part, rows); err != nil {
			return fmt.Errorf("rematch profiles: %w", err)
		}
		_ = s.db.Publish(ctx, Topic, "profile:"+strings.Join(part, ","))
	}
	return s.touchRegistry(ctx)
}

// touchRegistry records that the stored results follow the registry as
// it is now (the changes just applied were all there was to apply).
func (s *Service) touchRegistry(ctx context.Context) error {
	fp, err := s.registryFP(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE eligibility_state SET registry_fp = ? WHERE id = 1`, fp)
	return err
}

// RematchPolicies matches every profile of the policies' targets against
// the given policies — and against the policies that share an exclusive
// group with them, whose choice may change — and replaces those columns.
// A policy no longer in the live set (withdrawn, expired) loses its rows.
func (s *Service) RematchPolicies(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	set := s.live.Set()
	asOf := s.Today()
	affected := map[string]bool{}
	for _, id := range ids {
		affected[id] = true
	}
	// Whose choice may change: the changed policies' group mates now, and
	// the policies a stored row ties them to (excluded by, or excluding,
	// a changed policy) — the group a policy left matters too.
	rows, err := s.db.Query(ctx, `SELECT DISTINCT policy_id, excluded_by FROM eligibility_results WHERE excluded_by <> ''`)
	if err != nil {
		return err
	}
	var ties [][2]string
	for rows.Next() {
		var p, e string
		if err := rows.Scan(&p, &e); err != nil {
			rows.Close()
			return err
		}
		ties = append(ties, [2]string{p, e})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range ties {
		if affected[t[0]] || affected[t[1]] {
			affected[t[0]], affected[t[1]] = true, true
		}
	}
	groups := map[string]bool{}
	for id := range affected {
		if cp, ok := set.Lookup(id); ok && cp.Policy.Exclusive != "" {
			groups[cp.Policy.Exclusive] = true
		}
	}
	kinds := map[policy.Target]bool{}
	for _, cp := range set.Policies {
		if cp.Policy.Exclusive != "" && groups[cp.Policy.Exclusive] {
			affected[cp.Policy.ID] = true
		}
		if affected[cp.Policy.ID] {
			kinds[cp.Policy.Target] = true
		}
	}
	var cols []string
	for id := range affected {
		cols = append(cols, id)
	}
	ev := policy.NewEvaluator(set)
	var out []row
	var ms []policy.Match
	for kind := range kinds {
		err := s.reg.Each(ctx, registry.Filter{Kind: kind}, func(p policy.Profile) error {
			ms = ev.MatchProfile(&p, asOf, false, ms[:0])
			for i := range ms {
				if affected[ms[i].Policy] {
					out = append(out, rowOf(&p, &ms[i]))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := s.newWriter(ctx, asOf).replace(`policy_id`, cols, out); err != nil {
		return fmt.Errorf("rematch policies: %w", err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE eligibility_state SET set_hash = ? WHERE id = 1`, setHash(set)); err != nil {
		return err
	}
	_ = s.db.Publish(ctx, Topic, "policy:"+strings.Join(cols, ","))
	return nil
}

// ResultsFor lists a profile's stored results: "which benefits is this
// household or enterprise entitled to".
func (s *Service) ResultsFor(ctx context.Context, profileID string) ([]Result, error) {
	return s.results(ctx, ` WHERE profile_id = ? ORDER BY policy_id`, profileID)
}

const resultColumns = `profile_id, policy_id, kind, street, community, status, amount_fen, chosen, excluded_by, conditions, as_of`

func (s *Service) results(ctx context.Context, where string, args ...any) ([]Result, error) {
	rows, err := s.db.Query(ctx, `SELECT `+resultColumns+` FROM eligibility_results`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer rows.Close()
	var out []Result
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanResult(sc interface{ Scan(...any) error }) (Result, error) {
	var r Result
	var amount sql.NullInt64
	var chosen sql.NullInt64
	var conds string
	if err := sc.Scan(&r.ProfileID, &r.PolicyID, &r.Kind, &r.Street, &r.Community, &r.Status, &amount, &chosen, &r.ExcludedBy, &conds, &r.AsOf); err != nil {
		return r, err
	}
	if amount.Valid {
		r.AmountFen = &amount.Int64
	}
	if chosen.Valid {
		c := chosen.Int64 == 1
		r.Chosen = &c
	}
	if err := json.Unmarshal([]byte(conds), &r.Conditions); err != nil {
		return r, fmt.Errorf("decode stored conditions: %w", err)
	}
	return r, nil
}

// Explain evaluates one profile against one live policy now, with what
// would change the result (the console's detail view).
func (s *Service) Explain(ctx context.Context, profileID, policyID string) (policy.Match, policy.Explanation, error) {
	rec, err := s.reg.Get(ctx, profileID)
	if err != nil {
		return policy.Match{}, policy.Explanation{}, err
	}
	set := s.live.Set()
	cp, ok := set.Lookup(policyID)
	if !ok {
		return policy.Match{}, policy.Explanation{}, fmt.Errorf("policy %s is not in force: %w", policyID, ErrNotFound)
	}
	if cp.Policy.Target != rec.Kind {
		return policy.Match{}, policy.Explanation{}, fmt.Errorf("policy %s is for %s; profile %s is %s: %w",
			policyID, cp.Policy.Target.Label(), profileID, rec.Kind.Label(), ErrInput)
	}
	p := rec.Profile()
	asOf := s.Today()
	ev := policy.NewEvaluator(set)
	m := ev.Evaluate(cp, &p, asOf)
	return m, ev.Explain(cp, &p, asOf, s.live.Schema().Labeler(rec.Kind)), nil
}
