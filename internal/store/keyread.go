package store

import (
	"context"
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

	mu      sync.Mutex
	pending []*keyRead
	running int // drain loops running
}

type keyRead struct {
	key  string
	done chan keyResult // buffered: the reader never waits for the caller
}

type keyResult struct {
	value string
	found bool
	err   error
}

// NewKeyReader returns a reader for query, a SELECT of two text columns,
// key and value, ending with its WHERE clause's key column (for example
// "SELECT id, state FROM s WHERE id"); the reader adds the condition on
// the keys.
func (db *DB) NewKeyReader(query string) *KeyReader {
	return &KeyReader{db: db, prefix: query}
}

// Get returns key's value, whether a row holds it, and an error if the
// query failed.
func (r *KeyReader) Get(ctx context.Context, key string) (string, bool, error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	kr := &keyRead{key: key, done: make(chan keyResult, 1)}
	r.mu.Lock()
	r.pending = append(r.pending, kr)
	start := r.running < keyReaders
	if start {
		r.running++
	}
	r.mu.Unlock()
	if start {
		// A loop runs while reads are pending and ends with the queue:
		// no goroutine outlives the load.
		go r.drain()
	}
	select {
	case res := <-kr.done:
		return res.value, res.found, res.err
	case <-ctx.Done():
		return "", false, ctx.Err()
	}
}

// drain runs batches of pending reads until none is left.
func (r *KeyReader) drain() {
	for {
		r.mu.Lock()
		n := min(len(r.pending), keyReadBatch)
		if n == 0 {
			r.running--
			r.mu.Unlock()
			return
		}
		batch := make([]*keyRead, n)
		copy(batch, r.pending)
		rest := copy(r.pending, r.pending[n:])
		clear(r.pending[rest:])
		r.pending = r.pending[:rest]
		r.mu.Unlock()
		r.run(batch)
	}
}

// keyReadTimeout bounds a batch's query; its callers may have given up.
const keyReadTimeout = 30 * time.Second

// run reads batch's keys with one query and answers each read.
func (r *KeyReader) run(batch []*keyRead) {
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
	for _, kr := range batch {
		v, ok := values[kr.key]
		kr.done <- keyResult{value: v, found: ok, err: err}
	}
}

func (r *KeyReader) query(ctx context.Context, keys []string) (map[string]string, error) {
	var q string
	var args []any
	if r.db.Dialect == Postgres {
		// One statement text whatever the number of keys.
		q, args = r.prefix+` = ANY(?::text[])`, []any{keys}
	} else {
		q = r.prefix + ` IN (?` + strings.Repeat(`, ?`, len(keys)-1) + `)`
		for _, k := range keys {
			args = append(args, k)
		}
	}
	rows, err := r.db.Query(ctx, q, args...)
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
