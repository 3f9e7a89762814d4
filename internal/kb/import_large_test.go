package kb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// syntheticItems makes n distinct items from the demo catalogue's
// vocabulary: item i is fixture item i mod 120 under a new id and name.
func syntheticItems(t testing.TB, n int) []kb.Item {
	t.Helper()
	base := fixtureItems(t)
	out := make([]kb.Item, n)
	for i := range out {
		it := base[i%len(base)]
		it.ID = fmt.Sprintf("SYN-%05d", i)
		it.Name = fmt.Sprintf("%s（%d）", it.Name, i)
		out[i] = it
	}
	return out
}

// writeSyntheticXLSX writes n synthetic items as an .xlsx item sheet.
func writeSyntheticXLSX(t testing.TB, n int) (string, []kb.Item) {
	t.Helper()
	items := syntheticItems(t, n)
	var b bytes.Buffer
	if err := kb.WriteSheetXLSX(&b, items); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("items-%d.xlsx", n))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, items
}

func fixtureHalls(t testing.TB) []kb.Hall {
	t.Helper()
	b, err := fs.ReadFile(data.KB(), "halls.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var halls []kb.Hall
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var h kb.Hall
		if err := json.Unmarshal(line, &h); err != nil {
			t.Fatal(err)
		}
		halls = append(halls, h)
	}
	return halls
}

type progressCall struct{ done, total int }

// TestImportLargeXLSX imports a 5 000-row workbook end to end and checks
// the progress reports: rows while reading (total 0), then items stored,
// increasing, ending at the total.
func TestImportLargeXLSX(t *testing.T) {
	t.Parallel()
	const n = 5000
	path, items := writeSyntheticXLSX(t, n)
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		if err := s.UpsertHalls(ctx, fixtureHalls(t)); err != nil { // the items name them
			t.Fatal(err)
		}
		var calls []progressCall
		rep, err := s.ImportPath(ctx, path, "", kb.ImportOptions{Progress: func(file string, done, total int) {
			if file != path {
				t.Errorf("progress for %q", file)
			}
			calls = append(calls, progressCall{done, total})
		}})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Items.Created != n || rep.Lines != n+1 || rep.Skipped() != 0 || len(rep.Warnings) != 0 {
			t.Fatalf("report %+v", rep)
		}
		reading, storing := 0, 0
		prev := progressCall{}
		for i, c := range calls {
			switch {
			case c.total == 0:
				if storing > 0 || c.done <= prev.done {
					t.Fatalf("reading call %d %+v after %+v", i, c, prev)
				}
				reading++
			case c.total == n:
				if storing > 0 && c.done <= prev.done {
					t.Fatalf("storing call %d %+v after %+v", i, c, prev)
				}
				storing++
			default:
				t.Fatalf("call %d has total %d", i, c.total)
			}
			prev = c
		}
		if reading < n/1000 || storing < n/250 || calls[len(calls)-1] != (progressCall{n, n}) {
			t.Fatalf("%d reading and %d storing calls, last %+v", reading, storing, calls[len(calls)-1])
		}
		counts, err := s.Count(ctx)
		if err != nil || counts[kb.Published] != n {
			t.Fatalf("stored %v %v", counts, err)
		}
		for _, i := range []int{0, 2500, n - 1} {
			rec, err := s.Item(ctx, items[i].ID)
			if err != nil || !reflect.DeepEqual(rec.Item, items[i]) {
				t.Errorf("%s: %v\n got %+v\nwant %+v", items[i].ID, err, rec.Item, items[i])
			}
		}
	})
}

