package policy

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
)

// Live is the published policies, compiled, with the field schema: what
// self-checks, the chat and the stored results evaluate. It is rebuilt
// from the store whenever a change is announced on Topic, by this replica
// or any other.
type Live struct {
	lib *Library
	cur atomic.Pointer[liveSet]
	mu  sync.Mutex // one reload at a time
}

type liveSet struct {
	set    *Set
	schema Schema
	pool   sync.Pool // *Evaluator for set
}

func (ls *liveSet) evaluator() *Evaluator {
	if e, ok := ls.pool.Get().(*Evaluator); ok {
		return e
	}
	return NewEvaluator(ls.set)
}

// NewLive loads the live set from the library.
func NewLive(ctx context.Context, lib *Library) (*Live, error) {
	lv := &Live{lib: lib}
	if err := lv.Reload(ctx); err != nil {
		return nil, err
	}
	return lv, nil
}

// Reload rebuilds the live set from the store now.
func (lv *Live) Reload(ctx context.Context) error {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	ps, err := lv.lib.Published(ctx)
	if err != nil {
		return err
	}
	schema, err := lv.lib.Schema(ctx)
	if err != nil {
		return err
	}
	set, err := compileLenient(ps)
	if err != nil {
		return err
	}
	lv.cur.Store(&liveSet{set: set, schema: schema})
	return nil
}

// compileLenient compiles the published policies without the schema's
// types (a schema edit must not take policies out of force); one that
// still fails — it should not, the library refuses them — is left out
// and logged rather than taking every other policy down with it.
func compileLenient(ps []Policy) (*Set, error) {
	set, err := Compile(ps, CompileOptions{})
	if err == nil {
		return set, nil
	}
	var good []Policy
	for _, p := range ps {
		if _, err := Compile([]Policy{p}, CompileOptions{}); err != nil {
			slog.Error("published policy does not compile; left out of the live set", "policy", p.ID, "err", err)
			continue
		}
		good = append(good, p)
	}
	return Compile(good, CompileOptions{})
}

// Follow reloads the live set on every change announced on Topic until
// ctx ends. Subscribe before NewLive so no change falls between the two.
func (lv *Live) Follow(ctx context.Context, changes <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
			if err := lv.Reload(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("policy live set reload failed", "err", err)
			}
		}
	}
}

// Set is the compiled live set (replaced, never changed, on reload).
func (lv *Live) Set() *Set { return lv.cur.Load().set }

// Schema is the field schema.
func (lv *Live) Schema() Schema { return lv.cur.Load().schema }

// Question is a field a self-check asks, with the policies that read it.
type Question struct {
	Field
	Policies []string `json:"policies"`
}

// Questions lists the fields that the policies of target t in force on
// asOf read — only those, so a self-check asks nothing it does not need —
// in the schema's order, then fields the schema does not know (labelled
// by their keys).
func (lv *Live) Questions(t Target, asOf Day) []Question {
	cur := lv.cur.Load()
	return questions(cur.set, cur.schema, t, asOf, nil)
}

func questions(set *Set, schema Schema, t Target, asOf Day, only map[string]bool) []Question {
	users := map[string][]string{}
	var order []string
	for _, cp := range set.Policies {
		if cp.Policy.Target != t || !cp.InForce(asOf) || (only != nil && !only[cp.Policy.ID]) {
			continue
		}
		for _, f := range cp.Fields {
			if f == "id" || f == "kind" {
				continue
			}
			if _, seen := users[f]; !seen {
				order = append(order, f)
			}
			users[f] = append(users[f], cp.Policy.ID)
		}
	}
	var out []Question
	for _, f := range schema.Fields(t) {
		if ids, ok := users[f.Key]; ok {
			out = append(out, Question{Field: f, Policies: ids})
			delete(users, f.Key)
		}
	}
	for _, k := range order {
		if ids, ok := users[k]; ok {
			out = append(out, Question{Field: Field{Key: k, Label: k, Type: TypeText}, Policies: ids})
		}
	}
	return out
}

