package video

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Measurements with pion peers on loopback (docs/video.md has the
// figures and the commands).

// call runs one call from the resident's request to media flowing both
// ways and returns the peers and the set-up time.
func call(tb testing.TB, rg *rig, gap time.Duration, payload int) (*peer, *peer, time.Duration) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	sess, tok, err := rg.svc.Request(ctx, NewRequest{ItemID: "FT-001", ItemName: "居民身份证换领"})
	if err != nil {
		tb.Fatal(err)
	}
	res := dialPeer(tb, rg.url, "/r/"+sess.ID+"?token="+tok, ResidentSide)
	res.sendGap, res.payload = gap, payload
	res.await("hello", 10*time.Second)
	if _, err := rg.svc.Accept(ctx, sess.ID, rigClerk); err != nil {
		tb.Fatal(err)
	}
	res.await("accepted", 10*time.Second)
	res.send(Message{Type: "consent"})
	clerk := dialPeer(tb, rg.url, "/c/"+sess.ID, ClerkSide)
	clerk.sendGap, clerk.payload = gap, payload
	deadline := time.Now().Add(30 * time.Second)
	for {
		res.mu.Lock()
		a := res.firstAt
		res.mu.Unlock()
		clerk.mu.Lock()
		b := clerk.firstAt
		clerk.mu.Unlock()
		if !a.IsZero() && !b.IsZero() {
			last := a
			if b.After(a) {
				last = b
			}
			return res, clerk, last.Sub(start)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no media both ways within 30s (resident %s, clerk %s)", res.state(), clerk.state())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return s[i]
}

// BenchmarkCallSetup is request → media flowing both ways, one call at a
// time, directly between the peers (host) and forced through the
// embedded TURN server (relay). Run with -benchtime=50x for p99.
func BenchmarkCallSetup(b *testing.B) {
	for _, relay := range []bool{false, true} {
		name := "host"
		if relay {
			name = "relay"
		}
		b.Run(name, func(b *testing.B) {
			rg := newRig(b, relay)
			var ds []time.Duration
			b.ResetTimer()
			for range b.N {
				res, clerk, d := call(b, rg, 20*time.Millisecond, 1000)
				ds = append(ds, d)
				b.StopTimer()
				res.close()
				clerk.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(ds, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkTURNRelay runs n calls at once through the embedded TURN
// server, each side sending a video-sized stream (1200-byte packets, 100
// a second: about 1 Mbit/s each way), for 5 seconds once all are up, and
// reports the packets lost, what the relay carried and the process's CPU.
// Quality drops when loss climbs past a percent or two.
func BenchmarkTURNRelay(b *testing.B) {
	for _, n := range []int{1, 5, 10, 20, 40} {
		b.Run(fmt.Sprintf("calls=%d", n), func(b *testing.B) {
			for range b.N {
				rg := newRig(b, true)
				peers := make([]*peer, 0, 2*n)
				var mu sync.Mutex
				var wg sync.WaitGroup
				for range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						res, clerk, _ := call(b, rg, 10*time.Millisecond, 1200)
						mu.Lock()
						peers = append(peers, res, clerk)
						mu.Unlock()
					}()
				}
				wg.Wait()
				// Count from here: settle, then reset the counters.
				time.Sleep(time.Second)
				for _, p := range peers {
					p.mu.Lock()
					clear(p.received)
					clear(p.maxSeq)
					p.mu.Unlock()
				}
				// Loss is measured on sequence numbers seen from now on:
				// the first packet of each stream sets the base.
				base := map[*peer]map[uint32]uint16{}
				cpu0 := cpuTime()
				time.Sleep(200 * time.Millisecond)
				for _, p := range peers {
					p.mu.Lock()
					base[p] = map[uint32]uint16{}
					for ssrc, s := range p.maxSeq {
						base[p][ssrc] = s
					}
					clear(p.received)
					p.mu.Unlock()
				}
				const window = 5 * time.Second
				t0 := time.Now()
				time.Sleep(window)
				elapsed := time.Since(t0)
				cpu := cpuTime() - cpu0
				expected, got := 0, 0
				for _, p := range peers {
					p.mu.Lock()
					for ssrc, s := range p.maxSeq {
						expected += int(s - base[p][ssrc])
						got += p.received[ssrc]
					}
					p.mu.Unlock()
				}
				for _, p := range peers {
					p.close()
				}
				loss := 0.0
				if expected > 0 {
					loss = 100 * (1 - float64(got)/float64(expected))
				}
				b.ReportMetric(loss, "loss-%")
				b.ReportMetric(float64(got)*1200*8/elapsed.Seconds()/1e6, "relayed-Mbit/s")
				b.ReportMetric(float64(cpu.Milliseconds())/elapsed.Seconds()/10, "cpu-%")
			}
		})
	}
}

// cpuTime is the process's user and system time so far (peers, TURN and
// signalling all share the process).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
