package kb_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// problemLines lists the line numbers of problems, in order.
func problemLines(ps []kb.Problem) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.Line)
	}
	return out
}

func hasWarning(rep kb.Report, line int, substr string) bool {
	for _, w := range rep.Warnings {
		if w.Line == line && strings.Contains(w.Err, substr) {
			return true
		}
	}
	return false
}

// TestImportCSVSheets imports the same sheet saved three ways: UTF-8 with
// a BOM, GBK (Excel on Chinese Windows) and UTF-16 tab-separated (Excel's
// "Unicode text"). testdata/sheets/make.py documents each row.
func TestImportCSVSheets(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		if _, err := s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{}); err != nil { // halls, for 办理地点 names
			t.Fatal(err)
		}
		for _, name := range []string{"items_utf8.csv", "items_gbk.csv", "items_utf16.tsv"} {
			rep, err := s.ImportPath(ctx, filepath.Join("testdata", "sheets", name), "", kb.ImportOptions{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got, want := problemLines(rep.Problems), []int{6, 7, 8}; !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: problem rows %v, want %v: %+v", name, got, want, rep.Problems)
			}
			for _, p := range rep.Problems {
				if !strings.HasSuffix(p.File, name) {
					t.Errorf("%s: problem names file %q", name, p.File)
				}
			}
			for line, want := range map[int]string{6: "id is empty", 7: "是否可预约 (column N)", 8: "法定办结时限（工作日） (column I)"} {
				for _, p := range rep.Problems {
					if p.Line == line && !strings.Contains(p.Err, want) {
						t.Errorf("%s row %d: %q does not mention %q", name, line, p.Err, want)
					}
				}
			}
			for _, w := range []struct {
				line int
				text string
			}{{1, "above the header row (row 2)"}, {2, `column P "备注" is not a known field`}, {5, "given again on line 9"}} {
				if !hasWarning(rep, w.line, w.text) {
					t.Errorf("%s: no warning %q on line %d: %+v", name, w.text, w.line, rep.Warnings)
				}
			}
			if rep.Items.Created+rep.Items.Updated+rep.Items.Unchanged != 2 || rep.Lines != 9 {
				t.Fatalf("%s: %+v", name, rep)
			}
			rec, err := s.Item(ctx, "CSV-001")
			if err != nil {
				t.Fatal(err)
			}
			it := rec.Item
			if it.Name != "新生儿入户登记" || it.Theme != "户籍" || !reflect.DeepEqual(it.Audience, []string{"个人"}) ||
				!reflect.DeepEqual(it.Conditions, []string{"父母一方为深圳户籍", "出生一个月内申报"}) ||
				!reflect.DeepEqual(it.Materials, []kb.Material{{Name: "出生医学证明", Form: "原件", Copies: 1}, {Name: "居民户口簿", Form: "原件", Copies: 1}}) ||
				it.TimeLimit != (kb.TimeLimit{LegalDays: 30, PromisedDays: 1}) || it.Fee != "不收费" ||
				it.Online != (kb.Online{Available: true, Depth: "全程网办"}) ||
				!reflect.DeepEqual(it.Offline, kb.Offline{Halls: []string{"HALL-01", "HALL-03"}, Appointment: true}) ||
				it.Updated != "2024-02-08" || string(it.Extra["备注"]) != `"示例"` {
				t.Errorf("%s: CSV-001 = %+v", name, it)
			}
			rec, err = s.Item(ctx, "CSV-002")
			if err != nil || rec.Item.Name != "居住证申领（更正）" || rec.Item.TimeLimit.LegalDays != 20 || rec.Item.Online.Depth != "一次到场" {
				t.Errorf("%s: CSV-002 (the later row wins) = %+v, %v", name, rec.Item, err)
			}
		}
		// Three encodings of one sheet store one item each time.
		if recs, _ := s.Items(ctx, kb.Filter{Theme: "户籍"}); len(recs) != 10+2 {
			t.Errorf("户籍 items: %d", len(recs))
		}
	})
}

func TestImportCSVQuoting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		rep, err := s.ImportPath(ctx, filepath.Join("testdata", "sheets", "bad_quotes.csv"), "", kb.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := problemLines(rep.Problems); !reflect.DeepEqual(got, []int{3, 5}) {
			t.Fatalf("problem rows %v: %+v", got, rep.Problems)
		}
		if !strings.Contains(rep.Problems[0].Err, "not wrapped in quotes") || !strings.Contains(rep.Problems[1].Err, "not closed") {
			t.Errorf("messages: %+v", rep.Problems)
		}
		if rep.Items.Created != 2 {
			t.Fatalf("created %d, want Q-1 and Q-3", rep.Items.Created)
		}
	})
}

