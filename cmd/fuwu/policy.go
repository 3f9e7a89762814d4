package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
)

func init() {
	register(&command{
		name:    "policy",
		summary: "policy library and matching: import|export|match|list|batch … (fuwu policy help)",
		run:     runPolicy,
	})
}

const policyUsage = `Usage: fuwu policy SUBCOMMAND [args] [flags]

The library (draft → review → published):
  import FILE.jsonl|FILE.xlsx [--status draft|review|published]
  export FILE|- [--all] [--xlsx]     published policies as policies.jsonl (or the Excel template)
  template FILE.xlsx                 an empty Excel template
  list [--state S] [--target person|enterprise] [--expiring DAYS]
  show ID                            the policy, its pending revision and its history
  submit ID | publish ID [--hash H] | return ID --note N | withdraw ID
  fields [--set fields.json]         the field schema (labels, types, questions)
Matching:
  match --policies F --profiles F --as-of YYYY-MM-DD [--json] [--all] [--explain]
        without --policies: the published library; without --profiles: the registries
  check --target person KEY=VALUE …  a self-check: what these answers qualify for
  rematch                            match every profile again and store the results
  results PROFILE                    the stored results of one profile
政策找人 and 免申即享:
  prospects POLICY [--street S] [--community C] [--possible] [--served] [--export FILE.xlsx]
  outreach POLICY PROFILE… --channel doorstep|notify [--item FT-…] [--purpose WHY]
  batch create POLICY [--period YYYY-MM] | batch list [--policy P] [--status S]
  batch show ID | batch approve ID [--note N] | batch return ID --reason R | batch export ID FILE.xlsx
  stats [--from YYYY-MM] [--to YYYY-MM]

Run 'fuwu policy SUBCOMMAND -h' for its flags.`

// policyCmd is what the policy and registry subcommands share.
type policyCmd struct {
	sf     storeFlags
	actor  string
	asJSON bool
	out    io.Writer
	errOut io.Writer // progress, warnings and skipped lines
}

func (c *policyCmd) flags(name string, withStore bool) *flag.FlagSet {
	fs := newFlags(name, c.errOut)
	if withStore {
		c.sf.bind(fs)
		user := env("USER")
		if user == "" {
			user = "cli"
		}
		fs.StringVar(&c.actor, "actor", "cli:"+user, "who is acting (recorded with every change)")
	}
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
	return fs
}

// policyEnv is the policy services over one open store.
type policyEnv struct {
	db    *store.DB
	lib   *policy.Library
	reg   *registry.Store
	live  *policy.Live
	svc   *eligibility.Service
	audit *audit.Log
	log   *slog.Logger
}

func (c *policyCmd) open(ctx context.Context) (*policyEnv, error) {
	db, err := c.sf.open(ctx)
	if err != nil {
		return nil, err
	}
	e, err := openPolicyServices(ctx, db, &c.sf)
	if err != nil {
		db.Close()
		return nil, err
	}
	return e, nil
}

// openPolicyServices makes the library, the registries and the stored
// results over db, counting days in zone (the sealing key comes from the
// data folder, as for appointments).
func openPolicyServices(ctx context.Context, db *store.DB, sf *storeFlags) (*policyEnv, error) {
	r, err := openServices(ctx, db, kb.NewStore(db), sf, false)
	if err != nil {
		return nil, err
	}
	return newPolicyEnv(ctx, db, r, sf.location())
}

// newPolicyEnv makes the policy services over db with the appointments'
// services r (their sealing key and door-to-door service).
func newPolicyEnv(ctx context.Context, db *store.DB, r *services, zone *time.Location) (*policyEnv, error) {
	var err error
	now := r.now
	e := &policyEnv{log: r.log, db: db, lib: policy.NewLibrary(db).WithClock(now, zone), audit: audit.New(db).WithClock(now, zone).WithSuite(r.keys.Suite())}
	e.reg = registry.New(db, r.keys, e.audit).WithClock(now)
	if e.live, err = policy.NewLive(ctx, e.lib); err != nil {
		return nil, err
	}
	e.svc = eligibility.New(db, e.live, e.reg, r.doorstep, e.audit, eligibility.Config{Now: now, Location: zone})
	return e, nil
}