// Checked is one policy's verdict in a self-check, with its explanation.
type Checked struct {
	Match       Match       `json:"match"`
	Policy      Policy      `json:"policy"`
	Explanation Explanation `json:"explanation"`
}

// CheckResult is a self-check's answer: the policies the answers make
// eligible or possibly eligible (with amounts and what each still
// needs), the ineligible ones with why, and the facts worth asking next.
type CheckResult struct {
	Eligible   []Checked `json:"eligible"`
	Possible   []Checked `json:"possible"`
	Ineligible []Checked `json:"ineligible"`
	// Ask are the missing fields that decide possible policies, the most
	// useful first (the chat asks Ask[0] next).
	Ask []Question `json:"ask"`
}

// Check evaluates a resident's (or an enterprise's) answers — field key
// to value, typed as Schema.Parse gives them — against the live policies
// of target t in force on asOf; with ids, against those policies only
// ("我这种情况能申请X吗"). Nothing is stored.
func (lv *Live) Check(t Target, answers map[string]any, asOf Day, ids ...string) (CheckResult, error) {
	cur := lv.cur.Load()
	var only map[string]bool
	if len(ids) > 0 {
		only = map[string]bool{}
		for _, id := range ids {
			cp, ok := cur.set.Lookup(id)
			if !ok {
				return CheckResult{}, fmt.Errorf("policy %s is not in force: %w", id, ErrNotFound)
			}
			if cp.Policy.Target != t {
				return CheckResult{}, fmt.Errorf("policy %s is for %s, not %s", id, cp.Policy.Target.Label(), t.Label())
			}
			only[id] = true
		}
	}
	fields := make(map[string]any, len(answers)+2)
	for k, v := range answers {
		fields[k] = v
	}
	fields["id"], fields["kind"] = "self-check", string(t)
	p := Profile{ID: "self-check", Kind: t, Fields: fields}
	ev := cur.evaluator()
	defer cur.pool.Put(ev)
	ms := ev.MatchProfile(&p, asOf, true, nil)
	labels := cur.schema.Labeler(t)
	var res CheckResult
	// A field scores by the possible policies it would help decide, each
	// weighted by how few facts that policy still lacks: the question
	// that completes a policy comes before one that chips at many.
	need := map[string]float64{}
	for _, m := range ms {
		if only != nil && !only[m.Policy] {
			continue
		}
		cp := cur.set.Policies[m.Index]
		c := Checked{Match: m, Policy: cp.Policy, Explanation: ev.Explain(cp, &p, asOf, labels)}
		switch m.Status {
		case Eligible:
			res.Eligible = append(res.Eligible, c)
		case Possible:
			res.Possible = append(res.Possible, c)
			for _, f := range c.Explanation.Missing {
				need[f] += 1 / float64(len(c.Explanation.Missing))
			}
		default:
			res.Ineligible = append(res.Ineligible, c)
		}
	}
	qs := questions(cur.set, cur.schema, t, asOf, only)
	pos := map[string]int{}
	for i, q := range qs {
		pos[q.Key] = i
	}
	for f := range need {
		if i, ok := pos[f]; ok {
			res.Ask = append(res.Ask, qs[i])
		} else {
			res.Ask = append(res.Ask, Question{Field: Field{Key: f, Label: f, Type: TypeText}})
		}
	}
	sort.SliceStable(res.Ask, func(i, j int) bool {
		a, b := res.Ask[i], res.Ask[j]
		if need[a.Key] != need[b.Key] {
			return need[a.Key] > need[b.Key]
		}
		pa, oka := pos[a.Key]
		pb, okb := pos[b.Key]
		if oka != okb {
			return oka
		}
		if pa != pb {
			return pa < pb
		}
		return a.Key < b.Key
	})
	return res, nil
}
