package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeClock is a load run's clock that moves only when told: sleeping
// jumps to the wake-up time, and the test server below spends a fixed
// service time per turn.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) SleepUntil(_ context.Context, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// An open-loop run sends each turn at its scheduled time or once the
// previous reply is in, and counts latency from the scheduled time: a
// server slower than the offered rate is charged for the turns waiting
// behind it, where a closed loop would only see its service time.
func TestLoadRunLatency(t *testing.T) {
	const service = 5 * time.Millisecond
	clock := &fakeClock{t: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		clock.advance(service)
		io.WriteString(w, `{"conversation_id":"c1","conversation_token":"t1","status":"answered"}`)
	}))
	defer srv.Close()
	for _, c := range []struct {
		name          string
		rate          float64
		p50, p99, max float64 // ms
		elapsed       time.Duration
	}{
		// Each turn alone: 5 ms.
		{"closed", 0, 5, 5, 5, 6 * service},
		// One turn every 10 ms, served in 5: no wait.
		{"open under capacity", 100, 5, 5, 5, 50*time.Millisecond + service},
		// One turn every 2.5 ms, served in 5: turn k, due at 2.5k ms,
		// is answered at 5(k+1) ms.
		{"open over capacity", 400, 12.5, 17.5, 17.5, 6 * service},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := clock.Now()
			res, err := loadRun(context.Background(), srv.URL+"/api/v1/chat", loadSpec{conns: 1, limit: 6, rate: c.rate, clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests != 6 || res.Errors != 0 {
				t.Fatalf("%d requests, %d errors (%s)", res.Requests, res.Errors, res.FirstError)
			}
			if res.P50ms != c.p50 || res.P99ms != c.p99 || res.Maxms != c.max {
				t.Errorf("p50 %v p99 %v max %v ms, want %v %v %v", res.P50ms, res.P99ms, res.Maxms, c.p50, c.p99, c.max)
			}
			if got := clock.Now().Sub(start); got != c.elapsed {
				t.Errorf("run took %v, want %v", got, c.elapsed)
			}
			if want := 6 / c.elapsed.Seconds(); res.Throughput != want {
				t.Errorf("throughput %v, want %v", res.Throughput, want)
			}
		})
	}
}

// The conversations of an open-loop run together offer the rate, each
// every conns/rate, staggered so that the turns arrive evenly.
func TestOpenSchedule(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		conns int
		i     int
		k     int64
		want  time.Duration
	}{
		{3000, 200, 0, 0, 0},
		{3000, 200, 0, 1, 200 * time.Second / 3000},
		{3000, 200, 1, 0, time.Second / 3000},
		{3000, 200, 199, 0, 199 * time.Second / 3000},
		{3000, 200, 7, 30, (7 + 30*200) * time.Second / 3000},
		{100, 1, 0, 5, 50 * time.Millisecond},
	} {
		got := openSchedule(c.rate, c.conns, c.i, c.k)
		if d := got - c.want; d < -time.Nanosecond || d > time.Nanosecond {
			t.Errorf("openSchedule(%v, %d, %d, %d) = %v, want %v", c.rate, c.conns, c.i, c.k, got, c.want)
		}
	}
}
