package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Grouped reads by key. On PostgreSQL every chat turn reads its
// conversation's state (another replica may have written it, so it is not
// cached), each read a round trip on a connection of the pool. Under
// BenchmarkTurn's open loop the turns queued for those connections behind
// each other: of the slowest 1 % of turns, the read took 68 ms on average
// (FUWU_BENCH_TRACE, 5 December 2026, a loaded machine). A KeyReader
// serves the reads that arrive while others are in flight with one query
// for all their keys, as group commit serves writes: a read never waits
// for more than the batch ahead of it, and a batch takes one connection
// and one round trip whatever its size. Each read sees the rows as
// committed when its batch's query ran, which began after the read was
// asked for: what a read of its own would have seen, or later.

// keyReadBatch bounds the keys of one query; keyReaders bounds the
// queries in flight at once.
const (
	keyReadBatch = 64
	keyReaders   = 4
)

// KeyReader reads one value per key with a fixed query, batching
// concurrent reads.
type KeyReader struct {
	db     *DB
	prefix string // "SELECT key, value FROM t WHERE key"
	// pgQuery, on PostgreSQL, is the one statement for any number of
	// keys, rebound once rather than for every batch.
	pgQuery string

	mu      sync.Mutex
	pending []*keyRead
	running int // runners' slots taken (at most keyReaders)
}

type keyRead struct {
	key string
	// done is buffered: the batch's runner never waits for the caller.
	// A result with lead set carries none: the caller is to run the
	// next batch itself.
	done chan keyResult
}

type keyResult struct {
	value string
	found bool
	err   error
	lead  bool
}

// NewKeyReader returns a reader for query, a SELECT of two text columns,
// key and value, ending with its WHERE clause's key column (for example
// "SELECT id, state FROM s WHERE id"); the reader adds the condition on
// the keys.
func (db *DB) NewKeyReader(query string) *KeyReader {
	r := &KeyReader{db: db, prefix: query}
	if db.Dialect == Postgres {
		r.pgQuery = db.Rebind(query + ` = ANY(?::text[])`)
	}
	return r
}

// Get returns key's value, whether a row holds it, and an error if the
// query failed.
//
// Each batch is run by one of its own callers, on its goroutine: a caller
// that finds fewer than keyReaders batches running runs one with the
// reads pending then, its own first; a caller that finds them all
// running waits, and a runner that finished hands its turn to the first
// read still pending. No goroutine is started, and a read's result
// reaches its caller as directly as with a query of its own: under load
// every hand-off between goroutines waits for a CPU.
func (r *KeyReader) Get(ctx context.Context, key string) (string, bool, error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	kr := &keyRead{key: key, done: make(chan keyResult, 1)}
	r.mu.Lock()
	lead := r.running < keyReaders
	if lead {
		r.running++
	} else {
		r.pending = append(r.pending, kr)
	}
	r.mu.Unlock()
	for {
		if lead {
			return r.lead(kr)
		}
		select {
		case res := <-kr.done:
			if !res.lead {
				return res.value, res.found, res.err
			}
			lead = true
		case <-ctx.Done():
			// kr stays queued: a batch that takes it still answers it,
			// and a lead handed to it is passed on (abandon).
			go r.abandon(kr)
			return "", false, ctx.Err()
		}
	}
}

// abandon waits for the answer to a read its caller gave up on, so that
// a lead handed to it is passed on.
func (r *KeyReader) abandon(kr *keyRead) {
	if res := <-kr.done; res.lead {
		r.release()
	}
}

// lead runs one batch holding kr and the reads pending now, answers
// them, and then gives up its running slot (release).
func (r *KeyReader) lead(kr *keyRead) (string, bool, error) {
	r.mu.Lock()
	n := min(len(r.pending), keyReadBatch-1)
	batch := make([]*keyRead, 0, n+1)
	batch = append(batch, kr)
	batch = append(batch, r.pending[:n]...)
	rest := copy(r.pending, r.pending[n:])
	clear(r.pending[rest:])
	r.pending = r.pending[:rest]
	r.mu.Unlock()
	value, found, err := r.run(batch)
	r.release()
	return value, found, err
}

// release gives up a running slot: to the first pending read, which then
// runs the next batch, or back to the reader if none is pending.
func (r *KeyReader) release() {
	r.mu.Lock()
	if len(r.pending) == 0 {
		r.running--
		r.mu.Unlock()
		return
	}
	next := r.pending[0]
	rest := copy(r.pending, r.pending[1:])
	r.pending[rest] = nil
	r.pending = r.pending[:rest]
	r.mu.Unlock()
	next.done <- keyResult{lead: true}
}

// keyReadTimeout bounds a batch's query; its callers may have given up.
const keyReadTimeout = 30 * time.Second

// run reads batch's keys with one query, answers every read but the
// first, and returns the first's result.
func (r *KeyReader) run(batch []*keyRead) (string, bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), keyReadTimeout)
	defer cancel()
	keys := make([]string, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	for _, kr := range batch {
		if !seen[kr.key] {
			seen[kr.key] = true
			keys = append(keys, kr.key)
		}
	}
	values, err := r.query(ctx, keys)
	for _, kr := range batch[1:] {
		v, ok := values[kr.key]
		kr.done <- keyResult{value: v, found: ok, err: err}
	}
	v, ok := values[batch[0].key]
	return v, ok, err
}

func (r *KeyReader) query(ctx context.Context, keys []string) (map[string]string, error) {
	var rows *sql.Rows
	var err error
	if r.pgQuery != "" {
		// One statement text whatever the number of keys.
		rows, err = r.db.DB.QueryContext(ctx, r.pgQuery, keys)
	} else {
		q := r.prefix + ` IN (?` + strings.Repeat(`, ?`, len(keys)-1) + `)`
		args := make([]any, len(keys))
		for i, k := range keys {
			args[i] = k
		}
		rows, err = r.db.Query(ctx, q, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("read by key: %w", err)
	}
	defer rows.Close()
	values := make(map[string]string, len(keys))
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read by key: %w", err)
		}
		values[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read by key: %w", err)
	}
	return values, nil
}
