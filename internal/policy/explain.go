package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// Explanation says why a policy's match came out as it did and what would
// change it: the facts still to ask for, the conditions that fail with
// the values that fail them, and — when only time stands in the way — the
// day from which the profile will qualify.
type Explanation struct {
	// Missing are the fields whose values would decide the unknown
	// conditions, in the order the conditions read them.
	Missing []string `json:"missing,omitempty"`
	Hints   []Hint   `json:"hints,omitempty"`
	// From is the first day after the as-of day on which the profile,
	// its facts unchanged, is no longer ineligible (zero when time alone
	// does not get it there within 120 years).
	From Day `json:"-"`
	// FromStatus is the status from that day: eligible, or possible when
	// facts are still missing.
	FromStatus Status `json:"from_status,omitempty"`
	// Expired: From falls after the policy's expiry day.
	Expired bool   `json:"expired,omitempty"`
	Summary string `json:"summary"`
}

// FromText is From as YYYY-MM-DD ("" when there is none).
func (x Explanation) FromText() string { return x.From.String() }

// Hint is one condition that did not pass.
type Hint struct {
	Condition int               `json:"condition"` // 1-based
	Label     string            `json:"label"`
	Clause    string            `json:"clause,omitempty"`
	Result    Result            `json:"result"`
	Missing   []string          `json:"missing,omitempty"` // fields to ask for
	Values    map[string]string `json:"values,omitempty"`  // the profile's values that fail it
	From      string            `json:"from,omitempty"`    // first day it passes, YYYY-MM-DD
	Text      string            `json:"text"`
}

// Labeler names a field for residents (出生日期 for birth_date).
type Labeler func(field string) string

func (l Labeler) label(f string) string {
	if l == nil {
		return f
	}
	if s := l(f); s != "" {
		return s
	}
	return f
}

// horizon is how far ahead Explain looks for the day a condition passes.
const horizonYears = 120

// Explain explains cp's match for p on asOf. The Chinese texts name
// fields through labels (nil: the field keys).
func (e *Evaluator) Explain(cp *Compiled, p *Profile, asOf Day, labels Labeler) Explanation {
	e.load(p, asOf)
	m, _ := e.evaluate(cp, true)
	var x Explanation
	seenMissing := map[string]bool{}
	allFailDated := true
	failing := 0
	for i, n := range cp.conditions {
		cond := cp.Policy.Conditions[i]
		r := m.Conditions[i]
		if r.Result == Pass {
			continue
		}
		h := Hint{Condition: i + 1, Label: cond.Label, Clause: cond.Clause, Result: r.Result}
		e.load(p, asOf)
		e.condition(n)
		switch {
		case r.Error != "":
			h.Text = fmt.Sprintf("“%s”无法判断：%s", cond.Label, r.Error)
			allFailDated = false
		case r.Result == Unknown:
			h.Missing = e.missingFields(n)
			names := make([]string, len(h.Missing))
			for j, f := range h.Missing {
				names[j] = labels.label(f)
				if !seenMissing[f] {
					seenMissing[f] = true
					x.Missing = append(x.Missing, f)
				}
			}
			h.Text = fmt.Sprintf("“%s”需要确认：%s", cond.Label, strings.Join(names, "、"))
		default: // Fail
			failing++
			h.Values = e.failValues(n)
			h.Text = e.failText(n, cond.Label, labels)
			if from, ok := e.passDay(n, p, asOf); ok {
				h.From = from.String()
				verb := "可享受"
				if cp.Policy.Benefit != nil {
					verb = "可领取"
				}
				h.Text = fmt.Sprintf("%s后%s，预计%d年%d月", strings.TrimPrefix(cond.Label, "年"), verb, from.Y, from.M)
			} else {
				allFailDated = false
			}
		}
		x.Hints = append(x.Hints, h)
	}
	if m.Status == Ineligible && failing > 0 && allFailDated {
		var last Day
		for _, h := range x.Hints {
			if h.From != "" {
				if d, _ := ParseDay(h.From); last.Before(d) {
					last = d
				}
			}
		}
		// The conditions pass on their own days; the policy needs them
		// all on one day, which the latest of them may not give.
		e.load(p, last)
		if later, _ := e.evaluate(cp, false); later.Status != Ineligible && later.Status != "" {
			x.From, x.FromStatus = last, later.Status
			x.Expired = !cp.to.IsZero() && cp.to.Before(last)
		}
	}
	e.load(p, asOf)
	x.Summary = summary(cp, m, x, labels)
	return x
}

