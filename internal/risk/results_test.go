package risk

import (
	"context"
	"testing"
	"time"
)

// A cycle's results are kept per area; a community's spell at yellow or
// above is one incident from the cycle that raised it to the one that
// found it below yellow, its peak kept.
func TestSaveBoardLatestAndEpisodes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		if _, ok, err := s.LatestBoard(ctx); err != nil || ok {
			t.Fatalf("board before any cycle: ok=%v %v", ok, err)
		}
		board := func(at time.Time, l Level) Board {
			return Board{At: at, Formula: "示例", Communities: []Assessment{
				{Area: "C01", Name: "甲社区", Level: l, Factors: []Factor{{Key: "rain", Name: "降雨强度", Share: 0.6}}},
				{Area: "C02", Name: "乙社区", Level: Blue}},
				Grids: []Assessment{{Area: "C01-G1", Name: "甲社区第1网格", Level: l}}}
		}
		for i, l := range []Level{Yellow, Red, Orange, Blue, Blue} {
			if err := s.SaveBoard(ctx, board(t0.Add(time.Duration(i)*5*time.Minute), l), 3*time.Millisecond, "定时"); err != nil {
				t.Fatal(err)
			}
		}
		b, ok, err := s.LatestBoard(ctx)
		if err != nil || !ok || len(b.Communities) != 2 || len(b.Grids) != 1 || !b.At.Equal(t0.Add(20*time.Minute)) || b.Communities[0].Level != Blue {
			t.Fatalf("latest board %+v ok=%v %v", b, ok, err)
		}
		a, at, ok, err := s.Latest(ctx, "C01-G1")
		if err != nil || !ok || a.Level != Blue || !at.Equal(t0.Add(20*time.Minute)) {
			t.Errorf("latest of a grid cell %+v %v %v %v", a, at, ok, err)
		}
		if _, _, ok, err := s.Latest(ctx, "nowhere"); ok || err != nil {
			t.Errorf("latest of an unknown area ok=%v %v", ok, err)
		}
		eps, err := s.Episodes(ctx, 10)
		if err != nil || len(eps) != 1 {
			t.Fatalf("episodes %+v %v", eps, err)
		}
		e := eps[0]
		if e.Area != "C01" || e.Peak != Red || e.Level != Blue || !e.Started.Equal(t0) || !e.Ended.Equal(t0.Add(15*time.Minute)) ||
			e.Reason != "降雨强度（60%）" {
			t.Errorf("episode %+v", e)
		}
		cy, ok, err := s.LastCycle(ctx)
		if err != nil || !ok || cy.Communities != 2 || cy.Grids != 1 || cy.Trigger != "定时" {
			t.Errorf("last cycle %+v %v %v", cy, ok, err)
		}
	})
}
