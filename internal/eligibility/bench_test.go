package eligibility

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// BenchmarkRematchProfile is the stored path of one changed profile: read
// it from the registry, match it against the live policies (the demo's,
// with 10,000 generated residents behind them), replace its rows in one
// transaction. The matching alone is BenchmarkRematchOne in policy.
func BenchmarkRematchProfile(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d, sets...)
			e := setupBench(b, db, 10000)
			if err := e.svc.MatchAll(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := e.svc.RematchProfiles(ctx, fmt.Sprintf("P-%05d", 1+i%10000)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMatchAll matches 10,000 residents and 2,000 enterprises
// against the demo policies and stores the results (what a replica does
// when the day turns).
func BenchmarkMatchAll(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d, sets...)
			e := setupBench(b, db, 10000)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := e.svc.MatchAll(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func setupBench(b *testing.B, db *store.DB, persons int) *env {
	b.Helper()
	e := setupDemo(b, db)
	ctx := context.Background()
	day := policy.Today(e.clk.Now(), nil)
	var pb, eb bytes.Buffer
	if err := registry.GeneratePersons(&pb, 1, persons, day); err != nil {
		b.Fatal(err)
	}
	if err := registry.GenerateEnterprises(&eb, 1, persons/5, day); err != nil {
		b.Fatal(err)
	}
	for _, r := range []struct {
		kind policy.Target
		buf  *bytes.Buffer
	}{{policy.Person, &pb}, {policy.Enterprise, &eb}} {
		if _, err := e.reg.Import(ctx, r.buf, "jsonl", "bench", 0, registry.ImportOptions{Kind: r.kind, BatchSize: 1000}); err != nil {
			b.Fatal(err)
		}
	}
	return e
}
