package citymon

import (
	"context"
	"slices"
	"testing"
	"time"
)

// dayOf ingests 24 hourly readings (or the first n) of the given constant
// concentrations for device on day.
func dayOf(t *testing.T, s *Store, device string, day time.Time, n int, conc map[string]float64) {
	t.Helper()
	var rs []Reading
	for h := range n {
		for p, v := range conc {
			rs = append(rs, Reading{Device: device, Param: p, Time: day.Add(time.Duration(h)*time.Hour + 30*time.Minute), Value: v})
		}
	}
	mustIngest(t, s, rs...)
}

var cleanAir = map[string]float64{"SO2": 10, "NO2": 30, "CO": 0.8, "O3": 60, "PM10": 60}

func withPM25(v float64) map[string]float64 {
	m := map[string]float64{"PM2.5": v}
	for k, x := range cleanAir {
		m[k] = x
	}
	return m
}

func TestDailyAQIEditionsAndValidity(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		s.Retention = 10 * 365 * 24 * time.Hour
		mustDevice(t, s, airStation("A1", "莲花街道"))
		feb := time.Date(2026, 2, 28, 0, 0, 0, 0, Zone)
		mar := time.Date(2026, 3, 1, 0, 0, 0, 0, Zone)
		dayOf(t, s, "A1", feb, 24, withPM25(75))
		dayOf(t, s, "A1", mar, 24, withPM25(75))
		dayOf(t, s, "A1", mar.AddDate(0, 0, 1), 19, withPM25(75)) // 19 hours: invalid means
		days, err := s.DailyAQI(ctx, "A1", "2026-02-28", "2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 3 {
			t.Fatalf("%d days", len(days))
		}
		if d := days[0]; d.AQI == nil || *d.AQI != 100 || d.Edition != "2012" || !slices.Equal(d.Primary, []string{"PM2.5"}) {
			t.Errorf("28 Feb (HJ 633-2012): %+v", d)
		}
		if d := days[1]; d.AQI == nil || *d.AQI != 114 || d.Edition != "2026" || d.Colour != "#ff7e00" {
			t.Errorf("1 Mar (HJ 633-2026): %+v", d)
		}
		// 19 hours: no 24-hour mean is valid (20 needed); O3 has 14 valid
		// 8-hour windows (those ending at 07–20), just enough. With five
		// pollutants missing and AQI ≤ 100, 2026 publishes NA.
		if d := days[2]; d.AQI != nil || len(d.Invalid) != 5 || len(d.Conc) != 1 || d.IAQI["O3_8h"] != 30 {
			t.Errorf("2 Mar with 19 hours: %+v", d)
		}
		if _, ok := days[2].Conc["PM2.5"]; ok {
			t.Error("an invalid mean must not be shown as a value")
		}
	})
}

func TestHourlyAQIAndStreets(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "莲花街道"))
		mustDevice(t, s, airStation("A2", "莲花街道"))
		mustDevice(t, s, airStation("B1", "沙头街道"))
		day := time.Date(2026, 3, 9, 0, 0, 0, 0, Zone)
		dayOf(t, s, "A1", day, 24, withPM25(60))
		dayOf(t, s, "A2", day, 24, withPM25(90))
		dayOf(t, s, "B1", day, 24, withPM25(20))
		hs, err := s.HourlyAQI(ctx, "莲花街道", day, day.Add(8*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 8 {
			t.Fatalf("%d hours", len(hs))
		}
		// The street's PM2.5 is the mean of its stations: 75 → 114 (2026).
		if h := hs[0]; h.AQI == nil || *h.AQI != 114 || h.Conc["PM2.5"] != 75 {
			t.Errorf("hour 0: %+v", h)
		}
		if _, ok := hs[4].Conc["O3_8h"]; ok {
			t.Error("an 8-hour O3 mean from 5 hours")
		}
		if v, ok := hs[5].Conc["O3_8h"]; !ok || v != 60 {
			t.Errorf("8-hour O3 from 6 hours: %v %v", v, ok)
		}
		rank, err := s.StreetRanking(ctx, "2026-03-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(rank) != 2 || rank[0].Street != "沙头街道" || rank[1].Street != "莲花街道" {
			t.Errorf("ranking %+v", rank)
		}
		ex, err := s.ExceedanceDays(ctx, "", "2026-03-09", "2026-03-09")
		if err != nil || len(ex) != 0 { // district mean PM2.5 56.7 → 2026: ≤ 100
			t.Errorf("district exceedance days %+v %v", ex, err)
		}
		ex, _ = s.ExceedanceDays(ctx, "A2", "2026-03-09", "2026-03-09")
		if len(ex) != 1 {
			t.Errorf("A2 exceedance days %+v", ex)
		}
	})
}

