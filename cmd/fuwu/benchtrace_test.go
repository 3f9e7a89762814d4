package main

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Where the slowest turns of BenchmarkTurn spend their time. With
// FUWU_BENCH_TRACE=1 in the environment the server's handler is wrapped
// so that each reply carries, in benchTraceHeader, when the handler
// started and answered and its storage times (store.CallTimes); the load
// generator joins them with its own, and the benchmark logs the mean of
// each stage over all turns and over the slowest 1 %.

// traceHandler wraps h, stamping each reply with its times.
func traceHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &traceWriter{ResponseWriter: w, in: time.Now()}
		h.ServeHTTP(tw, r.WithContext(store.WithCallTimes(r.Context(), &tw.ct)))
	})
}

type traceWriter struct {
	http.ResponseWriter
	in    time.Time
	ct    store.CallTimes
	wrote bool
}

func (w *traceWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Set(benchTraceHeader, fmt.Sprintf("%d %d %d %d %d", w.in.UnixNano(), time.Now().UnixNano(),
			w.ct.Wait.Nanoseconds(), w.ct.Commit.Nanoseconds(), w.ct.Read.Nanoseconds()))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *traceWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// turnStages is a turn's latency cut into stages.
type turnStages struct {
	total time.Duration
	// late: sent after its scheduled time (the previous reply came
	// late, or the generator's goroutine woke late); in: from sending to
	// the handler's start (the server reading the request, scheduling);
	// read, wait, commit: the state read, waiting for a committer, the
	// commit; other: the rest of the handler (the assistant's work, JSON);
	// out: from the handler's answer to the generator's reading it.
	late, in, read, wait, commit, other, out time.Duration
}

var stageNames = []string{"total", "late", "in", "read", "wait", "commit", "other", "out"}

func (s turnStages) values() []time.Duration {
	return []time.Duration{s.total, s.late, s.in, s.read, s.wait, s.commit, s.other, s.out}
}

type turnTracer struct {
	mu     sync.Mutex
	stages []turnStages
	bad    int
}

func (t *turnTracer) add(tt turnTrace) {
	f := strings.Fields(tt.Server)
	if len(f) != 5 {
		t.mu.Lock()
		t.bad++
		t.mu.Unlock()
		return
	}
	var n [5]int64
	for i := range f {
		n[i], _ = strconv.ParseInt(f[i], 10, 64)
	}
	in, out := time.Unix(0, n[0]), time.Unix(0, n[1])
	s := turnStages{
		total: tt.Done.Sub(tt.Sched), late: tt.Sent.Sub(tt.Sched), in: in.Sub(tt.Sent),
		wait: time.Duration(n[2]), commit: time.Duration(n[3]), read: time.Duration(n[4]), out: tt.Done.Sub(out),
	}
	s.other = out.Sub(in) - s.wait - s.commit - s.read
	t.mu.Lock()
	t.stages = append(t.stages, s)
	t.mu.Unlock()
}

// report logs each stage's mean over all turns and over the slowest 1 %,
// and its p99 over all turns.
func (t *turnTracer) report(b *testing.B) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.stages) == 0 {
		return
	}
	sort.Slice(t.stages, func(i, j int) bool { return t.stages[i].total < t.stages[j].total })
	slow := t.stages[len(t.stages)*99/100:]
	mean := func(ss []turnStages) []float64 {
		m := make([]float64, len(stageNames))
		for _, s := range ss {
			for i, v := range s.values() {
				m[i] += float64(v.Microseconds()) / 1000
			}
		}
		for i := range m {
			m[i] /= float64(len(ss))
		}
		return m
	}
	p99 := make([]float64, len(stageNames))
	for i := range stageNames {
		v := make([]time.Duration, len(t.stages))
		for j, s := range t.stages {
			v[j] = s.values()[i]
		}
		sort.Slice(v, func(a, b int) bool { return v[a] < v[b] })
		p99[i] = float64(v[len(v)*99/100].Microseconds()) / 1000
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "stages (ms) of %d turns (%d untraced):\n%-12s", len(t.stages), t.bad, "")
	for _, n := range stageNames {
		fmt.Fprintf(&sb, "%8s", n)
	}
	for _, row := range []struct {
		name string
		v    []float64
	}{{"mean all", mean(t.stages)}, {"p99 each", p99}, {"mean slow1%", mean(slow)}} {
		fmt.Fprintf(&sb, "\n%-12s", row.name)
		for _, v := range row.v {
			fmt.Fprintf(&sb, "%8.2f", v)
		}
	}
	b.Log(sb.String())
}
