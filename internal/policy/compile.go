package policy

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// How conditions are evaluated. An expression's logical skeleton — &&,
// ||, !, ?: and ?? — is taken apart at compile time and evaluated here in
// three-valued (Kleene) logic; what hangs below it (comparisons, function
// calls, arithmetic) is a leaf, compiled by expr into one program. A leaf
// that reads a field the profile lacks is unknown without being run, so
// "hukou_city == "深圳" && age(birth_date) >= 80" fails for a profile
// from 广州 whose birth date is missing, and "low_income || disabled"
// passes for a low-income profile whatever disabled says. Leaves that read
// the same text in several policies are compiled and run once per profile.

// Helper function names. The compiler appends the as-of day to each call,
// so a compiled program serves any day and never reads the clock.
var helpers = map[string]func(d, asOf Day) int{
	"age":          YearsSince,
	"years_since":  YearsSince,
	"months_since": MonthsSince,
	"days_until":   DaysUntil,
}

// asOfName is the environment slot holding the as-of day.
const asOfName = "__asof"

// CompileError is an expression that does not compile, named by policy
// and condition.
type CompileError struct {
	Policy    string
	Line      int    // line of the policy in its file, when known
	Condition int    // 1-based; 0 for the benefit
	Label     string // the condition's label, or "benefit"
	Expr      string
	Message   string
}

func (e *CompileError) Error() string {
	var s string
	switch {
	case e.Condition > 0:
		s = fmt.Sprintf("policy %s condition %d %q: %s", e.Policy, e.Condition, e.Label, e.Message)
	case e.Condition == 0:
		s = fmt.Sprintf("policy %s benefit: %s", e.Policy, e.Message)
	default: // the policy itself; Validate's message names it
		s = e.Message
	}
	if e.Line > 0 {
		s = fmt.Sprintf("line %d: %s", e.Line, s)
	}
	return s
}

// CompileErrors is every expression of a set that failed to compile.
type CompileErrors []*CompileError

