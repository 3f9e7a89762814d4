package kb

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// exportFields are the columns a written sheet has, in order: one per item
// field, in the form the importer reads back to the same item.
var exportFields = []sheetField{fID, fName, fAliases, fTheme, fAudience, fDepartment, fKind, fSummary,
	fConditions, fMaterials, fProcess, fLegalDays, fPromisedDays, fTimeNote, fFee, fBenefit, fLegalBasis,
	fOnlineAvailable, fOnlineDepth, fOnlineURL, fHalls, fAppointment, fContact, fFAQ, fDoorstep, fUpdated, fStatus}

func columnOf(f sheetField) SheetColumn {
	for _, c := range SheetColumns {
		if c.field == f {
			return c
		}
	}
	panic(fmt.Sprintf("kb: no column for field %d", f))
}

// sheetHeader is the header row of a written sheet; required columns carry
// the "*" people expect in a government template.
func sheetHeader(extra []string) []string {
	h := make([]string, 0, len(exportFields)+len(extra))
	for _, f := range exportFields {
		name := columnOf(f).Header
		if f == fID || f == fName {
			name = "*" + name
		}
		h = append(h, name)
	}
	return append(h, extra...)
}

// extraKeys are the unknown keys of items, sorted, written as extra columns.
func extraKeys(items []Item) []string {
	seen := map[string]bool{}
	var keys []string
	for _, it := range items {
		for k := range it.Extra {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// sheetRowOf writes an item as the cells of one row.
func sheetRowOf(it *Item, status Status, extra []string) []string {
	row := make([]string, 0, len(exportFields)+len(extra))
	for _, f := range exportFields {
		row = append(row, cellOf(it, status, f))
	}
	for _, k := range extra {
		v := it.Extra[k]
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		row = append(row, s)
	}
	return row
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func days(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + "个工作日"
}

func cellOf(it *Item, status Status, f sheetField) string {
	switch f {
	case fID:
		return it.ID
	case fName:
		return it.Name
	case fAliases:
		return strings.Join(it.Aliases, "\n")
	case fTheme:
		return it.Theme
	case fAudience:
		return strings.Join(it.Audience, "、")
	case fDepartment:
		return it.Department
	case fKind:
		return it.Kind
	case fSummary:
		return it.Summary
	case fConditions:
		return strings.Join(it.Conditions, "\n")
	case fMaterials:
		lines := make([]string, len(it.Materials))
		for i, m := range it.Materials {
			lines[i] = formatMaterial(m)
		}
		return strings.Join(lines, "\n")
	case fProcess:
		return strings.Join(it.Process, "\n")
	case fLegalDays:
		return days(it.TimeLimit.LegalDays)
	case fPromisedDays:
		return days(it.TimeLimit.PromisedDays)
	case fTimeNote:
		return it.TimeLimit.Note
	case fFee:
		return it.Fee
	case fBenefit:
		return it.Benefit
	case fLegalBasis:
		return strings.Join(it.LegalBasis, "\n")
	case fOnlineAvailable:
		return yesNo(it.Online.Available)
	case fOnlineDepth:
		return it.Online.Depth
	case fOnlineURL:
		return it.Online.URL
	case fHalls:
		return strings.Join(it.Offline.Halls, "、")
	case fAppointment:
		return yesNo(it.Offline.Appointment)
	case fContact:
		return it.Contact
	case fFAQ:
		var b strings.Builder
		for i, q := range it.FAQ {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("问：" + q.Q + "\n答：" + q.A)
		}
		return b.String()
	case fDoorstep:
		return yesNo(it.Doorstep)
	case fUpdated:
		return it.Updated
	case fStatus:
		if status == "" {
			return ""
		}
		return status.Label()
	}
	return ""
}

// formatMaterial writes a material the way people do, "名称（原件1份）",
// unless that would read back differently; then as "名称|形式|份数|备注".
func formatMaterial(m Material) string {
	s := m.Name
	var parts []string
	if m.Form != "" || m.Copies != 0 {
		p := m.Form
		if m.Copies != 0 {
			p += strconv.Itoa(m.Copies) + "份"
		}
		parts = append(parts, p)
	}
	if m.Note != "" {
		parts = append(parts, m.Note)
	}
	if len(parts) > 0 {
		s += "（" + strings.Join(parts, "，") + "）"
	}
	if back, err := parseMaterial(s); err == nil && back == m && !strings.Contains(s, "\n") {
		return s
	}
	copies := ""
	if m.Copies != 0 {
		copies = strconv.Itoa(m.Copies)
	}
	return strings.TrimRight(strings.Join([]string{m.Name, m.Form, copies, m.Note}, "|"), "|")
}

// WriteSheetCSV writes items as a CSV item sheet in UTF-8 with a byte-order
// mark, so that Excel on Chinese Windows opens it correctly. With no items
// it is an empty template.
func WriteSheetCSV(w io.Writer, items []Item) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	extra := extraKeys(items)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(sheetHeader(extra)); err != nil {
		return err
	}
	for i := range items {
		if err := cw.Write(sheetRowOf(&items[i], "", extra)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// templateRows is how far down the template's drop-down lists reach.
const templateRows = 10000

// WriteSheetXLSX writes items as an .xlsx item sheet ("事项" and an
// instructions sheet "填写说明" that the importer passes over). With no
// items it is the import template: header, drop-down lists for the
// columns with fixed values, id and phone columns formatted as text.
func WriteSheetXLSX(w io.Writer, items []Item) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "事项"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	extra := extraKeys(items)
	header := sheetHeader(extra)
	last := len(items) + 1
	if len(items) == 0 {
		last = templateRows
	}
	// Drop-downs go in before the stream writer takes the sheet over.
	lists := map[sheetField][]string{
		fTheme:           Themes,
		fKind:            {"行政许可", "行政确认", "行政给付", "行政裁决", "公共服务", "其他行政权力"},
		fOnlineDepth:     {"全程网办", "一次到场", "需到现场"},
		fOnlineAvailable: {"是", "否"},
		fAppointment:     {"是", "否"},
		fDoorstep:        {"是", "否"},
		fStatus:          {Draft.Label(), Review.Label(), Published.Label(), Withdrawn.Label()},
	}
	for i, fld := range exportFields {
		vals, ok := lists[fld]
		if !ok {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", colName(i), colName(i), last))
		if err := dv.SetDropList(vals); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, "不在可选值中", "请从下拉列表中选择，或确认填写无误。")
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	reqStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}}) // 49 = "@", text
	if err != nil {
		return err
	}
	wrapStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, fld := range exportFields {
		width, style := 14.0, wrapStyle
		switch fld {
		case fID, fContact, fUpdated, fLegalDays, fPromisedDays:
			style = textStyle
		case fSummary, fConditions, fMaterials, fProcess, fFAQ, fLegalBasis:
			width = 36
		case fName, fDepartment, fOnlineURL:
			width = 24
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		st := headStyle
		if strings.HasPrefix(h, "*") {
			st = reqStyle
		}
		cells[i] = excelize.Cell{StyleID: st, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for r := range items {
		row := sheetRowOf(&items[r], "", extra)
		vals := make([]any, len(row))
		for i, v := range row {
			st := wrapStyle
			if i < len(exportFields) {
				switch exportFields[i] {
				case fID, fContact, fUpdated, fLegalDays, fPromisedDays:
					st = textStyle
				}
			}
			vals[i] = excelize.Cell{StyleID: st, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeInstructions(f); err != nil {
		return err
	}
	return f.Write(w)
}

// writeInstructions adds the "填写说明" sheet: every column, its other
// accepted names, how to fill it and an example.
func writeInstructions(f *excelize.File) error {
	const sheet = "填写说明"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"福务 事项导入模板 填写说明"},
		{"每行一个事项；第一行是表头。列的顺序随意，不需要的列可以删除；表头可写下表中的任一名称，带 * 或（单位）也能识别。导入：fuwu import 文件.xlsx"},
		{"多值单元格：每项一行（Alt+Enter 换行），或用；分隔。出错的行会报告行号并跳过，其余照常导入。本工作表不会被导入。"},
		{},
		{"列名", "英文键", "也可写作", "填写说明", "示例"},
	}
	for _, c := range SheetColumns {
		rows = append(rows, []any{c.Header, c.Key, strings.Join(c.Aliases, "、"), c.Note, c.Example})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 16, "B": 22, "C": 36, "D": 60, "E": 40} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A5", "E5", bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	return f.SetCellStyle(sheet, "A6", fmt.Sprintf("E%d", len(rows)), wrap)
}
