package store

import "context"

// QueuedGroupCalls is how many GroupTx calls wait for a committer.
func QueuedGroupCalls(db *DB) int { return len(db.group.reqs) }

// PreparedCount is how many statements the cache holds.
func PreparedCount(db *DB) int {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	return len(db.stmts.m)
}

// Checkpoint runs a passive checkpoint as the checkpointer does.
func Checkpoint(ctx context.Context, db *DB) (WALPages, error) { return db.checkpoint(ctx) }

// CommitterAutocheckpoint is the wal_autocheckpoint of SQLite's group
// committer's connection (0 if it has none now).
func CommitterAutocheckpoint(ctx context.Context, db *DB) (int, error) {
	db.writeMu.Lock() // the committer holds it while it uses the connection
	defer db.writeMu.Unlock()
	if db.group.conn == nil {
		return 0, nil
	}
	var n int
	err := db.group.conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n)
	return n, err
}

// CheckpointSafetyPages is ckptSafetyPages.
const CheckpointSafetyPages = ckptSafetyPages
