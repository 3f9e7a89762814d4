package greening

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Survey records this month's health survey from the inventory as it
// stands (replacing the month's earlier survey), so that a tree treated
// and re-graded moves the month's figures.
func (s *Store) Survey(ctx context.Context, month string) error {
	if _, err := time.Parse("2006-01", month); err != nil {
		return fmt.Errorf("%w: 月份 %q", ErrInput, month)
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM greening_health WHERE month = ?`, month); err != nil {
			return fmt.Errorf("survey %s: %w", month, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO greening_health (month, street, species, grade, trees)
			SELECT ?, street, species, health, COUNT(*) FROM greening_trees GROUP BY street, species, health`, month); err != nil {
			return fmt.Errorf("survey %s: %w", month, err)
		}
		return nil
	})
}

// HealthPoint is a month's trees per grade.
type HealthPoint struct {
	Month  string         `json:"month"`
	Grades map[string]int `json:"grades"`
	Trees  int            `json:"trees"`
	// GoodShare is the share graded A or B.
	GoodShare float64 `json:"good_share"`
}

// HealthSeries is the health survey over months, of one street and/or
// species when named.
func (s *Store) HealthSeries(ctx context.Context, street, species string) ([]HealthPoint, error) {
	q := `SELECT month, grade, SUM(trees) FROM greening_health WHERE 1=1`
	var args []any
	if street != "" {
		q += ` AND street = ?`
		args = append(args, street)
	}
	if species != "" {
		q += ` AND species = ?`
		args = append(args, species)
	}
	rows, err := s.db.Query(ctx, q+` GROUP BY month, grade ORDER BY month`, args...)
	if err != nil {
		return nil, fmt.Errorf("health series: %w", err)
	}
	defer rows.Close()
	var out []HealthPoint
	for rows.Next() {
		var month, grade string
		var n int
		if err := rows.Scan(&month, &grade, &n); err != nil {
			return nil, fmt.Errorf("health series: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Month != month {
			out = append(out, HealthPoint{Month: month, Grades: map[string]int{}})
		}
		p := &out[len(out)-1]
		p.Grades[grade] += n
		p.Trees += n
	}
	for i := range out {
		if out[i].Trees > 0 {
			out[i].GoodShare = round3(float64(out[i].Grades[HealthGood]+out[i].Grades[HealthFair]) / float64(out[i].Trees))
		}
	}
	return out, rows.Err()
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Progress of planned work in a month.
type DoneVsPlanned struct {
	Month   string  `json:"month"`
	Planned int     `json:"planned"` // trees planned
	Done    int     `json:"done"`    // trees covered by plan orders done
	Rate    float64 `json:"rate"`
}

// DoneVsPlannedSeries is planned against done work by month, of one
// street when named.
func (s *Store) DoneVsPlannedSeries(ctx context.Context, street string, months int, now time.Time) ([]DoneVsPlanned, error) {
	cur := Month(now).Start
	var out []DoneVsPlanned
	for m := months - 1; m >= 0; m-- {
		start := cur.AddDate(0, -m, 0)
		p := DoneVsPlanned{Month: start.Format("2006-01")}
		q, args := `SELECT COALESCE(SUM(trees), 0) FROM greening_planned WHERE month = ?`, []any{p.Month}
		if street != "" {
			q += ` AND street = ?`
			args = append(args, street)
		}
		if err := s.db.QueryRow(ctx, q, args...).Scan(&p.Planned); err != nil {
			return nil, fmt.Errorf("planned %s: %w", p.Month, err)
		}
		q, args = `SELECT COALESCE(SUM(trees), 0) FROM greening_orders WHERE source = 'plan' AND status = 'done' AND created_at >= ? AND created_at < ?`,
			[]any{store.T(start), store.T(start.AddDate(0, 1, 0))}
		if street != "" {
			q += ` AND street = ?`
			args = append(args, street)
		}
		if err := s.db.QueryRow(ctx, q, args...).Scan(&p.Done); err != nil {
			return nil, fmt.Errorf("done %s: %w", p.Month, err)
		}
		if p.Planned > 0 {
			p.Rate = round3(float64(p.Done) / float64(p.Planned))
		}
		out = append(out, p)
	}
	return out, nil
}

// Recurrence is how often a problem came back on a tree after it was
// treated.
type Recurrence struct {
	Task     string  `json:"task"`
	Treated  int     `json:"treated"`  // trees treated (orders done)
	Recurred int     `json:"recurred"` // of them, with a new order of the same task within the window
	Rate     float64 `json:"rate"`
}

// Recurrences counts, per task, trees whose problem recurred within
// window of being treated (orders on single trees, not plan batches).
func (s *Store) Recurrences(ctx context.Context, window time.Duration) ([]Recurrence, error) {
	rows, err := s.db.Query(ctx, `SELECT tree_id, task, created_at, done_at, status FROM greening_orders
		WHERE tree_id <> '' AND status <> 'canceled' ORDER BY tree_id, task, created_at`)
	if err != nil {
		return nil, fmt.Errorf("recurrences: %w", err)
	}
	defer rows.Close()
	type key struct{ tree, task string }
	type ev struct {
		created, done time.Time
		st            string
	}
	hist := map[key][]ev{}
	for rows.Next() {
		var k key
		var cr, dn store.Time
		var st string
		if err := rows.Scan(&k.tree, &k.task, &cr, &dn, &st); err != nil {
			return nil, fmt.Errorf("recurrences: %w", err)
		}
		hist[k] = append(hist[k], ev{cr.Time, dn.Time, st})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	by := map[string]*Recurrence{}
	for k, evs := range hist {
		r := by[k.task]
		if r == nil {
			r = &Recurrence{Task: k.task}
			by[k.task] = r
		}
		for i, e := range evs {
			if e.st != StatusDone || e.done.IsZero() {
				continue
			}
			r.Treated++
			for _, later := range evs[i+1:] {
				if !later.created.Before(e.done) && later.created.Sub(e.done) <= window {
					r.Recurred++
					break
				}
			}
		}
	}
	var out []Recurrence
	for _, r := range by {
		if r.Treated > 0 {
			r.Rate = round3(float64(r.Recurred) / float64(r.Treated))
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Recurrence) int { return b.Treated - a.Treated })
	return out, nil
}

// Coverage is a street's green coverage and public green space per
// resident.
type Coverage struct {
	Street     string  `json:"street"`
	AreaKm2    float64 `json:"area_km2"`
	Population int     `json:"population"`
	GreenM2    float64 `json:"green_m2"`  // green spaces' area
	CrownM2    float64 `json:"crown_m2"`  // crowns of trees outside green spaces (street trees)
	Coverage   float64 `json:"coverage"`  // (green + crowns) / land area
	PublicM2   float64 `json:"public_m2"` // public green space (公共绿地)
	PerCapita  float64 `json:"per_capita_m2"`
	Synthetic  bool    `json:"synthetic,omitempty"`
	SpaceCount int     `json:"spaces"`
}

// Coverages computes green coverage per street: green spaces' area plus
// the vertical projection of street trees' crowns (trees on a road, not
// in a community: those stand inside green space already counted), over
// the street's land area; and public green space per resident.
func (s *Store) Coverages(ctx context.Context) ([]Coverage, error) {
	sts, err := s.Streets(ctx)
	if err != nil {
		return nil, err
	}
	by := map[string]*Coverage{}
	var out []*Coverage
	for _, st := range sts {
		c := &Coverage{Street: st.Name, AreaKm2: st.AreaKm2, Population: st.Population, Synthetic: st.Synthetic}
		by[st.Name] = c
		out = append(out, c)
	}
	rows, err := s.db.Query(ctx, `SELECT street, category, SUM(area_m2), COUNT(*) FROM greening_spaces GROUP BY street, category`)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	for rows.Next() {
		var st, cat string
		var a float64
		var n int
		if err := rows.Scan(&st, &cat, &a, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("coverage: %w", err)
		}
		if c := by[st]; c != nil {
			c.GreenM2 += a
			c.SpaceCount += n
			if Category(cat) == Public {
				c.PublicM2 += a
			}
		}
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT street, SUM(crown_m * crown_m) FROM greening_trees WHERE road <> '' GROUP BY street`)
	if err != nil {
		return nil, fmt.Errorf("coverage crowns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var c2 float64
		if err := rows.Scan(&st, &c2); err != nil {
			return nil, fmt.Errorf("coverage crowns: %w", err)
		}
		if c := by[st]; c != nil {
			c.CrownM2 = math.Round(c2 * math.Pi / 4)
		}
	}
	res := make([]Coverage, 0, len(out))
	for _, c := range out {
		if c.AreaKm2 > 0 {
			c.Coverage = round3((c.GreenM2 + c.CrownM2) / (c.AreaKm2 * 1e6))
		}
		if c.Population > 0 {
			c.PerCapita = math.Round(c.PublicM2/float64(c.Population)*100) / 100
		}
		res = append(res, *c)
	}
	return res, rows.Err()
}
