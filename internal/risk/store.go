package risk

import (
	"context"
	"embed"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the risk model's schema.
var Migrations = store.Migrations{Component: "risk", FS: migrationFS, Dir: "migrations"}

// Store keeps the static picture, forecasts and checklist progress.
type Store struct {
	db  *store.DB
	now func() time.Time
}

// NewStore wraps a database migrated with Migrations; now is the clock.
func NewStore(db *store.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

func joinList(xs []string) string { return strings.Join(xs, ";") }

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '，' || r == '；' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// SaveArea creates or replaces a community or grid cell (its ponding
// points are kept; they are saved with SavePonding).
func (s *Store) SaveArea(ctx context.Context, a Area, actor string) error {
	a.ID, a.Name, a.Community = strings.TrimSpace(a.ID), strings.TrimSpace(a.Name), strings.TrimSpace(a.Community)
	if err := a.Validate(); err != nil {
		return err
	}
	if math.IsNaN(a.Lon) || math.IsNaN(a.Lat) || a.Lon < -180 || a.Lon > 180 || a.Lat < -90 || a.Lat > 90 {
		return fmt.Errorf("%w: %s: longitude/latitude out of range", ErrInput, a.ID)
	}
	kind := "community"
	if a.Community != "" {
		kind = "grid"
	}
	now := store.T(s.now()).String()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_areas (id, kind, community, name, street, area_hm2, impervious, design_period,
			concentration, tide_influence, garages, underpasses, pumps, elderly_alone, ground_floor, rain_gauges, level_gauges,
			river_gauge, workers, lon, lat, synthetic, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, community = excluded.community, name = excluded.name,
			street = excluded.street, area_hm2 = excluded.area_hm2, impervious = excluded.impervious,
			design_period = excluded.design_period, concentration = excluded.concentration,
			tide_influence = excluded.tide_influence, garages = excluded.garages, underpasses = excluded.underpasses,
			pumps = excluded.pumps, elderly_alone = excluded.elderly_alone, ground_floor = excluded.ground_floor,
			rain_gauges = excluded.rain_gauges, level_gauges = excluded.level_gauges, river_gauge = excluded.river_gauge,
			workers = excluded.workers, lon = excluded.lon, lat = excluded.lat, synthetic = excluded.synthetic,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			a.ID, kind, a.Community, a.Name, a.Street, a.AreaHm2, a.Impervious, a.DesignPeriod, a.Concentration, a.TideInfluence,
			a.Garages, a.Underpasses, a.Pumps, a.ElderlyAlone, a.GroundFloor, joinList(a.RainGauges), joinList(a.LevelGauges),
			a.RiverGauge, joinList(a.Workers), a.Lon, a.Lat, boolInt(a.Synthetic), now, actor); err != nil {
			return fmt.Errorf("save area %s: %w", a.ID, err)
		}
		return nil
	})
}

// SavePonding creates or replaces a ponding point of an existing area.
func (s *Store) SavePonding(ctx context.Context, area string, p PondingPoint) error {
	p.ID, p.Name = strings.TrimSpace(p.ID), strings.TrimSpace(p.Name)
	if p.ID == "" || p.Name == "" || !(p.MaxDepth >= 0 && p.MaxDepth < 20) {
		return fmt.Errorf("%w: ponding point needs an id, a name and a deepest water of 0–20 m", ErrInput)
	}
	if p.Date != "" {
		if _, err := time.Parse("2006-01-02", p.Date); err != nil {
			return fmt.Errorf("%w: ponding point %s: date %q is not YYYY-MM-DD", ErrInput, p.ID, p.Date)
		}
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM risk_areas WHERE id = ?`, area).Scan(&n); err != nil {
		return fmt.Errorf("save ponding point %s: %w", p.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: ponding point %s: no community or grid cell %q", ErrInput, p.ID, area)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO risk_ponding (id, area, name, gauge, max_depth, day, cause) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET area = excluded.area, name = excluded.name, gauge = excluded.gauge,
		max_depth = excluded.max_depth, day = excluded.day, cause = excluded.cause`,
		p.ID, area, p.Name, p.Gauge, p.MaxDepth, p.Date, p.Cause); err != nil {
		return fmt.Errorf("save ponding point %s: %w", p.ID, err)
	}
	return nil
}

