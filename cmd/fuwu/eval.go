package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

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
	sf := storeFlags{data: tmp, db: "sqlite:" + filepath.Join(tmp, "eval.db"), perTurnCommit: true}
	a, err := openApp(ctx, sf, lc, *kbDir == "")
	if err != nil {
		return err
	}
	defer a.close()
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
			return json.NewEncoder(os.Stdout).Encode(pts)
		}
		fmt.Println("threshold coverage precision")
		for _, p := range pts {
			fmt.Printf("%.2f %.3f %.3f\n", p.Threshold, p.Coverage, p.Precision)
		}
		return nil
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
