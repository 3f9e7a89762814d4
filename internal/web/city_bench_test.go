package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// BenchmarkCityDashboard measures the dashboard end to end, on SQLite and
// PostgreSQL, over 504 sensors (84 air stations × 6 pollutants) with 90
// days of hourly data (1.09 million readings):
//
//   - full-ms: GET /admin/city/api/state, everything the screen draws,
//     computed afresh, p50 and p99 of 30;
//   - state-ms: the same after a change (the street and enterprise
//     rankings and the trend, at most a minute old, are kept), p50 and p99
//     of 30;
//   - cached-ms: the same answer while nothing changed (every further open
//     screen), p50 and p99 of 30;
//   - live-ms: a reading published over MQTT (the machine's Mosquitto,
//     QoS 1) → stored → the "change" event on the screen's event stream →
//     the fetched state shows it, p50 and p99 of 60 readings sent 0.7 s
//     apart (the stream sends at most one change per 0.5 s).
//
// go test -run '^$' -bench BenchmarkCityDashboard -benchtime 1x -cpu 1 ./internal/web
func BenchmarkCityDashboard(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d, cityMigrations...)
			var ops *CityOps
			e := newEnv(b, db, &fakeAssistant{}, func(c *Config) {
				st := citymon.NewStore(db, func() time.Time { return c.Now() })
				st.Retention = 100 * 24 * time.Hour
				ops = &CityOps{Store: st, Alerts: citymon.NewAlerts(st, c.Audit), Pipeline: citymon.NewPipeline(st)}
				c.City = ops
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			fillCity(b, ops.Store)
			e.clk.Add(30 * time.Minute)
			done := make(chan struct{})
			go func() { ops.Pipeline.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			if _, err := e.auth.AddUser(ctx, "duty", "", auth.Operator, "duty password"); err != nil {
				b.Fatal(err)
			}
			op := e.client()
			op.login("duty", "duty password")
			b.ResetTimer()
			for range b.N {
				var full, fresh, cached []time.Duration
				for range 30 {
					e.s.city.stateMu.Lock()
					e.s.city.state, e.s.city.slowAt = nil, time.Time{}
					e.s.city.stateMu.Unlock()
					t := time.Now()
					op.cityState()
					full = append(full, time.Since(t))
					e.s.city.stateMu.Lock()
					e.s.city.state = nil
					e.s.city.stateMu.Unlock()
					t = time.Now()
					op.cityState()
					fresh = append(fresh, time.Since(t))
					t = time.Now()
					op.cityState()
					cached = append(cached, time.Since(t))
				}
				report(b, "full", full)
				now := e.clk.Now()
				st, _ := ops.Store.Stations(ctx, now)
				month := now.In(citymon.Zone).Format("2006-01")
				hour := now.Truncate(time.Hour)
				for _, part := range []struct {
					name string
					run  func() error
				}{
					{"stations", func() error { _, err := ops.Store.Stations(ctx, now); return err }},
					{"water", func() error { _, err := ops.Store.WaterOverview(ctx, month); return err }},
					{"summary", func() error { _, err := ops.Store.SummaryOf(ctx, ops.Alerts, now, st, nil); return err }},
					{"rankings", func() error { _, err := ops.Store.RankingsOf(ctx, now, st); return err }},
					{"trend", func() error {
						_, err := ops.Store.Trend(ctx, "", "AQI", hour.Add(-23*time.Hour), hour.Add(time.Hour))
						return err
					}},
					{"dust", func() error { _, err := ops.Store.DustAt(ctx, hour.Add(-time.Hour), citymon.DefaultDust); return err }},
				} {
					var ds []time.Duration
					for range 10 {
						t := time.Now()
						if err := part.run(); err != nil {
							b.Fatal(err)
						}
						ds = append(ds, time.Since(t))
					}
					sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
					b.ReportMetric(ms(ds[len(ds)/2]), part.name+"-p50-ms")
				}
				report(b, "state", fresh)
				report(b, "cached", cached)
				report(b, "live", cityLive(b, e, op, ops))
			}
		})
	}
}

