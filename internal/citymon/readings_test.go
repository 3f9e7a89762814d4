package citymon

import (
	"context"
	"math"
	"testing"
	"time"
)

func TestIngestDedupAndAggregates(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "福田街道"))
		h := t0.Add(-3 * time.Hour) // 09:00
		res := mustIngest(t, s,
			Reading{Device: "A1", Param: "PM2.5", Time: h, Value: 30},
			Reading{Device: "A1", Param: "PM2.5", Time: h.Add(20 * time.Minute), Value: 40},
			Reading{Device: "A1", Param: "PM2.5", Time: h.Add(20 * time.Minute), Value: 99}, // same key in one batch
		)
		if res != (Result{Stored: 2, Duplicates: 1}) {
			t.Fatalf("first batch %+v", res)
		}
		// Redelivered, and a late reading for the same hour.
		res = mustIngest(t, s,
			Reading{Device: "A1", Param: "PM2.5", Time: h, Value: 30},
			Reading{Device: "A1", Param: "PM2.5", Time: h.Add(40 * time.Minute), Value: 50},
		)
		if res != (Result{Stored: 1, Duplicates: 1}) {
			t.Fatalf("second batch %+v", res)
		}
		hs, err := s.Hourly(ctx, "A1", "PM2.5", h, h.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 1 || hs[0].N != 3 || hs[0].Mean != 40 || hs[0].Min != 30 || hs[0].Max != 50 {
			t.Fatalf("hourly %+v", hs)
		}
		// An out-of-order reading for an earlier hour updates that hour and the day.
		mustIngest(t, s, Reading{Device: "A1", Param: "PM2.5", Time: h.Add(-2 * time.Hour), Value: 10})
		if n, err := s.Settle(ctx); err != nil || n != 1 {
			t.Fatalf("settle %d %v", n, err)
		}
		ds, err := s.Daily(ctx, "A1", "PM2.5", t0.Format(time.DateOnly), t0.Format(time.DateOnly))
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Hours != 2 || ds[0].Mean != 25 || ds[0].Max != 40 {
			t.Fatalf("daily %+v", ds)
		}
	})
}

func TestIngestQuarantine(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "福田街道"))
		off := airStation("A2", "福田街道")
		off.Active = false
		if _, err := s.SaveDevice(ctx, off, "test"); err != nil {
			t.Fatal(err)
		}
		h := t0.Add(-time.Hour)
		res, err := s.Ingest(ctx, Batch{Source: "test", Readings: []Reading{
			{Device: "A1", Param: "PM2.5", Time: h, Value: 0.035, Unit: "mg/m³"}, // converted to 35 µg/m³
			{Device: "A1", Param: "CO", Time: h, Value: 800, Unit: "µg/m3"},      // 0.8 mg/m³
			{Device: "X9", Param: "PM2.5", Time: h, Value: 3},
			{Device: "A2", Param: "PM2.5", Time: h, Value: 3},
			{Device: "A1", Param: "TN", Time: h, Value: 3},
			{Device: "A1", Param: "PM2.5", Time: h.Add(time.Minute), Value: 9000},
			{Device: "A1", Param: "PM2.5", Time: h.Add(2 * time.Minute), Value: 3, Unit: "mm"},
			{Device: "A1", Param: "PM2.5", Time: t0.Add(time.Hour), Value: 3},
			{Device: "A1", Param: "PM2.5", Time: t0.AddDate(0, 0, -91), Value: 3},
			{Device: "A1", Param: "PM2.5", Time: h.Add(3 * time.Minute), Value: math.NaN()},
		}, Rejected: []Rejected{{Reason: ReasonMalformed, Detail: "bad JSON", Raw: "{"}}})
		if err != nil {
			t.Fatal(err)
		}
		if res != (Result{Stored: 2, Quarantined: 9}) {
			t.Fatalf("result %+v", res)
		}
		q, err := s.Quarantine(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]int{}
		for _, x := range q {
			reasons[x.Reason]++
		}
		want := map[string]int{ReasonUnknownDevice: 1, ReasonInactive: 1, ReasonUnknownParam: 1, ReasonOutOfRange: 1,
			ReasonUnit: 1, ReasonFuture: 1, ReasonTooOld: 1, ReasonNotANumber: 1, ReasonMalformed: 1}
		for k, v := range want {
			if reasons[k] != v {
				t.Errorf("reason %s: %d, want %d (all %v)", k, reasons[k], v, reasons)
			}
		}
		hs, _ := s.Hourly(ctx, "A1", "PM2.5", h, h.Add(time.Hour))
		if len(hs) != 1 || hs[0].Mean != 35 {
			t.Errorf("converted PM2.5: %+v", hs)
		}
		co, _ := s.Hourly(ctx, "A1", "CO", h, h.Add(time.Hour))
		if len(co) != 1 || math.Abs(co[0].Mean-0.8) > 1e-9 {
			t.Errorf("converted CO: %+v", co)
		}
		d, _ := s.Device(ctx, "A1")
		if !d.LastSeen.Equal(h) {
			t.Errorf("last seen %v, want %v", d.LastSeen, h)
		}
	})
}

func TestPrune(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "福田街道"))
		old := t0.AddDate(0, 0, -80)
		mustIngest(t, s, Reading{Device: "A1", Param: "PM10", Time: old, Value: 50}, Reading{Device: "A1", Param: "PM10", Time: t0.Add(-time.Hour), Value: 60})
		c.Set(t0.AddDate(0, 0, 20)) // the first reading is now 100 days old
		n, err := s.Prune(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("pruned %d, want 1", n)
		}
		raw, err := s.Raw(ctx, "A1", "PM10", old.Add(-time.Hour), t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) != 1 {
			t.Errorf("raw left %d, want 1", len(raw))
		}
		hs, _ := s.Hourly(ctx, "A1", "PM10", old.Add(-time.Hour), old.Add(time.Hour))
		if len(hs) != 1 || hs[0].Mean != 50 {
			t.Errorf("the aggregate must stay: %+v", hs)
		}
	})
}
