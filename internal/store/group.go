package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit. A chat turn writes a few small rows and must not be
// acknowledged before they are on disk; one commit per turn makes every
// turn wait for the commits queued before it (SQLite has one writer). So
// concurrent turns hand their writes to a committer that runs all the
// writes waiting at that moment in one transaction and answers each
// caller once it has committed. Nothing is acknowledged earlier than with
// a commit of its own; the commit is shared.

// ErrClosed is returned by GroupTx after the DB was closed.
var ErrClosed = errors.New("store: closed")

const (
	// maxBatch bounds one group transaction (and the time its first
	// caller waits for the last one's writes).
	maxBatch = 128
	// pgCommitters is how many group transactions run at once on
	// PostgreSQL, which has no single writer and groups the WAL flushes
	// of concurrent commits itself. When a batch's statements ran one
	// round trip after another, 16 committers with batches of at most 8
	// served 200 conversations best (README, "Load"); pipelined
	// (GroupQueue), a batch costs one round trip whatever its size.
	// Eleven alternating rounds of BenchmarkTurn (4 December 2026, on a
	// machine shared with other builds, load 3–12) gave median turns/s
	// 8×16 2 400, 4×32 1 970, 16×8 1 840 (closed loop; single rounds
	// from 1 300 to 5 200, so only the order is worth keeping; 8×32,
	// 4×64, 2×64 and 16×32 did no better in fewer rounds; raw figures in
	// docs/bench/turn-pg-pipeline-committers-2026-12-04.txt).
	// With the state reads batched (KeyReader) and the machine quiet,
	// two committers did better than eight at 200 conversations: eight
	// alternating rounds on 5 December 2026 (load 2–4, the benchmark's
	// own) gave the open loop at 3,000 turns/s a p99 of 62.6 ms against
	// 87.1 (p=0.005) and a p50 of 3.1 against 8.7 ms, and the closed loop
	// a p99 of 87 against 107 ms (p=0.029) at 4,925 against 4,429 turns/s
	// (~): fewer, larger commits leave the server's CPU to the rest
	// (docs/bench/turn-pg-committers-2026-12-05.txt).
	// With the committer's wait (commitLinger), one committer does better
	// still: two split the calls arriving during a wait between them. Six
	// alternating rounds at 3,000 turns/s (5 December 2026, quiet) gave
	// one against two 7.1 against 3.1 turns per commit, the server's CPU
	// per turn −26 %, p99 11.9 against 23.2 ms (p=0.002) and p50 3.3
	// against 2.8 ms; three of the closed loop 8,360 against 7,540 turns/s
	// (~) (docs/bench/turn-pg-one-committer-2026-12-05.txt). One
	// committer also never has two batches that each hold a row the
	// other's later call needs (two messages of one conversation at once),
	// which with two deadlocked until the server aborted one.
	pgCommitters = 1
	// pgMaxBatch bounds a batch on PostgreSQL: a batch that is not
	// pipelined (GroupTx) runs its statements one round trip after
	// another, and one committer that drained a long queue kept every
	// turn in it waiting while other committers sat idle.
	pgMaxBatch = 16
	// pgMaxPipelined bounds a batch on PostgreSQL whose calls are all
	// GroupQueue's: pipelined, its statements cost one round trip however
	// many, and merged (Merge) a few statements, so after a stall a
	// committer takes up to this many of the calls that queued meanwhile
	// at once instead of 16 per round trip.
	pgMaxPipelined = maxBatch
	// commitLinger is how long a committer holding fewer than
	// lingerEnough calls waits for more before it commits (PostgreSQL's
	// commit_delay, in spirit): at 3,000 turns/s a batch held 1.6–2.3
	// turns, and each commit costs about the same CPU however few turns
	// it carries. Side by side at 3,000 turns/s (5 December 2026, five
	// alternating rounds, docs/bench/turn-linger-2026-12-05.txt), 1 ms
	// took SQLite to 6.9 turns per commit, its CPU per turn −26 % and its
	// p99 19.5 → 12.0 ms, and PostgreSQL's server CPU per turn −17 %, for
	// a median turn 1.7 ms later on SQLite (none on PostgreSQL); 500 µs
	// saved less (SQLite −21 %, the server −13 %). A committer whose wait
	// gathered nothing does not wait again for lingerBackoff batches: a
	// lone caller (a test, a quiet evening) loses the wait once in that
	// many commits.
	commitLinger  = time.Millisecond
	lingerEnough  = 8
	lingerBackoff = 64
)