// DeleteArea removes an area and its ponding points.
func (s *Store) DeleteArea(ctx context.Context, id string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM risk_areas WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete area %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("area %s: %w", id, ErrNotFound)
		}
		_, err = tx.Exec(ctx, `DELETE FROM risk_ponding WHERE area = ?`, id)
		return err
	})
}

// Areas lists the communities (grid false) or grid cells (grid true),
// ordered by street and id, with their ponding points.
func (s *Store) Areas(ctx context.Context, grid bool) ([]Area, error) {
	kind := "community"
	if grid {
		kind = "grid"
	}
	rows, err := s.db.Query(ctx, `SELECT id, community, name, street, area_hm2, impervious, design_period, concentration,
		tide_influence, garages, underpasses, pumps, elderly_alone, ground_floor, rain_gauges, level_gauges, river_gauge,
		workers, lon, lat, synthetic FROM risk_areas WHERE kind = ? ORDER BY street, id`, kind)
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	defer rows.Close()
	out := []Area{}
	idx := map[string]int{}
	for rows.Next() {
		var a Area
		var rg, lg, wk string
		var syn int
		if err := rows.Scan(&a.ID, &a.Community, &a.Name, &a.Street, &a.AreaHm2, &a.Impervious, &a.DesignPeriod, &a.Concentration,
			&a.TideInfluence, &a.Garages, &a.Underpasses, &a.Pumps, &a.ElderlyAlone, &a.GroundFloor, &rg, &lg, &a.RiverGauge,
			&wk, &a.Lon, &a.Lat, &syn); err != nil {
			return nil, fmt.Errorf("areas: %w", err)
		}
		a.RainGauges, a.LevelGauges, a.Workers, a.Synthetic = splitList(rg), splitList(lg), splitList(wk), syn != 0
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	prows, err := s.db.Query(ctx, `SELECT p.id, p.area, p.name, p.gauge, p.max_depth, p.day, p.cause FROM risk_ponding p
		JOIN risk_areas a ON a.id = p.area WHERE a.kind = ? ORDER BY p.id`, kind)
	if err != nil {
		return nil, fmt.Errorf("ponding points: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var p PondingPoint
		var area string
		if err := prows.Scan(&p.ID, &area, &p.Name, &p.Gauge, &p.MaxDepth, &p.Date, &p.Cause); err != nil {
			return nil, fmt.Errorf("ponding points: %w", err)
		}
		if i, ok := idx[area]; ok {
			out[i].PondingPoints = append(out[i].PondingPoints, p)
		}
	}
	return out, prows.Err()
}

// Area returns one community or grid cell.
func (s *Store) Area(ctx context.Context, id string) (Area, error) {
	for _, grid := range []bool{false, true} {
		as, err := s.Areas(ctx, grid)
		if err != nil {
			return Area{}, err
		}
		for _, a := range as {
			if a.ID == id {
				return a, nil
			}
		}
	}
	return Area{}, fmt.Errorf("area %s: %w", id, ErrNotFound)
}

// ForecastHours are the horizons a forecast may give.
var ForecastHours = []int{1, 3, 6}

// PostForecast stores a weather feed's rain forecast for an area ("" for
// the whole district) issued at the given time.
func (s *Store) PostForecast(ctx context.Context, area string, issued time.Time, fs []Forecast, source string) error {
	if len(fs) == 0 {
		return fmt.Errorf("%w: a forecast needs at least one horizon", ErrInput)
	}
	for _, f := range fs {
		ok := false
		for _, h := range ForecastHours {
			ok = ok || f.Hours == h
		}
		if !ok {
			return fmt.Errorf("%w: forecast horizon %d h: only 1, 3 or 6", ErrInput, f.Hours)
		}
		if !(f.RainMM >= 0 && f.RainMM < 2000) {
			return fmt.Errorf("%w: forecast rain %v mm out of range", ErrInput, f.RainMM)
		}
	}
	if issued.IsZero() {
		issued = s.now()
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, f := range fs {
			if _, err := tx.Exec(ctx, `INSERT INTO risk_forecasts (area, issued_at, hours, rain_mm, source) VALUES (?, ?, ?, ?, ?)`,
				area, issued.Unix(), f.Hours, f.RainMM, source); err != nil {
				return fmt.Errorf("post forecast: %w", err)
			}
		}
		return nil
	})
}

// Forecasts returns, per area ("" the district), the latest forecast of
// each horizon still running at now (issued within its horizon).
func (s *Store) Forecasts(ctx context.Context, now time.Time) (map[string][]Forecast, error) {
	rows, err := s.db.Query(ctx, `SELECT area, issued_at, hours, rain_mm FROM risk_forecasts WHERE issued_at > ? AND issued_at <= ?
		ORDER BY issued_at`, now.Add(-6*time.Hour).Unix(), now.Unix())
	if err != nil {
		return nil, fmt.Errorf("forecasts: %w", err)
	}
	defer rows.Close()
	type key struct {
		area  string
		hours int
	}
	latest := map[key]float64{}
	for rows.Next() {
		var area string
		var at int64
		var f Forecast
		if err := rows.Scan(&area, &at, &f.Hours, &f.RainMM); err != nil {
			return nil, fmt.Errorf("forecasts: %w", err)
		}
		if now.Sub(time.Unix(at, 0)) <= time.Duration(f.Hours)*time.Hour {
			latest[key{area, f.Hours}] = f.RainMM // later rows overwrite
		}
	}
	out := map[string][]Forecast{}
	for _, h := range ForecastHours {
		for k, v := range latest {
			if k.hours == h {
				out[k.area] = append(out[k.area], Forecast{Hours: h, RainMM: v})
			}
		}
	}
	return out, rows.Err()
}

// Check ticks (done true) or unticks a checklist item of an area for the
// day containing now.
func (s *Store) Check(ctx context.Context, area, action string, done bool, actor string) error {
	known := false
	for _, x := range actions {
		known = known || x.ID == action
	}
	if !known {
		return fmt.Errorf("%w: unknown checklist item %q", ErrInput, action)
	}
	if _, err := s.Area(ctx, area); err != nil {
		return err
	}
	day := s.day()
	if !done {
		_, err := s.db.Exec(ctx, `DELETE FROM risk_checks WHERE area = ? AND action = ? AND day = ?`, area, action, day)
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO risk_checks (area, action, day, done_by, done_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (area, action, day) DO NOTHING`, area, action, day, actor, store.T(s.now()).String())
	if err != nil {
		return fmt.Errorf("check %s/%s: %w", area, action, err)
	}
	return nil
}

// Done is who ticked an item and when.
type Done struct {
	By string `json:"by"`
	At string `json:"at"`
}

// Checks returns today's ticked items: area → action → who and when.
func (s *Store) Checks(ctx context.Context) (map[string]map[string]Done, error) {
	rows, err := s.db.Query(ctx, `SELECT area, action, done_by, done_at FROM risk_checks WHERE day = ?`, s.day())
	if err != nil {
		return nil, fmt.Errorf("checks: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]Done{}
	for rows.Next() {
		var area, action string
		var d Done
		if err := rows.Scan(&area, &action, &d.By, &d.At); err != nil {
			return nil, fmt.Errorf("checks: %w", err)
		}
		if out[area] == nil {
			out[area] = map[string]Done{}
		}
		out[area][action] = d
	}
	return out, rows.Err()
}

// Zone is the district's time, in which checklist days are counted.
var Zone = time.FixedZone("CST", 8*3600)

func (s *Store) day() string { return s.now().In(Zone).Format("2006-01-02") }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SeedDemo saves the synthetic demo areas (DemoAreas), their ponding
// points and fire indicators (DemoFire), for a fresh installation.
func (s *Store) SeedDemo(ctx context.Context, actor string) (int, error) {
	cs, gs := DemoAreas()
	n := 0
	for _, a := range append(cs, gs...) {
		if err := s.SaveArea(ctx, a, actor); err != nil {
			return n, err
		}
		if a.Community == "" {
			for _, p := range a.PondingPoints {
				if err := s.SavePonding(ctx, a.ID, p); err != nil {
					return n, err
				}
			}
		}
		n++
	}
	for _, c := range DemoFire(cs) {
		if err := s.SaveFire(ctx, c, actor); err != nil {
			return n, err
		}
	}
	return n, nil
}
