package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
)

func init() {
	citySubs["devices"] = citySub{"list devices, or import them from CSV/XLSX (--import FILE)", runCityDevices}
	citySubs["token"] = citySub{"issue a device's HTTP ingest token (shown once)", runCityToken}
	citySubs["import"] = citySub{"back-fill readings from CSV/XLSX files", runCityImport}
	citySubs["ingest"] = citySub{"ingest from an MQTT broker until stopped (what serve --mqtt-url does)", runCityIngest}
	citySubs["demo"] = citySub{"install the demo network with days of history, or fill the gap since its latest reading", runCityDemo}
	citySubs["simulate"] = citySub{"publish realistic readings of the demo network over MQTT", runCitySimulate}
}

// cityOpen opens the store for a city subcommand.
func cityOpen(ctx context.Context, sf storeFlags) (*citymon.Store, *citymon.Alerts, func(), error) {
	db, err := sf.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	s := citymon.NewStore(db, time.Now)
	return s, citymon.NewAlerts(s, audit.New(db).WithSuite(auditSuite(sf))), func() { db.Close() }, nil
}

func runCityDevices(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city devices", std.err)
	var sf storeFlags
	sf.bind(fs)
	imp := fs.String("import", "", "import devices from this .csv or .xlsx (columns: id, kind, name, street, community, lon, lat, owner, params, interval, target_class, lake)")
	kind := fs.String("kind", "", "list only this kind")
	actor := fs.String("actor", "cli", "who is recorded as having made the change")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, _, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	if *imp != "" {
		f, err := os.Open(*imp)
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err := s.ImportDevices(ctx, filepath.Base(*imp), f, *actor)
		if err != nil {
			return err
		}
		return reportImport(std, *asJSON, *imp, rep)
	}
	devs, err := s.Devices(ctx, citymon.Kind(*kind))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(std.out, devs)
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t类型\t名称\t街道\t参数\t最后上报")
	for _, d := range devs {
		var ps []string
		for _, p := range d.Params {
			ps = append(ps, p.Param)
		}
		seen := "—"
		if !d.LastSeen.IsZero() {
			seen = d.LastSeen.In(citymon.Zone).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, citymon.KindName(d.Kind), d.Name, d.Street, strings.Join(ps, ","), seen)
	}
	return tw.Flush()
}

func reportImport(std stdio, asJSON bool, file string, rep citymon.ImportReport) error {
	if asJSON {
		if err := writeJSONLine(std.out, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(std.out, "%s: %d 行；设备保存 %d；读数入库 %d，重复 %d，隔离 %d；跳过 %d 行\n", file, rep.Rows, rep.Saved,
			rep.Result.Stored, rep.Result.Duplicates, rep.Result.Quarantined, len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(std.err, "%s: %s\n", file, p)
		}
	}
	if len(rep.Problems) > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d line(s) skipped", len(rep.Problems))}
	}
	return nil
}

func runCityToken(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city token", std.err)
	var sf storeFlags
	sf.bind(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu city token DEVICE"}
	}
	s, _, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	tok, err := s.IssueToken(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, tok)
	fmt.Fprintln(std.err, "令牌只显示这一次；重新签发会使旧令牌失效。设备以 Authorization: Bearer <令牌> 提交读数。")
	return nil
}

func runCityImport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city import", std.err)
	var sf storeFlags
	sf.bind(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	retention := fs.Duration("retention", citymon.DefaultRetention, "accept readings this far back (older ones are quarantined as too old)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu city import FILE.csv|FILE.xlsx ...\n\nLong tables (device, param, time, value[, unit]) or wide ones (device, time, one column per parameter).\nDuplicates count once; bad values are quarantined; unreadable rows are reported by line (exit status 3).")
		fs.PrintDefaults()
	}
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return &exitError{code: 2}
	}
	s, _, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	s.Retention = *retention
	var skipped int
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		rep, err := s.ImportReadings(ctx, filepath.Base(file), f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := reportImport(std, *asJSON, file, rep); err != nil {
			skipped += len(rep.Problems)
		}
	}
	for {
		if n, err := s.Settle(ctx); err != nil || n == 0 {
			if err != nil {
				return err
			}
			break
		}
	}
	if skipped > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d line(s) skipped", skipped)}
	}
	return nil
}

// mqttFlags are the broker flags of serve, city ingest and city simulate.
type mqttFlags struct {
	url, clientID, topic string
}

func (m *mqttFlags) bind(fs interface {
	StringVar(*string, string, string, string)
}, clientID string) {
	fs.StringVar(&m.url, "mqtt-url", "", "MQTT broker, mqtt://[user:password@]host:port (e.g. Mosquitto at mqtt://127.0.0.1:1883)")
	fs.StringVar(&m.clientID, "mqtt-client-id", clientID, "MQTT client id; the broker keeps the session (and queued readings) under it")
	fs.StringVar(&m.topic, "mqtt-topic", citymon.DefaultTopic, "subscription (several replicas: $share/fuwu/fuwu/city/#)")
}

