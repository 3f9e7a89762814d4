package main

import (
	"context"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/web"
)

// cityParts is city operations inside `fuwu serve`: the store and alerts
// the dashboard reads, and the pipeline the HTTP batch API
// (Pipeline.Handler) and the MQTT subscriber feed.
type cityParts struct {
	store    *citymon.Store
	alerts   *citymon.Alerts
	pipeline *citymon.Pipeline
	sub      *citymon.Subscriber
	demo     bool // the store holds only the demo network: pages say 演示数据
	stop     context.CancelFunc
	done     chan struct{}
	workers  sync.WaitGroup // the demo loader and feed, the maintenance loop
	// demoReady is closed once the demo history is stored (nil when no
	// demo is loaded): what reads the readings can look again then.
	demoReady chan struct{}
}

// startCity starts ingestion, the alert and exceedance loop, and with
// demo the demo network: thirty days of history on first start (in the
// background, so serving starts at once) and, without a broker and with
// feed, a live feed of simulated readings of every device through the
// pipeline (the path the HTTP API and MQTT take) every 30 s, so that the
// dashboard moves.
// The outgoing alert webhook is $FUWU_CITY_WEBHOOK.
func startCity(ctx context.Context, a *app, mf mqttFlags, demo, feed bool) (*cityParts, error) {
	s := citymon.NewStore(a.db, time.Now)
	al := citymon.NewAlerts(s, audit.New(a.db).WithSuite(a.services.keys.Suite()))
	if u := env("FUWU_CITY_WEBHOOK"); u != "" {
		al.Webhook = &citymon.Webhook{URL: u}
	}
	bg, stop := context.WithCancel(context.Background())
	c := &cityParts{store: s, alerts: al, pipeline: citymon.NewPipeline(s), stop: stop, done: make(chan struct{})}
	if demo {
		only, err := sim.OnlyDemo(ctx, s)
		if err != nil {
			stop()
			return nil, err
		}
		c.demo = only
	}
	go func() { c.pipeline.Run(bg); close(c.done) }()
	if mf.url != "" {
		sub, err := citymon.Subscribe(ctx, mf.config(), c.pipeline)
		if err != nil {
			c.close()
			return nil, err
		}
		c.sub = sub
	}
	c.workers.Go(func() { citymon.Maintain(bg, s, al, time.Now, time.Minute) })
	if demo {
		c.demoReady = make(chan struct{})
		c.workers.Go(func() {
			now := time.Now()
			if _, err := sim.LoadDemo(bg, s, al, now, 30); err != nil {
				if bg.Err() == nil {
					a.log.Error("city demo", "err", err)
				}
				return
			}
			close(c.demoReady)
			if mf.url == "" && feed {
				if _, err := s.Device(bg, "FT-AQ-01"); err == nil {
					// Every device every 30 s, faster than the intervals they
					// declare (5 min to 1 h), so that a newcomer sees the
					// screen move within half a minute.
					live := sim.Demo()
					for i := range live.Devices {
						live.Devices[i].Interval = 30 * time.Second
					}
					sim.Feed(bg, c.pipeline, sim.NewGenerator(live, sim.DefaultScenarios(now)), time.Now, now, 30*time.Second)
				}
			}
		})
	}
	return c, nil
}

func (c *cityParts) close() {
	if c.sub != nil {
		c.sub.Close()
	}
	c.stop()
	c.workers.Wait()
	<-c.done
}

// web is what the web front needs of city operations.
func (c *cityParts) web() *web.CityOps {
	return &web.CityOps{Store: c.store, Alerts: c.alerts, Pipeline: c.pipeline, Demo: c.demo}
}
