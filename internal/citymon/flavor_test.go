package citymon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// On an opengauss:// URL the readings table is the plain one of
// 002_readings.opengauss.sql (openGauss takes no PARTITION OF) and
// ingestion and pruning work without partitions. Run on this machine's
// PostgreSQL, which speaks the same protocol: what it proves is that the
// openGauss path is taken and consistent, not that openGauss accepts it.
func TestReadingsOnOpenGaussPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := storetest.URL(t, store.Postgres)
	db, err := store.Open(ctx, "opengauss://"+strings.SplitN(u, "://", 2)[1])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Flavor != store.OpenGauss || db.Dialect != store.Postgres {
		t.Fatalf("flavor %q dialect %q", db.Flavor, db.Dialect)
	}
	if err := db.Migrate(ctx, testSets...); err != nil {
		t.Fatal(err)
	}
	var parts int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'citymon_readings' AND n.nspname = current_schema()`).Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts != 0 {
		t.Fatal("readings are partitioned on the openGauss path")
	}
	c := &clock{t: t0}
	s := NewStore(db, c.Now)
	mustDevice(t, s, airStation("A1", "福田街道"))
	old := t0.AddDate(0, 0, -80)
	if res := mustIngest(t, s, Reading{Device: "A1", Param: "PM10", Time: old, Value: 50}, Reading{Device: "A1", Param: "PM10", Time: t0.Add(-time.Hour), Value: 60}); res.Stored != 2 {
		t.Fatalf("ingest %+v", res)
	}
	c.Set(t0.AddDate(0, 0, 20))
	if n, err := s.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("prune %d %v", n, err)
	}
	raw, err := s.Raw(ctx, "A1", "PM10", old.Add(-time.Hour), t0)
	if err != nil || len(raw) != 1 {
		t.Fatalf("raw left %d %v", len(raw), err)
	}
}
