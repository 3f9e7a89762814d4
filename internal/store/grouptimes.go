package store

import (
	"context"
	"math/bits"
	"sync/atomic"
	"time"
)

// Where a group transaction's caller spends its time: waiting for a
// committer to take its call (the queue), and the batch's commit (on
// PostgreSQL the round trip with the server's WAL flush; on SQLite the
// statements and the sync). Under load the reply's latency is these two
// plus the request's own work; GroupTimes tells them apart.

// durHist counts durations in buckets of about 9 % width (eight per
// doubling, in microseconds; the last holds all over 35 minutes); adding
// is one atomic increment.
type durHist struct{ b [8 + 8*28]atomic.Int64 }

func histBucket(d time.Duration) int {
	us := uint64(max(d.Microseconds(), 0))
	if us < 8 {
		return int(us)
	}
	e := bits.Len64(us) - 1 // ≥ 3
	i := 8 + (e-3)*8 + int(us>>(e-3)&7)
	return min(i, len(durHist{}.b)-1)
}

// histUpper is the largest duration bucket i holds.
func histUpper(i int) time.Duration {
	if i < 8 {
		return time.Duration(i) * time.Microsecond
	}
	e, sub := (i-8)/8+3, uint64((i-8)%8)
	us := (8+sub+1)<<(e-3) - 1
	return time.Duration(us) * time.Microsecond
}

func (h *durHist) add(d time.Duration) { h.b[histBucket(d)].Add(1) }

func (h *durHist) snapshot() []int64 {
	s := make([]int64, len(h.b))
	for i := range h.b {
		s[i] = h.b[i].Load()
	}
	return s
}

// Durations is a snapshot of a duration histogram.
type Durations struct{ counts []int64 }

// Sub is the durations counted in d since earlier.
func (d Durations) Sub(earlier Durations) Durations {
	s := make([]int64, len(d.counts))
	for i := range s {
		s[i] = d.counts[i]
		if i < len(earlier.counts) {
			s[i] -= earlier.counts[i]
		}
	}
	return Durations{s}
}

// Quantile is the duration below which a fraction q of those counted
// fall (rounded up to its bucket's bound, within about 9 %); 0 if none.
func (d Durations) Quantile(q float64) time.Duration {
	var n int64
	for _, c := range d.counts {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var seen int64
	for i, c := range d.counts {
		if seen += c; seen >= rank {
			return histUpper(i)
		}
	}
	return histUpper(len(d.counts) - 1)
}

// GroupTimes holds, for every group transaction call so far, the time it
// waited for a committer (Wait) and the time its batch took to commit
// and answer (Commit).
type GroupTimes struct{ Wait, Commit Durations }

// GroupTimes reports the group committer's durations since Open.
func (db *DB) GroupTimes() GroupTimes {
	g := &db.group
	return GroupTimes{Wait: Durations{g.wait.snapshot()}, Commit: Durations{g.commitDur.snapshot()}}
}

// Sub is the durations counted in t since earlier.
func (t GroupTimes) Sub(earlier GroupTimes) GroupTimes {
	return GroupTimes{Wait: t.Wait.Sub(earlier.Wait), Commit: t.Commit.Sub(earlier.Commit)}
}

// CallTimes is where one request's storage time went, for a caller that
// wants it per request (a load test telling its slowest turns apart):
// Wait and Commit as in GroupTimes for its group transaction, Read for
// what a caller that reads on the request's path records (AddRead).
type CallTimes struct{ Wait, Commit, Read time.Duration }

type callTimesKey struct{}

// WithCallTimes returns ctx carrying t: GroupTx and GroupQueue calls made
// with it record their times in t. t must not be shared by requests
// running at once.
func WithCallTimes(ctx context.Context, t *CallTimes) context.Context {
	return context.WithValue(ctx, callTimesKey{}, t)
}

func callTimesOf(ctx context.Context) *CallTimes {
	t, _ := ctx.Value(callTimesKey{}).(*CallTimes)
	return t
}

// AddRead adds d to the Read time of ctx's CallTimes, if it carries any.
func AddRead(ctx context.Context, d time.Duration) {
	if t := callTimesOf(ctx); t != nil {
		t.Read += d
	}
}
