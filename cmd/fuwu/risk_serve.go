package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/web"
)

// riskParts is community waterlogging and fire risk inside `fuwu serve`:
// the store, and the runner that re-assesses every community and grid
// cell every risk.AssessEvery on the city readings (and on demand from
// the console), storing the results the console and the chat read.
type riskParts struct {
	store   *risk.Store
	runner  *risk.Runner
	city    *cityParts
	demo    bool // every area is the synthetic demo: pages say so
	stop    context.CancelFunc
	workers sync.WaitGroup
}

// startRisk opens the risk store and, with demo and no community stored,
// installs the synthetic demo communities of Futian (they read the demo
// city network's gauges), then runs the assessment loop on the injected
// clock: one cycle at once, then every five minutes; and it follows the
// alarm sensors' readings, raising and clearing fire alarms at once.
func startRisk(ctx context.Context, a *app, city *cityParts, model risk.Model, demo bool, every time.Duration) (*riskParts, error) {
	s := risk.NewStore(a.db, a.now)
	if demo {
		has, err := s.HasAreas(ctx)
		if err != nil {
			return nil, err
		}
		if !has {
			n, err := s.SeedDemo(ctx, "demo")
			if err != nil {
				return nil, err
			}
			slog.Info("risk demo loaded", "areas", n)
		}
	}
	only, err := s.OnlySynthetic(ctx)
	if err != nil {
		return nil, err
	}
	live := &risk.Live{Areas: s, City: city.store, Model: model}
	bg, stop := context.WithCancel(context.Background())
	p := &riskParts{store: s, runner: risk.NewRunner(live, a.now), city: city, demo: only, stop: stop}
	p.workers.Go(func() { p.runner.Run(bg, every, slog.Default()) })
	// The first cycle runs before the demo city's history has landed
	// (it loads in the background): assess again once it has, rather
	// than show 暂无读数 until the next cycle.
	if ready := city.demoReady; ready != nil {
		p.workers.Go(func() {
			select {
			case <-ready:
				if _, err := p.runner.Cycle(bg, "演示数据载入"); err != nil && bg.Err() == nil {
					slog.Error("risk assessment", "err", err)
				}
			case <-bg.Done():
			}
		})
	}
	// Smoke and hydrant sensors' readings raise fire alarms as they are
	// stored, not at the next cycle.
	p.workers.Go(func() { p.runner.FollowAlarms(bg, slog.Default()) })
	return p, nil
}

func (p *riskParts) close() {
	p.stop()
	p.workers.Wait()
}

// web is what the web front needs of the risk model.
func (p *riskParts) web() *web.RiskOps {
	return &web.RiskOps{Store: p.store, Runner: p.runner, City: p.city.store, Demo: p.demo}
}