// failOn makes inserting one id fail inside the database, as a broken
// disk or a constraint would, in the middle of an import batch.
func failOn(t *testing.T, db *store.DB, id string) (undo func()) {
	t.Helper()
	ctx := context.Background()
	var stmts, drop []string
	switch db.Dialect {
	case store.SQLite:
		stmts = []string{`CREATE TRIGGER kb_fail BEFORE INSERT ON kb_items WHEN NEW.id = '` + id + `' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
		drop = []string{`DROP TRIGGER kb_fail`}
	case store.Postgres:
		stmts = []string{
			`CREATE FUNCTION kb_fail() RETURNS trigger AS $$ BEGIN IF NEW.id = '` + id + `' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER kb_fail BEFORE INSERT ON kb_items FOR EACH ROW EXECUTE FUNCTION kb_fail()`,
		}
		drop = []string{`DROP TRIGGER kb_fail ON kb_items`, `DROP FUNCTION kb_fail()`}
	}
	for _, q := range stmts {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, q := range drop {
			if _, err := db.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func writeJSONL(t *testing.T, items []kb.Item) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "items.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedIDs lists item ids and counts history rows, to see exactly what
// a failed import left behind.
func storedIDs(t *testing.T, db *store.DB) (ids []string, history int) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT id FROM kb_items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM kb_item_history`).Scan(&history); err != nil {
		t.Fatal(err)
	}
	return ids, history
}

// TestImportFailureMidBatch: a database error in the middle of the second
// batch leaves the first batch committed and nothing of the second (no
// item, no history row), reports how far it got, and a re-run completes.
func TestImportFailureMidBatch(t *testing.T) {
	t.Parallel()
	items := syntheticItems(t, 600) // batches: 0–249, 250–499, 500–599
	path := writeJSONL(t, items)
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := kb.NewStore(db)
		undo := failOn(t, db, "SYN-00300")
		rep, err := s.ImportPath(ctx, path, "items", kb.ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), "injected failure") || !strings.Contains(err.Error(), "250 of 600 items stored") ||
			!strings.Contains(err.Error(), "batch from line 251") {
			t.Fatalf("error %v", err)
		}
		if rep.Items.Created != 250 {
			t.Fatalf("report %+v", rep)
		}
		ids, history := storedIDs(t, db)
		if len(ids) != 250 || ids[0] != "SYN-00000" || ids[249] != "SYN-00249" || history != 250 {
			t.Fatalf("after failure: %d items (%v … %v), %d history rows", len(ids), ids[0], ids[len(ids)-1], history)
		}
		undo()
		rep, err = s.ImportPath(ctx, path, "items", kb.ImportOptions{})
		if err != nil || rep.Items.Created != 350 || rep.Items.Unchanged != 250 {
			t.Fatalf("re-run: %+v %v", rep, err)
		}
		if ids, history := storedIDs(t, db); len(ids) != 600 || history != 600 {
			t.Fatalf("after re-run: %d items, %d history rows", len(ids), history)
		}
	})
}

// TestImportCancelled: an import interrupted between batches (Ctrl-C)
// keeps what it committed and stops.
func TestImportCancelled(t *testing.T) {
	t.Parallel()
	path := writeJSONL(t, syntheticItems(t, 600))
	storetest.Each(t, []store.Migrations{kb.Migrations}, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := kb.NewStore(db)
		_, err := s.ImportPath(ctx, path, "items", kb.ImportOptions{Progress: func(_ string, done, _ int) {
			if done == 250 {
				cancel()
			}
		}})
		if err == nil || !strings.Contains(err.Error(), "context canceled") {
			t.Fatalf("error %v", err)
		}
		if ids, history := storedIDs(t, db); len(ids) != 250 || history != 250 {
			t.Fatalf("after cancel: %d items, %d history rows", len(ids), history)
		}
	})
}

// writeExcelLikeXLSX writes items the way Excel saves a workbook: text in
// the shared-strings table (kb.WriteSheetXLSX streams inline strings,
// which are slower to read back).
func writeExcelLikeXLSX(t testing.TB, items []kb.Item) string {
	t.Helper()
	var b bytes.Buffer
	if err := kb.WriteSheetXLSX(&b, items); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "excel-like.xlsx")
	if err := os.WriteFile(path, kb.ExcelLike(t, b.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// BenchmarkImportXLSX5000 imports a 5 000-row workbook into a fresh
// database on each engine: "excel" is laid out as Excel saves it (shared
// strings), "fuwu" as kb.WriteSheetXLSX writes it (inline strings).
//
//	go test -run '^$' -bench ImportXLSX5000 -benchtime 5x ./internal/kb
func BenchmarkImportXLSX5000(b *testing.B) {
	inline, items := writeSyntheticXLSX(b, 5000)
	files := map[string]string{"excel": writeExcelLikeXLSX(b, items), "fuwu": inline}
	halls := fixtureHalls(b)
	for _, layout := range []string{"excel", "fuwu"} {
		for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
			b.Run(layout+"/"+string(d), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := storetest.Open(b, d, kb.Migrations)
					s := kb.NewStore(db)
					if err := s.UpsertHalls(context.Background(), halls); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					rep, err := s.ImportPath(context.Background(), files[layout], "", kb.ImportOptions{})
					if err != nil || rep.Items.Created != 5000 || len(rep.Warnings) != 0 || rep.Skipped() != 0 {
						b.Fatalf("%+v %v", rep, err)
					}
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
			})
		}
	}
}