func summary(cp *Compiled, m Match, x Explanation, labels Labeler) string {
	switch m.Status {
	case Eligible:
		s := "符合全部条件"
		if m.Amount != nil {
			s += "，" + AmountText(*m.Amount, cp.Policy.Benefit)
		}
		return s
	case Possible:
		names := make([]string, len(x.Missing))
		for i, f := range x.Missing {
			names[i] = labels.label(f)
		}
		s := "可能符合"
		if len(names) > 0 {
			s += "，还需确认：" + strings.Join(names, "、")
		} else {
			s += "，部分条件无法判断"
		}
		return s
	}
	var parts []string
	for _, h := range x.Hints {
		if h.Result == Fail {
			parts = append(parts, h.Text)
		}
	}
	s := "不符合：" + strings.Join(parts, "；")
	if !x.From.IsZero() {
		s += fmt.Sprintf("。预计%s起%s条件", x.From.Chinese(), map[Status]string{Eligible: "符合", Possible: "可能符合"}[x.FromStatus])
		if x.Expired {
			s += fmt.Sprintf("，但本政策%s到期", cp.to.Chinese())
		}
	}
	return s
}

// AmountText is an amount as residents read it: 每月津贴 200元/月.
func AmountText(amount float64, b *Benefit) string {
	s := strconv.FormatFloat(amount, 'f', -1, 64)
	if b == nil {
		return s + "元"
	}
	unit := b.Unit
	if unit == "" {
		unit = "元"
	}
	if b.Label != "" {
		return b.Label + " " + s + unit
	}
	return s + unit
}

// missingFields lists the fields read by the unknown leaves of the last
// evaluation of n.
func (e *Evaluator) missingFields(n *node) []string {
	var out []string
	e.walkLeaves(n, func(l *leaf, v val) {
		if v.known || v.err != nil {
			return
		}
		for _, p := range l.paths {
			if e.pathMissing(p) {
				f := strings.Join(p, ".")
				if !contains(out, f) {
					out = append(out, f)
				}
			}
		}
	})
	return out
}

