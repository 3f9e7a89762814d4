package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var riskMigrations = append(append([]store.Migrations{}, cityMigrations...), risk.Migrations)

// riskEnv is the web with the risk console over the demo city network
// (devices only, no history) and, with demo, the synthetic demo
// communities; a duty officer (operator) and an editor.
type riskEnv struct {
	*env
	risk *RiskOps
}

func newRiskEnv(t *testing.T, db *store.DB, demo bool) *riskEnv {
	t.Helper()
	ctx := context.Background()
	var ops *RiskOps
	e := newEnv(t, db, &fakeAssistant{}, func(c *Config) {
		st := citymon.NewStore(db, c.Now)
		c.City = &CityOps{Store: st, Alerts: citymon.NewAlerts(st, c.Audit), Pipeline: citymon.NewPipeline(st)}
		rs := risk.NewStore(db, c.Now)
		ops = &RiskOps{Store: rs, City: st, Demo: demo,
			Runner: risk.NewRunner(&risk.Live{Areas: rs, City: st, Model: risk.DefaultModel()}, c.Now)}
		c.Risk = ops
	})
	if err := sim.Install(ctx, ops.City, e.s.cfg.City.Alerts, sim.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	if demo {
		if _, err := ops.Store.SeedDemo(ctx, "test"); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"duty", auth.Operator}, {"editor", auth.Editor}} {
		if _, err := e.auth.AddUser(ctx, u.name, "", u.role, u.name+" password"); err != nil {
			t.Fatal(err)
		}
	}
	return &riskEnv{env: e, risk: ops}
}

func eachRisk(t *testing.T, demo bool, fn func(t *testing.T, e *riskEnv)) {
	storetest.Each(t, riskMigrations, func(t *testing.T, db *store.DB) { fn(t, newRiskEnv(t, db, demo)) })
}

