package sim

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var anchor = time.Date(2026, 3, 10, 15, 0, 0, 0, citymon.Zone)

func TestGeneratorIsDeterministic(t *testing.T) {
	t.Parallel()
	n := Demo()
	a, b := NewGenerator(n, DefaultScenarios(anchor)), NewGenerator(Demo(), DefaultScenarios(anchor))
	ra, rb := a.Readings(anchor), b.Readings(anchor)
	if len(ra) == 0 || len(ra) != len(rb) {
		t.Fatalf("%d vs %d readings", len(ra), len(rb))
	}
	for i := range ra {
		if ra[i] != rb[i] {
			t.Fatalf("reading %d differs: %+v vs %+v", i, ra[i], rb[i])
		}
	}
	// The scenarios show: afternoon ozone in the episode, the dusty site,
	// the exceeding outlet, standing water in the storm.
	dev := func(id string) citymon.Device {
		for _, d := range n.Devices {
			if d.ID == id {
				return d
			}
		}
		t.Fatalf("no device %s", id)
		return citymon.Device{}
	}
	day := time.Date(2026, 3, 10, 0, 0, 0, 0, citymon.Zone)
	if v := a.Value(dev("FT-AQ-01"), "O3", day.AddDate(0, 0, -11).Add(14*time.Hour)); v < 220 {
		t.Errorf("episode O3 %v", v)
	}
	if v := a.Value(dev("FT-AQ-01"), "O3", day.AddDate(0, 0, -20).Add(14*time.Hour)); v > 160 {
		t.Errorf("ordinary O3 %v", v)
	}
	if v := a.Value(dev("FT-DS-01"), "PM10", anchor); v < 200 {
		t.Errorf("dusty site PM10 %v", v)
	}
	if v := a.Value(dev("FT-PO-02"), "COD", anchor); v < 60 {
		t.Errorf("exceeding COD %v", v)
	}
	if v := a.Value(dev("FT-WL-01"), "level", day.AddDate(0, 0, -5).Add(15*time.Hour+20*time.Minute)); v < 0.15 {
		t.Errorf("storm water level %v", v)
	}
	// Fire sensors are normal in the demo's history (every hour of a
	// week) and alarm only in the fire scenario.
	for at := anchor.AddDate(0, 0, -7); at.Before(anchor); at = at.Add(time.Hour) {
		for _, id := range []string{"FT-SD-01", "FT-SD-02", "FT-SD-03"} {
			if v := a.Value(dev(id), "smoke", at); v != 0 {
				t.Fatalf("%s smoke %v at %s", id, v, at)
			}
		}
		for _, id := range []string{"FT-HY-01", "FT-HY-02", "FT-HY-03"} {
			if v := a.Value(dev(id), "pressure", at); v < 0.25 || v > 0.4 {
				t.Fatalf("%s pressure %v MPa at %s", id, v, at)
			}
		}
	}
	fire := NewGenerator(n, []Scenario{{Name: "fire", From: anchor, To: anchor.Add(time.Hour)}})
	if s, p := fire.Value(dev("FT-SD-01"), "smoke", anchor), fire.Value(dev("FT-HY-02"), "pressure", anchor); s != 1 || p > 0.1 {
		t.Errorf("fire scenario: smoke %v, hydrant %v MPa", s, p)
	}
	if s := fire.Value(dev("FT-SD-02"), "smoke", anchor); s != 0 {
		t.Errorf("fire scenario: another detector %v", s)
	}
}

// The demo loaded into a store feeds every dashboard query with live
// alarms and coloured stations, on both engines.
func TestDemoDashboard(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := func() time.Time { return anchor }
		s := citymon.NewStore(db, now)
		al := citymon.NewAlerts(s, audit.New(db))
		loaded, err := LoadDemo(ctx, s, al, anchor, 3)
		if err != nil || !loaded {
			t.Fatalf("load: %v %v", loaded, err)
		}
		if again, err := LoadDemo(ctx, s, al, anchor, 3); err != nil || again {
			t.Fatalf("loaded twice: %v %v", again, err)
		}
		// A restart two hours later fills the gap only.
		c, _ := s.Count(ctx)
		later := anchor.Add(2 * time.Hour)
		if again, err := LoadDemo(ctx, s, al, later, 3); err != nil || !again {
			t.Fatalf("gap not filled: %v %v", again, err)
		}
		c2, _ := s.Count(ctx)
		if added := c2.Readings - c.Readings; added <= 0 || added > 20000 {
			t.Errorf("the gap added %d readings", added)
		}
		sum, err := s.Summary(ctx, al, anchor)
		if err != nil {
			t.Fatal(err)
		}
		if sum.DistrictAQ.AQI == nil || sum.Edition != "HJ 633-2026" || sum.Water.Sections != 5 || sum.OpenExceedances == 0 || sum.Alerts.Open == 0 {
			t.Errorf("summary %+v", sum)
		}
		stations, err := s.Stations(ctx, anchor)
		if err != nil || len(stations) != 10 {
			t.Fatalf("stations %d %v", len(stations), err)
		}
		for _, st := range stations {
			if st.AQI.AQI == nil || st.AQI.Colour == "" || st.AQI.Colour == "#bbbbbb" || !st.Online {
				t.Errorf("station %s: %+v", st.ID, st)
			}
		}
		alarms, err := s.ActiveAlarms(ctx, al)
		if err != nil {
			t.Fatal(err)
		}
		var dust, exceed bool
		for _, a := range alarms {
			dust = dust || (a.Source == "alert" && a.Device == "FT-DS-01")
			exceed = exceed || (a.Source == "exceedance" && a.Device == "FT-PO-02")
		}
		if !dust || !exceed {
			t.Errorf("alarms (dust %v, exceedance %v): %+v", dust, exceed, alarms)
		}
		plumes, err := s.DustAt(ctx, anchor.Add(-time.Hour), citymon.DefaultDust)
		if err != nil {
			t.Fatal(err)
		}
		if plumes[0].Site.ID != "FT-DS-01" || plumes[0].Excess <= 0 || len(plumes[0].Contributions) == 0 {
			t.Errorf("dusty site plume %+v", plumes[0])
		}
		water, err := s.WaterOverview(ctx, "2026-03")
		if err != nil || len(water) != 5 || water[0].Class == "" {
			t.Errorf("water %+v %v", water, err)
		}
		trend, err := s.Trend(ctx, "", "AQI", anchor.Add(-24*time.Hour), anchor)
		if err != nil || len(trend) != 24 || trend[23].Value == nil {
			t.Errorf("trend %d %v", len(trend), err)
		}
		rk, err := s.Rankings(ctx, anchor)
		if err != nil || len(rk.Streets) != 10 || len(rk.Enterprises) != 3 || rk.Enterprises[0].Enterprise != "福田某印刷有限公司" {
			t.Errorf("rankings %+v %v", rk, err)
		}
		for _, v := range []any{sum, stations, alarms, plumes, water, trend, rk} {
			if _, err := json.Marshal(v); err != nil {
				t.Errorf("%T does not encode: %v", v, err)
			}
		}
	})
}