func (es CompileErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// FieldType is the type a field's values have, for checking expressions
// at compile time (a number compared with a text is refused).
type FieldType string

const (
	TypeText   FieldType = "text"
	TypeNumber FieldType = "number"
	TypeBool   FieldType = "bool"
	TypeDate   FieldType = "date" // text YYYY-MM-DD
	TypeList   FieldType = "list"
	TypeChoice FieldType = "choice" // text, one of Field.Options
)

// sample is a value of the type, for the type checker.
func (t FieldType) sample() any {
	switch t {
	case TypeNumber:
		return 0.0
	case TypeBool:
		return false
	case TypeList:
		return []any{}
	case TypeText, TypeDate, TypeChoice:
		return ""
	}
	return nil
}

// CompileOptions tune Compile.
type CompileOptions struct {
	// Types, when set, are the known fields' types: an expression that
	// uses a field against its type is refused at compile time. Fields
	// not listed may hold anything.
	Types map[string]FieldType
	// Lines are the policies' line numbers in their file, for messages.
	Lines []int
}

// Set is a list of policies compiled together, in order. It is safe for
// concurrent use; each goroutine evaluates with its own Evaluator.
type Set struct {
	Policies []*Compiled
	leaves   []*leaf
	fields   []string // every top-level field a leaf reads
	byID     map[string]int
}

// Compiled is one policy ready to evaluate.
type Compiled struct {
	Policy     Policy
	Index      int // position in the set
	conditions []*node
	benefit    *node
	from, to   Day
	// Fields are the fields the policy's conditions and benefit read, in
	// the order they first appear.
	Fields []string
}

// InForce reports whether the policy applies on day asOf.
func (c *Compiled) InForce(asOf Day) bool { return inWindow(c.from, c.to, asOf) }

type nodeOp uint8

const (
	opLeaf nodeOp = iota
	opAnd
	opOr
	opNot
	opCond
	opCoalesce
)

type node struct {
	op   nodeOp
	kids []*node
	leaf int // index into Set.leaves, for opLeaf
	// ast is the node's syntax, kept for explanations (which values a
	// comparison wants).
	ast ast.Node
}

type leaf struct {
	src   string
	prog  *vm.Program
	paths [][]string // fields read: a name, or a name and constant keys (household.size)
	dated bool       // calls a date helper: its value moves with the as-of day
}

// Lookup returns the compiled policy with id.
func (s *Set) Lookup(id string) (*Compiled, bool) {
	i, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.Policies[i], true
}

// Compile checks and compiles policies, in order. Every expression that
// does not compile is reported (as CompileErrors) and nothing is returned,
// so that a set is never half usable.
func Compile(ps []Policy, opt CompileOptions) (*Set, error) {
	c := &setCompiler{set: &Set{byID: map[string]int{}}, leafIndex: map[string]int{}, fieldSeen: map[string]bool{}, types: opt.Types}
	var errs CompileErrors
	for i := range ps {
		p := ps[i]
		line := 0
		if i < len(opt.Lines) {
			line = opt.Lines[i]
		}
		if err := p.Validate(); err != nil {
			errs = append(errs, &CompileError{Policy: orUnnamed(p.ID), Line: line, Label: "policy", Message: err.Error(), Condition: -1})
			continue
		}
		if _, dup := c.set.byID[p.ID]; dup {
			errs = append(errs, &CompileError{Policy: p.ID, Line: line, Condition: -1, Message: "id repeated"})
			continue
		}
		cp := &Compiled{Policy: p, Index: len(c.set.Policies)}
		cp.from, cp.to = p.Window()
		seen := map[string]bool{}
		addFields := func(n *node) {
			for _, f := range c.nodeFields(n) {
				if !seen[f] {
					seen[f] = true
					cp.Fields = append(cp.Fields, f)
				}
			}
		}
		for ci, cond := range p.Conditions {
			n, err := c.compile(cond.Expr, true)
			if err != nil {
				errs = append(errs, &CompileError{Policy: p.ID, Line: line, Condition: ci + 1, Label: cond.Label, Expr: cond.Expr, Message: err.Error()})
				continue
			}
			cp.conditions = append(cp.conditions, n)
			addFields(n)
		}
		if p.Benefit != nil {
			n, err := c.compile(p.Benefit.Expr, false)
			if err != nil {
				errs = append(errs, &CompileError{Policy: p.ID, Line: line, Condition: 0, Label: "benefit", Expr: p.Benefit.Expr, Message: err.Error()})
			} else {
				cp.benefit = n
				addFields(n)
			}
		}
		c.set.byID[p.ID] = cp.Index
		c.set.Policies = append(c.set.Policies, cp)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c.set, nil
}

type setCompiler struct {
	set       *Set
	leafIndex map[string]int
	fieldSeen map[string]bool
	types     map[string]FieldType
}

func (c *setCompiler) nodeFields(n *node) []string {
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		if n.op == opLeaf {
			for _, p := range c.set.leaves[n.leaf].paths {
				out = append(out, p[0])
			}
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

// compile checks one expression whole (so that errors point into the
// text as written), then splits it into its logical skeleton and leaves.
func (c *setCompiler) compile(src string, condition bool) (*node, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("the expression is empty")
	}
	if len(src) > 4000 {
		return nil, errors.New("the expression is longer than 4000 characters")
	}
	tree, err := parser.ParseWithConfig(src, newConfig(nil, false))
	if err != nil {
		return nil, errors.New(exprMessage(err))
	}
	if err := vet(tree.Node); err != nil {
		return nil, err
	}
	// The whole expression, typed by the schema where it knows the
	// fields, catches "employees > "10"" and a condition that is a
	// number rather than true/false.
	env := map[string]any{}
	for name, t := range c.types {
		if v := t.sample(); v != nil {
			env[name] = v
		}
	}
	ops := exprOptions(env)
	if condition {
		ops = append(ops, expr.AsBool())
	}
	if _, err := expr.Compile(src, ops...); err != nil {
		return nil, errors.New(exprMessage(err))
	}
	return c.build(tree.Node)
}

// build turns the logical skeleton of an expression into nodes, compiling
// each leaf once per set.
func (c *setCompiler) build(n ast.Node) (*node, error) {
	kids := func(op nodeOp, parts ...ast.Node) (*node, error) {
		out := &node{op: op, ast: n}
		for _, p := range parts {
			k, err := c.build(p)
			if err != nil {
				return nil, err
			}
			out.kids = append(out.kids, k)
		}
		return out, nil
	}
	switch x := n.(type) {
	case *ast.BinaryNode:
		switch x.Operator {
		case "&&", "and":
			return kids(opAnd, x.Left, x.Right)
		case "||", "or":
			return kids(opOr, x.Left, x.Right)
		case "??":
			return kids(opCoalesce, x.Left, x.Right)
		}
	case *ast.UnaryNode:
		if x.Operator == "!" || x.Operator == "not" {
			return kids(opNot, x.Node)
		}
	case *ast.ConditionalNode:
		return kids(opCond, x.Cond, x.Exp1, x.Exp2)
	}
	key := n.String()
	if i, ok := c.leafIndex[key]; ok {
		return &node{op: opLeaf, leaf: i, ast: n}, nil
	}
	l := &leaf{src: key}
	l.paths, l.dated = fieldPaths(n)
	for _, p := range l.paths {
		if !c.fieldSeen[p[0]] {
			c.fieldSeen[p[0]] = true
			c.set.fields = append(c.set.fields, p[0])
		}
	}
	prog, err := compileNode(n)
	if err != nil {
		return nil, fmt.Errorf("in %s: %s", key, exprMessage(err))
	}
	l.prog = prog
	c.leafIndex[key] = len(c.set.leaves)
	c.set.leaves = append(c.set.leaves, l)
	return &node{op: opLeaf, leaf: c.leafIndex[key], ast: n}, nil
}

// compileNode compiles a piece of a parsed expression the way
// expr.Compile compiles a whole one. The node is copied first: the
// checker and the patches change the tree they are given, and the
// skeleton keeps the original for explanations.
func compileNode(n ast.Node) (*vm.Program, error) {
	cfg := newConfig(map[string]any{}, true)
	tree := &parser.Tree{Node: cloneNode(n), Source: file.NewSource(n.String())}
	if _, err := new(checker.Checker).PatchAndCheck(tree, cfg); err != nil {
		return nil, err
	}
	if err := optimizer.Optimize(&tree.Node, cfg); err != nil {
		return nil, err
	}
	return compiler.Compile(tree, cfg)
}

// cloneNode deep-copies an expression tree by parsing its text again when
// the text round-trips, which every node the skeleton splits off does.
func cloneNode(n ast.Node) ast.Node {
	t, err := parser.Parse(n.String())
	if err != nil || t.Node.String() != n.String() {
		return n
	}
	return t.Node
}

func newConfig(env map[string]any, withOptions bool) *conf.Config {
	cfg := conf.CreateNew()
	if withOptions {
		for _, op := range exprOptions(env) {
			op(cfg)
		}
	}
	for name := range cfg.Disabled {
		delete(cfg.Builtins, name)
	}
	cfg.Check()
	return cfg
}

// exprOptions are the options every program is compiled with: a map
// environment whose fields may be missing, the date helpers with the
// as-of day appended, division that refuses zero, and no clock.
func exprOptions(env map[string]any) []expr.Option {
	ops := []expr.Option{
		expr.Env(env), expr.AllowUndefinedVariables(),
		expr.DisableBuiltin("now"),
		expr.Patch(helperPatch{}),
		expr.Function("__div", divide),
		expr.Function("__mod", modulo),
	}
	for name, fn := range helpers {
		ops = append(ops, expr.Function(name, dateHelper(name, fn)))
	}
	return ops
}

// helperPatch appends the as-of slot to every date helper call and turns
// / and % into functions that refuse a zero divisor (expr's / gives +Inf).
type helperPatch struct{}

func (helperPatch) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && helpers[id.Value] != nil && len(x.Arguments) == 1 {
			x.Arguments = append(x.Arguments, &ast.IdentifierNode{Value: asOfName})
		}
	case *ast.BinaryNode:
		fn := ""
		switch x.Operator {
		case "/":
			fn = "__div"
		case "%":
			fn = "__mod"
		}
		if fn != "" {
			ast.Patch(n, &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: []ast.Node{x.Left, x.Right}})
		}
	}
}

