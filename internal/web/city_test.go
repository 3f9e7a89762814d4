package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var cityMigrations = append(append([]store.Migrations{}, testMigrations...), citymon.Migrations)

// cityEnv is the web over the demo city network with two days of history
// ending at testNow, the clock then moved on 5 minutes (so that a reading
// "now" is new), a running pipeline, and an operator and an editor.
type cityEnv struct {
	*env
	city *CityOps
}

func newCityEnv(t *testing.T, db *store.DB) *cityEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var ops *CityOps
	e := newEnv(t, db, &fakeAssistant{}, func(c *Config) {
		st := citymon.NewStore(db, func() time.Time { return c.Now() })
		ops = &CityOps{Store: st, Alerts: citymon.NewAlerts(st, c.Audit), Pipeline: citymon.NewPipeline(st), Demo: true}
		c.City = ops
	})
	if _, err := sim.LoadDemo(ctx, ops.Store, ops.Alerts, testNow, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := ops.Alerts.Evaluate(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ops.Store.ScanExceedances(ctx, testNow.Add(-48*time.Hour), testNow); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(5 * time.Minute)
	done := make(chan struct{})
	go func() { ops.Pipeline.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"duty", auth.Operator}, {"editor", auth.Editor}} {
		if _, err := e.auth.AddUser(ctx, u.name, "", u.role, u.name+" password"); err != nil {
			t.Fatal(err)
		}
	}
	return &cityEnv{env: e, city: ops}
}

func eachCity(t *testing.T, fn func(t *testing.T, e *cityEnv)) {
	storetest.Each(t, cityMigrations, func(t *testing.T, db *store.DB) { fn(t, newCityEnv(t, db)) })
}

// state reads the dashboard's state as the page does.
func (c *client) cityState() cityStateView {
	c.e.t.Helper()
	r := c.get("/admin/city/api/state")
	if r.code != 200 {
		c.e.t.Fatalf("state = %d %.300s", r.code, r.body)
	}
	var st cityStateView
	if err := json.Unmarshal([]byte(r.body), &st); err != nil {
		c.e.t.Fatal(err)
	}
	return st
}

func stationAQI(st cityStateView, id string) (int, string) {
	for _, s := range st.Stations {
		if s.ID == id && s.AQI.AQI != nil {
			return *s.AQI.AQI, s.AQI.Colour
		}
	}
	return -1, ""
}

// sendReadings posts a device's readings to the HTTP batch API with its
// token, as a device would.
func (e *cityEnv) sendReadings(t *testing.T, device string, at time.Time, values map[string]float64) {
	t.Helper()
	tok, err := e.city.Store.IssueToken(context.Background(), device)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"device": device, "time": at.Format(time.RFC3339), "values": values})
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/city/readings", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got citymon.Result
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 200 || got.Stored != len(values) {
		t.Fatalf("readings API = %d %+v %v", res.StatusCode, got, err)
	}
}

// waitState polls the state until ok holds (the pipeline commits and
// notifies asynchronously); the deadline only bounds a failing test.
func (c *client) waitState(what string, ok func(cityStateView) bool) cityStateView {
	c.e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := c.cityState()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			c.e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Who may open what: the dashboard needs view_city, the console
// manage_city; /city is the short address; devices post with their token.
func TestCityAccess(t *testing.T) {
	t.Parallel()
	eachCity(t, func(t *testing.T, e *cityEnv) {
		anon := e.client()
		for _, p := range []string{"/admin/city/screen", "/admin/city/api/state", "/admin/city", "/admin/city/devices"} {
			if r := anon.get(p); r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login") {
				t.Errorf("anonymous %s = %d %s", p, r.code, r.hdr.Get("Location"))
			}
		}
		if r := anon.get("/city"); r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/city/screen" {
			t.Errorf("/city = %d %s", r.code, r.hdr.Get("Location"))
		}
		ed := e.client()
		ed.login("editor", "editor password")
		for _, p := range []string{"/admin/city/screen", "/admin/city/api/state", "/admin/city/events", "/admin/city"} {
			if r := ed.get(p); r.code != http.StatusForbidden {
				t.Errorf("editor %s = %d", p, r.code)
			}
		}
		if r := ed.get("/admin"); strings.Contains(r.body, "城市运行") {
			t.Error("the editor's console links to city pages")
		}
		op := e.client()
		op.login("duty", "duty password")
		r := op.get("/admin/city/screen")
		if r.code != 200 || !strings.Contains(r.body, "演示数据") || !strings.Contains(r.body, `src="/static/echarts.min.js"`) {
			t.Errorf("dashboard = %d %.500s", r.code, r.body)
		}
		if r := op.get("/admin"); !strings.Contains(r.body, `href="/admin/city/screen"`) {
			t.Error("the operator's console lacks the dashboard link")
		}
		if r := anon.get("/static/echarts.min.js"); r.code != 200 || !strings.Contains(r.body[:400], "Apache") {
			t.Errorf("echarts asset = %d", r.code)
		}
		// A device without its token is refused; nothing is stored.
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/city/readings", strings.NewReader(`{"device":"FT-AQ-01","values":{"PM2.5":1}}`))
		req.Header.Set("Authorization", "Bearer wrong")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("bad token = %d", res.StatusCode)
		}
	})
}

