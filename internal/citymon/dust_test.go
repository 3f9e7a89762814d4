package citymon

import (
	"context"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
)

func TestDustPlume(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		site := Device{ID: "S1", Kind: DustMonitor, Name: "香蜜湖工地", Lon: 114.02, Lat: 22.55, Params: []ParamUnit{{"PM10", ""}}}
		mustDevice(t, s, site)
		st := airStation("A1", "香蜜湖街道")
		st.Lon, st.Lat = 114.06, 22.54
		mustDevice(t, s, st)
		mustDevice(t, s, Device{ID: "WX1", Kind: Weather, Name: "气象站", Lon: 114.03, Lat: 22.55,
			Params: []ParamUnit{{"wind_speed", ""}, {"wind_dir", ""}, {"cloud", ""}}})
		// A school 500 m east (downwind of a west wind), a hospital 500 m west (upwind).
		for _, p := range []SensitivePoint{
			{ID: "P1", Name: "某小学", Kind: "school", Lon: 114.02 + 500/(111320*0.9239), Lat: 22.55},
			{ID: "P2", Name: "某医院", Kind: "hospital", Lon: 114.02 - 500/(111320*0.9239), Lat: 22.55},
			{ID: "P3", Name: "远处小区", Kind: "residential", Lon: 114.2, Lat: 22.55},
		} {
			if err := s.SaveSensitive(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		hour := time.Date(2026, 3, 10, 10, 0, 0, 0, Zone)
		mustIngest(t, s,
			Reading{Device: "S1", Param: "PM10", Time: hour.Add(10 * time.Minute), Value: 260},
			Reading{Device: "A1", Param: "PM10", Time: hour.Add(10 * time.Minute), Value: 60},
			Reading{Device: "WX1", Param: "wind_speed", Time: hour.Add(10 * time.Minute), Value: 2.5},
			Reading{Device: "WX1", Param: "wind_dir", Time: hour.Add(10 * time.Minute), Value: 270}, // from the west
			Reading{Device: "WX1", Param: "cloud", Time: hour.Add(10 * time.Minute), Value: 2},
		)
		got, err := s.DustAt(ctx, hour, DefaultDust)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("%d sites", len(got))
		}
		sd := got[0]
		if sd.Excess != 200 || sd.Weather != "WX1" || sd.Stability == "" || sd.Q <= 0 {
			t.Fatalf("site %+v", sd)
		}
		if len(sd.Contributions) != 2 {
			t.Fatalf("contributions %+v (the far point is outside the radius)", sd.Contributions)
		}
		school, hospital := sd.Contributions[0], sd.Contributions[1]
		if school.Point.ID != "P1" || school.PM10 <= 0 || school.PM10 >= 200 || hospital.PM10 != 0 {
			t.Errorf("downwind school %+v, upwind hospital %+v", school, hospital)
		}
		if len(sd.Outline) < 4 || sd.Outline[0] != [2]float64{site.Lon, site.Lat} {
			t.Errorf("outline %v", sd.Outline)
		}
		// Every outline point lies east of the site (downwind).
		for _, p := range sd.Outline[1 : len(sd.Outline)-1] {
			if p[0] <= site.Lon {
				t.Errorf("outline point %v upwind", p)
			}
		}
		// Calm air: no estimate, and it says so.
		mustIngest(t, s, Reading{Device: "WX1", Param: "wind_speed", Time: hour.Add(70 * time.Minute), Value: 0.2},
			Reading{Device: "WX1", Param: "wind_dir", Time: hour.Add(70 * time.Minute), Value: 270},
			Reading{Device: "S1", Param: "PM10", Time: hour.Add(70 * time.Minute), Value: 260})
		got, _ = s.DustAt(ctx, hour.Add(time.Hour), DefaultDust)
		if got[0].Q != 0 || got[0].Note != "静风，未作扩散估算" {
			t.Errorf("calm: %+v", got[0])
		}
	})
}

func TestDustMeasures(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, Device{ID: "S1", Kind: DustMonitor, Name: "工地", Params: []ParamUnit{{"PM10", ""}}})
		log := audit.New(s.DB())
		if err := s.AckMeasure(ctx, log, "S1", "2026-03-10", "spray", true, Actor{Name: "工地安全员李", Role: "site"}, "雾炮已开"); err != nil {
			t.Fatal(err)
		}
		if err := s.AckMeasure(ctx, log, "S1", "2026-03-10", "bogus", true, Actor{Name: "x"}, ""); err == nil {
			t.Error("an unknown measure was accepted")
		}
		ms, err := s.MeasuresOn(ctx, "S1", "2026-03-10")
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 3 || !ms[0].Done || ms[0].Officer != "工地安全员李" || ms[1].Done || ms[2].Name != "车辆冲洗" {
			t.Errorf("checklist %+v", ms)
		}
		entries, _, _ := log.List(ctx, audit.Filter{Action: "city.dust.measure"}, audit.Page{})
		if len(entries) != 1 || entries[0].Target != "site:S1" {
			t.Errorf("audit %+v", entries)
		}
	})
}
