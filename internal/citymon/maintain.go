package citymon

import (
	"context"
	"log/slog"
	"time"
)

// Maintain runs city operations' periodic work until ctx ends, every
// `every` on the clock now: evaluate the alert rules (and offline
// devices), scan the last three hours for permit exceedances (late data
// included), and once a day prune raw readings past retention.
func Maintain(ctx context.Context, s *Store, al *Alerts, now func() time.Time, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		t := now()
		if _, err := al.Evaluate(ctx, t); err != nil && ctx.Err() == nil {
			slog.Warn("citymon: evaluating alerts", "err", err)
		}
		if _, err := s.ScanExceedances(ctx, t.Add(-3*time.Hour), t.Add(time.Hour)); err != nil && ctx.Err() == nil {
			slog.Warn("citymon: scanning exceedances", "err", err)
		}
		if t.Sub(pruned) >= 24*time.Hour {
			if n, err := s.Prune(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("citymon: pruning raw readings", "err", err)
			} else if n > 0 {
				slog.Info("citymon: raw readings past retention pruned", "readings", n)
			}
			pruned = t
		}
	}
}