// The state has every part the screen draws, with the official AQI
// colours; a reading posted to the HTTP API changes a station's AQI and
// the events stream says so.
func TestCityStateLive(t *testing.T) {
	t.Parallel()
	eachCity(t, func(t *testing.T, e *cityEnv) {
		op := e.client()
		op.login("duty", "duty password")
		st := op.cityState()
		official := map[string]bool{}
		for _, l := range aqi.Levels {
			official[l.Hex()] = true
		}
		if !st.Demo || len(st.Stations) != 10 || len(st.Water) != 5 || len(st.Map.Streets) != 10 || !st.Map.Schematic {
			t.Fatalf("state: demo %v, %d stations, %d sections, %d streets", st.Demo, len(st.Stations), len(st.Water), len(st.Map.Streets))
		}
		for _, s := range st.Stations {
			if s.AQI.AQI == nil || !official[s.AQI.Colour] || s.AQI.Colour != aqi.LevelOf(*s.AQI.AQI).Hex() {
				t.Errorf("station %s: AQI %v colour %s", s.ID, s.AQI.AQI, s.AQI.Colour)
			}
		}
		if len(st.Trend) != 24 || len(st.Rankings.Streets) == 0 || len(st.Rankings.Enterprises) == 0 || len(st.Alarms) == 0 || len(st.Dust) != 4 {
			t.Errorf("trend %d, streets %d, enterprises %d, alarms %d, dust %d", len(st.Trend), len(st.Rankings.Streets), len(st.Rankings.Enterprises), len(st.Alarms), len(st.Dust))
		}
		before, _ := stationAQI(st, "FT-AQ-01")

		// The events stream: hello first, then a change after the reading.
		req, _ := http.NewRequest("GET", e.srv.URL+"/admin/city/events", nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req = req.WithContext(ctx)
		res, err := op.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Fatalf("events content type %q", ct)
		}
		events := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
					events <- ev
				}
			}
			close(events)
		}()
		if ev := <-events; ev != "hello" {
			t.Fatalf("first event %q", ev)
		}
		e.sendReadings(t, "FT-AQ-01", e.clk.Now().Add(-time.Minute), map[string]float64{"PM2.5": 480, "PM10": 560})
		select {
		case ev := <-events:
			if ev != "change" {
				t.Errorf("event %q, want change", ev)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no change event after a stored reading")
		}
		after := op.waitState("FT-AQ-01's AQI to change", func(st cityStateView) bool { a, _ := stationAQI(st, "FT-AQ-01"); return a != before })
		a, colour := stationAQI(after, "FT-AQ-01")
		if a <= before || colour != aqi.LevelOf(a).Hex() {
			t.Errorf("FT-AQ-01 AQI %d → %d (%s)", before, a, colour)
		}
		// A trend of one station, and a refused range.
		if r := op.get("/admin/city/api/trend?scope=FT-AQ-01&metric=PM2.5&hours=6"); r.code != 200 || !strings.Contains(r.body, `"points"`) {
			t.Errorf("trend = %d %.200s", r.code, r.body)
		}
		if r := op.get("/admin/city/api/trend?hours=9999"); r.code != 400 {
			t.Errorf("trend hours=9999 = %d", r.code)
		}
	})
}

