package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// serviceSub is one subcommand of booking or doorstep: one function,
// which makes its own flag set (c.flags, c.parse).
type serviceSub struct {
	run func(ctx context.Context, c *serviceCmd, args []string) error
	// audited subcommands change something or open sealed data: each
	// success is written to the audit log.
	audited bool
}

// runServiceSubs runs the subcommand args[0] of the command name.
func runServiceSubs(ctx context.Context, name, usage string, subs map[string]serviceSub, args []string, std stdio) error {
	if done, err := serviceHelp(name, usage, args, std); done {
		return err
	}
	sub, ok := subs[args[0]]
	if !ok {
		printServiceUsage(name, usage, std.err)
		return &exitError{code: 2, msg: "unknown subcommand " + args[0]}
	}
	c := &serviceCmd{cmd: name, sub: args[0], out: std.out, errOut: std.err, sf: storeFlags{log: std.log}}
	defer c.close()
	err := sub.run(ctx, c, args[1:])
	if err == nil && sub.audited {
		err = c.record(ctx, name+"."+c.sub, c.pos)
	}
	return err
}

// serviceCmd is what the booking and doorstep subcommands share: the
// store flags, who acts, JSON or text, and the open store.
type serviceCmd struct {
	cmd, sub string // "booking", "hours"
	sf       storeFlags
	actor    string
	asJSON   bool
	out      io.Writer
	errOut   io.Writer
	pos      []string // the positional arguments, once parsed
	db       *store.DB
}

func (c *serviceCmd) bind(fs *flag.FlagSet) {
	c.sf.bind(fs)
	user := env("USER")
	if user == "" {
		user = "cli"
	}
	fs.StringVar(&c.actor, "actor", "cli:"+user, "who is acting (recorded with every change)")
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
}

// flags is the subcommand's own flag set, with the shared flags bound.
func (c *serviceCmd) flags() *flag.FlagSet {
	fs := newFlags(c.cmd+" "+c.sub, c.errOut)
	c.bind(fs)
	return fs
}

// parse parses the subcommand's flags (parseSub) and checks it has at
// least min positional arguments (argsUsage describes them).
func (c *serviceCmd) parse(fs *flag.FlagSet, args []string, min int, argsUsage string) ([]string, error) {
	pos, err := parseSub(fs, args, c.errOut, min, argsUsage)
	if err != nil {
		return nil, err
	}
	c.pos = pos
	return pos, nil
}

// open opens the store and both services; runServiceSubs closes it.
func (c *serviceCmd) open(ctx context.Context) (*services, error) {
	db, err := c.sf.open(ctx)
	if err != nil {
		return nil, err
	}
	r, err := openServices(ctx, db, kb.NewStore(db), &c.sf, false)
	if err != nil {
		db.Close()
		return nil, err
	}
	c.db = db
	return r, nil
}

func (c *serviceCmd) close() {
	if c.db != nil {
		c.db.Close()
	}
}

// record writes a staff change made from the command line to the audit
// log (the web records its own, with the role and the address).
func (c *serviceCmd) record(ctx context.Context, action string, pos []string) error {
	target := strings.Join(pos, " ")
	if r := []rune(target); len(r) > 100 {
		target = string(r[:100])
	}
	_, err := audit.New(c.db).WithClock(c.sf.now(), c.sf.location()).WithSuite(auditSuite(c.sf)).Record(ctx, audit.Entry{Actor: c.actor, Role: "cli", Action: action, Target: target})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// print writes v as JSON, or calls human.
func (c *serviceCmd) print(v any, human func(w io.Writer)) error {
	if c.asJSON {
		enc := json.NewEncoder(c.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
	human(tw)
	return tw.Flush()
}

// explain puts the resident-facing message in front of a refusal (once).
func explain(err error) error {
	if r, ok := refusal.As(err); ok && !strings.Contains(err.Error(), r.UserMessage()) {
		return fmt.Errorf("%s (%w)", r.UserMessage(), err)
	}
	return err
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// serviceHelp prints a service command's usage when args ask for it (or are
// empty, which is a usage error) and reports whether it did.
func serviceHelp(name, usage string, args []string, std stdio) (bool, error) {
	if len(args) > 0 && args[0] != "-h" && args[0] != "--help" && args[0] != "help" {
		return false, nil
	}
	printServiceUsage(name, usage, std.err)
	if len(args) == 0 {
		return true, &exitError{code: 2}
	}
	return true, nil
}

// printServiceUsage prints a service command's usage and the flags its
// subcommands share.
func printServiceUsage(name, usage string, w io.Writer) {
	fmt.Fprintln(w, usage)
	fs := newFlags(name, w)
	var c serviceCmd
	c.bind(fs)
	fs.PrintDefaults()
}
