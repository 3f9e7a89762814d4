package kb

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/xuri/excelize/v2"
)

// syntheticSheet is n items made from the demo catalogue, written by write.
func syntheticSheet(tb testing.TB, n int, write func(*bytes.Buffer, []Item) error) []byte {
	tb.Helper()
	f, err := data.KB().Open("items.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	base, _, _, err := readItemsJSONL(f, "items.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	items := make([]Item, n)
	for i := range items {
		items[i] = base[i%len(base)].Item
		items[i].ID = fmt.Sprintf("SYN-%05d", i)
	}
	var b bytes.Buffer
	if err := write(&b, items); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkReadXLSX5000 and BenchmarkReadCSV5000 measure reading alone
// (no database), to see which part of an import is slow:
//
//	go test -run '^$' -bench 'Read(XLSX|CSV)5000' ./internal/kb
func BenchmarkReadXLSX5000(b *testing.B) {
	inline := syntheticSheet(b, 5000, func(w *bytes.Buffer, items []Item) error { return WriteSheetXLSX(w, items) })
	for _, c := range []struct {
		name string
		raw  []byte
	}{{"excel", excelLike(b, inline)}, {"fuwu", inline}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.raw)))
			for b.Loop() {
				res, err := readXLSX(bytes.NewReader(c.raw), "bench.xlsx", nil)
				if err != nil || len(res.items) != 5000 {
					b.Fatalf("%d items, %v", len(res.items), err)
				}
			}
		})
	}
}

// excelLike rewrites a workbook with its text in the shared-strings table,
// as Excel saves it.
func excelLike(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	src, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	rows, err := src.GetRows("事项")
	if err != nil {
		tb.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			tb.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

func BenchmarkReadCSV5000(b *testing.B) {
	raw := syntheticSheet(b, 5000, func(w *bytes.Buffer, items []Item) error { return WriteSheetCSV(w, items) })
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		res, err := readCSV(bytes.NewReader(raw), "bench.csv", false, nil)
		if err != nil || len(res.items) != 5000 {
			b.Fatalf("%d items, %v", len(res.items), err)
		}
	}
}
