package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/teaching"
)

func init() {
	register(&command{
		name:    "library",
		summary: "document library (文库): import, ask with article citations, eval",
		run:     runLibrary,
	})
}

func libraryUsage(w io.Writer) {
	fmt.Fprintln(w, `Usage: fuwu library <subcommand> [flags] [args]

Subcommands:
  import PATH --collection NAME [--public] [--roles r1,r2]
                                 import a file or a folder (.md .txt .docx .pdf)
  ask "QUESTION" [--collection NAME] [--context PREV] [--version DATE] [--json]
                                 answer with the article(s) that say so
  eval --docs DIR --cases FILE [--json] [-v]
                                 score article retrieval on a JSONL case set
  list [--collection NAME] [--json]
                                 collections and documents with their standing`)
}

func runLibrary(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		libraryUsage(std.err)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	switch args[0] {
	case "import":
		return runLibraryImport(ctx, args[1:], std)
	case "ask":
		return runLibraryAsk(ctx, args[1:], std)
	case "eval":
		return runLibraryEval(ctx, args[1:], std)
	case "list":
		return runLibraryList(ctx, args[1:], std)
	}
	libraryUsage(std.err)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", args[0])}
}

// DemoCollection is where the bundled laws go.
const demoCollection = "法规制度"

// openLibrary opens the store and the library, loading the bundled laws
// into an empty library when demo is set.
func openLibrary(ctx context.Context, sf storeFlags, lc llm.Config, demo bool) (*library.Library, *store.DB, error) {
	db, err := sf.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	opt := library.Options{}
	if lc.BaseURL != "" {
		client, err := llm.New(lc)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		if client.HasChat() {
			opt.Model, opt.ModelName = chatModel{client}, client.Model()
			if lc.Timeout > 0 {
				opt.ModelTimeout = lc.Timeout
			}
		}
	}
	lib, err := library.Open(ctx, db, opt)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if demo {
		if err := lib.LoadDemo(ctx, data.Library(), demoCollection); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return lib, db, nil
}

func runLibraryImport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("library import", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	collection := fs.String("collection", "", "collection to import into (created if new)")
	public := fs.Bool("public", false, "a new collection is readable by everyone (default: staff only)")
	roles := fs.String("roles", "", "a new staff collection is readable by these roles only (comma-separated)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu library import PATH --collection NAME\n\nPATH is a file or a folder of .md, .txt, .docx and .pdf files. A file that fails is reported\nand the others import; the exit status is then 3. Importing a version again replaces it.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *collection == "" {
		fs.Usage()
		return &exitError{code: 2}
	}
	lib, db, err := openLibrary(ctx, sf, llm.Config{}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := lib.Collection(*collection, library.Everyone); errors.Is(err, library.ErrNotFound) {
		c := library.Collection{Name: *collection, Visibility: library.Staff}
		if *public {
			c.Visibility = library.Public
		}
		if *roles != "" {
			c.Roles = strings.Split(*roles, ",")
		}
		if err := lib.PutCollection(ctx, c); err != nil {
			return err
		}
	}
	start := time.Now()
	dir, base := pos[0], "."
	if st, err := os.Stat(pos[0]); err != nil {
		return err
	} else if !st.IsDir() {
		dir, base = filepath.Dir(pos[0]), filepath.Base(pos[0])
	}
	var results []library.ImportResult
	if base == "." {
		results, err = lib.ImportFS(ctx, os.DirFS(dir), ".", *collection, "cli")
	} else {
		var f *os.File
		if f, err = os.Open(pos[0]); err != nil {
			return err
		}
		var r library.ImportResult
		r, err = lib.Import(ctx, *collection, base, f, 0, "cli")
		f.Close()
		if err != nil {
			r.Error = err.Error()
		}
		results = []library.ImportResult{r}
	}
	if *asJSON {
		if e := json.NewEncoder(std.out).Encode(results); e != nil {
			return e
		}
	} else {
		for _, r := range results {
			switch {
			case r.Error != "":
				fmt.Fprintf(std.out, "%s: 失败：%s\n", r.File, r.Error)
			default:
				fmt.Fprintf(std.out, "%s: 《%s》%s版 %d 条", r.File, r.Title, r.Version, r.Articles)
				if r.Replaced {
					fmt.Fprint(std.out, "（替换了同一版本）")
				}
				if len(r.NeedsOCR) > 0 {
					fmt.Fprintf(std.out, "；第 %v 页是扫描图像，需要 OCR，未导入其文字", r.NeedsOCR)
				}
				fmt.Fprintln(std.out)
			}
		}
		fmt.Fprintf(std.err, "%d 个文件，用时 %s\n", len(results), time.Since(start).Round(time.Millisecond))
	}
	if err != nil {
		return &exitError{code: 3, msg: err.Error()}
	}
	return nil
}

func runLibraryAsk(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("library ask", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	lc, err := llm.ConfigFromEnv(llmEnv)
	if err != nil {
		return err
	}
	lc.RegisterFlags(fs)
	collection := fs.String("collection", "", "search one collection (default: all)")
	prev := fs.String("context", "", "the previous question of the conversation")
	version := fs.String("version", "", "answer from this version of a law (YYYY-MM-DD) instead of the one in force")
	asJSON := fs.Bool("json", false, `print {"status","answer","citations":[…]} as JSON`)
	demo := fs.Bool("demo", true, "load the bundled laws when the library is empty")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu library ask \"QUESTION\" [--collection NAME] [--json]")
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
	lib, db, err := openLibrary(ctx, sf, lc, *demo)
	if err != nil {
		return err
	}
	defer db.Close()
	ans, err := lib.Ask(ctx, library.Question{Text: q, Context: *prev, Collection: *collection,
		Version: *version, Viewer: library.Everyone})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(ans)
	}
	fmt.Fprintln(std.out, ans.Answer)
	if ans.AILabel != "" {
		fmt.Fprintf(std.out, "（%s）\n", ans.AILabel)
	}
	if ans.Fallback != "" {
		fmt.Fprintf(std.err, "model answer not used: %s\n", ans.Fallback)
	}
	return nil
}

func runLibraryEval(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("library eval", std.err)
	docs := fs.String("docs", "", "folder of documents to import into a fresh library")
	casesPath := fs.String("cases", "", "cases (.jsonl: id, q, context, law, file, articles, expect)")
	asJSON := fs.Bool("json", false, "print only the metrics as one JSON object")
	verbose := fs.Bool("v", false, "also list the cases that missed (on standard error)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu library eval --docs DIR --cases FILE [--json]\n\nA top-1 hit is a first citation of the case's law (and, when its file names a date, that\nversion) and one of its articles; recall@3 looks at the first three citations.")
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *docs == "" || *casesPath == "" {
		fs.Usage()
		return &exitError{code: 2}
	}
	f, err := os.Open(*casesPath)
	if err != nil {
		return err
	}
	cases, err := library.ReadCases(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *casesPath, err)
	}
	tmp, err := os.MkdirTemp("", "fuwu-library-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	lib, db, err := openLibrary(ctx, storeFlags{data: tmp}, llm.Config{}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := lib.PutCollection(ctx, library.Collection{Name: "eval", Visibility: library.Public}); err != nil {
		return err
	}
	if res, err := lib.ImportFS(ctx, os.DirFS(*docs), ".", "eval", "eval"); err != nil {
		for _, r := range res {
			if r.Error != "" {
				fmt.Fprintf(std.err, "%s: %s\n", r.File, r.Error)
			}
		}
		if len(res) == 0 {
			return err
		}
	}
	r, err := library.Evaluate(ctx, cases, lib.AskCase)
	if err != nil {
		return err
	}
	if *verbose {
		for _, m := range r.Misses {
			fmt.Fprintf(std.err, "%s %s\n  want %s\n  got  %s\n", m.ID, m.Q, m.Want, m.Got)
		}
	}
	r.Misses = nil
	if *asJSON {
		return json.NewEncoder(std.out).Encode(r)
	}
	fmt.Fprintf(std.out, "article_top1 %.3f  article_recall3 %.3f  notfound_recall %.3f  notfound_false %.3f  turns %d\n",
		r.ArticleTop1, r.ArticleRecall3, r.NotFoundRecall, r.NotFoundFalse, r.Turns)
	return nil
}

