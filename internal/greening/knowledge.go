package greening

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Pest is a common pest or disease of a species and the months it appears.
type Pest struct {
	Name   string `json:"name"`
	Months []int  `json:"months"`
	Note   string `json:"note,omitempty"`
}

// Species is one entry of the species library: what maintenance needs to
// know about a tree or shrub.
type Species struct {
	Name  string `json:"name"`
	Latin string `json:"latin,omitempty"`
	Form  string `json:"form,omitempty"` // 乔木, 灌木
	// WindResistance is 1 (poor) … 5 (good).
	WindResistance  int    `json:"wind_resistance"`
	Root            string `json:"root,omitempty"` // 浅根, 深根
	PruneMonths     []int  `json:"prune_months"`
	PruneNote       string `json:"prune_note,omitempty"`
	Pests           []Pest `json:"pests,omitempty"`
	Water           string `json:"water"` // low, mid, high
	FertilizeMonths []int  `json:"fertilize_months,omitempty"`
	Notes           string `json:"notes,omitempty"`
	Reviewed        bool   `json:"reviewed,omitempty"` // an expert has reviewed this entry
}

// WaterName is a water need in Chinese.
func WaterName(w string) string {
	switch w {
	case "low":
		return "低（耐旱）"
	case "mid":
		return "中"
	case "high":
		return "高（喜湿）"
	}
	return w
}

func (s Species) validate() error {
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("%w: 树种名称为空", ErrInput)
	}
	if s.WindResistance < 1 || s.WindResistance > 5 {
		return fmt.Errorf("%w: %s 抗风性应为 1—5", ErrInput, s.Name)
	}
	switch s.Water {
	case "low", "mid", "high":
	default:
		return fmt.Errorf("%w: %s 需水量应为 low、mid 或 high", ErrInput, s.Name)
	}
	months := append(append([]int{}, s.PruneMonths...), s.FertilizeMonths...)
	for _, p := range s.Pests {
		months = append(months, p.Months...)
	}
	for _, m := range months {
		if m < 1 || m > 12 {
			return fmt.Errorf("%w: %s 月份 %d 不在 1—12", ErrInput, s.Name, m)
		}
	}
	return nil
}

// PestsIn lists the species' pests active in month.
func (s Species) PestsIn(month int) []Pest {
	var out []Pest
	for _, p := range s.Pests {
		if slices.Contains(p.Months, month) {
			out = append(out, p)
		}
	}
	return out
}

// Task types.
const (
	TaskTyphoonPrep    = "typhoon_prep"
	TaskPestInspect    = "pest_inspect"
	TaskIrrigate       = "irrigate"
	TaskAncientInspect = "ancient_inspect"
	TaskPrune          = "prune"
	TaskFertilize      = "fertilize"
	TaskRejuvenate     = "rejuvenate"
	TaskTopple         = "topple" // a tree down or about to fall
	TaskOther          = "other"
)

// TaskNames are the task types in Chinese.
var TaskNames = map[string]string{
	TaskTyphoonPrep: "防台预修剪加固", TaskPestInspect: "虫害巡查", TaskIrrigate: "浇灌",
	TaskAncientInspect: "古树名木巡查", TaskPrune: "修剪", TaskFertilize: "施肥",
	TaskRejuvenate: "复壮", TaskTopple: "倒伏/倾斜处置", TaskOther: "其他",
}

// TaskName is a task type's Chinese name.
func TaskName(t string) string {
	if n, ok := TaskNames[t]; ok {
		return n
	}
	return t
}

// ConditionKinds are the conditions a rule may name. What each means is fixed here; which task
// it yields, for which species and months, with what priority, threshold
// and explanation is the rule's data.
var ConditionKinds = map[string]string{
	"typhoon":          "台风预警达到 min_level 级，倒伏风险不低于 min_risk 的树木",
	"pest_nearby":      "近 days 天内 radius_m 米内有同种树木虫害报告",
	"drought":          "连续 dry_days 天日降雨不足 rain_mm",
	"water_need":       "喜湿树种，近 48 小时降雨不足 rain_mm",
	"ancient":          "古树名木",
	"prune_season":     "本月在树种修剪期内",
	"pest_season":      "本月有树种常见虫害高发",
	"fertilize_season": "本月在树种施肥月份内",
	"weak":             "健康等级为衰弱或濒死",
}

