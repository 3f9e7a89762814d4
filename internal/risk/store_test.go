package risk

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// t0 is the tests' "now": 2026-06-10 15:00 Beijing time.
var t0 = time.Date(2026, 6, 10, 15, 0, 0, 0, Zone)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func eachStore(t *testing.T, fn func(t *testing.T, s *Store, c *testClock)) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		c := &testClock{t: t0}
		fn(t, NewStore(db, c.Now), c)
	})
}

func TestStoreAreasAndPonding(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store, _ *testClock) {
		ctx := context.Background()
		a := testArea
		a.RainGauges, a.LevelGauges, a.Workers = []string{"RG1", "RG2"}, []string{"WL1"}, []string{"张三"}
		if err := s.SaveArea(ctx, a, "tester"); err != nil {
			t.Fatal(err)
		}
		g := bareArea
		g.ID, g.Community = "C01-G1", "C01"
		if err := s.SaveArea(ctx, g, "tester"); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePonding(ctx, "C01", a.PondingPoints[0]); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePonding(ctx, "nowhere", PondingPoint{ID: "X", Name: "x"}); err == nil {
			t.Error("a ponding point of an unknown area was saved")
		}
		cs, err := s.Areas(ctx, false)
		if err != nil || len(cs) != 1 {
			t.Fatalf("communities %v %v", cs, err)
		}
		got := cs[0]
		if got.Name != a.Name || got.AreaHm2 != a.AreaHm2 || len(got.RainGauges) != 2 || got.Workers[0] != "张三" ||
			len(got.PondingPoints) != 1 || got.PondingPoints[0].MaxDepth != 0.4 || got.TideInfluence != 0.6 {
			t.Errorf("round trip: %+v", got)
		}
		gs, err := s.Areas(ctx, true)
		if err != nil || len(gs) != 1 || gs[0].Community != "C01" {
			t.Fatalf("grids %v %v", gs, err)
		}
		// Saving the area again keeps its ponding points.
		if err := s.SaveArea(ctx, a, "tester"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Area(ctx, "C01"); len(got.PondingPoints) != 1 {
			t.Errorf("ponding points lost on re-save: %+v", got.PondingPoints)
		}
		if err := s.DeleteArea(ctx, "C01-G1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Area(ctx, "C01-G1"); err == nil {
			t.Error("deleted area still found")
		}
	})
}

func TestImportAreasReportsBadLines(t *testing.T) {
	t.Parallel()
	csv := "编号,名称,街道,所属社区,面积,不透水率,设计重现期,潮位影响,地下车库,雨量计,网格员\n" +
		"C1,甲社区,福保街道,,80,75%,3,0.5,2,RG1;RG2,李四\n" +
		"C2,乙社区,福保街道,,abc,0.7,3,0,0,,\n" + // line 3: area not a number
		"C3,丙社区,福保街道,,60,0.7,,0,0,,\n" + // line 4: no design period
		"C1-G1,甲社区第1网格,福保街道,C1,20,0.8,3,0.5,1.5,RG1,\n" + // line 5: garages not whole
		"C1-G2,甲社区第2网格,福保街道,C1,20,0.8,3,0.5,1,RG1,王五\n"
	eachStore(t, func(t *testing.T, s *Store, _ *testClock) {
		ctx := context.Background()
		rep, err := s.ImportAreas(ctx, "areas.csv", strings.NewReader(csv), "tester")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 5 || rep.Saved != 2 || len(rep.Problems) != 3 {
			t.Fatalf("report %+v", rep)
		}
		for i, line := range []int{3, 4, 5} {
			if rep.Problems[i].Line != line {
				t.Errorf("problem %d on line %d, want %d (%s)", i, rep.Problems[i].Line, line, rep.Problems[i].Reason)
			}
		}
		c1, err := s.Area(ctx, "C1")
		if err != nil || c1.Impervious != 0.75 || len(c1.RainGauges) != 2 {
			t.Errorf("C1 %+v %v", c1, err)
		}
		pond := "编号,所属区域,名称,最深积水,日期,原因\nP1,C1,某路口,0.35,2023-09-07,管网排水能力不足\nP2,C9,某桥底,0.2,2023-09-07,\nP3,C1,某隧道,0.5,07/09/2023,\n"
		rep, err = s.ImportPonding(ctx, "ponding.csv", strings.NewReader(pond))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Saved != 1 || len(rep.Problems) != 2 || rep.Problems[0].Line != 3 || rep.Problems[1].Line != 4 {
			t.Errorf("ponding report %+v", rep)
		}
	})
}

