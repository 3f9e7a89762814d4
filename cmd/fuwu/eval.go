package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/llm"
)

func init() {
	register(&command{
		name:    "eval",
		summary: "play evaluation dialogues through the assistant and report the metrics",
		run:     runEval,
	})
}

func runEval(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("eval", std.err)
	kbDir := fs.String("kb", "", "knowledge fixture folder (items.jsonl, halls.jsonl); empty: the bundled demo catalogue")
	cases := fs.String("cases", "", "evaluation dialogues (.jsonl, format of data/eval/README.md)")
	asJSON := fs.Bool("json", false, "print only the metrics as one JSON object")
	verbose := fs.Bool("v", false, "also list the turns that fell short (on standard error)")
	curve := fs.Bool("curve", false, "print the precision/coverage curve of the answer confidence instead of the metrics")
	review := fs.Bool("review-round", false, "simulate one review round in the console: the set's misses, grouped, become FAQ lessons (published); report the set before and after")
	lesson := fs.String("lesson", "faq", "with --review-round: the lesson made of each group, faq or alias")
	whole := fs.Bool("whole", false, "with --review-round: lessons hold the group's wording whole, not the gist the console proposes")
	strip := fs.Bool("strip-faq", false, "study only: the catalogue without its items' FAQ and aliases, to make misses on learning sets for a review round to fix")
	itemsOnly := fs.Bool("items-only", false, "with --review-round: lessons for first-turn item misses only, as before decline, ask and follow-up lessons")
	also := fs.String("also", "", "with --review-round: comma-separated sets only measured, before and after the round (not learned from)")
	var lc llm.Config
	lc.RegisterFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu eval --kb FOLDER --cases FILE [--json]\n\nEvery dialogue is played turn by turn in a fresh conversation through the same assistant the web chat uses, over a fresh database holding the fixture.")
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cases == "" {
		fs.Usage()
		return &exitError{code: 2}
	}
	f, err := os.Open(*cases)
	if err != nil {
		return err
	}
	dialogues, err := assistant.ReadEvalCases(f, *cases)
	f.Close()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "fuwu-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// One turn at a time into a throwaway database: a commit of its own
	// per turn, without the log sync a group commit makes, keeps the
	// latency figures the assistant's.
	sf := storeFlags{data: tmp, db: "sqlite:" + filepath.Join(tmp, "eval.db"), perTurnCommit: true, log: std.log}
	a, err := openApp(ctx, sf, lc, *kbDir == "")
	if err != nil {
		return err
	}
	defer a.close()
	if *kbDir != "" && *strip {
		if *kbDir, err = stripFAQ(*kbDir, tmp); err != nil {
			return err
		}
	}
	if *kbDir != "" {
		rep, err := a.kb.ImportPath(ctx, *kbDir, "", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "eval"}})
		if err != nil {
			return err
		}
		if rep.Skipped() > 0 {
			for _, p := range rep.Problems {
				fmt.Fprintf(std.err, "skipped: %s\n", p)
			}
		}
		if err := a.reload(ctx); err != nil {
			return err
		}
	}
	if *curve {
		var ths []float64
		for th := 0.0; th <= 0.951; th += 0.05 {
			ths = append(ths, math.Round(th*100)/100)
		}
		pts, err := assistant.Calibrate(ctx, a.assistant, dialogues, ths)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(std.out).Encode(pts)
		}
		fmt.Fprintln(std.out, "threshold coverage precision")
		for _, p := range pts {
			fmt.Fprintf(std.out, "%.2f %.3f %.3f\n", p.Threshold, p.Coverage, p.Precision)
		}
		return nil
	}
	if *review {
		opt := assistant.ReviewOptions{Kind: kb.LessonKind(*lesson), Scope: !*itemsOnly, FollowUps: !*itemsOnly}
		if !*itemsOnly {
			opt.Lexicon = a.sens
		}
		return reviewRound(ctx, std, a, dialogues, *cases, *also, opt, !*whole, *asJSON, *verbose)
	}
	m, misses, err := assistant.Evaluate(ctx, a.assistant, dialogues)
	if err != nil {
		return err
	}
	if *verbose {
		for _, x := range misses {
			fmt.Fprintf(std.err, "miss %s %q: want %s, got %s\n", x.Case, x.Q, x.Want, x.Got)
		}
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(m)
	}
	fmt.Fprintf(std.out, "turns %d\nitem_top1 %.4f\nitem_recall5 %.4f\naspect_acc %.4f\noos_recall %.4f\noos_false %.4f\nclarify_recall %.4f\np50_ms %.2f\np99_ms %.2f\n",
		m.Turns, m.ItemTop1, m.ItemRecall5, m.AspectAcc, m.OOSRecall, m.OOSFalse, m.ClarifyRecall, m.P50ms, m.P99ms)
	return nil
}

// stripFAQ copies the catalogue folder's items.jsonl and halls.jsonl
// under tmp with every item's FAQ and aliases left out, and returns the
// copy's folder: a weaker catalogue whose misses on the learning sets
// show what a review round's lessons do (--strip-faq). Imported once, as
// the whole catalogue, it is indexed as any catalogue is.
func stripFAQ(dir, tmp string) (string, error) {
	out := filepath.Join(tmp, "kb-stripped")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "items.jsonl"))
	if err != nil {
		return "", fmt.Errorf("strip faq: %w", err)
	}
	var b strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var it map[string]any
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return "", fmt.Errorf("strip faq: %w", err)
		}
		delete(it, "faq")
		delete(it, "aliases")
		enc, err := json.Marshal(it)
		if err != nil {
			return "", fmt.Errorf("strip faq: %w", err)
		}
		b.Write(enc)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(out, "items.jsonl"), []byte(b.String()), 0o644); err != nil {
		return "", err
	}
	if halls, err := os.ReadFile(filepath.Join(dir, "halls.jsonl")); err == nil {
		if err := os.WriteFile(filepath.Join(out, "halls.jsonl"), halls, 0o644); err != nil {
			return "", err
		}
	}
	return out, nil
}

