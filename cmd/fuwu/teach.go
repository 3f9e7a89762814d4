package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/teaching"
)

func init() {
	register(&command{
		name:    "teach",
		summary: "teachers' assistant (教师助手): lesson plans, question bank, practice sets, mastery, drafts",
		run:     runTeach,
	})
}

func teachUsage(w io.Writer) {
	fmt.Fprintln(w, `Usage: fuwu teach <subcommand> [flags]

Subcommands:
  plan --subject 数学 --grade 七年级 --topic 课题 [--periods 1] [--class-profile 学情] --out plan.docx
  bank import FILE                     import questions (.jsonl or .xlsx); bad lines reported, exit status 3
  set [--points a,b] [--types 单选=3,解答=2 | --total N] [--profile 3:5:2] --out set.docx --key key.docx
  results import FILE                  import a class's results (.jsonl or .xlsx)
  mastery --class C [--student S]      mastery per knowledge point
  personal --class C --student S [--n 5] --out set.docx
  pairs --class C [--approve ID | --reject ID]
  heatmap --class C [--json]
  draft "学生的问题" [--json]            a grounded draft answer for a teacher to edit

The demo (七年级数学 一元一次方程, class 七年级（1）班) loads into an empty store; --collection
names the teaching collection (default 教学资源).`)
}

// teachEnv is what every teach subcommand opens.
type teachEnv struct {
	db    *store.DB
	lib   *library.Library
	store *teaching.Store
}

func openTeach(ctx context.Context, fs *flag.FlagSet, args []string) (*teachEnv, []string, error) {
	var sf storeFlags
	sf.bind(fs)
	lc, err := llm.ConfigFromEnv(llmEnv)
	if err != nil {
		return nil, nil, err
	}
	lc.RegisterFlags(fs)
	collection := fs.String("collection", teaching.DemoCollection, "the teaching collection of the library")
	demo := fs.Bool("demo", true, "load the teachers' demo into an empty store")
	pos, err := parseSub(fs, args, fs.Output(), 0, "")
	if err != nil {
		return nil, nil, err
	}
	lib, db, err := openLibrary(ctx, sf, lc, false)
	if err != nil {
		return nil, nil, err
	}
	opt := teaching.Options{Retriever: teaching.FromLibrary(lib, *collection, library.Everyone)}
	if lc.BaseURL != "" {
		client, err := llm.New(lc)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		if client.HasChat() {
			opt.Model, opt.ModelName = chatModel{client}, client.Model()
		}
	}
	st := teaching.NewStore(db, opt)
	if *demo {
		if err := teaching.LoadDemo(ctx, st, lib, data.Library()); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return &teachEnv{db: db, lib: lib, store: st}, pos, nil
}

func runTeach(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		teachUsage(std.err)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	if (sub == "bank" || sub == "results") && len(rest) > 0 && rest[0] == "import" {
		rest = rest[1:]
	}
	switch sub {
	case "plan":
		return runTeachPlan(ctx, rest, std)
	case "bank", "results":
		return runTeachImport(ctx, sub, rest, std)
	case "set", "personal":
		return runTeachSet(ctx, sub, rest, std)
	case "mastery", "pairs", "heatmap":
		return runTeachClass(ctx, sub, rest, std)
	case "draft":
		return runTeachDraft(ctx, rest, std)
	}
	teachUsage(std.err)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", sub)}
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runTeachPlan(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("teach plan", std.err)
	var form teaching.LessonForm
	fs.StringVar(&form.Subject, "subject", "", "学科")
	fs.StringVar(&form.Grade, "grade", "", "年级")
	fs.StringVar(&form.Topic, "topic", "", "课题")
	fs.IntVar(&form.Periods, "periods", 1, "课时")
	fs.StringVar(&form.ClassProfile, "class-profile", "", "学情")
	out := fs.String("out", "", "write the plan as .docx here")
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	env, _, err := openTeach(ctx, fs, args)
	if err != nil {
		return err
	}
	defer env.db.Close()
	p, err := env.store.DraftPlan(ctx, form, "cli")
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writeFile(*out, func(w io.Writer) error { return teaching.WritePlanDOCX(w, p) }); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(p)
	}
	fmt.Fprintf(std.out, "%s（第%d版，教案 %d）\n", p.Title, p.Version, p.ID)
	for _, s := range p.Sections {
		fmt.Fprintf(std.out, "\n%s\n", s.Title)
		for _, l := range s.Lines {
			fmt.Fprintf(std.out, "  %s\n", l)
		}
	}
	if p.Fallback != "" {
		fmt.Fprintf(std.err, "model draft not used: %s\n", p.Fallback)
	}
	return nil
}

func runTeachImport(ctx context.Context, what string, args []string, std stdio) error {
	fs := newFlags("teach "+what+" import", std.err)
	env, pos, err := openTeach(ctx, fs, args)
	if err != nil {
		return err
	}
	defer env.db.Close()
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want one file"}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	load := env.store.ImportQuestions
	if what == "results" {
		load = env.store.ImportResults
	}
	rep, err := load(ctx, filepath.Base(pos[0]), f)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "导入 %d 条\n", rep.Imported)
	for _, p := range rep.Problems {
		fmt.Fprintf(std.out, "%s: %s\n", pos[0], p)
	}
	if len(rep.Problems) > 0 {
		return &exitError{code: 3}
	}
	return nil
}

