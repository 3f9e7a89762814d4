package policy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The Excel template: staff who do not write JSON fill a workbook with a
// sheet of policies (one a row) and a sheet of conditions (one a row,
// naming its policy). Headers are matched by name, so columns may be
// moved; the English keys are accepted too.

const (
	sheetPolicies   = "政策"
	sheetConditions = "条件"
	sheetHelp       = "填写说明"
	maxPolicyXLSX   = 32 << 20
)

var policyColumns = []struct{ header, key, note string }{
	{"政策编号", "id", "必填，唯一，如 POL-101；再次导入同一编号即更新"},
	{"政策名称", "title", "必填"},
	{"发文单位", "issuer", ""},
	{"文号", "doc_no", "如 福民〔2024〕3号"},
	{"适用对象", "target", "个人 或 企业"},
	{"享受方式", "mode", "免申即享 或 依申请"},
	{"办理事项", "item", "事项编码，如 FT-034"},
	{"生效日期", "effective", "YYYY-MM-DD"},
	{"失效日期", "expires", "YYYY-MM-DD，长期有效可不填"},
	{"待遇名称", "benefit.label", "如 每月津贴"},
	{"待遇计算", "benefit.expr", "表达式，结果为元，如 age(birth_date) >= 90 ? 500 : 200"},
	{"待遇单位", "benefit.unit", "如 元/月"},
	{"互斥组", "exclusive", "不可叠加享受的政策填同一组名"},
}

var conditionColumns = []struct{ header, key, note string }{
	{"政策编号", "policy", "必填，与“政策”表一致"},
	{"条件说明", "label", "居民看到的文字，如 年满80周岁"},
	{"条件表达式", "expr", "如 age(birth_date) >= 80；字段见字段表"},
	{"依据条款", "clause", "如 第三条"},
}

// WriteXLSX writes policies (none for an empty template) as the Excel
// template.
func WriteXLSX(w io.Writer, ps []Policy) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetPolicies); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": dates stay text
	put := func(sheet string, row int, cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(sheet, cell, &cells)
	}
	var head []any
	for _, c := range policyColumns {
		head = append(head, c.header)
	}
	if err := put(sheetPolicies, 1, head); err != nil {
		return err
	}
	for i, p := range ps {
		var bl, be, bu string
		if p.Benefit != nil {
			bl, be, bu = p.Benefit.Label, p.Benefit.Expr, p.Benefit.Unit
		}
		row := []any{p.ID, p.Title, p.Issuer, p.DocNo, p.Target.Label(), p.Mode.Label(), p.Item, p.Effective, p.Expires, bl, be, bu, p.Exclusive}
		if err := put(sheetPolicies, i+2, row); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(sheetConditions); err != nil {
		return err
	}
	head = head[:0]
	for _, c := range conditionColumns {
		head = append(head, c.header)
	}
	if err := put(sheetConditions, 1, head); err != nil {
		return err
	}
	row := 2
	for _, p := range ps {
		for _, c := range p.Conditions {
			if err := put(sheetConditions, row, []any{p.ID, c.Label, c.Expr, c.Clause}); err != nil {
				return err
			}
			row++
		}
	}
	if _, err := f.NewSheet(sheetHelp); err != nil {
		return err
	}
	help := [][]any{{"表", "列", "填写要求"}}
	for _, c := range policyColumns {
		help = append(help, []any{sheetPolicies, c.header, c.note})
	}
	for _, c := range conditionColumns {
		help = append(help, []any{sheetConditions, c.header, c.note})
	}
	help = append(help, []any{"", "", "表达式可用函数：age(日期) 周岁、years_since(日期) 满整年数、months_since(日期) 满整月数、days_until(日期) 距该日天数；日期写作 YYYY-MM-DD"})
	for i, r := range help {
		if err := put(sheetHelp, i+1, r); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		name string
		cols int
	}{{sheetPolicies, len(policyColumns)}, {sheetConditions, len(conditionColumns)}, {sheetHelp, 3}} {
		last, _ := excelize.ColumnNumberToName(s.cols)
		_ = f.SetCellStyle(s.name, "A1", last+"1", bold)
		_ = f.SetColWidth(s.name, "A", last, 18)
	}
	_ = f.SetColStyle(sheetPolicies, "H:I", text)
	_ = f.SetColWidth(sheetConditions, "C", "C", 48)
	_ = f.SetColWidth(sheetHelp, "C", "C", 80)
	return f.Write(w)
}

