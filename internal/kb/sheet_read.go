package kb

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Reading an item sheet: rows in, items or problems out, whatever the
// file format (sheet_csv.go, sheet_xlsx.go give the rows).

// sheetRow is one row of a sheet as a person sees it.
type sheetRow struct {
	n     int // 1-based row number
	cells []string
	bad   error // the row could not be read (a CSV quoting error)
}

// rowSource yields a sheet's rows in order; next returns false at the end
// or on an error that stops reading (then err says why).
type rowSource interface {
	next() (sheetRow, bool)
	err() error
}

// headerSearchRows bounds how far down a title block may push the header.
const headerSearchRows = 20

// sheetResult is what reading a sheet gave.
type sheetResult struct {
	items    []lineItem
	problems []Problem
	warnings []Problem
	lines    int // rows read, header included
	dataRows int // non-empty rows after the header: each is in items or problems
}

func (r *sheetResult) add(o sheetResult) {
	r.items = append(r.items, o.items...)
	r.problems = append(r.problems, o.problems...)
	r.warnings = append(r.warnings, o.warnings...)
	r.lines += o.lines
	r.dataRows += o.dataRows
}

// errNoHeader marks a sheet without a recognisable header row.
var errNoHeader = errors.New("no header row")

// readSheetRows finds the header row, then turns every following non-empty
// row into an item or a problem.
func readSheetRows(src rowSource, label string, progress func(rows int)) (sheetResult, error) {
	var res sheetResult
	var layout *sheetLayout
	var first []string // first non-empty row, for the error message
	var preamble []int
	warnedCol := map[int]bool{}
	for {
		row, ok := src.next()
		if !ok {
			break
		}
		res.lines = row.n
		if progress != nil && row.n%500 == 0 {
			progress(row.n)
		}
		if row.bad != nil {
			res.dataRows++
			res.problems = append(res.problems, Problem{label, row.n, row.bad.Error()})
			continue
		}
		if blankRow(row.cells) {
			continue
		}
		if layout == nil {
			if first == nil {
				first = row.cells
			}
			l, known, warnings := parseHeader(row.cells, row.n, label)
			if known >= 2 || l.has(fID) || l.has(fName) {
				var missing []string
				if !l.has(fID) {
					missing = append(missing, "事项编码 (id)")
				}
				if !l.has(fName) {
					missing = append(missing, "事项名称 (name)")
				}
				if len(missing) > 0 {
					return res, fmt.Errorf("import %s row %d: the header has no %s column (see docs/import.md)", label, row.n, strings.Join(missing, " or "))
				}
				layout = &l
				for _, p := range preamble {
					res.warnings = append(res.warnings, Problem{label, p, fmt.Sprintf("above the header row (row %d); not imported", row.n)})
				}
				res.warnings = append(res.warnings, warnings...)
				continue
			}
			if row.n >= headerSearchRows {
				break
			}
			preamble = append(preamble, row.n)
			continue
		}
		res.dataRows++
		it, status, unnamed, err := layout.item(row.cells)
		for _, c := range unnamed {
			if !warnedCol[c] {
				warnedCol[c] = true
				res.warnings = append(res.warnings, Problem{label, row.n, fmt.Sprintf("column %s has a value but no header; kept as extra data %q", colName(c), unnamedKey(c))})
			}
		}
		if err != nil {
			res.problems = append(res.problems, Problem{label, row.n, err.Error()})
			continue
		}
		res.items = append(res.items, lineItem{Line: row.n, Item: it, Status: status})
	}
	if err := src.err(); err != nil {
		return res, fmt.Errorf("import %s row %d: %w", label, res.lines+1, err)
	}
	if layout == nil {
		if first == nil {
			return res, fmt.Errorf("import %s: %w: the sheet is empty", label, errNoHeader)
		}
		return res, fmt.Errorf("import %s: %w with 事项编码 and 事项名称 columns in the first %d rows (first row: %s; see docs/import.md)",
			label, errNoHeader, headerSearchRows, clip(strings.Join(nonEmpty(first), " | "), 120))
	}
	return res, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" && cleanCell(c) != "" {
			return false
		}
	}
	return true
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = cleanCell(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// readSheetFile reads an item sheet by its extension.
func readSheetFile(r io.Reader, name, label string, progress func(rows int)) (sheetResult, error) {
	switch ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:]); ext {
	case "csv", "tsv":
		return readCSV(r, label, ext == "tsv", progress)
	case "xlsx", "xlsm":
		return readXLSX(r, label, progress)
	default:
		return sheetResult{}, fmt.Errorf("import %s: not a sheet (.csv or .xlsx)", label)
	}
}
