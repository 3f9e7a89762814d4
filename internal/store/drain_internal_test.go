package store

import (
	"slices"
	"testing"
)

// A committer takes the calls waiting into one batch up to the limit of
// its calls: on PostgreSQL pgMaxPipelined when all are pipelined,
// pgMaxBatch as soon as one is not (a call that would make the batch
// longer starts the next), on SQLite maxBatch.
func TestDrainLimits(t *testing.T) {
	t.Parallel()
	run := func(n int, queued bool) []bool {
		out := make([]bool, n)
		for i := range out {
			out[i] = queued
		}
		return out
	}
	tests := []struct {
		name    string
		dialect Dialect
		calls   []bool // queued (GroupQueue) or not, in the order handed over
		want    []int  // the batches' lengths
	}{
		{"postgres, all pipelined", Postgres, run(200, true), []int{pgMaxPipelined, 200 - pgMaxPipelined}},
		{"postgres, none pipelined", Postgres, run(40, false), []int{pgMaxBatch, pgMaxBatch, 40 - 2*pgMaxBatch}},
		{"postgres, one not pipelined after many", Postgres, append(run(30, true), false, true), []int{30, 2}},
		{"postgres, one not pipelined among few", Postgres, append(append(run(5, true), false), run(20, true)...), []int{pgMaxBatch, 26 - pgMaxBatch}},
		{"postgres, first not pipelined", Postgres, append([]bool{false}, run(30, true)...), []int{pgMaxBatch, 31 - pgMaxBatch}},
		{"sqlite", SQLite, append(run(100, false), run(100, true)...), []int{maxBatch, 200 - maxBatch}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &grouper{db: &DB{Dialect: tc.dialect}, reqs: make(chan *groupReq, len(tc.calls))}
			var all []*groupReq
			for _, q := range tc.calls {
				r := &groupReq{queued: q}
				all = append(all, r)
				g.reqs <- r
			}
			var got []int
			var order []*groupReq
			var carry *groupReq
			for carry != nil || len(g.reqs) > 0 {
				first := carry
				if first == nil {
					first = <-g.reqs
				}
				var batch []*groupReq
				batch, carry = g.drain([]*groupReq{first})
				got = append(got, len(batch))
				order = append(order, batch...)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("batches %v, want %v", got, tc.want)
			}
			if !slices.Equal(order, all) {
				t.Errorf("calls reordered")
			}
		})
	}
}
