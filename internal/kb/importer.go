package kb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Problem is one input line that was skipped, with why.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Err  string `json:"error"`
}

func (p Problem) String() string { return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Err) }

// Report says what an import did. Problems are lines that were skipped;
// warnings are things worth knowing that lost nothing (an unknown column
// kept as extra data, an id given twice).
type Report struct {
	Items    UpsertResult `json:"items"`
	Halls    int          `json:"halls"`
	Policies int          `json:"policies"`
	Lines    int          `json:"lines"`
	Problems []Problem    `json:"problems"`
	Warnings []Problem    `json:"warnings,omitempty"`
}

// Skipped is the number of lines that did not import.
func (r Report) Skipped() int { return len(r.Problems) }

// Add accumulates another report into r.
func (r *Report) Add(o Report) {
	r.Items.Created += o.Items.Created
	r.Items.Updated += o.Items.Updated
	r.Items.Unchanged += o.Items.Unchanged
	r.Items.Revised += o.Items.Revised
	r.Halls += o.Halls
	r.Policies += o.Policies
	r.Lines += o.Lines
	r.Problems = append(r.Problems, o.Problems...)
	r.Warnings = append(r.Warnings, o.Warnings...)
}

// ImportOptions control an import.
type ImportOptions struct {
	Upsert UpsertOptions
	// Progress, when set, is called as a file's items are stored: done of
	// total, ending with done == total. While a large sheet is still being
	// read it is called with total 0 and done the rows read so far.
	Progress func(file string, done, total int)
}

// lineItem is a parsed item and the line (or sheet row) it came from.
type lineItem struct {
	Line int
	Item Item
	// Status, when set, is the state the line asks for (a sheet's 状态
	// column); an explicit UpsertOptions.ForceStatus still wins.
	Status Status
}

// batchSize bounds one transaction, so a long import commits steadily and
// reports progress, while still being fast on SQLite.
const batchSize = 250

// ImportPath imports a file or a folder. A folder is read by file name:
// items.jsonl, halls.jsonl, policies.jsonl and any *.csv / *.xlsx item
// sheets in it. A single file is read by its extension; kind ("items",
// "halls", "policies", or "" to guess from the name) says what a .jsonl
// holds.
func (s *Store) ImportPath(ctx context.Context, path, kind string, opt ImportOptions) (Report, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Report{}, fmt.Errorf("import: %w", err)
	}
	if !st.IsDir() {
		return s.importFile(ctx, os.DirFS(filepath.Dir(path)), filepath.Base(path), path, kind, opt)
	}
	return s.ImportFS(ctx, os.DirFS(path), path, opt)
}

