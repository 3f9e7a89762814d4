package store

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements. The SQLite driver parses every statement it runs,
// and for the few small statements every chat turn runs, parsing cost
// more than running (a third of the turn's time in the store, profiled
// under load). PostgreSQL's driver already keeps its statements prepared
// per connection, so there this is the ordinary path.

// maxPrepared bounds the cache: statements are few and fixed; one built
// per call that strayed here must not grow it without end.
const maxPrepared = 64

type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns query (rebound) prepared on the pool, or nil when it is
// not to be cached: another engine, a full cache, a pool of one
// connection (a transaction holding it would wait for itself), or a
// statement that does not prepare (the caller runs it the ordinary way
// and gets the error there).
func (db *DB) stmt(ctx context.Context, query string) *sql.Stmt {
	if db.Dialect != SQLite || db.DB.Stats().MaxOpenConnections == 1 {
		return nil
	}
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s
	}
	if len(c.m) >= maxPrepared {
		return nil
	}
	s, err := db.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = s
	return s
}

// QueryRowPrepared is QueryRow with a statement prepared once per
// connection: for a fixed query that runs on every request, a lookup by
// key that takes microseconds. On SQLite it is therefore not interrupted
// when ctx ends (only refused if ctx has already ended): the driver would
// start a goroutine per statement to watch ctx, which cost more than the
// lookup.
func (db *DB) QueryRowPrepared(ctx context.Context, query string, args ...any) *sql.Row {
	query = db.Rebind(query)
	if s := db.stmt(ctx, query); s != nil {
		if ctx.Err() == nil {
			ctx = context.WithoutCancel(ctx)
		}
		return s.QueryRowContext(ctx, args...)
	}
	return db.DB.QueryRowContext(ctx, query, args...)
}

// Prepared returns the same transaction with Exec, Query and QueryRow
// that run statements prepared once per connection. Use it for fixed
// statements that run on every request; a statement built per call (an
// IN list of varying length) only fills the cache.
func (tx *Tx) Prepared() *Tx {
	if tx.prepared {
		return tx
	}
	b := tx.bound
	if b != nil && b.prepared != nil {
		return b.prepared
	}
	twin := &Tx{Tx: tx.Tx, db: tx.db, prepared: true, grouped: tx.grouped, pipe: tx.pipe, merges: tx.merges, bound: b}
	if b != nil {
		// A group transaction: one twin for all its calls (each chat turn
		// asks for it, several times a batch).
		b.prepared = twin
	}
	return twin
}

// boundStmts are the pool's prepared statements bound to one group
// transaction: its calls run the same few statements one after another
// (a batch of 8 chat turns, 40 statements of 5 kinds), and binding one
// anew for each (sql.Tx.StmtContext) allocates and locks each time. Only
// the committer's goroutine uses a group transaction, one call after
// another; the statements are closed with the transaction. It also keeps
// what every statement of the transaction would otherwise allocate anew:
// the transaction's Prepared twin, and the last caller's context detached
// from its cancellation (stmtCtx; a chat turn runs four or five
// statements with one context).
type boundStmts struct {
	m        map[string]*sql.Stmt
	prepared *Tx
	// ctx is the context a statement last ran with, detached its
	// context.WithoutCancel.
	ctx, detached context.Context
}

// detach is context.WithoutCancel(ctx), the same one for the statements
// of a call that pass the same context.
func (b *boundStmts) detach(ctx context.Context) context.Context {
	if b.detached != nil && sameContext(b.ctx, ctx) {
		return b.detached
	}
	b.ctx, b.detached = ctx, context.WithoutCancel(ctx)
	return b.detached
}

// sameContext reports whether a and b are the same context; a context
// whose type cannot be compared is taken as different.
func sameContext(a, b context.Context) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// txStmt is the cached statement for query bound to tx, or nil.
func (tx *Tx) txStmt(ctx context.Context, query string) *sql.Stmt {
	if !tx.prepared {
		return nil
	}
	if tx.bound != nil {
		if s, ok := tx.bound.m[query]; ok {
			return s
		}
	}
	s := tx.db.stmt(ctx, query)
	if s == nil {
		return nil
	}
	s = tx.Tx.StmtContext(ctx, s)
	if tx.bound != nil {
		if tx.bound.m == nil {
			tx.bound.m = make(map[string]*sql.Stmt, 8)
		}
		tx.bound.m[query] = s
	}
	return s
}
