package greening

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// BenchmarkGenerate20k is a week's plan for the district's 20 000 demo
// trees with every live adjustment in force: a typhoon warning, drought,
// and pest reports.
//
//	go test ./internal/greening -run '^$' -bench Generate -benchtime 5x
func BenchmarkGenerate20k(b *testing.B) {
	k := starter(b)
	d := GenerateDemo(demoSeed, DemoTrees, DemoSpaces)
	now := time.Date(2026, 7, 15, 9, 0, 0, 0, Zone)
	c := Conditions{At: now, Typhoon: 3, TyphoonSource: "bench", DailyRain: make([]float64, 15), Rain48h: map[string]float64{"": 0}}
	for i := 0; i < 30; i++ {
		t := d.Trees[i*600]
		c.Pests = append(c.Pests, PestReport{Species: t.Species, Lon: t.Lon, Lat: t.Lat, At: now.Add(-time.Hour)})
	}
	b.ResetTimer()
	var tasks int
	for range b.N {
		p := Generate(PlanInput{Trees: d.Trees, Knowledge: k, Conditions: c, Period: Week(now), Now: now})
		tasks = len(p.Tasks)
	}
	b.ReportMetric(float64(tasks), "tasks")
}

// BenchmarkImport imports 20 000 trees from CSV (SQLite, and PostgreSQL
// with -bench Import/postgres).
//
//	go test ./internal/greening -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	d := GenerateDemo(demoSeed, DemoTrees, 0)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "species", "dbh_cm", "height_m", "crown_m", "lean_deg", "lon", "lat", "street", "road", "health", "decay", "target"})
	for _, t := range d.Trees {
		_ = w.Write([]string{t.ID, t.Species, fmt.Sprint(t.DBH), fmt.Sprint(t.Height), fmt.Sprint(t.Crown), fmt.Sprint(t.Lean),
			fmt.Sprint(t.Lon), fmt.Sprint(t.Lat), t.Street, t.Road, t.Health, fmt.Sprint(t.Decay), t.Target})
	}
	w.Flush()
	for _, dia := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(dia), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := storetest.Open(b, dia, Migrations)
				s := NewStore(db, fixedClock)
				b.StartTimer()
				rep, err := s.ImportTrees(context.Background(), "t.csv", bytes.NewReader(buf.Bytes()), "bench", nil)
				if err != nil || rep.Saved != DemoTrees {
					b.Fatalf("%v %+v", err, rep.Problems)
				}
			}
			b.ReportMetric(float64(DemoTrees*b.N)/b.Elapsed().Seconds(), "trees/s")
		})
	}
}

// BenchmarkPlanNow is the week's plan as the console makes it: the 20 000
// demo trees and the knowledge read from the store, the live conditions
// read from the sensor store (a rain gauge's 30 days, a typhoon warning
// posted to the weather feed), then generated.
//
//	go test ./internal/greening -run '^$' -bench PlanNow -benchtime 5x
func BenchmarkPlanNow(b *testing.B) {
	for _, dia := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(dia), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, dia, citymon.Migrations, Migrations)
			s := NewStore(db, fixedClock)
			if _, err := s.LoadDemo(ctx, testNow); err != nil {
				b.Fatal(err)
			}
			city := citymon.NewStore(db, fixedClock)
			for _, d := range []citymon.Device{
				{ID: "RG", Kind: citymon.RainGauge, Name: "雨量站", Street: "福田街道", Lon: 114.07, Lat: 22.53, Params: []citymon.ParamUnit{{Param: "rain"}}, Interval: time.Hour, Active: true},
				{ID: "WX", Kind: citymon.Weather, Name: "气象站", Street: "莲花街道", Lon: 114.05, Lat: 22.55, Params: []citymon.ParamUnit{{Param: TyphoonParam}}, Interval: time.Hour, Active: true},
			} {
				if _, err := city.SaveDevice(ctx, d, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			rs := []citymon.Reading{{Device: "WX", Param: TyphoonParam, Time: testNow.Add(-10 * time.Minute), Value: 3}}
			for h := 1; h <= 30*24; h++ {
				rs = append(rs, citymon.Reading{Device: "RG", Param: "rain", Time: testNow.Add(-time.Duration(h) * time.Hour), Value: float64(h%7) / 10})
			}
			if _, err := city.Ingest(ctx, citymon.Batch{Source: "bench", Readings: rs}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var tasks int
			for range b.N {
				p, err := s.PlanNow(ctx, city, "week", "", testNow)
				if err != nil {
					b.Fatal(err)
				}
				tasks = len(p.Tasks)
			}
			b.ReportMetric(float64(tasks), "tasks")
		})
	}
}

// BenchmarkLoadDemo loads the synthetic demo into an empty store: 20 000
// trees, 300 green spaces, the streets, twelve months of surveys and six
// months of work orders (what `fuwu serve --demo` does on first start).
//
//	go test ./internal/greening -run '^$' -bench LoadDemo -benchtime 1x
func BenchmarkLoadDemo(b *testing.B) {
	for _, dia := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(dia), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := NewStore(storetest.Open(b, dia, Migrations), fixedClock)
				b.StartTimer()
				if did, err := s.LoadDemo(context.Background(), testNow); err != nil || !did {
					b.Fatalf("loaded %v: %v", did, err)
				}
			}
		})
	}
}
