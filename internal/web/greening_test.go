package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/sim"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

var greeningMigrations = append(append([]store.Migrations{}, testMigrations...), citymon.Migrations, greening.Migrations)

// greeningEnv is the web with greening maintenance over a small synthetic
// inventory (2 000 trees, one tree D-graded at a known place for the
// residents' report), the demo city network installed (no history) with
// a running pipeline, and an operator, an editor and a resident.
type greeningEnv struct {
	*env
	city  *CityOps
	green *GreeningOps
	op    *client
}

const weakTree = "T-WEAK"

func newGreeningEnv(t *testing.T, db *store.DB) *greeningEnv {
	t.Helper()
	return newGreeningEnvChat(t, db, false)
}

// newGreeningEnvChat is newGreeningEnv, with chat the real assistant
// taking residents' tree reports to the report form (as fuwu serve has
// it) rather than a fake.
func newGreeningEnvChat(t *testing.T, db *store.DB, chat bool) *greeningEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var ops *CityOps
	var g *GreeningOps
	var svc assistant.Service = &fakeAssistant{}
	var ix *search.Index
	if chat {
		kbs := kb.NewStore(db)
		if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
			t.Fatal(err)
		}
		ix = search.New(zh.MustDefault(), search.DefaultParams())
		svc = realAssistant(ctx, t, kbs, ix, func(c *assistant.Config) {
			k, err := greening.Starter()
			if err != nil {
				t.Fatal(err)
			}
			c.TreeReports = &assistant.TreeReportForm{Path: "/greening/report", Streets: greening.StreetNames(), Species: k.SpeciesNames()}
		})
	}
	e := newEnv(t, db, svc, func(c *Config) {
		if ix != nil {
			c.Search = ix
		}
		st := citymon.NewStore(db, func() time.Time { return c.Now() })
		ops = &CityOps{Store: st, Alerts: citymon.NewAlerts(st, c.Audit), Pipeline: citymon.NewPipeline(st), Demo: true}
		g = &GreeningOps{Store: greening.NewStore(db, func() time.Time { return c.Now() }), City: st, Demo: true}
		c.City, c.Greening = ops, g
	})
	if err := sim.Install(ctx, ops.Store, ops.Alerts, sim.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	d := greening.GenerateDemo(3, 2000, 40)
	d.Trees = append(d.Trees, greening.Tree{ID: weakTree, Species: "榕树", DBH: 40, Height: 12, Crown: 10, Lon: 114.2, Lat: 22.6,
		Street: "梅林街道", Health: greening.HealthDying, Target: "residential", Synthetic: true})
	if err := g.Store.SaveTrees(ctx, d.Trees, "test"); err != nil {
		t.Fatal(err)
	}
	if err := g.Store.SaveSpaces(ctx, d.Spaces); err != nil {
		t.Fatal(err)
	}
	if err := g.Store.SaveStreets(ctx, d.Streets); err != nil {
		t.Fatal(err)
	}
	if err := g.Store.Survey(ctx, testNow.In(greening.Zone).Format("2006-01")); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { ops.Pipeline.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &greeningEnv{env: e, city: ops, green: g, op: staffClient(t, e, auth.Operator)}
}

func eachGreening(t *testing.T, fn func(t *testing.T, e *greeningEnv)) {
	storetest.Each(t, greeningMigrations, func(t *testing.T, db *store.DB) { fn(t, newGreeningEnv(t, db)) })
}

func pngPhoto(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postUpload posts a multipart form with one file, with the page's token.
func (c *client) postUpload(path, tokenPage string, fields map[string]string, field, name string, content []byte) resp {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf(tokenPage))
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// Every greening console route needs its permission: anonymous GETs go
// to the login page, POSTs are refused, roles without the permission get
// 403 and those with it get past the check.
func TestGreeningRoutesNeedPermission(t *testing.T) {
	db := storetest.Open(t, store.SQLite, greeningMigrations...)
	e := newGreeningEnv(t, db)
	as := consoleRoles(t, e.env)
	anonToken := as[""].csrf("/admin/login")
	n := 0
	for _, rt := range e.s.bound {
		if rt.perm == "" || !strings.Contains(rt.pattern, "/admin/greening") {
			continue
		}
		n++
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = pathValue.ReplaceAllString(path, "x")
		r := send(as[""], method, path, anonToken)
		if method == "GET" && r.code != 303 || method == "POST" && r.code != 401 {
			t.Errorf("anonymous %s = %d", rt.pattern, r.code)
		}
		for _, role := range auth.Roles {
			c := as[string(role)]
			r := send(c, method, path, c.csrf("/admin"))
			refused := r.code == 403 && strings.Contains(r.body, "无权访问")
			if role.Can(rt.perm) == refused {
				t.Errorf("%s as %s = %d, permission %s held: %v", rt.pattern, role, r.code, rt.perm, role.Can(rt.perm))
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d greening routes walked", n)
	}
}

var firstTaskType = regexp.MustCompile(`<tr class="[^"]*" data-type="([a-z_]+)"`)

// A typhoon warning posted to the weather feed (the sensors' HTTP API)
// re-orders the week's plan: pre-pruning and bracing of the riskiest
// trees comes first, each task saying why.
func TestGreeningTyphoonReordersPlan(t *testing.T) {
	eachGreening(t, func(t *testing.T, e *greeningEnv) {
		before := e.op.get("/admin/greening/plan")
		m := firstTaskType.FindStringSubmatch(before.body)
		if before.code != 200 || m == nil || m[1] == greening.TaskTyphoonPrep {
			t.Fatalf("plan before the warning = %d, first task %v", before.code, m)
		}
		tok, err := e.city.Store.IssueToken(context.Background(), "FT-WX-01")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(map[string]any{"device": "FT-WX-01", "time": testNow.Add(-time.Minute).Format(time.RFC3339), "values": map[string]float64{"typhoon_warning": 3}})
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/city/readings", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("post warning: %v %v", res, err)
		}
		res.Body.Close()
		// The pipeline commits asynchronously; the deadline only bounds a
		// failing test.
		var after resp
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			after = e.op.get("/admin/greening/plan")
			if m := firstTaskType.FindStringSubmatch(after.body); m != nil && m[1] == greening.TaskTyphoonPrep {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("plan not re-ordered: %.2000s", after.body)
			}
		}
		for _, want := range []string{"台风黄色预警", "莲花山气象站", "倒伏风险", "树种抗风性"} {
			if !strings.Contains(after.body, want) {
				t.Errorf("plan lacks %q", want)
			}
		}
		if home := e.op.get("/admin/greening"); !strings.Contains(home.body, `id="greening-warning"`) {
			t.Error("overview does not show the warning")
		}
		// Issued to a team, the plan becomes work orders.
		r := e.op.postForm("/admin/greening/plan", "/admin/greening/plan", url.Values{"kind": {"week"}, "team": {"养护一队"}})
		if r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "ok=plan-issued") {
			t.Fatalf("issue plan = %d %s", r.code, r.hdr.Get("Location"))
		}
		os, _ := e.green.Store.Orders(context.Background(), greening.OrderFilter{Source: greening.FromPlan})
		if len(os) == 0 || os[0].Team != "养护一队" {
			t.Errorf("plan orders %d", len(os))
		}
	})
}

var reportNo = regexp.MustCompile(`no=(\d+)`)

// A resident's report becomes a work order that a team closes with
// photos, and the effect evaluation moves.
func TestGreeningResidentReportToClosedOrder(t *testing.T) {
	eachGreening(t, func(t *testing.T, e *greeningEnv) {
		ctx := context.Background()
		evalBefore := e.op.get("/admin/greening/api/evaluation")
		var ev struct {
			Health []greening.HealthPoint
		}
		if err := json.Unmarshal([]byte(evalBefore.body), &ev); err != nil || len(ev.Health) == 0 {
			t.Fatalf("evaluation %d %v", evalBefore.code, err)
		}
		goodBefore := ev.Health[len(ev.Health)-1].GoodShare

		resident := e.client()
		photo := pngPhoto(t)
		r := resident.postUpload("/greening/report", "/greening/report", map[string]string{
			"text": "小区门口的树快倒了，我的电话 13800138000", "street": "梅林街道", "lon": "114.20001", "lat": "22.60001"}, "photo", "tree.png", photo)
		m := reportNo.FindStringSubmatch(r.hdr.Get("Location"))
		if r.code != 303 || m == nil {
			t.Fatalf("report = %d %s %.300s", r.code, r.hdr.Get("Location"), r.body)
		}
		if page := resident.get(r.hdr.Get("Location")); !strings.Contains(page.body, "已收到您的报告（编号 "+m[1]) {
			t.Errorf("confirmation missing: %.300s", page.body)
		}
		// Not an image: refused, nothing filed.
		if bad := resident.postUpload("/greening/report", "/greening/report", map[string]string{"text": "树倒了", "street": "梅林街道"}, "photo", "x.png", []byte("<script>alert(1)</script>")); bad.code != 422 {
			t.Errorf("html as a photo = %d", bad.code)
		}

		path := "/admin/greening/orders/" + m[1]
		page := e.op.get(path)
		if page.code != 200 || !strings.Contains(page.body, weakTree) || !strings.Contains(page.body, "市民报告") || strings.Contains(page.body, "13800138000") {
			t.Fatalf("order page = %d (tree, source, masked phone): %.1500s", page.code, page.body)
		}
		if !strings.Contains(page.body, "倒伏/倾斜处置") || !strings.Contains(page.body, `alt="处置前照片"`) {
			t.Errorf("order kind or before photo missing")
		}
		// A team takes it; closing without an after photo is refused.
		if r := e.op.postForm(path+"/assign", path, url.Values{"team": {"养护二队"}}); !strings.Contains(r.hdr.Get("Location"), "ok=assigned") {
			t.Fatalf("assign = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := e.op.postForm(path+"/complete", path, url.Values{"result": {"已扶正并加固"}, "health": {"A"}}); !strings.Contains(r.hdr.Get("Location"), "err=photos") {
			t.Fatalf("completed without an after photo: %s", r.hdr.Get("Location"))
		}
		if r := e.op.postUpload(path+"/photos", path, map[string]string{"phase": "after"}, "photo", "a.txt", []byte("not an image")); !strings.Contains(r.hdr.Get("Location"), "err=photo-bad") {
			t.Errorf("text accepted as a photo: %s", r.hdr.Get("Location"))
		}
		if r := e.op.postUpload(path+"/photos", path, map[string]string{"phase": "after"}, "photo", "after.png", photo); !strings.Contains(r.hdr.Get("Location"), "ok=photo") {
			t.Fatalf("after photo = %d %s", r.code, r.hdr.Get("Location"))
		}
		if r := e.op.postForm(path+"/complete", path, url.Values{"result": {"已扶正并加固"}, "health": {"A"}}); !strings.Contains(r.hdr.Get("Location"), "ok=completed") {
			t.Fatalf("complete = %s", r.hdr.Get("Location"))
		}
		done := e.op.get(path)
		if !strings.Contains(done.body, "已完成") || !strings.Contains(done.body, `alt="处置后照片"`) {
			t.Errorf("closed order page: %.800s", done.body)
		}
		o, _ := e.green.Store.Order(ctx, mustInt(t, m[1]))
		img := e.op.get(fmt.Sprintf("%s/photos/%d", path, o.Photos[0].ID))
		if img.code != 200 || img.hdr.Get("Content-Type") != "image/png" || img.hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo = %d %s", img.code, img.hdr.Get("Content-Type"))
		}
		if r := e.client().get(fmt.Sprintf("%s/photos/%d", path, o.Photos[0].ID)); r.code != 303 {
			t.Errorf("anonymous photo = %d", r.code)
		}
		if tr, _ := e.green.Store.Tree(ctx, weakTree); tr.Health != greening.HealthGood {
			t.Errorf("tree health %s", tr.Health)
		}
		// The effect charts move: this month's share of healthy trees rose.
		if err := json.Unmarshal([]byte(e.op.get("/admin/greening/api/evaluation").body), &ev); err != nil {
			t.Fatal(err)
		}
		if got := ev.Health[len(ev.Health)-1].GoodShare; got <= goodBefore {
			t.Errorf("good share %v, before %v", got, goodBefore)
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The console's import lists bad rows by line and saves the rest; the
// pages and the exports answer.
func TestGreeningConsolePages(t *testing.T) {
	db := storetest.Open(t, store.SQLite, greeningMigrations...)
	e := newGreeningEnv(t, db)
	csv := "编号,树种,经度,纬度,街道,健康等级\nN1,木棉,114.05,22.55,莲花街道,A\nN2,木棉,114.05,22.55,莲花街道,X\n"
	r := e.op.postUpload("/admin/greening/import", "/admin/greening/trees", map[string]string{"kind": "trees"}, "file", "new.csv", []byte(csv))
	if r.code != 200 || !strings.Contains(r.body, "保存 1，跳过 1") || !strings.Contains(r.body, "第 3 行：健康等级") {
		t.Fatalf("import = %d %.2000s", r.code, r.body)
	}
	for path, want := range map[string]string{
		"/admin/greening":                       "树木分布",
		"/admin/greening/trees?q=N1":            "N1",
		"/admin/greening/trees/N1":              "台风倒伏风险",
		"/admin/greening/risk":                  "高风险",
		"/admin/greening/risk?kind=pest":        "本月虫害暴发风险",
		"/admin/greening/plan?kind=month":       "为什么",
		"/admin/greening/orders?status=overdue": "养护工单",
		"/admin/greening/evaluation":            "绿化覆盖",
		"/admin/greening/knowledge":             "起步数据",
		"/admin/greening/ask?q=大叶紫薇什么时候修剪":      "12、1、2 月",
	} {
		if r := e.op.get(path); r.code != 200 || !strings.Contains(r.body, want) {
			t.Errorf("%s = %d, lacks %q", path, r.code, want)
		}
	}
	var m struct {
		Trees   [][5]float64 `json:"trees"`
		Species []string     `json:"species"`
	}
	if err := json.Unmarshal([]byte(e.op.get("/admin/greening/api/map").body), &m); err != nil || len(m.Trees) != 2002 {
		t.Errorf("map %d trees, %v", len(m.Trees), err)
	}
	x := e.op.get("/admin/greening/report?format=xlsx")
	if x.code != 200 || !strings.HasPrefix(x.body, "PK") || !strings.Contains(x.hdr.Get("Content-Disposition"), ".xlsx") {
		t.Errorf("xlsx export = %d %s", x.code, x.hdr.Get("Content-Type"))
	}
	d := e.op.get("/admin/greening/report?format=docx&month=2026-11")
	if d.code != 200 || !strings.HasPrefix(d.body, "PK") || !strings.Contains(d.hdr.Get("Content-Type"), "wordprocessingml") {
		t.Errorf("docx export = %d %s", d.code, d.hdr.Get("Content-Type"))
	}
	if r := e.op.get("/admin/greening/report?month=soon"); r.code != 400 {
		t.Errorf("bad month = %d", r.code)
	}
	// The species library is data staff edit: a bad entry is refused.
	sp := `{"name":"木棉","wind_resistance":9,"water":"low","prune_months":[11]}`
	if r := e.op.postForm("/admin/greening/knowledge", "/admin/greening/knowledge", url.Values{"doc": {sp}}); !strings.Contains(r.hdr.Get("Location"), "err=input") {
		t.Errorf("bad species = %s", r.hdr.Get("Location"))
	}
	sp = `{"name":"木棉","wind_resistance":4,"root":"深根","water":"low","prune_months":[11,12]}`
	if r := e.op.postForm("/admin/greening/knowledge", "/admin/greening/knowledge", url.Values{"doc": {sp}, "reviewed": {"1"}}); !strings.Contains(r.hdr.Get("Location"), "ok=species-saved") {
		t.Errorf("species save = %s", r.hdr.Get("Location"))
	}
	if r := e.op.get("/admin/greening/knowledge"); !strings.Contains(r.body, "已审核") {
		t.Error("reviewed mark missing")
	}
}

// reportLink is the chat card's link to the prefilled tree report form.
var reportLink = regexp.MustCompile(`<a class="btn primary report-link" href="(/greening/report\?[^"]+)"`)

// A resident's report starts in the chat: "小区门口的树快倒了" gets a card
// leading to the report form prefilled with it; asked where, the resident
// says, and the card's form has the place and the street too. Submitting
// it with a photo opens a work order holding the description and place.
func TestGreeningReportFromChat(t *testing.T) {
	storetest.Each(t, greeningMigrations, func(t *testing.T, db *store.DB) {
		e := newGreeningEnvChat(t, db, true)
		resident := e.client()
		say := func(conv, msg string) (string, string) {
			t.Helper()
			r := resident.post("/chat", url.Values{"csrf": {resident.csrf("/")}, "conversation_id": {conv}, "message": {msg}})
			loc, _ := url.Parse(r.hdr.Get("Location"))
			if r.code != 303 || loc == nil || loc.Query().Get("c") == "" {
				t.Fatalf("chat %q = %d %s", msg, r.code, r.hdr.Get("Location"))
			}
			page := resident.get(loc.RequestURI())
			ms := reportLink.FindAllStringSubmatch(page.body, -1) // the latest turn's is last
			if ms == nil {
				t.Fatalf("no report card after %q: %.2000s", msg, page.body)
			}
			return loc.Query().Get("c"), html.UnescapeString(ms[len(ms)-1][1])
		}
		// The API carries the card too.
		api := resident.postJSON("/api/v1/chat", map[string]string{"message": "路边的木棉被台风吹歪了"})
		var rep struct {
			Report *assistant.ReportCard `json:"report"`
		}
		if err := json.Unmarshal([]byte(api.body), &rep); err != nil || rep.Report == nil || !strings.HasPrefix(rep.Report.URL, "/greening/report?") ||
			mustQuery(t, rep.Report.URL).Get("text") != "路边的木棉被台风吹歪了" {
			t.Errorf("API reply %d %.500s", api.code, api.body)
		}

		conv, first := say("", "小区门口的树快倒了，我电话13800138000")
		if q := mustQuery(t, first); q.Get("text") != "小区门口的树快倒了，我电话138****8000" || q.Get("place") != "" {
			t.Errorf("first card's form %v", q)
		}
		_, link := say(conv, "梅林街道梅林一村东门")
		q := mustQuery(t, link)
		if q.Get("place") != "梅林街道梅林一村东门" || q.Get("street") != "梅林街道" {
			t.Fatalf("second card's form %v", q)
		}

		// The form, prefilled.
		form := resident.get(link)
		for _, want := range []string{">小区门口的树快倒了，我电话138****8000</textarea>", `value="梅林街道梅林一村东门"`, `<option selected>梅林街道</option>`} {
			if !strings.Contains(form.body, want) {
				t.Errorf("form lacks %s: %.3000s", want, form.body)
			}
		}
		r := resident.postUpload("/greening/report", link, map[string]string{
			"text": q.Get("text"), "place": q.Get("place"), "street": q.Get("street"), "lon": "114.20001", "lat": "22.60001"}, "photo", "tree.png", pngPhoto(t))
		if r.code != 303 || reportNo.FindStringSubmatch(r.hdr.Get("Location")) == nil {
			t.Fatalf("report = %d %s %.500s", r.code, r.hdr.Get("Location"), r.body)
		}
		orders, err := e.green.Store.Orders(context.Background(), greening.OrderFilter{Source: greening.FromResident})
		if err != nil || len(orders) != 1 {
			t.Fatalf("resident orders %+v %v", orders, err)
		}
		o, err := e.green.Store.Order(context.Background(), orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Task != greening.TaskTopple || o.Street != "梅林街道" || o.Tree != weakTree ||
			!strings.Contains(o.Detail, "位置：梅林街道梅林一村东门") || strings.Contains(o.Detail, "13800138000") || len(o.Photos) != 1 {
			t.Errorf("order %+v", o)
		}
	})
}

func mustQuery(t *testing.T, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("link %q: %v", link, err)
	}
	return u.Query()
}