// riskStorm moves the clock to minute m of the SYNTHETIC demo storm and
// stores the storm's readings after minute from up to then (the river
// gauge, which the demo network lacks, registered first), as the
// pipeline would.
func riskStorm(t testing.TB, clk interface{ Set(time.Time) }, city *citymon.Store, from, m int) {
	t.Helper()
	ctx := context.Background()
	if _, err := city.Device(ctx, risk.RiverGauge); err != nil {
		if _, err := city.SaveDevice(ctx, citymon.Device{ID: risk.RiverGauge, Kind: citymon.WaterLevel, Name: "深圳河潮位站（演示）",
			Street: "福保街道", Lon: 114.03, Lat: 22.505, Params: []citymon.ParamUnit{{Param: "level", Unit: "m"}},
			Interval: 5 * time.Minute, Active: true}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	after, until := risk.SynthStart.Add(time.Duration(from)*time.Minute), risk.SynthStart.Add(time.Duration(m)*time.Minute)
	clk.Set(until)
	cs, _ := risk.DemoAreas()
	evs, _ := risk.SyntheticStorm(risk.ExampleShenzhen, cs)
	var rs []citymon.Reading
	for _, ev := range evs {
		if ev.Time.After(after) && !ev.Time.After(until) {
			rs = append(rs, citymon.Reading{Device: ev.Device, Param: ev.Param, Time: ev.Time, Value: ev.Value})
		}
	}
	res, err := city.Ingest(ctx, citymon.Batch{Source: "test", Readings: rs})
	if err != nil || res.Stored != len(rs) {
		t.Fatalf("storm readings: stored %+v of %d: %v", res, len(rs), err)
	}
}

func (c *client) riskPost(path string, form url.Values) resp {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf("/admin/risk"))
	return c.post(path, form)
}

// Reading needs view_city, acting manage_city; without a login the pages
// send to the login page and the actions are refused.
func TestRiskConsolePermissions(t *testing.T) {
	t.Parallel()
	eachRisk(t, true, func(t *testing.T, e *riskEnv) {
		anon := e.client()
		if r := anon.get("/admin/risk"); r.code != 303 || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=") {
			t.Errorf("anonymous page = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := anon.get("/admin/risk/api/map"); r.code != 303 {
			t.Errorf("anonymous map = %d", r.code)
		}
		if r := anon.post("/admin/risk/assess", url.Values{"csrf": {anon.csrf("/admin/login")}}); r.code != 401 {
			t.Errorf("anonymous assess = %d", r.code)
		}
		ed := e.client()
		ed.login("editor", "editor password")
		for _, p := range []string{"/admin/risk", "/admin/risk/api/map"} {
			if r := ed.get(p); r.code != 403 || !strings.Contains(r.body, "无权访问") {
				t.Errorf("editor %s = %d", p, r.code)
			}
		}
		tok := ed.csrf("/admin")
		for _, p := range []string{"/admin/risk/assess", "/admin/risk/check", "/admin/risk/fire-tasks/1/close"} {
			if r := ed.post(p, url.Values{"csrf": {tok}, "area": {"FT-01-1"}, "action": {"patrol"}}); r.code != 403 {
				t.Errorf("editor %s = %d", p, r.code)
			}
		}
		if _, ok, err := e.risk.Store.LastCycle(context.Background()); ok || err != nil {
			t.Errorf("a refused re-assessment ran: %v %v", ok, err)
		}
	})
}

var riskLevelOf = regexp.MustCompile(`data-area="(FT-\d\d-\d)" data-level="(.)"`)

// The demo storm, fed through the city store, turns communities yellow,
// orange and red on the console with their reasons and checklists; a
// grid worker's tick is kept; the incidents and the fire ranking with its
// tasks are listed, and a task is closed.
func TestRiskConsoleStorm(t *testing.T) {
	t.Parallel()
	eachRisk(t, true, func(t *testing.T, e *riskEnv) {
		c := e.client()
		c.login("duty", "duty password")
		r := c.get("/admin/risk")
		if r.code != 200 || !strings.Contains(r.body, "尚未评估") || !strings.Contains(r.body, "合成演示数据") ||
			!strings.Contains(r.body, "暂无风险事件") || !strings.Contains(r.body, `id="risk-reassess"`) {
			t.Fatalf("page before any cycle = %d %.500s", r.code, r.body)
		}
		var m struct {
			Communities []riskMapPoint `json:"communities"`
			Map         cityMap        `json:"map"`
		}
		if r := c.get("/admin/risk/api/map"); r.code != 200 || json.Unmarshal([]byte(r.body), &m) != nil || len(m.Communities) != 40 ||
			m.Communities[0].LevelName != "未评估" || len(m.Map.Streets) != 10 {
			t.Fatalf("map before any cycle = %d %.300s", r.code, r.body)
		}

		// Dry, and no gauge has reported: every community says 无数据.
		if r := c.riskPost("/admin/risk/assess", nil); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=assessed") {
			t.Fatalf("assess = %d %s", r.code, r.hdr.Get("Location"))
		}
		r = c.get("/admin/risk")
		if !strings.Contains(r.body, `<span class="badge nodata">无数据</span>`) || !strings.Contains(r.body, "duty 手动评估") {
			t.Errorf("no data is not shown: %.2000s", r.body)
		}

		// Two hours forty minutes into the storm.
		riskStorm(t, e.clk, e.risk.City, 0, 160)
		if r := c.riskPost("/admin/risk/assess", nil); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=assessed") {
			t.Fatalf("assess in the storm = %d %s", r.code, r.hdr.Get("Location"))
		}
		r = c.get("/admin/risk")
		levels := map[string]string{}
		for _, x := range riskLevelOf.FindAllStringSubmatch(r.body, -1) {
			levels[x[1]] = x[2]
		}
		n := map[string]int{}
		for _, l := range levels {
			n[l]++
		}
		if len(levels) != 40 || n["红"] == 0 || n["橙"] == 0 || n["黄"] == 0 {
			t.Fatalf("levels in the storm %v (%v)", n, levels)
		}
		for _, want := range []string{"降雨强度", "约 ", "基于 ", "个雨量计", "处置清单", "《突发事件应对法》第六十七条", "关闭地下车库出入口",
			"进行中", "消防风险排名", "一致性比率", "待办", `class="level-dot lv-4"`, `data-grid="FT-09-1-G1"`, "福保演示一社区第1网格"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("storm page lacks %q", want)
			}
		}
		// The first red community's first checklist item, ticked.
		var red string
		for _, x := range riskLevelOf.FindAllStringSubmatch(r.body, -1) {
			if x[2] == "红" {
				red = x[1]
				break
			}
		}
		if r := c.riskPost("/admin/risk/check", url.Values{"area": {red}, "action": {"transfer"}, "done": {"1"}}); r.code != 303 ||
			!strings.Contains(r.hdr.Get("Location"), "ok=checked") {
			t.Fatalf("tick = %d %s", r.code, r.hdr.Get("Location"))
		}
		r = c.get("/admin/risk")
		block := r.body[strings.Index(r.body, `id="area-`+red+`"`):]
		block = block[:strings.Index(block, "</details>")]
		if !regexp.MustCompile(`data-action="transfer" class="done">[\s\S]*✓ duty 2026-06-10 16:40`).MatchString(block) {
			t.Errorf("ticked item not shown: %.1500s", block)
		}
		if r := c.riskPost("/admin/risk/check", url.Values{"area": {red}, "action": {"no-such"}, "done": {"1"}}); !strings.Contains(r.hdr.Get("Location"), "err=input") {
			t.Errorf("unknown item = %s", r.hdr.Get("Location"))
		}
		if r := c.riskPost("/admin/risk/check", url.Values{"area": {"nowhere"}, "action": {"patrol"}, "done": {"1"}}); !strings.Contains(r.hdr.Get("Location"), "err=notfound") {
			t.Errorf("unknown area = %s", r.hdr.Get("Location"))
		}

		// The map agrees with the page.
		if r := c.get("/admin/risk/api/map"); json.Unmarshal([]byte(r.body), &m) != nil {
			t.Fatal(r.body)
		}
		for _, p := range m.Communities {
			if l, _ := risk.ParseLevel(levels[p.ID]); int(l) != p.Level || p.Colour != l.Colour() {
				t.Errorf("map %s level %d, page %s", p.ID, p.Level, levels[p.ID])
			}
		}

		// Incidents and fire tasks, stored.
		eps, err := e.risk.Store.Episodes(context.Background(), 100)
		if err != nil || len(eps) != n["红"]+n["橙"]+n["黄"] {
			t.Errorf("episodes %d, want %v: %v", len(eps), n, err)
		}
		tasks, err := e.risk.Store.FireTasks(context.Background(), 100)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("fire tasks %v %v", tasks, err)
		}
		path := "/admin/risk/fire-tasks/" + strconv.FormatInt(tasks[0].ID, 10) + "/close"
		if r := c.riskPost(path, nil); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=task-closed") {
			t.Fatalf("close task = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := c.riskPost(path, nil); !strings.Contains(r.hdr.Get("Location"), "err=task-missing") {
			t.Errorf("closing twice = %s", r.hdr.Get("Location"))
		}
		if r := c.get("/admin/risk"); !strings.Contains(r.body, "已办结（duty 2026-06-10 16:40）") {
			t.Errorf("closed task not shown")
		}
		// Every change is audited.
		entries, _, err := e.log.List(context.Background(), audit.Filter{Action: "risk.", Actor: "duty"}, audit.Page{Limit: 20})
		if err != nil || len(entries) < 4 {
			t.Errorf("audit %d %v", len(entries), err)
		}
	})
}

