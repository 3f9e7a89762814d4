package risk

import (
	"context"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Live readings from the city pipeline drive the level; a silent gauge
// shows in the confidence instead of counting as dry.
func TestLiveAssessFromCityReadings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := func() time.Time { return t0 }
		city := citymon.NewStore(db, now)
		areas := NewStore(db, now)
		for _, d := range []citymon.Device{
			{ID: "RG1", Kind: citymon.RainGauge, Name: "一号雨量站", Params: []citymon.ParamUnit{{Param: "rain"}}, Interval: 5 * time.Minute, Active: true},
			{ID: "RG2", Kind: citymon.RainGauge, Name: "二号雨量站", Params: []citymon.ParamUnit{{Param: "rain"}}, Interval: 5 * time.Minute, Active: true},
			{ID: "WL1", Kind: citymon.WaterLevel, Name: "某路口水位", Params: []citymon.ParamUnit{{Param: "level"}}, Interval: 5 * time.Minute, Active: true},
		} {
			if _, err := city.SaveDevice(ctx, d, "test"); err != nil {
				t.Fatal(err)
			}
		}
		a := testArea
		a.RainGauges, a.LevelGauges = []string{"RG1", "RG2"}, []string{"WL1"}
		if err := areas.SaveArea(ctx, a, "test"); err != nil {
			t.Fatal(err)
		}
		var rs []citymon.Reading
		for k := 11; k >= 0; k-- { // an hour of 12 mm per five minutes at RG1 only
			rs = append(rs, citymon.Reading{Device: "RG1", Param: "rain", Time: t0.Add(-time.Duration(k) * 5 * time.Minute), Value: 12})
		}
		rs = append(rs, citymon.Reading{Device: "WL1", Param: "level", Time: t0.Add(-10 * time.Minute), Value: 0.06},
			citymon.Reading{Device: "WL1", Param: "level", Time: t0, Value: 0.2})
		if res, err := city.Ingest(ctx, citymon.Batch{Source: "test", Readings: rs}); err != nil || res.Stored != len(rs) {
			t.Fatalf("ingest %+v %v", res, err)
		}
		live := &Live{Areas: areas, City: city, Model: DefaultModel()}
		b, err := live.Assess(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Communities) != 1 || b.Official {
			t.Fatalf("board %+v", b)
		}
		got := b.Communities[0]
		if got.Level != Red || got.Worst.DepthMM < 100 || got.MaxDepth != 0.2 || got.MaxRise < 0.13 {
			t.Errorf("assessment %+v", got)
		}
		if got.Confidence != "基于 1/2 个雨量计、1/1 个水位计" || got.LowConfidence {
			t.Errorf("confidence %q low=%v", got.Confidence, got.LowConfidence)
		}
	})
}
