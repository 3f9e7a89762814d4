package citymon

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Pipeline gathers what the MQTT subscriber and the HTTP handler receive
// into large transactions — one commit per batch, not per message, is
// what makes tens of thousands of readings a second possible — and only
// then acknowledges each message. A message is acknowledged (its MQTT
// PUBACK sent, its HTTP request answered) after the transaction holding it
// committed, so a crash before that makes the sender deliver it again, and
// the (device, parameter, second) key makes the second delivery a no-op.
type Pipeline struct {
	store *Store
	in    chan pending
	// MaxReadings flushes a batch once it holds this many readings.
	MaxReadings int
	// MaxDelay flushes a batch this long after its first message.
	MaxDelay time.Duration
	// Idle flushes a batch when no message came for this long: a broker
	// sends only so many unacknowledged messages (Mosquitto: 20 by
	// default), then waits for our acknowledgements.
	Idle time.Duration
	// SettleEvery is how often the daily aggregates are settled.
	SettleEvery time.Duration
	// AfterStore, if set, is called with each batch once it is committed
	// (before the senders are acknowledged).
	AfterStore func(Batch, Result)

	stored, duplicates, quarantined, batches atomic.Int64
}

type pending struct {
	batch Batch
	done  func(Result, error)
}

// NewPipeline makes a pipeline writing to s; Run it.
func NewPipeline(s *Store) *Pipeline {
	return &Pipeline{store: s, in: make(chan pending, 4096),
		MaxReadings: 5000, MaxDelay: 200 * time.Millisecond, Idle: 3 * time.Millisecond, SettleEvery: 2 * time.Second}
}

// Submit queues a batch; done is called once it is stored (with its own
// counts) or has failed for good (only when the pipeline stops: storage
// errors are retried). Submit blocks while the queue is full.
func (p *Pipeline) Submit(ctx context.Context, b Batch, done func(Result, error)) error {
	select {
	case p.in <- pending{b, done}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats are the pipeline's running totals.
type Stats struct {
	Batches     int64 `json:"batches"`
	Stored      int64 `json:"stored"`
	Duplicates  int64 `json:"duplicates"`
	Quarantined int64 `json:"quarantined"`
}

// Stats returns the totals since the pipeline started.
func (p *Pipeline) Stats() Stats {
	return Stats{p.batches.Load(), p.stored.Load(), p.duplicates.Load(), p.quarantined.Load()}
}

// Run writes batches until ctx ends. Queued messages not yet stored are
// then reported failed (they were not acknowledged, so their senders
// deliver them again).
func (p *Pipeline) Run(ctx context.Context) {
	settle := time.NewTicker(p.SettleEvery)
	defer settle.Stop()
	var buf []pending
	n := 0
	var deadline <-chan time.Time
	var idle *time.Timer
	flush := func() {
		if len(buf) == 0 {
			return
		}
		p.flush(ctx, buf)
		buf, n, deadline = buf[:0], 0, nil
	}
	for {
		var idleC <-chan time.Time
		if len(buf) > 0 {
			if idle == nil {
				idle = time.NewTimer(p.Idle)
			} else {
				idle.Reset(p.Idle)
			}
			idleC = idle.C
		}
		select {
		case <-ctx.Done():
			for _, q := range buf {
				if q.done != nil {
					q.done(Result{}, ctx.Err())
				}
			}
			return
		case it := <-p.in:
			if len(buf) == 0 {
				deadline = time.After(p.MaxDelay)
			}
			buf = append(buf, it)
			n += len(it.batch.Readings) + len(it.batch.Rejected)
			if n >= p.MaxReadings {
				flush()
			}
		case <-idleC:
			flush()
		case <-deadline:
			flush()
		case <-settle.C:
			if _, err := p.store.Settle(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("citymon: settling daily aggregates", "err", err)
			}
		}
	}
}

// flush stores buf in one transaction, retrying with back-off while the
// database fails, then acknowledges every message.
func (p *Pipeline) flush(ctx context.Context, buf []pending) {
	bs := make([]Batch, len(buf))
	for i, q := range buf {
		bs[i] = q.batch
	}
	wait := 100 * time.Millisecond
	for {
		res, err := p.store.IngestAll(ctx, bs)
		if err == nil {
			p.batches.Add(1)
			for i, q := range buf {
				p.stored.Add(int64(res[i].Stored))
				p.duplicates.Add(int64(res[i].Duplicates))
				p.quarantined.Add(int64(res[i].Quarantined))
				if p.AfterStore != nil {
					p.AfterStore(q.batch, res[i])
				}
				if q.done != nil {
					q.done(res[i], nil)
				}
			}
			return
		}
		if ctx.Err() != nil {
			for _, q := range buf {
				if q.done != nil {
					q.done(Result{}, ctx.Err())
				}
			}
			return
		}
		slog.Error("citymon: storing readings failed; retrying", "err", err, "messages", len(buf), "retry_in", wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		wait = min(2*wait, 10*time.Second)
	}
}