// vet refuses what expr would accept but a policy must not use: unknown
// functions (expr would call a missing field), method calls, $env (it
// hides which fields are read) and the reserved names.
func vet(n ast.Node) error {
	var err error
	var walk func(n ast.Node)
	fail := func(format string, a ...any) {
		if err == nil {
			err = fmt.Errorf(format, a...)
		}
	}
	walk = func(n ast.Node) {
		if n == nil || err != nil {
			return
		}
		switch x := n.(type) {
		case *ast.BuiltinNode:
			if x.Name == "now" {
				fail("now() reads the clock: count from the as-of day with age, years_since, months_since or days_until")
				return
			}
		case *ast.IdentifierNode:
			switch {
			case x.Value == "$env":
				fail("$env is not allowed: name the fields directly")
			case strings.HasPrefix(x.Value, "__"):
				fail("names starting with __ are reserved (%s)", x.Value)
			}
		case *ast.CallNode:
			id, ok := x.Callee.(*ast.IdentifierNode)
			if !ok {
				fail("%s: only the functions age, years_since, months_since, days_until and expr's own can be called", x.Callee.String())
				return
			}
			if helpers[id.Value] == nil {
				fail("unknown function %s (the functions are age, years_since, months_since, days_until and expr's own)", id.Value)
				return
			}
			if len(x.Arguments) != 1 {
				fail("%s takes one date, got %d arguments", id.Value, len(x.Arguments))
				return
			}
			for _, a := range x.Arguments {
				walk(a)
			}
			return
		}
		for _, k := range children(n) {
			walk(k)
		}
	}
	walk(n)
	return err
}

