package policy

import (
	"errors"
	"fmt"
	"math"

	"github.com/expr-lang/expr/vm"
)

// Result is what one condition says about one profile.
type Result string

const (
	Pass    Result = "pass"
	Fail    Result = "fail"
	Unknown Result = "unknown" // it reads a field the profile lacks
)

// Label is the result as staff and residents read it.
func (r Result) Label() string {
	switch r {
	case Pass:
		return "符合"
	case Fail:
		return "不符合"
	}
	return "待确认"
}

// Status is what a policy says about one profile.
type Status string

const (
	Eligible   Status = "eligible"   // every condition passes
	Possible   Status = "possible"   // none fails, at least one is unknown
	Ineligible Status = "ineligible" // one fails
)

// Label is the status as staff and residents read it.
func (s Status) Label() string {
	switch s {
	case Eligible:
		return "符合"
	case Possible:
		return "可能符合"
	}
	return "不符合"
}

// ConditionResult is one condition's result for a profile. Error is set
// when the expression could not be evaluated on the profile's values (a
// text compared with a number, a date that does not parse, a division by
// zero); the result is then unknown.
type ConditionResult struct {
	Label  string `json:"label"`
	Result Result `json:"result"`
	Error  string `json:"error,omitempty"`
}

// Match is one policy's verdict on one profile, in the shape "fuwu policy
// match --json" prints it.
type Match struct {
	Profile string   `json:"profile"`
	Policy  string   `json:"policy"`
	Status  Status   `json:"status"`
	Amount  *float64 `json:"amount,omitempty"`
	// Chosen and ExcludedBy are set on eligible matches of policies that
	// share an exclusive group, when the profile is eligible for more
	// than one of them: the one with the largest amount (the first on a
	// tie) is chosen, the others are excluded by it.
	Chosen     *bool             `json:"chosen,omitempty"`
	ExcludedBy string            `json:"excluded_by,omitempty"`
	Conditions []ConditionResult `json:"conditions"`

	Index int `json:"-"` // the policy's position in its Set
	// BenefitError says why the amount could not be computed on the
	// profile's values (the match then has none).
	BenefitError string `json:"-"`
}

// Errors lists the evaluation errors of the match's conditions and its
// benefit, for reports.
func (m *Match) Errors() []string {
	var out []string
	for i, c := range m.Conditions {
		if c.Error != "" {
			out = append(out, fmt.Sprintf("condition %d %q: %s", i+1, c.Label, c.Error))
		}
	}
	if m.BenefitError != "" {
		out = append(out, "benefit: "+m.BenefitError)
	}
	return out
}

var (
	yes = true
	no  = false
)

// val is what a node evaluates to: a value, unknown (known false), or an
// error.
type val struct {
	v     any
	known bool
	err   error
}

// Evaluator evaluates a Set for one profile at a time; it keeps the
// expression machine, the environment and a cache of leaf values between
// profiles, so evaluating allocates little. It is not safe for
// concurrent use: make one per goroutine.
type Evaluator struct {
	set     *Set
	machine vm.VM
	env     map[string]any
	gen     uint32
	seen    []uint32
	vals    []val
	conds   []ConditionResult
	profile *Profile
	asOf    Day
}

// NewEvaluator makes an evaluator for set.
func NewEvaluator(set *Set) *Evaluator {
	return &Evaluator{
		set:  set,
		env:  make(map[string]any, len(set.fields)+1),
		seen: make([]uint32, len(set.leaves)),
		vals: make([]val, len(set.leaves)),
	}
}

// Set is the policy set the evaluator evaluates.
func (e *Evaluator) Set() *Set { return e.set }

// load makes p the profile and asOf the day of the evaluations that
// follow; values cached for the profile before are forgotten (its fields
// may have changed in place).
func (e *Evaluator) load(p *Profile, asOf Day) {
	e.profile, e.asOf = p, asOf
	for _, f := range e.set.fields {
		if v := p.Fields[f]; v != nil {
			e.env[f] = v
		} else {
			delete(e.env, f)
		}
	}
	e.env[asOfName] = asOf
	e.gen++
	if e.gen == 0 { // wrapped: forget every cached value
		clear(e.seen)
		e.gen = 1
	}
}