// ReadXLSX reads the Excel template: policies with their line numbers
// (the row on the 政策 sheet) and the rows that could not be used.
func ReadXLSX(r io.Reader, file string) (ps []Policy, lines []int, problems []Problem, err error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxPolicyXLSX+1))
	if err != nil {
		return nil, nil, nil, err
	}
	if len(raw) > maxPolicyXLSX {
		return nil, nil, nil, fmt.Errorf("%s: larger than %d MiB", file, maxPolicyXLSX>>20)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: the workbook is damaged (%v); open and save it again in Excel or WPS", file, p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{RawCellValue: true, UnzipSizeLimit: 256 << 20})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: not an .xlsx workbook: %w", file, err)
	}
	defer f.Close()
	prow, err := f.GetRows(sheetPolicies)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: no sheet %q", file, sheetPolicies)
	}
	crow, err := f.GetRows(sheetConditions)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: no sheet %q", file, sheetConditions)
	}
	bad := func(sheet string, row int, format string, a ...any) {
		problems = append(problems, Problem{File: file + " [" + sheet + "]", Line: row, Message: fmt.Sprintf(format, a...)})
	}
	if len(prow) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: sheet %q is empty", file, sheetPolicies)
	}
	pcol := headerIndex(prow[0], policyColumns)
	if _, ok := pcol["id"]; !ok {
		return nil, nil, nil, fmt.Errorf("%s: sheet %q has no 政策编号 column", file, sheetPolicies)
	}
	byID := map[string]int{}
	for i, row := range prow[1:] {
		n := i + 2
		get := func(k string) string { return cellOf(row, pcol, k) }
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		p := Policy{ID: get("id"), Title: get("title"), Issuer: get("issuer"), DocNo: get("doc_no"), Item: get("item"),
			Effective: excelDay(get("effective")), Expires: excelDay(get("expires")), Exclusive: get("exclusive"), Conditions: []Condition{}}
		if t := get("target"); t != "" {
			tg, err := ParseTarget(t)
			if err != nil {
				bad(sheetPolicies, n, "适用对象 %q：请填 个人 或 企业", t)
				continue
			}
			p.Target = tg
		}
		switch m := get("mode"); m {
		case "免申即享", "auto", "免申":
			p.Mode = Auto
		case "依申请", "apply", "申请", "":
			p.Mode = Apply
		default:
			bad(sheetPolicies, n, "享受方式 %q：请填 免申即享 或 依申请", m)
			continue
		}
		if e := get("benefit.expr"); e != "" {
			p.Benefit = &Benefit{Label: get("benefit.label"), Expr: e, Unit: get("benefit.unit")}
		}
		if err := p.Validate(); err != nil {
			bad(sheetPolicies, n, "%v", err)
			continue
		}
		if first, dup := byID[p.ID]; dup {
			bad(sheetPolicies, n, "政策编号 %s 重复（第 %d 行已有）", p.ID, lines[first])
			continue
		}
		byID[p.ID] = len(ps)
		ps = append(ps, p)
		lines = append(lines, n)
	}
	if len(crow) > 0 {
		ccol := headerIndex(crow[0], conditionColumns)
		for i, row := range crow[1:] {
			n := i + 2
			if strings.TrimSpace(strings.Join(row, "")) == "" {
				continue
			}
			get := func(k string) string { return cellOf(row, ccol, k) }
			id := get("policy")
			idx, ok := byID[id]
			if !ok {
				bad(sheetConditions, n, "政策编号 %q 不在“政策”表中（或该政策有误未导入）", id)
				continue
			}
			c := Condition{Label: get("label"), Expr: get("expr"), Clause: get("clause")}
			if c.Expr == "" {
				bad(sheetConditions, n, "条件表达式为空")
				continue
			}
			if c.Label == "" {
				c.Label = c.Expr
			}
			ps[idx].Conditions = append(ps[idx].Conditions, c)
		}
	}
	return ps, lines, problems, nil
}

func headerIndex(head []string, cols []struct{ header, key, note string }) map[string]int {
	out := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "*"))
		for _, c := range cols {
			if h == c.header || strings.EqualFold(h, c.key) {
				out[c.key] = i
			}
		}
	}
	return out
}

func cellOf(row []string, col map[string]int, key string) string {
	i, ok := col[key]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// excelDay turns an Excel date serial (a date cell read raw) into
// YYYY-MM-DD; anything else is returned as written.
func excelDay(s string) string {
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 1 && n < 2958466 && !strings.Contains(s, "-") {
		return FromOrdinal(int(n) - 25569).String() // 25569: 1970-01-01 in Excel's 1900 system
	}
	if d, err := ParseLooseDay(s); err == nil {
		return d.String()
	}
	return s
}

// ImportXLSX reads the Excel template into the library, like Import.
func (l *Library) ImportXLSX(ctx context.Context, r io.Reader, file string, opt ImportOptions) (ImportReport, error) {
	ps, lines, problems, err := ReadXLSX(r, file)
	if err != nil {
		return ImportReport{Problems: problems}, err
	}
	return l.importPolicies(ctx, ps, lines, problems, file, opt)
}
