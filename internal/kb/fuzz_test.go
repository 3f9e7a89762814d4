package kb

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The importers' fuzz targets ("make fuzz" runs each for FUZZTIME). Each
// asserts that reading never panics and that every input line (row) is
// accounted for: stored as an item, or reported as a problem with the file
// name, or the whole file is refused with an error naming it.

func seedFiles(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkLines checks that items and problems name distinct lines within
// [1, lines], each problem with the label and a message, and each item
// valid.
func checkLines(t *testing.T, label string, lines int, itemLines []int, problems []Problem) {
	t.Helper()
	seen := map[int]string{}
	for _, n := range itemLines {
		if n < 1 || n > lines || seen[n] != "" {
			t.Fatalf("item line %d out of range 1..%d or repeated (%s)", n, lines, seen[n])
		}
		seen[n] = "item"
	}
	for _, p := range problems {
		if p.File != label || p.Err == "" {
			t.Fatalf("problem without file or message: %+v", p)
		}
		if p.Line < 1 || p.Line > lines || seen[p.Line] != "" {
			t.Fatalf("problem line %d out of range 1..%d or repeated (%s)", p.Line, lines, seen[p.Line])
		}
		seen[p.Line] = "problem"
	}
}

// nonBlankLines counts the lines eachLine hands on: an independent oracle.
func nonBlankLines(b []byte) int {
	n := 0
	for i, line := range bytes.Split(b, []byte("\n")) {
		if i == 0 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}

func FuzzItemsJSONL(f *testing.F) {
	seedFiles(f, "*.jsonl")
	if b, err := os.ReadFile(filepath.Join("..", "..", "data", "kb", "items.jsonl")); err == nil {
		f.Add(b[:min(len(b), 4000)])
	}
	f.Add([]byte(`{"id":"A","name":"x","materials":[{"name":"m","copies":-1}]}` + "\n\n{\"id\":\"B\"}\r\n\xff\xfe"))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, problems, lines, err := readItemsJSONL(bytes.NewReader(b), "f.jsonl")
		if err != nil {
			if !strings.Contains(err.Error(), "f.jsonl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		var itemLines []int
		for _, it := range items {
			itemLines = append(itemLines, it.Line)
			if err := it.Item.Validate(); err != nil {
				t.Fatalf("line %d imported invalid: %v", it.Line, err)
			}
		}
		checkLines(t, "f.jsonl", lines, itemLines, problems)
		if got, want := len(items)+len(problems), nonBlankLines(b); got != want {
			t.Fatalf("%d items + %d problems, but %d non-blank lines", len(items), len(problems), want)
		}
	})
}

func FuzzHallsJSONL(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "data", "kb", "halls.jsonl")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"id":"H","name":"n","lat":"north"}` + "\n" + `{"id":" ","name":"n"}` + "\n[1,2]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		halls, problems, lines, err := readHallsJSONL(bytes.NewReader(b), "h.jsonl")
		if err != nil {
			if !strings.Contains(err.Error(), "h.jsonl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, h := range halls {
			if err := h.Validate(); err != nil {
				t.Fatalf("invalid hall imported: %v", err)
			}
		}
		checkLines(t, "h.jsonl", lines, nil, problems)
		if got, want := len(halls)+len(problems), nonBlankLines(b); got != want {
			t.Fatalf("%d halls + %d problems, but %d non-blank lines", len(halls), len(problems), want)
		}
	})
}

// checkSheet checks a sheet read: every data row is an item or a problem.
func checkSheet(t *testing.T, label string, res sheetResult, err error) {
	t.Helper()
	if err != nil {
		if !strings.Contains(err.Error(), label) {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	if got := len(res.items) + len(res.problems); got != res.dataRows {
		t.Fatalf("%d items + %d problems, but %d data rows", len(res.items), len(res.problems), res.dataRows)
	}
	var itemLines []int
	for _, it := range res.items {
		itemLines = append(itemLines, it.Line)
		if err := it.Item.Validate(); err != nil {
			t.Fatalf("row %d imported invalid: %v", it.Line, err)
		}
	}
	single := true // several sheets number their rows apart: check the simple case fully
	for _, p := range res.problems {
		if p.File != label {
			single = false
			if !strings.HasPrefix(p.File, label+" [") || p.Err == "" || p.Line < 1 {
				t.Fatalf("problem without file or message: %+v", p)
			}
		}
	}
	if single {
		checkLines(t, label, res.lines, itemLines, res.problems)
	}
	for _, w := range res.warnings {
		if w.Err == "" || !strings.HasPrefix(w.File, label) {
			t.Fatalf("warning without file or message: %+v", w)
		}
	}
}

func FuzzCSV(f *testing.F) {
	seedFiles(f, "sheets/*.csv")
	seedFiles(f, "sheets/*.tsv")
	var tmpl bytes.Buffer
	if err := WriteSheetCSV(&tmpl, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl.Bytes())
	f.Add([]byte("编号;名称;申请材料;状态\nA;甲;\"身份证|原件|x\";草稿\n;;;\nB;乙;户口簿（原件1份）;作废\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := readCSV(bytes.NewReader(b), "f.csv", false, nil)
		checkSheet(t, "f.csv", res, err)
	})
}

// xlsxSeeds are small workbooks: the template and a few items.
func xlsxSeeds(f *testing.F) [][]byte {
	var out [][]byte
	var tmpl bytes.Buffer
	if err := WriteSheetXLSX(&tmpl, nil); err != nil {
		f.Fatal(err)
	}
	out = append(out, tmpl.Bytes())
	var b bytes.Buffer
	items := []Item{
		{ID: "F-1", Name: "新生儿入户", Materials: []Material{{Name: "出生医学证明", Form: "原件", Copies: 1}},
			TimeLimit: TimeLimit{LegalDays: 30, PromisedDays: 1}, Online: Online{Available: true, Depth: "全程网办"},
			FAQ: []FAQ{{Q: "要钱吗", A: "不收费"}}, Updated: "2024-02-08"},
		{ID: "F-2", Name: "居住证", Conditions: []string{"在深圳居住", "有稳定住所"}, Offline: Offline{Halls: []string{"HALL-01"}}},
	}
	if err := WriteSheetXLSX(&b, items); err != nil {
		f.Fatal(err)
	}
	return append(out, b.Bytes())
}

func FuzzXLSX(f *testing.F) {
	for _, s := range xlsxSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := readXLSX(bytes.NewReader(b), "f.xlsx", nil)
		checkSheet(t, "f.xlsx", res, err)
	})
}

// FuzzXLSXSheet fuzzes the worksheet XML inside an otherwise valid
// workbook, which random bytes into FuzzXLSX rarely reach past the zip
// checksums.
func FuzzXLSXSheet(f *testing.F) {
	seed := xlsxSeeds(f)[1]
	zr, err := zip.NewReader(bytes.NewReader(seed), int64(len(seed)))
	if err != nil {
		f.Fatal(err)
	}
	parts := map[string][]byte{}
	var order []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			f.Fatal(err)
		}
		parts[zf.Name], _ = io.ReadAll(rc)
		rc.Close()
		order = append(order, zf.Name)
	}
	const sheet = "xl/worksheets/sheet1.xml"
	f.Add(parts[sheet])
	f.Add([]byte(`<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>事项编码</t></is></c><c r="B3" t="s"><v>99</v></c></row>` +
		`<row r="1048577"><c><v>1</v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, xml []byte) {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, name := range order {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			content := parts[name]
			if name == sheet {
				content = xml
			}
			if _, err := w.Write(content); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		res, err := readXLSX(&b, "f.xlsx", nil)
		checkSheet(t, "f.xlsx", res, err)
	})
}
