package greening

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Factor is one factor's contribution to a risk score.
type Factor struct {
	Name   string  `json:"name"`
	Value  string  `json:"value"`
	Points float64 `json:"points"`
}

// Risk is a tree's score (0–100) with the factors behind it, largest
// first.
type Risk struct {
	Tree    string   `json:"tree"`
	Species string   `json:"species"`
	Street  string   `json:"street"`
	Score   float64  `json:"score"`
	Level   string   `json:"level"` // 高, 中, 低
	Factors []Factor `json:"factors"`
}

func level(score float64) string {
	switch {
	case score >= 60:
		return "高"
	case score >= 35:
		return "中"
	}
	return "低"
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// targetPoints weighs what a falling tree would hit.
var targetPoints = map[string]float64{"school": 12, "kindergarten": 12, "hospital": 12, "road": 9, "residential": 8, "park": 3}

// TyphoonRisk scores a tree's risk of toppling or breaking in a typhoon.
// The weights (documented in docs/greening.md) are a transparent
// starting point for experts to calibrate against recorded failures: each
// factor adds points, so the explanation is the sum itself. sp is the
// tree's species entry; known is false when the library lacks it (then a
// middling wind resistance is assumed, and said).
func TyphoonRisk(t Tree, sp Species, known bool) Risk {
	r := Risk{Tree: t.ID, Species: t.Species, Street: t.Street}
	add := func(name, value string, pts float64) {
		if pts > 0 {
			r.Factors = append(r.Factors, Factor{name, value, math.Round(pts*10) / 10})
		}
	}
	wr := 3
	wrNote := ""
	if known {
		wr = sp.WindResistance
	} else {
		wrNote = "（树种库无此树种，按中等计）"
	}
	add("树种抗风性", fmt.Sprintf("%d/5%s", wr, wrNote), float64(5-wr)*7) // 0–28
	add("树高", fmt.Sprintf("%.0f m", t.Height), clamp01((t.Height-6)/14)*12)
	// The crown is the sail: its area against a trunk that must hold it.
	if t.Height > 0 && t.Crown > 0 {
		ratio := t.Crown / t.Height
		add("冠幅/树高（受风面）", fmt.Sprintf("%.2f", ratio), clamp01((ratio-0.5)/0.7)*10*clamp01(t.Height/8))
	}
	if t.Height > 0 && t.DBH > 0 {
		// Slenderness: height over trunk diameter (both in m); above ~80
		// trunks bend and snap more easily.
		hd := t.Height / (t.DBH / 100)
		add("高径比", fmt.Sprintf("%.0f", hd), clamp01((hd-60)/60)*8)
	}
	add("倾斜", fmt.Sprintf("%.0f°", t.Lean), clamp01(t.Lean/25)*15)
	switch {
	case t.RootSpace > 0 && t.RootSpace < 1.5:
		add("根系空间", fmt.Sprintf("树池 %.1f m²", t.RootSpace), 10)
	case t.RootSpace > 0 && t.RootSpace < 3:
		add("根系空间", fmt.Sprintf("树池 %.1f m²", t.RootSpace), 5)
	}
	if known && sp.Root == "浅根" {
		add("根系类型", "浅根性", 5)
	}
	add("腐朽", []string{"无", "轻度", "中度", "重度"}[min(max(t.Decay, 0), 3)], float64(t.Decay)*6)
	switch t.Health {
	case HealthWeak:
		add("健康", "衰弱", 4)
	case HealthDying:
		add("健康", "濒死", 8)
	}
	add("下方目标", Targets[t.Target], targetPoints[t.Target])
	for _, f := range r.Factors {
		r.Score += f.Points
	}
	r.Score = math.Min(100, math.Round(r.Score*10)/10)
	slices.SortStableFunc(r.Factors, func(a, b Factor) int { return cmp.Compare(b.Points, a.Points) })
	r.Level = level(r.Score)
	return r
}

// PestRisk scores a tree's risk of a pest outbreak in month: the
// species' pests in season, reports of the same species nearby, and a
// weakened tree.
func PestRisk(t Tree, sp Species, known bool, month, nearby int) Risk {
	r := Risk{Tree: t.ID, Species: t.Species, Street: t.Street}
	if known {
		if ps := sp.PestsIn(month); len(ps) > 0 {
			names := ""
			for i, p := range ps {
				if i > 0 {
					names += "、"
				}
				names += p.Name
			}
			r.Factors = append(r.Factors, Factor{"高发季节", fmt.Sprintf("%d 月：%s", month, names), math.Min(45, 30+float64(len(ps)-1)*8)})
		}
	}
	if nearby > 0 {
		r.Factors = append(r.Factors, Factor{"附近同种虫害报告", fmt.Sprintf("%d 起", nearby), math.Min(40, float64(nearby)*20)})
	}
	switch t.Health {
	case HealthWeak:
		r.Factors = append(r.Factors, Factor{"健康", "衰弱", 10})
	case HealthDying:
		r.Factors = append(r.Factors, Factor{"健康", "濒死", 15})
	}
	for _, f := range r.Factors {
		r.Score += f.Points
	}
	r.Score = math.Min(100, r.Score)
	slices.SortStableFunc(r.Factors, func(a, b Factor) int { return cmp.Compare(b.Points, a.Points) })
	r.Level = level(r.Score)
	return r
}

// RankTyphoon scores every tree and returns the top n (all when n ≤ 0),
// highest first, ties by id.
func RankTyphoon(trees []Tree, k Knowledge, n int) []Risk {
	out := make([]Risk, 0, len(trees))
	for _, t := range trees {
		sp, ok := k.Species[t.Species]
		out = append(out, TyphoonRisk(t, sp, ok))
	}
	return top(out, n)
}

// RankPest scores every tree for month with the pest reports in c.
func RankPest(trees []Tree, k Knowledge, c Conditions, month int, n int) []Risk {
	radius, days := 300.0, 14.0
	for _, r := range k.Rules {
		if r.Condition == "pest_nearby" && !r.Disabled {
			radius, days = r.param("radius_m", radius), r.param("days", days)
		}
	}
	idx := newGrid(trees)
	nearby := make([]int, len(trees))
	for _, p := range c.Pests {
		if !c.At.IsZero() && c.At.Sub(p.At).Hours() > days*24 {
			continue
		}
		idx.within(p.Lon, p.Lat, radius, func(i int) {
			if trees[i].Species == p.Species {
				nearby[i]++
			}
		})
	}
	out := make([]Risk, 0, len(trees))
	for i, t := range trees {
		sp, ok := k.Species[t.Species]
		out = append(out, PestRisk(t, sp, ok, month, nearby[i]))
	}
	return top(out, n)
}

func top(rs []Risk, n int) []Risk {
	slices.SortFunc(rs, func(a, b Risk) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Tree, b.Tree)
	})
	if n > 0 && len(rs) > n {
		rs = rs[:n]
	}
	return rs
}