// Without communities the console says how to add them, and re-assessing
// says there is nothing to assess.
func TestRiskConsoleEmpty(t *testing.T) {
	t.Parallel()
	eachRisk(t, false, func(t *testing.T, e *riskEnv) {
		c := e.client()
		c.login("duty", "duty password")
		r := c.get("/admin/risk")
		if r.code != 200 || !strings.Contains(r.body, "尚未录入社区") || !strings.Contains(r.body, "fuwu risk areas --import") ||
			!strings.Contains(r.body, "尚未录入消防指标") || !strings.Contains(r.body, "暂无巡查任务") {
			t.Errorf("empty page = %d %.1500s", r.code, r.body)
		}
		if r := c.riskPost("/admin/risk/assess", nil); !strings.Contains(r.hdr.Get("Location"), "err=no-areas") {
			t.Errorf("assess without areas = %s", r.hdr.Get("Location"))
		}
		if r := c.get("/admin/risk?err=no-areas"); !strings.Contains(r.body, "尚未录入社区，无法评估") {
			t.Errorf("refusal not shown")
		}
	})
}

// A weather device posts forecasts with its token; others are refused.
func TestRiskForecastAPI(t *testing.T) {
	t.Parallel()
	eachRisk(t, true, func(t *testing.T, e *riskEnv) {
		ctx := context.Background()
		post := func(tok, body string) resp {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/city/forecasts", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			return e.client().do(req)
		}
		wx, err := e.risk.City.IssueToken(ctx, "FT-WX-01")
		if err != nil {
			t.Fatal(err)
		}
		rain, err := e.risk.City.IssueToken(ctx, "FT-RG-01")
		if err != nil {
			t.Fatal(err)
		}
		if r := post(wx, `{"area": "", "forecasts": [{"hours": 1, "rain_mm": 60}, {"hours": 3, "rain_mm": 120}]}`); r.code != 200 || !strings.Contains(r.body, `"stored":1`) {
			t.Errorf("forecast = %d %s", r.code, r.body)
		}
		if r := post(rain, `{"forecasts": [{"hours": 1, "rain_mm": 60}]}`); r.code != 401 {
			t.Errorf("rain gauge's token = %d %s", r.code, r.body)
		}
		if r := post(wx, `{"area": "nowhere", "forecasts": [{"hours": 1, "rain_mm": 60}]}`); r.code != 404 {
			t.Errorf("unknown area = %d", r.code)
		}
		if r := post(wx, `{"forecasts": [{"hours": 2, "rain_mm": 60}]}`); r.code != 400 {
			t.Errorf("bad horizon = %d", r.code)
		}
		fc, err := e.risk.Store.Forecasts(ctx, e.clk.Now())
		if err != nil || len(fc[""]) != 2 {
			t.Errorf("stored forecasts %v %v", fc, err)
		}
	})
}

