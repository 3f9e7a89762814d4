package greening

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{0, 128, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func seedTrees(t *testing.T, s *Store) {
	t.Helper()
	for _, tr := range planTrees() {
		if _, err := s.SaveTree(context.Background(), tr, "tester"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOrdersLifecycle(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := testNow
		s := NewStore(db, func() time.Time { return now })
		seedTrees(t, s)
		// A resident's report near A3 with no tree named lands on A3.
		o, err := s.CreateOrder(ctx, Order{Source: FromResident, Task: TaskTopple, Title: "小区门口的树快倒了", Lon: 114.05021, Lat: 22.55021, Reporter: "c-1"})
		if err != nil {
			t.Fatal(err)
		}
		if o.Tree != "A3" || o.Street != "莲花街道" || o.Status != StatusOpen || !o.Due.Equal(now.Add(24*time.Hour)) {
			t.Fatalf("order %+v", o)
		}
		if _, err := s.CreateOrder(ctx, Order{Source: "gossip", Task: TaskTopple}); !errors.Is(err, ErrInput) {
			t.Errorf("unknown source: %v", err)
		}
		if err := s.Assign(ctx, o.ID, Teams[0]); err != nil {
			t.Fatal(err)
		}
		// Completion needs photos before and after.
		if err := s.Complete(ctx, o.ID, "worker", "已扶正加固", HealthFair); !errors.Is(err, ErrInput) {
			t.Fatalf("completed without photos: %v", err)
		}
		if _, err := s.AddPhoto(ctx, o.ID, "before", []byte("<html>not an image</html>"), "worker"); !errors.Is(err, ErrInput) {
			t.Errorf("html accepted as a photo: %v", err)
		}
		if _, err := s.AddPhoto(ctx, o.ID, "before", make([]byte, MaxPhoto+1), "worker"); !errors.Is(err, ErrInput) {
			t.Errorf("oversized photo accepted: %v", err)
		}
		img := pngBytes(t)
		p1, err := s.AddPhoto(ctx, o.ID, "before", img, "worker")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPhoto(ctx, o.ID, "after", img, "worker"); err != nil {
			t.Fatal(err)
		}
		data, mime, err := s.PhotoData(ctx, o.ID, p1.ID)
		if err != nil || mime != "image/png" || !bytes.Equal(data, img) {
			t.Fatalf("photo back: %s %v", mime, err)
		}
		if _, _, err := s.PhotoData(ctx, o.ID+99, p1.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("photo read through another order: %v", err)
		}
		// Overdue before completion.
		now = now.Add(48 * time.Hour)
		over, err := s.Orders(ctx, OrderFilter{Status: "overdue", Overdue: now})
		if err != nil || len(over) != 1 || !over[0].Overdue(now) {
			t.Fatalf("overdue %v %v", over, err)
		}
		if err := s.Complete(ctx, o.ID, "worker", "已扶正加固", "X"); !errors.Is(err, ErrInput) {
			t.Errorf("bad grade: %v", err)
		}
		if err := s.Complete(ctx, o.ID, "worker", "已扶正加固", HealthFair); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Order(ctx, o.ID)
		if got.Status != StatusDone || got.Done.IsZero() || len(got.Photos) != 2 || got.Overdue(now) {
			t.Errorf("done order %+v", got)
		}
		tr, _ := s.Tree(ctx, "A3")
		if tr.Health != HealthFair {
			t.Errorf("tree health after the work %s", tr.Health)
		}
		if err := s.Complete(ctx, o.ID, "worker", "", ""); !errors.Is(err, ErrInput) {
			t.Errorf("completed twice: %v", err)
		}
		// A recurrence: the same problem on A3 a month later.
		now = now.Add(30 * 24 * time.Hour)
		if _, err := s.CreateOrder(ctx, Order{Source: FromPatrol, Task: TaskTopple, Tree: "A3"}); err != nil {
			t.Fatal(err)
		}
		rec, err := s.Recurrences(ctx, 90*24*time.Hour)
		if err != nil || len(rec) != 1 || rec[0].Treated != 1 || rec[0].Recurred != 1 {
			t.Errorf("recurrences %+v %v", rec, err)
		}
		// A pest report feeds the plan's pest-nearby rule.
		if _, err := s.CreateOrder(ctx, Order{Source: FromPatrol, Task: TaskPest, Tree: "A3", Detail: "榕管蓟马"}); err != nil {
			t.Fatal(err)
		}
		reps, err := s.PestReports(ctx, now.Add(-time.Hour))
		if err != nil || len(reps) != 1 || reps[0].Species != "榕树" || reps[0].Pest != "榕管蓟马" {
			t.Errorf("pest reports %+v %v", reps, err)
		}
	})
}

func TestPlanOrdersAndEvaluation(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db, fixedClock)
		seedTrees(t, s)
		if err := s.SaveStreets(ctx, []Street{{Name: "莲花街道", AreaKm2: 1, Population: 1000}, {Name: "福田街道", AreaKm2: 2, Population: 100}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSpaces(ctx, []Space{{ID: "S1", Name: "公园", Category: "公共绿地", Area: 200000, Street: "莲花街道"},
			{ID: "S2", Name: "小区", Category: Residential, Area: 100000, Street: "莲花街道"}}); err != nil {
			t.Fatal(err)
		}
		p, err := s.PlanNow(ctx, nil, "month", "", testNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Conditions.Notes) == 0 || !strings.Contains(p.Conditions.Notes[0], "未接入") {
			t.Errorf("notes %v", p.Conditions.Notes)
		}
		n, err := s.OrdersFromPlan(ctx, p, Teams[1], "planner")
		if err != nil || n == 0 {
			t.Fatalf("orders from plan %d %v", n, err)
		}
		dvp, err := s.DoneVsPlannedSeries(ctx, "", 2, testNow)
		if err != nil || len(dvp) != 2 || dvp[1].Planned == 0 || dvp[1].Done != 0 {
			t.Fatalf("done vs planned %+v %v", dvp, err)
		}
		orders, _ := s.Orders(ctx, OrderFilter{Source: FromPlan})
		if _, err := s.AddPhoto(ctx, orders[0].ID, "after", pngBytes(t), "w"); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, orders[0].ID, "w", "完成", ""); err != nil {
			t.Fatal(err)
		}
		dvp, _ = s.DoneVsPlannedSeries(ctx, "", 1, testNow)
		if dvp[0].Done != orders[0].Count || dvp[0].Rate <= 0 {
			t.Errorf("after one done: %+v", dvp)
		}
		if err := s.Survey(ctx, "2026-07"); err != nil {
			t.Fatal(err)
		}
		hs, err := s.HealthSeries(ctx, "莲花街道", "")
		if err != nil || len(hs) != 1 || hs[0].Trees != 3 || hs[0].Grades["C"] != 1 {
			t.Errorf("health %+v %v", hs, err)
		}
		cov, err := s.Coverages(ctx)
		if err != nil || len(cov) != 2 {
			t.Fatalf("coverage %+v %v", cov, err)
		}
		var lh Coverage
		for _, c := range cov {
			if c.Street == "莲花街道" {
				lh = c
			}
		}
		if lh.PerCapita != 200 || lh.Coverage < 0.3 || lh.Coverage > 0.31 {
			t.Errorf("莲花街道 coverage %+v", lh)
		}
	})
}

