package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Serve's risk part on a demo installation (the synthetic communities)
// assesses them at once on the injected clock and stores
// the results; the chat answers from them: no level before the storm's
// readings say otherwise is invented, and after them the named
// community's level, reasons and advice. On both engines.
func TestRiskServeAndChat(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			clk := clock.NewManual(risk.SynthStart)
			a, err := openApp(ctx, storeFlags{data: t.TempDir(), db: storetest.URL(t, d), clock: clk.Now}, llm.Config{}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer a.close()
			city := &cityParts{store: citymon.NewStore(a.db, a.now)}
			if err := sim.Install(ctx, city.store, citymon.NewAlerts(city.store, nil), sim.Demo(), "test"); err != nil {
				t.Fatal(err)
			}
			if _, err := risk.NewStore(a.db, a.now).SeedDemo(ctx, "test"); err != nil {
				t.Fatal(err)
			}
			c := &chatter{t: t, a: a}
			// Before any cycle: the community is known, its level is not.
			if r := c.say("我们福保演示一社区会不会水浸"); !strings.Contains(r.Answer, "目前还没有该社区的内涝风险评估结果") {
				t.Fatalf("before any assessment: %s", r.Answer)
			}
			p, err := startRisk(ctx, a, city, risk.DefaultModel(), true, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			defer p.close()
			cs, err := p.store.Areas(ctx, false)
			if err != nil || len(cs) != 40 || !p.demo || !p.web().Demo {
				t.Fatalf("demo areas %d demo=%v %v", len(cs), p.demo, err)
			}
			// The loop's first cycle runs at once.
			deadline := time.Now().Add(30 * time.Second)
			for {
				cy, ok, err := p.store.LastCycle(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					if cy.Trigger != "定时" || !cy.At.Equal(risk.SynthStart) || cy.Communities != 40 || cy.Grids != 120 {
						t.Errorf("first cycle %+v", cy)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no cycle ran")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if r := c.say("福保演示一社区会不会水浸"); !strings.Contains(r.Answer, "无明显风险") || !strings.Contains(r.Answer, "暂无读数") {
				t.Errorf("dry, no readings: %s", r.Answer)
			}

			// A smoke detector's alarm is raised by serve's follower as it
			// is stored, long before the next cycle (an hour away).
			if _, err := city.store.Ingest(ctx, citymon.Batch{Source: "test", Readings: []citymon.Reading{{Device: "FT-SD-01", Param: "smoke", Time: risk.SynthStart, Value: 1}}}); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(30 * time.Second); ; {
				as, err := p.store.FireAlarms(ctx, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(as) == 1 && as[0].Open() && as[0].Device == "FT-SD-01" && as[0].Community == "FT-03-1" && as[0].IndexAfter > as[0].IndexBefore {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no alarm raised: %+v", as)
				}
				time.Sleep(20 * time.Millisecond)
			}

			// Two hours into the synthetic storm, re-assessed on demand.
			until := risk.SynthStart.Add(160 * time.Minute)
			clk.Set(until)
			evs, _ := risk.SyntheticStorm(risk.ExampleShenzhen, cs)
			var rs []citymon.Reading
			for _, ev := range evs {
				if _, err := city.store.Device(ctx, ev.Device); err == nil && !ev.Time.After(until) {
					rs = append(rs, citymon.Reading{Device: ev.Device, Param: ev.Param, Time: ev.Time, Value: ev.Value})
				}
			}
			if _, err := city.store.Ingest(ctx, citymon.Batch{Source: "test", Readings: rs}); err != nil {
				t.Fatal(err)
			}
			res, err := p.runner.Cycle(ctx, "test")
			if err != nil {
				t.Fatal(err)
			}
			var fb risk.Assessment
			for _, x := range res.Board.Communities {
				if x.Area == "FT-09-1" {
					fb = x
				}
			}
			if fb.Level < risk.Orange {
				t.Fatalf("福保演示一社区 in the storm: %+v", fb)
			}
			r := c.say("福保演示一社区暴雨天地下车库安全吗")
			if r.Status != assistant.Answered || !strings.Contains(r.Answer, "当前为"+fb.Level.Name()) || !strings.Contains(r.Answer, "主要原因：") ||
				!strings.Contains(r.Answer, "突发事件应对法") || !strings.Contains(r.Answer, "演示系统") {
				t.Errorf("in the storm: %s", r.Answer)
			}
		})
	}
}

// `fuwu serve` itself: the risk demo is loaded with the demo city, the
// first cycle runs, and the forecast API is routed (a post without a
// weather device's token is refused as the API says).
func TestRiskServeStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	dir := t.TempDir()
	base, loaded := make(chan string, 1), make(chan struct{}, 1)
	cmd := startServe(t, []string{"--data", dir, "--addr", "127.0.0.1:0", "--city-feed=false"}, func(line string) {
		if m := servingAt.FindStringSubmatch(line); m != nil {
			base <- m[1]
		}
		if strings.Contains(line, `"risk demo loaded" areas=160`) {
			loaded <- struct{}{}
		}
	})
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	var url string
	for got := 0; got < 2; got++ {
		select {
		case url = <-base:
		case <-loaded:
		case <-time.After(2 * time.Minute):
			t.Fatal("server did not start, or did not load the risk demo")
		}
	}
	req, _ := http.NewRequest("POST", url+"/api/v1/city/forecasts", strings.NewReader(`{"forecasts": [{"hours": 1, "rain_mm": 10}]}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 401 || !strings.Contains(string(body), `"no_token"`) {
		t.Errorf("forecast without a token = %d %s", res.StatusCode, body)
	}
	// The first cycle is stored, and once the demo city's history has
	// landed a cycle assesses on it.
	db, err := store.Open(context.Background(), store.DefaultURL(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		c, ok, err := risk.NewStore(db, nil).LastCycle(context.Background())
		if err == nil && ok && c.Trigger == "演示数据载入" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no assessment after the demo city loaded: last cycle %+v %v %v", c, ok, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
