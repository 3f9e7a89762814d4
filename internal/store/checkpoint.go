package store

import (
	"context"
	"fmt"
	"time"
)

// SQLite's WAL checkpoints off the commit path. SQLite copies the log back
// into the database file (a checkpoint) from the connection whose commit
// took the log past wal_autocheckpoint pages (1,000 by default), inside
// that commit: the group committer's batch then waited for the copy and
// the database file's sync, with every turn of the batch and of the queue
// behind it, although its own writes were already on disk. Under
// BenchmarkTurn's open loop at 3,000 turns/s the log passed 1,000 pages
// about twice a second (README, "The tail"). The committer's connection
// now checkpoints on its own only past ckptSafetyPages (a bound on the
// log should the checkpoints below fall behind), and a checkpointer
// goroutine runs a passive checkpoint on a connection of its own at most
// every ckptEvery while batches commit. A passive checkpoint neither
// blocks nor waits for the writer; it copies what was committed when it
// began and syncs the database file (synchronous=NORMAL syncs it after
// a checkpoint). Durability does not change: a commit is durable once
// its log frames are synced, before and after.

const (
	// ckptEvery is the checkpointer's period under writes (~1,000 log
	// pages at 3,000 turns/s would be ~0.4 s).
	ckptEvery = 100 * time.Millisecond
	// ckptSafetyPages is the committer connection's wal_autocheckpoint.
	ckptSafetyPages = 10000
)

// ckptPoke tells the checkpointer that a batch committed.
func (g *grouper) ckptPoke() {
	if g.ckpt != nil {
		select {
		case g.ckpt <- struct{}{}:
		default:
		}
	}
}

// checkpointer runs passive checkpoints while batches commit, until quit.
func (g *grouper) checkpointer() {
	defer g.stopped.Done()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-g.ckpt:
		case <-g.quit:
			return
		}
		// At most every ckptEvery: what commits meanwhile joins.
		t.Reset(ckptEvery)
		select {
		case <-t.C:
		case <-g.quit:
			return
		}
		if _, err := g.db.checkpoint(context.Background()); err == nil {
			g.checkpoints.Add(1)
		}
	}
}

// WALPages is what a checkpoint found: the pages in the log and how many
// of them are now in the database file.
type WALPages struct{ Log, Checkpointed int }

// checkpoint runs a passive checkpoint on a connection of the pool.
func (db *DB) checkpoint(ctx context.Context) (WALPages, error) {
	var busy int
	var p WALPages
	if err := db.DB.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &p.Log, &p.Checkpointed); err != nil {
		return WALPages{}, fmt.Errorf("checkpoint: %w", err)
	}
	return p, nil
}