func TestLiveConditionsFromCityFeed(t *testing.T) {
	storetest.Each(t, []store.Migrations{citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 9, 10, 10, 0, 0, 0, Zone)
		city := citymon.NewStore(db, func() time.Time { return now })
		g := NewStore(db, func() time.Time { return now })
		seedTrees(t, g)
		for _, d := range []citymon.Device{
			{ID: "RG", Kind: citymon.RainGauge, Name: "雨量站", Street: "福田街道", Lon: 114.07, Lat: 22.53, Params: []citymon.ParamUnit{{Param: "rain"}}, Interval: time.Hour, Active: true},
			{ID: "WX", Kind: citymon.Weather, Name: "莲花山气象站", Street: "莲花街道", Lon: 114.05, Lat: 22.55, Params: []citymon.ParamUnit{{Param: "wind_speed"}, {Param: TyphoonParam}}, Interval: time.Hour, Active: true},
		} {
			if _, err := city.SaveDevice(ctx, d, "t"); err != nil {
				t.Fatal(err)
			}
		}
		var rs []citymon.Reading
		for h := 1; h <= 30*24; h++ {
			v := 0.0
			if h <= 6 {
				v = 4 // 24 mm in the last six hours
			}
			rs = append(rs, citymon.Reading{Device: "RG", Param: "rain", Time: now.Add(-time.Duration(h) * time.Hour), Value: v})
		}
		if _, err := city.Ingest(ctx, citymon.Batch{Source: "test", Readings: rs}); err != nil {
			t.Fatal(err)
		}
		c, err := LiveConditions(ctx, city, g, now)
		if err != nil {
			t.Fatal(err)
		}
		if c.Rain48h["福田街道"] != 24 || c.Rain48h[""] != 24 || len(c.DailyRain) != 30 || c.DailyRain[29] != 24 || c.Typhoon != 0 {
			t.Fatalf("conditions %+v", c)
		}
		before, _ := g.PlanNow(ctx, city, "week", "", now)
		// The weather service posts an orange warning.
		if _, err := city.Ingest(ctx, citymon.Batch{Source: "http", Readings: []citymon.Reading{{Device: "WX", Param: TyphoonParam, Time: now.Add(-10 * time.Minute), Value: 4}}}); err != nil {
			t.Fatal(err)
		}
		after, err := g.PlanNow(ctx, city, "week", "", now)
		if err != nil {
			t.Fatal(err)
		}
		if after.Conditions.Typhoon != 4 || after.Tasks[0].Type != TaskTyphoonPrep || before.Tasks[0].Type == TaskTyphoonPrep {
			t.Fatalf("typhoon did not re-order the plan: before %s, after %s (%d)", before.Tasks[0].Type, after.Tasks[0].Type, after.Conditions.Typhoon)
		}
		if !strings.Contains(after.Tasks[0].Reasons[0], "橙色预警") || !strings.Contains(after.Tasks[0].Reasons[0], "莲花山气象站") {
			t.Errorf("reason %v", after.Tasks[0].Reasons)
		}
	})
}

