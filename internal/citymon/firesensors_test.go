package citymon

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// Smoke detectors and hydrant pressure sensors are device kinds like the
// others: imported by code or Chinese name, their readings checked and
// converted (kPa and bar to MPa), and a batch with new readings of them
// announced on AlarmTopic with their ids, once; duplicates and other
// kinds announce nothing.
func TestFireSensorKinds(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		csvText := "编号,类型,名称,街道,社区,经度,纬度,责任单位,监测参数,上报间隔\n" +
			"SD-1,smoke_detector,某楼 3 层烟感,福田街道,FT-03-1,114.07,22.53,物业,smoke,1h\n" +
			"HY-1,消火栓水压监测,某路消火栓,福田街道,FT-03-1,114.07,22.53,区水务局,pressure,15m\n" +
			"HY-2,hydrant_pressure,某巷消火栓,福田街道,FT-03-2,114.07,22.53,区水务局,pressure:kPa,15m\n"
		rep, err := s.ImportDevices(ctx, "fire.csv", strings.NewReader(csvText), "test")
		if err != nil || rep.Saved != 3 || len(rep.Problems) != 0 {
			t.Fatalf("import %+v %v", rep, err)
		}
		for _, tc := range []struct {
			id   string
			kind Kind
			unit string
		}{{"SD-1", SmokeDetector, ""}, {"HY-1", HydrantPressure, "MPa"}, {"HY-2", HydrantPressure, "kPa"}} {
			d, err := s.Device(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			param := "pressure"
			if tc.kind == SmokeDetector {
				param = "smoke"
			}
			if u, ok := d.Unit(param); d.Kind != tc.kind || !ok || u != tc.unit || d.Community == "" {
				t.Errorf("%s: kind %s, %s in %q (%v), community %q", tc.id, d.Kind, param, u, ok, d.Community)
			}
		}
		if KindName(SmokeDetector) != "烟感探测器" || KindName(HydrantPressure) != "消火栓水压监测" || !IsAlarmKind(SmokeDetector) || IsAlarmKind(AirStation) {
			t.Error("kind names or alarm kinds")
		}
		mustDevice(t, s, airStation("AQ-1", "福田街道"))
		notes := s.DB().Subscribe(AlarmTopic)
		next := func() (string, bool) {
			select {
			case m := <-notes:
				return m, true
			case <-time.After(3 * time.Second):
				return "", false
			}
		}
		res := mustIngest(t, s,
			Reading{Device: "SD-1", Param: "smoke", Time: t0, Value: 1},
			Reading{Device: "HY-1", Param: "pressure", Time: t0, Value: 250, Unit: "kPa"}, // 0.25 MPa
			Reading{Device: "HY-1", Param: "pressure", Time: t0.Add(-time.Minute), Value: 3, Unit: "bar"},
			Reading{Device: "HY-2", Param: "pressure", Time: t0, Value: 5000},            // 5 MPa: beyond the gauge
			Reading{Device: "SD-1", Param: "smoke", Time: t0.Add(time.Second), Value: 2}, // not a state
			Reading{Device: "AQ-1", Param: "PM2.5", Time: t0, Value: 30})
		if res.Stored != 4 || res.Quarantined != 2 {
			t.Fatalf("ingest %+v", res)
		}
		if m, ok := next(); !ok || m != "HY-1,SD-1" {
			t.Fatalf("announcement %q (%v), want the two sensors with new readings", m, ok)
		}
		pts, err := s.Raw(ctx, "HY-1", "pressure", t0.Add(-time.Hour), t0.Add(time.Second))
		if err != nil || len(pts) != 2 || math.Abs(pts[0].Value-0.3) > 1e-9 || pts[1].Value != 0.25 {
			t.Errorf("pressure in MPa: %+v %v", pts, err)
		}
		// A duplicate stores nothing and announces nothing; an air
		// station's reading neither.
		mustIngest(t, s, Reading{Device: "SD-1", Param: "smoke", Time: t0, Value: 1}, Reading{Device: "AQ-1", Param: "PM2.5", Time: t0.Add(time.Hour), Value: 31})
		c.Set(t0.Add(time.Hour))
		mustIngest(t, s, Reading{Device: "HY-2", Param: "pressure", Time: t0.Add(time.Hour), Value: 300}) // kPa, the device's unit
		if m, ok := next(); !ok || m != "HY-2" {
			t.Errorf("after a duplicate and an air reading, the next announcement is %q (%v), want HY-2", m, ok)
		}
	})
}
