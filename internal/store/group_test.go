package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Concurrent calls each get their own outcome, however they were batched:
// a failing call's writes are gone, the others' are committed.
func TestGroupTxOutcomes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		const n = 60
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.GroupTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, fmt.Sprint("g", i), i); err != nil {
						return err
					}
					if i%7 == 3 {
						return fmt.Errorf("call %d: %w", i, boom)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var got int
			qerr := db.QueryRow(ctx, `SELECT n FROM thing WHERE id = ?`, fmt.Sprint("g", i)).Scan(&got)
			if i%7 == 3 {
				if !errors.Is(err, boom) || qerr == nil {
					t.Errorf("call %d: err %v, row left: %v", i, err, qerr == nil)
				}
				continue
			}
			if err != nil || qerr != nil || got != i {
				t.Errorf("call %d: err %v, read %d (%v)", i, err, got, qerr)
			}
		}
		if s := db.GroupStats(); s.Units < n {
			t.Errorf("stats %+v: fewer calls than made", s)
		}
	})
}

// Calls that arrive while a group transaction runs are committed together
// in the next one, and a panic reaches its own caller only.
func TestGroupTxBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := func(id string) func(tx *store.Tx) error {
			return func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, 1)`, id)
				return err
			}
		}
		release, entered := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			first <- db.GroupTx(ctx, func(tx *store.Tx) error {
				close(entered)
				<-release
				return insert("first")(tx)
			})
		}()
		<-entered
		const n = 10
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.GroupTx(ctx, insert(fmt.Sprint("b", i)))
			}()
		}
		if db.Dialect == store.SQLite {
			// One committer: the ten wait for it.
			for store.QueuedGroupCalls(db) < n {
				time.Sleep(time.Millisecond)
			}
		}
		close(release)
		wg.Wait()
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		for i, err := range errs {
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
		}
		var rows int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing`).Scan(&rows); err != nil || rows != n+1 {
			t.Fatalf("rows %d (%v), want %d", rows, err, n+1)
		}
		if s := db.GroupStats(); db.Dialect == store.SQLite && (s.Batches != 2 || s.Units != n+1) {
			t.Errorf("stats %+v, want the ten in one batch after the first", s)
		}

		// A panic is the panicking caller's; the next call is served.
		func() {
			defer func() {
				if p := recover(); p != "kaboom" {
					t.Errorf("recovered %v", p)
				}
			}()
			_ = db.GroupTx(ctx, func(tx *store.Tx) error { panic("kaboom") })
		}()
		if err := db.GroupTx(ctx, insert("after")); err != nil {
			t.Fatal(err)
		}

		// After Close, calls are refused rather than lost.
		db.Close()
		if err := db.GroupTx(ctx, insert("closed")); !errors.Is(err, store.ErrClosed) {
			t.Fatalf("after close: %v", err)
		}
	})
}

// Prepared statements give the same results as the ordinary path, inside
// and outside transactions, and an invalid one reports its error.
func TestPrepared(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 3 {
			err := db.GroupTx(ctx, func(tx *store.Tx) error {
				p := tx.Prepared()
				if _, err := p.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, fmt.Sprint("p", i), i); err != nil {
					return err
				}
				var n int
				if err := p.QueryRow(ctx, `SELECT COUNT(*) FROM thing WHERE id LIKE ?`, "p%").Scan(&n); err != nil || n != i+1 {
					return fmt.Errorf("count %d: %v", n, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			err = db.GroupTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Prepared().Exec(ctx, `INSERT INTO nothing VALUES (?)`, 1)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "nothing") {
				t.Fatalf("insert into a missing table: %v", err)
			}
			var n int
			if err := db.QueryRowPrepared(ctx, `SELECT n FROM thing WHERE id = ?`, fmt.Sprint("p", i)).Scan(&n); err != nil || n != i {
				t.Fatalf("read back %d: %d %v", i, n, err)
			}
		}
		if got, want := store.PreparedCount(db), map[store.Dialect]int{store.SQLite: 3, store.Postgres: 0}[db.Dialect]; got != want {
			t.Fatalf("%d statements cached, want %d", got, want)
		}
	})
}

// GroupQueue's calls get the outcomes of GroupTx's however their
// statements travel (queued and pipelined on PostgreSQL): a call whose
// statement the server refuses fails alone, a call whose function fails
// writes nothing, and what the others' statements return is in their
// destinations once the call returned.
func TestGroupQueue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `INSERT INTO thing (id, n) VALUES ('taken', 0)`); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		const n = 60
		errs := make([]error, n)
		got := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.GroupQueue(ctx, func(tx *store.Tx) error {
					id := fmt.Sprint("q", i)
					if i%7 == 3 {
						id = "taken" // refused by the server
					}
					if err := tx.Queue(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, nil, fmt.Sprint("pre", i), i); err != nil {
						return err
					}
					if err := tx.Queue(ctx, `INSERT INTO thing (id, n) VALUES (?, ?) RETURNING n * 2`, []any{&got[i]}, id, i); err != nil {
						return err
					}
					if i%11 == 5 && i%7 != 3 {
						return fmt.Errorf("call %d: %w", i, boom)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var rows int
			if qerr := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing WHERE id IN (?, ?)`, fmt.Sprint("pre", i), fmt.Sprint("q", i)).Scan(&rows); qerr != nil {
				t.Fatal(qerr)
			}
			switch {
			case i%7 == 3:
				if !store.IsUniqueViolation(err) || rows != 0 {
					t.Errorf("call %d (taken id): err %v, %d rows left", i, err, rows)
				}
			case i%11 == 5:
				if !errors.Is(err, boom) || rows != 0 {
					t.Errorf("call %d (failing fn): err %v, %d rows left", i, err, rows)
				}
			default:
				if err != nil || rows != 2 || got[i] != 2*i {
					t.Errorf("call %d: err %v, %d rows, returned %d", i, err, rows, got[i])
				}
			}
		}
		s := db.GroupStats()
		if s.Units < n {
			t.Errorf("stats %+v: fewer calls than made", s)
		}
		if (db.Dialect == store.Postgres) != (s.Pipelined > 0) {
			t.Errorf("stats %+v: pipelined batches on %s", s, db.Dialect)
		}
	})
}

// TestGroupLinger checks the committer's wait for more calls
// (commitLinger): a lone caller, each call waiting for the one before,
// has nothing to wait for, and after one wait that gathered nothing the
// committer commits its next calls at once (lingerBackoff); callers at
// once share commits.
func TestGroupLinger(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := func(id string) error {
			return db.GroupTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, 1)`, id)
				return err
			})
		}
		const lone = 130 // two backoffs and a bit
		for i := range lone {
			if err := insert(fmt.Sprint("lone", i)); err != nil {
				t.Fatal(err)
			}
		}
		s := db.GroupStats()
		// One wait per lingerBackoff+1 calls at most, per committer.
		if s.LingersGained != 0 || s.Lingers > 2*(lone/65+1) {
			t.Errorf("a lone caller: %+v, want at most %d waits, none gaining", s, 2*(lone/65+1))
		}

		var wg sync.WaitGroup
		errs := make([]error, 16)
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					if err := insert(fmt.Sprint("many", g, "-", i)); err != nil {
						errs[g] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		after := db.GroupStats()
		if calls, commits := after.Units-s.Units, after.Batches-s.Batches; commits >= calls {
			t.Errorf("16 callers at once: %d calls in %d commits, want shared commits", calls, commits)
		}
		var rows int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing`).Scan(&rows); err != nil || rows != lone+16*20 {
			t.Fatalf("rows %d (%v), want %d", rows, err, lone+16*20)
		}
	})
}