// Rule is one maintenance task rule.
type Rule struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Task      string             `json:"task"`
	Condition string             `json:"condition"`
	Species   []string           `json:"species,omitempty"` // empty: every species
	Months    []int              `json:"months,omitempty"`  // empty: every month
	Frequency string             `json:"frequency"`         // weekly, monthly
	Priority  int                `json:"priority"`
	Params    map[string]float64 `json:"params,omitempty"`
	Why       string             `json:"why"`
	Disabled  bool               `json:"disabled,omitempty"`
	Reviewed  bool               `json:"reviewed,omitempty"`
}

func (r Rule) param(name string, def float64) float64 {
	if v, ok := r.Params[name]; ok {
		return v
	}
	return def
}

func (r Rule) validate() error {
	if r.ID == "" || r.Name == "" {
		return fmt.Errorf("%w: 规则缺少编号或名称", ErrInput)
	}
	if _, ok := ConditionKinds[r.Condition]; !ok {
		return fmt.Errorf("%w: 规则 %s 的条件 %q 未定义", ErrInput, r.ID, r.Condition)
	}
	if _, ok := TaskNames[r.Task]; !ok {
		return fmt.Errorf("%w: 规则 %s 的任务类型 %q 未定义", ErrInput, r.ID, r.Task)
	}
	if r.Frequency != "weekly" && r.Frequency != "monthly" {
		return fmt.Errorf("%w: 规则 %s 的频次应为 weekly 或 monthly", ErrInput, r.ID)
	}
	for _, m := range r.Months {
		if m < 1 || m > 12 {
			return fmt.Errorf("%w: 规则 %s 月份 %d 不在 1—12", ErrInput, r.ID, m)
		}
	}
	return nil
}

func (r Rule) applies(species string, month int) bool {
	if r.Disabled {
		return false
	}
	if len(r.Months) > 0 && !slices.Contains(r.Months, month) {
		return false
	}
	return len(r.Species) == 0 || slices.Contains(r.Species, species)
}

// Knowledge is the species library and the task rules.
type Knowledge struct {
	Status  string             `json:"status,omitempty"` // e.g. the starter library's review note
	Species map[string]Species `json:"species"`
	Rules   []Rule             `json:"rules"`
}

//go:embed data/species.json
var starterSpecies []byte

//go:embed data/rules.json
var starterRules []byte

// StarterStatus marks the shipped library as unreviewed.
const StarterStatus = "起步数据，供园林专家审核修订"

// Starter is the embedded starter library for common south-China street
// trees and shrubs and its rules: a starting point for experts to review,
// not an authority.
func Starter() (Knowledge, error) {
	var sp struct {
		Status  string    `json:"status"`
		Species []Species `json:"species"`
	}
	if err := json.Unmarshal(starterSpecies, &sp); err != nil {
		return Knowledge{}, fmt.Errorf("starter species: %w", err)
	}
	var rs struct {
		Rules []Rule `json:"rules"`
	}
	if err := json.Unmarshal(starterRules, &rs); err != nil {
		return Knowledge{}, fmt.Errorf("starter rules: %w", err)
	}
	k := Knowledge{Status: StarterStatus, Species: map[string]Species{}, Rules: rs.Rules}
	for _, s := range sp.Species {
		if err := s.validate(); err != nil {
			return Knowledge{}, err
		}
		k.Species[s.Name] = s
	}
	for _, r := range k.Rules {
		if err := r.validate(); err != nil {
			return Knowledge{}, err
		}
	}
	return k, nil
}

// SpeciesNames lists the library's species, sorted.
func (k Knowledge) SpeciesNames() []string {
	out := make([]string, 0, len(k.Species))
	for n := range k.Species {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
