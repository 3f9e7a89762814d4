package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// mergedThing is a row thingMerge writes; n2 is set from what the write
// returns.
type mergedThing struct {
	id string
	n  int
	n2 int
}

// thingMerge writes things in one statement on PostgreSQL and one by one
// elsewhere, and counts the rows each of its calls got.
type thingMerge struct {
	mu    sync.Mutex
	sizes []int
}

func (m *thingMerge) merge() *store.Merge {
	return &store.Merge{Queue: func(ctx context.Context, tx *store.Tx, rows []any) error {
		m.mu.Lock()
		m.sizes = append(m.sizes, len(rows))
		m.mu.Unlock()
		things := make([]*mergedThing, len(rows))
		ids, ns := make([]string, len(rows)), make([]int64, len(rows))
		for i, r := range rows {
			things[i] = r.(*mergedThing)
			ids[i], ns[i] = things[i].id, int64(things[i].n)
		}
		if tx.Dialect() != store.Postgres {
			for _, th := range things {
				if err := tx.Queue(ctx, `INSERT INTO thing (id, n) VALUES (?, ?) RETURNING n * 2`, []any{&th.n2}, th.id, th.n); err != nil {
					return err
				}
			}
			return nil
		}
		return tx.QueueQuery(ctx, `INSERT INTO thing (id, n)
			SELECT * FROM unnest(?::text[], ?::bigint[]) RETURNING id, n * 2`, func(row store.Scanner) error {
			var id string
			var n2 int
			if err := row.Scan(&id, &n2); err != nil {
				return err
			}
			for _, th := range things {
				if th.id == id {
					th.n2 = n2
				}
			}
			return nil
		}, ids, ns)
	}}
}

// Calls writing through QueueMerged get the outcomes of calls writing
// their own statements, whether their rows were merged (a pipelined
// batch on PostgreSQL) or not: a call whose row the server refuses fails
// alone (its batch runs again call by call), a call whose function fails
// writes nothing (its row leaves the merge), and what the merged
// statement returns reaches each row once its call returned.
func TestQueueMerged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `INSERT INTO thing (id, n) VALUES ('taken', 0)`); err != nil {
			t.Fatal(err)
		}
		tm := &thingMerge{}
		merge := tm.merge()
		boom := errors.New("boom")
		const n = 60
		errs := make([]error, n)
		things := make([]*mergedThing, n)
		pre := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.GroupQueue(ctx, func(tx *store.Tx) error {
					th := &mergedThing{id: fmt.Sprint("m", i), n: i}
					if i%7 == 3 {
						th.id = "taken" // refused by the server
					}
					things[i] = th
					// A statement of the call's own, and its merged row.
					if err := tx.Queue(ctx, `INSERT INTO thing (id, n) VALUES (?, ?) RETURNING n + 1`, []any{&pre[i]}, fmt.Sprint("pre", i), i); err != nil {
						return err
					}
					if err := tx.QueueMerged(ctx, merge, th); err != nil {
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
			if qerr := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing WHERE id IN (?, ?)`, fmt.Sprint("pre", i), fmt.Sprint("m", i)).Scan(&rows); qerr != nil {
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
				if err != nil || rows != 2 || things[i].n2 != 2*i || pre[i] != i+1 {
					t.Errorf("call %d: err %v, %d rows, returned %d and %d", i, err, rows, things[i].n2, pre[i])
				}
			}
		}
		t.Logf("merged writes of %v rows", tm.sizes)
		rows := 0
		for _, s := range tm.sizes {
			rows += s
		}
		if rows < n-n/11 {
			t.Errorf("the merge wrote %d rows in %d calls, fewer than the calls that got to it", rows, len(tm.sizes))
		}
	})
}

// Outside a pipelined group transaction a merged row is written at once,
// alone, and what it returns is there when QueueMerged returns.
func TestQueueMergedAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tm := &thingMerge{}
		merge := tm.merge()
		th := &mergedThing{id: "once", n: 21}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueueMerged(ctx, merge, th); err != nil {
				return err
			}
			if th.n2 != 42 {
				return fmt.Errorf("returned %d before the call ended, want 42", th.n2)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(tm.sizes) != 1 || tm.sizes[0] != 1 {
			t.Errorf("merge calls %v, want one of one row", tm.sizes)
		}
	})
}
