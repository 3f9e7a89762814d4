package risk

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// FireIndicator is one static fire-risk indicator of a community: how
// its raw value is read and scaled to 0–1.
type FireIndicator struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Lo is the value that counts as no risk, Hi the value at and beyond
	// which the indicator is saturated (1).
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Basis string  `json:"basis,omitempty"` // the regulation behind it, when one is
}

// Norm scales a raw value to 0–1.
func (f FireIndicator) Norm(v float64) float64 {
	return clamp((v-f.Lo)/(f.Hi-f.Lo), 0, 1)
}

// FireIndicators are the default indicators, most important first (the
// order of the AHP judgments below). The scales are the demo's choice,
// to be set by the district.
var FireIndicators = []FireIndicator{
	{"old_dense", "城中村握手楼占比", "%", 0, 60, ""},
	{"ebike", "电动自行车违规充电报告", "起/千户·季度", 0, 10, "《广东省实施〈中华人民共和国消防法〉办法》第二十五条：禁止在楼梯间等室内场所为电动自行车充电"},
	{"small_venues", "三小场所密度", "处/千人", 0, 20, ""},
	{"open_findings", "未整改隐患", "项/百处场所", 0, 10, "《消防法》第十六条：组织防火检查，及时消除火灾隐患"},
	{"past_incidents", "近三年火灾", "起/千户", 0, 3, ""},
	{"elderly_alone", "独居老人", "人/千人", 0, 30, ""},
	{"station_time", "消防站到场时间", "分钟", 4, 15, ""},
	{"hydrant", "低压消火栓占比", "%", 0, 30, ""},
	{"smoke_alarms", "烟感报警", "次/千户·月", 0, 5, ""},
}

// FireJudgments are the demo's AHP pairwise judgments over FireIndicators
// (upper triangle, Saaty's scale), from an importance score per indicator
// (9, 8, 7, 6, 5, 5, 4, 3, 3) as a_ij = 1 + s_i − s_j. They stand in for
// an expert panel's and are to be replaced by the district's.
var FireJudgments = [][]float64{
	{2, 3, 4, 5, 5, 6, 7, 7},
	{2, 3, 4, 4, 5, 6, 6},
	{2, 3, 3, 4, 5, 5},
	{2, 2, 3, 4, 4},
	{1, 2, 3, 3},
	{2, 3, 3},
	{2, 2},
	{1},
}

// Weather is the day's dynamic fire conditions.
type Weather struct {
	Humidity float64 `json:"humidity"` // %, relative
	Wind     float64 `json:"wind"`     // m/s
	Temp     float64 `json:"temp"`     // °C, daily maximum
	Holiday  bool    `json:"holiday"`  // festivals: fireworks, cooking, empty workshops
	Known    bool    `json:"known"`    // false: no weather data, no dynamic factor
}

// FireCommunity is one community's fire indicators (raw values by key)
// and its live alarms.
type FireCommunity struct {
	ID     string             `json:"id"`
	Name   string             `json:"name"`
	Street string             `json:"street"`
	Values map[string]float64 `json:"values"`
	// Alarms are smoke-alarm or hydrant-pressure alarms open now: each
	// raises the index at once.
	Alarms int `json:"alarms"`
	// AlarmNotes say what each open alarm is (device and reading).
	AlarmNotes []string `json:"alarm_notes,omitempty"`
	Synthetic  bool     `json:"synthetic"`
}

// FireModel weighs the indicators.
type FireModel struct {
	Indicators []FireIndicator
	AHP        AHP
	// AlarmPoints are added per open alarm (at most three count).
	AlarmPoints float64
}

// NewFireModel weighs indicators by the judgments (AHP, consistency
// checked).
func NewFireModel(ind []FireIndicator, judgments [][]float64) (FireModel, error) {
	for _, f := range ind {
		if !(f.Hi > f.Lo) {
			return FireModel{}, fmt.Errorf("%w: fire indicator %s: Hi must exceed Lo", ErrInput, f.Key)
		}
	}
	ahp, err := Weigh(len(ind), judgments)
	if err != nil {
		return FireModel{}, err
	}
	return FireModel{Indicators: ind, AHP: ahp, AlarmPoints: 15}, nil
}

