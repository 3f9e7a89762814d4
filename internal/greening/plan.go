package greening

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Warning levels of the typhoon signal (深圳台风预警信号: 白、蓝、黄、橙、红).
var WarningNames = []string{"无", "白色", "蓝色", "黄色", "橙色", "红色"}

// WarningName is a typhoon warning level's colour.
func WarningName(level int) string {
	if level < 0 || level >= len(WarningNames) {
		return strconv.Itoa(level)
	}
	return WarningNames[level]
}

// PestReport is a pest or disease seen on a tree of a species at a place.
type PestReport struct {
	Order   int64     `json:"order,omitempty"`
	Species string    `json:"species"`
	Pest    string    `json:"pest,omitempty"`
	Street  string    `json:"street,omitempty"`
	Lon     float64   `json:"lon"`
	Lat     float64   `json:"lat"`
	At      time.Time `json:"at"`
}

// Conditions are the live conditions a plan adapts to, read from the
// sensor pipeline, the weather feed and the work orders.
type Conditions struct {
	At time.Time `json:"at"`
	// Rain48h is the rain in the last 48 hours by street, mm; the key ""
	// is the district mean, used for streets without a gauge.
	Rain48h map[string]float64 `json:"rain_48h"`
	// DailyRain is the district's rain per day, oldest first, ending today.
	DailyRain []float64 `json:"daily_rain"`
	// Typhoon is the typhoon warning level in force (0 none … 5 red) and
	// where it came from.
	Typhoon       int          `json:"typhoon"`
	TyphoonSource string       `json:"typhoon_source,omitempty"`
	Pests         []PestReport `json:"pests"`
	// Notes say what was read (or not), for the plan's page.
	Notes []string `json:"notes"`
}

func (c Conditions) rain(street string) (float64, bool) {
	if v, ok := c.Rain48h[street]; ok {
		return v, true
	}
	v, ok := c.Rain48h[""]
	return v, ok
}

// dryDays counts the trailing days with rain below mm.
func (c Conditions) dryDays(mm float64) int {
	n := 0
	for i := len(c.DailyRain) - 1; i >= 0 && c.DailyRain[i] < mm; i-- {
		n++
	}
	return n
}

// Period is the span a plan covers.
type Period struct {
	Kind  string    `json:"kind"` // week, month
	Start time.Time `json:"start"`
	End   time.Time `json:"end"` // exclusive
}

// Week is the week (Monday to Sunday, Beijing time) holding t.
func Week(t time.Time) Period {
	t = t.In(Zone)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
	d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	return Period{Kind: "week", Start: d, End: d.AddDate(0, 0, 7)}
}

// Month is the calendar month holding t.
func Month(t time.Time) Period {
	t = t.In(Zone)
	d := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, Zone)
	return Period{Kind: "month", Start: d, End: d.AddDate(0, 1, 0)}
}

// Task is one line of a plan: work of one type on a set of trees, and
// why it exists.
type Task struct {
	Rule     string   `json:"rule"`
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Street   string   `json:"street"`
	Species  string   `json:"species,omitempty"`
	Trees    []string `json:"trees"`
	Count    int      `json:"count"`
	Priority float64  `json:"priority"`
	Due      string   `json:"due"` // YYYY-MM-DD
	Reasons  []string `json:"reasons"`
	// Skipped tasks stay in the plan with the reason they were dropped
	// (rain: no irrigation), so that the plan shows the adjustment.
	Skipped bool `json:"skipped,omitempty"`
}

// Plan is a generated maintenance plan.
type Plan struct {
	Period     Period     `json:"period"`
	Street     string     `json:"street,omitempty"` // "" for the whole district
	Generated  time.Time  `json:"generated"`
	Trees      int        `json:"trees"`
	Conditions Conditions `json:"conditions"`
	Tasks      []Task     `json:"tasks"`
	Status     string     `json:"status"` // the knowledge's review status
}

// PlanInput is what a plan is generated from.
type PlanInput struct {
	Trees      []Tree
	Knowledge  Knowledge
	Conditions Conditions
	Period     Period
	Street     string // only this street's trees when not ""
	Now        time.Time
}

type groupKey struct{ street, species string }

