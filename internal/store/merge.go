package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Merged statements. A pipelined group transaction (GroupQueue) sends its
// calls' statements in one round trip, but the server still parses,
// binds, plans and runs each one: at 3,000 chat turns/s that was two
// statements per turn, and PostgreSQL's server spent about as much CPU on
// them as the Go process on the whole turn, on the same two cores. A call
// that writes through QueueMerged instead only hands its row over; the
// committer gives each Merge the rows of all the batch's calls at once,
// and the Merge writes them in one statement (typically one array
// parameter per column, unnested by the server).

// A Merge writes the rows of many calls in a few statements.
type Merge struct {
	// Queue writes rows (the values given to QueueMerged, in the order
	// the calls ran) through tx: with tx.Queue and tx.QueueQuery, which
	// only queue in a pipelined group transaction and run at once
	// elsewhere. It must leave tx as it found it if it fails.
	Queue func(ctx context.Context, tx *Tx, rows []any) error
}

// mergeSet holds the rows handed to QueueMerged in a pipelined group
// transaction until the committer queues them (flush).
type mergeSet struct {
	rows []mergeRow
}

type mergeRow struct {
	m   *Merge
	row any
}

// QueueMerged writes row through m. In a pipelined group transaction
// (GroupQueue on PostgreSQL) the row is only recorded: once every call of
// the batch has run, m.Queue queues one write for all their rows, which
// runs after the statements the calls queued themselves, in the same
// transaction; results reach the row (as the Merge defines) once the
// batch has committed. Elsewhere m.Queue runs at once with row alone.
func (tx *Tx) QueueMerged(ctx context.Context, m *Merge, row any) error {
	if tx.merges == nil {
		return m.Queue(ctx, tx, []any{row})
	}
	tx.merges.rows = append(tx.merges.rows, mergeRow{m, row})
	return nil
}

// flush queues the recorded rows, one m.Queue per Merge in the order of
// first use.
func (s *mergeSet) flush(ctx context.Context, tx *Tx) error {
	for len(s.rows) > 0 {
		m := s.rows[0].m
		var rows []any
		rest := s.rows[:0]
		for _, r := range s.rows {
			if r.m == m {
				rows = append(rows, r.row)
			} else {
				rest = append(rest, r)
			}
		}
		clear(s.rows[len(rest):])
		s.rows = rest
		if err := m.Queue(ctx, tx, rows); err != nil {
			return fmt.Errorf("merged write: %w", err)
		}
	}
	return nil
}

// Scanner reads one row of a query's result.
type Scanner interface{ Scan(dest ...any) error }

// QueueQuery runs query with args as part of tx and calls each for every
// row it returns. In a pipelined group transaction the statement is
// queued (see Queue): each runs while the batch's results are read,
// before the commit is known, so it must only store what it scans where
// its callers read it after GroupQueue returned nil. Elsewhere it runs at
// once.
func (tx *Tx) QueueQuery(ctx context.Context, query string, each func(Scanner) error, args ...any) error {
	if tx.pipe != nil {
		tx.pipe.Queue(tx.db.Rebind(query), args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := each(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		})
		return nil
	}
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