func (e *Evaluator) leaf(i int) val {
	if e.seen[i] == e.gen {
		return e.vals[i]
	}
	l := e.set.leaves[i]
	var r val
	if !e.missing(l) {
		out, err := e.machine.Run(l.prog, e.env)
		if err != nil {
			r.err = errors.New(runMessage(err))
		} else {
			r.v, r.known = out, true
		}
	}
	e.seen[i], e.vals[i] = e.gen, r
	return r
}

// missing reports whether a leaf reads a field the profile lacks.
func (e *Evaluator) missing(l *leaf) bool {
	for _, p := range l.paths {
		if e.pathMissing(p) {
			return true
		}
	}
	return false
}

func (e *Evaluator) pathMissing(p []string) bool {
	v, ok := e.env[p[0]]
	if !ok {
		return true
	}
	for _, k := range p[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return false // not an object: the expression will say so
		}
		if v = m[k]; v == nil {
			return true
		}
	}
	return false
}

func (e *Evaluator) eval(n *node) val {
	switch n.op {
	case opLeaf:
		return e.leaf(n.leaf)
	case opAnd, opOr:
		// Kleene: a false (for and) or a true (for or) decides whatever
		// the other side is; otherwise an unknown side leaves it unknown.
		decide := n.op == opOr
		l := e.eval(n.kids[0])
		lb, err := asBool(l)
		if err != nil {
			return val{err: err}
		}
		if l.known && lb == decide {
			return val{v: decide, known: true}
		}
		r := e.eval(n.kids[1])
		rb, err := asBool(r)
		if err != nil {
			return val{err: err}
		}
		if r.known && rb == decide {
			return val{v: decide, known: true}
		}
		if l.known && r.known {
			return val{v: !decide, known: true}
		}
		return val{}
	case opNot:
		x := e.eval(n.kids[0])
		b, err := asBool(x)
		if err != nil || !x.known {
			return val{err: err}
		}
		return val{v: !b, known: true}
	case opCoalesce:
		l := e.eval(n.kids[0])
		if l.err != nil || l.known {
			return l
		}
		return e.eval(n.kids[1])
	case opCond:
		c := e.eval(n.kids[0])
		b, err := asBool(c)
		if err != nil {
			return val{err: err}
		}
		if c.known {
			if b {
				return e.eval(n.kids[1])
			}
			return e.eval(n.kids[2])
		}
		// Unknown condition: the answer is known only if both branches
		// give the same one.
		x, y := e.eval(n.kids[1]), e.eval(n.kids[2])
		if x.known && y.known && x.err == nil && y.err == nil && sameScalar(x.v, y.v) {
			return x
		}
		return val{}
	}
	return val{err: fmt.Errorf("internal: node op %d", n.op)}
}

func asBool(x val) (bool, error) {
	if x.err != nil {
		return false, x.err
	}
	if !x.known {
		return false, nil
	}
	b, ok := x.v.(bool)
	if !ok {
		return false, fmt.Errorf("%s is not true or false", describe(x.v))
	}
	return b, nil
}

func sameScalar(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	switch a.(type) {
	case string, bool:
		return a == b
	}
	return false
}

// condition evaluates one condition of the loaded profile.
func (e *Evaluator) condition(n *node) (Result, error) {
	x := e.eval(n)
	b, err := asBool(x)
	switch {
	case err != nil:
		return Unknown, err
	case !x.known:
		return Unknown, nil
	case b:
		return Pass, nil
	}
	return Fail, nil
}