type groupReq struct {
	ctx    context.Context
	fn     func(*Tx) error
	queued bool // GroupQueue's: fn may be pipelined
	done   chan error
	handed time.Time // when the call was handed to the committers
	// taken is when a committer took the call; set before done is sent.
	taken time.Time
}

// groupPanic carries a panic in a caller's function back to its goroutine.
type groupPanic struct{ v any }

func (p groupPanic) Error() string { return fmt.Sprint("panic in group transaction: ", p.v) }

type grouper struct {
	db      *DB
	start   sync.Once
	mu      sync.RWMutex // closed and sending to reqs
	closed  bool
	reqs    chan *groupReq
	quit    chan struct{}
	stopped sync.WaitGroup

	batches, units, pipelined atomic.Int64
	checkpoints               atomic.Int64 // SQLite: the checkpointer's
	lingers, lingersGained    atomic.Int64
	ckpt                      chan struct{} // SQLite: pokes the checkpointer (checkpoint.go)
	wait, commitDur           durHist       // see GroupTimes

	conn *sql.Conn // SQLite's committer's connection (sqliteConn); only its loop uses it
}

// GroupStats counts the group transactions committed or tried and the
// calls they carried (units/batches is the mean batch size), and the
// batches sent to PostgreSQL in one round trip (see GroupQueue).
// Checkpoints counts the SQLite checkpointer's checkpoints; Lingers the
// waits for more calls (commitLinger), LingersGained those a call joined.
type GroupStats struct{ Batches, Units, Pipelined, Checkpoints, Lingers, LingersGained int64 }

// GroupStats reports the group committer's counters since Open.
func (db *DB) GroupStats() GroupStats {
	g := &db.group
	return GroupStats{Batches: g.batches.Load(), Units: g.units.Load(), Pipelined: g.pipelined.Load(), Checkpoints: g.checkpoints.Load(),
		Lingers: g.lingers.Load(), LingersGained: g.lingersGained.Load()}
}

// GroupTx runs fn in a transaction shared with the GroupTx calls of other
// goroutines waiting at the same moment, and returns once that
// transaction has committed (group commit): fn's writes are durable when
// GroupTx returns nil, and if it returns an error none of them are.
//
// fn may run more than once: when another call in its batch fails, the
// batch is rolled back and every call runs again in a transaction of its
// own, so that each gets its own outcome. fn must therefore write only
// through tx and set its results afresh each time it runs.
//
// On SQLite the group transaction runs with synchronous=FULL: its commit
// syncs the log to disk, which a commit per call could not afford.
func (db *DB) GroupTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.groupTx(ctx, fn, false)
}

func (db *DB) groupTx(ctx context.Context, fn func(tx *Tx) error, queued bool) error {
	g := &db.group
	r := &groupReq{ctx: ctx, fn: fn, queued: queued, done: make(chan error, 1), handed: time.Now()}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return ErrClosed
	}
	g.start.Do(g.run)
	select {
	case g.reqs <- r:
	case <-ctx.Done():
		g.mu.RUnlock()
		return ctx.Err()
	}
	g.mu.RUnlock()
	// Once handed over, the call's outcome is awaited even if ctx ends:
	// its writes may be committing.
	err := <-r.done
	if t := callTimesOf(ctx); t != nil {
		t.Wait += r.taken.Sub(r.handed)
		t.Commit += time.Since(r.taken)
	}
	// Looked for only in an error: errors.As's target escapes, a heap
	// allocation on every call, and most calls succeed.
	if err != nil {
		var p groupPanic
		if errors.As(err, &p) {
			panic(p.v)
		}
	}
	return err
}