// ImportFS imports every recognised file at the root of fsys (see
// ImportPath); label prefixes file names in problems. Halls go first so
// that items can refer to them.
func (s *Store) ImportFS(ctx context.Context, fsys fs.FS, label string, opt ImportOptions) (Report, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", label, err)
	}
	var order []string
	for _, want := range []string{"halls.jsonl", "items.jsonl", "policies.jsonl"} {
		for _, e := range entries {
			if e.Name() == want {
				order = append(order, want)
			}
		}
	}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !e.IsDir() && (ext == ".csv" || ext == ".xlsx") {
			order = append(order, e.Name())
		}
	}
	if len(order) == 0 {
		return Report{}, fmt.Errorf("import %s: no items.jsonl, halls.jsonl, policies.jsonl, .csv or .xlsx file", label)
	}
	var total Report
	for _, name := range order {
		r, err := s.importFile(ctx, fsys, name, filepath.Join(label, name), "", opt)
		total.Add(r)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Store) importFile(ctx context.Context, fsys fs.FS, name, label, kind string, opt ImportOptions) (Report, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if kind == "" {
		base := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		switch {
		case strings.Contains(base, "hall"):
			kind = "halls"
		case strings.Contains(base, "polic"):
			kind = "policies"
		default:
			kind = "items"
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", label, err)
	}
	defer f.Close()
	switch {
	case ext == ".jsonl" || ext == ".json" || ext == ".ndjson":
		switch kind {
		case "halls":
			return s.importHalls(ctx, f, label, opt.Upsert)
		case "policies":
			return s.importPolicies(ctx, f, label)
		}
		items, problems, lines, err := readItemsJSONL(f, label)
		if err != nil {
			return Report{Lines: lines, Problems: problems}, err
		}
		return s.storeItems(ctx, items, problems, lines, label, opt)
	case isSheet(ext):
		var reading func(int)
		if opt.Progress != nil {
			reading = func(rows int) { opt.Progress(label, rows, 0) }
		}
		res, err := readSheetFile(f, name, label, reading)
		if err != nil {
			return Report{Lines: res.lines, Problems: res.problems, Warnings: res.warnings}, err
		}
		if err := s.resolveHalls(ctx, res.items, label, &res.warnings); err != nil {
			return Report{}, err
		}
		rep, err := s.storeItems(ctx, res.items, res.problems, res.lines, label, opt)
		rep.Warnings = append(res.warnings, rep.Warnings...)
		return rep, err
	}
	return Report{}, fmt.Errorf("import %s: unknown file type %q (use .jsonl, .csv or .xlsx)", label, ext)
}

func isSheet(ext string) bool {
	switch ext {
	case ".csv", ".tsv", ".xlsx", ".xlsm":
		return true
	}
	return false
}

// resolveHalls lets a sheet name halls as staff know them: a 办理地点 that
// is a stored hall's name becomes that hall's id. Anything else is kept as
// written, with one warning per unknown value.
func (s *Store) resolveHalls(ctx context.Context, items []lineItem, label string, warnings *[]Problem) error {
	need := false
	for _, li := range items {
		if len(li.Item.Offline.Halls) > 0 {
			need = true
			break
		}
	}
	if !need {
		return nil
	}
	halls, err := s.Halls(ctx)
	if err != nil {
		return fmt.Errorf("import %s: %w", label, err)
	}
	ids, byName := map[string]bool{}, map[string]string{}
	for _, h := range halls {
		ids[h.ID] = true
		byName[strings.ReplaceAll(h.Name, " ", "")] = h.ID
	}
	warned := map[string]bool{}
	for i := range items {
		hs := items[i].Item.Offline.Halls
		for j, h := range hs {
			if ids[h] {
				continue
			}
			if id, ok := byName[strings.ReplaceAll(h, " ", "")]; ok {
				hs[j] = id
				continue
			}
			if !warned[h] {
				warned[h] = true
				*warnings = append(*warnings, Problem{label, items[i].Line, fmt.Sprintf("办理地点 %q is not the id or name of a known hall; kept as written (import halls first)", h)})
			}
		}
	}
	return nil
}

// storeItems stores parsed items in batches of batchSize, one transaction
// each: a failure leaves every earlier batch committed and nothing of the
// failed one.
func (s *Store) storeItems(ctx context.Context, items []lineItem, problems []Problem, lines int, label string, opt ImportOptions) (Report, error) {
	rep := Report{Lines: lines, Problems: problems}
	// The last line for an id wins, as if the lines were applied in order.
	last := map[string]int{}
	for i, li := range items {
		if j, dup := last[li.Item.ID]; dup {
			rep.Warnings = append(rep.Warnings, Problem{label, items[j].Line,
				fmt.Sprintf("id %s is given again on line %d, which wins", li.Item.ID, li.Line)})
		}
		last[li.Item.ID] = i
	}
	batch := make([]Item, 0, batchSize)
	statuses := make([]Status, 0, batchSize)
	done, batchLine := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		r, err := s.upsertItems(ctx, batch, statuses, opt.Upsert)
		if err != nil {
			return fmt.Errorf("import %s: %d of %d items stored; the batch from line %d was not: %w", label, done, len(last), batchLine, err)
		}
		rep.Items.Created += r.Created
		rep.Items.Updated += r.Updated
		rep.Items.Unchanged += r.Unchanged
		rep.Items.Revised += r.Revised
		done += len(batch)
		batch, statuses = batch[:0], statuses[:0]
		if opt.Progress != nil {
			opt.Progress(label, done, len(last))
		}
		return nil
	}
	for i, li := range items {
		if last[li.Item.ID] != i {
			continue
		}
		if len(batch) == 0 {
			batchLine = li.Line
		}
		batch = append(batch, li.Item)
		statuses = append(statuses, li.Status)
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// maxLine bounds one JSONL record; a catalogue item is a few KiB.
const maxLine = 4 << 20

// eachLine calls fn for every non-blank line with its 1-based number.
func eachLine(r io.Reader, label string, fn func(n int, line []byte)) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // UTF-8 BOM
		}
		if len(line) == 0 {
			continue
		}
		fn(n, line)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return n, fmt.Errorf("import %s line %d: line longer than %d bytes", label, n+1, maxLine)
		}
		return n, fmt.Errorf("import %s line %d: %w", label, n+1, err)
	}
	return n, nil
}

