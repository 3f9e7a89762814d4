package greening

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// DemoStreets are Futian's ten streets with a schematic box (west, south,
// east, north; the city dashboard's schematic map, not surveyed
// boundaries), an approximate land area and resident population: rounded
// figures for the demo (marked synthetic), not statistics to quote.
var DemoStreets = []struct {
	Name       string
	Box        [4]float64
	AreaKm2    float64
	Population int
	Roads      []string
}{
	{"园岭街道", [4]float64{114.093, 22.540, 114.110, 22.565}, 3.6, 150000, []string{"红岭中路", "八卦路", "园岭路", "笋岗西路"}},
	{"南园街道", [4]float64{114.085, 22.505, 114.110, 22.540}, 2.1, 150000, []string{"深南中路", "滨河大道", "南园路", "上步南路"}},
	{"福田街道", [4]float64{114.050, 22.505, 114.085, 22.540}, 5.6, 250000, []string{"福华路", "金田路", "福民路", "皇岗路"}},
	{"沙头街道", [4]float64{114.000, 22.520, 114.050, 22.540}, 14.5, 210000, []string{"滨河大道", "新洲路", "沙嘴路", "福强路"}},
	{"香蜜湖街道", [4]float64{114.000, 22.540, 114.045, 22.565}, 10.1, 150000, []string{"香蜜湖路", "侨香路", "红荔西路", "农园路"}},
	{"梅林街道", [4]float64{114.000, 22.565, 114.110, 22.590}, 14.6, 180000, []string{"梅林路", "北环大道", "凯丰路", "梅华路"}},
	{"莲花街道", [4]float64{114.045, 22.540, 114.068, 22.565}, 6.9, 170000, []string{"红荔路", "莲花路", "彩田路", "新洲路"}},
	{"华富街道", [4]float64{114.068, 22.540, 114.084, 22.565}, 5.6, 140000, []string{"华富路", "深南大道", "彩田路", "上步中路"}},
	{"福保街道", [4]float64{114.000, 22.505, 114.050, 22.520}, 12.8, 120000, []string{"福强路", "广深沿江高速辅道", "益田路", "桃花路"}},
	{"华强北街道", [4]float64{114.084, 22.540, 114.093, 22.565}, 2.9, 90000, []string{"华强北路", "振兴路", "深南中路", "燕南路"}},
}

// StreetNames are Futian's ten streets (街道) by name: the residents'
// report form offers them, and the chat preselects one a report names.
func StreetNames() []string {
	out := make([]string, 0, len(DemoStreets))
	for _, s := range DemoStreets {
		out = append(out, s.Name)
	}
	return out
}

// demoSpecies are the street trees' shares in the demo.
var demoSpecies = []struct {
	name  string
	share float64
	shrub bool
}{
	{"榕树", 0.18, false}, {"大叶紫薇", 0.11, false}, {"凤凰木", 0.08, false}, {"木棉", 0.08, false},
	{"黄花风铃木", 0.08, false}, {"宫粉紫荆", 0.08, false}, {"扁桃", 0.10, false}, {"尖叶杜英", 0.06, false},
	{"小叶榄仁", 0.08, false}, {"秋枫", 0.05, false}, {"红花檵木", 0.05, true}, {"三角梅", 0.05, true},
}

// Demo is the synthetic inventory.
type Demo struct {
	Trees   []Tree
	Spaces  []Space
	Streets []Street
}

