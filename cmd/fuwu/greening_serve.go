package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/web"
)

// greeningParts is greening maintenance inside `fuwu serve`.
type greeningParts struct {
	store   *greening.Store
	city    *cityParts
	demo    bool
	stop    context.CancelFunc
	workers sync.WaitGroup
}

// startGreening opens the greening store and, with demo and an empty
// inventory, loads the synthetic inventory in the background (about two
// seconds on SQLite), so serving starts at once; the pages fill as it
// lands.
func startGreening(ctx context.Context, a *app, city *cityParts, demo bool) (*greeningParts, error) {
	s := greening.NewStore(a.db, now)
	bg, stop := context.WithCancel(context.Background())
	g := &greeningParts{store: s, city: city, stop: stop}
	if demo {
		only, err := s.OnlySynthetic(ctx)
		if err != nil {
			stop()
			return nil, err
		}
		g.demo = only
		g.workers.Go(func() {
			start := time.Now()
			did, err := s.LoadDemo(bg, now())
			if err != nil {
				if bg.Err() == nil {
					slog.Error("greening demo", "err", err)
				}
				return
			}
			if did {
				slog.Info("greening demo loaded", "trees", greening.DemoTrees, "spaces", greening.DemoSpaces, "took", time.Since(start).Round(time.Millisecond))
			}
		})
	}
	return g, nil
}

func (g *greeningParts) close() {
	g.stop()
	g.workers.Wait()
}

// web is what the web front needs of greening maintenance.
func (g *greeningParts) web() *web.GreeningOps {
	ops := &web.GreeningOps{Store: g.store, Demo: g.demo}
	if g.city != nil {
		ops.City = g.city.store
	}
	return ops
}