func (m mqttFlags) config() citymon.MQTTConfig {
	return citymon.MQTTConfig{URL: m.url, ClientID: m.clientID, Topic: m.topic}
}

func runCityIngest(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city ingest", std.err)
	var sf storeFlags
	sf.bind(fs)
	var mf mqttFlags
	mf.bind(fs, "fuwu-citymon")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if mf.url == "" {
		return &exitError{code: 2, msg: "--mqtt-url is required"}
	}
	s, al, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	p := citymon.NewPipeline(s)
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	sub, err := citymon.Subscribe(ctx, mf.config(), p)
	if err != nil {
		return err
	}
	go citymon.Maintain(ctx, s, al, time.Now, time.Minute)
	<-ctx.Done()
	sub.Close()
	<-done
	st := p.Stats()
	fmt.Fprintf(std.out, "stored %d, duplicates %d, quarantined %d in %d batches\n", st.Stored, st.Duplicates, st.Quarantined, st.Batches)
	return nil
}

func runCityDemo(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city demo", std.err)
	var sf storeFlags
	sf.bind(fs)
	days := fs.Int("days", 30, "days of history")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, al, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	done, err := sim.LoadDemo(ctx, s, al, time.Now(), *days)
	if err != nil {
		return err
	}
	if !done {
		fmt.Fprintln(std.out, "nothing to do: the demo is up to date, or the store has devices of its own")
		return nil
	}
	fmt.Fprintln(std.out, "demo network and history installed")
	return nil
}

const citySimulateUsage = `Usage: fuwu city simulate --mqtt-url mqtt://127.0.0.1:1883 [--scenario ozone,dust,exceed,degraded,rainstorm,fire] [--duration 1h] [--speed 60]

Publishes the demo network's readings over MQTT (topic fuwu/city/<device>, QoS 1), each
device at its own interval, as "now" advances --speed times faster than the clock. The
scenarios run from the start: ozone (an ozone episode), dust (a dusty construction
site), exceed (an enterprise above its COD limit), degraded (a treatment plant below
its design efficiency), rainstorm (a short heavy storm with standing water), fire (a smoke detector in
alarm and a hydrant's pressure too low: fire alarms on the risk console at once).
The receiving side (fuwu serve --mqtt-url, or fuwu city ingest) needs the demo network's
devices: fuwu city demo installs them.`

func runCitySimulate(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city simulate", std.err)
	var mf mqttFlags
	mf.bind(fs, "fuwu-simulate")
	scen := fs.String("scenario", "", "scenarios to run from the start, comma-separated (ozone, dust, exceed, degraded, rainstorm, fire)")
	duration := fs.Duration("duration", 0, "stop after this much simulated time (0: until interrupted)")
	speed := fs.Float64("speed", 1, "simulated seconds per real second")
	prefix := fs.String("topic-prefix", "fuwu/city/", "topics are this prefix + device id")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), citySimulateUsage); fs.PrintDefaults() }
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if mf.url == "" || *speed <= 0 {
		return &exitError{code: 2, msg: "--mqtt-url is required and --speed must be positive"}
	}
	start := time.Now().Truncate(time.Minute)
	var scenarios []sim.Scenario
	for _, name := range splitList(*scen) {
		if _, ok := sim.ScenarioNames[name]; !ok {
			return &exitError{code: 2, msg: fmt.Sprintf("unknown scenario %q", name)}
		}
		end := start.Add(3 * time.Hour)
		if name == "rainstorm" {
			end = start.Add(90 * time.Minute)
		}
		scenarios = append(scenarios, sim.Scenario{Name: name, From: start, To: end})
		fmt.Fprintf(std.err, "场景 %s：%s\n", name, sim.ScenarioNames[name])
	}
	pub, err := citymon.NewPublisher(ctx, citymon.MQTTConfig{URL: mf.url, ClientID: mf.clientID}, *prefix)
	if err != nil {
		return err
	}
	defer pub.Close()
	g := sim.NewGenerator(sim.Demo(), scenarios)
	sent := 0
	sim0 := start
	for step := 0; ; step++ {
		at := sim0.Add(time.Duration(step) * time.Minute)
		if *duration > 0 && at.Sub(sim0) >= *duration {
			break
		}
		// Wait until the simulated clock reaches at.
		wait := time.Until(start.Add(time.Duration(float64(at.Sub(sim0)) / *speed)))
		if wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				fmt.Fprintf(std.out, "published %d readings\n", sent)
				return nil
			}
		}
		for _, d := range g.Net.Devices {
			if at.Unix()%int64(max(d.Interval, time.Minute)/time.Second) != 0 {
				continue
			}
			rs := g.DeviceReadings(d, at)
			if err := pub.Publish(ctx, d.ID, rs); err != nil {
				fmt.Fprintf(std.out, "published %d readings\n", sent)
				return nil // interrupted: what was sent is reported
			}
			sent += len(rs)
		}
	}
	fmt.Fprintf(std.out, "published %d readings\n", sent)
	return nil
}