// failValues are the profile's values of the fields the condition reads.
func (e *Evaluator) failValues(n *node) map[string]string {
	out := map[string]string{}
	e.walkLeaves(n, func(l *leaf, _ val) {
		for _, p := range l.paths {
			if v, ok := e.lookup(p); ok {
				out[strings.Join(p, ".")] = show(v)
			}
		}
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func (e *Evaluator) lookup(p []string) (any, bool) {
	v, ok := e.env[p[0]]
	if !ok {
		return nil, false
	}
	for _, k := range p[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v = m[k]; v == nil {
			return nil, false
		}
	}
	return v, true
}

// walkLeaves visits the leaves of n evaluated for the loaded profile.
func (e *Evaluator) walkLeaves(n *node, fn func(l *leaf, v val)) {
	if n.op == opLeaf {
		if e.seen[n.leaf] == e.gen {
			fn(e.set.leaves[n.leaf], e.vals[n.leaf])
		}
		return
	}
	for _, k := range n.kids {
		e.walkLeaves(k, fn)
	}
}

// failText says what a failing condition wants and what the profile has:
// for a comparison of a field with a constant, "需从业人数不少于10（当前5）".
func (e *Evaluator) failText(n *node, label string, labels Labeler) string {
	var wants []string
	e.walkLeaves(n, func(l *leaf, v val) {
		if !v.known || v.v != false {
			return
		}
		if w := e.comparisonText(l, labels); w != "" {
			wants = append(wants, w)
		}
	})
	if len(wants) > 0 {
		return fmt.Sprintf("不符合“%s”（需%s）", label, strings.Join(wants, "，"))
	}
	vals := e.failValues(n)
	if len(vals) == 0 {
		return fmt.Sprintf("不符合“%s”", label)
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = labels.label(k) + "：" + vals[k]
	}
	return fmt.Sprintf("不符合“%s”（当前%s）", label, strings.Join(parts, "，"))
}

var compareWords = map[string]string{">=": "不少于", ">": "大于", "<=": "不超过", "<": "小于", "==": "为", "!=": "不为"}

// comparisonText reads a leaf of the form `field OP constant` (either way
// round) as words.
func (e *Evaluator) comparisonText(l *leaf, labels Labeler) string {
	t, err := parseLeaf(l.src)
	if err != nil {
		return ""
	}
	b, ok := t.(*ast.BinaryNode)
	if !ok || compareWords[b.Operator] == "" {
		return ""
	}
	op := b.Operator
	field, konst := b.Left, b.Right
	if constText(konst) == "" {
		field, konst = b.Right, b.Left
		op = map[string]string{">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}[op]
	}
	k := constText(konst)
	if k == "" {
		return ""
	}
	var path []string
	switch f := field.(type) {
	case *ast.IdentifierNode:
		path = []string{f.Value}
	case *ast.MemberNode:
		path, _ = memberPath(f, nil)
	}
	if path == nil {
		return ""
	}
	cur := ""
	if v, ok := e.lookup(path); ok {
		cur = "，当前" + show(v)
	}
	return labels.label(strings.Join(path, ".")) + compareWords[op] + k + cur
}

func parseLeaf(src string) (ast.Node, error) {
	t, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	return t.Node, nil
}

func constText(n ast.Node) string {
	switch c := n.(type) {
	case *ast.IntegerNode:
		return strconv.Itoa(c.Value)
	case *ast.FloatNode:
		return strconv.FormatFloat(c.Value, 'f', -1, 64)
	case *ast.StringNode:
		return "“" + c.Value + "”"
	case *ast.BoolNode:
		if c.Value {
			return "是"
		}
		return "否"
	}
	return ""
}

// show writes a profile value for a message.
func show(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return truncate(fmt.Sprint(v), 40)
}

// passDay finds the first day after asOf on which condition n passes for
// p, when n depends on the day at all: weekly steps for two years, then
// monthly, then a binary search for the exact day inside the step.
func (e *Evaluator) passDay(n *node, p *Profile, asOf Day) (Day, bool) {
	if !e.dated(n) {
		return Day{}, false
	}
	defer e.load(p, asOf)
	passes := func(d Day) bool {
		e.load(p, d)
		r, err := e.condition(n)
		return err == nil && r == Pass
	}
	prev := asOf
	step := func(d Day) Day {
		if d.Ordinal()-asOf.Ordinal() < 2*365 {
			return d.AddDays(7)
		}
		return d.AddMonths(1)
	}
	limit := asOf.AddYears(horizonYears)
	for d := step(asOf); !limit.Before(d); prev, d = d, step(d) {
		if !passes(d) {
			continue
		}
		lo, hi := prev.Ordinal(), d.Ordinal() // lo fails, hi passes
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if passes(FromOrdinal(mid)) {
				hi = mid
			} else {
				lo = mid
			}
		}
		return FromOrdinal(hi), true
	}
	return Day{}, false
}

func (e *Evaluator) dated(n *node) bool {
	if n.op == opLeaf {
		return e.set.leaves[n.leaf].dated
	}
	for _, k := range n.kids {
		if e.dated(k) {
			return true
		}
	}
	return false
}