// DefaultFireModel is the model of FireIndicators and FireJudgments.
func DefaultFireModel() FireModel {
	m, err := NewFireModel(FireIndicators, FireJudgments)
	if err != nil {
		panic(err) // the shipped judgments are consistent (TestFireJudgmentsConsistent)
	}
	return m
}

// FireScore is a community's fire risk index with its explanation.
type FireScore struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Street  string   `json:"street"`
	Index   float64  `json:"index"` // 0–100
	Level   Level    `json:"level"`
	Rank    int      `json:"rank"`
	Factors []Factor `json:"factors"` // each indicator's contribution, largest first
	Missing []string `json:"missing,omitempty"`
}

// Score computes a community's index: 100 × Σ wᵢ·xᵢ over the normalised
// indicators, multiplied by the weather (dry air, wind, heat, holidays
// each add up to 10–15 %), plus the open alarms; capped at 100, the
// contributions scaled with it. A missing indicator counts as 0 and is
// listed, never silently.
func (m FireModel) Score(c FireCommunity, w Weather) FireScore {
	out := FireScore{ID: c.ID, Name: c.Name, Street: c.Street}
	var fs []Factor
	var static float64
	for i, ind := range m.Indicators {
		v, ok := c.Values[ind.Key]
		if !ok || math.IsNaN(v) {
			out.Missing = append(out.Missing, ind.Name)
			continue
		}
		pts := 100 * m.AHP.Weights[i] * ind.Norm(v)
		static += pts
		if pts > 0 {
			fs = append(fs, Factor{Key: ind.Key, Name: ind.Name, Points: pts,
				Detail: fmt.Sprintf("%g %s（权重 %.3f）", v, ind.Unit, m.AHP.Weights[i])})
		}
	}
	if w.Known {
		dyn := []struct {
			key, name string
			add       float64
			detail    string
		}{
			{"humidity", "空气干燥", 0.15 * clamp((60-w.Humidity)/30, 0, 1), fmt.Sprintf("相对湿度 %.0f%%", w.Humidity)},
			{"wind", "大风", 0.10 * clamp((w.Wind-3)/7, 0, 1), fmt.Sprintf("风速 %.1f m/s", w.Wind)},
			{"heat", "高温用电", 0.10 * clamp((w.Temp-30)/8, 0, 1), fmt.Sprintf("最高气温 %.0f °C", w.Temp)},
			{"holiday", "节假日", map[bool]float64{true: 0.10}[w.Holiday], "节假日"},
		}
		for _, d := range dyn {
			if d.add > 0 && static > 0 {
				fs = append(fs, Factor{Key: d.key, Name: d.name, Points: static * d.add, Detail: d.detail})
			}
		}
	}
	if n := min(c.Alarms, 3); n > 0 {
		detail := fmt.Sprintf("%d 个烟感/水压报警未处置", c.Alarms)
		if c.Alarms > 3 {
			detail += "（最多计 3 个）"
		}
		if len(c.AlarmNotes) > 0 {
			detail += "：" + alarmNotes(c.AlarmNotes)
		}
		fs = append(fs, Factor{Key: "alarms", Name: "实时报警", Points: float64(n) * m.AlarmPoints, Detail: detail})
	}
	var total float64
	for _, f := range fs {
		total += f.Points
	}
	scale := 1.0
	if total > 100 {
		scale = 100 / total
	}
	for i := range fs {
		fs[i].Points = round2(fs[i].Points * scale)
		if total > 0 {
			fs[i].Share = round2(fs[i].Points / (total * scale))
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Points > fs[j].Points })
	out.Index = round2(total * scale)
	out.Factors = fs
	out.Level = FireLevel(out.Index)
	return out
}

// FireLevel maps an index to a level: 红 ≥ 60, 橙 ≥ 45, 黄 ≥ 30, 蓝 ≥ 15.
func FireLevel(index float64) Level {
	switch {
	case index >= 60:
		return Red
	case index >= 45:
		return Orange
	case index >= 30:
		return Yellow
	case index >= 15:
		return Blue
	}
	return None
}

