package greening

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"
	"time"

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