// writeXLSX saves a workbook built by fill.
func writeXLSX(t testing.TB, path string, fill func(f *excelize.File)) {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
}

func setRow(t testing.TB, f *excelize.File, sheet string, row int, vals ...any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
		t.Fatal(err)
	}
}

// TestImportXLSX covers what Excel files hold that CSV does not: several
// sheets, hidden and instruction sheets, typed cells (numbers, real dates),
// rows missing from the file.
func TestImportXLSX(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "事项清单.xlsx")
	writeXLSX(t, path, func(f *excelize.File) {
		_ = f.SetSheetName("Sheet1", "户籍")
		setRow(t, f, "户籍", 1, "户籍类事项")
		setRow(t, f, "户籍", 2, "事项编码", "事项名称", "法定办结时限", "承诺办结时限", "更新日期", "咨询电话", "上门办", "常见问题")
		// Row 3 is absent from the file; Excel shows it empty.
		setRow(t, f, "户籍", 4, "X-1", "户口迁入", 20, 5.0, time.Date(2024, 2, 8, 0, 0, 0, 0, time.UTC), "0755-12345678", "是", "问：能代办吗\n答：可以")
		setRow(t, f, "户籍", 5, "X-2", "户口迁出", "二十", "", "2024年13月1日")
		_, _ = f.NewSheet("社保")
		setRow(t, f, "社保", 1, "编号", "名称", "状态")
		setRow(t, f, "社保", 2, "X-3", "社保卡申领", "草稿")
		_, _ = f.NewSheet("旧表")
		setRow(t, f, "旧表", 1, "事项编码", "事项名称")
		setRow(t, f, "旧表", 2, "OLD-1", "不该导入")
		_ = f.SetSheetVisible("旧表", false)
		_, _ = f.NewSheet("填写说明")
		setRow(t, f, "填写说明", 1, "随便写")
		_, _ = f.NewSheet("大厅")
		setRow(t, f, "大厅", 1, "大厅编号", "地址")
	})
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		rep, err := s.ImportPath(ctx, path, "", kb.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) != 1 || rep.Problems[0].Line != 5 || rep.Problems[0].File != path+" [户籍]" ||
			!strings.Contains(rep.Problems[0].Err, "更新日期 (column E)") {
			t.Fatalf("problems %+v", rep.Problems)
		}
		if !hasWarning(rep, 1, "sheet not imported") || !hasWarning(rep, 1, "above the header row") {
			t.Errorf("warnings %+v", rep.Warnings)
		}
		if rep.Items.Created != 2 {
			t.Fatalf("%+v", rep)
		}
		rec, err := s.Item(ctx, "X-1")
		if err != nil {
			t.Fatal(err)
		}
		if it := rec.Item; it.TimeLimit != (kb.TimeLimit{LegalDays: 20, PromisedDays: 5}) || it.Updated != "2024-02-08" ||
			it.Contact != "0755-12345678" || !it.Doorstep || !reflect.DeepEqual(it.FAQ, []kb.FAQ{{Q: "能代办吗", A: "可以"}}) {
			t.Errorf("X-1 = %+v", it)
		}
		if rec.Status != kb.Published {
			t.Errorf("X-1 status %s", rec.Status)
		}
		if rec, err := s.Item(ctx, "X-3"); err != nil || rec.Status != kb.Draft {
			t.Errorf("X-3 (状态 草稿): %+v %v", rec.Status, err)
		}
		if _, err := s.Item(ctx, "OLD-1"); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("hidden sheet imported: %v", err)
		}
		// --status on the command line wins over the sheet's 状态.
		rep, err = s.ImportPath(ctx, path, "", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Review, ForceStatus: true}})
		if err != nil || rep.Items.Updated != 2 {
			t.Fatalf("forced: %+v %v", rep, err)
		}
		if rec, _ := s.Item(ctx, "X-3"); rec.Status != kb.Review {
			t.Errorf("X-3 forced status %s", rec.Status)
		}
	})
}