func runLibraryList(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("library list", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	collection := fs.String("collection", "", "one collection (default: all)")
	asJSON := fs.Bool("json", false, "print as JSON (articles left out)")
	demo := fs.Bool("demo", true, "load the bundled laws when the library is empty")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	lib, db, err := openLibrary(ctx, sf, llm.Config{}, *demo)
	if err != nil {
		return err
	}
	defer db.Close()
	type row struct {
		Collection library.Collection     `json:"collection"`
		Documents  []library.DocumentInfo `json:"documents"`
	}
	var rows []row
	for _, c := range lib.Collections(library.Everyone) {
		if *collection != "" && c.Name != *collection {
			continue
		}
		docs, err := lib.Documents(c.Name, library.Everyone)
		if err != nil {
			return err
		}
		for i := range docs {
			d := *docs[i].Document
			d.Articles = nil
			docs[i].Document = &d
		}
		rows = append(rows, row{c, docs})
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(rows)
	}
	for _, r := range rows {
		fmt.Fprintf(std.out, "%s (%s)\n", r.Collection.Name, r.Collection.Visibility)
		for _, d := range r.Documents {
			fmt.Fprintf(std.out, "  %d 《%s》 %s %s 施行 %s\n", d.ID, d.Title, d.Version, d.Standing, d.Effective)
		}
	}
	return nil
}

// documents are the document library and the teachers' assistant as the
// running program holds them (the web layer's handlers call into these).
type documents struct {
	library  *library.Library
	teaching *teaching.Store
}

// openDocuments opens the library (the bundled laws and the teachers'
// demo loaded into an empty one when demo is set) and keeps it current
// from other replicas' changes until bg ends.
func openDocuments(ctx, bg context.Context, db *store.DB, client *llm.Client, demo bool) (*documents, error) {
	opt := library.Options{}
	if client.HasChat() {
		opt.Model, opt.ModelName = chatModel{client}, client.Model()
	}
	lib, err := library.Open(ctx, db, opt)
	if err != nil {
		return nil, err
	}
	changes := db.Subscribe(library.Topic)
	teach := teaching.NewStore(db, teaching.Options{Model: opt.Model, ModelName: opt.ModelName,
		Retriever: teaching.FromLibrary(lib, teaching.DemoCollection, library.Viewer{Staff: true, Role: "teacher"})})
	if demo {
		if err := lib.LoadDemo(ctx, data.Library(), demoCollection); err != nil {
			return nil, err
		}
		if err := teaching.LoadDemo(ctx, teach, lib, data.Library()); err != nil {
			return nil, err
		}
	}
	go lib.Follow(bg, changes)
	return &documents{library: lib, teaching: teach}, nil
}
