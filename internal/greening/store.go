package greening

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Store keeps the inventory, the knowledge, work orders and surveys.
type Store struct {
	db  *store.DB
	now func() time.Time
}

// NewStore returns a store on db; now is the clock.
func NewStore(db *store.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

func (t *Tree) normalise() error {
	t.ID, t.Species, t.Street = strings.TrimSpace(t.ID), strings.TrimSpace(t.Species), strings.TrimSpace(t.Street)
	if t.ID == "" {
		return fmt.Errorf("%w: 缺少树木编号", ErrInput)
	}
	if t.Species == "" {
		return fmt.Errorf("%w: 缺少树种", ErrInput)
	}
	if t.Street == "" {
		return fmt.Errorf("%w: 缺少街道", ErrInput)
	}
	if t.Lon < 73 || t.Lon > 136 || t.Lat < 3 || t.Lat > 54 {
		return fmt.Errorf("%w: 经纬度 (%g, %g) 不在中国境内", ErrInput, t.Lon, t.Lat)
	}
	for _, c := range []struct {
		name     string
		v, limit float64
	}{{"胸径", t.DBH, 600}, {"树高", t.Height, 80}, {"冠幅", t.Crown, 60}, {"倾斜角", t.Lean, 90}, {"树池面积", t.RootSpace, 10000}} {
		if math.IsNaN(c.v) || c.v < 0 || c.v > c.limit {
			return fmt.Errorf("%w: %s %g 超出 0—%g", ErrInput, c.name, c.v, c.limit)
		}
	}
	if t.Decay < 0 || t.Decay > 3 {
		return fmt.Errorf("%w: 腐朽程度 %d 应为 0—3", ErrInput, t.Decay)
	}
	if t.Health == "" {
		t.Health = defaultHealthy
	}
	ok := false
	for _, g := range Grades {
		if t.Health == g.Name {
			t.Health = g.Grade
		}
		if t.Health == g.Grade {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("%w: 健康等级 %q 应为 A/B/C/D 或 健康/较健康/衰弱/濒死", ErrInput, t.Health)
	}
	if t.AncientGrade != "" {
		if !slices.Contains(AncientGrades, t.AncientGrade) {
			return fmt.Errorf("%w: 古树名木保护等级 %q 应为 一级、二级、三级 或 名木", ErrInput, t.AncientGrade)
		}
		t.Ancient = true
	}
	if t.Ancient && t.AncientGrade == "" {
		return fmt.Errorf("%w: 古树名木须填写保护等级", ErrInput)
	}
	if _, ok := Targets[t.Target]; !ok {
		found := false
		for k, v := range Targets {
			if v == t.Target {
				t.Target, found = k, true
			}
		}
		if !found {
			return fmt.Errorf("%w: 下方目标 %q 未定义", ErrInput, t.Target)
		}
	}
	if t.Planted != "" {
		if _, err := time.Parse("2006-01-02", t.Planted); err != nil {
			if _, err := time.Parse("2006", t.Planted); err != nil {
				return fmt.Errorf("%w: 种植日期 %q 应为 2006-01-02 或年份", ErrInput, t.Planted)
			}
		}
	}
	return nil
}

const treeCols = `id, species, dbh_cm, height_m, crown_m, lean_deg, planted, lon, lat, street, community, road, health,
	ancient, ancient_grade, root_space, decay, target, synthetic, updated_at, updated_by`

const upsertTree = `INSERT INTO greening_trees (` + treeCols + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT (id) DO UPDATE SET species=excluded.species, dbh_cm=excluded.dbh_cm, height_m=excluded.height_m,
	crown_m=excluded.crown_m, lean_deg=excluded.lean_deg, planted=excluded.planted, lon=excluded.lon, lat=excluded.lat,
	street=excluded.street, community=excluded.community, road=excluded.road, health=excluded.health,
	ancient=excluded.ancient, ancient_grade=excluded.ancient_grade, root_space=excluded.root_space,
	decay=excluded.decay, target=excluded.target, synthetic=excluded.synthetic, updated_at=excluded.updated_at,
	updated_by=excluded.updated_by`

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func treeArgs(t Tree, at store.Time, actor string) []any {
	return []any{t.ID, t.Species, t.DBH, t.Height, t.Crown, t.Lean, t.Planted, t.Lon, t.Lat, t.Street, t.Community, t.Road,
		t.Health, b2i(t.Ancient), t.AncientGrade, t.RootSpace, t.Decay, t.Target, b2i(t.Synthetic), at, actor}
}

// SaveTree validates and saves one tree (replacing the one with its id).
func (s *Store) SaveTree(ctx context.Context, t Tree, actor string) (Tree, error) {
	if err := t.normalise(); err != nil {
		return t, err
	}
	if _, err := s.db.Exec(ctx, upsertTree, treeArgs(t, store.T(s.now()), actor)...); err != nil {
		return t, fmt.Errorf("save tree %s: %w", t.ID, err)
	}
	return t, nil
}

// SaveTrees saves valid trees in one transaction: all of them or, on a
// failure, none. Rows go in multi-row statements (one round trip per
// treesPerStmt trees), which is what makes PostgreSQL imports fast.
func (s *Store) SaveTrees(ctx context.Context, ts []Tree, actor string) error {
	at := store.T(s.now())
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for start := 0; start < len(ts); start += treesPerStmt {
			chunk := ts[start:min(start+treesPerStmt, len(ts))]
			args := make([]any, 0, len(chunk)*21)
			for _, t := range chunk {
				args = append(args, treeArgs(t, at, actor)...)
			}
			if _, err := tx.Exec(ctx, upsertTrees(len(chunk)), args...); err != nil {
				return fmt.Errorf("save trees %s…: %w", chunk[0].ID, err)
			}
		}
		return nil
	})
}

const treesPerStmt = 300

// upsertTrees is upsertTree for n rows.
func upsertTrees(n int) string {
	head, tail, _ := strings.Cut(upsertTree, "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	}
	b.WriteString(tail)
	return b.String()
}

// DeleteTree removes a tree.
func (s *Store) DeleteTree(ctx context.Context, id string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM greening_trees WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete tree %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: 树木 %s", ErrNotFound, id)
	}
	return nil
}

func scanTree(sc interface{ Scan(...any) error }) (Tree, error) {
	var t Tree
	var anc, syn int
	var at store.Time
	var by string
	err := sc.Scan(&t.ID, &t.Species, &t.DBH, &t.Height, &t.Crown, &t.Lean, &t.Planted, &t.Lon, &t.Lat, &t.Street, &t.Community,
		&t.Road, &t.Health, &anc, &t.AncientGrade, &t.RootSpace, &t.Decay, &t.Target, &syn, &at, &by)
	t.Ancient, t.Synthetic = anc != 0, syn != 0
	return t, err
}

// Tree returns one tree.
func (s *Store) Tree(ctx context.Context, id string) (Tree, error) {
	t, err := scanTree(s.db.QueryRow(ctx, `SELECT `+treeCols+` FROM greening_trees WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("%w: 树木 %s", ErrNotFound, id)
	}
	if err != nil {
		return t, fmt.Errorf("tree %s: %w", id, err)
	}
	return t, nil
}

