package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// TestImportExitCodes runs "fuwu import" as a user would, on SQLite and on
// PostgreSQL: 0 when everything imported, 3 with file and line of every
// skipped line, 1 when a file cannot be read at all, 2 for usage errors.
func TestImportExitCodes(t *testing.T) {
	t.Parallel()
	sheets := filepath.Join("..", "..", "internal", "kb", "testdata", "sheets")
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			db := []string{"--data", dir, "--db", storetest.URL(t, d)}
			imp := func(args ...string) (int, string, string) {
				return runCmd(t, append(append([]string{"import"}, db...), args...)...)
			}

			code, out, errs := imp("../../data/kb")
			if code != 0 || !strings.Contains(out, "新增 120") || strings.Contains(errs, "skipped") {
				t.Fatalf("clean import: exit %d\n%s\n%s", code, out, errs)
			}

			gbk := filepath.Join(sheets, "items_gbk.csv")
			code, out, errs = imp(gbk)
			if code != 3 || !strings.Contains(out, "跳过 3 行") || !strings.Contains(errs, "3 line(s) skipped") {
				t.Fatalf("bad rows: exit %d\n%s\n%s", code, out, errs)
			}
			for _, want := range []string{
				"skipped: " + gbk + " line 6: id is empty",
				"skipped: " + gbk + " line 7: 是否可预约 (column N)",
				"skipped: " + gbk + " line 8: 法定办结时限（工作日） (column I)",
				"warning: " + gbk + " line 2: column P \"备注\"",
			} {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}

			// --json: the same report for machines, still exit 3.
			code, out, _ = imp(gbk, "--json")
			var rep kb.Report
			if code != 3 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Problems) != 3 || rep.Problems[0].Line != 6 ||
				rep.Items.Unchanged != 2 || len(rep.Warnings) == 0 {
				t.Fatalf("--json: exit %d %+v\n%s", code, rep, out)
			}

			bad := filepath.Join(dir, "old.xlsx")
			if err := os.WriteFile(bad, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errs = imp(bad); code != 1 || !strings.Contains(errs, "old.xlsx") || !strings.Contains(errs, "save as .xlsx") {
				t.Fatalf("unreadable file: exit %d\n%s", code, errs)
			}
			if code, _, errs = imp(filepath.Join(dir, "missing.csv")); code != 1 || !strings.Contains(errs, "missing.csv") {
				t.Fatalf("missing file: exit %d\n%s", code, errs)
			}
			if code, _, _ = imp(); code != 2 {
				t.Fatalf("no arguments: exit %d", code)
			}
			if code, _, _ = imp("--status", "maybe", gbk); code == 0 {
				t.Fatal("bad --status accepted")
			}
		})
	}
}

// TestImportTemplate writes both templates; each imports cleanly as an
// empty sheet, and a filled-in copy imports its row.
func TestImportTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"模板.xlsx", "模板.csv"} {
		path := filepath.Join(dir, name)
		if code, _, errs := runCmd(t, "import", "--template", path); code != 0 {
			t.Fatalf("--template %s: exit %d %s", name, code, errs)
		}
		code, out, errs := runCmd(t, "import", "--data", dir, path)
		if code != 0 || !strings.Contains(out, "新增 0") || errs != "" {
			t.Fatalf("import empty %s: exit %d\n%s\n%s", name, code, out, errs)
		}
	}
	csvPath := filepath.Join(dir, "模板.csv")
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, []byte("T-1,婚姻登记预约,,婚姻登记\r\n")...)
	if err := os.WriteFile(csvPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "import", "--data", dir, csvPath); code != 0 || !strings.Contains(out, "新增 1") {
		t.Fatalf("filled template: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "import", "--template", filepath.Join(dir, "x.txt")); code != 1 || !strings.Contains(errs, ".xlsx or .csv") {
		t.Fatalf("--template x.txt: exit %d %s", code, errs)
	}
}
