package citymon

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestWaterSections(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		sec := Device{ID: "W1", Kind: WaterSection, Name: "福田河口", TargetClass: "IV", Interval: time.Hour,
			Params: []ParamUnit{{"pH", ""}, {"DO", ""}, {"CODMn", ""}, {"NH3-N", ""}, {"TP", ""}, {"TN", ""}}}
		mustDevice(t, s, sec)
		day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, Zone)
		day2 := day1.AddDate(0, 0, 1)
		mustIngest(t, s,
			Reading{Device: "W1", Param: "pH", Time: day1, Value: 7.1},
			Reading{Device: "W1", Param: "DO", Time: day1, Value: 5.5},
			Reading{Device: "W1", Param: "CODMn", Time: day1, Value: 5},
			Reading{Device: "W1", Param: "NH3-N", Time: day1, Value: 1.2},
			Reading{Device: "W1", Param: "TP", Time: day1, Value: 0.15},
			Reading{Device: "W1", Param: "TN", Time: day1, Value: 9}, // a river: TN left out
			Reading{Device: "W1", Param: "NH3-N", Time: day2, Value: 2.4},
		)
		if _, err := s.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		samples, err := s.WaterSamples(ctx, "W1", day1.Add(-time.Hour), day2.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) != 2 || samples[0].Class != "IV" || !slices.Equal(samples[0].Decisive, []string{"NH3-N"}) || !*samples[0].Compliant {
			t.Fatalf("first sample %+v", samples[0])
		}
		if samples[1].Class != "劣V" || *samples[1].Compliant || samples[1].Colour != "#ff0000" {
			t.Errorf("second sample %+v", samples[1])
		}
		// The month: NH3-N mean of the daily means (1.2 + 2.4) / 2 = 1.8 → V.
		m, err := s.WaterMonth(ctx, "W1", "2026-03")
		if err != nil {
			t.Fatal(err)
		}
		if m.Class != "V" || m.Values["NH3-N"] != 1.8 || *m.Compliant || !slices.Equal(m.Main, []string{"氨氮(0.8)"}) {
			t.Errorf("month %+v", m)
		}
		all, err := s.WaterOverview(ctx, "2026-02")
		if err != nil || len(all) != 1 || !all[0].Unavailable || all[0].Compliant != nil {
			t.Errorf("a month without data: %+v %v", all, err)
		}
	})
}
