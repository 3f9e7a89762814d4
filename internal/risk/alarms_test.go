package risk

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// alarmFixture is a city store with two fire sensors and a third in a
// community without a fire record, two fire records, and a runner, all
// on the test clock.
type alarmFixture struct {
	city   *citymon.Store
	areas  *Store
	runner *Runner
	clock  *testClock
}

func newAlarmFixture(t *testing.T, db *store.DB) alarmFixture {
	t.Helper()
	ctx := context.Background()
	c := &testClock{t: t0}
	f := alarmFixture{city: citymon.NewStore(db, c.Now), areas: NewStore(db, c.Now), clock: c}
	for _, d := range []citymon.Device{
		{ID: "SD-1", Kind: citymon.SmokeDetector, Name: "某楼 3 层烟感", Street: "福田街道", Community: "C1",
			Params: []citymon.ParamUnit{{Param: "smoke"}}, Interval: 10 * time.Minute, Active: true},
		// Named by the community's name, not its id.
		{ID: "HY-1", Kind: citymon.HydrantPressure, Name: "某路消火栓", Street: "福田街道", Community: "二号演示社区",
			Params: []citymon.ParamUnit{{Param: "pressure"}}, Interval: 15 * time.Minute, Active: true},
		// Reporting in kPa, stored in kPa.
		{ID: "HY-2", Kind: citymon.HydrantPressure, Name: "某巷消火栓", Community: "C2",
			Params: []citymon.ParamUnit{{Param: "pressure", Unit: "kPa"}}, Interval: 15 * time.Minute, Active: true},
		{ID: "SD-9", Kind: citymon.SmokeDetector, Name: "无档案烟感", Community: "某新社区",
			Params: []citymon.ParamUnit{{Param: "smoke"}}, Interval: 10 * time.Minute, Active: true},
	} {
		if _, err := f.city.SaveDevice(ctx, d, "test"); err != nil {
			t.Fatal(err)
		}
	}
	for _, fc := range []FireCommunity{
		{ID: "C1", Name: "一号演示社区", Street: "福田街道", Values: map[string]float64{"old_dense": 30, "ebike": 4, "station_time": 8}},
		{ID: "C2", Name: "二号演示社区", Street: "福田街道", Values: map[string]float64{"old_dense": 10, "hydrant": 5}},
	} {
		if err := f.areas.SaveFire(ctx, fc, "test"); err != nil {
			t.Fatal(err)
		}
	}
	f.runner = NewRunner(&Live{Areas: f.areas, City: f.city, Model: DefaultModel()}, c.Now)
	return f
}

func (f alarmFixture) ingest(t *testing.T, device, param string, at time.Time, v float64) {
	t.Helper()
	if res, err := f.city.Ingest(context.Background(), citymon.Batch{Source: "test", Readings: []citymon.Reading{{Device: device, Param: param, Time: at, Value: v}}}); err != nil || res.Stored != 1 {
		t.Fatalf("ingest %s %s=%v: %+v %v", device, param, v, res, err)
	}
}

