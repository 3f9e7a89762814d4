package citymon

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// t0 is the tests' "now": 2026-03-10 12:00 Beijing time.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, Zone)

var testSets = []store.Migrations{audit.Migrations, Migrations}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// each runs fn on SQLite and PostgreSQL with a store whose clock reads t0.
func each(t *testing.T, fn func(t *testing.T, s *Store, c *clock)) {
	storetest.Each(t, testSets, func(t *testing.T, db *store.DB) {
		c := &clock{t: t0}
		fn(t, NewStore(db, c.Now), c)
	})
}

func mustDevice(t testing.TB, s *Store, d Device) Device {
	t.Helper()
	d.Active = true
	got, err := s.SaveDevice(context.Background(), d, "test")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func airStation(id, street string) Device {
	return Device{ID: id, Kind: AirStation, Name: "站点" + id, Street: street, Lon: 114.05, Lat: 22.53, Interval: time.Hour,
		Params: []ParamUnit{{"PM2.5", ""}, {"PM10", ""}, {"SO2", ""}, {"NO2", ""}, {"CO", ""}, {"O3", ""}}}
}

func mustIngest(t testing.TB, s *Store, rs ...Reading) Result {
	t.Helper()
	res, err := s.Ingest(context.Background(), Batch{Source: "test", Readings: rs})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
