package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

func init() {
	register(&command{
		name:    "search",
		summary: "find the service items a question means, best first",
		run:     runSearch,
	})
}

func runSearch(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("search", std.err)
	var sf storeFlags
	sf.bind(fs)
	k := fs.Int("k", 5, "how many items to list")
	asJSON := fs.Bool("json", false, "print JSON: {\"query\", \"terms\", \"hits\": [{\"id\", \"name\", \"score\", \"fields\", \"terms\"}]}")
	explain := fs.Bool("explain", false, "also print the query terms (synonyms, pinyin corrections)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu search [flags] QUESTION\n\nPrints the best items, one a line: id, name, score and the fields matched.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		fs.Usage()
		return &exitError{code: 2}
	}
	zh.Preload()
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := zh.Default()
	if err != nil {
		return err
	}
	ix := search.New(a, search.DefaultParams())
	if err := search.Load(ctx, ix, kb.NewStore(db)); err != nil {
		return err
	}
	if ix.Len() == 0 {
		return fmt.Errorf("the knowledge base at %s has no published items: run 'fuwu import' first", sf.url())
	}
	res := ix.Search(ctx, q, *k)
	if *asJSON {
		out := struct {
			Query string        `json:"query"`
			Terms []search.Term `json:"terms"`
			Hits  []search.Hit  `json:"hits"`
		}{q, res.Terms, res.Hits}
		if out.Hits == nil {
			out.Hits = []search.Hit{}
		}
		enc := json.NewEncoder(std.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if *explain {
		for _, t := range res.Terms {
			from := ""
			if t.From != "" {
				from = " ← " + t.From
			}
			fmt.Fprintf(std.err, "term %s ×%.2f (%s%s)\n", t.Text, t.Weight, t.Source, from)
		}
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(std.err, "没有找到相关事项")
		return &exitError{code: 1}
	}
	for _, h := range res.Hits {
		fmt.Fprintf(std.out, "%s\t%s\t%.3f\t%s\n", h.ID, h.Name, h.Score, strings.Join(h.Fields, ","))
	}
	return nil
}