func (g *grouper) run() {
	g.reqs = make(chan *groupReq, maxBatch)
	g.quit = make(chan struct{})
	n := 1
	if g.db.Dialect == Postgres {
		n = pgCommitters
	}
	for range n {
		g.stopped.Add(1)
		go g.loop()
	}
	// A pool of one connection has none to spare for the checkpointer
	// (":memory:"); the committer's then checkpoints as before.
	if g.db.Dialect == SQLite && g.db.DB.Stats().MaxOpenConnections != 1 {
		g.ckpt = make(chan struct{}, 1)
		g.stopped.Add(1)
		go g.checkpointer()
	}
}

// close stops the committers once the calls already handed over are done.
func (g *grouper) close() {
	g.mu.Lock()
	again := g.closed
	g.closed = true
	g.mu.Unlock()
	if !again && g.quit != nil {
		close(g.quit)
		g.stopped.Wait()
	}
}

func (g *grouper) loop() {
	defer g.stopped.Done()
	batch := make([]*groupReq, 0, maxBatch)
	// carry is a call taken while a batch was drained that would have
	// made it too long (pgMaxBatch): the next batch's first.
	var carry *groupReq
	var pc pgConn // PostgreSQL: this committer's connection
	idle := time.NewTimer(maxPinnedIdle)
	idle.Stop()
	linger := time.NewTimer(commitLinger)
	linger.Stop()
	lingerOff := 0 // batches to commit without waiting (see commitLinger)
	for {
		first := carry
		carry = nil
		// fresh: a call that arrived now, not one carried over from a
		// backlog; others may be about to hand theirs over.
		fresh := first == nil
		var idleC <-chan time.Time
		if fresh && pc.conn != nil {
			idle.Reset(maxPinnedIdle)
			idleC = idle.C
		}
		if fresh {
			select {
			case first = <-g.reqs:
			case <-idleC:
				pc.release()
				continue
			case <-g.quit:
				// No sender is left (close holds the lock until it set
				// closed), but the buffer may still hold calls.
				select {
				case first = <-g.reqs:
				default:
					if g.conn != nil {
						g.dropConn(g.conn)
					}
					pc.release()
					return
				}
			}
			idle.Stop()
		}
		batch = append(batch[:0], first)
		if fresh && lingerOff > 0 {
			lingerOff--
		} else if fresh {
			var gained bool
			batch, carry, gained = g.gather(batch, linger)
			g.lingers.Add(1)
			if gained {
				g.lingersGained.Add(1)
			} else {
				lingerOff = lingerBackoff
			}
		}
		if g.db.Dialect == SQLite {
			// Other writers of this process go first or after, never
			// between; what queued meanwhile joins this batch.
			g.db.writeMu.Lock()
		}
		if carry == nil {
			batch, carry = g.drain(batch)
		}
		start := time.Now()
		for _, r := range batch {
			r.taken = start
			g.wait.add(start.Sub(r.handed))
		}
		g.commit(batch, &pc)
		took := time.Since(start)
		for range batch {
			g.commitDur.add(took)
		}
		if g.db.Dialect == SQLite {
			g.db.writeMu.Unlock()
			g.ckptPoke()
		}
		clear(batch)
	}
}

// gather waits up to commitLinger for calls to join batch, until it
// holds lingerEnough (or its calls' limit): a call that would make it
// too long is returned as carry. gained reports whether any call joined.
func (g *grouper) gather(batch []*groupReq, t *time.Timer) (_ []*groupReq, carry *groupReq, gained bool) {
	limit := min(g.limit(batch[0]), lingerEnough)
	n := len(batch)
	t.Reset(commitLinger)
	defer t.Stop()
	for len(batch) < limit {
		select {
		case r := <-g.reqs:
			if l := g.limit(r); l < limit {
				if len(batch) >= l {
					return batch, r, true
				}
				limit = l
			}
			batch = append(batch, r)
		case <-t.C:
			return batch, nil, len(batch) > n
		case <-g.quit:
			return batch, nil, len(batch) > n
		}
	}
	return batch, nil, true
}