// TreeFilter narrows a tree listing; zero fields do not filter.
type TreeFilter struct {
	Street, Species, Health string
	Ancient                 bool
	Query                   string // id, road or community contains
	Limit, Offset           int    // Limit 0: no limit
}

// Trees lists trees in id order.
func (s *Store) Trees(ctx context.Context, f TreeFilter) ([]Tree, error) {
	where, args := f.where()
	q := `SELECT ` + treeCols + ` FROM greening_trees` + where + ` ORDER BY id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("trees: %w", err)
	}
	defer rows.Close()
	var out []Tree
	for rows.Next() {
		t, err := scanTree(rows)
		if err != nil {
			return nil, fmt.Errorf("trees: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountTrees counts the trees a filter selects.
func (s *Store) CountTrees(ctx context.Context, f TreeFilter) (int, error) {
	where, args := f.where()
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM greening_trees`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count trees: %w", err)
	}
	return n, nil
}

func (f TreeFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if f.Street != "" {
		add("street = ?", f.Street)
	}
	if f.Species != "" {
		add("species = ?", f.Species)
	}
	if f.Health != "" {
		add("health = ?", f.Health)
	}
	if f.Ancient {
		add("ancient = 1")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
		add("(id LIKE ? OR road LIKE ? OR community LIKE ?)", like, like, like)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (sp *Space) normalise() error {
	sp.ID, sp.Name, sp.Street = strings.TrimSpace(sp.ID), strings.TrimSpace(sp.Name), strings.TrimSpace(sp.Street)
	if sp.ID == "" || sp.Name == "" {
		return fmt.Errorf("%w: 绿地缺少编号或名称", ErrInput)
	}
	if sp.Street == "" {
		return fmt.Errorf("%w: 缺少街道", ErrInput)
	}
	c, ok := parseCategory(string(sp.Category))
	if !ok {
		return fmt.Errorf("%w: 绿地类型 %q 应为 公共绿地、居住区绿地、防护绿地、生产绿地 或 风景林地", ErrInput, sp.Category)
	}
	sp.Category = c
	if math.IsNaN(sp.Area) || sp.Area <= 0 || sp.Area > 1e8 {
		return fmt.Errorf("%w: 面积 %g 应大于 0", ErrInput, sp.Area)
	}
	if sp.Lon != 0 || sp.Lat != 0 {
		if sp.Lon < 73 || sp.Lon > 136 || sp.Lat < 3 || sp.Lat > 54 {
			return fmt.Errorf("%w: 经纬度 (%g, %g) 不在中国境内", ErrInput, sp.Lon, sp.Lat)
		}
	}
	return nil
}

const upsertSpace = `INSERT INTO greening_spaces (id, name, category, area_m2, unit, street, lon, lat, synthetic, updated_at)
	VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name=excluded.name, category=excluded.category,
	area_m2=excluded.area_m2, unit=excluded.unit, street=excluded.street, lon=excluded.lon, lat=excluded.lat,
	synthetic=excluded.synthetic, updated_at=excluded.updated_at`

// SaveSpaces validates every space first, then saves them in one
// transaction.
func (s *Store) SaveSpaces(ctx context.Context, sps []Space) error {
	for i := range sps {
		if err := sps[i].normalise(); err != nil {
			return err
		}
	}
	at := store.T(s.now())
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, sp := range sps {
			if _, err := tx.Exec(ctx, upsertSpace, sp.ID, sp.Name, string(sp.Category), sp.Area, sp.Unit, sp.Street, sp.Lon, sp.Lat, b2i(sp.Synthetic), at); err != nil {
				return fmt.Errorf("save space %s: %w", sp.ID, err)
			}
		}
		return nil
	})
}