// GenerateDemo builds the synthetic inventory deterministically from
// seed: trees spaced along each street's main roads, some in residential
// communities, a few dozen 古树名木, and green spaces of every category.
// Everything is marked Synthetic.
func GenerateDemo(seed uint64, trees, spaces int) Demo {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var d Demo
	for _, st := range DemoStreets {
		d.Streets = append(d.Streets, Street{Name: st.Name, AreaKm2: st.AreaKm2, Population: st.Population, Synthetic: true})
	}
	pick := func() (string, bool) {
		x := rng.Float64()
		for _, s := range demoSpecies {
			if x < s.share {
				return s.name, s.shrub
			}
			x -= s.share
		}
		return demoSpecies[0].name, false
	}
	// Trees per street follow its area, within bounds.
	var total float64
	for _, st := range DemoStreets {
		total += math.Sqrt(st.AreaKm2)
	}
	n := 0
	for si, st := range DemoStreets {
		want := int(float64(trees) * math.Sqrt(st.AreaKm2) / total)
		if si == len(DemoStreets)-1 {
			want = trees - n
		}
		w, so, e, no := st.Box[0], st.Box[1], st.Box[2], st.Box[3]
		inset := 0.0008 // keep points off the box's edge
		for i := 0; i < want; i++ {
			n++
			sp, shrub := pick()
			t := Tree{ID: fmt.Sprintf("FT%02d-%05d", si+1, i+1), Species: sp, Street: st.Name, Synthetic: true}
			road := st.Roads[rng.IntN(len(st.Roads))]
			if shrub || rng.Float64() < 0.25 {
				t.Community = fmt.Sprintf("%s%d社区", st.Name[:len(st.Name)-len("街道")], 1+rng.IntN(6))
				t.Target = []string{"residential", "residential", "park", "", "school", "kindergarten"}[rng.IntN(6)]
				t.Lon = w + inset + rng.Float64()*(e-w-2*inset)
				t.Lat = so + inset + rng.Float64()*(no-so-2*inset)
				t.RootSpace = 2 + rng.Float64()*8
			} else {
				t.Road = road
				t.Target = "road"
				if rng.Float64() < 0.04 {
					t.Target = "school"
				}
				// Two roads run east–west and two north–south through the
				// street, at thirds of its box.
				k := 0
				for j, r := range st.Roads {
					if r == road {
						k = j
					}
				}
				if k%2 == 0 {
					t.Lat = so + float64(k/2+1)*(no-so)/3 + rng.NormFloat64()*0.00006
					t.Lon = w + inset + rng.Float64()*(e-w-2*inset)
				} else {
					t.Lon = w + float64(k/2+1)*(e-w)/3 + rng.NormFloat64()*0.00006
					t.Lat = so + inset + rng.Float64()*(no-so-2*inset)
				}
				t.RootSpace = 0.8 + rng.Float64()*2.5
			}
			age := 3 + rng.ExpFloat64()*15
			if shrub {
				t.DBH = 0
				t.Height = 0.8 + rng.Float64()*2
				t.Crown = 0.8 + rng.Float64()*2
			} else {
				t.DBH = math.Round((5+age*1.6*(0.8+rng.Float64()*0.4))*10) / 10
				t.Height = math.Round(math.Min(28, 3+age*0.55*(0.8+rng.Float64()*0.4))*10) / 10
				t.Crown = math.Round(math.Min(24, 2+age*0.45*(0.7+rng.Float64()*0.6))*10) / 10
			}
			t.Planted = fmt.Sprintf("%d", 2026-int(age))
			if rng.Float64() < 0.12 {
				t.Lean = math.Round(5 + rng.Float64()*20)
			} else {
				t.Lean = math.Round(rng.Float64() * 4)
			}
			switch x := rng.Float64(); {
			case x < 0.02:
				t.Decay = 2 + rng.IntN(2)
			case x < 0.08:
				t.Decay = 1
			}
			switch x := rng.Float64(); {
			case x < 0.02:
				t.Health = HealthDying
			case x < 0.09:
				t.Health = HealthWeak
			case x < 0.30:
				t.Health = HealthFair
			default:
				t.Health = HealthGood
			}
			t.Lon, t.Lat = math.Round(t.Lon*1e6)/1e6, math.Round(t.Lat*1e6)/1e6
			d.Trees = append(d.Trees, t)
		}
	}
	// 古树名木: every 500th tree becomes an old 榕树, 木棉 or 秋枫.
	for i := 250; i < len(d.Trees); i += 500 {
		t := &d.Trees[i]
		t.Species = []string{"榕树", "木棉", "秋枫"}[rng.IntN(3)]
		t.Ancient = true
		age := 100 + rng.IntN(420)
		switch {
		case age >= 500:
			t.AncientGrade = "一级"
		case age >= 300:
			t.AncientGrade = "二级"
		default:
			t.AncientGrade = "三级"
		}
		t.Planted = fmt.Sprintf("%d", 2026-age)
		t.DBH, t.Height, t.Crown = float64(80+rng.IntN(120)), float64(14+rng.IntN(10)), float64(16+rng.IntN(14))
		t.RootSpace = 20 + rng.Float64()*60
		t.Community = fmt.Sprintf("%s古树保护点", t.Street[:len(t.Street)-len("街道")])
		t.Road, t.Target = "", "park"
	}
	// Green spaces: shares of each street's area by category.
	cats := []struct {
		c     Category
		share float64
		name  string
		size  float64 // median m²
	}{{Public, 0.35, "公园", 60000}, {Residential, 0.40, "小区绿地", 12000}, {Protective, 0.15, "防护绿带", 25000},
		{Production, 0.03, "苗圃", 15000}, {Scenic, 0.07, "风景林", 150000}}
	for i := 0; i < spaces; i++ {
		si := i % len(DemoStreets)
		st := DemoStreets[si]
		x := rng.Float64()
		c := cats[0]
		for _, cc := range cats {
			if x < cc.share {
				c = cc
				break
			}
			x -= cc.share
		}
		area := math.Round(c.size * math.Exp(rng.NormFloat64()*0.6) * math.Sqrt(st.AreaKm2/6))
		w, so, e, no := st.Box[0], st.Box[1], st.Box[2], st.Box[3]
		d.Spaces = append(d.Spaces, Space{ID: fmt.Sprintf("GS%03d", i+1), Name: fmt.Sprintf("%s%s%d号（合成）", st.Name[:len(st.Name)-len("街道")], c.name, i/len(DemoStreets)+1),
			Category: c.c, Area: area, Unit: map[Category]string{Public: "福田区公园管理中心", Residential: "小区物业服务企业", Protective: "福田区城市管理和综合执法局",
				Production: "福田区园林绿化苗圃", Scenic: "福田区公园管理中心"}[c.c],
			Street: st.Name, Lon: math.Round((w+rng.Float64()*(e-w))*1e6) / 1e6, Lat: math.Round((so+rng.Float64()*(no-so))*1e6) / 1e6, Synthetic: true})
	}
	return d
}