// riskUpload posts a table to the import with the page's token.
func (c *client) riskUpload(kind, name, body string) resp {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.csrf("/admin/risk"))
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(body))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/admin/risk/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// The static picture: listed, imported from a table (bad rows named by
// line), edited per area (bad numbers refused, saying which); the
// editor may do none of it.
func TestRiskConsoleStaticData(t *testing.T) {
	t.Parallel()
	eachRisk(t, true, func(t *testing.T, e *riskEnv) {
		ctx := context.Background()
		c := e.client()
		c.login("duty", "duty password")
		if r := c.get("/admin/risk/data"); r.code != 200 || strings.Count(r.body, `<a href="/admin/risk/areas/FT-`) != 40 || !strings.Contains(r.body, "网格 120 个") {
			t.Fatalf("data page = %d %.500s", r.code, r.body)
		}
		csv := "编号,名称,街道,所属社区,面积,不透水率,设计重现期,地下车库,雨量计\n" +
			"C-NEW,新建社区,福田街道,,80,0.7,3,2,FT-RG-01\n" +
			"C-BAD,坏行社区,福田街道,,80,0.7,很久,0,\n"
		r := c.riskUpload("areas", "社区.csv", csv)
		if r.code != 200 || !strings.Contains(r.body, "共 2 行：保存 1，跳过 1") || !strings.Contains(r.body, "第 3 行") {
			t.Errorf("import = %d %.1500s", r.code, r.body[strings.Index(r.body, "<h1>"):])
		}
		if a, err := e.risk.Store.Area(ctx, "C-NEW"); err != nil || a.Garages != 2 || a.RainGauges[0] != "FT-RG-01" {
			t.Errorf("imported area %+v %v", a, err)
		}
		if r := c.riskUpload("areas", "社区.txt", csv); r.code != 400 || !strings.Contains(r.body, "只接受 .csv 或 .xlsx") {
			t.Errorf("wrong type = %d", r.code)
		}
		if r := c.riskUpload("fire", "消防.csv", "id,name,old_dense,ebike\nC-NEW,新建社区,30,4\n"); r.code != 200 || !strings.Contains(r.body, "保存 1，跳过 0") {
			t.Errorf("fire import = %d", r.code)
		}

		// One community edited.
		if r := c.get("/admin/risk/areas/FT-01-1"); r.code != 200 || !strings.Contains(r.body, `id="risk-area-save"`) || !strings.Contains(r.body, "易涝点") {
			t.Fatalf("edit page = %d", r.code)
		}
		form := url.Values{"name": {"园岭演示一社区"}, "street": {"园岭街道"}, "area_hm2": {"100"}, "impervious": {"0.8"}, "design_period": {"5"},
			"concentration_min": {"15"}, "tide_influence": {"0"}, "garages": {"3"}, "underpasses": {"0"}, "pumps": {"1"}, "elderly_alone": {"10"},
			"ground_floor_homes": {"20"}, "rain_gauges": {"FT-RG-01;FT-RG-02"}, "level_gauges": {""}, "river_gauge": {""}, "workers": {"张三；李四"}}
		if r := c.riskPost("/admin/risk/areas/FT-01-1", form); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=area-saved") {
			t.Fatalf("save = %d %s", r.code, r.hdr.Get("Location"))
		}
		a, err := e.risk.Store.Area(ctx, "FT-01-1")
		if err != nil || a.DesignPeriod != 5 || a.Garages != 3 || len(a.Workers) != 2 || len(a.PondingPoints) == 0 {
			t.Errorf("saved area %+v %v", a, err)
		}
		form.Set("area_hm2", "很大")
		form.Set("garages", "-")
		if r := c.riskPost("/admin/risk/areas/FT-01-1", form); r.code != 422 || !strings.Contains(r.body, "以下各项须填写数字：面积、地下车库") {
			t.Errorf("bad numbers = %d", r.code)
		}
		form.Set("area_hm2", "100")
		form.Set("garages", "3")
		form.Set("impervious", "3")
		if r := c.riskPost("/admin/risk/areas/FT-01-1", form); r.code != 422 || !strings.Contains(r.body, "保存未成功") {
			t.Errorf("impervious out of range = %d", r.code)
		}
		if r := c.get("/admin/risk/areas/nowhere"); r.code != 404 {
			t.Errorf("unknown area = %d", r.code)
		}

		ed := e.client()
		ed.login("editor", "editor password")
		for _, p := range []string{"/admin/risk/data", "/admin/risk/areas/FT-01-1"} {
			if r := ed.get(p); r.code != 403 {
				t.Errorf("editor %s = %d", p, r.code)
			}
		}
		if r := ed.post("/admin/risk/areas/FT-01-1", url.Values{"csrf": {ed.csrf("/admin")}, "name": {"x"}}); r.code != 403 {
			t.Errorf("editor save = %d", r.code)
		}
	})
}

