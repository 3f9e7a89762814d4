package web

import (
	"bytes"
	"context"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var policyMigrations = append(append([]store.Migrations{}, serviceMigrations...), policy.Migrations, registry.Migrations, eligibility.Migrations)

// The residents of the policy tests (ages on 2 December 2026, the tests'
// day): P-1 is 80, P-2 is 92, P-3 is 101, P-4 is 65; all 深圳 户籍,
// P-1 and P-2 in 园岭.
const policyProfiles = `{"id":"P-1","name":"张三","id_number":"110105194612010017","phone":"13800000001","address":"深圳市福田区园岭街道百花二路1号","street":"园岭","community":"百花社区","hukou_city":"深圳","hukou_district":"福田区"}
{"id":"P-2","name":"李四","id_number":"110105193405050011","phone":"13800000002","address":"深圳市福田区园岭街道红荔路2号","street":"园岭","community":"红荔社区","hukou_city":"深圳","hukou_district":"福田区"}
{"id":"P-3","name":"王五","id_number":"110105192501010015","phone":"13800000003","address":"深圳市福田区南园街道滨江路3号","street":"南园","community":"滨江社区","hukou_city":"深圳"}
{"id":"P-4","name":"赵六","id_number":"110105196101010014","phone":"13800000004","address":"深圳市福田区南园街道巴登街4号","street":"南园","community":"巴登社区","hukou_city":"深圳"}
`

// policyParts is what a policy test drives besides the web.
type policyParts struct {
	lib  *policy.Library
	live *policy.Live
	reg  *registry.Store
	svc  *eligibility.Service
	ds   *doorstep.Service
}

// policyEnv serves the web with the demo policy library and field
// schema, four residents, their stored results, appointments and
// door-to-door service, and staff accounts (admin, editor, reviewer,
// agent), at testNow.
func policyEnv(t *testing.T, db *store.DB) (*env, *policyParts) {
	t.Helper()
	ctx := context.Background()
	keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(testNow)
	pr := &policyParts{}
	e := newEnvAt(t, db, &fakeAssistant{}, clk, func(c *Config) {
		pr.ds = doorstep.New(db, c.KB, keys, doorstep.Config{Now: clk.Now})
		c.Doorstep = pr.ds
		pr.lib = policy.NewLibrary(db).WithClock(clk.Now, nil)
		f, err := data.Policy().Open("fields.json")
		if err != nil {
			t.Fatal(err)
		}
		schema, err := policy.ReadSchema(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := pr.lib.SetSchema(ctx, schema, "demo"); err != nil {
			t.Fatal(err)
		}
		b, err := fs.ReadFile(data.Policy(), "policies.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := pr.lib.Import(ctx, bytes.NewReader(b), "policies.jsonl", policy.ImportOptions{State: policy.Published, Actor: "demo"}); err != nil || len(rep.Problems) > 0 {
			t.Fatal(err, rep.Problems)
		}
		if pr.live, err = policy.NewLive(ctx, pr.lib); err != nil {
			t.Fatal(err)
		}
		log := audit.New(db).WithClock(clk.Now, nil)
		pr.reg = registry.New(db, keys, log).WithClock(clk.Now)
		if rep, err := pr.reg.Import(ctx, strings.NewReader(policyProfiles), "jsonl", "p.jsonl", 0,
			registry.ImportOptions{Kind: policy.Person, Schema: schema}); err != nil || len(rep.Problems) > 0 {
			t.Fatal(err, rep.Problems)
		}
		pr.svc = eligibility.New(db, pr.live, pr.reg, pr.ds, log, eligibility.Config{Now: clk.Now})
		c.Policy = &PolicyServices{Library: pr.lib, Live: pr.live, Results: pr.svc}
	})
	if _, err := pr.ds.SyncCatalogue(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	if err := pr.svc.MatchAll(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"admin", auth.Admin}, {"editor", auth.Editor}, {"reviewer", auth.Reviewer}, {"agent", auth.Agent}} {
		if _, err := e.auth.AddUser(ctx, u.name, u.name+"姓名", u.role, u.name+" password"); err != nil {
			t.Fatal(err)
		}
	}
	return e, pr
}

// The self-check asks only the fields of the chosen target's policies,
// then lists what the answers qualify for with amounts, reasons, the
// document and the item to apply through; bad answers are shown back
// with what to write; nothing typed is stored.
func TestPolicyCheckPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, policyMigrations, func(t *testing.T, db *store.DB) {
		e, _ := policyEnv(t, db)
		c := e.client()

		home := c.get("/policies/check")
		if home.code != 200 || !strings.Contains(home.body, `href="/policies/check?target=person"`) || !strings.Contains(home.body, `href="/policies/check?target=enterprise"`) {
			t.Fatalf("home = %d %.300s", home.code, home.body)
		}
		person := c.get("/policies/check?target=person")
		for _, want := range []string{`name="f_birth_date"`, "出生日期是哪一天？", `name="f_hukou_city"`, `type="date"`, "残疾证上是几级"} {
			if !strings.Contains(person.body, want) {
				t.Errorf("person form lacks %q", want)
			}
		}
		if strings.Contains(person.body, "f_founded") || strings.Contains(person.body, "营业收入") {
			t.Error("the person form asks an enterprise question")
		}
		if ent := c.get("/policies/check?target=enterprise"); !strings.Contains(ent.body, `name="f_founded"`) || strings.Contains(ent.body, "f_birth_date") {
			t.Error("the enterprise form asks the wrong fields")
		}
		if r := c.get("/policies/check?target=alien"); r.code != 400 {
			t.Errorf("unknown target = %d", r.code)
		}

		tok := c.csrf("/policies/check?target=person")
		form := url.Values{"csrf": {tok}, "target": {"person"}, "f_birth_date": {"1941-07-15"}, "f_hukou_city": {"深圳"},
			"f_hukou_district": {"福田区"}, "f_subsistence": {"否"}, "f_disability_level": {""}}
		r := c.post("/policies/check", form)
		if r.code != 200 {
			t.Fatalf("check = %d %.500s", r.code, r.body)
		}
		eligible := section(r.body, "符合条件（", "可能符合")
		for _, want := range []string{"高龄老人津贴", "200元/月", "长者助餐补贴", "福民〔2024〕3号", "年满80周岁", "第三条", "免申即享"} {
			if !strings.Contains(eligible, want) {
				t.Errorf("eligible section lacks %q:\n%.2000s", want, eligible)
			}
		}
		if strings.Contains(eligible, "百岁老人长寿保健金") {
			t.Error("an 85-year-old is shown the centenarians' allowance as eligible")
		}
		// The item with its route: the guide, the halls and the way to book.
		if !strings.Contains(r.body, `href="/items/FT-034"`) || !strings.Contains(r.body, "地址：") {
			t.Errorf("no route to FT-034 in %.300s", eligible)
		}
		// A possible policy says what it still needs.
		if !strings.Contains(r.body, "还需要确认：") {
			t.Error("no 还需要确认 for possible policies")
		}
		// The form keeps the answers for correction, in this page only.
		if !strings.Contains(r.body, `value="1941-07-15"`) {
			t.Error("the answers are not shown back")
		}

		// A date that does not parse is shown back with what to write.
		form.Set("f_birth_date", "去年")
		form.Set("f_household_size", "好几个")
		bad := c.post("/policies/check", form)
		if bad.code != 422 || !strings.Contains(bad.body, "请填写日期") || !strings.Contains(bad.body, "请填写数字") {
			t.Errorf("bad answers = %d %.300s", bad.code, bad.body)
		}
		// Without the token the post is refused.
		form.Del("csrf")
		if r := c.post("/policies/check", form); r.code != 403 {
			t.Errorf("post without csrf = %d", r.code)
		}
		// Nothing typed is stored anywhere.
		for _, v := range []string{"1941-07-15", "好几个"} {
			if where := storedAnywhere(t, db, v); where != "" {
				t.Errorf("%q was stored in %s", v, where)
			}
		}
	})
}

