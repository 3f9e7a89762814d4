package citymon

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// gatewayMessages are n readings of the benchmark network as messages of
// per readings (a data logger's batch), one device per message.
func gatewayMessages(devs []Device, n, per int) [][]Reading {
	params := []string{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}
	var msgs [][]Reading
	ts := t0.Add(-80 * 24 * time.Hour)
	count := 0
	for count < n {
		for _, d := range devs {
			var rs []Reading
			for len(rs) < per && count < n {
				for _, p := range params {
					rs = append(rs, Reading{Device: d.ID, Param: p, Time: ts, Value: 42})
					count++
				}
				ts = ts.Add(time.Second)
			}
			msgs = append(msgs, rs)
			if count >= n {
				break
			}
		}
	}
	return msgs
}

// BenchmarkIngestMQTT is sustained ingest over MQTT: a broker of the
// benchmark's own (Mosquitto, default in-flight window of 20), messages of
// 120 readings published at QoS 1, the subscriber's pipeline storing them.
// readings/s is from the first publish to the last reading committed.
func BenchmarkIngestMQTT(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		devs := benchNetwork(b, s, 100)
		br := startBroker(b)
		p := NewPipeline(s)
		runPipeline(b, p)
		sub, err := Subscribe(ctx, MQTTConfig{URL: br.url(), ClientID: uniq("bench-sub-")}, p)
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Close()
		pub, err := NewPublisher(ctx, MQTTConfig{URL: br.url(), ClientID: uniq("bench-pub-")}, "")
		if err != nil {
			b.Fatal(err)
		}
		defer pub.Close()
		n := 50000 * b.N
		msgs := gatewayMessages(devs, n, 120)
		b.ResetTimer()
		// Publish with up to 200 unacknowledged messages in flight.
		window := make(chan func(context.Context) bool, 200)
		go func() {
			for i, m := range msgs {
				window <- pub.PublishAsync(ctx, m[0].Device, m)
				_ = i
			}
			close(window)
		}()
		for wait := range window {
			if !wait(ctx) {
				b.Fatal("a publish was not acknowledged")
			}
		}
		waitFor(b, "all stored", func() bool { return p.Stats().Stored >= int64(n) })
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "readings/s")
	})
}

// BenchmarkIngestHTTP is sustained ingest through the HTTP batch API's
// core (token check, parsing, pipeline, commit): 8 devices posting
// batches of 500 readings concurrently, each waiting for its answer.
func BenchmarkIngestHTTP(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		devs := benchNetwork(b, s, 8)
		p := NewPipeline(s)
		runPipeline(b, p)
		tokens := make([]string, len(devs))
		for i, dv := range devs {
			tok, err := s.IssueToken(ctx, dv.ID)
			if err != nil {
				b.Fatal(err)
			}
			tokens[i] = tok
		}
		const per = 500
		perDev := (40000*b.N + len(devs)*per - 1) / (len(devs) * per) // requests per device
		bodies := make([][][]byte, len(devs))
		for i, dv := range devs {
			msgs := gatewayMessages([]Device{dv}, perDev*per, per)
			for _, m := range msgs {
				bodies[i] = append(bodies[i], EncodeReadings(dv.ID, m))
			}
		}
		b.ResetTimer()
		var wg sync.WaitGroup
		var stored atomic.Int64
		for i := range devs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, body := range bodies[i] {
					res, err := p.IngestHTTP(ctx, tokens[i], body)
					if err != nil {
						b.Error(err)
						return
					}
					stored.Add(int64(res.Stored))
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(stored.Load())/b.Elapsed().Seconds(), "readings/s")
	})
}

