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

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/risk"
)

// riskSub is one `fuwu risk` subcommand.
type riskSub struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var riskSubs = map[string]riskSub{
	"replay":     {"re-run a recorded storm minute by minute; with --incidents, the back-test", runRiskReplay},
	"demo-storm": {"write the SYNTHETIC demo storm and its incidents (generated from the storm formula)", runRiskDemoStorm},
	"areas":      {"list communities (or --grids), import them from CSV/XLSX, or install the synthetic demo", runRiskAreas},
	"assess":     {"assess every stored community now from the city readings", runRiskAssess},
	"fire":       {"fire risk ranking with each indicator's contribution; --demo --validate for the synthetic back-test", runRiskFire},
}

func init() {
	register(&command{
		name:    "risk",
		summary: "community waterlogging and fire risk: replay and back-test, static data, assessment, fire ranking",
		run: func(ctx context.Context, args []string, std stdio) error {
			if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
				fmt.Fprintln(std.err, "Usage: fuwu risk SUBCOMMAND [flags] [args]\n\nSubcommands:")
				names := make([]string, 0, len(riskSubs))
				for n := range riskSubs {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					fmt.Fprintf(std.err, "  %-11s %s\n", n, riskSubs[n].summary)
				}
				fmt.Fprintln(std.err, "\nRun 'fuwu risk SUBCOMMAND -h' for its flags.")
				if len(args) == 0 {
					return &exitError{code: 2}
				}
				return nil
			}
			sub, ok := riskSubs[args[0]]
			if !ok {
				return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q (fuwu risk help lists them)", args[0])}
			}
			return sub.run(ctx, args[1:], std.out, std.err)
		},
	})
}

// riskModel loads --risk-model, or the default model with the example
// storm formula.
func riskModel(path string) (risk.Model, error) {
	if path == "" {
		return risk.DefaultModel(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return risk.Model{}, err
	}
	defer f.Close()
	m, err := risk.LoadModel(f)
	if err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// readAreasFile reads communities and grid cells from a CSV/XLSX file,
// and their ponding points from another if given, without a database,
// for the replay. Bad lines are reported on stderr and skipped.
func readAreasFile(path, ponding string, stderr io.Writer) ([]risk.Area, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	as, probs, err := risk.ReadAreas(filepath.Base(path), f)
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		fmt.Fprintf(stderr, "%s: %s\n", path, p)
	}
	if ponding == "" {
		return as, nil
	}
	pf, err := os.Open(ponding)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	pts, probs, err := risk.ReadPonding(filepath.Base(ponding), pf)
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		fmt.Fprintf(stderr, "%s: %s\n", ponding, p)
	}
	for i := range as {
		as[i].PondingPoints = pts[as[i].ID]
	}
	return as, nil
}

