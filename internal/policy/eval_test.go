package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var asOf = MustDay("2026-06-01")

// condition evaluates one condition on fields (id and kind added).
func condition(t *testing.T, expr string, fields map[string]any) ConditionResult {
	t.Helper()
	set, err := Compile([]Policy{{ID: "T", Title: "t", Target: Person, Conditions: []Condition{{Label: "c", Expr: expr}}}}, CompileOptions{})
	if err != nil {
		t.Fatalf("compile %q: %v", expr, err)
	}
	f := map[string]any{"id": "p", "kind": "person"}
	for k, v := range fields {
		f[k] = v
	}
	p := Profile{ID: "p", Kind: Person, Fields: f}
	m := NewEvaluator(set).Evaluate(set.Policies[0], &p, asOf)
	return m.Conditions[0]
}

// TestThreeValued: a leaf reading a field that is absent or null is
// unknown; && and || decide when one side decides, whatever the other.
func TestThreeValued(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	for _, c := range []struct {
		expr   string
		fields map[string]any
		want   Result
	}{
		{`a`, nil, Unknown},
		{`a`, map[string]any{"a": nil}, Unknown},
		{`a`, map[string]any{"a": yes}, Pass},
		{`a == nil`, nil, Unknown}, // absent is unknown, not nil
		{`a && b`, map[string]any{"a": no}, Fail},
		{`b && a`, map[string]any{"a": no}, Fail},
		{`a && b`, map[string]any{"a": yes}, Unknown},
		{`a && b`, map[string]any{"a": yes, "b": yes}, Pass},
		{`a || b`, map[string]any{"b": yes}, Pass},
		{`a || b`, map[string]any{"a": yes}, Pass},
		{`a || b`, map[string]any{"a": no}, Unknown},
		{`a || b`, map[string]any{"a": no, "b": no}, Fail},
		{`!a`, nil, Unknown},
		{`not a`, map[string]any{"a": no}, Pass},
		{`!(a || b)`, map[string]any{"b": yes}, Fail},
		{`a and (b or c)`, map[string]any{"a": yes, "c": yes}, Pass},
		{`x > 5 ? y : z`, map[string]any{"y": yes, "z": yes}, Pass}, // both branches agree
		{`x > 5 ? y : z`, map[string]any{"y": yes, "z": no}, Unknown},
		{`x > 5 ? y : z`, map[string]any{"x": 1.0, "z": no}, Fail},
		{`(a ?? false)`, nil, Fail},
		{`a ?? false`, map[string]any{"a": yes}, Pass},
		{`h.size >= 3`, map[string]any{"h": map[string]any{"size": 4.0}}, Pass},
		{`h.size >= 3`, map[string]any{"h": map[string]any{}}, Unknown},
		{`h.size >= 3`, map[string]any{"h": map[string]any{"size": nil}}, Unknown},
		{`age(birth_date) >= 80`, map[string]any{"birth_date": "1946-06-01"}, Pass},
		{`age(birth_date) >= 80`, map[string]any{"birth_date": "1946-06-02"}, Fail},
		{`days_until(deadline) >= 0`, map[string]any{"deadline": "2026-06-01"}, Pass},
		{`months_since(since) >= 6`, map[string]any{"since": "2025-12-01"}, Pass},
		{`city in ["深圳", "广州"]`, map[string]any{"city": "深圳"}, Pass},
		{`let n = x * 2; n > 3`, map[string]any{"x": 2.0}, Pass},
		{`any(kids, {# < 3})`, map[string]any{"kids": []any{1.0, 7.0}}, Pass},
		{`all(kids, {# < limit})`, map[string]any{"kids": []any{1.0}}, Unknown}, // limit is a field
		{`employees >= 10`, map[string]any{"employees": 35.0}, Pass},
		{`employees >= 10`, map[string]any{"employees": 35}, Pass}, // ints from Go callers
	} {
		if got := condition(t, c.expr, c.fields); got.Result != c.want || got.Error != "" {
			t.Errorf("%s with %v = %s %q, want %s", c.expr, c.fields, got.Result, got.Error, c.want)
		}
	}
}