func report(b *testing.B, name string, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(ms(ds[len(ds)/2]), name+"-p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), name+"-p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fillCity installs 84 air stations with 90 days of hourly readings
// ending at testNow, and settles the daily aggregates.
func fillCity(b *testing.B, s *citymon.Store) {
	ctx := context.Background()
	params := []string{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}
	var devs []string
	for i := range 84 {
		d := citymon.Device{ID: fmt.Sprintf("B%04d", i), Kind: citymon.AirStation, Name: fmt.Sprintf("站点%02d", i), Street: futianMap.Streets[i%10].Name,
			Lon: 114.005 + float64(i%12)*0.0085, Lat: 22.51 + float64(i/12)*0.0105, Interval: time.Hour, Active: true}
		for _, p := range params {
			d.Params = append(d.Params, citymon.ParamUnit{Param: p})
		}
		if _, err := s.SaveDevice(ctx, d, "bench"); err != nil {
			b.Fatal(err)
		}
		devs = append(devs, d.ID)
	}
	start := testNow.Add(-90 * 24 * time.Hour).Truncate(time.Hour)
	var batch []citymon.Reading
	flush := func() {
		if _, err := s.Ingest(ctx, citymon.Batch{Source: "bench", Readings: batch}); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for h := start; h.Before(testNow); h = h.Add(time.Hour) {
		for i, dv := range devs {
			for j, p := range params {
				v := 20 + float64((i*7+j*13+h.Hour()*3)%60)
				if p == "CO" {
					v /= 40
				}
				batch = append(batch, citymon.Reading{Device: dv, Param: p, Time: h.Add(5 * time.Minute), Value: v})
			}
		}
		if len(batch) >= 20000 {
			flush()
		}
	}
	flush()
	for {
		n, err := s.Settle(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
}

// cityLive publishes readings of B0000's PM2.5 over MQTT, one at a time,
// and times each until the screen's state shows the station's new hourly
// mean, woken by the event stream as the page is.
func cityLive(b *testing.B, e *env, op *client, ops *CityOps) []time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	broker := os.Getenv("FUWU_TEST_MQTT")
	if broker == "" {
		broker = "mqtt://127.0.0.1:1883"
	}
	prefix := fmt.Sprintf("fuwubench%d/", time.Now().UnixNano())
	sub, err := citymon.Subscribe(ctx, citymon.MQTTConfig{URL: broker, ClientID: "sub-" + prefix[:len(prefix)-1], Topic: prefix + "#"}, ops.Pipeline)
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()
	pub, err := citymon.NewPublisher(ctx, citymon.MQTTConfig{URL: broker, ClientID: "pub-" + prefix[:len(prefix)-1]}, prefix)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/admin/city/events", nil)
	res, err := op.c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	events := make(chan struct{}, 64)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: change") {
				events <- struct{}{}
			}
		}
	}()
	pm := func() float64 {
		for _, s := range op.cityState().Stations {
			if s.ID == "B0000" {
				return s.AQI.Conc["PM2.5"]
			}
		}
		return -1
	}
	prev := pm()
	var lat []time.Duration
	for i := range 60 {
		time.Sleep(700 * time.Millisecond)
		for len(events) > 0 {
			<-events
		}
		at := testNow.Add(time.Duration(i+1) * 10 * time.Second)
		t := time.Now()
		if err := pub.Publish(ctx, "B0000", []citymon.Reading{{Param: "PM2.5", Time: at, Value: 1000 + float64(i)}}); err != nil {
			b.Fatal(err)
		}
		for {
			select {
			case <-events:
			case <-time.After(30 * time.Second):
				b.Fatalf("reading %d not visible after 30 s", i)
			}
			if v := pm(); v != prev {
				prev = v
				break
			}
		}
		lat = append(lat, time.Since(t))
	}
	return lat
}