// benefit evaluates a policy's benefit for the loaded profile: the
// amount in yuan rounded to the fen, and whether it could be computed.
func (e *Evaluator) benefit(cp *Compiled) (float64, bool, error) {
	if cp.benefit == nil {
		return 0, false, nil
	}
	x := e.eval(cp.benefit)
	if x.err != nil {
		return 0, false, x.err
	}
	if !x.known {
		return 0, false, nil
	}
	f, ok := toFloat(x.v)
	if !ok {
		return 0, false, fmt.Errorf("the benefit is %s, not a number", describe(x.v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("the benefit is not a finite number")
	}
	return math.Round(f*100) / 100, true, nil
}

// Evaluate is one policy's verdict on profile p on day asOf, every
// condition evaluated (no exclusive-group resolution: see MatchProfile).
// It does not check the policy's target or dates.
func (e *Evaluator) Evaluate(cp *Compiled, p *Profile, asOf Day) Match {
	e.load(p, asOf)
	m, _ := e.evaluate(cp, true)
	return m
}

// evaluate gives the loaded profile's match for cp. With full false it
// stops at the first failing condition and returns ok false, so that an
// ineligible match nobody will read costs as little as possible.
func (e *Evaluator) evaluate(cp *Compiled, full bool) (Match, bool) {
	e.conds = e.conds[:0]
	status := Eligible
	for i, n := range cp.conditions {
		r, err := e.condition(n)
		cr := ConditionResult{Label: cp.Policy.Conditions[i].Label, Result: r}
		if err != nil {
			cr.Error = err.Error()
		}
		switch r {
		case Fail:
			status = Ineligible
			if !full {
				return Match{}, false
			}
		case Unknown:
			if status == Eligible {
				status = Possible
			}
		}
		e.conds = append(e.conds, cr)
	}
	m := Match{Profile: e.profile.ID, Policy: cp.Policy.ID, Status: status, Index: cp.Index,
		Conditions: append(make([]ConditionResult, 0, len(e.conds)), e.conds...)}
	if status != Ineligible {
		amount, ok, err := e.benefit(cp)
		if err != nil {
			m.BenefitError = err.Error()
		} else if ok {
			m.Amount = &amount
		}
	}
	return m, true
}

// MatchProfile appends to dst the matches of every policy of the set in
// force on asOf whose target is p's kind, in set order: eligible and
// possible ones, and ineligible ones too when all is set. Exclusive groups
// are resolved among them.
func (e *Evaluator) MatchProfile(p *Profile, asOf Day, all bool, dst []Match) []Match {
	e.load(p, asOf)
	start := len(dst)
	for _, cp := range e.set.Policies {
		if cp.Policy.Target != p.Kind || !cp.InForce(asOf) {
			continue
		}
		m, ok := e.evaluate(cp, all)
		if !ok || (m.Status == Ineligible && !all) {
			continue
		}
		dst = append(dst, m)
	}
	e.set.resolveExclusive(dst[start:])
	return dst
}

// resolveExclusive marks, in each exclusive group with more than one
// eligible match, the one with the largest amount (the first on a tie)
// chosen and the others excluded by it. A match without an amount ranks
// below any amount.
func (s *Set) resolveExclusive(ms []Match) {
	var done []string
	for i := range ms {
		g := s.Policies[ms[i].Index].Policy.Exclusive
		if g == "" || ms[i].Status != Eligible || contains(done, g) {
			continue
		}
		done = append(done, g)
		best, n := i, 1
		for j := i + 1; j < len(ms); j++ {
			if ms[j].Status != Eligible || s.Policies[ms[j].Index].Policy.Exclusive != g {
				continue
			}
			n++
			if amountOf(ms[j]) > amountOf(ms[best]) {
				best = j
			}
		}
		if n < 2 {
			continue
		}
		for j := i; j < len(ms); j++ {
			if ms[j].Status != Eligible || s.Policies[ms[j].Index].Policy.Exclusive != g {
				continue
			}
			if j == best {
				ms[j].Chosen = &yes
			} else {
				ms[j].Chosen, ms[j].ExcludedBy = &no, ms[best].Policy
			}
		}
	}
}

func amountOf(m Match) float64 {
	if m.Amount == nil {
		return math.Inf(-1)
	}
	return *m.Amount
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
