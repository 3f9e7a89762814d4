package registry

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// benchRows is the registry size of BenchmarkImport: FUWU_BENCH_ROWS
// (1000000 for the README's figure), 20000 by default so that
// "make bench" stays quick.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("FUWU_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// BenchmarkImport imports a generated resident registry into an empty
// store on each engine and reports rows/s. Each iteration is a fresh
// database.
func BenchmarkImport(b *testing.B) {
	n := benchRows()
	var file bytes.Buffer
	if err := GeneratePersons(&file, 7, n, policy.MustDay("2026-01-01")); err != nil {
		b.Fatal(err)
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(file.Len()))
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, d, sets...)
				s := newStore(b, db)
				b.StartTimer()
				rep, err := s.Import(context.Background(), bytes.NewReader(file.Bytes()), "jsonl", "persons.jsonl", int64(file.Len()),
					ImportOptions{Kind: policy.Person, BatchSize: 1000})
				if err != nil || rep.Created != n {
					b.Fatalf("%+v %v", rep, err)
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds()*float64(i+1)/float64(b.N), "rows/s")
			}
		})
	}
}