// TestEvaluationErrors: values the expression cannot work with make the
// condition unknown with a message, never a panic or a wrong answer.
func TestEvaluationErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		expr   string
		fields map[string]any
		want   string
	}{
		{`employees > "50"`, map[string]any{"employees": 35.0}, "float64 > string"},
		{`revenue / employees > 1`, map[string]any{"revenue": 1.0, "employees": 0.0}, "division by zero"},
		{`revenue % employees == 0`, map[string]any{"revenue": 1.0, "employees": 0.0}, "division by zero"},
		{`age(birth_date) > 3`, map[string]any{"birth_date": "1990-02-30"}, "age: \"1990-02-30\" is not a day of the calendar"},
		{`age(birth_date) > 3`, map[string]any{"birth_date": 1990.0}, "wants a date"},
		{`age(birth_date) > 3`, map[string]any{"birth_date": "1990/01/01"}, "not a date YYYY-MM-DD"},
		{`flag && true`, map[string]any{"flag": "yes"}, "not true or false"},
		{`x + 1`, map[string]any{"x": 1.0}, "not true or false"},
		{`h.size > 1`, map[string]any{"h": "text"}, ""},
	} {
		got := condition(t, c.expr, c.fields)
		if got.Result != Unknown || got.Error == "" || !strings.Contains(got.Error, c.want) {
			t.Errorf("%s with %v = %s %q, want unknown with %q", c.expr, c.fields, got.Result, got.Error, c.want)
		}
	}
}

// TestCompileErrors: every expression that cannot work is refused before
// anything is matched, naming the policy and the condition.
func TestCompileErrors(t *testing.T) {
	t.Parallel()
	types := map[string]FieldType{"employees": TypeNumber, "hukou_city": TypeText}
	for _, c := range []struct {
		expr string
		want string
	}{
		{`age(birth_date >= 80`, "unexpected token"},
		{`agee(birth_date) >= 80`, "unknown function agee"},
		{`age(a, b) > 1`, "age takes one date, got 2"},
		{`"a" > 5`, "mismatched types string and int"},
		{`employees > "10"`, "mismatched types float64 and string"},
		{`hukou_city + 1 > 2`, "mismatched types string and int"},
		{`1 + 2`, "expected bool"},
		{`$env.a`, "$env is not allowed"},
		{`__asof > 1`, "reserved"},
		{`now() > 1`, "reads the clock"},
		{`x.upper()`, "only the functions"},
		{``, "no expr"},
	} {
		_, err := Compile([]Policy{{ID: "P-9", Title: "t", Target: Person, Conditions: []Condition{
			{Label: "first", Expr: "true"}, {Label: "第二条件", Expr: c.expr}}}}, CompileOptions{Types: types, Lines: []int{7}})
		var ce CompileErrors
		if !errors.As(err, &ce) || len(ce) != 1 {
			t.Errorf("%q: %v, want one compile error", c.expr, err)
			continue
		}
		msg := ce[0].Error()
		if !strings.HasPrefix(msg, `line 7: policy P-9`) || !strings.Contains(msg, "condition 2") || !strings.Contains(msg, c.want) {
			t.Errorf("%q: %q, want %q", c.expr, msg, c.want)
		}
	}
	_, err := Compile([]Policy{{ID: "P-1", Title: "t", Target: Person, Benefit: &Benefit{Expr: "1 +"}}}, CompileOptions{})
	if err == nil || !strings.Contains(err.Error(), "policy P-1 benefit:") {
		t.Errorf("benefit: %v", err)
	}
}