func (e *policyEnv) close() { e.db.Close() }

// parseOpen parses a subcommand's flags, checks how many arguments it
// got (want < 0: at least one), and opens the store.
func (c *policyCmd) parseOpen(ctx context.Context, fs *flag.FlagSet, args []string, want int, usage string) ([]string, *policyEnv, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if (want >= 0 && len(pos) != want) || (want < 0 && len(pos) == 0) {
		return nil, nil, &exitError{code: 2, msg: "usage: " + usage}
	}
	e, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return pos, e, nil
}

// helpFirst prints usage when a command is run bare or asked for help.
func helpFirst(usage string, args []string, std stdio) (bool, error) {
	if len(args) > 0 && args[0] != "help" && args[0] != "-h" && args[0] != "--help" {
		return false, nil
	}
	fmt.Fprintln(std.err, usage)
	if len(args) == 0 {
		return true, &exitError{code: 2}
	}
	return true, nil
}

// record writes a staff change made from the command line to the audit log.
func (c *policyCmd) record(ctx context.Context, e *policyEnv, action, target string, details map[string]any) error {
	if _, err := e.audit.Record(ctx, audit.Entry{Actor: c.actor, Role: "cli", Action: action, Target: target, Details: details}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func (c *policyCmd) print(v any, human func(w io.Writer)) error {
	if c.asJSON {
		enc := json.NewEncoder(c.out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
	human(tw)
	return tw.Flush()
}

func runPolicy(ctx context.Context, args []string, std stdio) error {
	if done, err := helpFirst(policyUsage, args, std); done {
		return err
	}
	c := &policyCmd{out: std.out, errOut: std.err, sf: storeFlags{log: std.log}}
	sub, args := args[0], args[1:]
	switch sub {
	case "match":
		return c.match(ctx, args)
	case "import":
		return c.importPolicies(ctx, args)
	case "export", "template":
		return c.export(ctx, sub, args)
	case "list":
		return c.list(ctx, args)
	case "show":
		return c.show(ctx, args)
	case "submit", "publish", "return", "withdraw":
		return c.step(ctx, sub, args)
	case "fields":
		return c.fields(ctx, args)
	case "check":
		return c.check(ctx, args)
	case "rematch", "results":
		return c.results(ctx, sub, args)
	case "prospects":
		return c.prospects(ctx, args)
	case "outreach":
		return c.outreach(ctx, args)
	case "batch":
		return c.batch(ctx, args)
	case "stats":
		return c.stats(ctx, args)
	}
	fmt.Fprintln(std.err, policyUsage)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", sub)}
}

// match prints the matches of the README's exchange format. Exit status
// 1 when the policies cannot be used (a bad line, an expression that
// does not compile: nothing is matched), 3 when profile lines were
// skipped or a condition could not be evaluated on a profile's values
// (the results are printed all the same), 2 for usage errors.
func (c *policyCmd) match(ctx context.Context, args []string) error {
	fs := c.flags("policy match", true)
	policiesPath := fs.String("policies", "", "policies.jsonl (default: the published library)")
	profilesPath := fs.String("profiles", "", "profiles.jsonl (default: the registries)")
	asOfText := fs.String("as-of", "", "the day to match on, YYYY-MM-DD (default: today in Beijing)")
	all := fs.Bool("all", false, "list ineligible matches too")
	explainFlag := fs.Bool("explain", false, "add to each match what would change it")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu policy match --policies F --profiles F --as-of YYYY-MM-DD [--json] [--all] [--explain]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q (files are given with --policies and --profiles)", pos[0])}
	}
	asOf := policy.Today(c.sf.now()(), c.sf.location())
	if *asOfText != "" {
		if asOf, err = policy.ParseDay(*asOfText); err != nil {
			return &exitError{code: 2, msg: "--as-of: " + err.Error()}
		}
	}
	var env *policyEnv
	needStore := *policiesPath == "" || *profilesPath == ""
	if needStore {
		if env, err = c.open(ctx); err != nil {
			return err
		}
		defer env.close()
	}
	var set *policy.Set
	var schema policy.Schema
	if *policiesPath != "" {
		if set, err = policy.LoadPolicyFile(*policiesPath, policy.CompileOptions{}); err != nil {
			return err
		}
	} else {
		set, schema = env.live.Set(), env.live.Schema()
	}
	opt := policy.RunOptions{AsOf: asOf, All: *all, JSON: c.asJSON, Explain: *explainFlag}
	if env != nil {
		opt.Labels = func(k string) string {
			for _, t := range policy.Targets {
				if f, ok := schema.Field(t, k); ok {
					return f.Label
				}
			}
			return k
		}
	}
	var rep policy.RunReport
	if *profilesPath != "" {
		f, err := os.Open(*profilesPath)
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err = policy.RunMatch(c.out, set, f, *profilesPath, opt)
		if err != nil {
			return err
		}
	} else {
		// The registries, streamed into the same runner as JSONL.
		pr, pw := io.Pipe()
		go func() {
			enc := json.NewEncoder(pw)
			pw.CloseWithError(env.reg.Each(ctx, registry.Filter{}, func(p policy.Profile) error { return enc.Encode(p.Fields) }))
		}()
		rep, err = policy.RunMatch(c.out, set, pr, "registry", opt)
		pr.Close()
		if err != nil {
			return err
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(c.errOut, "skipped: %s\n", p)
	}
	for _, p := range rep.Errors {
		fmt.Fprintf(c.errOut, "cannot evaluate: %s\n", p)
	}
	if n := len(rep.Problems) + len(rep.Errors); n > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d profile line(s) skipped, %d evaluation error(s)", len(rep.Problems), len(rep.Errors))}
	}
	return nil
}

func (c *policyCmd) importPolicies(ctx context.Context, args []string) error {
	fs := c.flags("policy import", true)
	status := fs.String("status", "review", "state of the imported policies: draft, review or published")
	pos, e, err := c.parseOpen(ctx, fs, args, 1, "fuwu policy import FILE.jsonl|FILE.xlsx [--status review]")
	if err != nil {
		return err
	}
	defer e.close()
	st, err := policy.ParseState(*status)
	if err != nil || st == policy.Withdrawn {
		return &exitError{code: 2, msg: fmt.Sprintf("--status %q: draft, review or published", *status)}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	opt := policy.ImportOptions{State: st, Actor: c.actor}
	var rep policy.ImportReport
	if strings.EqualFold(filepath.Ext(pos[0]), ".xlsx") {
		rep, err = e.lib.ImportXLSX(ctx, f, pos[0], opt)
	} else {
		rep, err = e.lib.Import(ctx, f, pos[0], opt)
	}
	if err != nil {
		return err
	}
	if err := c.record(ctx, e, "policy.import", pos[0], map[string]any{"created": rep.Created, "updated": rep.Updated,
		"revised": rep.Revised, "state": string(st)}); err != nil {
		return err
	}
	if err := c.print(rep, func(w io.Writer) {
		for _, p := range rep.Problems {
			fmt.Fprintf(c.errOut, "skipped: %s\n", p)
		}
		fmt.Fprintf(w, "政策：新增 %d，更新 %d，修订待审 %d，未变 %d；跳过 %d 条\n", rep.Created, rep.Updated, rep.Revised, rep.Unchanged, len(rep.Problems))
	}); err != nil {
		return err
	}
	if len(rep.Problems) > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d line(s) skipped", len(rep.Problems))}
	}
	return nil
}

func (c *policyCmd) export(ctx context.Context, sub string, args []string) error {
	fs := c.flags("policy "+sub, sub == "export")
	all := false
	xlsx := false
	if sub == "export" {
		fs.BoolVar(&all, "all", false, "every policy, not only the published ones")
		fs.BoolVar(&xlsx, "xlsx", false, "write the Excel template instead of JSONL (also chosen by a .xlsx name)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu policy " + sub + " FILE"}
	}
	path := pos[0]
	xlsx = xlsx || strings.EqualFold(filepath.Ext(path), ".xlsx")
	var ps []policy.Policy
	if sub == "export" {
		e, err := c.open(ctx)
		if err != nil {
			return err
		}
		defer e.close()
		recs, err := e.lib.List(ctx, policy.Filter{})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if all || r.State == policy.Published {
				ps = append(ps, r.Policy)
			}
		}
	} else if !xlsx {
		return &exitError{code: 2, msg: "the template is an .xlsx workbook"}
	}
	var w io.Writer = c.out
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if xlsx {
		err = policy.WriteXLSX(w, ps)
	} else {
		err = policy.WritePolicies(w, ps)
	}
	if err != nil {
		return err
	}
	if path != "-" {
		fmt.Fprintf(c.errOut, "wrote %s (%d policies)\n", path, len(ps))
	}
	return nil
}

func (c *policyCmd) list(ctx context.Context, args []string) error {
	fs := c.flags("policy list", true)
	state := fs.String("state", "", "draft, review, published or withdrawn")
	target := fs.String("target", "", "person or enterprise")
	expiring := fs.Int("expiring", 0, "only published policies expiring within this many days")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &exitError{code: 2, msg: "usage: fuwu policy list [--state S] [--target T] [--expiring DAYS]"}
	}
	var f policy.Filter
	if *state != "" {
		if f.State, err = policy.ParseState(*state); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	if *target != "" {
		if f.Target, err = policy.ParseTarget(*target); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	var recs []policy.Record
	if *expiring > 0 {
		recs, err = e.lib.Expiring(ctx, e.lib.Today(), *expiring)
	} else {
		recs, err = e.lib.List(ctx, f)
	}
	if err != nil {
		return err
	}
	return c.print(recs, func(w io.Writer) {
		for _, r := range recs {
			p := r.Policy
			pending := ""
			if r.Pending != "" {
				pending = "（修订" + r.Pending.Label() + "）"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s%s\t%s～%s\n", p.ID, p.Title, p.Target.Label(), p.Mode.Label(), r.State.Label(), pending,
				orDash(p.Effective), orDash(p.Expires))
		}
	})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (c *policyCmd) show(ctx context.Context, args []string) error {
	fs := c.flags("policy show", true)
	pos, e, err := c.parseOpen(ctx, fs, args, 1, "fuwu policy show ID")
	if err != nil {
		return err
	}
	defer e.close()
	rec, err := e.lib.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	hist, err := e.lib.History(ctx, pos[0])
	if err != nil {
		return err
	}
	var rev *policy.Revision
	if r, err := e.lib.Revision(ctx, pos[0]); err == nil {
		rev = &r
	}
	v := struct {
		policy.Record
		Revision *policy.Revision `json:"revision,omitempty"`
		History  []policy.History `json:"history"`
	}{rec, rev, hist}
	return c.print(v, func(w io.Writer) {
		p := rec.Policy
		fmt.Fprintf(w, "%s\t%s\n发文\t%s %s\n对象\t%s，%s\n状态\t%s（第 %d 版，hash %s）\n有效期\t%s～%s\n", p.ID, p.Title, p.Issuer, p.DocNo,
			p.Target.Label(), p.Mode.Label(), rec.State.Label(), rec.Version, rec.Hash, orDash(p.Effective), orDash(p.Expires))
		if p.Item != "" {
			fmt.Fprintf(w, "办理事项\t%s\n", p.Item)
		}
		for i, cd := range p.Conditions {
			fmt.Fprintf(w, "条件%d\t%s\t%s\t%s\n", i+1, cd.Label, cd.Expr, cd.Clause)
		}
		if p.Benefit != nil {
			fmt.Fprintf(w, "待遇\t%s\t%s\t%s\n", p.Benefit.Label, p.Benefit.Expr, p.Benefit.Unit)
		}
		if p.Exclusive != "" {
			fmt.Fprintf(w, "不可叠加\t%s\n", p.Exclusive)
		}
		if rev != nil {
			fmt.Fprintf(w, "待审修订\t%s（hash %s，%s）\n", rev.State.Label(), rev.Hash, rev.UpdatedBy)
		}
		for _, h := range hist {
			fmt.Fprintf(w, "%s\t%s\t%s %s\t%s\n", h.At.String(), h.Actor, h.State.Label(), h.Revision, h.Note)
		}
	})
}

func (c *policyCmd) step(ctx context.Context, sub string, args []string) error {
	fs := c.flags("policy "+sub, true)
	note := fs.String("note", "", "why (required to return)")
	hash := ""
	if sub == "publish" {
		fs.StringVar(&hash, "hash", "", "the hash of the version reviewed (fuwu policy show): publishes nothing else")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu policy " + sub + " ID"}
	}
	if sub == "return" && strings.TrimSpace(*note) == "" {
		return &exitError{code: 2, msg: "fuwu policy return: --note says why"}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	id := pos[0]
	switch sub {
	case "submit":
		err = e.lib.Submit(ctx, id, c.actor, *note)
	case "publish":
		err = e.lib.Publish(ctx, id, hash, c.actor, *note)
	case "return":
		err = e.lib.Return(ctx, id, c.actor, *note)
	case "withdraw":
		err = e.lib.Withdraw(ctx, id, c.actor, *note)
	}
	if err != nil {
		return err
	}
	if err := c.record(ctx, e, "policy."+sub, "policy:"+id, map[string]any{"note": *note}); err != nil {
		return err
	}
	if sub == "publish" || sub == "withdraw" {
		// The change reaches a running server through its notification;
		// this process brings the stored results up to date itself.
		if err := e.live.Reload(ctx); err != nil {
			return err
		}
		if err := e.svc.RematchPolicies(ctx, id); err != nil {
			return err
		}
	}
	rec, err := e.lib.Get(ctx, id)
	if err != nil {
		return err
	}
	pending := ""
	if rec.Pending != "" {
		pending = "，修订" + rec.Pending.Label()
	}
	fmt.Fprintf(c.out, "%s %s：%s%s\n", id, rec.Policy.Title, rec.State.Label(), pending)
	return nil
}

func (c *policyCmd) fields(ctx context.Context, args []string) error {
	fs := c.flags("policy fields", true)
	set := fs.String("set", "", "replace the schema with this fields.json")
	_, e, err := c.parseOpen(ctx, fs, args, 0, "fuwu policy fields [--set fields.json]")
	if err != nil {
		return err
	}
	defer e.close()
	if *set != "" {
		f, err := os.Open(*set)
		if err != nil {
			return err
		}
		s, err := policy.ReadSchema(f)
		f.Close()
		if err != nil {
			return err
		}
		if err := e.lib.SetSchema(ctx, s, c.actor); err != nil {
			return err
		}
		if err := c.record(ctx, e, "policy.fields", *set, nil); err != nil {
			return err
		}
	}
	s, err := e.lib.Schema(ctx)
	if err != nil {
		return err
	}
	return c.print(s, func(w io.Writer) {
		for _, t := range policy.Targets {
			for _, f := range s.Fields(t) {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Label(), f.Key, f.Label, f.Type, f.Unit, f.Ask())
			}
		}
	})
}

// check is the self-check from the command line: KEY=VALUE answers read
// with the schema, the result with reasons and the next question.
func (c *policyCmd) check(ctx context.Context, args []string) error {
	fs := c.flags("policy check", true)
	target := fs.String("target", "person", "person or enterprise")
	only := fs.String("policy", "", "check these policies only (comma-separated ids)")
	asOfText := fs.String("as-of", "", "the day, YYYY-MM-DD (default today)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	t, err := policy.ParseTarget(*target)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	asOf := e.lib.Today()
	if *asOfText != "" {
		if asOf, err = policy.ParseDay(*asOfText); err != nil {
			return &exitError{code: 2, msg: "--as-of: " + err.Error()}
		}
	}
	schema := e.live.Schema()
	answers := map[string]any{}
	for _, a := range pos {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return &exitError{code: 2, msg: fmt.Sprintf("answer %q: write KEY=VALUE", a)}
		}
		val, err := schema.Parse(t, strings.TrimSpace(k), v)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		if val != nil {
			answers[strings.TrimSpace(k)] = val
		}
	}
	res, err := e.live.Check(t, answers, asOf, splitList(*only)...)
	if err != nil {
		return err
	}
	return c.print(res, func(w io.Writer) {
		show := func(head string, list []policy.Checked) {
			for _, ch := range list {
				fmt.Fprintf(w, "%s\t%s %s\t%s\n", head, ch.Policy.ID, ch.Policy.Title, ch.Explanation.Summary)
			}
		}
		show("符合", res.Eligible)
		show("可能符合", res.Possible)
		if len(res.Ask) > 0 {
			fmt.Fprintf(w, "下一个问题\t%s（%s）\n", res.Ask[0].Ask(), res.Ask[0].Key)
		}
	})
}

func (c *policyCmd) results(ctx context.Context, sub string, args []string) error {
	fs := c.flags("policy "+sub, true)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if (sub == "results") != (len(pos) == 1) {
		return &exitError{code: 2, msg: "usage: fuwu policy rematch | fuwu policy results PROFILE"}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	if sub == "rematch" {
		if err := e.svc.MatchAll(ctx); err != nil {
			return err
		}
		cov, err := e.svc.Coverage(ctx)
		if err != nil {
			return err
		}
		return c.printCoverage(cov)
	}
	if _, err := e.svc.Sync(ctx); err != nil {
		return err
	}
	rs, err := e.svc.ResultsFor(ctx, pos[0])
	if err != nil {
		return err
	}
	return c.print(rs, func(w io.Writer) {
		for _, r := range rs {
			amount := ""
			if r.AmountFen != nil {
				amount = eligibility.Yuan(*r.AmountFen) + " 元"
			}
			if r.ExcludedBy != "" {
				amount += "（不可叠加，按 " + r.ExcludedBy + "）"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.PolicyID, r.Status.Label(), amount)
		}
	})
}

func (c *policyCmd) printCoverage(cov []eligibility.Coverage) error {
	return c.print(cov, func(w io.Writer) {
		fmt.Fprintln(w, "政策\t名称\t方式\t符合\t可能符合\t已服务")
		for _, r := range cov {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\n", r.PolicyID, r.Title, r.Mode.Label(), r.Eligible, r.Possible, r.Served)
		}
	})
}

func (c *policyCmd) prospects(ctx context.Context, args []string) error {
	fs := c.flags("policy prospects", true)
	street := fs.String("street", "", "street (街道)")
	community := fs.String("community", "", "community (社区)")
	possible := fs.Bool("possible", false, "list the possible (facts missing) instead of the eligible")
	served := fs.Bool("served", false, "include those already served")
	export := fs.String("export", "", "write the whole list to this .xlsx")
	limit := fs.Int("limit", 50, "rows to print")
	pos, e, err := c.parseOpen(ctx, fs, args, 1, "fuwu policy prospects POLICY [--street S] [--community C]")
	if err != nil {
		return err
	}
	defer e.close()
	if _, err := e.svc.Sync(ctx); err != nil {
		return err
	}
	f := eligibility.ProspectFilter{PolicyID: pos[0], Street: *street, Community: *community, Served: *served}
	if *possible {
		f.Status = policy.Possible
	}
	if *export != "" {
		out, err := os.Create(*export)
		if err != nil {
			return err
		}
		if err := e.svc.ExportProspects(ctx, out, f); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
		fmt.Fprintf(c.errOut, "wrote %s\n", *export)
	}
	list, total, err := e.svc.Prospects(ctx, f, *limit, 0)
	if err != nil {
		return err
	}
	return c.print(map[string]any{"total": total, "prospects": list}, func(w io.Writer) {
		for _, p := range list {
			amount := ""
			if p.AmountFen != nil {
				amount = eligibility.Yuan(*p.AmountFen)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s%s\t%s\t%s\n", p.ProfileID, p.Name, p.Phone, p.Street, p.Community, p.Status.Label(), amount)
		}
		fmt.Fprintf(w, "共 %d 人（户）\n", total)
	})
}

func (c *policyCmd) outreach(ctx context.Context, args []string) error {
	fs := c.flags("policy outreach", true)
	channel := fs.String("channel", "", "doorstep (上门办 requests) or notify (a notification list)")
	item := fs.String("item", "", "door-to-door item (default: the policy's own item)")
	purpose := fs.String("purpose", "", "why the contacts are opened (recorded)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || *channel == "" {
		return &exitError{code: 2, msg: "usage: fuwu policy outreach POLICY PROFILE… --channel doorstep|notify"}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	if _, err := e.svc.Sync(ctx); err != nil {
		return err
	}
	rep, err := e.svc.Outreach(ctx, eligibility.OutreachRequest{PolicyID: pos[0], ProfileIDs: pos[1:], Channel: *channel, ItemID: *item,
		Actor: c.actor, Role: "cli", Purpose: *purpose})
	if err != nil {
		return explain(err)
	}
	return c.print(rep, func(w io.Writer) {
		for _, n := range rep.Requests {
			fmt.Fprintf(w, "上门办申请\t%s\n", n)
		}
		if rep.Notified > 0 {
			fmt.Fprintf(w, "列入通知\t%d 人\n", rep.Notified)
		}
		for _, s := range rep.Skipped {
			fmt.Fprintf(w, "跳过\t%s\t%s\n", s.ProfileID, s.Reason)
		}
	})
}

func (c *policyCmd) batch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: "usage: fuwu policy batch create|list|show|approve|return|export …"}
	}
	sub, args := args[0], args[1:]
	fs := c.flags("policy batch "+sub, true)
	var period, note, reason, policyID, status string
	switch sub {
	case "create":
		fs.StringVar(&period, "period", "", "the month the batch pays for, YYYY-MM (default: this month)")
	case "list":
		fs.StringVar(&policyID, "policy", "", "one policy's batches")
		fs.StringVar(&status, "status", "", "review, approved or returned")
	case "approve":
		fs.StringVar(&note, "note", "", "a note recorded with the approval")
	case "return":
		fs.StringVar(&reason, "reason", "", "why it is returned (required)")
	case "show", "export":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown batch subcommand %q", sub)}
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"create": 1, "list": 0, "show": 1, "approve": 1, "return": 1, "export": 2}[sub]
	if len(pos) != want {
		return &exitError{code: 2, msg: "wrong number of arguments; see fuwu policy help"}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	batchID := func() (int64, error) {
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return 0, &exitError{code: 2, msg: fmt.Sprintf("batch id %q is not a number", pos[0])}
		}
		return id, nil
	}
	showBatch := func(b eligibility.Batch, lines []eligibility.Line) error {
		v := struct {
			eligibility.Batch
			Lines []eligibility.Line `json:"lines,omitempty"`
		}{b, lines}
		return c.print(v, func(w io.Writer) {
			fmt.Fprintf(w, "批次 %d\t%s %s\t%s\t%s\n个人 %d，企业 %d\t合计 %s 元（%s）\n", b.ID, b.PolicyID, b.Title, b.Period, b.Status.Label(),
				b.People, b.Enterprises, eligibility.Yuan(b.AmountFen), b.Unit)
			for _, l := range lines {
				fmt.Fprintf(w, "  %s\t%s\t%s%s\t%s\n", l.ProfileID, l.Name, l.Street, l.Community, eligibility.Yuan(l.AmountFen))
			}
		})
	}
	switch sub {
	case "create":
		rep, err := e.svc.CreateBatch(ctx, pos[0], period, c.actor)
		if err != nil {
			return err
		}
		if err := c.record(ctx, e, "policy.batch.create", fmt.Sprintf("batch:%d", rep.Batch.ID), map[string]any{"policy": pos[0]}); err != nil {
			return err
		}
		if c.asJSON {
			return c.print(rep, nil)
		}
		fmt.Fprintf(c.out, "已生成批次 %d：%s，%s，个人 %d，企业 %d，合计 %s 元；已在批次中 %d，金额待定 %d，按互斥政策享受其他待遇 %d\n",
			rep.Batch.ID, rep.Batch.Title, rep.Batch.Period, rep.Batch.People, rep.Batch.Enterprises, eligibility.Yuan(rep.Batch.AmountFen),
			rep.AlreadyListed, rep.NoAmount, rep.Excluded)
		return nil
	case "list":
		bs, err := e.svc.Batches(ctx, eligibility.BatchFilter{PolicyID: policyID, Status: eligibility.BatchStatus(status)})
		if err != nil {
			return err
		}
		return c.print(bs, func(w io.Writer) {
			for _, b := range bs {
				fmt.Fprintf(w, "%d\t%s %s\t%s\t%s\t%d 人 %d 企业\t%s 元\t%s\n", b.ID, b.PolicyID, b.Title, b.Period, b.Status.Label(),
					b.People, b.Enterprises, eligibility.Yuan(b.AmountFen), b.CreatedBy)
			}
		})
	case "show":
		id, err := batchID()
		if err != nil {
			return err
		}
		b, lines, err := e.svc.Batch(ctx, id)
		if err != nil {
			return err
		}
		return showBatch(b, lines)
	case "approve", "return":
		id, err := batchID()
		if err != nil {
			return err
		}
		if sub == "approve" {
			err = e.svc.ApproveBatch(ctx, id, c.actor, note)
		} else {
			err = e.svc.ReturnBatch(ctx, id, c.actor, reason)
		}
		if err != nil {
			return err
		}
		if err := c.record(ctx, e, "policy.batch."+sub, fmt.Sprintf("batch:%d", id), map[string]any{"note": note + reason}); err != nil {
			return err
		}
		b, _, err := e.svc.Batch(ctx, id)
		if err != nil {
			return err
		}
		return showBatch(b, nil)
	case "export":
		id, err := batchID()
		if err != nil {
			return err
		}
		f, err := os.Create(pos[1])
		if err != nil {
			return err
		}
		if err := e.svc.ExportBatch(ctx, f, id); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

func (c *policyCmd) stats(ctx context.Context, args []string) error {
	fs := c.flags("policy stats", true)
	from := fs.String("from", "", "first month, YYYY-MM")
	to := fs.String("to", "", "last month, YYYY-MM")
	_, e, err := c.parseOpen(ctx, fs, args, 0, "fuwu policy stats [--from YYYY-MM] [--to YYYY-MM]")
	if err != nil {
		return err
	}
	defer e.close()
	st, err := e.svc.Stats(ctx, *from, *to)
	if err != nil {
		if errors.Is(err, eligibility.ErrInput) {
			return &exitError{code: 2, msg: err.Error()}
		}
		return err
	}
	return c.print(st, func(w io.Writer) {
		table := func(head string, rows []eligibility.StatRow) {
			fmt.Fprintf(w, "%s\t个人\t企业\t金额（元）\t批次\n", head)
			for _, r := range append(rows, st.All) {
				fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%d\n", r.Label, r.People, r.Enterprises, eligibility.Yuan(r.AmountFen), r.Batches)
			}
			fmt.Fprintln(w)
		}
		table("按政策", st.ByPolicy)
		table("按街道", st.ByStreet)
		table("按月份", st.ByMonth)
	})
}
