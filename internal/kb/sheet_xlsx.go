package kb

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxXLSX bounds an .xlsx file and what it unzips to: a workbook is read
// into memory, and a crafted one must not unzip into gigabytes.
const (
	maxXLSX       = 256 << 20
	maxXLSXUnzip  = 1 << 30
	maxXLSXInline = 16 << 20 // larger sheet parts are streamed from a temporary file
)

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// readXLSX reads every visible worksheet of an .xlsx workbook that has an
// item header; rows are streamed, so a large sheet is never held whole.
// A sheet whose name contains "说明" (instructions) is passed over.
func readXLSX(r io.Reader, label string, progress func(rows int)) (res sheetResult, err error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxXLSX+1))
	if err != nil {
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	if len(raw) > maxXLSX {
		return res, fmt.Errorf("import %s: larger than %d MiB; split the workbook", label, maxXLSX>>20)
	}
	if bytes.HasPrefix(raw, oleMagic) {
		return res, fmt.Errorf("import %s: an old .xls workbook or a password-protected one; open it in Excel or WPS and save as .xlsx without a password", label)
	}
	// A malformed workbook is the file's fault, not a reason to crash: the
	// reader's own panics become an error for this file.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("import %s: the workbook is damaged (%v); open and save it again in Excel or WPS", label, p)
		}
	}()
	if err := checkZip(raw); err != nil {
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{
		RawCellValue:      true, // dates as serial numbers, numbers without display formats
		UnzipSizeLimit:    maxXLSXUnzip,
		UnzipXMLSizeLimit: maxXLSXInline,
	})
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return res, fmt.Errorf("import %s: not an .xlsx workbook (a CSV or an old .xls renamed? save it as .xlsx)", label)
		}
		return res, fmt.Errorf("import %s: cannot open the workbook: %w", label, err)
	}
	defer f.Close()
	var sheets []string
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err == nil && !visible {
			continue
		}
		if strings.Contains(name, "说明") {
			continue
		}
		sheets = append(sheets, name)
	}
	if len(sheets) == 0 {
		return res, fmt.Errorf("import %s: the workbook has no visible worksheet", label)
	}
	imported := 0
	for _, name := range sheets {
		sheetLabel := label
		if len(sheets) > 1 {
			sheetLabel = fmt.Sprintf("%s [%s]", label, name)
		}
		rows, err := f.Rows(name)
		if err != nil {
			return res, fmt.Errorf("import %s: %w", sheetLabel, err)
		}
		r, err := readSheetRows(&xlsxRows{rows: rows}, sheetLabel, progress)
		rows.Close()
		if errors.Is(err, errNoHeader) && len(sheets) > 1 {
			// One sheet of several with something else on it (a list of
			// halls, notes): say so, import the others.
			if r.lines > 0 {
				res.warnings = append(res.warnings, Problem{sheetLabel, 1, "no header row with 事项编码 and 事项名称; sheet not imported"})
			}
			continue
		}
		res.add(r)
		if err != nil {
			return res, err
		}
		imported++
	}
	if imported == 0 {
		return res, fmt.Errorf("import %s: %w with 事项编码 and 事项名称 columns on any sheet (see docs/import.md)", label, errNoHeader)
	}
	return res, nil
}

// maxDeflateRatio is the most deflate can expand data (about 1032:1);
// a zip entry claiming more is lying about its size.
const maxDeflateRatio = 1100

// checkZip refuses a workbook whose parts claim sizes they cannot have.
// The reader allocates a part's claimed size up front, so a few crafted
// bytes claiming a gigabyte would otherwise cost a gigabyte.
func checkZip(raw []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil // excelize reports it (with the friendlier message below)
	}
	var total uint64
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		total += size
		name := strings.ToLower(zf.Name)
		streamed := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		switch {
		case size > zf.CompressedSize64*maxDeflateRatio+1024:
			return fmt.Errorf("the workbook is damaged (part %s claims %d bytes from %d); open and save it again in Excel or WPS", zf.Name, size, zf.CompressedSize64)
		case !streamed && size > maxXLSXInline:
			return fmt.Errorf("the workbook's part %s is larger than %d MiB; save it again without embedded pictures or objects", zf.Name, maxXLSXInline>>20)
		case total > maxXLSXUnzip:
			return fmt.Errorf("the workbook unzips to more than %d MiB; split it", maxXLSXUnzip>>20)
		}
	}
	return nil
}

// xlsxRows adapts excelize's streaming row reader. Its row count includes
// rows missing from the file, so numbers are the ones Excel shows.
type xlsxRows struct {
	rows *excelize.Rows
	n    int
}

func (x *xlsxRows) next() (sheetRow, bool) {
	if !x.rows.Next() {
		return sheetRow{}, false
	}
	x.n++
	cells, err := x.rows.Columns()
	if err != nil {
		return sheetRow{n: x.n, bad: fmt.Errorf("cannot read the row: %w", err)}, true
	}
	return sheetRow{n: x.n, cells: cells}, true
}

func (x *xlsxRows) err() error { return x.rows.Error() }
