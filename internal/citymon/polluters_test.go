package citymon

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
)

func outlet(id, owner string) Device {
	return Device{ID: id, Kind: Outlet, Name: "废水总排口", Owner: owner, Params: []ParamUnit{{"COD", ""}, {"NH3-N", ""}, {"flow", ""}}}
}

func TestExceedancesAndCompliance(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		log := audit.New(s.DB())
		mustDevice(t, s, outlet("O1", "某电子厂"))
		mustDevice(t, s, outlet("O2", "某印染厂"))
		for _, l := range []Limit{{Device: "O1", Param: "COD", Limit: 50, Permit: "914403001"}, {Device: "O2", Param: "COD", Limit: 50}} {
			if err := s.SetLimit(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetLimit(ctx, Limit{Device: "O1", Param: "SO2_stack", Limit: 5}); !errors.Is(err, ErrInput) {
			t.Errorf("a limit for a parameter the outlet does not measure: %v", err)
		}
		day := time.Date(2026, 3, 9, 0, 0, 0, 0, Zone)
		// O1 exceeds 02:00–04:00 and again at 07:00; O2 never.
		var rs []Reading
		for h := range 10 {
			v := 30.0
			if (h >= 2 && h <= 4) || h == 7 {
				v = 80 + float64(h)
			}
			at := day.Add(time.Duration(h)*time.Hour + 15*time.Minute)
			rs = append(rs, Reading{Device: "O1", Param: "COD", Time: at, Value: v}, Reading{Device: "O2", Param: "COD", Time: at, Value: 20})
		}
		mustIngest(t, s, rs...)
		opened, err := s.ScanExceedances(ctx, day, day.Add(10*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(opened) != 2 {
			t.Fatalf("opened %+v", opened)
		}
		// Scanning again changes nothing.
		if again, err := s.ScanExceedances(ctx, day, day.Add(10*time.Hour)); err != nil || len(again) != 0 {
			t.Fatalf("second scan %+v %v", again, err)
		}
		evs, _ := s.Exceedances(ctx, ExceedanceFilter{Live: true})
		if len(evs) != 2 || evs[1].Hours != 3 || evs[1].Peak != 84 || evs[0].Hours != 1 || evs[1].Enterprise != "某电子厂" {
			t.Fatalf("events %+v", evs)
		}
		tasks, _ := s.Tasks(ctx, TaskTodo)
		if len(tasks) != 2 {
			t.Fatalf("tasks %+v", tasks)
		}
		// open → acknowledged → closed with a note, each audited.
		id := evs[1].ID
		if err := s.CloseExceedance(ctx, log, id, Actor{Name: "执法员王"}, ""); !errors.Is(err, ErrInput) {
			t.Errorf("closing without a note: %v", err)
		}
		if err := s.AckExceedance(ctx, log, id, Actor{Name: "执法员王", Role: "agent"}, "已电话联系企业"); err != nil {
			t.Fatal(err)
		}
		if err := s.AckExceedance(ctx, log, id, Actor{Name: "执法员王"}, ""); !errors.Is(err, ErrState) {
			t.Errorf("second ack: %v", err)
		}
		if err := s.CloseExceedance(ctx, log, id, Actor{Name: "执法员王"}, "现场检查：格栅堵塞已清理，责令整改"); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateTask(ctx, log, tasks[0].ID, TaskDone, "执法员王", "已现场检查", Actor{Name: "科长"}); err != nil {
			t.Fatal(err)
		}
		entries, total, _ := log.List(ctx, audit.Filter{Action: "city."}, audit.Page{})
		if total != 3 || entries[0].Action != "city.task.update" {
			t.Errorf("audit %d %+v", total, entries)
		}
		comp, err := s.MonthlyCompliance(ctx, "2026-03")
		if err != nil {
			t.Fatal(err)
		}
		if len(comp) != 2 || comp[0].Enterprise != "某电子厂" || comp[0].Hours != 10 || comp[0].Compliant != 6 || comp[0].Rate != 0.6 || comp[0].Events != 2 || comp[1].Rate != 1 {
			t.Errorf("compliance %+v", comp)
		}
	})
}

func TestTreatmentEfficiency(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		in := Device{ID: "T-IN", Kind: Treatment, Name: "进口", Owner: "某污水处理站", Params: []ParamUnit{{"COD", ""}, {"flow", ""}}}
		out := Device{ID: "T-OUT", Kind: Treatment, Name: "出口", Owner: "某污水处理站", Params: []ParamUnit{{"COD", ""}}}
		mustDevice(t, s, in)
		mustDevice(t, s, out)
		if err := s.SaveFacility(ctx, Facility{ID: "F1", Name: "一期生化池", Enterprise: "某污水处理站", Medium: "water", Inlet: "T-IN", Outlet: "T-OUT",
			Design: map[string]float64{"COD": 0.9}, Capacity: 400}); err != nil {
			t.Fatal(err)
		}
		d1 := time.Date(2026, 3, 8, 10, 0, 0, 0, Zone)
		d2 := d1.AddDate(0, 0, 1)
		mustIngest(t, s,
			Reading{Device: "T-IN", Param: "COD", Time: d1, Value: 300}, Reading{Device: "T-OUT", Param: "COD", Time: d1, Value: 24},
			Reading{Device: "T-IN", Param: "flow", Time: d1, Value: 300},
			Reading{Device: "T-IN", Param: "COD", Time: d2, Value: 300}, Reading{Device: "T-OUT", Param: "COD", Time: d2, Value: 45},
		)
		if _, err := s.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		es, err := s.Efficiencies(ctx, "2026-03-08", "2026-03-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || es[0].Removal != 0.92 || es[0].Shortfall || es[0].Load != 0.75 || es[1].Removal != 0.85 || !es[1].Shortfall {
			t.Fatalf("efficiencies %+v", es)
		}
		sf, err := s.Shortfalls(ctx, d2)
		if err != nil || len(sf) != 1 || sf[0].Day != "2026-03-09" {
			t.Errorf("shortfalls %+v %v", sf, err)
		}
	})
}
