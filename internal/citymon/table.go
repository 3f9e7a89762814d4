package citymon

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Problem is a line of an import that was not taken, and why.
type Problem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("第 %d 行：%s", p.Line, p.Reason) }

// tableRow is one data row of a sheet: its line number and its cells by
// header name.
type tableRow struct {
	line  int
	cells map[string]string
}

func (r tableRow) get(names ...string) string {
	for _, n := range names {
		if v, ok := r.cells[strings.ToLower(n)]; ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// maxTable bounds a CSV file read into memory.
const maxTable = 512 << 20

// readTable reads a .csv (UTF-8, with or without a byte-order mark, or
// GB18030 as Excel on Chinese Windows writes it) or .xlsx (first sheet)
// table whose first non-empty row is the header. Header names are
// matched case-insensitively.
func readTable(name string, r io.Reader) ([]tableRow, error) {
	var records [][]string
	var lines []int // each record's line in the file, where it is not its position
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("%s: no sheet", name)
		}
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			records = append(records, cols)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	default:
		raw, err := io.ReadAll(io.LimitReader(r, maxTable+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(raw) > maxTable {
			return nil, fmt.Errorf("%s: larger than %d MiB; split the file", name, maxTable>>20)
		}
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(raw) {
			if raw, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err != nil {
				return nil, fmt.Errorf("%s: neither UTF-8 nor GB18030: %w", name, err)
			}
		}
		cr := csv.NewReader(bytes.NewReader(raw))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			// The reader skips blank lines and a quoted cell may span
			// several: the record's own line is where it starts.
			line, _ := cr.FieldPos(0)
			records = append(records, rec)
			lines = append(lines, line)
		}
	}
	var header []string
	var out []tableRow
	for i, rec := range records {
		empty := true
		for _, c := range rec {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		if header == nil {
			for _, h := range rec {
				header = append(header, strings.ToLower(strings.TrimSpace(h)))
			}
			continue
		}
		cells := make(map[string]string, len(header))
		for j, h := range header {
			if j < len(rec) {
				cells[h] = rec[j]
			}
		}
		line := i + 1
		if lines != nil {
			line = lines[i]
		}
		out = append(out, tableRow{line: line, cells: cells})
	}
	if header == nil {
		return nil, fmt.Errorf("%s: empty", name)
	}
	return out, nil
}

// TableRow is one data row of an imported sheet: its line number in the
// file and its cells by lower-cased header name.
type TableRow struct {
	Line  int
	Cells map[string]string
}

// Get is the first of the named cells present, trimmed.
func (r TableRow) Get(names ...string) string { return tableRow{r.Line, r.Cells}.get(names...) }

// ReadTable reads a .csv (UTF-8 or GB18030) or .xlsx table the way the
// city imports do, for other packages' imports (the risk model's static
// data) to share the same rules.
func ReadTable(name string, r io.Reader) ([]TableRow, error) {
	rows, err := readTable(name, r)
	if err != nil {
		return nil, err
	}
	out := make([]TableRow, len(rows))
	for i, x := range rows {
		out[i] = TableRow{x.line, x.cells}
	}
	return out, nil
}
