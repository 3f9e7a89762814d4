package kb

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// maxCSV bounds a CSV item sheet read into memory (a 100 000-item
// catalogue is well under it).
const maxCSV = 512 << 20

// readCSV reads a CSV item sheet. The encoding is detected: UTF-8 with or
// without a byte-order mark, UTF-16 with a mark (Excel's "Unicode text"),
// otherwise GB18030 (a superset of GBK, what Excel on Chinese Windows
// writes). The delimiter is the comma, tab or semicolon that the first line
// has most of.
func readCSV(r io.Reader, label string, tab bool, progress func(rows int)) (sheetResult, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxCSV+1))
	if err != nil {
		return sheetResult{}, fmt.Errorf("import %s: %w", label, err)
	}
	if len(raw) > maxCSV {
		return sheetResult{}, fmt.Errorf("import %s: larger than %d MiB; split the file", label, maxCSV>>20)
	}
	text, err := decodeText(raw)
	if err != nil {
		return sheetResult{}, fmt.Errorf("import %s: %w", label, err)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	if tab {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1 // rows may be ragged; missing cells are empty
	// Quotes are strict: with lazy quotes one unclosed quote silently
	// swallows every later row into a cell. A bad row is reported instead.
	return readSheetRows(&csvRows{r: cr}, label, progress)
}

// decodeText turns the bytes of a text file into UTF-8.
func decodeText(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte("\xff\xfe")), bytes.HasPrefix(raw, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		b, err := dec.Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("not valid UTF-16: %w", err)
		}
		return string(b), nil
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("neither UTF-8 nor GBK/GB18030 text (save the file as “CSV UTF-8”): %w", err)
	}
	return string(b), nil
}

// sniffDelimiter picks the separator the first lines use most (the first
// line alone may be a title).
func sniffDelimiter(text string) rune {
	head := text
	for i, n := 0, 0; i < len(text); i++ {
		if text[i] == '\n' {
			if n++; n == headerSearchRows {
				head = text[:i]
				break
			}
		}
	}
	best, bestN := ',', strings.Count(head, ",")
	for _, d := range []rune{'\t', ';'} {
		if n := strings.Count(head, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// csvRows numbers CSV records as a spreadsheet shows them: a quoted cell
// spanning lines is still one row, and a blank line is an empty row.
type csvRows struct {
	r       *csv.Reader
	row     int // number of the last row returned
	endLine int // physical line the last record ended on
	failed  error
	done    bool
}

var _ rowSource = (*csvRows)(nil)

func (c *csvRows) next() (sheetRow, bool) {
	if c.done {
		return sheetRow{}, false
	}
	rec, err := c.r.Read()
	if err == io.EOF {
		c.done = true
		return sheetRow{}, false
	}
	var pe *csv.ParseError
	if err != nil && !errors.As(err, &pe) {
		c.failed, c.done = err, true
		return sheetRow{}, false
	}
	var start, end int
	var bad error
	if pe != nil {
		start, end = pe.StartLine, pe.Line
		what := "a \" inside a cell that is not wrapped in quotes (wrap the cell in \"…\" and write \" as \"\")"
		if errors.Is(pe.Err, csv.ErrQuote) {
			what = "a quoted cell is not closed properly (an odd number of \" marks)"
		}
		if end > start {
			what += fmt.Sprintf("; file lines %d–%d were read as this row", start, end)
		}
		bad = errors.New(what)
	} else {
		start, _ = c.r.FieldPos(0)
		last, _ := c.r.FieldPos(len(rec) - 1)
		end = last + strings.Count(rec[len(rec)-1], "\n")
	}
	blank := max(start-c.endLine-1, 0)
	c.endLine = end
	c.row += blank + 1
	return sheetRow{n: c.row, cells: rec, bad: bad}, true
}

func (c *csvRows) err() error { return c.failed }
