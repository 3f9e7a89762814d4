package library

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// BenchmarkImportLaws imports the whole law folder (25 files, 1,828
// articles) into a fresh SQLite library: reading, parsing, storing and
// indexing.
//
//	go test -run '^$' -bench ImportLaws -benchtime 5x ./internal/library
func BenchmarkImportLaws(b *testing.B) {
	zh.MustDefault() // the dictionary loads once per process, not per import
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx, Migrations); err != nil {
			b.Fatal(err)
		}
		l, err := Open(ctx, db, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := l.ImportFS(ctx, os.DirFS(lawsDir()), ".", "laws", "bench"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkAsk answers the development questions without a model and
// reports the median and 99th-percentile time of one answer.
//
//	go test -run '^$' -bench Ask -benchtime 2000x ./internal/library
func BenchmarkAsk(b *testing.B) {
	l := sharedLaws(b)
	cases := readCasesFile(b, "testdata/dev.jsonl")
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		start := time.Now()
		if _, err := l.AskCase(ctx, c); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