// DemoTrees and DemoSpaces are the demo's size.
const (
	DemoTrees  = 20000
	DemoSpaces = 300
	demoSeed   = 20260701
)

// LoadDemo fills an empty inventory with the synthetic demo — trees,
// spaces, streets, twelve months of health surveys and six months of
// work orders ending at now — and reports whether it did. An inventory
// holding anything is left alone.
func (s *Store) LoadDemo(ctx context.Context, now time.Time) (bool, error) {
	n, err := s.CountTrees(ctx, TreeFilter{})
	if err != nil || n > 0 {
		return false, err
	}
	d := GenerateDemo(demoSeed, DemoTrees, DemoSpaces)
	if err := s.SaveTrees(ctx, d.Trees, "demo"); err != nil {
		return false, fmt.Errorf("greening demo: %w", err)
	}
	if err := s.SaveSpaces(ctx, d.Spaces); err != nil {
		return false, fmt.Errorf("greening demo: %w", err)
	}
	if err := s.SaveStreets(ctx, d.Streets); err != nil {
		return false, fmt.Errorf("greening demo: %w", err)
	}
	if _, err := s.Knowledge(ctx); err != nil {
		return false, err
	}
	if err := s.demoHistory(ctx, d, now); err != nil {
		return false, fmt.Errorf("greening demo history: %w", err)
	}
	_ = s.db.Publish(ctx, Topic, "trees")
	return true, nil
}