var riskFireRow = regexp.MustCompile(`(?s)<tr data-community="FT-03-1" id="fire-FT-03-1">.*?</tr>`)

// A smoke detector's alarm reading shows on the console at once: listed
// with its community, device, kind and start, and among the community's
// fire-ranking factors; 处置 (manage_city only) closes it, audited, and
// it stops counting.
func TestRiskConsoleFireAlarms(t *testing.T) {
	t.Parallel()
	eachRisk(t, true, func(t *testing.T, e *riskEnv) {
		ctx := context.Background()
		c := e.client()
		c.login("duty", "duty password")
		if r := c.get("/admin/risk"); r.code != 200 || !strings.Contains(r.body, "消防实时报警（0 个未处置）") || !strings.Contains(r.body, "暂无报警") ||
			!strings.Contains(r.body, "示例阈值") {
			t.Fatalf("before any alarm = %d", r.code)
		}
		now := e.clk.Now()
		if res, err := e.risk.City.Ingest(ctx, citymon.Batch{Source: "test", Readings: []citymon.Reading{{Device: "FT-SD-01", Param: "smoke", Time: now, Value: 1}}}); err != nil || res.Stored != 1 {
			t.Fatalf("ingest %+v %v", res, err)
		}
		// What FollowAlarms does on the announcement in fuwu serve.
		sync, err := e.risk.Runner.SyncAlarms(ctx, []string{"FT-SD-01"})
		if err != nil || len(sync.Raised) != 1 || sync.Raised[0].Community != "FT-03-1" {
			t.Fatalf("sync %+v %v", sync, err)
		}
		id := strconv.FormatInt(sync.Raised[0].ID, 10)
		r := c.get("/admin/risk")
		if !strings.Contains(r.body, "消防实时报警（1 个未处置）") || !strings.Contains(r.body, `data-alarm="`+id+`" data-community="FT-03-1" class="open"`) ||
			!strings.Contains(r.body, "福田演示一社区") || !strings.Contains(r.body, "<td>福田演示社区出租屋烟感（FT-SD-01）</td><td>烟感探测器</td>") ||
			!strings.Contains(r.body, "2026-12-02 10:00") || !strings.Contains(r.body, `action="/admin/risk/fire-alarms/`+id+`/close"`) {
			t.Fatalf("alarm not listed:\n%s", r.body)
		}
		row := riskFireRow.FindString(r.body)
		if !strings.Contains(row, `data-factor="alarms"`) || !strings.Contains(row, "实时报警") || !strings.Contains(row, "FT-SD-01") {
			t.Errorf("the ranking row does not show the alarm:\n%s", row)
		}

		ed := e.client()
		ed.login("editor", "editor password")
		if r := ed.post("/admin/risk/fire-alarms/"+id+"/close", url.Values{"csrf": {ed.csrf("/admin")}}); r.code != 403 {
			t.Errorf("editor 处置 = %d", r.code)
		}
		if a, err := e.risk.Store.FireAlarm(ctx, sync.Raised[0].ID); err != nil || !a.Open() {
			t.Fatalf("a refused 处置 closed the alarm: %+v %v", a, err)
		}
		if r := c.riskPost("/admin/risk/fire-alarms/"+id+"/close", nil); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=alarm-closed") {
			t.Fatalf("处置 = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := c.riskPost("/admin/risk/fire-alarms/"+id+"/close", nil); !strings.Contains(r.hdr.Get("Location"), "err=alarm-missing") {
			t.Errorf("处置 twice = %s", r.hdr.Get("Location"))
		}
		r = c.get("/admin/risk")
		if !strings.Contains(r.body, "消防实时报警（0 个未处置）") || !strings.Contains(r.body, "已处置（duty 2026-12-02 10:00）") {
			t.Errorf("closed alarm not shown")
		}
		if row := riskFireRow.FindString(r.body); strings.Contains(row, `data-factor="alarms"`) {
			t.Errorf("a closed alarm still counts:\n%s", row)
		}
		entries, _, err := e.log.List(ctx, audit.Filter{Action: "risk.fire_alarm.close", Actor: "duty"}, audit.Page{Limit: 5})
		if err != nil || len(entries) != 1 || entries[0].Target != "risk:fire-alarm:"+id {
			t.Errorf("audit %+v %v", entries, err)
		}
	})
}