// Generate builds the plan: the knowledge's rules applied to the trees of
// the period's month, then adjusted by the live conditions. Tasks are
// ordered by priority (typhoon preparation first while a warning is in
// force), then street and species. Monthly rules in a weekly plan are
// spread over the month's weeks by street, so each week carries a share.
func Generate(in PlanInput) Plan {
	p := Plan{Period: in.Period, Street: in.Street, Generated: in.Now, Conditions: in.Conditions, Status: in.Knowledge.Status, Tasks: []Task{}}
	trees := in.Trees
	if in.Street != "" {
		trees = make([]Tree, 0, len(in.Trees)/8)
		for _, t := range in.Trees {
			if t.Street == in.Street {
				trees = append(trees, t)
			}
		}
	}
	p.Trees = len(trees)
	month := int(in.Period.Start.In(Zone).Month())
	if in.Period.Kind == "week" {
		// The week belongs to the month holding its Thursday.
		month = int(in.Period.Start.AddDate(0, 0, 3).In(Zone).Month())
	}
	weekDue := in.Period.End.AddDate(0, 0, -1).Format("2006-01-02")
	groups := map[groupKey][]int{}
	var keys []groupKey
	for i, t := range trees {
		k := groupKey{t.Street, t.Species}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.street, b.street), cmp.Compare(a.species, b.species))
	})
	streets := streetOrder(keys)
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for i, j := range idx {
			out[i] = trees[j].ID
		}
		return out
	}
	// inWeek says whether a monthly task of a street falls in this week.
	inWeek := func(street string) (bool, string) {
		if in.Period.Kind != "week" {
			return true, ""
		}
		first := Month(in.Period.Start.AddDate(0, 0, 3)).Start
		weeks := int(math.Ceil(float64(Month(first).End.Sub(Week(first).Start).Hours()/24) / 7))
		slot := streets[street] % max(weeks, 1)
		this := int(in.Period.Start.Sub(Week(first).Start).Hours() / 24 / 7)
		return slot == this, fmt.Sprintf("月度任务按街道分摊，%s排在本月第 %d 周", street, slot+1)
	}
	add := func(t Task) {
		t.Count = len(t.Trees)
		if t.Count == 0 {
			return
		}
		if t.Name == "" {
			t.Name = TaskName(t.Type)
		}
		p.Tasks = append(p.Tasks, t)
	}
	due := func(r Rule) string {
		if r.Frequency == "monthly" && in.Period.Kind == "month" {
			return in.Period.End.AddDate(0, 0, -1).Format("2006-01-02")
		}
		return weekDue
	}
	c := in.Conditions
	for _, r := range in.Knowledge.Rules {
		if r.Disabled || len(r.Months) > 0 && !slices.Contains(r.Months, month) {
			continue
		}
		base := Task{Rule: r.ID, Type: r.Task, Name: r.Name, Priority: float64(r.Priority), Due: due(r)}
		switch r.Condition {
		case "typhoon":
			minLevel := int(r.param("min_level", 2))
			if c.Typhoon < minLevel {
				continue
			}
			minRisk := r.param("min_risk", 45)
			sinceNow := in.Now.In(Zone).AddDate(0, 0, 1).Format("2006-01-02")
			for _, t := range trees {
				if !r.applies(t.Species, month) {
					continue
				}
				sp, ok := in.Knowledge.Species[t.Species]
				risk := TyphoonRisk(t, sp, ok)
				if risk.Score < minRisk && !t.Ancient {
					continue
				}
				why := []string{fmt.Sprintf("台风%s预警生效（%s）：%s", WarningName(c.Typhoon), c.TyphoonSource, r.Why),
					fmt.Sprintf("倒伏风险 %.0f 分（%s）", risk.Score, risk.Level)}
				for i, f := range risk.Factors {
					if i == 3 {
						break
					}
					why = append(why, fmt.Sprintf("%s %s +%.0f", f.Name, f.Value, f.Points))
				}
				if t.Ancient {
					why = append(why, "古树名木（"+t.AncientGrade+"），须加固保护")
				}
				task := base
				task.Street, task.Species, task.Trees, task.Reasons = t.Street, t.Species, []string{t.ID}, why
				task.Priority = float64(r.Priority) + risk.Score/10
				task.Due = sinceNow
				add(task)
			}
		case "pest_nearby":
			radius, days := r.param("radius_m", 300), r.param("days", 14)
			g := newGrid(trees)
			for _, rep := range c.Pests {
				if c.At.Sub(rep.At).Hours() > days*24 || !r.applies(rep.Species, month) {
					continue
				}
				byStreet := map[string][]int{}
				g.within(rep.Lon, rep.Lat, radius, func(i int) {
					if trees[i].Species == rep.Species {
						byStreet[trees[i].Street] = append(byStreet[trees[i].Street], i)
					}
				})
				for _, st := range sortedKeys(byStreet) {
					idx := byStreet[st]
					slices.Sort(idx)
					what := rep.Species
					if rep.Pest != "" {
						what += "发现" + rep.Pest
					} else {
						what += "发现虫害"
					}
					task := base
					task.Street, task.Species, task.Trees = st, rep.Species, ids(idx)
					task.Reasons = []string{fmt.Sprintf("%s %s%s（工单 %d）", rep.At.In(Zone).Format("01-02"), rep.Street, what, rep.Order),
						fmt.Sprintf("%s：半径 %.0f 米内同种树木 %d 株", r.Why, radius, len(idx))}
					add(task)
				}
			}
		case "drought":
			dd, mm := int(r.param("dry_days", 10)), r.param("rain_mm", 5)
			n := c.dryDays(mm)
			if len(c.DailyRain) == 0 || n < dd {
				continue
			}
			for _, k := range keys {
				sp := in.Knowledge.Species[k.species]
				if !r.applies(k.species, month) || sp.Water == "low" {
					continue
				}
				task := base
				task.Street, task.Species, task.Trees = k.street, k.species, ids(groups[k])
				task.Reasons = []string{fmt.Sprintf("已连续 %d 天日降雨不足 %.0f mm（阈值 %d 天）：%s", n, mm, dd, r.Why),
					"树种需水量：" + WaterName(sp.Water)}
				add(task)
			}
		default:
			for _, k := range keys {
				if !r.applies(k.species, month) {
					continue
				}
				sp, known := in.Knowledge.Species[k.species]
				idx := groups[k]
				var why []string
				skip := false
				switch r.Condition {
				case "prune_season":
					if !known || !slices.Contains(sp.PruneMonths, month) {
						continue
					}
					why = append(why, fmt.Sprintf("%s：%s修剪期为 %s 月", r.Why, k.species, monthList(sp.PruneMonths)))
					if sp.PruneNote != "" {
						why = append(why, sp.PruneNote)
					}
				case "pest_season":
					ps := sp.PestsIn(month)
					if !known || len(ps) == 0 {
						continue
					}
					for _, pe := range ps {
						why = append(why, fmt.Sprintf("%s：%s（%s 月）%s", r.Why, pe.Name, monthList(pe.Months), pe.Note))
					}
				case "fertilize_season":
					if !known || !slices.Contains(sp.FertilizeMonths, month) {
						continue
					}
					why = append(why, fmt.Sprintf("%s：%s施肥月份为 %s 月", r.Why, k.species, monthList(sp.FertilizeMonths)))
				case "weak":
					idx = filter(idx, func(i int) bool { return trees[i].Health == HealthWeak || trees[i].Health == HealthDying })
					why = append(why, r.Why)
				case "ancient":
					idx = filter(idx, func(i int) bool { return trees[i].Ancient })
					why = append(why, r.Why)
				case "water_need":
					if !known || sp.Water != "high" {
						continue
					}
					why = append(why, fmt.Sprintf("%s（%s需水量高）", r.Why, k.species))
					mm := r.param("rain_mm", 10)
					if got, ok := c.rain(k.street); ok && got >= mm {
						skip = true
						why = append(why, fmt.Sprintf("近 48 小时降雨 %.1f mm ≥ %.0f mm，本次跳过浇灌", got, mm))
					}
				default:
					continue
				}
				if len(idx) == 0 {
					continue
				}
				if r.Frequency == "monthly" {
					ok, note := inWeek(k.street)
					if !ok {
						continue
					}
					if note != "" {
						why = append(why, note)
					}
				}
				task := base
				task.Street, task.Species, task.Trees, task.Reasons, task.Skipped = k.street, k.species, ids(idx), why, skip
				if skip {
					task.Priority = 0
				}
				add(task)
			}
		}
	}
	slices.SortStableFunc(p.Tasks, func(a, b Task) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(a.Street, b.Street), cmp.Compare(a.Species, b.Species), cmp.Compare(a.Trees[0], b.Trees[0]))
	})
	return p
}

func filter(idx []int, keep func(int) bool) []int {
	var out []int
	for _, i := range idx {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func streetOrder(keys []groupKey) map[string]int {
	out := map[string]int{}
	for _, k := range keys {
		if _, ok := out[k.street]; !ok {
			out[k.street] = len(out)
		}
	}
	return out
}

func monthList(ms []int) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = strconv.Itoa(m)
	}
	return strings.Join(parts, "、")
}

// Summary counts a plan's trees per task type, skipped tasks apart.
func (p Plan) Summary() map[string]int {
	out := map[string]int{}
	for _, t := range p.Tasks {
		if !t.Skipped {
			out[t.Type] += t.Count
		}
	}
	return out
}
