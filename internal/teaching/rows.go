package teaching

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readJSONL decodes one T per non-blank line and checks it; a line that
// is not JSON or fails the check is reported with its number and skipped.
// It returns the good values with their line numbers.
func readJSONL[T any](r io.Reader, check func(*T) error) ([]T, []int, []ImportProblem, error) {
	var (
		out   []T
		lines []int
		probs []ImportProblem
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			probs = append(probs, ImportProblem{n, "not a JSON object: " + err.Error()})
			continue
		}
		if err := check(&v); err != nil {
			probs = append(probs, ImportProblem{n, err.Error()})
			continue
		}
		out, lines = append(out, v), append(lines, n)
	}
	return out, lines, probs, sc.Err()
}

// sheetRows reads the first sheet of an .xlsx workbook: the first row's
// headers are mapped to fields by names (lower-cased), every field in need
// must have a column, and each non-blank row after it comes back as field
// → trimmed cell, with its row number.
func sheetRows(r io.Reader, names map[string]string, need []string, headers string) ([]map[string]string, []int, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fmt.Errorf("no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("empty sheet")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		if field, ok := names[strings.ToLower(strings.TrimSpace(h))]; ok {
			col[field] = i
		}
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, nil, fmt.Errorf("row 1: no %s column (headers: %s)", n, headers)
		}
	}
	var (
		out   []map[string]string
		lines []int
	)
	for i, row := range rows[1:] {
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		m := map[string]string{}
		for field, c := range col {
			if c < len(row) {
				m[field] = strings.TrimSpace(row[c])
			}
		}
		out, lines = append(out, m), append(lines, i+2)
	}
	return out, lines, nil
}