func (f alarmFixture) sync(t *testing.T, ids ...string) AlarmSync {
	t.Helper()
	if ids == nil {
		ids = []string{}
	}
	res, err := f.runner.SyncAlarms(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (f alarmFixture) score(t *testing.T, community string) FireScore {
	t.Helper()
	ranked, _, err := f.runner.FireRanking(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ranked {
		if s.ID == community {
			return s
		}
	}
	t.Fatalf("no score for %s", community)
	return FireScore{}
}

func (f alarmFixture) open(t *testing.T) []FireAlarm {
	t.Helper()
	all, err := f.areas.FireAlarms(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []FireAlarm
	for _, a := range all {
		if a.Open() {
			out = append(out, a)
		}
	}
	return out
}

func factor(s FireScore, key string) (Factor, bool) {
	for _, f := range s.Factors {
		if f.Key == key {
			return f, true
		}
	}
	return Factor{}, false
}

// A smoke alarm reading raises one alarm in the device's community and
// its fire index at once, stored with the alarm; repeated alarm readings
// add nothing; a normal reading clears it; a hydrant below the (example)
// threshold raises one in the community it names; a stale reading and a
// device without a fire record raise nothing into any index.
func TestSensorAlarmsRaiseAndClear(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		f := newAlarmFixture(t, db)
		before := f.score(t, "C1")
		if _, ok := factor(before, "alarms"); ok {
			t.Fatalf("an alarm factor before any alarm: %+v", before)
		}

		f.ingest(t, "SD-1", "smoke", t0, 1)
		res := f.sync(t, "SD-1")
		if len(res.Raised) != 1 || res.Raised[0].Community != "C1" || res.Raised[0].Device != "SD-1" {
			t.Fatalf("raised %+v", res)
		}
		a := res.Raised[0]
		after := f.score(t, "C1")
		if a.IndexBefore != before.Index || !(a.IndexAfter > a.IndexBefore) || after.Index != a.IndexAfter {
			t.Errorf("index %v → %v stored, ranking says %v → %v", a.IndexBefore, a.IndexAfter, before.Index, after.Index)
		}
		if fa, ok := factor(after, "alarms"); !ok || !strings.Contains(fa.Detail, "某楼 3 层烟感") || !strings.Contains(fa.Detail, "1 个") {
			t.Errorf("the ranking does not explain the alarm: %+v", after.Factors)
		}
		stored, err := f.areas.FireAlarm(context.Background(), a.ID)
		if err != nil || stored.IndexAfter != a.IndexAfter || stored.Kind != citymon.SmokeDetector || !stored.Raised.Equal(t0) || !stored.ReadingAt.Equal(t0) {
			t.Errorf("stored alarm %+v %v", stored, err)
		}

		// Repeated alarm readings, by announcement or by the full sweep a
		// cycle runs, raise no second alarm.
		for k := 1; k <= 3; k++ {
			at := t0.Add(time.Duration(k) * 10 * time.Minute)
			f.clock.Set(at)
			f.ingest(t, "SD-1", "smoke", at, 1)
			if r := f.sync(t, "SD-1"); len(r.Raised) != 0 {
				t.Fatalf("repeat %d raised %+v", k, r.Raised)
			}
		}
		if r, err := f.runner.SyncAlarms(context.Background(), nil); err != nil || len(r.Raised) != 0 {
			t.Fatalf("full sweep %+v %v", r, err)
		}
		if open := f.open(t); len(open) != 1 {
			t.Fatalf("open alarms %+v", open)
		}

		// Normal again: cleared by the sensor, the index back down.
		at := t0.Add(40 * time.Minute)
		f.clock.Set(at)
		f.ingest(t, "SD-1", "smoke", at, 0)
		if r := f.sync(t, "SD-1"); len(r.Cleared) != 1 || r.Cleared[0] != "SD-1" {
			t.Fatalf("cleared %+v", r)
		}
		if open := f.open(t); len(open) != 0 {
			t.Fatalf("still open %+v", open)
		}
		if got, _ := f.areas.FireAlarm(context.Background(), a.ID); got.ClearedBy != ClearedBySensor || !got.Cleared.Equal(at) {
			t.Errorf("cleared %+v", got)
		}
		if s := f.score(t, "C1"); s.Index != before.Index {
			t.Errorf("index after clearing %v, want %v", s.Index, before.Index)
		}

		// Low hydrant pressure, named by community name; a pressure above
		// the threshold clears it.
		f.ingest(t, "HY-1", "pressure", at.Add(-5*time.Hour), 0.05) // stale: ignored
		if r := f.sync(t, "HY-1"); len(r.Raised) != 0 {
			t.Fatalf("a stale reading raised %+v", r.Raised)
		}
		f.ingest(t, "HY-1", "pressure", at, 0.08)
		r := f.sync(t, "HY-1")
		if len(r.Raised) != 1 || r.Raised[0].Community != "C2" || !strings.Contains(r.Raised[0].Detail, "0.08 MPa") ||
			!strings.Contains(r.Raised[0].Detail, "示例阈值") || !(r.Raised[0].IndexAfter > r.Raised[0].IndexBefore) {
			t.Fatalf("hydrant %+v", r)
		}
		f.clock.Set(at.Add(15 * time.Minute))
		f.ingest(t, "HY-1", "pressure", at.Add(15*time.Minute), 0.3)
		if r := f.sync(t, "HY-1"); len(r.Cleared) != 1 {
			t.Fatalf("hydrant back to normal %+v", r)
		}

		// A hydrant keeping kPa is compared in MPa.
		f.ingest(t, "HY-2", "pressure", at.Add(15*time.Minute), 300)
		if r := f.sync(t, "HY-2"); len(r.Raised) != 0 {
			t.Fatalf("300 kPa raised %+v", r.Raised)
		}
		f.clock.Set(at.Add(30 * time.Minute))
		f.ingest(t, "HY-2", "pressure", at.Add(30*time.Minute), 90)
		if r := f.sync(t, "HY-2"); len(r.Raised) != 1 || !strings.Contains(r.Raised[0].Detail, "水压 0.09 MPa") {
			t.Fatalf("90 kPa: %+v", r)
		}

		// A community without a fire record: the alarm is listed under
		// what the device says, and no index moves.
		f.ingest(t, "SD-9", "smoke", at.Add(15*time.Minute), 1)
		if r := f.sync(t, "SD-9"); len(r.Raised) != 1 || r.Raised[0].Community != "某新社区" || r.Raised[0].IndexAfter != 0 {
			t.Fatalf("unrecorded community %+v", r)
		}
	})
}

// Staff closing an alarm stops it counting; the device, still in alarm,
// raises no new one until it has reported normal once.
func TestSensorAlarmClosedByStaff(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newAlarmFixture(t, db)
		base := f.score(t, "C1").Index
		f.ingest(t, "SD-1", "smoke", t0, 1)
		r := f.sync(t, "SD-1")
		if len(r.Raised) != 1 {
			t.Fatalf("raised %+v", r)
		}
		f.clock.Set(t0.Add(5 * time.Minute))
		got, err := f.runner.CloseAlarm(ctx, r.Raised[0].ID, "王五")
		if err != nil || got.ClearedBy != "王五" || got.Open() {
			t.Fatalf("close %+v %v", got, err)
		}
		if _, err := f.runner.CloseAlarm(ctx, r.Raised[0].ID, "王五"); err == nil {
			t.Error("a closed alarm closed twice")
		}
		if s := f.score(t, "C1"); s.Index != base {
			t.Errorf("index %v after closing, want %v", s.Index, base)
		}
		f.clock.Set(t0.Add(10 * time.Minute))
		f.ingest(t, "SD-1", "smoke", t0.Add(10*time.Minute), 1)
		if r := f.sync(t, "SD-1"); len(r.Raised) != 0 {
			t.Fatalf("a closed alarm came back before the device reported normal: %+v", r)
		}
		f.clock.Set(t0.Add(20 * time.Minute))
		f.ingest(t, "SD-1", "smoke", t0.Add(20*time.Minute), 0)
		f.sync(t, "SD-1")
		f.clock.Set(t0.Add(30 * time.Minute))
		f.ingest(t, "SD-1", "smoke", t0.Add(30*time.Minute), 1)
		if r := f.sync(t, "SD-1"); len(r.Raised) != 1 {
			t.Fatalf("a new alarm after normal: %+v", r)
		}
	})
}

