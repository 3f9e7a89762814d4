package store

// QueuedGroupCalls is how many GroupTx calls wait for a committer.
func QueuedGroupCalls(db *DB) int { return len(db.group.reqs) }

// PreparedCount is how many statements the cache holds.
func PreparedCount(db *DB) int {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	return len(db.stmts.m)
}
