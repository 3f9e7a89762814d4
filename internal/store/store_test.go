package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var testMigrations = store.Migrations{Component: "storetest", FS: fstest.MapFS{
	"001_init.sql":          {Data: []byte(`CREATE TABLE thing (id TEXT PRIMARY KEY, n INTEGER NOT NULL, at TEXT)`)},
	"002_more.sqlite.sql":   {Data: []byte(`CREATE TABLE engine (name TEXT); INSERT INTO engine VALUES ('sqlite')`)},
	"002_more.postgres.sql": {Data: []byte(`CREATE TABLE engine (name TEXT); INSERT INTO engine VALUES ('postgres')`)},
	"README.md":             {Data: []byte(`not a migration`)},
}}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()

		var engine string
		if err := db.QueryRow(ctx, `SELECT name FROM engine`).Scan(&engine); err != nil {
			t.Fatal(err)
		}
		if engine != string(db.Dialect) {
			t.Fatalf("engine-specific migration: got %q on %s", engine, db.Dialect)
		}
		// Migrating again is a no-op.
		if err := db.Migrate(ctx, testMigrations); err != nil {
			t.Fatalf("second migrate: %v", err)
		}

		// Time round-trips and '?' with a literal question mark works.
		at := store.T(time.Date(2026, 3, 1, 8, 30, 0, 123e6, time.FixedZone("CST", 8*3600)))
		if _, err := db.Exec(ctx, `INSERT INTO thing (id, n, at) VALUES (?, ?, ?)`, "a?", 1, at); err != nil {
			t.Fatal(err)
		}
		var got store.Time
		var id string
		if err := db.QueryRow(ctx, `SELECT id, at FROM thing WHERE id = ? AND 'x?' = 'x?'`, "a?").Scan(&id, &got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(at.Time) || id != "a?" {
			t.Fatalf("round trip: got %v %q, want %v", got, id, at)
		}

		// A failing transaction leaves nothing behind.
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, "b", 2); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error: %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing WHERE id = 'b'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("rolled-back row visible: n=%d err=%v", n, err)
		}

		// Unique violations are recognised on both engines.
		_, err = db.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, "a?", 3)
		if !store.IsUniqueViolation(err) {
			t.Fatalf("want unique violation, got %v", err)
		}

		// Concurrent increments inside transactions never lose an update.
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.Exec(ctx, `UPDATE thing SET n = n + 1 WHERE id = ?`, "a?")
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if err := db.QueryRow(ctx, `SELECT n FROM thing WHERE id = ?`, "a?").Scan(&n); err != nil || n != 21 {
			t.Fatalf("after concurrent increments n=%d err=%v, want 21", n, err)
		}
	})
}

func TestPublishSubscribe(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := storetest.URL(t, d)
			a, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			// On PostgreSQL a second handle stands for a second replica.
			b := a
			if d == store.Postgres {
				if b, err = store.Open(ctx, url); err != nil {
					t.Fatal(err)
				}
				defer b.Close()
			}
			ch := b.Subscribe("kb")
			other := b.Subscribe("booking")
			deadline := time.After(10 * time.Second)
			// The listener may need a moment to connect: publish until heard.
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case msg := <-ch:
					if msg != "FT-001" {
						t.Fatalf("got %q", msg)
					}
					select {
					case m := <-other:
						t.Fatalf("other topic got %q", m)
					default:
					}
					return
				case <-tick.C:
					if err := a.Publish(ctx, "kb", "FT-001"); err != nil {
						t.Fatal(err)
					}
				case <-deadline:
					t.Fatal("no notification within 10s")
				}
			}
		})
	}
}

func TestRebind(t *testing.T) {
	t.Parallel()
	db := &store.DB{Dialect: store.Postgres}
	for in, want := range map[string]string{
		`SELECT ?`:                    `SELECT $1`,
		`a = ? AND b = '?' AND c = ?`: `a = $1 AND b = '?' AND c = $2`,
		`no placeholders`:             `no placeholders`,
		`x IN (?, ?, ?)`:              `x IN ($1, $2, $3)`,
		`'it''s?' = ?`:                `'it''s?' = $1`,
	} {
		if got := db.Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

// Issue 10, finding 12: the SQLite database and its WAL files are the
// owner's alone, and a folder Open creates is 0700; files left
// world-readable by an older version are tightened.
func TestSQLiteFilesArePrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "fuwu.db")
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO t VALUES ('secret')`); err != nil {
		t.Fatal(err)
	}
	mode := func(p string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("data folder mode %o, want 700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(p); m != 0o600 {
			t.Errorf("%s mode %o, want 600", filepath.Base(p), m)
		}
	}
	db.Close()
	// An older version's world-readable files are tightened on open.
	for _, p := range []string{path, path + "-wal"} {
		if err := os.Chmod(p, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	db, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if m := mode(path); m != 0o600 {
		t.Errorf("reopened database mode %o, want 600", m)
	}
}