// Spaces lists green spaces, of one street when street is not "".
func (s *Store) Spaces(ctx context.Context, street string) ([]Space, error) {
	q, args := `SELECT id, name, category, area_m2, unit, street, lon, lat, synthetic FROM greening_spaces`, []any{}
	if street != "" {
		q += ` WHERE street = ?`
		args = append(args, street)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("spaces: %w", err)
	}
	defer rows.Close()
	var out []Space
	for rows.Next() {
		var sp Space
		var syn int
		if err := rows.Scan(&sp.ID, &sp.Name, &sp.Category, &sp.Area, &sp.Unit, &sp.Street, &sp.Lon, &sp.Lat, &syn); err != nil {
			return nil, fmt.Errorf("spaces: %w", err)
		}
		sp.Synthetic = syn != 0
		out = append(out, sp)
	}
	return out, rows.Err()
}

// SaveStreets saves streets' area and population.
func (s *Store) SaveStreets(ctx context.Context, sts []Street) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, st := range sts {
			if st.Name == "" || st.AreaKm2 <= 0 || st.Population < 0 {
				return fmt.Errorf("%w: 街道 %q 面积或人口不合理", ErrInput, st.Name)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO greening_streets (name, area_km2, population, synthetic) VALUES (?,?,?,?)
				ON CONFLICT (name) DO UPDATE SET area_km2=excluded.area_km2, population=excluded.population, synthetic=excluded.synthetic`,
				st.Name, st.AreaKm2, st.Population, b2i(st.Synthetic)); err != nil {
				return fmt.Errorf("save street %s: %w", st.Name, err)
			}
		}
		return nil
	})
}

// Streets lists the streets by name.
func (s *Store) Streets(ctx context.Context) ([]Street, error) {
	rows, err := s.db.Query(ctx, `SELECT name, area_km2, population, synthetic FROM greening_streets ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("streets: %w", err)
	}
	defer rows.Close()
	var out []Street
	for rows.Next() {
		var st Street
		var syn int
		if err := rows.Scan(&st.Name, &st.AreaKm2, &st.Population, &syn); err != nil {
			return nil, fmt.Errorf("streets: %w", err)
		}
		st.Synthetic = syn != 0
		out = append(out, st)
	}
	return out, rows.Err()
}

