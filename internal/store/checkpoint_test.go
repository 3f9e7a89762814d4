package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// On SQLite the group committer's connection leaves the log to the
// checkpointer up to the safety bound, the checkpointer runs while batches
// commit, and a checkpoint copies every committed page back; PostgreSQL
// has no checkpointer of ours.
func TestCheckpointer(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 40)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.GroupTx(ctx, func(tx *store.Tx) error {
					_, err := tx.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, fmt.Sprint("c", i), i)
					return err
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if db.Dialect != store.SQLite {
			if s := db.GroupStats(); s.Checkpoints != 0 {
				t.Errorf("%s: %d checkpoints, want none", db.Dialect, s.Checkpoints)
			}
			return
		}
		if n, err := store.CommitterAutocheckpoint(ctx, db); err != nil || n != store.CheckpointSafetyPages {
			t.Errorf("committer's wal_autocheckpoint %d (%v), want %d", n, err, store.CheckpointSafetyPages)
		}
		// The batches poked the checkpointer; wait until it has run (no
		// bound on how long it may take, only that it comes).
		for deadline := time.Now().Add(30 * time.Second); db.GroupStats().Checkpoints == 0; {
			if time.Now().After(deadline) {
				t.Fatal("the checkpointer never ran")
			}
			time.Sleep(10 * time.Millisecond)
		}
		p, err := store.Checkpoint(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if p.Log == 0 || p.Checkpointed != p.Log {
			t.Errorf("checkpoint %+v: want every page of a non-empty log copied", p)
		}
		var rows int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM thing`).Scan(&rows); err != nil || rows != len(errs) {
			t.Errorf("rows %d (%v), want %d", rows, err, len(errs))
		}
	})
}
