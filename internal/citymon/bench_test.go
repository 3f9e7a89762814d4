package citymon

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchNetwork registers n air stations for benchmarks.
func benchNetwork(b *testing.B, s *Store, n int) []Device {
	var out []Device
	for i := range n {
		out = append(out, mustDevice(b, s, airStation(fmt.Sprintf("B%04d", i), "福田街道")))
	}
	return out
}

// BenchmarkIngest is sustained ingest through the store's batch path:
// batches of 5 000 readings from 500 stations × 6 parameters, each batch a
// later minute, the daily aggregates settled every ten batches.
// Reported as readings/s.
func BenchmarkIngest(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		devs := benchNetwork(b, s, 500)
		params := []string{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}
		const batch = 5000
		start := t0.Add(-80 * 24 * time.Hour)
		var all []Reading
		ts := start
		for len(all) < batch*b.N {
			for _, dv := range devs {
				for _, p := range params {
					all = append(all, Reading{Device: dv.ID, Param: p, Time: ts, Value: 42})
				}
			}
			ts = ts.Add(time.Minute)
		}
		b.ResetTimer()
		for i := range b.N {
			if _, err := s.Ingest(context.Background(), Batch{Source: "bench", Readings: all[i*batch : (i+1)*batch]}); err != nil {
				b.Fatal(err)
			}
			if i%10 == 9 { // the ingest loops settle the daily aggregates every few seconds
				if _, err := s.Settle(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "readings/s")
	})
}