func TestImportBrokenWorkbooks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string][]byte{
		"csv.xlsx":   []byte("事项编码,事项名称\nA,B\n"),
		"old.xlsx":   {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0},
		"empty.xlsx": {},
		"empty.csv":  {},
	}
	var nohdr bytes.Buffer
	f := excelize.NewFile()
	setRow(t, f, "Sheet1", 1, "标题", "内容")
	_ = f.Write(&nohdr)
	files["noheader.xlsx"] = nohdr.Bytes()
	files["noname.csv"] = []byte("事项编码,主题\nA,户籍\n")
	want := map[string]string{
		"csv.xlsx":      "not an .xlsx workbook",
		"old.xlsx":      "old .xls",
		"empty.xlsx":    "not an .xlsx workbook",
		"empty.csv":     "the sheet is empty",
		"noheader.xlsx": "no header row with 事项编码 and 事项名称",
		"noname.csv":    "no 事项名称 (name) column",
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := storetest.Open(t, store.SQLite, kb.Migrations)
	s := kb.NewStore(db)
	for name, msg := range want {
		_, err := s.ImportPath(context.Background(), filepath.Join(dir, name), "", kb.ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming the file and %q", name, err, msg)
		}
	}
}

// fixtureItems is the demo catalogue as items.
func fixtureItems(t testing.TB) []kb.Item {
	t.Helper()
	db := storetest.Open(t, store.SQLite, kb.Migrations)
	s := kb.NewStore(db)
	if _, err := s.ImportFS(context.Background(), data.KB(), "demo", kb.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	items, err := s.PublishedItems(context.Background())
	if err != nil || len(items) != 120 {
		t.Fatalf("fixture: %d items, %v", len(items), err)
	}
	return items
}

// TestSheetRoundTrip writes the whole demo catalogue as .xlsx and .csv
// sheets and imports them over the JSONL import: every item must come back
// identical (same content hash), so nothing changes.
func TestSheetRoundTrip(t *testing.T) {
	t.Parallel()
	items := fixtureItems(t)
	dir := t.TempDir()
	for name, write := range map[string]func(*bytes.Buffer) error{
		"catalogue.xlsx": func(b *bytes.Buffer) error { return kb.WriteSheetXLSX(b, items) },
		"catalogue.csv":  func(b *bytes.Buffer) error { return kb.WriteSheetCSV(b, items) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		if _, err := s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"catalogue.xlsx", "catalogue.csv"} {
			rep, err := s.ImportPath(ctx, filepath.Join(dir, name), "", kb.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Items.Unchanged != 120 || rep.Skipped() != 0 || len(rep.Warnings) != 0 {
				got, _ := s.Items(ctx, kb.Filter{})
				for i := range got {
					if !reflect.DeepEqual(got[i].Item, items[i]) {
						t.Errorf("%s: %s differs:\n got %+v\nwant %+v", name, items[i].ID, got[i].Item, items[i])
						break
					}
				}
				t.Fatalf("%s: %+v", name, rep)
			}
		}
	})
}

// TestTemplate checks the template: it imports as an empty sheet, and
// lists every column in its instructions.
func TestTemplate(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := kb.WriteSheetXLSX(&b, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "template.xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"事项", "填写说明"}) {
		t.Fatalf("sheets %v", got)
	}
	head, _ := f.GetRows("事项")
	if len(head) != 1 || head[0][0] != "*事项编码" || head[0][1] != "*事项名称" {
		t.Fatalf("header %v", head)
	}
	dvs, err := f.GetDataValidations("事项")
	if err != nil || len(dvs) < 5 {
		t.Fatalf("drop-downs: %d %v", len(dvs), err)
	}
	notes, _ := f.GetRows("填写说明")
	text := fmt.Sprint(notes)
	for _, c := range kb.SheetColumns {
		if !strings.Contains(text, c.Header) || !strings.Contains(text, c.Key) {
			t.Errorf("instructions lack %s / %s", c.Header, c.Key)
		}
	}
	db := storetest.Open(t, store.SQLite, kb.Migrations)
	rep, err := kb.NewStore(db).ImportPath(context.Background(), path, "", kb.ImportOptions{})
	if err != nil || rep.Skipped() != 0 || len(rep.Warnings) != 0 || rep.Items != (kb.UpsertResult{}) {
		t.Fatalf("empty template import: %+v %v", rep, err)
	}
}

// TestImportDocs keeps docs/import.md in step with the mapping: every
// header and key it accepts is documented.
func TestImportDocs(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "import.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range kb.SheetColumns {
		for _, h := range append([]string{c.Header, "`" + c.Key + "`"}, c.Aliases...) {
			if !bytes.Contains(doc, []byte(h)) {
				t.Errorf("docs/import.md does not mention %s (column %s)", h, c.Header)
			}
		}
	}
}
