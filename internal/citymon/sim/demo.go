package sim

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Install saves the network's devices, sensitive points, limits,
// facilities and rules (replacing those with the same ids).
func Install(ctx context.Context, s *citymon.Store, al *citymon.Alerts, n Network, actor string) error {
	for _, d := range n.Devices {
		if _, err := s.SaveDevice(ctx, d, actor); err != nil {
			return err
		}
	}
	for _, p := range n.Sensitive {
		if err := s.SaveSensitive(ctx, p); err != nil {
			return err
		}
	}
	for _, l := range n.Limits {
		if err := s.SetLimit(ctx, l); err != nil {
			return err
		}
	}
	for _, f := range n.Facilities {
		if err := s.SaveFacility(ctx, f); err != nil {
			return err
		}
	}
	for _, r := range n.Rules {
		if err := al.SaveRule(ctx, r, actor); err != nil {
			return err
		}
	}
	return nil
}

// History ingests the generator's readings from from to to: hourly
// readings up to six hours before to, then at each device's own interval,
// in batches; then settles the daily aggregates, scans for exceedances
// and evaluates the alert rules at to.
func History(ctx context.Context, s *citymon.Store, al *citymon.Alerts, g *Generator, from, to time.Time) (citymon.Result, error) {
	var total citymon.Result
	var batch []citymon.Reading
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := s.Ingest(ctx, citymon.Batch{Source: "demo", Readings: batch})
		if err != nil {
			return err
		}
		total.Stored += res.Stored
		total.Duplicates += res.Duplicates
		total.Quarantined += res.Quarantined
		batch = batch[:0]
		return nil
	}
	collect := func(rs []citymon.Reading) error {
		batch = append(batch, rs...)
		if len(batch) >= 5000 {
			return flush()
		}
		return nil
	}
	fine := to.Add(-6 * time.Hour).Truncate(time.Hour)
	if err := g.Between(from, fine, time.Hour, collect); err != nil {
		return total, err
	}
	if err := g.Between(fine, to, 5*time.Minute, collect); err != nil {
		return total, err
	}
	if err := flush(); err != nil {
		return total, err
	}
	for {
		n, err := s.Settle(ctx)
		if err != nil {
			return total, err
		}
		if n == 0 {
			break
		}
	}
	if _, err := s.ScanExceedances(ctx, from, to); err != nil {
		return total, err
	}
	if al != nil {
		if _, err := al.Evaluate(ctx, to); err != nil {
			return total, err
		}
	}
	return total, nil
}

// OnlyDemo reports whether the store holds nothing but the demo network's
// devices (an empty store counts: LoadDemo fills it), so that pages can
// say their data is simulated.
func OnlyDemo(ctx context.Context, s *citymon.Store) (bool, error) {
	devs, err := s.Devices(ctx, "")
	if err != nil {
		return false, err
	}
	ours := map[string]bool{}
	for _, d := range Demo().Devices {
		ours[d.ID] = true
	}
	for _, d := range devs {
		if !ours[d.ID] {
			return false, nil
		}
	}
	return true, nil
}

// LoadDemo installs the demo network with days of history ending at now
// into a store that holds no other devices, and reports whether it did
// any work. Run again (a restart, or after an interrupted first start) it
// fills only the gap since the demo's latest reading, so the demo's
// history stays continuous; a store with devices of its own is left alone.
func LoadDemo(ctx context.Context, s *citymon.Store, al *citymon.Alerts, now time.Time, days int) (bool, error) {
	devs, err := s.Devices(ctx, "")
	if err != nil {
		return false, err
	}
	n := Demo()
	ours := map[string]bool{}
	for _, d := range n.Devices {
		ours[d.ID] = true
	}
	from := now.AddDate(0, 0, -days)
	for _, d := range devs {
		if !ours[d.ID] {
			return false, nil
		}
		if d.ID == n.Devices[0].ID && !d.LastSeen.IsZero() {
			if now.Sub(d.LastSeen) < 10*time.Minute {
				return false, nil
			}
			from = maxTime(from, d.LastSeen.Add(-time.Hour))
		}
	}
	start := time.Now()
	if len(devs) < len(n.Devices) {
		if err := Install(ctx, s, al, n, "demo"); err != nil {
			return false, fmt.Errorf("city demo: %w", err)
		}
	}
	g := NewGenerator(n, DefaultScenarios(now))
	res, err := History(ctx, s, al, g, from, now)
	if err != nil {
		return false, fmt.Errorf("city demo history: %w", err)
	}
	slog.Info("city demo loaded", "devices", len(n.Devices), "readings", res.Stored, "from", from.Format(time.DateTime), "took", time.Since(start).Round(time.Millisecond))
	return true, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Feed submits the generator's readings for every step from start until
// ctx ends, as live data arriving over the pipeline (no broker needed):
// the demo's "live data moving". now is the clock; each tick sends the
// readings due since the previous one.
func Feed(ctx context.Context, p *citymon.Pipeline, g *Generator, now func() time.Time, start time.Time, step time.Duration) {
	last := start
	tick := time.NewTicker(step)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cur := now()
		err := g.Between(last.Add(time.Second), cur.Add(time.Second), time.Minute, func(rs []citymon.Reading) error {
			return p.Submit(ctx, citymon.Batch{Source: "demo-feed", Readings: rs}, nil)
		})
		if err != nil {
			return
		}
		last = cur
	}
}
