package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/llm"
)

func init() {
	register(&command{
		name:    "greening",
		summary: "greening maintenance (绿化管养): import, plan, risk, report, ask, demo",
		run:     runGreening,
	})
}

var greeningSubs = map[string]struct {
	summary string
	run     func(ctx context.Context, args []string, std stdio) error
}{
	"import": {"import trees (or --spaces green spaces) from .csv/.xlsx, bad rows reported by line", runGreeningImport},
	"plan":   {"the week's (or --month) maintenance plan, adjusted by live conditions, each task with why", runGreeningPlan},
	"risk":   {"trees ranked by typhoon toppling (or --pest outbreak) risk, with factor contributions", runGreeningRisk},
	"report": {"the monthly report as .xlsx or .docx", runGreeningReport},
	"ask":    {"answer a maintenance question from the species library and the regulations, with citations", runGreeningAsk},
	"demo":   {"load the synthetic inventory (~20 000 trees, 300 green spaces) into an empty inventory", runGreeningDemo},
}

func runGreening(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(std.err, "Usage: fuwu greening SUBCOMMAND [flags] [args]\n\nSubcommands:")
		names := make([]string, 0, len(greeningSubs))
		for n := range greeningSubs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(std.err, "  %-8s %s\n", n, greeningSubs[n].summary)
		}
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	sub, ok := greeningSubs[args[0]]
	if !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q (fuwu greening help lists them)", args[0])}
	}
	return sub.run(ctx, args[1:], std)
}

// greeningOpen opens the greening store (and the city store on the same
// database, for live conditions).
func greeningOpen(ctx context.Context, sf storeFlags) (*greening.Store, *citymon.Store, func(), error) {
	db, err := sf.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return greening.NewStore(db, time.Now), citymon.NewStore(db, time.Now), func() { db.Close() }, nil
}

func runGreeningImport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening import", std.err)
	var sf storeFlags
	sf.bind(fs)
	spaces := fs.Bool("spaces", false, "the files hold green spaces (编号, 名称, 类型, 面积, 管理单位, 街道, 经度, 纬度), not trees")
	actor := fs.String("actor", "cli", "who is recorded as having made the change")
	asJSON := fs.Bool("json", false, "print JSON")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return &exitError{code: 2, msg: "usage: fuwu greening import [--spaces] FILE.csv|FILE.xlsx …\ntree columns: " + treeColumnsHelp()}
	}
	s, _, closeDB, err := greeningOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	skipped := 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		start := time.Now()
		var rep greening.ImportReport
		if *spaces {
			rep, err = s.ImportSpaces(ctx, filepath.Base(path), f)
		} else {
			bars := progressBars{w: std.err}
			var progress greening.Progress
			if term.IsTerminal(int(os.Stderr.Fd())) && !*asJSON {
				progress = func(done, total int) { bars.update(filepath.Base(path), done, total) }
			}
			rep, err = s.ImportTrees(ctx, filepath.Base(path), f, *actor, progress)
			bars.finish()
		}
		f.Close()
		if err != nil {
			return err
		}
		took := time.Since(start)
		if *asJSON {
			if err := writeJSONLine(std.out, rep); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(std.out, "%s: %d 行，保存 %d，跳过 %d（%.1f s，%.0f 行/秒）\n", path, rep.Rows, rep.Saved, len(rep.Problems),
				took.Seconds(), float64(rep.Rows)/max(took.Seconds(), 1e-3))
			for _, p := range rep.Problems {
				fmt.Fprintf(std.err, "%s: %s\n", path, p)
			}
		}
		skipped += len(rep.Problems)
	}
	if skipped > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d line(s) skipped", skipped)}
	}
	return nil
}

func treeColumnsHelp() string {
	var cols []string
	for _, c := range greening.TreeColumns {
		cols = append(cols, c[0]+"/"+c[1])
	}
	return strings.Join(cols, ", ")
}