func readItemsJSONL(r io.Reader, label string) ([]lineItem, []Problem, int, error) {
	var items []lineItem
	var problems []Problem
	lines, err := eachLine(r, label, func(n int, line []byte) {
		var it Item
		if err := decodeLine(line, &it); err != nil {
			problems = append(problems, Problem{label, n, err.Error()})
			return
		}
		normaliseItem(&it)
		if err := it.Validate(); err != nil {
			problems = append(problems, Problem{label, n, err.Error()})
			return
		}
		items = append(items, lineItem{Line: n, Item: it})
	})
	return items, problems, lines, err
}

func decodeLine(line []byte, v any) error {
	if !utf8.Valid(line) {
		return errors.New("not valid UTF-8 (save the file as UTF-8)")
	}
	if err := json.Unmarshal(line, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			return fmt.Errorf("field %q should be %s, not %s", te.Field, kindName(te.Type), te.Value)
		}
		return fmt.Errorf("malformed JSON: %v", err)
	}
	return nil
}

// normaliseItem trims what people paste with stray spaces.
func normaliseItem(it *Item) {
	it.ID = strings.TrimSpace(it.ID)
	it.Name = strings.TrimSpace(it.Name)
	it.Theme = strings.TrimSpace(it.Theme)
	it.Online.URL = strings.TrimSpace(it.Online.URL)
}

// importHalls stores the halls of a file. With o.Revise (console uploads)
// a hall that already exists is not changed but gets the file's details
// as its pending change, for review like any edit of a live hall.
func (s *Store) importHalls(ctx context.Context, r io.Reader, label string, o UpsertOptions) (Report, error) {
	halls, problems, lines, err := readHallsJSONL(r, label)
	rep := Report{Lines: lines, Problems: problems}
	if err != nil {
		return rep, err
	}
	if o.Revise {
		fresh := halls[:0:0]
		for _, h := range halls {
			if _, err := s.Hall(ctx, h.ID); errors.Is(err, ErrNotFound) {
				fresh = append(fresh, h)
				continue
			} else if err != nil {
				return rep, fmt.Errorf("import %s: %w", label, err)
			}
			if err := s.ProposeHall(ctx, h, o.Actor); err != nil {
				return rep, fmt.Errorf("import %s: %w", label, err)
			}
			rep.Halls++
		}
		halls = fresh
	}
	if err := s.UpsertHalls(ctx, halls); err != nil {
		return rep, fmt.Errorf("import %s: %w", label, err)
	}
	rep.Halls += len(halls)
	return rep, nil
}

func readHallsJSONL(r io.Reader, label string) ([]Hall, []Problem, int, error) {
	var halls []Hall
	var problems []Problem
	lines, err := eachLine(r, label, func(n int, line []byte) {
		var h Hall
		if err := decodeLine(line, &h); err != nil {
			problems = append(problems, Problem{label, n, err.Error()})
			return
		}
		h.ID, h.Name = strings.TrimSpace(h.ID), strings.TrimSpace(h.Name)
		if err := h.Validate(); err != nil {
			problems = append(problems, Problem{label, n, err.Error()})
			return
		}
		halls = append(halls, h)
	})
	return halls, problems, lines, err
}

func (s *Store) importPolicies(ctx context.Context, r io.Reader, label string) (Report, error) {
	var ps []Policy
	var rep Report
	lines, err := eachLine(r, label, func(n int, line []byte) {
		var p Policy
		if err := decodeLine(line, &p); err != nil {
			rep.Problems = append(rep.Problems, Problem{label, n, err.Error()})
			return
		}
		if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Title) == "" {
			rep.Problems = append(rep.Problems, Problem{label, n, "id and title are required"})
			return
		}
		ps = append(ps, p)
	})
	rep.Lines = lines
	if err != nil {
		return rep, err
	}
	if err := s.UpsertPolicies(ctx, ps); err != nil {
		return rep, fmt.Errorf("import %s: %w", label, err)
	}
	rep.Policies = len(ps)
	return rep, nil
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
