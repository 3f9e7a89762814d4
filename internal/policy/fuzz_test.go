package policy

import (
	"bytes"
	"strings"
	"testing"
)

// The fuzz targets ("make fuzz" runs each for FUZZTIME): the date helpers,
// expressions on profiles and the JSONL readers never panic, and what they
// accept they accept consistently.

// FuzzDates: a day that parses prints back the same; the helpers agree
// with the calendar arithmetic they are defined by; the loose parsers
// used for forms never panic.
func FuzzDates(f *testing.F) {
	for _, s := range []string{"2024-02-29", "1941-06-02", "2000-01-31", "1999-12-31", "0001-01-01", "9999-12-31", "2023-02-29", "1950年3月2日", "19500302"} {
		f.Add(s, "2026-03-01")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		_, _ = ParseLooseDay(a)
		_, _ = ParseNumber(a)
		_, _ = ParseBool(a)
		d, err1 := ParseDay(a)
		asOf, err2 := ParseDay(b)
		if err1 != nil || err2 != nil {
			return
		}
		if d.String() != a || FromOrdinal(d.Ordinal()) != d {
			t.Fatalf("%q parses to %s", a, d)
		}
		y := YearsSince(d, asOf)
		if !asOf.Before(d) {
			// y full years have passed, y+1 have not.
			if asOf.Before(d.AddYears(y)) || !asOf.Before(d.AddYears(y+1)) {
				t.Fatalf("YearsSince(%s, %s) = %d", d, asOf, y)
			}
			m := MonthsSince(d, asOf)
			if asOf.Before(d.AddMonths(m)) || !asOf.Before(d.AddMonths(m+1)) {
				t.Fatalf("MonthsSince(%s, %s) = %d", d, asOf, m)
			}
		} else if y > 0 {
			t.Fatalf("YearsSince of a later day %s at %s = %d", d, asOf, y)
		}
		if DaysUntil(d, asOf) != -DaysUntil(asOf, d) || asOf.AddDays(DaysUntil(d, asOf)) != d {
			t.Fatalf("DaysUntil(%s, %s) = %d", d, asOf, DaysUntil(d, asOf))
		}
	})
}

// FuzzExpression: any text is compiled as a condition and as a benefit;
// what compiles is evaluated on a profile with fuzzed values without a
// panic, and gives one of the three results.
func FuzzExpression(f *testing.F) {
	for _, e := range []string{`age(birth_date) >= 80`, `a || b && !c`, `x / y > 1`, `x % 0 == 1`, `h.size ?? 3 > 2`,
		`all(kids, {# < limit})`, `days_until(d) < 0 ? x : y`, `let n = x * 2; n > y`, `"深圳" in [city, x]`, `x matches "^[0-9]+$"`,
		`months_since(d) > int(x)`, `len(name) > 2 and upper(name) == name`} {
		f.Add(e, "1941-06-02", 3.0, "深圳", true)
	}
	f.Fuzz(func(t *testing.T, expr, date string, num float64, text string, flag bool) {
		if len(expr) > 300 {
			return
		}
		ps := []Policy{{ID: "F", Title: "f", Target: Person, Conditions: []Condition{{Label: "c", Expr: expr}}, Benefit: &Benefit{Expr: expr}}}
		set, err := Compile(ps, CompileOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "policy F") {
				t.Fatalf("a compile error that names no policy: %v", err)
			}
			return
		}
		fields := map[string]any{"id": "p", "kind": "person", "birth_date": date, "d": date, "x": num, "y": num - 1, "city": text,
			"name": text, "a": flag, "b": !flag, "kids": []any{num, 1.0}, "h": map[string]any{"size": num}}
		p := Profile{ID: "p", Kind: Person, Fields: fields}
		ev := NewEvaluator(set)
		for _, day := range []Day{MustDay("2026-01-01"), MustDay("1900-03-01")} {
			ms := ev.MatchProfile(&p, day, true, nil)
			if len(ms) != 1 {
				t.Fatalf("%d matches", len(ms))
			}
			switch ms[0].Conditions[0].Result {
			case Pass, Fail, Unknown:
			default:
				t.Fatalf("result %q", ms[0].Conditions[0].Result)
			}
			_ = ev.Explain(set.Policies[0], &p, day, nil)
		}
	})
}

// FuzzReadPolicies: any bytes; every non-blank line is a policy or a
// problem with its line number, never both, never a panic.
func FuzzReadPolicies(f *testing.F) {
	f.Add([]byte(`{"id":"POL-1","title":"t","target":"person","conditions":[{"label":"a","expr":"a"}]}` + "\n{bad\n"))
	f.Add([]byte("\xef\xbb\xbf" + `{"id":"A","title":"t","target":"enterprise","effective":"2024-02-30","conditions":[]}`))
	f.Add([]byte(`{"id":1,"kind":[],"conditions":"x"}` + "\n\n[]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, lines, probs, err := ReadPolicies(bytes.NewReader(b), "p.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, n := range lines {
			seen[n] = true
		}
		for _, p := range probs {
			if p.Line < 1 || seen[p.Line] || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
			seen[p.Line] = true
		}
		if len(ps) != len(lines) {
			t.Fatalf("%d policies, %d lines", len(ps), len(lines))
		}
		if len(ps) > 0 {
			_, _ = Compile(ps, CompileOptions{Lines: lines})
		}
		var profiles int
		probs, err = ReadProfiles(bytes.NewReader(b), "p.jsonl", func(int, Profile) { profiles++ })
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			if p.Line < 1 || p.Message == "" {
				t.Fatalf("profile problem %+v", p)
			}
		}
	})
}