// matchAll matches profiles (JSON lines) against policies (JSON lines).
func matchAll(t *testing.T, policies, profiles string, all bool) []Match {
	t.Helper()
	set, err := LoadPolicies(strings.NewReader(policies), "policies.jsonl", CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(set)
	var out []Match
	probs, err := ReadProfiles(strings.NewReader(profiles), "profiles.jsonl", func(_ int, p Profile) {
		out = ev.MatchProfile(&p, asOf, all, out)
	})
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	return out
}

func summarize(ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Profile + " " + m.Policy + " " + string(m.Status))
		if m.Amount != nil {
			j, _ := json.Marshal(*m.Amount)
			b.WriteString(" " + string(j))
		}
		if m.Chosen != nil {
			if *m.Chosen {
				b.WriteString(" chosen")
			} else {
				b.WriteString(" excluded_by=" + m.ExcludedBy)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestExclusiveGroups: the eligible match with the largest amount is
// chosen, the first in file order on a tie; a match with no amount ranks
// last; possible matches and a lone eligible match carry no keys.
func TestExclusiveGroups(t *testing.T) {
	t.Parallel()
	policies := `{"id":"A","title":"a","target":"person","conditions":[{"label":"x","expr":"x >= 1"}],"benefit":{"expr":"x * 100"},"exclusive":"g"}
{"id":"B","title":"b","target":"person","conditions":[{"label":"x","expr":"x >= 2"}],"benefit":{"expr":"300"},"exclusive":"g"}
{"id":"C","title":"c","target":"person","conditions":[{"label":"y","expr":"y"}],"exclusive":"g"}
{"id":"D","title":"d","target":"person","conditions":[{"label":"x","expr":"x >= 1"}],"benefit":{"expr":"1"},"exclusive":"h"}
`
	profiles := `{"id":"p1","kind":"person","x":2,"y":true}
{"id":"p2","kind":"person","x":3,"y":true}
{"id":"p3","kind":"person","x":5}
{"id":"p4","kind":"person","x":1,"y":false}
{"id":"p5","kind":"person","y":true}
`
	got := summarize(matchAll(t, policies, profiles, false))
	want := `p1 A eligible 200 excluded_by=B
p1 B eligible 300 chosen
p1 C eligible excluded_by=B
p1 D eligible 1
p2 A eligible 300 chosen
p2 B eligible 300 excluded_by=A
p2 C eligible excluded_by=A
p2 D eligible 1
p3 A eligible 500 chosen
p3 B eligible 300 excluded_by=A
p3 C possible
p3 D eligible 1
p4 A eligible 100
p4 D eligible 1
p5 A possible
p5 B possible 300
p5 C eligible
p5 D possible 1
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestWindowsAndKinds: a policy outside its dates, or for the other kind
// of profile, matches nobody, even with all.
func TestWindowsAndKinds(t *testing.T) {
	t.Parallel()
	policies := `{"id":"OLD","title":"o","target":"person","effective":"2020-01-01","expires":"2026-05-31","conditions":[]}
{"id":"LAST","title":"l","target":"person","effective":"2020-01-01","expires":"2026-06-01","conditions":[]}
{"id":"NEW","title":"n","target":"person","effective":"2026-06-02","conditions":[]}
{"id":"FIRST","title":"f","target":"person","effective":"2026-06-01","conditions":[]}
{"id":"ENT","title":"e","target":"enterprise","conditions":[]}
`
	got := summarize(matchAll(t, policies, `{"id":"p","kind":"person"}`+"\n", true))
	if got != "p LAST eligible\np FIRST eligible\n" {
		t.Errorf("got\n%s", got)
	}
}

// TestAmounts: rounded to the fen; computed for a possible match when the
// benefit's own fields are known; an amount that cannot be computed is
// left out and its error kept.
func TestAmounts(t *testing.T) {
	t.Parallel()
	policies := `{"id":"A","title":"a","target":"person","conditions":[{"label":"k","expr":"known"},{"label":"u","expr":"unknown_field"}],"benefit":{"expr":"rate * 1.005"}}
{"id":"B","title":"b","target":"person","conditions":[{"label":"k","expr":"known"}],"benefit":{"expr":"rate / zero"}}
`
	ms := matchAll(t, policies, `{"id":"p","kind":"person","known":true,"rate":100.333,"zero":0}`+"\n", false)
	if len(ms) != 2 || ms[0].Status != Possible || ms[0].Amount == nil || *ms[0].Amount != 100.83 {
		t.Fatalf("A: %+v", ms[0])
	}
	if ms[1].Status != Eligible || ms[1].Amount != nil || ms[1].BenefitError != "division by zero" {
		t.Fatalf("B: %+v", ms[1])
	}
}
