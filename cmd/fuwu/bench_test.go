package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/web"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// BenchmarkTurn is the load of `fuwu bench`: 200 conversations at once
// playing the everyday dialogues against the whole server (HTTP, web,
// assistant, store), load generator in the same process, on SQLite and
// PostgreSQL, with each turn committing alone (commit=turn, the path
// before group commit, serve --per-turn-commit) and with group commit;
// each in a closed loop (rate=0: a conversation sends its next turn as
// soon as the reply is in, so the server runs saturated and the latency
// is the queue's, 200 ÷ throughput on average) and in an open loop
// (rate=3000: the conversations together offer 3,000 turns/s, a turn's
// latency counted from its scheduled time; see loadSpec.rate).
// One op is one answered turn; turns/s, p50-ms, p99-ms and max-ms are
// the run's. Run it with a fixed count, e.g. -benchtime 20000x -count 5,
// and compare with benchstat.
func BenchmarkTurn(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		for _, commit := range []string{"turn", "group"} {
			for _, rate := range []float64{0, benchOpenRate()} {
				b.Run(fmt.Sprintf("db=%s/commit=%s/rate=%g", d, commit, rate), func(b *testing.B) {
					benchTurn(b, d, commit == "turn", rate)
				})
			}
		}
	}
}

// benchOpenRate is the open loop's rate: 3,000 turns/s, or
// FUWU_BENCH_RATE (on a machine shared with other work, a lower rate
// leaves the server the headroom an idle machine would).
func benchOpenRate() float64 {
	if r, err := strconv.ParseFloat(os.Getenv("FUWU_BENCH_RATE"), 64); err == nil && r > 0 {
		return r
	}
	return 3000
}

func benchTurn(b *testing.B, d store.Dialect, perTurn bool, rate float64) {
	ctx := context.Background()
	// Turns cut off when the run ends log "client went away".
	defer func(l *slog.Logger) { slog.SetDefault(l) }(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler))
	// The collector as serve sets it, restored afterwards.
	pct := debug.SetGCPercent(100)
	debug.SetGCPercent(pct)
	lim := debug.SetMemoryLimit(-1) // -1 reads it
	defer func() { debug.SetGCPercent(pct); debug.SetMemoryLimit(lim) }()
	tuneGC(env)
	sf := storeFlags{data: b.TempDir(), perTurnCommit: perTurn}
	if d == store.Postgres {
		// Named, so that the server's processes serving this run can be
		// found (pgServerCPU).
		sf.db = storetest.URL(b, d) + "&application_name=" + benchAppName
	}
	a, err := openApp(ctx, sf, llm.Config{}, true)
	if err != nil {
		b.Fatal(err)
	}
	defer a.close()
	h, err := buildServer(ctx, a, web.Config{ChatRate: -1})
	if err != nil {
		b.Fatal(err)
	}
	var tracer *turnTracer
	var handler http.Handler = h
	if os.Getenv("FUWU_BENCH_TRACE") != "" {
		tracer = &turnTracer{}
		handler = traceHandler(h)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	const conns = 200
	// A short first run opens the connections and warms the caches.
	if _, err := loadRun(ctx, srv.URL+"/api/v1/chat", loadSpec{conns: conns, limit: conns}); err != nil {
		b.Fatal(err)
	}
	an, err := zh.Default()
	if err != nil {
		b.Fatal(err)
	}
	calls0, hits0 := an.MemoStats()
	cpu0 := cpuTime(b)
	times0 := a.db.GroupTimes()
	pool0 := a.db.DB.Stats()
	pgcpu0 := pgServerCPU(ctx, a.db, d)
	// Allocations per turn, the load generator's included: less
	// sensitive to a shared machine than the latencies.
	b.ReportAllocs()
	b.ResetTimer()
	spec := loadSpec{conns: conns, limit: int64(b.N), rate: rate}
	if tracer != nil {
		spec.trace = tracer.add
	}
	res, err := loadRun(ctx, srv.URL+"/api/v1/chat", spec)
	b.StopTimer()
	if tracer != nil {
		tracer.report(b)
	}
	cpu := cpuTime(b) - cpu0
	pgcpu := pgServerCPU(ctx, a.db, d)
	pool := a.db.DB.Stats()
	calls, hits := an.MemoStats()
	if err != nil {
		b.Fatal(err)
	}
	if res.Errors > 0 {
		b.Fatalf("%d errors, first: %s", res.Errors, res.FirstError)
	}
	b.ReportMetric(res.Throughput, "turns/s")
	b.ReportMetric(res.P50ms, "p50-ms")
	b.ReportMetric(res.P99ms, "p99-ms")
	b.ReportMetric(res.Maxms, "max-ms")
	// The process's CPU per turn (server and load generator; PostgreSQL's
	// own work is in its server's processes): on a shared machine the
	// figure that does not depend on what else runs.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(res.Requests), "cpu-ms/turn")
	// PostgreSQL's share of the same two cores, when its server runs on
	// this machine.
	if pgcpu0 != nil && pgcpu != nil {
		var used time.Duration
		for pid, t := range pgcpu {
			used += t - pgcpu0[pid] // a process started meanwhile: all of it
		}
		b.ReportMetric(float64(used.Microseconds())/1000/float64(res.Requests), "pg-cpu-ms/turn")
	}
	// The share of segmenter cuts the analyser's memo answered: the
	// load cycles a few dialogues, so part of it is repeats across turns
	// that varied traffic would not have.
	if calls > calls0 {
		b.ReportMetric(100*float64(hits-hits0)/float64(calls-calls0), "memo-hit-%")
	}
	// The time turns waited for a connection of the pool (on PostgreSQL
	// mostly to read their states), per turn.
	b.ReportMetric(float64((pool.WaitDuration-pool0.WaitDuration).Microseconds())/1000/float64(res.Requests), "pool-wait-ms/turn")
	if s := a.db.GroupStats(); s.Batches > 0 {
		b.ReportMetric(float64(s.Units)/float64(s.Batches), "turns/commit")
		// Of a turn's latency, the time its writes waited for a committer
		// and the time their commit took (see store.GroupTimes).
		t := a.db.GroupTimes().Sub(times0)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(t.Wait.Quantile(0.99)), "wait-p99-ms")
		b.ReportMetric(ms(t.Commit.Quantile(0.5)), "commit-p50-ms")
		b.ReportMetric(ms(t.Commit.Quantile(0.99)), "commit-p99-ms")
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchAppName is the application_name of BenchmarkTurn's connections.
const benchAppName = "fuwu-bench"

// pgServerCPU is the CPU time (user and system) each PostgreSQL server
// process serving a connection of db's pool has used, by process id, or
// nil when that cannot be known (SQLite, a server on another machine, no
// /proc). The pool keeps its connections open during a run; the CPU of a
// process that ended meanwhile is not counted.
func pgServerCPU(ctx context.Context, db *store.DB, d store.Dialect) map[int]time.Duration {
	if d != store.Postgres {
		return nil
	}
	rows, err := db.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()`, benchAppName)
	if err != nil {
		return nil
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil
		}
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil // not on this machine
		}
		// The fields after the command's closing parenthesis; utime and
		// stime are the 14th and 15th of the line, in clock ticks (100 a
		// second on Linux).
		f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		if len(f) < 13 {
			return nil
		}
		utime, err1 := strconv.ParseInt(f[11], 10, 64)
		stime, err2 := strconv.ParseInt(f[12], 10, 64)
		if err1 != nil || err2 != nil {
			return nil
		}
		out[pid] = time.Duration(utime+stime) * 10 * time.Millisecond
	}
	if rows.Err() != nil {
		return nil
	}
	return out
}