// Rank scores every community and orders them, highest index first
// (ties by id), numbering the ranks.
func (m FireModel) Rank(cs []FireCommunity, w Weather) []FireScore {
	out := make([]FireScore, len(cs))
	for i, c := range cs {
		out[i] = m.Score(c, w)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Index != out[j].Index {
			return out[i].Index > out[j].Index
		}
		return out[i].ID < out[j].ID
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// FireTask is an inspection task for a top-ranked community.
type FireTask struct {
	Community string `json:"community"`
	Text      string `json:"text"`
	Basis     string `json:"basis,omitempty"`
}

// FireTasks proposes inspections for the top n communities of a ranking,
// aimed at the indicators that drive each score.
func (m FireModel) FireTasks(ranked []FireScore, n int) []FireTask {
	var out []FireTask
	byKey := map[string]FireIndicator{}
	for _, ind := range m.Indicators {
		byKey[ind.Key] = ind
	}
	texts := map[string]string{
		"old_dense":      "排查城中村握手楼的消防通道、疏散出口和电气线路",
		"ebike":          "检查楼道、楼梯间电动自行车停放与充电，清理违规充电",
		"small_venues":   "抽查三小场所（小商铺、小作坊、小娱乐场所）住人、用火用电",
		"open_findings":  "复查未整改火灾隐患，督促限期整改",
		"past_incidents": "回访近年火灾点位，检查整改是否到位",
		"elderly_alone":  "上门检查独居老人家中用火用电并安装独立式烟感",
		"station_time":   "检查微型消防站器材与值守，缩短先期处置时间",
		"hydrant":        "联系供水部门排查低压消火栓",
		"smoke_alarms":   "核查烟感报警点位，排除隐患或故障",
		"alarms":         "立即到场核查未处置的报警",
	}
	for _, s := range ranked[:min(n, len(ranked))] {
		var parts []string
		for _, f := range s.Factors {
			if t, ok := texts[f.Key]; ok && len(parts) < 2 {
				out = append(out, FireTask{Community: s.ID, Text: t, Basis: byKey[f.Key].Basis})
				parts = append(parts, t)
			}
		}
	}
	return out
}

// AUC is the area under the ROC curve of scores against outcomes (the
// chance that a community with an incident outranks one without; ties
// count half); NaN when either class is empty.
func AUC(scores []float64, positive []bool) float64 {
	var pos, neg []float64
	for i, s := range scores {
		if positive[i] {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	var wins float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				wins++
			case p == n:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(pos)*len(neg))
}

// FireValidation is how well a ranking foresaw the incidents that came.
type FireValidation struct {
	Communities int     `json:"communities"`
	WithFire    int     `json:"with_fire"`
	Incidents   int     `json:"incidents"`
	AUC         float64 `json:"auc"`
	TopN        int     `json:"top_n"`        // the top 10 % of communities, at least 1
	TopHits     int     `json:"top_hits"`     // incidents in those communities
	TopHitRate  float64 `json:"top_hit_rate"` // their share of all incidents
	Synthetic   bool    `json:"synthetic"`    // the incidents are synthetic
	Note        string  `json:"note,omitempty"`
}

// Validate scores a ranking against incidents per community.
func Validate(ranked []FireScore, incidents map[string]int, synthetic bool) FireValidation {
	v := FireValidation{Communities: len(ranked), Synthetic: synthetic}
	scores := make([]float64, len(ranked))
	pos := make([]bool, len(ranked))
	for i, s := range ranked {
		scores[i], pos[i] = s.Index, incidents[s.ID] > 0
		if pos[i] {
			v.WithFire++
		}
		v.Incidents += incidents[s.ID]
	}
	auc := AUC(scores, pos)
	v.TopN = max(1, int(math.Round(float64(len(ranked))/10)))
	for _, s := range ranked[:min(v.TopN, len(ranked))] {
		v.TopHits += incidents[s.ID]
	}
	if v.Incidents > 0 {
		v.TopHitRate = round2(float64(v.TopHits) / float64(v.Incidents))
	}
	if synthetic {
		v.Note = "合成火灾记录（演示），不代表真实情况"
	}
	if math.IsNaN(auc) {
		v.Note = strings.TrimSpace(v.Note + " 无法计算 AUC：有火灾与无火灾的社区须各至少一个")
	} else {
		v.AUC = round2(auc)
	}
	return v
}
