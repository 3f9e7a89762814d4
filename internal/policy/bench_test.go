package policy_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
)

var benchDay = policy.MustDay("2026-11-30")

// benchPolicies are 50 person policies: the demo's 19, and variants of
// them with every threshold moved, so that no two variants share a leaf
// (sharing would make the set cheaper than 50 distinct policies are).
func benchPolicies(b *testing.B) *policy.Set {
	raw, err := fs.ReadFile(data.Policy(), "policies.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	ps, _, _, err := policy.ReadPolicies(bytes.NewReader(raw), "policies.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var person []policy.Policy
	for _, p := range ps {
		if p.Target == policy.Person {
			person = append(person, p)
		}
	}
	num := regexp.MustCompile(`\b[1-9][0-9]*\b`)
	var out []policy.Policy
	for k := 0; len(out) < 50; k++ {
		for _, p := range person {
			if len(out) == 50 {
				break
			}
			v := p
			v.ID = fmt.Sprintf("%s-%d", p.ID, k)
			v.Conditions = append([]policy.Condition(nil), p.Conditions...)
			for i := range v.Conditions {
				v.Conditions[i].Expr = num.ReplaceAllStringFunc(v.Conditions[i].Expr, func(s string) string {
					n, _ := strconv.Atoi(s)
					return strconv.Itoa(n + k)
				})
			}
			out = append(out, v)
		}
	}
	set, err := policy.Compile(out, policy.CompileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return set
}

func benchProfiles(b *testing.B, n int) []policy.Profile {
	var buf bytes.Buffer
	if err := registry.GeneratePersons(&buf, 42, n, benchDay); err != nil {
		b.Fatal(err)
	}
	// The generator's lines have no kind (the import is told it): every
	// line is a person.
	out := make([]policy.Profile, 0, n)
	err := policy.EachLine(&buf, func(_ int, line []byte) {
		f, err := policy.DecodeFields(line)
		if err != nil {
			b.Fatal(err)
		}
		f["kind"] = "person"
		out = append(out, policy.Profile{ID: f["id"].(string), Kind: policy.Person, Fields: f})
	}, func(n int, msg string) { b.Fatalf("line %d: %s", n, msg) })
	if err != nil || len(out) != n {
		b.Fatalf("%d profiles: %v", len(out), err)
	}
	return out
}

// BenchmarkMatch100k matches 100,000 generated residents against 50
// policies, one goroutine (run with -cpu 1): one op is the whole
// registry. The target is 5 s.
func BenchmarkMatch100k(b *testing.B) {
	set := benchPolicies(b)
	profiles := benchProfiles(b, 100000)
	ev := policy.NewEvaluator(set)
	var ms []policy.Match
	b.ReportAllocs()
	b.ResetTimer()
	matches := 0
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		matches = 0
		for j := range profiles {
			ms = ev.MatchProfile(&profiles[j], benchDay, false, ms[:0])
			matches += len(ms)
		}
	}
	// The CPU time the process spent (GC included) tells the cost apart
	// from the wait for a core on a shared machine.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(profiles)*b.N)/b.Elapsed().Seconds(), "profiles/s")
	b.ReportMetric(float64(matches), "matches")
}

// BenchmarkRematchOne is one changed profile matched again against the
// 50 policies (the target is 1 ms); the evaluator's cached leaf
// values are dropped by a new profile, as they are for a real change.
func BenchmarkRematchOne(b *testing.B) {
	set := benchPolicies(b)
	profiles := benchProfiles(b, 1000)
	ev := policy.NewEvaluator(set)
	var ms []policy.Match
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := profiles[i%len(profiles)]
		ms = ev.MatchProfile(&p, benchDay, false, ms[:0])
	}
}

// BenchmarkCompile50 compiles the 50 policies (done once per change of
// the library, not per profile).
func BenchmarkCompile50(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchPolicies(b)
	}
}