// grid buckets trees by ~500 m cells for radius queries.
type grid struct {
	trees []Tree
	cells map[[2]int][]int
}

const cellDeg = 0.005

func cellOf(lon, lat float64) [2]int {
	return [2]int{int(math.Floor(lon / cellDeg)), int(math.Floor(lat / cellDeg))}
}

func newGrid(trees []Tree) *grid {
	g := &grid{trees: trees, cells: make(map[[2]int][]int, len(trees)/20+1)}
	for i, t := range trees {
		c := cellOf(t.Lon, t.Lat)
		g.cells[c] = append(g.cells[c], i)
	}
	return g
}

// Meters is the distance between two points (equirectangular; exact
// enough within a district).
func Meters(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371000.0
	x := (lon2 - lon1) * math.Pi / 180 * math.Cos((lat1+lat2)/2*math.Pi/180)
	y := (lat2 - lat1) * math.Pi / 180
	return r * math.Hypot(x, y)
}

func (g *grid) within(lon, lat, radius float64, fn func(i int)) {
	span := int(math.Ceil(radius/(cellDeg*100000))) + 1
	c := cellOf(lon, lat)
	for dx := -span; dx <= span; dx++ {
		for dy := -span; dy <= span; dy++ {
			for _, i := range g.cells[[2]int{c[0] + dx, c[1] + dy}] {
				if Meters(lon, lat, g.trees[i].Lon, g.trees[i].Lat) <= radius {
					fn(i)
				}
			}
		}
	}
}

// nearest returns the index of the tree nearest a point, within radius,
// or -1.
func (g *grid) nearest(lon, lat, radius float64) int {
	best, bestD := -1, math.Inf(1)
	g.within(lon, lat, radius, func(i int) {
		if d := Meters(lon, lat, g.trees[i].Lon, g.trees[i].Lat); d < bestD {
			best, bestD = i, d
		}
	})
	return best
}