func TestLoadDemo(t *testing.T) {
	db := storetest.Open(t, store.SQLite, Migrations)
	ctx := context.Background()
	s := NewStore(db, fixedClock)
	did, err := s.LoadDemo(ctx, testNow)
	if err != nil || !did {
		t.Fatalf("load demo %v %v", did, err)
	}
	n, _ := s.CountTrees(ctx, TreeFilter{})
	if n != DemoTrees {
		t.Errorf("%d trees", n)
	}
	again, err := s.LoadDemo(ctx, testNow)
	if err != nil || again {
		t.Errorf("loaded twice: %v %v", again, err)
	}
	hs, _ := s.HealthSeries(ctx, "", "")
	if len(hs) != 12 || hs[0].GoodShare >= hs[11].GoodShare || hs[11].Trees != DemoTrees {
		t.Errorf("health series should improve over 12 months: %+v … %+v", hs[0], hs[len(hs)-1])
	}
	cov, _ := s.Coverages(ctx)
	if len(cov) != 10 {
		t.Fatalf("coverage %d streets", len(cov))
	}
	for _, c := range cov {
		if c.Coverage <= 0.05 || c.Coverage > 0.9 || !c.Synthetic {
			t.Errorf("implausible demo coverage %+v", c)
		}
	}
	rec, _ := s.Recurrences(ctx, 90*24*time.Hour)
	if len(rec) == 0 {
		t.Error("no recurrence in the demo")
	}
}

func TestMonthlyReportExports(t *testing.T) {
	db := storetest.Open(t, store.SQLite, Migrations)
	ctx := context.Background()
	s := NewStore(db, fixedClock)
	if _, err := s.LoadDemo(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	r, err := s.MonthlyReport(ctx, "2026-07", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Synthetic || r.Trees != DemoTrees || r.Orders.Created == 0 || len(r.Risks) != 20 || len(r.Coverage) != 10 {
		t.Fatalf("report %+v", r.Orders)
	}
	var x bytes.Buffer
	if err := r.WriteXLSX(&x); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 6 || got[0] != "概况" {
		t.Errorf("sheets %v", got)
	}
	title, _ := f.GetCellValue("概况", "A1")
	if !strings.Contains(title, "2026-07") || !strings.Contains(title, "合成") {
		t.Errorf("title %q", title)
	}
	risk, _ := f.GetCellValue("台风倒伏风险", "A2")
	if risk != r.Risks[0].Tree {
		t.Errorf("risk sheet starts with %q, want %q", risk, r.Risks[0].Tree)
	}
	var d bytes.Buffer
	if err := r.WriteDOCX(&d); err != nil {
		t.Fatal(err)
	}
	src, err := gongwen.ReadDOCX(d.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(src.Paragraphs, "\n")
	if !strings.Contains(text, "关于2026年7月绿化管养工作情况的报告") || !strings.Contains(text, "合成演示数据") || !strings.Contains(text, r.Risks[0].Tree) {
		t.Errorf("docx text: %.400s", text)
	}
}