// demoHistory writes the past: monthly health surveys in which weak trees
// recover after treatment, planned work, and orders from every source,
// most done, a few overdue, some recurring.
func (s *Store) demoHistory(ctx context.Context, d Demo, now time.Time) error {
	rng := rand.New(rand.NewPCG(demoSeed, 7))
	cur := Month(now).Start
	type cell struct{ street, species, grade string }
	base := map[cell]int{}
	for _, t := range d.Trees {
		base[cell{t.Street, t.Species, t.Health}]++
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		ptx := tx.Prepared()
		for m := 11; m >= 1; m-- {
			month := cur.AddDate(0, -m, 0).Format("2006-01")
			// Earlier months had more weak trees: a share of today's
			// good trees were fair, of fair ones weak.
			shift := float64(m) * 0.012
			for c, k := range base {
				moved := int(math.Round(float64(k) * shift))
				g := c.grade
				switch g {
				case HealthGood:
					k -= moved
					if _, err := ptx.Exec(ctx, `INSERT INTO greening_health (month, street, species, grade, trees) VALUES (?,?,?,?,?)
						ON CONFLICT (month, street, species, grade) DO UPDATE SET trees = greening_health.trees + excluded.trees`, month, c.street, c.species, HealthFair, moved); err != nil {
						return err
					}
				case HealthFair:
					k -= moved / 2
					if _, err := ptx.Exec(ctx, `INSERT INTO greening_health (month, street, species, grade, trees) VALUES (?,?,?,?,?)
						ON CONFLICT (month, street, species, grade) DO UPDATE SET trees = greening_health.trees + excluded.trees`, month, c.street, c.species, HealthWeak, moved/2); err != nil {
						return err
					}
				}
				if _, err := ptx.Exec(ctx, `INSERT INTO greening_health (month, street, species, grade, trees) VALUES (?,?,?,?,?)
					ON CONFLICT (month, street, species, grade) DO UPDATE SET trees = greening_health.trees + excluded.trees`, month, c.street, c.species, g, k); err != nil {
					return err
				}
			}
		}
		for m := 5; m >= 0; m-- {
			month := cur.AddDate(0, -m, 0)
			for _, st := range DemoStreets {
				for _, task := range []string{TaskPrune, TaskPestInspect, TaskIrrigate, TaskFertilize} {
					planned := 80 + rng.IntN(160)
					if _, err := ptx.Exec(ctx, `INSERT INTO greening_planned (month, street, task, trees) VALUES (?,?,?,?)`,
						month.Format("2006-01"), st.Name, task, planned); err != nil {
						return err
					}
					done := int(float64(planned) * (0.7 + 0.04*float64(5-m) + rng.Float64()*0.1))
					if m == 0 {
						done = done * min(now.In(Zone).Day(), 28) / 30
					}
					at := month.Add(time.Duration(rng.IntN(25*24)) * time.Hour)
					if at.After(now) {
						at = now.Add(-time.Hour)
					}
					if _, err := ptx.Exec(ctx, `INSERT INTO greening_orders (source, task, title, detail, tree_id, trees, street, team, status, reporter, created_at, due_at, done_at, done_by, result, synthetic)
						VALUES ('plan',?,?,'','',?,?,?,'done','demo',?,?,?,'demo','按计划完成（合成数据）',1)`,
						task, fmt.Sprintf("%s · %s（合成）", TaskName(task), st.Name), done, st.Name, Teams[rng.IntN(3)],
						store.T(at), store.T(at.Add(7*24*time.Hour)), store.T(at.Add(time.Duration(24+rng.IntN(120))*time.Hour))); err != nil {
						return err
					}
				}
			}
		}
		// Reports from patrols and residents on single trees; about one in
		// six recurs within three months of being treated.
		for i := 0; i < 240; i++ {
			t := d.Trees[rng.IntN(len(d.Trees))]
			task := []string{TaskPest, TaskTopple, TaskPrune, TaskPest}[rng.IntN(4)]
			src := []string{FromPatrol, FromResident, FromPatrol}[rng.IntN(3)]
			at := now.Add(-time.Duration(rng.IntN(180*24)) * time.Hour)
			due := at.Add(dueIn(task))
			status, done := StatusDone, store.T(at.Add(time.Duration(4+rng.IntN(60))*time.Hour))
			if now.Sub(at) < 10*24*time.Hour && rng.IntN(3) == 0 {
				status, done = StatusAssigned, store.Time{}
			}
			repeat := 1
			if status == StatusDone && rng.IntN(6) == 0 {
				repeat = 2
			}
			for r := 0; r < repeat; r++ {
				if r == 1 {
					at = done.Add(time.Duration(10+rng.IntN(60)) * 24 * time.Hour)
					if at.After(now) {
						break
					}
					due, done = at.Add(dueIn(task)), store.T(at.Add(48*time.Hour))
				}
				res := ""
				if status == StatusDone {
					res = "已处置（合成数据）"
				}
				if _, err := ptx.Exec(ctx, `INSERT INTO greening_orders (source, task, title, detail, tree_id, trees, street, lon, lat, team, status, reporter, created_at, due_at, done_at, done_by, result, synthetic)
					VALUES (?,?,?,?,?,1,?,?,?,?,?,'demo',?,?,?,?,?,1)`,
					src, task, fmt.Sprintf("%s · %s %s（合成）", TaskName(task), t.Street, t.Species), "", t.ID, t.Street, t.Lon, t.Lat,
					Teams[rng.IntN(4)], status, store.T(at), store.T(due), done, map[bool]string{true: "demo", false: ""}[status == StatusDone], res); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.Survey(ctx, cur.Format("2006-01"))
}
