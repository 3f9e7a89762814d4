package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
)

func init() {
	register(&command{
		name:    "registry",
		summary: "人口库/法人库: registry import|list|reveal|generate",
		run:     runRegistry,
	})
}

const registryUsage = `Usage: fuwu registry SUBCOMMAND [args] [flags]

  import FILE --kind person|enterprise [--mapping mapping.json]
        CSV (UTF-8 or GBK), .xlsx or JSONL. Without a mapping, the columns are
        recognised by their usual Chinese names (姓名, 身份证号, 联系电话, 住址,
        街道, 社区, 统一社会信用代码 …) and the field schema's labels. ID numbers
        (GB 11643) and credit codes (GB 32100) are checked; a bad row is reported
        with its line and the rest imports; a re-import updates by key.
  list [--kind K] [--street S] [--community C] [--limit N]   masked
  reveal ID --purpose WHY            the full name, ID number, phone and address (audited)
  generate --persons N --enterprises N [--seed S] [--as-of DAY] DIR
        illustrative registries (persons.jsonl, enterprises.jsonl) for trials and benchmarks

Run 'fuwu registry SUBCOMMAND -h' for its flags.`

func runRegistry(ctx context.Context, args []string, std stdio) error {
	if done, err := helpFirst(registryUsage, args, std); done {
		return err
	}
	c := &policyCmd{out: std.out, errOut: std.err, sf: storeFlags{log: std.log}}
	sub, args := args[0], args[1:]
	switch sub {
	case "import":
		return c.registryImport(ctx, args)
	case "list":
		return c.registryList(ctx, args)
	case "reveal":
		return c.registryReveal(ctx, args)
	case "generate":
		return registryGenerate(args, std)
	}
	fmt.Fprintln(std.err, registryUsage)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", sub)}
}