// reviewRound runs assistant.ReviewRound on the set and measures the
// --also sets before and after it.
func reviewRound(ctx context.Context, std stdio, a *app, set []assistant.EvalCase, name, also string, opt assistant.ReviewOptions, gist, asJSON, verbose bool) error {
	type other struct {
		Set           string            `json:"set"`
		Before, After assistant.Metrics `json:"-"`
		Top1          [2]float64        `json:"item_top1"`
		OOS           [2]float64        `json:"oos_recall"`
	}
	var others []*other
	var sets [][]assistant.EvalCase
	var missedBefore []map[string]bool
	missKey := func(x assistant.EvalMiss) string { return x.Case + "\x00" + x.Q + "\x00" + x.Want }
	for _, f := range strings.Split(also, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		r, err := os.Open(f)
		if err != nil {
			return err
		}
		cs, err := assistant.ReadEvalCases(r, f)
		r.Close()
		if err != nil {
			return err
		}
		m, misses, err := assistant.Evaluate(ctx, a.assistant, cs)
		if err != nil {
			return err
		}
		before := map[string]bool{}
		for _, x := range misses {
			before[missKey(x)] = true
		}
		missedBefore = append(missedBefore, before)
		others = append(others, &other{Set: f, Before: m})
		sets = append(sets, cs)
	}
	var gister assistant.Gister
	if gist {
		gister = a.index
	}
	rep, err := assistant.ReviewRound(ctx, a.assistant, set, a.kb, opt, gister, a.reload)
	if err != nil {
		return err
	}
	for i, o := range others {
		m, misses, err := assistant.Evaluate(ctx, a.assistant, sets[i])
		if err != nil {
			return err
		}
		if verbose {
			for _, x := range misses {
				if !missedBefore[i][missKey(x)] {
					fmt.Fprintf(std.err, "new miss %s %s %q: want %s, got %s\n", o.Set, x.Case, x.Q, x.Want, x.Got)
				}
			}
		}
		o.After = m
		o.Top1 = [2]float64{o.Before.ItemTop1, m.ItemTop1}
		o.OOS = [2]float64{o.Before.OOSRecall, m.OOSRecall}
	}
	if asJSON {
		// The turns' and lessons' texts only with -v, as in the text
		// output: a never-read set's round is scored, not read.
		if !verbose {
			rep.Taught, rep.BrokeTurns, rep.StillTurns = nil, nil, nil
		}
		return json.NewEncoder(std.out).Encode(map[string]any{"set": name, "round": rep, "also": others})
	}
	fmt.Fprintf(std.out, "set %s\nitem misses %d (reviewable %d) → %d groups → %d lessons (%s, published)\n",
		name, rep.ItemMisses, rep.Reviewable, rep.Groups, rep.Lessons, rep.Kind)
	fmt.Fprintf(std.out, "follow-ups %d: thread changes %d, aspects %d taught; %d after a missed turn; unreviewable %d\n",
		rep.FollowUps, rep.ThreadChanges, rep.Aspects, rep.AfterMiss, rep.FollowUps-rep.ThreadChanges-rep.Aspects-rep.AfterMiss)
	fmt.Fprintf(std.out, "scope misses %d (reviewable first turns %d) → fixed %d\n", rep.ScopeMisses, rep.ScopeReviewable, rep.ScopeFixed)
	fmt.Fprintf(std.out, "sensitive-word false positives allowed %d\n", rep.Allowed)
	fmt.Fprintf(std.out, "fixed %d of %d item misses; broke %d\n", rep.Fixed, rep.ItemMisses, rep.Broken)
	fmt.Fprintf(std.out, "item_top1 %.4f → %.4f\naspect_acc %.4f → %.4f\noos_recall %.4f → %.4f\noos_false %.4f → %.4f\nclarify_recall %.4f → %.4f\n",
		rep.Before.ItemTop1, rep.After.ItemTop1, rep.Before.AspectAcc, rep.After.AspectAcc, rep.Before.OOSRecall, rep.After.OOSRecall,
		rep.Before.OOSFalse, rep.After.OOSFalse, rep.Before.ClarifyRecall, rep.After.ClarifyRecall)
	if verbose {
		for _, t := range rep.Taught {
			fmt.Fprintf(std.err, "taught %s\n", t)
		}
		for _, t := range rep.BrokeTurns {
			fmt.Fprintf(std.err, "broke %s\n", t)
		}
		for _, t := range rep.StillTurns {
			fmt.Fprintf(std.err, "still %s\n", t)
		}
	}
	for _, r := range rep.Refused {
		fmt.Fprintf(std.out, "refused: %s\n", r)
	}
	for _, o := range others {
		fmt.Fprintf(std.out, "also %s: item_top1 %.4f → %.4f, oos_recall %.4f → %.4f, oos_false %.4f → %.4f\n",
			o.Set, o.Before.ItemTop1, o.After.ItemTop1, o.Before.OOSRecall, o.After.OOSRecall, o.Before.OOSFalse, o.After.OOSFalse)
	}
	return nil
}
