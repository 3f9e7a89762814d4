package greening

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func starter(t testing.TB) Knowledge {
	t.Helper()
	k, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func planTrees() []Tree {
	return []Tree{
		{ID: "A1", Species: "凤凰木", Height: 16, Crown: 16, DBH: 40, Lean: 20, RootSpace: 1, Decay: 2, Target: "school", Street: "莲花街道", Lon: 114.0500, Lat: 22.5500, Health: "C"},
		{ID: "A2", Species: "扁桃", Height: 8, Crown: 5, DBH: 30, Lean: 0, RootSpace: 4, Street: "莲花街道", Lon: 114.0510, Lat: 22.5500, Health: "A"},
		{ID: "A3", Species: "榕树", Height: 12, Crown: 12, DBH: 45, Lean: 8, RootSpace: 1.2, Target: "road", Street: "莲花街道", Lon: 114.0502, Lat: 22.5502, Health: "A"},
		{ID: "A4", Species: "榕树", Height: 12, Crown: 12, DBH: 45, Lean: 2, RootSpace: 2, Target: "road", Street: "福田街道", Lon: 114.0700, Lat: 22.5300, Health: "B"},
		{ID: "A5", Species: "尖叶杜英", Height: 10, Crown: 5, DBH: 25, Street: "福田街道", Lon: 114.0710, Lat: 22.5300, Health: "A"},
		{ID: "A6", Species: "秋枫", Height: 20, Crown: 20, DBH: 150, Street: "福田街道", Lon: 114.0720, Lat: 22.5300, Health: "A", Ancient: true, AncientGrade: "一级", RootSpace: 40},
	}
}

func TestTyphoonRiskExplains(t *testing.T) {
	t.Parallel()
	k := starter(t)
	trees := planTrees()
	bad := TyphoonRisk(trees[0], k.Species["凤凰木"], true)
	good := TyphoonRisk(trees[1], k.Species["扁桃"], true)
	if bad.Score <= good.Score || bad.Level != "高" {
		t.Fatalf("凤凰木 %v vs 扁桃 %v", bad, good)
	}
	var sum float64
	names := map[string]bool{}
	for i, f := range bad.Factors {
		sum += f.Points
		names[f.Name] = true
		if i > 0 && f.Points > bad.Factors[i-1].Points {
			t.Errorf("factors not largest first: %v", bad.Factors)
		}
	}
	if math.Abs(sum-bad.Score) > 0.5 {
		t.Errorf("factors sum %.1f, score %.1f", sum, bad.Score)
	}
	for _, n := range []string{"树种抗风性", "倾斜", "根系空间", "腐朽", "下方目标", "根系类型"} {
		if !names[n] {
			t.Errorf("factor %s missing: %v", n, bad.Factors)
		}
	}
	unknown := TyphoonRisk(Tree{ID: "X", Species: "不存在", Height: 5}, Species{}, false)
	if !strings.Contains(unknown.Factors[0].Value, "树种库无此树种") {
		t.Errorf("unknown species not said: %v", unknown.Factors)
	}
	ranked := RankTyphoon(trees, k, 2)
	if len(ranked) != 2 || ranked[0].Tree != "A1" {
		t.Errorf("ranking %v", ranked)
	}
}

func TestPestRisk(t *testing.T) {
	t.Parallel()
	k := starter(t)
	trees := planTrees()
	c := Conditions{At: testNow, Pests: []PestReport{{Species: "榕树", Lon: 114.0501, Lat: 22.5501, At: testNow.Add(-48 * time.Hour)}}}
	rs := RankPest(trees, k, c, 7, 0)
	if rs[0].Tree != "A3" {
		t.Fatalf("top pest risk %v", rs[0])
	}
	var a4 Risk
	for _, r := range rs {
		if r.Tree == "A4" {
			a4 = r
		}
	}
	if a4.Score >= rs[0].Score || len(a4.Factors) == 0 || a4.Factors[0].Name != "高发季节" {
		t.Errorf("A4 (far away, same species) = %v", a4)
	}
}

func findTasks(p Plan, typ string) []Task {
	var out []Task
	for _, t := range p.Tasks {
		if t.Type == typ {
			out = append(out, t)
		}
	}
	return out
}

func TestGenerateSeasonal(t *testing.T) {
	t.Parallel()
	k := starter(t)
	p := Generate(PlanInput{Trees: planTrees(), Knowledge: k, Period: Month(testNow), Now: testNow})
	if len(p.Tasks) == 0 {
		t.Fatal("empty plan")
	}
	for _, task := range p.Tasks {
		if len(task.Reasons) == 0 || task.Count != len(task.Trees) {
			t.Errorf("task without reasons or count: %+v", task)
		}
	}
	pests := findTasks(p, TaskPestInspect)
	if len(pests) == 0 || !strings.Contains(strings.Join(pests[0].Reasons, ""), "月") {
		t.Errorf("July pest inspections: %+v", pests)
	}
	anc := findTasks(p, TaskAncientInspect)
	if len(anc) != 1 || anc[0].Trees[0] != "A6" || !strings.Contains(anc[0].Reasons[0], "第二十四条") {
		t.Errorf("ancient inspection %+v", anc)
	}
	weak := findTasks(p, TaskRejuvenate)
	if len(weak) != 1 || weak[0].Trees[0] != "A1" {
		t.Errorf("rejuvenation %+v", weak)
	}
	if len(findTasks(p, TaskTyphoonPrep)) != 0 {
		t.Error("typhoon tasks without a warning")
	}
	// 大叶紫薇 is pruned in winter: no pruning for it in July, and 宫粉紫荆
	// is not in the inventory at all.
	for _, task := range findTasks(p, TaskPrune) {
		if task.Species == "大叶紫薇" || task.Species == "宫粉紫荆" {
			t.Errorf("pruning out of season: %+v", task)
		}
	}
}

func TestGenerateAdjustsToConditions(t *testing.T) {
	t.Parallel()
	k := starter(t)
	dec := time.Date(2026, 12, 9, 9, 0, 0, 0, Zone)
	week := Week(dec)
	if week.Start.Weekday() != time.Monday || week.Start.Day() != 7 {
		t.Fatalf("week %v", week)
	}
	in := PlanInput{Trees: planTrees(), Knowledge: k, Period: week, Now: dec}

	// Rain: the 尖叶杜英 (high water need, dry season) is not irrigated.
	in.Conditions = Conditions{At: dec, Rain48h: map[string]float64{"": 2, "福田街道": 18}}
	p := Generate(in)
	irr := findTasks(p, TaskIrrigate)
	if len(irr) != 2 { // 尖叶杜英 and 秋枫 need much water
		t.Fatalf("irrigation tasks %+v", irr)
	}
	for _, task := range irr {
		if !task.Skipped || !strings.Contains(strings.Join(task.Reasons, ""), "18.0 mm ≥ 10 mm，本次跳过浇灌") {
			t.Fatalf("rain should skip irrigation: %+v", task)
		}
	}
	if p.Tasks[len(p.Tasks)-1].Rule != irr[0].Rule {
		t.Errorf("a skipped task should sort last: %+v", p.Tasks[len(p.Tasks)-1])
	}
	if p.Summary()[TaskIrrigate] != 0 {
		t.Errorf("summary counts skipped irrigation")
	}

	// Drought: twelve dry days irrigate every species but the drought-hardy.
	in.Conditions = Conditions{At: dec, Rain48h: map[string]float64{"": 0}, DailyRain: append([]float64{30}, make([]float64, 12)...)}
	p = Generate(in)
	var drought []Task
	for _, task := range findTasks(p, TaskIrrigate) {
		if task.Rule == "drought-irrigate" {
			drought = append(drought, task)
		}
	}
	if len(drought) == 0 || !strings.Contains(drought[0].Reasons[0], "已连续 12 天") {
		t.Fatalf("drought irrigation %+v", drought)
	}
	for _, task := range drought {
		if task.Species == "凤凰木" {
			t.Errorf("drought-hardy 凤凰木 irrigated")
		}
	}

	// Typhoon: a yellow warning puts the riskiest trees first, with why.
	before := Generate(PlanInput{Trees: planTrees(), Knowledge: k, Period: week, Now: dec})
	in.Conditions = Conditions{At: dec, Typhoon: 3, TyphoonSource: "莲花山气象站"}
	p = Generate(in)
	if p.Tasks[0].Type != TaskTyphoonPrep || p.Tasks[0].Trees[0] != "A1" {
		t.Fatalf("first task %+v", p.Tasks[0])
	}
	if !strings.Contains(p.Tasks[0].Reasons[0], "黄色预警") || !strings.Contains(strings.Join(p.Tasks[0].Reasons, ""), "倒伏风险") {
		t.Errorf("typhoon reasons %v", p.Tasks[0].Reasons)
	}
	if before.Tasks[0].Type == TaskTyphoonPrep {
		t.Error("typhoon task without a warning")
	}
	var order []string
	for _, task := range findTasks(p, TaskTyphoonPrep) {
		order = append(order, task.Trees[0])
	}
	if !slices.Contains(order, "A6") { // ancient trees are braced whatever their score
		t.Errorf("ancient tree not braced: %v", order)
	}
	if slices.Contains(order, "A2") {
		t.Errorf("low-risk 扁桃 in the typhoon tasks: %v", order)
	}

	// A pest report: same species within the radius only.
	in.Conditions = Conditions{At: dec, Pests: []PestReport{{Order: 9, Species: "榕树", Pest: "榕管蓟马", Street: "莲花街道", Lon: 114.0501, Lat: 22.5501, At: dec.Add(-24 * time.Hour)},
		{Order: 10, Species: "榕树", Lon: 114.0501, Lat: 22.5501, At: dec.Add(-40 * 24 * time.Hour)}}}
	p = Generate(in)
	var near []Task
	for _, task := range findTasks(p, TaskPestInspect) {
		if task.Rule == "pest-nearby" {
			near = append(near, task)
		}
	}
	if len(near) != 1 || !slices.Equal(near[0].Trees, []string{"A3"}) || !strings.Contains(near[0].Reasons[0], "工单 9") {
		t.Errorf("pest-nearby tasks %+v", near)
	}
}

func TestMonthlyTasksSpreadOverWeeks(t *testing.T) {
	t.Parallel()
	k := starter(t)
	d := GenerateDemo(1, 2000, 10)
	month := Generate(PlanInput{Trees: d.Trees, Knowledge: k, Period: Month(testNow), Now: testNow})
	var weekly int
	for w := Week(Month(testNow).Start); w.Start.Before(Month(testNow).End); w = Week(w.End) {
		p := Generate(PlanInput{Trees: d.Trees, Knowledge: k, Period: w, Now: w.Start})
		weekly += len(findTasks(p, TaskPrune))
	}
	if got := len(findTasks(month, TaskPrune)); got == 0 || weekly != got {
		t.Errorf("monthly prune tasks %d, spread over weeks %d", got, weekly)
	}
}

func TestGenerateDemoDeterministic(t *testing.T) {
	t.Parallel()
	a, b := GenerateDemo(7, 3000, 30), GenerateDemo(7, 3000, 30)
	if len(a.Trees) != 3000 || len(a.Spaces) != 30 || !slices.Equal(a.Trees, b.Trees) {
		t.Fatal("demo not deterministic or wrong size")
	}
	ancient := 0
	for _, tr := range a.Trees {
		tr := tr
		if err := tr.normalise(); err != nil {
			t.Fatalf("demo tree %s invalid: %v", tr.ID, err)
		}
		if !tr.Synthetic {
			t.Fatal("demo tree not marked synthetic")
		}
		if tr.Ancient {
			ancient++
		}
	}
	if ancient == 0 {
		t.Error("no ancient trees in the demo")
	}
}
