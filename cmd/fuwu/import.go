package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/schollz/progressbar/v3"
)

func init() {
	register(&command{
		name:    "import",
		summary: "import service items, halls and policies (JSONL folder, CSV, XLSX)",
		run:     runImport,
	})
}

func runImport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("import", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	items := fs.String("items", "", "items file (.jsonl, .csv or .xlsx)")
	halls := fs.String("halls", "", "halls file (.jsonl)")
	policies := fs.String("policies", "", "policy documents file (.jsonl)")
	status := fs.String("status", "", "publishing state for the imported items: draft, review or published (default: published for new items, existing items keep theirs)")
	actor := fs.String("actor", "import", "who is recorded as having made the change")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	template := fs.String("template", "", "write an empty item sheet template to this .xlsx or .csv file and exit (see docs/import.md)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu import [flags] [FOLDER or FILE ...]\n       fuwu import --template items.xlsx\n\nA folder is read by file name: halls.jsonl, items.jsonl, policies.jsonl, *.csv, *.xlsx.\nItem sheets (.csv, .xlsx) map Chinese column names to fields: see docs/import.md.\nBad lines are reported with file and line number and skipped; the exit status is 3 if any was skipped.")
		fs.PrintDefaults()
	}
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *template != "" {
		return writeTemplate(*template, std)
	}
	type job struct{ path, kind string }
	var jobs []job
	if *halls != "" {
		jobs = append(jobs, job{*halls, "halls"})
	}
	if *items != "" {
		jobs = append(jobs, job{*items, "items"})
	}
	if *policies != "" {
		jobs = append(jobs, job{*policies, "policies"})
	}
	for _, p := range paths {
		jobs = append(jobs, job{p, ""})
	}
	if len(jobs) == 0 {
		fs.Usage()
		return &exitError{code: 2}
	}
	opt := kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: *actor}}
	if *status != "" {
		st, err := kb.ParseStatus(*status)
		if err != nil {
			return err
		}
		opt.Upsert.Status, opt.Upsert.ForceStatus = st, true
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s := kb.NewStore(db)

	var total kb.Report
	for _, j := range jobs {
		bars := progressBars{w: std.err}
		if isTerminal(std.err) && !*asJSON {
			opt.Progress = bars.update
		}
		rep, err := s.ImportPath(ctx, j.path, j.kind, opt)
		bars.finish()
		total.Add(rep)
		if err != nil {
			printReport(total, *asJSON, std)
			return err
		}
	}
	printReport(total, *asJSON, std)
	if total.Skipped() > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d line(s) skipped", total.Skipped())}
	}
	return nil
}

func printReport(r kb.Report, asJSON bool, std stdio) {
	if asJSON {
		if r.Problems == nil {
			r.Problems = []kb.Problem{}
		}
		_ = json.NewEncoder(std.out).Encode(r)
		return
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(std.err, "warning: %s\n", p)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(std.err, "skipped: %s\n", p)
	}
	fmt.Fprintf(std.out, "事项：新增 %d，更新 %d，未变 %d；服务大厅 %d；政策文件 %d；跳过 %d 行\n",
		r.Items.Created, r.Items.Updated, r.Items.Unchanged, r.Halls, r.Policies, r.Skipped())
}

// writeTemplate writes the empty item sheet staff fill in.
func writeTemplate(path string, std stdio) (err error) {
	var write func(io.Writer, []kb.Item) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		write = kb.WriteSheetXLSX
	case ".csv":
		write = kb.WriteSheetCSV
	default:
		return fmt.Errorf("--template %s: the name must end in .xlsx or .csv", path)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := write(f, nil); err != nil {
		return fmt.Errorf("write template %s: %w", path, err)
	}
	fmt.Fprintf(std.err, "wrote %s: fill one item a row, then run: fuwu import %s\n", path, path)
	return nil
}

// progressBars shows one bar per file on the terminal: a spinner with the
// rows read while a sheet is being read, then a bar of the items stored.
type progressBars struct {
	w    io.Writer // the terminal's standard error
	file string
	bar  *progressbar.ProgressBar
	max  int
}

func (p *progressBars) update(file string, done, total int) {
	if p.bar != nil && (file != p.file || total != p.max) {
		p.finish()
	}
	if p.bar == nil {
		p.file, p.max = file, total
		desc := "导入 " + file
		if total == 0 {
			desc = "读取 " + file + "（行）"
			total = -1 // spinner: the row count is not known yet
		}
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(desc), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
	}
	_ = p.bar.Set(done)
}

func (p *progressBars) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
