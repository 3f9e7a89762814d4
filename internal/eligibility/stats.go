package eligibility

import (
	"context"
	"fmt"
	"sort"

	"github.com/fuwu-gov/fuwu/internal/policy"
)

// StatRow is one line of the 免申即享 statistics: approved disbursements.
type StatRow struct {
	Key         string `json:"key"`   // policy id, street or YYYY-MM
	Label       string `json:"label"` // the policy's title, the street, the month
	People      int    `json:"people"`
	Enterprises int    `json:"enterprises"`
	AmountFen   int64  `json:"amount_fen"`
	Batches     int    `json:"batches"`
}

// Stats are the approved 免申即享 disbursements between two periods
// (YYYY-MM, inclusive; "" unbounded), by policy, street and month.
type Stats struct {
	From     string    `json:"from"`
	To       string    `json:"to"`
	All      StatRow   `json:"all"`
	ByPolicy []StatRow `json:"by_policy"`
	ByStreet []StatRow `json:"by_street"`
	ByMonth  []StatRow `json:"by_month"`
}

// Stats counts the lines of approved batches.
func (s *Service) Stats(ctx context.Context, from, to string) (Stats, error) {
	st := Stats{From: from, To: to, All: StatRow{Key: "all", Label: "合计"}}
	for _, p := range []string{from, to} {
		if p == "" {
			continue
		}
		if _, err := policy.ParseDay(p + "-01"); err != nil || len(p) != 7 {
			return st, fmt.Errorf("stats: period %q: want YYYY-MM: %w", p, ErrInput)
		}
	}
	q := `SELECT b.id, b.policy_id, b.title, b.period, l.kind, l.street, l.amount_fen FROM eligibility_batch_lines l
		JOIN eligibility_batches b ON b.id = l.batch_id WHERE b.status = ?`
	args := []any{BatchApproved}
	if from != "" {
		q, args = q+` AND b.period >= ?`, append(args, from)
	}
	if to != "" {
		q, args = q+` AND b.period <= ?`, append(args, to)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	byPolicy, byStreet, byMonth := map[string]*StatRow{}, map[string]*StatRow{}, map[string]*StatRow{}
	inRow := map[*StatRow]map[int64]bool{} // the batches each row has counted
	bump := func(m map[string]*StatRow, key, label string, batch int64, kind policy.Target, fen int64) {
		r, ok := m[key]
		if !ok {
			r = &StatRow{Key: key, Label: label}
			m[key], inRow[r] = r, map[int64]bool{}
		}
		add(r, kind, fen)
		if !inRow[r][batch] {
			inRow[r][batch] = true
			r.Batches++
		}
	}
	batches := map[int64]bool{}
	for rows.Next() {
		var id int64
		var policyID, title, period, street string
		var kind policy.Target
		var fen int64
		if err := rows.Scan(&id, &policyID, &title, &period, &kind, &street, &fen); err != nil {
			return st, err
		}
		if street == "" {
			street = "未注明"
		}
		add(&st.All, kind, fen)
		if !batches[id] {
			batches[id] = true
			st.All.Batches++
		}
		bump(byPolicy, policyID, title, id, kind, fen)
		bump(byStreet, street, street, id, kind, fen)
		bump(byMonth, period, period, id, kind, fen)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	st.ByPolicy, st.ByStreet, st.ByMonth = sorted(byPolicy, true), sorted(byStreet, true), sorted(byMonth, false)
	return st, nil
}

func add(r *StatRow, kind policy.Target, fen int64) {
	if kind == policy.Enterprise {
		r.Enterprises++
	} else {
		r.People++
	}
	r.AmountFen += fen
}

// sorted orders rows by amount (largest first) or by key.
func sorted(m map[string]*StatRow, byAmount bool) []StatRow {
	out := make([]StatRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if byAmount && out[i].AmountFen != out[j].AmountFen {
			return out[i].AmountFen > out[j].AmountFen
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Coverage is how far a policy has reached the people it is meant for.
type Coverage struct {
	PolicyID  string      `json:"policy"`
	Title     string      `json:"title"`
	Mode      policy.Mode `json:"mode"`
	Eligible  int         `json:"eligible"`
	Possible  int         `json:"possible"`
	Served    int         `json:"served"`     // eligible and reached
	AmountFen int64       `json:"amount_fen"` // what the eligible would receive, per unit
}

// Coverage lists every live policy with its stored counts, in library
// order.
func (s *Service) Coverage(ctx context.Context) ([]Coverage, error) {
	rows, err := s.db.Query(ctx, `SELECT r.policy_id, r.status, COUNT(*), COALESCE(SUM(r.amount_fen), 0),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM eligibility_outreach o WHERE o.policy_id = r.policy_id AND o.profile_id = r.profile_id) THEN 1 ELSE 0 END)
		FROM eligibility_results r WHERE r.chosen IS NULL OR r.chosen = 1 GROUP BY r.policy_id, r.status`)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	type agg struct {
		eligible, possible, served int
		fen                        int64
	}
	by := map[string]*agg{}
	for rows.Next() {
		var id string
		var st policy.Status
		var n, served int
		var fen int64
		if err := rows.Scan(&id, &st, &n, &fen, &served); err != nil {
			return nil, err
		}
		a := by[id]
		if a == nil {
			a = &agg{}
			by[id] = a
		}
		if st == policy.Eligible {
			a.eligible, a.fen, a.served = n, fen, served
		} else {
			a.possible = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Coverage
	for _, cp := range s.live.Set().Policies {
		c := Coverage{PolicyID: cp.Policy.ID, Title: cp.Policy.Title, Mode: cp.Policy.Mode}
		if a := by[cp.Policy.ID]; a != nil {
			c.Eligible, c.Possible, c.Served, c.AmountFen = a.eligible, a.possible, a.served, a.fen
		}
		out = append(out, c)
	}
	return out, nil
}