// section is the part of s from the first from to the next to (or the end).
func section(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s[len(from):], to); j >= 0 {
		return s[:len(from)+j]
	}
	return s
}

// storedAnywhere names the table whose text holds v, "" when none does.
func storedAnywhere(t *testing.T, db *store.DB, v string) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		if !regexp.MustCompile(`^[a-z_0-9]+$`).MatchString(tb) {
			continue
		}
		rows, err := db.Query(ctx, `SELECT * FROM `+tb)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, x := range vals {
				var s string
				switch y := x.(type) {
				case string:
					s = y
				case []byte:
					s = string(y)
				}
				if strings.Contains(s, v) {
					rows.Close()
					return tb
				}
			}
		}
		rows.Close()
	}
	return ""
}

// The console: the library with expiring policies and the source
// document, review → publish by a reviewer, 政策找人 by street with its
// export and outreach, a batch made by an editor and approved by a
// reviewer, and the statistics that count it; every change audited.
func TestPolicyConsole(t *testing.T) {
	t.Parallel()
	storetest.Each(t, policyMigrations, func(t *testing.T, db *store.DB) {
		e, pr := policyEnv(t, db)
		ctx := context.Background()

		if r := e.client().get("/admin/policies"); r.code != 303 {
			t.Errorf("anonymous console = %d", r.code)
		}
		editor := e.client()
		editor.login("editor", "editor password")
		list := editor.get("/admin/policies")
		if list.code != 200 || !strings.Contains(list.body, "高龄老人津贴") {
			t.Fatalf("list = %d %.300s", list.code, list.body)
		}
		if exp := section(list.body, "30 天内到期", "</table>"); !strings.Contains(exp, "POL-202") || strings.Contains(exp, "POL-101") {
			t.Errorf("expiring = %.500s", exp)
		}
		one := editor.get("/admin/policies/POL-101")
		for _, want := range []string{"福田区民政局", "福民〔2024〕3号", "第三条", "age(birth_date) &gt;= 80", "生成免申即享发放名单"} {
			if !strings.Contains(one.body, want) {
				t.Errorf("policy page lacks %q", want)
			}
		}

		// A new policy goes in for review; the editor may not publish it.
		draft := `{"id":"POL-901","title":"测试补贴","issuer":"福田区民政局","doc_no":"福民〔2026〕9号","target":"person","mode":"apply","conditions":[{"label":"年满70周岁","expr":"age(birth_date) >= 70","clause":"第二条"}],"benefit":{"expr":"100","unit":"元"}}` + "\n"
		if _, err := pr.lib.Import(ctx, strings.NewReader(draft), "new.jsonl", policy.ImportOptions{State: policy.Review, Actor: "editor"}); err != nil {
			t.Fatal(err)
		}
		tok := editor.csrf("/admin/policies/POL-901")
		if r := editor.post("/admin/policies/POL-901/publish", url.Values{"csrf": {tok}}); r.code != 403 {
			t.Errorf("editor publish = %d", r.code)
		}
		reviewer := e.client()
		reviewer.login("reviewer", "reviewer password")
		page := reviewer.get("/admin/policies/POL-901")
		hash := regexp.MustCompile(`name="hash" value="([0-9a-f]+)"`).FindStringSubmatch(page.body)
		if hash == nil {
			t.Fatalf("no publish form: %.500s", page.body)
		}
		tok = reviewer.csrf("/admin/policies/POL-901")
		if r := reviewer.post("/admin/policies/POL-901/publish", url.Values{"csrf": {tok}, "hash": {hash[1]}}); r.code != 303 {
			t.Fatalf("publish = %d %.300s", r.code, r.body)
		}
		if _, ok := pr.live.Set().Lookup("POL-901"); !ok {
			t.Error("the published policy is not live")
		}
		if after := reviewer.get("/admin/policies/POL-901?ok=policy.published"); !strings.Contains(after.body, "已发布") {
			t.Error("no confirmation after publishing")
		}

		// 政策找人: the agent filters by street, exports, and reaches two.
		agent := e.client()
		agent.login("agent", "agent password")
		if err := pr.svc.MatchAll(ctx); err != nil {
			t.Fatal(err)
		}
		ps := agent.get("/admin/policies/POL-101/prospects?street=" + url.QueryEscape("园岭"))
		if ps.code != 200 || !strings.Contains(ps.body, `value="P-1"`) || !strings.Contains(ps.body, `value="P-2"`) || strings.Contains(ps.body, `value="P-3"`) {
			t.Fatalf("prospects = %d %.1500s", ps.code, ps.body)
		}
		if strings.Contains(ps.body, "张三") || strings.Contains(ps.body, "13800000001") {
			t.Error("the list shows a name or a phone unmasked")
		}
		x := agent.get("/admin/policies/POL-101/prospects.xlsx?street=" + url.QueryEscape("园岭"))
		if x.code != 200 || !strings.Contains(x.hdr.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export = %d %s", x.code, x.hdr.Get("Content-Type"))
		}
		wb, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows(wb.GetSheetList()[0])
		if err != nil || len(rows) < 3 {
			t.Errorf("export rows = %v %v", rows, err)
		}
		tok = agent.csrf("/admin/policies/POL-101/prospects")
		out := agent.post("/admin/policies/POL-101/outreach", url.Values{"csrf": {tok}, "channel": {"doorstep"}, "profile": {"P-1"}, "street": {"园岭"}})
		if out.code != 200 || !strings.Contains(out.body, "已生成上门服务申请 1 件") {
			t.Fatalf("outreach = %d %.1500s", out.code, out.body)
		}
		reqs, err := pr.ds.List(ctx, doorstep.Filter{})
		if err != nil || len(reqs) != 1 {
			t.Fatalf("doorstep requests %v %v", reqs, err)
		}
		out = agent.post("/admin/policies/POL-101/outreach", url.Values{"csrf": {tok}, "channel": {"notify"}, "profile": {"P-1", "P-2"}})
		if !strings.Contains(out.body, "已加入通知名单 1 人") || !strings.Contains(out.body, "P-1（已服务") {
			t.Errorf("notify = %.1500s", out.body)
		}
		if r := editor.post("/admin/policies/POL-101/outreach", url.Values{"csrf": {editor.csrf("/admin/policies")}, "channel": {"notify"}, "profile": {"P-3"}}); r.code != 403 {
			t.Errorf("editor outreach = %d", r.code)
		}

		// 免申即享: the editor makes a batch, cannot have it approved by
		// themselves, the reviewer approves it, the statistics count it.
		tok = editor.csrf("/admin/policies/POL-101")
		mk := editor.post("/admin/policy-batches", url.Values{"csrf": {tok}, "policy": {"POL-101"}, "period": {"2026-12"}})
		if mk.code != 303 {
			t.Fatalf("create batch = %d %.300s", mk.code, mk.body)
		}
		loc := mk.hdr.Get("Location")
		id := strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/policy-batches/"), "?ok=policy.batch_created")
		bp := reviewer.get("/admin/policy-batches/" + id)
		// P-1 (80) and P-2 (92): 200 + 500; P-3 gets the centenarians' allowance instead.
		if !strings.Contains(bp.body, "2 人") || !strings.Contains(bp.body, "700.00 元") || !strings.Contains(bp.body, `id="approve"`) {
			t.Fatalf("batch page = %.1500s", bp.body)
		}
		// Admin is not the maker, but the editor's own approval is refused.
		if r := editor.post("/admin/policy-batches/"+id+"/approve", url.Values{"csrf": {tok}}); r.code != 403 {
			t.Errorf("editor approve = %d", r.code)
		}
		tok = reviewer.csrf("/admin/policy-batches/" + id)
		if r := reviewer.post("/admin/policy-batches/"+id+"/approve", url.Values{"csrf": {tok}, "note": {"核对无误"}}); r.code != 303 {
			t.Fatalf("approve = %d %.300s", r.code, r.body)
		}
		if r := reviewer.post("/admin/policy-batches/"+id+"/approve", url.Values{"csrf": {tok}}); r.code != 409 {
			t.Errorf("second approve = %d", r.code)
		}
		st := reviewer.get("/admin/policy-stats")
		if !strings.Contains(st.body, `<span class="n" id="stat-amount">700.00</span>`) || !strings.Contains(st.body, "<svg") || !strings.Contains(st.body, "园岭") || !strings.Contains(st.body, "2026-12") {
			t.Errorf("stats = %.2000s", st.body)
		}
		if r := reviewer.get("/admin/policy-stats?from=2026-13"); r.code != 400 {
			t.Errorf("bad month = %d", r.code)
		}

		// Every change is in the audit log, with who.
		entries, _, err := e.log.List(ctx, audit.Filter{}, audit.Page{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, en := range entries {
			seen[en.Action] = en.Actor
		}
		for action, actor := range map[string]string{"policy.publish": "reviewer", "policy.outreach": "agent", "policy.prospects.export": "agent",
			"policy.batch.create": "editor", "policy.batch.approve": "reviewer"} {
			if seen[action] != actor {
				t.Errorf("audit %s by %q, want %q", action, seen[action], actor)
			}
		}
		if seen["registry.reveal"] == "" {
			t.Errorf("the outreach's reveal of a phone and address is not audited: %v", seen)
		}
	})
}

// The library's files from the console: an upload goes in for review
// with its bad lines named, the published policies and the empty template
// download, and the field schema is edited field by field, a change that
// would break a policy refused; every change audited.
func TestPolicyImportExportFields(t *testing.T) {
	t.Parallel()
	storetest.Each(t, policyMigrations, func(t *testing.T, db *store.DB) {
		e, pr := policyEnv(t, db)
		ctx := context.Background()
		editor := e.client()
		editor.login("editor", "editor password")
		tok := editor.csrf("/admin/policies")
		file := `{"id":"POL-950","title":"测试津贴","target":"person","conditions":[{"label":"年满70周岁","expr":"age(birth_date) >= 70"}]}
{"id":"POL-951","title":"坏条件","target":"person","conditions":[{"label":"户籍","expr":"hukou_city > 3"}]}
not json
`
		up := func(name, content string) resp {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", tok)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write([]byte(content))
			mw.Close()
			req, _ := http.NewRequest("POST", e.srv.URL+"/admin/policies/import", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return editor.do(req)
		}
		r := up("new.jsonl", file)
		if r.code != 200 || !strings.Contains(r.body, "新增 1") || !strings.Contains(r.body, "第 2 行（POL-951）") || !strings.Contains(r.body, "第 3 行") {
			t.Fatalf("import = %d %.2000s", r.code, section(r.body, "import-report", "</div>"))
		}
		if rec, err := pr.lib.Get(ctx, "POL-950"); err != nil || rec.State != policy.Review {
			t.Errorf("imported policy = %+v %v", rec.State, err)
		}
		if r := up("new.txt", file); r.code != 400 {
			t.Errorf("a .txt upload = %d", r.code)
		}
		x := editor.get("/admin/policy-export/policies.jsonl")
		if x.code != 200 || !strings.Contains(x.body, `"id":"POL-101"`) || strings.Contains(x.body, "POL-950") {
			t.Errorf("export jsonl = %d %.200s", x.code, x.body)
		}
		for _, name := range []string{"policies.xlsx", "template.xlsx"} {
			x := editor.get("/admin/policy-export/" + name)
			if _, err := excelize.OpenReader(strings.NewReader(x.body)); x.code != 200 || err != nil {
				t.Errorf("%s = %d %v", name, x.code, err)
			}
		}

		// Fields: add one, refuse a type change a policy cannot take.
		fields := editor.get("/admin/policy-fields")
		if !strings.Contains(fields.body, "出生日期是哪一天？") || !strings.Contains(fields.body, "成立日期") {
			t.Errorf("fields page = %.300s", fields.body)
		}
		tok = editor.csrf("/admin/policy-fields")
		add := editor.post("/admin/policy-fields", url.Values{"csrf": {tok}, "target": {"person"}, "key": {"has_pet"}, "label": {"养宠物"},
			"type": {"bool"}, "question": {"家里养宠物吗？"}})
		if add.code != 303 {
			t.Fatalf("add field = %d %.300s", add.code, add.body)
		}
		if s := pr.live.Schema(); func() bool { _, ok := s.Field(policy.Person, "has_pet"); return !ok }() {
			t.Error("the new field is not in the live schema")
		}
		bad := editor.post("/admin/policy-fields", url.Values{"csrf": {tok}, "target": {"person"}, "key": {"hukou_city"}, "label": {"户籍城市"}, "type": {"number"}})
		if bad.code != 422 || !strings.Contains(bad.body, "保存失败") {
			t.Errorf("type change = %d %.300s", bad.code, bad.body)
		}
		if del := editor.post("/admin/policy-fields/delete", url.Values{"csrf": {tok}, "target": {"person"}, "key": {"has_pet"}}); del.code != 303 {
			t.Errorf("delete = %d", del.code)
		}
		agent := e.client()
		agent.login("agent", "agent password")
		if r := agent.post("/admin/policy-fields", url.Values{"csrf": {agent.csrf("/admin/policy-fields")}, "target": {"person"}, "key": {"x"}, "label": {"x"}, "type": {"bool"}}); r.code != 403 {
			t.Errorf("agent edits a field: %d", r.code)
		}
		entries, _, err := e.log.List(ctx, audit.Filter{}, audit.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, en := range entries {
			seen[en.Action] = true
		}
		for _, a := range []string{"policy.import", "policy.field.put", "policy.field.delete"} {
			if !seen[a] {
				t.Errorf("no %s in the audit log", a)
			}
		}
	})
}

// The policy console is for the roles that deal with policies: a city
// operator and a teacher neither see it nor open it.
func TestPolicyConsoleRoles(t *testing.T) {
	t.Parallel()
	e, _ := policyEnv(t, storetest.Open(t, store.SQLite, policyMigrations...))
	ctx := context.Background()
	for _, role := range []auth.Role{auth.Operator, auth.Teacher} {
		name := string(role) + "1"
		if _, err := e.auth.AddUser(ctx, name, name, role, name+" password"); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.login(name, name+" password")
		for _, path := range []string{"/admin/policies", "/admin/policy-batches", "/admin/policy-stats", "/admin/policies/POL-101"} {
			if r := c.get(path); r.code != 403 {
				t.Errorf("%s opens %s: %d", role, path, r.code)
			}
		}
		if r := c.get("/admin"); strings.Contains(r.body, `href="/admin/policies"`) {
			t.Errorf("%s is shown the policy link", role)
		}
	}
}