// The console: an alert acknowledged and closed, an exceedance event
// open → acknowledged → closed (a note required), a dust measure, each in
// the audit log; a device import reports its bad row by line number and
// saves the others; a device edited and given a token.
func TestCityConsole(t *testing.T) {
	t.Parallel()
	eachCity(t, func(t *testing.T, e *cityEnv) {
		ctx := context.Background()
		op := e.client()
		op.login("duty", "duty password")
		page := op.get("/admin/city")
		if page.code != 200 || !strings.Contains(page.body, "演示数据") {
			t.Fatalf("console = %d", page.code)
		}
		tok := op.csrf("/admin/city")
		alerts, err := e.city.Alerts.List(ctx, citymon.AlertFilter{Status: citymon.AlertOpen})
		if err != nil || len(alerts) == 0 {
			t.Fatalf("open alerts %d, %v", len(alerts), err)
		}
		id := fmt.Sprint(alerts[0].ID)
		if r := op.post("/admin/city/alerts/"+id+"/ack", url.Values{"csrf": {tok}, "note": {"已通知街道"}}); r.code != 303 || r.hdr.Get("Location") != "/admin/city?ok=city.alert_ack" {
			t.Errorf("ack = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := op.post("/admin/city/alerts/"+id+"/ack", url.Values{"csrf": {tok}}); r.hdr.Get("Location") != "/admin/city?err=city.state" {
			t.Errorf("second ack = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := op.get("/admin/city?err=city.state"); !strings.Contains(r.body, errCityState.UserMessage()) {
			t.Error("the refusal is not shown")
		}
		// The console shows messages by code, like every page: never the
		// text of a link, nor the codes of its old table.
		const planted = "值班电话已变更请拨打"
		for _, u := range []string{"/admin/city?err=" + url.QueryEscape(planted), "/admin/city?ok=" + url.QueryEscape(planted),
			"/admin/city?err=state", "/admin/city/dust?ok=" + url.QueryEscape(planted), "/admin/city/devices?err=" + url.QueryEscape(planted)} {
			if r := op.get(u); r.code != 200 || strings.Contains(r.body, planted) || strings.Contains(r.body, errCityState.UserMessage()) {
				t.Errorf("%s = %d, shows the link's text or a message it did not earn", u, r.code)
			}
		}
		if r := op.post("/admin/city/alerts/"+id+"/close", url.Values{"csrf": {tok}, "note": {"已处理"}}); r.hdr.Get("Location") != "/admin/city?ok=city.alert_close" {
			t.Errorf("close = %s", r.hdr.Get("Location"))
		}
		evs, err := e.city.Store.Exceedances(ctx, citymon.ExceedanceFilter{Status: "open"})
		if err != nil || len(evs) == 0 {
			t.Fatalf("open exceedances %d, %v", len(evs), err)
		}
		ev := fmt.Sprint(evs[0].ID)
		if r := op.post("/admin/city/exceedances/"+ev+"/ack", url.Values{"csrf": {tok}}); r.hdr.Get("Location") != "/admin/city?ok=city.exceedance_ack" {
			t.Errorf("exceedance ack = %s", r.hdr.Get("Location"))
		}
		if r := op.post("/admin/city/exceedances/"+ev+"/close", url.Values{"csrf": {tok}, "note": {"  "}}); r.hdr.Get("Location") != "/admin/city?err=city.note_required" {
			t.Errorf("close without a note = %s", r.hdr.Get("Location"))
		}
		if r := op.post("/admin/city/exceedances/"+ev+"/close", url.Values{"csrf": {tok}, "note": {"现场核查，已责令整改"}}); r.hdr.Get("Location") != "/admin/city?ok=city.exceedance_close" {
			t.Errorf("exceedance close = %s", r.hdr.Get("Location"))
		}
		closed, _ := e.city.Store.Exceedances(ctx, citymon.ExceedanceFilter{Status: "closed"})
		if len(closed) != 1 || closed[0].Note != "现场核查，已责令整改" || closed[0].ClosedBy != "duty" {
			t.Errorf("closed events %+v", closed)
		}
		day := e.clk.Now().In(citymon.Zone).Format(time.DateOnly)
		if r := op.get("/admin/city/dust"); r.code != 200 || !strings.Contains(r.body, "喷淋降尘") {
			t.Errorf("dust page = %d", r.code)
		}
		if r := op.post("/admin/city/dust/FT-DS-01", url.Values{"csrf": {tok}, "day": {day}, "code": {"spray"}, "done": {"1"}, "note": {"雾炮开启"}}); r.hdr.Get("Location") != "/admin/city/dust?day="+day+"&ok=city.measure_saved" {
			t.Errorf("measure = %d %s", r.code, r.hdr.Get("Location"))
		}
		ms, _ := e.city.Store.MeasuresOn(ctx, "FT-DS-01", day)
		if len(ms) == 0 || !ms[0].Done || ms[0].Officer != "duty" {
			t.Errorf("measures %+v", ms)
		}
		for _, action := range []string{"city.alert.ack", "city.alert.close", "city.exceedance.ack", "city.exceedance.close", "city.dust.measure"} {
			got, _, err := e.log.List(ctx, audit.Filter{Action: action, Actor: "duty"}, audit.Page{Limit: 5})
			if err != nil || len(got) != 1 {
				t.Errorf("audit %s: %d entries, %v", action, len(got), err)
			}
		}

		// Import: line 3 has no name; lines 2 and 4 are saved.
		csv := "编号,类型,名称,街道,经度,纬度,监测参数,上报间隔\n" +
			"T-AQ-01,air_station,测试站一,莲花街道,114.05,22.55,PM2.5;PM10,5m\n" +
			"T-AQ-02,air_station,,莲花街道,114.05,22.55,PM2.5,5m\n" +
			"T-WQ-01,水质监测断面,测试断面,福保街道,114.04,22.51,pH;DO,1h\n"
		if _, err := e.city.Store.Device(ctx, "T-WQ-01"); err == nil {
			t.Fatal("T-WQ-01 exists before the import")
		}
		r := op.postMultipart("/admin/city/devices/import", map[string]string{"csrf": tok}, "devices.csv", []byte(csv))
		if r.code != 200 || !strings.Contains(r.body, "保存 2，跳过 1") || !strings.Contains(r.body, "第 3 行") {
			t.Errorf("import = %d %.2000s", r.code, r.body)
		}
		if d, err := e.city.Store.Device(ctx, "T-WQ-01"); err != nil || d.Kind != citymon.WaterSection {
			t.Errorf("T-WQ-01 = %+v, %v", d, err)
		}
		// Edit a device: a bad longitude is refused with the form kept.
		form := url.Values{"csrf": {tok}, "id": {"T-AQ-01"}, "kind": {"air_station"}, "name": {"测试站一（改）"}, "street": {"莲花街道"},
			"lon": {"abc"}, "lat": {"22.55"}, "params": {"PM2.5;PM10"}, "interval": {"5m"}}
		if r := op.post("/admin/city/devices", form); r.code != 422 || !strings.Contains(r.body, "测试站一（改）") || !strings.Contains(r.body, "经度") ||
			!strings.Contains(r.body, errCityInput.UserMessage()) || strings.Contains(r.body, "citymon") || strings.Contains(r.body, "invalid input") {
			t.Errorf("bad save = %d %.300s", r.code, r.body)
		}
		form.Set("lon", "114.06")
		if r := op.post("/admin/city/devices", form); r.code != 303 || r.hdr.Get("Location") != "/admin/city/devices/T-AQ-01?ok=city.device_saved" {
			t.Errorf("save = %d %s", r.code, r.hdr.Get("Location"))
		}
		if d, _ := e.city.Store.Device(ctx, "T-AQ-01"); d.Name != "测试站一（改）" || d.Lon != 114.06 {
			t.Errorf("saved %+v", d)
		}
		r = op.post("/admin/city/devices/T-AQ-01/token", url.Values{"csrf": {tok}})
		i := strings.Index(r.body, `<code class="code">`)
		if r.code != 200 || i < 0 {
			t.Fatalf("token = %d", r.code)
		}
		token := r.body[i+len(`<code class="code">`):]
		token = token[:strings.Index(token, "<")]
		if d, err := e.city.Store.DeviceByToken(ctx, token); err != nil || d.ID != "T-AQ-01" {
			t.Errorf("the shown token names %q, %v", d.ID, err)
		}
	})
}