func runGreeningPlan(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening plan", std.err)
	var sf storeFlags
	sf.bind(fs)
	month := fs.Bool("month", false, "the month's plan instead of the week's")
	street := fs.String("street", "", "one street (街道) only")
	limit := fs.Int("n", 30, "tasks to print (0: all)")
	issue := fs.String("issue", "", "file the plan's tasks as work orders for this team")
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, city, closeDB, err := greeningOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	kind := "week"
	if *month {
		kind = "month"
	}
	start := time.Now()
	p, err := s.PlanNow(ctx, city, kind, *street, time.Now())
	if err != nil {
		return err
	}
	took := time.Since(start)
	if *issue != "" {
		n, err := s.OrdersFromPlan(ctx, p, *issue, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(std.err, "已生成工单 %d 件，派给 %s\n", n, *issue)
	}
	if *asJSON {
		return writeJSONLine(std.out, p)
	}
	fmt.Fprintf(std.out, "%s %s—%s 养护计划：树木 %d 株，任务 %d 项（生成 %s）\n", map[string]string{"week": "周", "month": "月"}[kind],
		p.Period.Start.Format("2006-01-02"), p.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), p.Trees, len(p.Tasks), took.Round(time.Millisecond))
	for _, n := range p.Conditions.Notes {
		fmt.Fprintln(std.out, "  条件："+n)
	}
	if p.Status != "" {
		fmt.Fprintln(std.out, "  知识库："+p.Status)
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "优先级\t任务\t街道\t树种\t株数\t完成期限\t原因")
	for i, t := range p.Tasks {
		if *limit > 0 && i == *limit {
			fmt.Fprintf(tw, "…\t还有 %d 项（-n 0 显示全部）\n", len(p.Tasks)-i)
			break
		}
		name := greening.TaskName(t.Type)
		if t.Skipped {
			name += "（跳过）"
		}
		fmt.Fprintf(tw, "%.0f\t%s\t%s\t%s\t%d\t%s\t%s\n", t.Priority, name, t.Street, t.Species, t.Count, t.Due, strings.Join(t.Reasons, "；"))
	}
	return tw.Flush()
}

func runGreeningRisk(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening risk", std.err)
	var sf storeFlags
	sf.bind(fs)
	pest := fs.Bool("pest", false, "pest outbreak risk this month instead of typhoon toppling risk")
	street := fs.String("street", "", "one street only")
	n := fs.Int("n", 20, "trees to list")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, city, closeDB, err := greeningOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	k, err := s.Knowledge(ctx)
	if err != nil {
		return err
	}
	trees, err := s.Trees(ctx, greening.TreeFilter{Street: *street})
	if err != nil {
		return err
	}
	var rs []greening.Risk
	if *pest {
		c, err := greening.LiveConditions(ctx, city, s, time.Now())
		if err != nil {
			return err
		}
		rs = greening.RankPest(trees, k, c, int(time.Now().In(greening.Zone).Month()), *n)
	} else {
		rs = greening.RankTyphoon(trees, k, *n)
	}
	if *asJSON {
		return writeJSONLine(std.out, rs)
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "树木\t树种\t街道\t风险\t等级\t因素（贡献分）")
	for _, r := range rs {
		var fs []string
		for _, f := range r.Factors {
			fs = append(fs, fmt.Sprintf("%s %s +%.1f", f.Name, f.Value, f.Points))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%s\t%s\n", r.Tree, r.Species, r.Street, r.Score, r.Level, strings.Join(fs, "；"))
	}
	return tw.Flush()
}

func runGreeningReport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening report", std.err)
	var sf storeFlags
	sf.bind(fs)
	month := fs.String("month", "", "month YYYY-MM (default: this month)")
	out := fs.String("o", "", "write to this file: .xlsx or .docx (default: greening-MONTH.xlsx)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	now := time.Now()
	if *month == "" {
		*month = now.In(greening.Zone).Format("2006-01")
	}
	if *out == "" {
		*out = "greening-" + *month + ".xlsx"
	}
	s, _, closeDB, err := greeningOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	r, err := s.MonthlyReport(ctx, *month, now)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".docx":
		write = r.WriteDOCX
	case ".xlsx":
		write = r.WriteXLSX
	default:
		f.Close()
		return &exitError{code: 2, msg: "-o must end in .xlsx or .docx"}
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(std.err, "wrote %s\n", *out)
	return nil
}

func runGreeningAsk(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening ask", std.err)
	var sf storeFlags
	sf.bind(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &exitError{code: 2, msg: "usage: fuwu greening ask QUESTION"}
	}
	lib, db, err := openLibrary(ctx, sf, llm.Config{}, true)
	if err != nil {
		return err
	}
	defer db.Close()
	s := greening.NewStore(db, time.Now)
	k, err := s.Knowledge(ctx)
	if err != nil {
		return err
	}
	r, err := greening.Answer(ctx, k, greening.LibrarySearch(lib, library.Everyone), strings.Join(pos, " "))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(std.out, r)
	}
	fmt.Fprintln(std.out, r.Text)
	for _, c := range r.Citations {
		fmt.Fprintf(std.out, "  —— 依据：%s %s\n", c.Source, c.Article)
	}
	if r.Note != "" {
		fmt.Fprintln(std.out, "  注："+r.Note)
	}
	return nil
}

func runGreeningDemo(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("greening demo", std.err)
	var sf storeFlags
	sf.bind(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, _, closeDB, err := greeningOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	start := time.Now()
	did, err := s.LoadDemo(ctx, time.Now())
	if err != nil {
		return err
	}
	if !did {
		fmt.Fprintln(std.err, "the inventory is not empty; left alone")
		return nil
	}
	fmt.Fprintf(std.err, "loaded the synthetic inventory: %d trees, %d green spaces (%.1f s)\n", greening.DemoTrees, greening.DemoSpaces, time.Since(start).Seconds())
	return nil
}