func TestForecastsAndChecks(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		if err := s.SaveArea(ctx, testArea, "tester"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostForecast(ctx, "", t0.Add(-2*time.Hour), []Forecast{{1, 10}, {3, 30}, {6, 50}}, "feed"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostForecast(ctx, "C01", t0.Add(-10*time.Minute), []Forecast{{1, 40}}, "feed"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostForecast(ctx, "", t0, []Forecast{{2, 10}}, "feed"); err == nil {
			t.Error("a 2-hour horizon was accepted")
		}
		fc, err := s.Forecasts(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		// The district's 1-hour forecast issued two hours ago has expired.
		if len(fc[""]) != 2 || fc[""][0].Hours != 3 || len(fc["C01"]) != 1 || fc["C01"][0].RainMM != 40 {
			t.Errorf("forecasts %+v", fc)
		}
		if err := s.Check(ctx, "C01", "patrol", true, "网格员"); err != nil {
			t.Fatal(err)
		}
		if err := s.Check(ctx, "C01", "no-such", true, "网格员"); err == nil {
			t.Error("unknown item ticked")
		}
		ch, err := s.Checks(ctx)
		if err != nil || ch["C01"]["patrol"].By != "网格员" {
			t.Fatalf("checks %+v %v", ch, err)
		}
		c.Set(t0.Add(24 * time.Hour)) // a new day starts a fresh checklist
		if ch, _ := s.Checks(ctx); len(ch) != 0 {
			t.Errorf("yesterday's ticks carried over: %+v", ch)
		}
		c.Set(t0)
		if err := s.Check(ctx, "C01", "patrol", false, "网格员"); err != nil {
			t.Fatal(err)
		}
		if ch, _ := s.Checks(ctx); len(ch) != 0 {
			t.Errorf("untick kept: %+v", ch)
		}
	})
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store, _ *testClock) {
		ctx := context.Background()
		n, err := s.SeedDemo(ctx, "demo")
		if err != nil {
			t.Fatal(err)
		}
		cs, _ := s.Areas(ctx, false)
		gs, _ := s.Areas(ctx, true)
		if n != len(cs)+len(gs) || len(cs) != 40 || len(gs) != 120 {
			t.Fatalf("seeded %d: %d communities, %d grids", n, len(cs), len(gs))
		}
		for _, a := range cs {
			if !a.Synthetic || !strings.Contains(a.Name, "演示") || len(a.PondingPoints) == 0 || len(a.RainGauges) == 0 {
				t.Fatalf("demo community %+v", a)
			}
		}
	})
}

func TestFireStore(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		csv := "编号,名称,街道,old_dense,电动自行车违规充电报告,small_venues\nF1,甲社区,福保街道,40,6,12\nF2,乙社区,福保街道,x,1,1\nF3,丙社区,福保街道,-5,1,1\n"
		rep, err := s.ImportFire(ctx, "fire.csv", strings.NewReader(csv), "tester")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Saved != 1 || len(rep.Problems) != 2 || rep.Problems[0].Line != 3 || rep.Problems[1].Line != 4 {
			t.Fatalf("report %+v", rep)
		}
		if err := s.SaveFire(ctx, FireCommunity{ID: "F9", Name: "x", Values: map[string]float64{"nonsense": 1}}, "t"); err == nil {
			t.Error("unknown indicator saved")
		}
		m := DefaultFireModel()
		cs, err := s.FireCommunities(ctx)
		if err != nil || len(cs) != 1 || cs[0].Values["ebike"] != 6 {
			t.Fatalf("fire %+v %v", cs, err)
		}
		before := m.Score(cs[0], Weather{}).Index
		id, err := s.RaiseFireAlarm(ctx, "F1", "烟感 SD-1")
		if err != nil {
			t.Fatal(err)
		}
		cs, _ = s.FireCommunities(ctx)
		if after := m.Score(cs[0], Weather{}).Index; !(after > before) || cs[0].Alarms != 1 {
			t.Errorf("an alarm did not raise the index: %v → %v", before, after)
		}
		if err := s.ClearFireAlarm(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := s.ClearFireAlarm(ctx, id); err == nil {
			t.Error("cleared twice")
		}
		tasks := m.FireTasks(m.Rank(cs, Weather{}), 1)
		n, err := s.OpenFireTasks(ctx, tasks)
		if err != nil || n != len(tasks) || n == 0 {
			t.Fatalf("opened %d of %d: %v", n, len(tasks), err)
		}
		if n, _ := s.OpenFireTasks(ctx, tasks); n != 0 {
			t.Errorf("the same tasks issued twice a day: %d", n)
		}
		list, err := s.FireTasks(ctx, 10)
		if err != nil || len(list) != len(tasks) || list[0].Status != "open" {
			t.Fatalf("tasks %+v %v", list, err)
		}
		if err := s.CloseFireTask(ctx, list[0].ID, "检查员"); err != nil {
			t.Fatal(err)
		}
		list, _ = s.FireTasks(ctx, 10)
		closed := 0
		for _, x := range list {
			if x.Status == "closed" && x.ClosedBy == "检查员" {
				closed++
			}
		}
		if closed != 1 {
			t.Errorf("tasks after closing %+v", list)
		}
	})
}