// FollowAlarms raises the alarm as the reading is stored — on the city
// store's announcement, not at the next cycle — on both engines (on
// PostgreSQL through LISTEN/NOTIFY); a cycle catches up with readings
// stored while nobody followed.
func TestFollowAlarmsOnIngestion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		f := newAlarmFixture(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { f.runner.FollowAlarms(ctx, nil); close(done) }()
		waitOpen := func(n int) []FireAlarm {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for {
				open := f.open(t)
				if len(open) == n {
					return open
				}
				if time.Now().After(deadline) {
					t.Fatalf("open alarms %+v, want %d", open, n)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		waitOpen(0)
		f.ingest(t, "SD-1", "smoke", t0, 1)
		open := waitOpen(1)
		if open[0].Device != "SD-1" || !(open[0].IndexAfter > open[0].IndexBefore) {
			t.Errorf("followed alarm %+v", open[0])
		}
		f.clock.Set(t0.Add(10 * time.Minute))
		f.ingest(t, "SD-1", "smoke", t0.Add(10*time.Minute), 0)
		waitOpen(0)
		cancel()
		<-done

		// Nobody following: the cycle's sweep raises it.
		f.clock.Set(t0.Add(20 * time.Minute))
		f.ingest(t, "HY-1", "pressure", t0.Add(20*time.Minute), 0.05)
		if len(f.open(t)) != 0 {
			t.Fatal("raised without a follower")
		}
		if _, err := f.runner.Cycle(context.Background(), "定时"); err != nil {
			t.Fatal(err)
		}
		if open := f.open(t); len(open) != 1 || open[0].Device != "HY-1" {
			t.Errorf("after the cycle %+v", open)
		}
	})
}

// The hydrant threshold is configurable, and the example says it is one.
func TestHydrantThresholdConfig(t *testing.T) {
	t.Parallel()
	if s := DefaultModel().HydrantLow().Status(); !strings.Contains(s, "示例阈值") || DefaultModel().HydrantLow().Official {
		t.Errorf("default threshold status %q", s)
	}
	m, err := LoadModel(strings.NewReader(`{"hydrant": {"low_mpa": 0.2, "official": true, "source": "区水务局通知"}}`))
	if err != nil || m.HydrantLow().LowMPa != 0.2 || strings.Contains(m.HydrantLow().Status(), "示例") {
		t.Errorf("configured %+v %v", m.Hydrant, err)
	}
	for _, bad := range []string{`{"hydrant": {"low_mpa": -1}}`, `{"hydrant": {"low_mpa": 9}}`, `{"hydrant": {"low": 0.2}}`} {
		if _, err := LoadModel(strings.NewReader(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