// drain adds to batch the calls waiting, as many as its calls' limits
// allow. A call that would make it too long is returned as carry, to be
// the next batch's first.
func (g *grouper) drain(batch []*groupReq) (_ []*groupReq, carry *groupReq) {
	limit := g.limit(batch[0])
	for len(batch) < limit {
		select {
		case r := <-g.reqs:
			if l := g.limit(r); l < limit {
				if len(batch) >= l {
					return batch, r
				}
				limit = l
			}
			batch = append(batch, r)
		default:
			return batch, nil
		}
	}
	return batch, nil
}

// limit is the longest batch r may be part of.
func (g *grouper) limit(r *groupReq) int {
	switch {
	case g.db.Dialect == SQLite:
		return maxBatch
	case r.queued:
		return pgMaxPipelined
	}
	return pgMaxBatch
}

// commit runs batch in one transaction and answers each call.
func (g *grouper) commit(batch []*groupReq, pc *pgConn) {
	g.batches.Add(1)
	g.units.Add(int64(len(batch)))
	if g.db.Dialect == Postgres && allQueued(batch) {
		g.pipeline(batch, pc)
		return
	}
	failed := false
	err := g.tx(func(tx *Tx) error {
		for _, r := range batch {
			if err := r.call(tx); err != nil {
				failed = true
				return err
			}
		}
		return nil
	})
	if err == nil || !failed || len(batch) == 1 {
		// Committed, or beginning or committing failed: the outcome is
		// everyone's.
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	// One call failed and took the batch with it: each runs alone.
	for _, r := range batch {
		r.done <- g.tx(r.call)
	}
}

func allQueued(batch []*groupReq) bool {
	for _, r := range batch {
		if !r.queued {
			return false
		}
	}
	return true
}

func (r *groupReq) call(tx *Tx) (err error) {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = groupPanic{p}
		}
	}()
	return r.fn(tx)
}

// tx runs fn in a transaction of its own on a connection of the pool
// (writeMu is held by the caller on SQLite). The transaction is not tied
// to any caller's context: one caller giving up must not roll back the
// others' writes, nor (Tx.stmtCtx) interrupt its own statements midway.
func (g *grouper) tx(fn func(*Tx) error) error {
	ctx := context.Background()
	if g.db.Dialect != SQLite {
		return g.db.runTx(ctx, g.db.DB.BeginTx, true, fn)
	}
	conn, keep, err := g.sqliteConn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err = g.db.runTx(ctx, conn.BeginTx, true, fn)
	if !keep || err != nil { // a failure may have broken the connection
		g.dropConn(conn)
	}
	return err
}

// sqliteConn is the connection SQLite's committer writes on, with
// synchronous=FULL (a setting of the connection: this commit syncs the
// log, the pool's other writers keep theirs). The committer keeps it
// between batches, its statements prepared, unless the pool has a single
// connection, which others need too (keep is false then).
func (g *grouper) sqliteConn(ctx context.Context) (conn *sql.Conn, keep bool, err error) {
	keep = g.db.DB.Stats().MaxOpenConnections != 1
	if g.conn != nil {
		return g.conn, keep, nil
	}
	if conn, err = g.db.DB.Conn(ctx); err != nil {
		return nil, false, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		conn.Close()
		return nil, false, err
	}
	if keep {
		// The checkpointer copies the log back (checkpoint.go); this
		// connection only past the safety bound.
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, ckptSafetyPages)); err != nil {
			g.dropConn(conn)
			return nil, false, err
		}
	}
	if keep {
		g.conn = conn
	}
	return conn, keep, nil
}

// dropConn gives the committer's connection back to the pool with the
// pool's synchronous and wal_autocheckpoint settings, or drops it if
// they cannot be restored.
func (g *grouper) dropConn(conn *sql.Conn) {
	if g.conn == conn {
		g.conn = nil
	}
	for _, q := range []string{`PRAGMA synchronous = NORMAL`, `PRAGMA wal_autocheckpoint = 1000`} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // rather than leave it FULL
			break
		}
	}
	conn.Close()
}

// runTx is InTx without the write queue, beginning with begin; grouped
// marks a group transaction (see Tx.stmtCtx).
func (db *DB) runTx(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sql.Tx, error), grouped bool, fn func(*Tx) error) (err error) {
	sqlTx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, db: db, grouped: grouped}
	if grouped {
		tx.bound = &boundStmts{}
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