// registryImport imports a registry file. Exit status 3 when rows were
// skipped (each reported with its line), as fuwu import does.
func (c *policyCmd) registryImport(ctx context.Context, args []string) error {
	fs := c.flags("registry import", true)
	kind := fs.String("kind", "", "person (人口库) or enterprise (法人库); may be given by the mapping")
	mapping := fs.String("mapping", "", "field mapping (JSON: column → field, type, unit)")
	batch := fs.Int("batch", 500, "rows per transaction")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu registry import FILE --kind person|enterprise [--mapping M]"}
	}
	opt := registry.ImportOptions{BatchSize: *batch}
	if *kind != "" {
		if opt.Kind, err = policy.ParseTarget(*kind); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	if *mapping != "" {
		f, err := os.Open(*mapping)
		if err != nil {
			return err
		}
		m, err := registry.ReadMapping(f)
		f.Close()
		if err != nil {
			return err
		}
		opt.Mapping = &m
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	if opt.Schema, err = e.lib.Schema(ctx); err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	if isTerminal(c.errOut) && !c.asJSON {
		opt.Progress = func(p registry.Progress) {
			if bar == nil {
				bar = progressbar.NewOptions64(max(p.Total, -1), progressbar.OptionSetWriter(c.errOut), progressbar.OptionShowBytes(true),
					progressbar.OptionSetDescription("导入 "+pos[0]), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set64(p.Bytes)
			bar.Describe(fmt.Sprintf("导入 %s（%d 行）", pos[0], p.Rows))
		}
	}
	rep, err := e.reg.ImportFile(ctx, pos[0], opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := c.record(ctx, e, "registry.import", pos[0], map[string]any{"created": rep.Created, "updated": rep.Updated,
		"skipped": len(rep.Problems)}); err != nil {
		return err
	}
	// The stored results follow: a running server hears the change; this
	// process matches what changed itself, so the lists are current even
	// with no server running.
	if _, err := e.svc.Sync(ctx); err != nil {
		return err
	}
	if err := c.print(rep, func(w io.Writer) {
		for _, p := range rep.Warnings {
			fmt.Fprintf(c.errOut, "warning: %s\n", p)
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(c.errOut, "skipped: %s\n", p)
		}
		fmt.Fprintf(w, "读取 %d 行：新增 %d，更新 %d，未变 %d，跳过 %d 行\n", rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Skipped())
	}); err != nil {
		return err
	}
	if rep.Skipped() > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d row(s) skipped", rep.Skipped())}
	}
	return nil
}

func (c *policyCmd) registryList(ctx context.Context, args []string) error {
	fs := c.flags("registry list", true)
	kind := fs.String("kind", "", "person or enterprise")
	street := fs.String("street", "", "street")
	community := fs.String("community", "", "community")
	limit := fs.Int("limit", 50, "rows")
	offset := fs.Int("offset", 0, "rows to skip")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &exitError{code: 2, msg: "usage: fuwu registry list [--kind K] [--street S]"}
	}
	f := registry.Filter{Street: strings.TrimSuffix(*street, "街道"), Community: *community}
	if *kind != "" {
		if f.Kind, err = policy.ParseTarget(*kind); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	e, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer e.close()
	recs, total, err := e.reg.List(ctx, f, *limit, *offset)
	if err != nil {
		return err
	}
	return c.print(map[string]any{"total": total, "profiles": recs}, func(w io.Writer) {
		for _, r := range recs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s%s\n", r.ID, r.Kind.Label(), r.Name, r.IDNumber, r.Phone, r.Street, r.Community)
		}
		fmt.Fprintf(w, "共 %d 条\n", total)
	})
}

func (c *policyCmd) registryReveal(ctx context.Context, args []string) error {
	fs := c.flags("registry reveal", true)
	purpose := fs.String("purpose", "", "why the full data is needed (recorded in the audit log)")
	pos, e, err := c.parseOpen(ctx, fs, args, 1, "fuwu registry reveal ID --purpose WHY")
	if err != nil {
		return err
	}
	defer e.close()
	if strings.TrimSpace(*purpose) == "" {
		return &exitError{code: 2, msg: "fuwu registry reveal: --purpose says why (it is recorded)"}
	}
	ct, err := e.reg.Reveal(ctx, pos[0], c.actor, "cli", *purpose)
	if err != nil {
		return err
	}
	return c.print(ct, func(w io.Writer) {
		fmt.Fprintf(w, "姓名/名称\t%s\n证件号码\t%s\n联系电话\t%s\n地址\t%s\n", ct.Name, ct.IDNumber, ct.Phone, ct.Address)
	})
}

func registryGenerate(args []string, std stdio) error {
	fs := newFlags("registry generate", std.err)
	persons := fs.Int("persons", 10000, "residents")
	enterprises := fs.Int("enterprises", 2000, "enterprises")
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same registries)")
	asOfText := fs.String("as-of", "2026-01-01", "the day ages are taken at, YYYY-MM-DD")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu registry generate [--persons N] [--enterprises N] DIR"}
	}
	asOf, err := policy.ParseDay(*asOfText)
	if err != nil {
		return &exitError{code: 2, msg: "--as-of: " + err.Error()}
	}
	if err := os.MkdirAll(pos[0], 0o755); err != nil {
		return err
	}
	write := func(name string, gen func(w io.Writer) error) error {
		f, err := os.Create(pos[0] + string(os.PathSeparator) + name)
		if err != nil {
			return err
		}
		if err := gen(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := write("persons.jsonl", func(w io.Writer) error { return registry.GeneratePersons(w, *seed, *persons, asOf) }); err != nil {
		return err
	}
	if err := write("enterprises.jsonl", func(w io.Writer) error { return registry.GenerateEnterprises(w, *seed, *enterprises, asOf) }); err != nil {
		return err
	}
	fmt.Fprintf(std.err, "wrote %s/persons.jsonl (%d) and enterprises.jsonl (%d): illustrative, generated from seed %d\n", pos[0], *persons, *enterprises, *seed)
	return nil
}