// children lists a node's direct sub-nodes.
func children(n ast.Node) []ast.Node {
	switch x := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{x.Node}
	case *ast.BinaryNode:
		return []ast.Node{x.Left, x.Right}
	case *ast.ChainNode:
		return []ast.Node{x.Node}
	case *ast.MemberNode:
		return []ast.Node{x.Node, x.Property}
	case *ast.SliceNode:
		return []ast.Node{x.Node, x.From, x.To}
	case *ast.CallNode:
		return append([]ast.Node{x.Callee}, x.Arguments...)
	case *ast.BuiltinNode:
		return x.Arguments
	case *ast.PredicateNode:
		return []ast.Node{x.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{x.Value, x.Expr}
	case *ast.SequenceNode:
		return x.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{x.Cond, x.Exp1, x.Exp2}
	case *ast.ArrayNode:
		return x.Nodes
	case *ast.MapNode:
		return x.Pairs
	case *ast.PairNode:
		return []ast.Node{x.Key, x.Value}
	}
	return nil
}

// fieldPaths lists the profile fields a leaf reads — an identifier, or an
// identifier followed by constant keys (household.size) — and whether it
// calls a date helper. Names bound by let are not fields.
func fieldPaths(n ast.Node) (paths [][]string, dated bool) {
	seen := map[string]bool{}
	add := func(p []string) {
		k := strings.Join(p, "\x00")
		if !seen[k] {
			seen[k] = true
			paths = append(paths, p)
		}
	}
	var walk func(n ast.Node, bound map[string]bool)
	walk = func(n ast.Node, bound map[string]bool) {
		if n == nil {
			return
		}
		switch x := n.(type) {
		case *ast.IdentifierNode:
			if !bound[x.Value] {
				add([]string{x.Value})
			}
			return
		case *ast.MemberNode:
			if p, rest := memberPath(x, bound); p != nil {
				add(p)
				for _, r := range rest {
					walk(r, bound)
				}
				return
			}
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && helpers[id.Value] != nil {
				dated = true
			}
			for _, a := range x.Arguments {
				walk(a, bound)
			}
			return
		case *ast.VariableDeclaratorNode:
			walk(x.Value, bound)
			inner := map[string]bool{x.Name: true}
			for k := range bound {
				inner[k] = true
			}
			walk(x.Expr, inner)
			return
		}
		for _, k := range children(n) {
			walk(k, bound)
		}
	}
	walk(n, map[string]bool{})
	return paths, dated
}