// BenchmarkMQTTLatency is publish → stored (committed, so visible to the
// dashboard's queries) for single readings published 200 a second over
// the machine's Mosquitto; p50 and p99 in milliseconds.
func BenchmarkMQTTLatency(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		benchNetwork(b, s, 1)
		p := NewPipeline(s)
		var mu sync.Mutex
		sentAt := map[int64]time.Time{}
		var lat []time.Duration
		p.AfterStore = func(bt Batch, _ Result) {
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			for _, r := range bt.Readings {
				if t, ok := sentAt[r.Time.Unix()]; ok {
					lat = append(lat, now.Sub(t))
					delete(sentAt, r.Time.Unix())
				}
			}
		}
		runPipeline(b, p)
		prefix := uniq("fuwubench/") + "/"
		sub, err := Subscribe(ctx, MQTTConfig{URL: systemBroker(), ClientID: uniq("bench-lat-"), Topic: prefix + "#"}, p)
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Close()
		pub, err := NewPublisher(ctx, MQTTConfig{URL: systemBroker(), ClientID: uniq("bench-latpub-")}, prefix)
		if err != nil {
			b.Fatal(err)
		}
		defer pub.Close()
		n := 1000 * b.N
		b.ResetTimer()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := range n {
			<-tick.C
			at := t0.Add(-time.Duration(n-i) * time.Second)
			mu.Lock()
			sentAt[at.Unix()] = time.Now()
			mu.Unlock()
			pub.PublishAsync(ctx, "B0000", []Reading{{Param: "PM2.5", Time: at, Value: 30}})
		}
		waitFor(b, "all stored", func() bool { mu.Lock(); defer mu.Unlock(); return len(lat) >= n })
		b.StopTimer()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	})
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkDashboard times the dashboard's queries over 504 sensors (84
// air stations × 6 pollutants) with 90 days of hourly data each (1.09
// million readings), p50 and p99 per query in milliseconds.
func BenchmarkDashboard(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		s.Retention = 100 * 24 * time.Hour
		devs := benchNetwork(b, s, 84)
		params := []string{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}
		start := t0.Add(-90 * 24 * time.Hour).Truncate(time.Hour)
		var batch []Reading
		for h := start; h.Before(t0); h = h.Add(time.Hour) {
			for i, dv := range devs {
				for j, p := range params {
					v := 20 + float64((i*7+j*13+h.Hour()*3)%60)
					if p == "CO" {
						v /= 40
					}
					batch = append(batch, Reading{Device: dv.ID, Param: p, Time: h.Add(5 * time.Minute), Value: v})
				}
			}
			if len(batch) >= 20000 {
				if _, err := s.Ingest(ctx, Batch{Source: "bench", Readings: batch}); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		if _, err := s.Ingest(ctx, Batch{Source: "bench", Readings: batch}); err != nil {
			b.Fatal(err)
		}
		for {
			n, err := s.Settle(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		al := NewAlerts(s, nil)
		queries := []struct {
			name string
			run  func() error
		}{
			{"summary", func() error { _, err := s.Summary(ctx, al, t0); return err }},
			{"stations", func() error { _, err := s.Stations(ctx, t0); return err }},
			{"trend-district-aqi-24h", func() error { _, err := s.Trend(ctx, "", "AQI", t0.Add(-24*time.Hour), t0); return err }},
			{"trend-sensor-30d", func() error { _, err := s.Trend(ctx, "B0042", "PM2.5", t0.Add(-30*24*time.Hour), t0); return err }},
			{"daily-aqi-station-90d", func() error {
				_, err := s.DailyAQI(ctx, "B0042", t0.AddDate(0, 0, -89).Format(time.DateOnly), t0.Format(time.DateOnly))
				return err
			}},
			{"alarms", func() error { _, err := s.ActiveAlarms(ctx, al); return err }},
		}
		for _, q := range queries { // warm the caches (series ids, devices)
			if err := q.run(); err != nil {
				b.Fatal(q.name, err)
			}
		}
		b.ResetTimer()
		for _, q := range queries {
			var lat []time.Duration
			for range 50 * b.N {
				t := time.Now()
				if err := q.run(); err != nil {
					b.Fatal(q.name, err)
				}
				lat = append(lat, time.Since(t))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(ms(lat[len(lat)/2]), q.name+"-p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), q.name+"-p99-ms")
		}
	})
}

// quiet silences the log for a benchmark, whose result line it would
// otherwise split.
func quiet(b *testing.B) {
	b.Helper()
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(func() { slog.SetDefault(old) })
}

// eachBench runs fn on SQLite and PostgreSQL with a fresh store whose
// clock reads t0, the log silenced.
func eachBench(b *testing.B, fn func(b *testing.B, s *Store)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			quiet(b)
			fn(b, NewStore(storetest.Open(b, d, testSets...), func() time.Time { return t0 }))
		})
	}
}
