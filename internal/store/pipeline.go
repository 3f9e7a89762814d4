package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pipelined group transactions. On PostgreSQL every statement is a round
// trip to the server, and a group transaction ran its calls' statements
// one round trip after another (BEGIN, two per chat turn, COMMIT): a
// batch of 8 turns waited for 18 of them. A call made with GroupQueue
// only queues its statements (Tx.Queue), and the committer sends a whole
// batch's statements at once in one pipeline (pgx.Batch), whose implicit
// transaction commits when the server reaches its end: one round trip.

// errNotPipelined: the connection cannot pipeline (not pgx); nothing ran.
var errNotPipelined = errors.New("store: connection does not pipeline")

// GroupQueue is GroupTx for a fn that, on PostgreSQL, runs its statements
// through tx.Queue alone: then they are only queued while fn runs, and
// the committer sends those of all the batch's calls to the server in
// one round trip. fn must not read what Queue scans into before GroupQueue
// returned nil. On SQLite, and when a batch runs call by call (a
// statement failed), Queue runs each statement at once.
func (db *DB) GroupQueue(ctx context.Context, fn func(tx *Tx) error) error {
	return db.groupTx(ctx, fn, true)
}

// Queue runs query with args as part of tx and scans the row it returns
// into dest (no dest: the statement returns no row). In a pipelined group
// transaction (GroupQueue on PostgreSQL) the statement is queued: it runs
// with the batch's others after fn returned, its error fails the batch,
// and dest is filled once the batch has committed. Elsewhere it runs at
// once (prepared when tx is; see Prepared).
func (tx *Tx) Queue(ctx context.Context, query string, dest []any, args ...any) error {
	if tx.pipe != nil {
		q := tx.pipe.Queue(tx.db.Rebind(query), args...)
		if len(dest) > 0 {
			q.QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
		}
		return nil
	}
	if len(dest) == 0 {
		_, err := tx.Exec(ctx, query, args...)
		return err
	}
	return tx.QueryRow(ctx, query, args...).Scan(dest...)
}

// pipeline runs batch, calls of GroupQueue, as one pipelined statement
// batch and answers them. If nothing ran, or the server failed a
// statement and so rolled the batch back, each call runs again alone in
// a transaction of its own.
func (g *grouper) pipeline(batch []*groupReq, pc *pgConn) {
	ctx := context.Background()
	b := &pgx.Batch{}
	merges := &mergeSet{}
	tx := &Tx{db: g.db, pipe: b, grouped: true, merges: merges}
	queued := make([]*groupReq, 0, len(batch))
	for _, r := range batch {
		n, m := len(b.QueuedQueries), len(merges.rows)
		if err := r.call(tx); err != nil {
			// fn failed before anything of its was sent: its outcome
			// is its own, and its statements and rows leave the batch.
			clear(b.QueuedQueries[n:])
			b.QueuedQueries = b.QueuedQueries[:n]
			clear(merges.rows[m:])
			merges.rows = merges.rows[:m]
			r.done <- err
			continue
		}
		queued = append(queued, r)
	}
	if len(queued) == 0 {
		return
	}
	g.pipelined.Add(1)
	err := merges.flush(ctx, tx)
	if err != nil {
		err = fmt.Errorf("%w: %w", errNotPipelined, err)
	} else {
		err = g.sendBatch(ctx, b, pc)
	}
	var pgErr *pgconn.PgError
	var prepErr pgx.ErrPreprocessingBatch
	if errors.Is(err, errNotPipelined) || errors.As(err, &prepErr) || errors.As(err, &pgErr) {
		// Nothing ran, or the server failed a statement (or the commit),
		// which aborted the batch's implicit transaction: each call runs
		// again alone and gets its own outcome.
		for _, r := range queued {
			r.done <- g.tx(r.call)
		}
		return
	}
	if err != nil {
		// The connection failed midway: the batch may have committed,
		// as when a commit's answer is lost. Running it again could
		// write it twice.
		err = fmt.Errorf("commit: %w", err)
	}
	for _, r := range queued {
		r.done <- err
	}
}

// sendBatch sends b on the committer's connection and reads its results.
func (g *grouper) sendBatch(ctx context.Context, b *pgx.Batch, pc *pgConn) error {
	conn, err := pc.get(ctx, g.db)
	if err != nil {
		return fmt.Errorf("%w: %w", errNotPipelined, err)
	}
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errNotPipelined
		}
		return c.Conn().SendBatch(ctx, b).Close()
	})
	if err != nil {
		// The connection may be broken; the pool checks it before
		// anyone uses it again.
		pc.release()
	}
	return err
}

// pgConn is a PostgreSQL committer's connection, kept between batches.
// Taken from the pool for each batch, a committer queued for a connection
// behind the turns reading their states: under BenchmarkTurn's load at
// 3,000 turns/s on a loaded machine, getting the connection was most of a
// batch's commit time (p50 6 ms, p99 180 ms of a commit's p99 of 197 ms,
// 4 December 2026). A committer gives it back after maxPinnedIdle without
// a batch (loop), so that an idle server does not keep the pool's
// connections taken, and the pool's check (a ping after a second idle)
// finds out a connection the server dropped meanwhile before a batch is
// sent on it, as before.
type pgConn struct{ conn *sql.Conn }

// maxPinnedIdle is how long a committer keeps its connection unused.
const maxPinnedIdle = time.Second

// get returns the committer's connection, taking one from the pool if it
// has none.
func (pc *pgConn) get(ctx context.Context, db *DB) (*sql.Conn, error) {
	if pc.conn == nil {
		conn, err := db.DB.Conn(ctx)
		if err != nil {
			return nil, err
		}
		pc.conn = conn
	}
	return pc.conn, nil
}

// release gives the connection back to the pool.
func (pc *pgConn) release() {
	if pc.conn != nil {
		pc.conn.Close()
		pc.conn = nil
	}
}
