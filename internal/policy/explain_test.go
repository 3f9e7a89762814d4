package policy

import (
	"strings"
	"testing"
)

func explain(t *testing.T, p Policy, fields map[string]any, on Day) (Match, Explanation) {
	t.Helper()
	set, err := Compile([]Policy{p}, CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prof := Profile{ID: "p", Kind: p.Target, Fields: fields}
	ev := NewEvaluator(set)
	m := ev.Evaluate(set.Policies[0], &prof, on)
	labels := Labeler(func(k string) string {
		return map[string]string{"birth_date": "出生日期", "hukou_city": "户籍城市", "employees": "从业人数"}[k]
	})
	return m, ev.Explain(set.Policies[0], &prof, on, labels)
}

var elderly = Policy{ID: "POL-101", Title: "高龄老人津贴", Target: Person, Expires: "2028-12-31",
	Conditions: []Condition{{Label: "年满80周岁", Expr: "age(birth_date) >= 80", Clause: "第三条"}, {Label: "具有深圳市户籍", Expr: `hukou_city == "深圳"`}},
	Benefit:    &Benefit{Label: "每月津贴", Expr: "200", Unit: "元/月"}}

// TestExplainAge: a 79-year-old learns when the allowance starts.
func TestExplainAge(t *testing.T) {
	t.Parallel()
	m, x := explain(t, elderly, map[string]any{"birth_date": "1947-03-02", "hukou_city": "深圳"}, MustDay("2026-12-03"))
	if m.Status != Ineligible || len(x.Hints) != 1 {
		t.Fatalf("%+v %+v", m, x)
	}
	h := x.Hints[0]
	if h.Text != "满80周岁后可领取，预计2027年3月" || h.From != "2027-03-02" || h.Clause != "第三条" || h.Values["birth_date"] != "1947-03-02" {
		t.Errorf("hint %+v", h)
	}
	if x.From != MustDay("2027-03-02") || x.FromStatus != Eligible || x.Expired ||
		x.Summary != "不符合：满80周岁后可领取，预计2027年3月。预计2027年3月2日起符合条件" {
		t.Errorf("explanation %+v", x)
	}
	// The day is right to the day: one day earlier the condition fails.
	if m, _ := explain(t, elderly, map[string]any{"birth_date": "1947-03-02", "hukou_city": "深圳"}, MustDay("2027-03-01")); m.Status != Ineligible {
		t.Errorf("on 2027-03-01: %s", m.Status)
	}
	if m, _ := explain(t, elderly, map[string]any{"birth_date": "1947-03-02", "hukou_city": "深圳"}, MustDay("2027-03-02")); m.Status != Eligible {
		t.Errorf("on 2027-03-02: %s", m.Status)
	}
	// Born too late for the policy's life: the day comes after expiry.
	_, x = explain(t, elderly, map[string]any{"birth_date": "1950-01-01", "hukou_city": "深圳"}, MustDay("2026-12-03"))
	if !x.Expired || !strings.HasSuffix(x.Summary, "但本政策2028年12月31日到期") {
		t.Errorf("after expiry: %+v", x)
	}
}

// TestExplainMissingAndFailing: unknown conditions name the facts to ask
// for by their labels; a failing comparison says what it wants.
func TestExplainMissingAndFailing(t *testing.T) {
	t.Parallel()
	m, x := explain(t, elderly, map[string]any{"hukou_city": "深圳"}, asOf)
	if m.Status != Possible || len(x.Missing) != 1 || x.Missing[0] != "birth_date" || x.Summary != "可能符合，还需确认：出生日期" {
		t.Errorf("possible: %+v", x)
	}
	_, x = explain(t, elderly, map[string]any{"birth_date": "1930-01-01", "hukou_city": "广州"}, asOf)
	if len(x.Hints) != 1 || x.Hints[0].Text != "不符合“具有深圳市户籍”（需户籍城市为“深圳”，当前广州）" || !x.From.IsZero() {
		t.Errorf("hukou: %+v", x)
	}
	p := Policy{ID: "E", Title: "e", Target: Enterprise, Conditions: []Condition{{Label: "10人以上", Expr: "10 <= employees"}}}
	_, x = explain(t, p, map[string]any{"employees": 5.0}, asOf)
	if x.Hints[0].Text != "不符合“10人以上”（需从业人数不少于10，当前5）" {
		t.Errorf("employees: %q", x.Hints[0].Text)
	}
	m, x = explain(t, elderly, map[string]any{"birth_date": "1930-01-01", "hukou_city": "深圳"}, asOf)
	if m.Status != Eligible || x.Summary != "符合全部条件，每月津贴 200元/月" {
		t.Errorf("eligible: %+v", x)
	}
}