// memberPath reads a.b.c as the path [a b c]; an optional step (a?.b)
// or a computed key ends the path there, and what the computed keys read
// is returned to be walked.
func memberPath(m *ast.MemberNode, bound map[string]bool) ([]string, []ast.Node) {
	var keys []string
	var rest []ast.Node
	var cur ast.Node = m
	for {
		switch x := cur.(type) {
		case *ast.MemberNode:
			s, ok := x.Property.(*ast.StringNode)
			if !ok || x.Optional {
				keys = keys[:0]
				rest = append(rest, x.Property)
			} else {
				keys = append(keys, s.Value)
			}
			cur = x.Node
			continue
		case *ast.IdentifierNode:
			if bound[x.Value] {
				return nil, nil
			}
			p := []string{x.Value}
			for i := len(keys) - 1; i >= 0; i-- {
				p = append(p, keys[i])
			}
			return p, rest
		}
		return nil, nil
	}
}

// exprMessage is expr's error without the source excerpt it appends (the
// caller names the condition and prints its text), with the column where
// the expression went wrong.
func exprMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if fe.Line > 0 {
			msg = fmt.Sprintf("%s (at column %d)", msg, fe.Column+1)
		}
		return msg
	}
	return err.Error()
}

// runMessage is a run-time error's message alone: its column would point
// into the compiled piece, not the expression as written.
func runMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// dateHelper wraps a date function as an expr function of the date and
// the as-of day.
func dateHelper(name string, fn func(d, asOf Day) int) func(params ...any) (any, error) {
	return func(params ...any) (any, error) {
		if len(params) != 2 {
			return nil, fmt.Errorf("%s takes one date", name)
		}
		asOf, ok := params[1].(Day)
		if !ok {
			return nil, fmt.Errorf("%s: no as-of day to count from", name)
		}
		d, err := dateArg(params[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return fn(d, asOf), nil
	}
}

func dateArg(v any) (Day, error) {
	switch x := v.(type) {
	case string:
		return ParseDay(x)
	case time.Time:
		return DayOf(x), nil
	case Day:
		return x, nil
	}
	return Day{}, fmt.Errorf("wants a date \"YYYY-MM-DD\", got %s", describe(v))
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	return 0, false
}

func divide(params ...any) (any, error) {
	a, ok1 := toFloat(params[0])
	b, ok2 := toFloat(params[1])
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("cannot divide %s by %s", describe(params[0]), describe(params[1]))
	}
	if b == 0 {
		return nil, errors.New("division by zero")
	}
	return a / b, nil
}

func modulo(params ...any) (any, error) {
	a, ok1 := toFloat(params[0])
	b, ok2 := toFloat(params[1])
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("cannot take %s modulo %s", describe(params[0]), describe(params[1]))
	}
	if b == 0 {
		return nil, errors.New("division by zero (modulo 0)")
	}
	if a == math.Trunc(a) && b == math.Trunc(b) && math.Abs(a) < 1<<53 && math.Abs(b) < 1<<53 {
		return int(a) % int(b), nil
	}
	return math.Mod(a, b), nil
}