// Knowledge loads the species library and rules, seeding the starter
// library on first use so that staff edit the stored copy.
func (s *Store) Knowledge(ctx context.Context) (Knowledge, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM greening_knowledge`).Scan(&n); err != nil {
		return Knowledge{}, fmt.Errorf("knowledge: %w", err)
	}
	if n == 0 {
		st, err := Starter()
		if err != nil {
			return Knowledge{}, err
		}
		if err := s.seed(ctx, st); err != nil {
			return Knowledge{}, err
		}
	}
	rows, err := s.db.Query(ctx, `SELECT kind, id, doc, reviewed FROM greening_knowledge ORDER BY kind, id`)
	if err != nil {
		return Knowledge{}, fmt.Errorf("knowledge: %w", err)
	}
	defer rows.Close()
	k := Knowledge{Species: map[string]Species{}}
	unreviewed := 0
	for rows.Next() {
		var kind, id, doc string
		var rev int
		if err := rows.Scan(&kind, &id, &doc, &rev); err != nil {
			return k, fmt.Errorf("knowledge: %w", err)
		}
		if rev == 0 {
			unreviewed++
		}
		switch kind {
		case "species":
			var sp Species
			if err := json.Unmarshal([]byte(doc), &sp); err != nil {
				return k, fmt.Errorf("knowledge species %s: %w", id, err)
			}
			sp.Reviewed = rev != 0
			k.Species[sp.Name] = sp
		case "rule":
			var r Rule
			if err := json.Unmarshal([]byte(doc), &r); err != nil {
				return k, fmt.Errorf("knowledge rule %s: %w", id, err)
			}
			r.Reviewed = rev != 0
			k.Rules = append(k.Rules, r)
		}
	}
	if unreviewed > 0 {
		k.Status = fmt.Sprintf("%s（%d 条未审核）", StarterStatus, unreviewed)
	}
	slices.SortStableFunc(k.Rules, func(a, b Rule) int { return b.Priority - a.Priority })
	return k, rows.Err()
}

func (s *Store) seed(ctx context.Context, k Knowledge) error {
	at := store.T(s.now())
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		put := func(kind, id string, v any) error {
			doc, err := json.Marshal(v)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO greening_knowledge (kind, id, doc, reviewed, updated_at, updated_by) VALUES (?,?,?,0,?,'starter')
				ON CONFLICT (kind, id) DO NOTHING`, kind, id, string(doc), at)
			return err
		}
		for _, sp := range k.Species {
			if err := put("species", sp.Name, sp); err != nil {
				return fmt.Errorf("seed species: %w", err)
			}
		}
		for _, r := range k.Rules {
			if err := put("rule", r.ID, r); err != nil {
				return fmt.Errorf("seed rules: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) putKnowledge(ctx context.Context, kind, id string, v any, reviewed bool, actor string) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO greening_knowledge (kind, id, doc, reviewed, updated_at, updated_by) VALUES (?,?,?,?,?,?)
		ON CONFLICT (kind, id) DO UPDATE SET doc=excluded.doc, reviewed=excluded.reviewed, updated_at=excluded.updated_at, updated_by=excluded.updated_by`,
		kind, id, string(doc), b2i(reviewed), store.T(s.now()), actor)
	if err != nil {
		return fmt.Errorf("save %s %s: %w", kind, id, err)
	}
	return nil
}

// SaveSpecies validates and saves a species entry; reviewed says an
// expert signed it off.
func (s *Store) SaveSpecies(ctx context.Context, sp Species, reviewed bool, actor string) error {
	if err := sp.validate(); err != nil {
		return err
	}
	sp.Reviewed = false
	return s.putKnowledge(ctx, "species", sp.Name, sp, reviewed, actor)
}

// SaveRule validates and saves a task rule.
func (s *Store) SaveRule(ctx context.Context, r Rule, reviewed bool, actor string) error {
	if err := r.validate(); err != nil {
		return err
	}
	r.Reviewed = false
	return s.putKnowledge(ctx, "rule", r.ID, r, reviewed, actor)
}

// OnlySynthetic reports whether the inventory holds no tree but the
// synthetic demo's (an empty inventory counts), so that pages can say
// their data is synthetic.
func (s *Store) OnlySynthetic(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM greening_trees WHERE synthetic = 0`).Scan(&n); err != nil {
		return false, fmt.Errorf("inventory: %w", err)
	}
	return n == 0, nil
}