func runRiskReplay(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("risk replay", stderr)
	incFile := fs.String("incidents", "", "CSV of recorded incidents (time, area, depth_m, note): report hits, misses, false alarms and lead time")
	areasFile := fs.String("areas", "", "CSV/XLSX of communities and grid cells (default: the synthetic demo communities)")
	pondFile := fs.String("ponding", "", "CSV/XLSX of the --areas' ponding points")
	grids := fs.Bool("grids", false, "replay the grid cells of --areas (or of the demo) instead of the communities")
	alert := fs.String("alert-level", "橙", "the level that counts as a warning in the back-test (蓝, 黄, 橙 or 红)")
	modelFile := fs.String("risk-model", "", "JSON model configuration (storm formula, river levels); default: the EXAMPLE formula")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu risk replay EVENT.csv [--incidents FILE]"}
	}
	alertLevel, err := risk.ParseLevel(*alert)
	if err != nil || alertLevel == risk.None {
		return &exitError{code: 2, msg: fmt.Sprintf("--alert-level %q: 蓝, 黄, 橙 or 红", *alert)}
	}
	m, err := riskModel(*modelFile)
	if err != nil {
		return err
	}
	var areas []risk.Area
	if *areasFile != "" {
		all, err := readAreasFile(*areasFile, *pondFile, stderr)
		if err != nil {
			return err
		}
		for _, a := range all {
			if (a.Community != "") == *grids {
				areas = append(areas, a)
			}
		}
	} else {
		cs, gs := risk.DemoAreas()
		areas = cs
		if *grids {
			areas = gs
		}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	evs, probs, err := risk.ReadEvents(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	for _, p := range probs {
		fmt.Fprintf(stderr, "%s: %s\n", pos[0], p)
	}
	start := time.Now()
	tls, minutes := m.Replay(areas, evs)
	elapsed := time.Since(start)
	var score *risk.Score
	if *incFile != "" {
		f, err := os.Open(*incFile)
		if err != nil {
			return err
		}
		incs, iprobs, err := risk.ReadIncidents(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *incFile, err)
		}
		for _, p := range iprobs {
			fmt.Fprintf(stderr, "%s: %s\n", *incFile, p)
		}
		sc := risk.BackTest(tls, incs, alertLevel)
		score = &sc
	}
	fmt.Fprintf(stderr, "replayed %d minutes × %d areas in %s (%.0f area-minutes/s)\n", minutes, len(areas), elapsed.Round(time.Millisecond),
		float64(minutes*len(areas))/max(elapsed.Seconds(), 1e-9))
	if *asJSON {
		return writeJSONLine(stdout, map[string]any{"formula": m.Storm.Status(), "official": m.Storm.Official,
			"minutes": minutes, "timelines": tls, "backtest": score})
	}
	fmt.Fprintln(stdout, m.Storm.Status())
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t名称\t最高\t等级变化（时间 等级 主因）")
	for _, tl := range tls {
		var cs []string
		for _, c := range tl.Changes {
			s := c.Time.In(risk.Zone).Format("15:04") + " " + c.Level.String()
			if c.Factor != "" && c.Level > risk.None {
				s += "(" + c.Factor + ")"
			}
			cs = append(cs, s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", tl.Area, tl.Name, tl.Peak, strings.Join(cs, " → "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if score != nil {
		sc := *score
		fmt.Fprintf(stdout, "\n回测（预警等级 %s 及以上）：事件 %d，命中 %d，漏报 %d（其中预警晚于事件 %d），误报 %d（预警社区 %d）\n",
			sc.AlertLevel, sc.Incidents, sc.Hits, sc.Misses, sc.Late, sc.FalseAlarms, sc.Alerted)
		fmt.Fprintf(stdout, "命中率 %.0f%%，误报率 %.0f%%，提前量 平均 %.1f 分钟、中位数 %.1f 分钟\n", sc.HitRate*100, sc.FalseRatio*100, sc.MeanLead, sc.MedianLead)
		for _, o := range sc.Details {
			fmt.Fprintf(stdout, "  %s\t%s\t预警 %s\t事件 %s\t提前 %.0f 分钟\n", o.Area, o.Result, dash(o.Alert), dash(o.Incident), o.Lead)
		}
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func runRiskDemoStorm(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("risk demo-storm", stderr)
	out := fs.String("out", "data/risk", "folder to write storm-demo.csv and storm-demo-incidents.csv into")
	areasOut := fs.Bool("areas", true, "also write the synthetic demo communities and grid cells (areas-demo.csv) and their ponding points (ponding-demo.csv)")
	modelFile := fs.String("risk-model", "", "JSON model configuration (storm formula); default: the EXAMPLE formula")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := riskModel(*modelFile)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	cs, gs := risk.DemoAreas()
	evs, incs := risk.SyntheticStorm(m.Storm, cs)
	write := func(name string, fn func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := write("storm-demo.csv", func(w io.Writer) error { return risk.WriteEvents(w, evs) }); err != nil {
		return err
	}
	if err := write("storm-demo-incidents.csv", func(w io.Writer) error { return risk.WriteIncidents(w, incs) }); err != nil {
		return err
	}
	if *areasOut {
		if err := write("areas-demo.csv", func(w io.Writer) error { return risk.WriteAreas(w, append(cs, gs...)) }); err != nil {
			return err
		}
		if err := write("ponding-demo.csv", func(w io.Writer) error { return risk.WritePonding(w, cs) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "合成数据（非真实记录）：%d 条读数、%d 起积水事件 → %s\n", len(evs), len(incs), *out)
	return nil
}

func runRiskAreas(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("risk areas", stderr)
	var sf storeFlags
	sf.bind(fs)
	imp := fs.String("import", "", "import communities and grid cells from this .csv or .xlsx")
	pond := fs.String("ponding", "", "import ponding points from this .csv or .xlsx")
	fireFile := fs.String("fire", "", "import fire indicators per community from this .csv or .xlsx (id, name, street, old_dense, ebike, …)")
	demo := fs.Bool("demo", false, "install the SYNTHETIC demo communities of Futian")
	grids := fs.Bool("grids", false, "list grid cells instead of communities")
	actor := fs.String("actor", "cli", "who is recorded as having made the change")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s := risk.NewStore(db, time.Now)
	if *demo {
		n, err := s.SeedDemo(ctx, *actor)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已安装合成演示数据：%d 个社区和网格\n", n)
		return nil
	}
	for _, x := range []struct {
		file string
		fn   func(string, io.Reader) (risk.ImportReport, error)
	}{
		{*imp, func(n string, r io.Reader) (risk.ImportReport, error) { return s.ImportAreas(ctx, n, r, *actor) }},
		{*pond, func(n string, r io.Reader) (risk.ImportReport, error) { return s.ImportPonding(ctx, n, r) }},
		{*fireFile, func(n string, r io.Reader) (risk.ImportReport, error) { return s.ImportFire(ctx, n, r, *actor) }},
	} {
		if x.file == "" {
			continue
		}
		f, err := os.Open(x.file)
		if err != nil {
			return err
		}
		rep, err := x.fn(filepath.Base(x.file), f)
		f.Close()
		if err != nil {
			return err
		}
		return reportImport(stdio{out: stdout, err: stderr}, *asJSON, x.file, citymon.ImportReport{Rows: rep.Rows, Saved: rep.Saved, Problems: rep.Problems})
	}
	as, err := s.Areas(ctx, *grids)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(stdout, as)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t名称\t街道\t面积(hm²)\t不透水率\t设计重现期\t易涝点\t雨量计\t网格员")
	for _, a := range as {
		name := a.Name
		if a.Synthetic {
			name += "（合成）"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.0f%%\t%g 年\t%d\t%s\t%s\n", a.ID, name, a.Street, a.AreaHm2, a.Impervious*100, a.DesignPeriod,
			len(a.PondingPoints), strings.Join(a.RainGauges, ";"), strings.Join(a.Workers, ";"))
	}
	return tw.Flush()
}

func runRiskAssess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("risk assess", stderr)
	var sf storeFlags
	sf.bind(fs)
	modelFile := fs.String("risk-model", "", "JSON model configuration (storm formula, river levels); default: the EXAMPLE formula")
	at := fs.String("at", "", "assess as of this time (2006-01-02 15:04) instead of now")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := riskModel(*modelFile)
	if err != nil {
		return err
	}
	now := time.Now()
	if *at != "" {
		if now, err = time.ParseInLocation("2006-01-02 15:04", *at, risk.Zone); err != nil {
			return &exitError{code: 2, msg: "--at: want 2006-01-02 15:04"}
		}
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	live := &risk.Live{Areas: risk.NewStore(db, time.Now), City: citymon.NewStore(db, time.Now), Model: m}
	b, err := live.Assess(ctx, now)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(stdout, b)
	}
	fmt.Fprintln(stdout, b.Formula)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t名称\t等级\t得分\t主要因素\t数据")
	for _, a := range b.Communities {
		var fs []string
		for _, f := range a.Factors {
			fs = append(fs, fmt.Sprintf("%s %.0f%%", f.Name, f.Share*100))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%s\t%s\n", a.Area, a.Name, a.Level, a.Score, dash(strings.Join(fs, "，")), a.Confidence)
	}
	return tw.Flush()
}

func runRiskFire(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("risk fire", stderr)
	var sf storeFlags
	sf.bind(fs)
	demo := fs.Bool("demo", false, "rank the SYNTHETIC demo communities without a database")
	validate := fs.Bool("validate", false, "with --demo: score the ranking against a synthetic month of fires (AUC, top 10 %)")
	humidity := fs.Float64("humidity", -1, "relative humidity % for the dynamic factor (default: no weather)")
	wind := fs.Float64("wind", 0, "wind speed m/s")
	temp := fs.Float64("temp", 0, "daily maximum temperature °C")
	holiday := fs.Bool("holiday", false, "today is a holiday")
	top := fs.Int("top", 10, "rows to print, and communities to issue inspection tasks for with --tasks")
	tasks := fs.Bool("tasks", false, "issue inspection tasks for the top communities (stored; not with --demo)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *validate && !*demo {
		return &exitError{code: 2, msg: "--validate needs --demo (the only incident history shipped is synthetic)"}
	}
	m := risk.DefaultFireModel()
	w := risk.Weather{Humidity: *humidity, Wind: *wind, Temp: *temp, Holiday: *holiday, Known: *humidity >= 0}
	var cs []risk.FireCommunity
	var st *risk.Store
	if *demo {
		areas, _ := risk.DemoAreas()
		cs = risk.DemoFire(areas)
	} else {
		db, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		st = risk.NewStore(db, time.Now)
		if cs, err = st.FireCommunities(ctx); err != nil {
			return err
		}
	}
	ranked := m.Rank(cs, w)
	var v *risk.FireValidation
	if *validate {
		x := risk.Validate(ranked, risk.SyntheticFires(cs), true)
		v = &x
	}
	if *tasks {
		if st == nil {
			return &exitError{code: 2, msg: "--tasks stores tasks: not with --demo"}
		}
		n, err := st.OpenFireTasks(ctx, m.FireTasks(ranked, *top))
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "issued %d inspection task(s)\n", n)
	}
	if *asJSON {
		return writeJSONLine(stdout, map[string]any{"ahp": m.AHP, "ranking": ranked, "validation": v})
	}
	fmt.Fprintf(stdout, "权重：层次分析法（一致性比率 CR = %.3f < 0.10）\n", m.AHP.CR)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "名次\t编号\t名称\t指数\t等级\t构成")
	for _, s := range ranked[:min(*top, len(ranked))] {
		var parts []string
		for _, f := range s.Factors {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", f.Name, f.Share*100))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.1f\t%s\t%s\n", s.Rank, s.ID, s.Name, s.Index, s.Level, dash(strings.Join(parts, "，")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if v != nil {
		fmt.Fprintf(stdout, "\n验证（%s）：%d 个社区，%d 个发生火灾（共 %d 起）；AUC = %.2f；前 10%%（%d 个社区）占火灾 %d 起（%.0f%%）\n",
			v.Note, v.Communities, v.WithFire, v.Incidents, v.AUC, v.TopN, v.TopHits, v.TopHitRate*100)
	}
	return nil
}
