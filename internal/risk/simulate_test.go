package risk

import (
	"context"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// The city simulator's rainstorm (what `fuwu city simulate --scenario
// rainstorm` publishes), read by the demo communities as `fuwu serve`
// does, raises levels while it rains and lets them fall after: the
// newcomer's path to a moving risk map.
func TestCitySimulatorRainstormRaisesLevels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &testClock{t: t0}
		city := citymon.NewStore(db, c.Now)
		if err := sim.Install(ctx, city, citymon.NewAlerts(city, nil), sim.Demo(), "test"); err != nil {
			t.Fatal(err)
		}
		areas := NewStore(db, c.Now)
		if _, err := areas.SeedDemo(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		g := sim.NewGenerator(sim.Demo(), []sim.Scenario{{Name: "rainstorm", From: t0, To: t0.Add(90 * time.Minute)}})
		live := &Live{Areas: areas, City: city, Model: DefaultModel()}
		feed := func(from, to time.Time) {
			var rs []citymon.Reading
			for at := from.Add(time.Minute); !at.After(to); at = at.Add(time.Minute) {
				for _, d := range g.Net.Devices {
					if (d.Kind == citymon.RainGauge || d.Kind == citymon.WaterLevel) && at.Unix()%int64(max(d.Interval, time.Minute)/time.Second) == 0 {
						rs = append(rs, g.DeviceReadings(d, at)...)
					}
				}
			}
			c.Set(to)
			if res, err := city.Ingest(ctx, citymon.Batch{Source: "test", Readings: rs}); err != nil || res.Stored != len(rs) {
				t.Fatalf("ingest %d: %+v %v", len(rs), res, err)
				t.Fatal(err)
			}
		}
		highest := func(at time.Time) (Level, int) {
			c.Set(at)
			b, err := live.Assess(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			top, n := None, 0
			for _, a := range b.Communities {
				top = max(top, a.Level)
				if a.Level >= Yellow {
					n++
				}
			}
			return top, n
		}
		feed(t0, t0.Add(50*time.Minute))
		top, n := highest(t0.Add(50 * time.Minute))
		if top < Orange || n == 0 {
			t.Errorf("50 minutes into the storm: highest %s, %d communities yellow or above", top, n)
		}
		feed(t0.Add(50*time.Minute), t0.Add(5*time.Hour))
		if after, _ := highest(t0.Add(5 * time.Hour)); after >= Yellow {
			t.Errorf("hours after the storm: highest %s", after)
		}
		t.Logf("storm: highest %s, %d communities yellow or above", top, n)
	})
}