func runTeachSet(ctx context.Context, sub string, args []string, std stdio) error {
	fs := newFlags("teach "+sub, std.err)
	// set and personal share a function, not their flags.
	points, types, total, profile, title := new(string), new(string), new(int), new(string), new(string)
	class, student, n := new(string), new(string), new(int)
	if sub == "personal" {
		class = fs.String("class", "七年级（1）班", "class")
		student = fs.String("student", "", "student")
		n = fs.Int("n", 5, "questions")
	} else {
		points = fs.String("points", "", "knowledge points, comma-separated")
		types = fs.String("types", "", "questions per type: 单选=3,解答=2")
		total = fs.Int("total", 10, "questions when --types is not given")
		profile = fs.String("profile", "3:5:2", "easy:medium:hard shares")
		title = fs.String("title", "", "title of the set")
	}
	out := fs.String("out", "", "student copy .docx")
	key := fs.String("key", "", "answer key .docx")
	env, _, err := openTeach(ctx, fs, args)
	if err != nil {
		return err
	}
	defer env.db.Close()
	var set *teaching.PracticeSet
	if sub == "personal" {
		set, err = env.store.PersonalSet(ctx, *class, *student, *n)
	} else {
		spec := teaching.SetSpec{Title: *title, Total: *total}
		if *points != "" {
			spec.Points = strings.Split(*points, ",")
		}
		if *types != "" {
			spec.Types = map[string]int{}
			for _, kv := range strings.Split(*types, ",") {
				k, v, _ := strings.Cut(kv, "=")
				c, err := strconv.Atoi(v)
				if err != nil {
					return fmt.Errorf("--types %q: want 类型=数量", kv)
				}
				spec.Types[k] = c
			}
		}
		var e, m, h float64
		if _, err := fmt.Sscanf(*profile, "%g:%g:%g", &e, &m, &h); err != nil {
			return fmt.Errorf("--profile %q: want easy:medium:hard such as 3:5:2", *profile)
		}
		spec.Profile = teaching.Profile{Easy: e, Medium: m, Hard: h}
		set, err = env.store.BuildSet(ctx, spec)
	}
	if err != nil {
		return err
	}
	for path, c := range map[string]teaching.Copy{*out: teaching.StudentCopy, *key: teaching.AnswerKey} {
		if path != "" {
			if err := writeFile(path, func(w io.Writer) error { return teaching.WriteSetDOCX(w, set, c) }); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(std.out, set.Title)
	for i, q := range set.Questions {
		fmt.Fprintf(std.out, "%d. [%s %s 难度%d] %s\n", i+1, q.ID, q.Type, q.Difficulty, q.Stem)
	}
	for _, note := range set.Notes {
		fmt.Fprintln(std.out, "注意："+note)
	}
	return nil
}

func runTeachClass(ctx context.Context, sub string, args []string, std stdio) error {
	fs := newFlags("teach "+sub, std.err)
	class := fs.String("class", "七年级（1）班", "class")
	// mastery, pairs and heatmap share a function, not their flags.
	student, approve, reject := new(string), new(int64), new(int64)
	switch sub {
	case "mastery":
		student = fs.String("student", "", "one student")
	case "pairs":
		approve = fs.Int64("approve", 0, "approve a proposed pair")
		reject = fs.Int64("reject", 0, "reject a proposed pair")
	}
	asJSON := fs.Bool("json", false, "print JSON")
	env, _, err := openTeach(ctx, fs, args)
	if err != nil {
		return err
	}
	defer env.db.Close()
	var v any
	switch sub {
	case "mastery":
		if *student == "" {
			return &exitError{code: 2, msg: "--student is required"}
		}
		v, err = env.store.StudentMastery(ctx, *class, *student)
	case "pairs":
		if *approve > 0 || *reject > 0 {
			id, ok := *approve, true
			if *reject > 0 {
				id, ok = *reject, false
			}
			if err := env.store.DecidePair(ctx, id, ok, "cli"); err != nil {
				return err
			}
			v, err = env.store.Pairs(ctx, *class)
		} else {
			v, err = env.store.ProposePairs(ctx, *class)
		}
	case "heatmap":
		v, err = env.store.HeatMap(ctx, *class)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	switch x := v.(type) {
	case []teaching.Mastery:
		for _, m := range x {
			fmt.Fprintf(std.out, "%-10s %3.0f%%  (%d 题)\n", m.Point, m.Level*100, m.Attempts)
		}
	case []teaching.Pair:
		for _, p := range x {
			fmt.Fprintf(std.out, "%d %s：%s（%.0f%%）帮助 %s（%.0f%%） %s\n", p.ID, p.Point, p.Helper, p.HelperMastery*100, p.Learner, p.LearnerMastery*100, p.Status)
		}
	case *teaching.HeatMap:
		fmt.Fprintf(std.out, "%-8s", "")
		for _, p := range x.Points {
			fmt.Fprintf(std.out, " %s", p)
		}
		fmt.Fprintln(std.out)
		for i, s := range x.Students {
			fmt.Fprintf(std.out, "%-8s", s)
			for _, c := range x.Cells[i] {
				if c < 0 {
					fmt.Fprint(std.out, "    -")
				} else {
					fmt.Fprintf(std.out, " %4.0f", c*100)
				}
			}
			fmt.Fprintln(std.out)
		}
	}
	return nil
}

func runTeachDraft(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("teach draft", std.err)
	asJSON := fs.Bool("json", false, "print the draft as JSON")
	env, pos, err := openTeach(ctx, fs, args)
	if err != nil {
		return err
	}
	defer env.db.Close()
	d, err := env.store.DraftAnswer(ctx, strings.Join(pos, " "), "cli")
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(d)
	}
	fmt.Fprintf(std.out, "草稿 %d（%s）\n%s\n", d.ID, d.Status, d.Answer)
	if l := d.Label(); l != "" {
		fmt.Fprintf(std.out, "（%s）\n", l)
	}
	if d.Unsourced {
		fmt.Fprintln(std.out, "注意：此草稿没有来源，须教师补充出处后才能共享。")
	}
	return nil
}
