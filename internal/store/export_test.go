package store

// QueuedGroupCalls is how many GroupTx calls wait for a committer.
func QueuedGroupCalls(db *DB) int { return len(db.group.reqs) }