func TestMissingPollutant2026(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "莲花街道"))
		day := time.Date(2026, 3, 9, 0, 0, 0, 0, Zone)
		dayOf(t, s, "A1", day, 24, map[string]float64{"PM2.5": 40, "PM10": 60}) // only two pollutants, AQI ≤ 100
		dayOf(t, s, "A1", day.AddDate(0, 0, -1), 24, map[string]float64{"PM2.5": 150})
		days, err := s.DailyAQI(ctx, "A1", "2026-03-08", "2026-03-09")
		if err != nil {
			t.Fatal(err)
		}
		if d := days[1]; d.AQI != nil || d.IAQI["PM2.5"] != 60 {
			t.Errorf("missing pollutants, AQI ≤ 100 → NA with IAQIs: %+v", d)
		}
		if d := days[0]; d.AQI == nil || *d.AQI != 200 {
			t.Errorf("missing pollutants, AQI > 100 → published: %+v", d)
		}
	})
}

func TestCompareYearOnYear(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		s.Retention = 10 * 365 * 24 * time.Hour
		mustDevice(t, s, airStation("A1", "莲花街道"))
		for d := 1; d <= 3; d++ {
			dayOf(t, s, "A1", time.Date(2025, 3, d, 0, 0, 0, 0, Zone), 24, withPM25(80)) // 2012: 107
			dayOf(t, s, "A1", time.Date(2026, 3, d, 0, 0, 0, 0, Zone), 24, withPM25(40)) // 2026: 58
		}
		cmp, err := s.CompareMonth(ctx, "", time.Date(2026, 3, 3, 12, 0, 0, 0, Zone))
		if err != nil {
			t.Fatal(err)
		}
		if cmp.Current.Days != 3 || cmp.Current.GoodRate != 1 || cmp.LastYear.ExceedDays != 3 || cmp.GoodRateChange != 100 || cmp.PM25Change != -50 {
			t.Errorf("comparison %+v", cmp)
		}
		ytd, err := s.CompareYTD(ctx, "A1", time.Date(2026, 3, 3, 12, 0, 0, 0, Zone))
		if err != nil || ytd.Current.Days != 3 || ytd.LastYear.Days != 3 {
			t.Errorf("ytd %+v %v", ytd, err)
		}
	})
}

// An hour in which nothing was measured has no AQI, although the 8-hour O3
// mean of the hours before it is valid; the station shows its last
// measured hour instead.
func TestUnmeasuredHourHasNoAQI(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("U-01", "福田街道"))
		var rs []Reading
		for h := 1; h <= 8; h++ { // 04:00 … 11:00, t0 is 12:00
			at := t0.Add(-time.Duration(h) * time.Hour).Add(10 * time.Minute)
			rs = append(rs, Reading{Device: "U-01", Param: "O3", Time: at, Value: 100},
				Reading{Device: "U-01", Param: "PM2.5", Time: at, Value: 60})
		}
		mustIngest(t, s, rs...)
		vs, err := s.HourlyAQI(ctx, "U-01", t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil || len(vs) != 2 {
			t.Fatalf("hourly = %v, %v", vs, err)
		}
		if vs[0].AQI == nil || vs[1].AQI != nil {
			t.Errorf("11:00 AQI %v (want one), 12:00 AQI %v (want none): %+v", vs[0].AQI, vs[1].AQI, vs[1].Conc)
		}
		st, err := s.Stations(ctx, t0.Add(5*time.Minute))
		if err != nil || len(st) != 1 || st[0].AQI.AQI == nil || !st[0].AQI.At.Equal(t0.Add(-time.Hour)) {
			t.Errorf("station = %+v, %v", st, err)
		}
	})
}
