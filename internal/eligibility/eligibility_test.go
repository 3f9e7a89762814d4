package eligibility

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var sets = []store.Migrations{kb.Migrations, audit.Migrations, doorstep.Migrations, policy.Migrations, registry.Migrations, Migrations}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// 2026-11-30 10:00 in Beijing.
func newClock() *clock { return &clock{t: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)} }

const policies = `{"id":"OLD","title":"高龄津贴","target":"person","mode":"auto","item":"FT-034","conditions":[{"label":"年满80周岁","expr":"age(birth_date) >= 80"},{"label":"深圳户籍","expr":"hukou_city == \"深圳\""}],"benefit":{"label":"每月津贴","expr":"age(birth_date) >= 90 ? 500 : 200","unit":"元/月"},"exclusive":"高龄"}
{"id":"CENT","title":"百岁保健金","target":"person","mode":"auto","item":"FT-034","conditions":[{"label":"年满100周岁","expr":"age(birth_date) >= 100"}],"benefit":{"expr":"1500","unit":"元/月"},"exclusive":"高龄"}
{"id":"MEAL","title":"长者助餐","target":"person","mode":"apply","item":"FT-037","conditions":[{"label":"年满60周岁","expr":"age(birth_date) >= 60"},{"label":"福田户籍","expr":"hukou_district == \"福田区\""}]}
{"id":"START","title":"初创企业补贴","target":"enterprise","mode":"auto","conditions":[{"label":"成立未满3年","expr":"years_since(founded) < 3"}],"benefit":{"expr":"10000","unit":"元"}}
`

// The profiles (ages on 2026-11-30): P-1 is 79 and turns 80 tomorrow,
// P-2 is 92, P-3 is 101, P-4 is 65 with no hukou district.
const profiles = `{"id":"P-1","name":"张三","id_number":"110105194612010017","phone":"13800000001","address":"深圳市福田区园岭街道百花二路1号","street":"园岭","community":"百花社区","hukou_city":"深圳","hukou_district":"福田区"}
{"id":"P-2","name":"李四","id_number":"110105193405050011","phone":"13800000002","address":"深圳市福田区园岭街道红荔路2号","street":"园岭","community":"红荔社区","hukou_city":"深圳","hukou_district":"福田区"}
{"id":"P-3","name":"王五","id_number":"110105192501010015","phone":"13800000003","address":"深圳市福田区南园街道滨江路3号","street":"南园","community":"滨江社区","hukou_city":"深圳"}
{"id":"P-4","name":"赵六","id_number":"110105196101010014","phone":"13800000004","address":"深圳市福田区南园街道巴登街4号","street":"南园","community":"巴登社区","hukou_city":"深圳"}
`

type env struct {
	db  *store.DB
	lib *policy.Library
	reg *registry.Store
	svc *Service
	ds  *doorstep.Service
	clk *clock
}

func setup(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	clk := newClock()
	keys, err := privacy.NewKeys(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	ds := doorstep.New(db, kbs, keys, doorstep.Config{Now: clk.Now})
	if _, err := ds.SyncCatalogue(ctx, "system"); err != nil {
		t.Fatal(err)
	}
	lib := policy.NewLibrary(db).WithClock(clk.Now, nil)
	if rep, err := lib.Import(ctx, strings.NewReader(policies), "policies.jsonl", policy.ImportOptions{State: policy.Published, Actor: "admin"}); err != nil || len(rep.Problems) > 0 {
		t.Fatal(err, rep.Problems)
	}
	reg := registry.New(db, keys, audit.New(db)).WithClock(clk.Now)
	if rep, err := reg.Import(ctx, strings.NewReader(profiles), "jsonl", "p.jsonl", 0, registry.ImportOptions{Kind: policy.Person}); err != nil || len(rep.Problems) > 0 {
		t.Fatal(err, rep.Problems)
	}
	ent := `{"id":"E-1","name":"示例科技有限公司","uscc":"91350100M000100Y43","phone":"0755-83000001","address":"深圳市福田区华强北街道1号","street":"华强北","founded":"2025-01-01"}` + "\n"
	if _, err := reg.Import(ctx, strings.NewReader(ent), "jsonl", "e.jsonl", 0, registry.ImportOptions{Kind: policy.Enterprise}); err != nil {
		t.Fatal(err)
	}
	live, err := policy.NewLive(ctx, lib)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, lib: lib, reg: reg, ds: ds, clk: clk, svc: New(db, live, reg, ds, audit.New(db), Config{Now: clk.Now})}
}

// setupDemo is the demo library (policies and schema) with empty
// registries, for benchmarks.
func setupDemo(t testing.TB, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	clk := newClock()
	keys, err := privacy.NewKeys(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	lib := policy.NewLibrary(db).WithClock(clk.Now, nil)
	f, err := data.Policy().Open("fields.json")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := policy.ReadSchema(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.SetSchema(ctx, schema, "demo"); err != nil {
		t.Fatal(err)
	}
	raw, err := fs.ReadFile(data.Policy(), "policies.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Import(ctx, bytes.NewReader(raw), "policies.jsonl", policy.ImportOptions{State: policy.Published, Actor: "demo"}); err != nil {
		t.Fatal(err)
	}
	reg := registry.New(db, keys, audit.New(db)).WithClock(clk.Now)
	live, err := policy.NewLive(ctx, lib)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, lib: lib, reg: reg, clk: clk, svc: New(db, live, reg, nil, audit.New(db), Config{Now: clk.Now})}
}

func (e *env) results(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, id := range []string{"P-1", "P-2", "P-3", "P-4", "E-1"} {
		rs, err := e.svc.ResultsFor(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			fmt.Fprintf(&b, "%s %s %s", r.ProfileID, r.PolicyID, r.Status)
			if r.AmountFen != nil {
				fmt.Fprintf(&b, " %s", Yuan(*r.AmountFen))
			}
			if r.Chosen != nil {
				fmt.Fprintf(&b, " chosen=%v", *r.Chosen)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestStoredResultsStayCurrent: a full match, then a profile's row and a
// policy's column matched again on their own, then the day turning.
func TestStoredResultsStayCurrent(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		e := setup(t, db)
		if did, err := e.svc.Sync(ctx); err != nil || !did {
			t.Fatalf("first sync: %v %v", did, err)
		}
		if did, _ := e.svc.Sync(ctx); did {
			t.Errorf("second sync matched again with nothing changed")
		}
		want := `P-1 MEAL eligible
P-2 MEAL eligible
P-2 OLD eligible 500.00
P-3 CENT eligible 1500.00 chosen=true
P-3 MEAL possible
P-3 OLD eligible 500.00 chosen=false
P-4 MEAL possible
E-1 START eligible 10000.00
`
		if got := e.results(t); got != want {
			t.Fatalf("after sync:\n%s\nwant\n%s", got, want)
		}
		// P-4's district becomes known: only its row changes.
		if err := e.reg.UpdateFields(ctx, "P-4", map[string]any{"hukou_district": "福田区"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RematchProfiles(ctx, "P-4"); err != nil {
			t.Fatal(err)
		}
		if got := e.results(t); !strings.Contains(got, "P-4 MEAL eligible\n") {
			t.Errorf("after P-4 changed:\n%s", got)
		}
		// The centenarian payment drops below the allowance: the group's
		// choice flips for P-3, through the column of CENT alone.
		rec, _ := e.lib.Get(ctx, "CENT")
		p := rec.Policy
		p.Benefit = &policy.Benefit{Expr: "100", Unit: "元/月"}
		if _, err := e.lib.Import(ctx, strings.NewReader(jsonLine(t, p)), "x", policy.ImportOptions{State: policy.Published, Actor: "admin"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Live().Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RematchPolicies(ctx, "CENT"); err != nil {
			t.Fatal(err)
		}
		if got := e.results(t); !strings.Contains(got, "P-3 CENT eligible 100.00 chosen=false\n") || !strings.Contains(got, "P-3 OLD eligible 500.00 chosen=true\n") {
			t.Errorf("after CENT changed:\n%s", got)
		}
		// Withdrawn: its column goes, and its former mate stands alone.
		if err := e.lib.Withdraw(ctx, "CENT", "admin", ""); err != nil {
			t.Fatal(err)
		}
		_ = e.svc.Live().Reload(ctx)
		if err := e.svc.RematchPolicies(ctx, "CENT"); err != nil {
			t.Fatal(err)
		}
		if got := e.results(t); strings.Contains(got, "CENT") || !strings.Contains(got, "P-3 OLD eligible 500.00\n") {
			t.Errorf("after CENT withdrawn:\n%s", got)
		}
		// Tomorrow P-1 is 80.
		e.clk.Add(24 * time.Hour)
		if did, err := e.svc.Sync(ctx); err != nil || !did {
			t.Fatalf("next day: %v %v", did, err)
		}
		if got := e.results(t); !strings.Contains(got, "P-1 OLD eligible 200.00\n") {
			t.Errorf("on P-1's 80th birthday:\n%s", got)
		}
		m, x, err := e.svc.Explain(ctx, "P-4", "OLD")
		if err != nil || m.Status != policy.Ineligible || !strings.Contains(x.Summary, "满80周岁后可领取，预计2041年1月") {
			t.Errorf("explain: %+v %+v %v", m, x, err)
		}
		if _, _, err := e.svc.Explain(ctx, "E-1", "OLD"); !errors.Is(err, ErrInput) {
			t.Errorf("explain a person policy for an enterprise: %v", err)
		}
	})
}

func jsonLine(t *testing.T, p policy.Policy) string {
	var b bytes.Buffer
	if err := policy.WritePolicies(&b, []policy.Policy{p}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestProspectsAndOutreach: 政策找人 by street, the Excel list, a selection
// turned into door-to-door requests with each reveal audited; served
// profiles leave the list.
func TestProspectsAndOutreach(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		e := setup(t, db)
		if _, err := e.svc.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		list, total, err := e.svc.Prospects(ctx, ProspectFilter{PolicyID: "MEAL", Street: "园岭街道"}, 0, 0)
		if err != nil || total != 2 || list[0].ProfileID != "P-1" || list[0].Name != "张*" || list[0].Phone != "138****0001" {
			t.Fatalf("prospects: %d %+v %v", total, list, err)
		}
		if _, total, _ := e.svc.Prospects(ctx, ProspectFilter{PolicyID: "MEAL", Status: policy.Possible}, 0, 0); total != 2 {
			t.Errorf("possible: %d", total)
		}
		// P-3 gets CENT instead of OLD: not looked for under OLD.
		if l, _, _ := e.svc.Prospects(ctx, ProspectFilter{PolicyID: "OLD"}, 0, 0); len(l) != 1 || l[0].ProfileID != "P-2" {
			t.Errorf("OLD prospects: %+v", l)
		}
		var xl bytes.Buffer
		if err := e.svc.ExportProspects(ctx, &xl, ProspectFilter{PolicyID: "MEAL"}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xl)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("名单")
		if len(rows) != 3 || rows[1][0] != "P-1" || rows[1][3] != "138****0001" || strings.Contains(strings.Join(rows[1], ""), "张三") {
			t.Errorf("export rows %v", rows)
		}
		f.Close()

		rep, err := e.svc.Outreach(ctx, OutreachRequest{PolicyID: "MEAL", ProfileIDs: []string{"P-1", "P-4", "P-9"}, Channel: ChannelDoorstep,
			Actor: "staff1", Role: "agent"})
		if err != nil {
			t.Fatal(err)
		}
		// P-4 is possible (its district unknown): a visit is how to find
		// out. P-9 is not on the list at all.
		if len(rep.Requests) != 2 || len(rep.Skipped) != 1 || rep.Skipped[0].ProfileID != "P-9" {
			t.Fatalf("outreach %+v", rep)
		}
		req, err := e.ds.GetByNumber(ctx, rep.Requests[0])
		if err != nil || req.Applicant != "张*" || req.ItemID != "FT-037" || req.Street != "园岭" || req.Phone != "138****0001" || !strings.Contains(req.Notes, "P-1") {
			t.Fatalf("request %+v %v", req, err)
		}
		c, err := e.ds.Reveal(ctx, req.ID, "specialist", "上门")
		if err != nil || c.Phone != "13800000001" || c.Address != "深圳市福田区园岭街道百花二路1号" {
			t.Errorf("the request's contact: %+v %v", c, err)
		}
		entries, _, _ := audit.New(db).List(ctx, audit.Filter{Action: "registry.reveal"}, audit.Page{})
		if len(entries) != 2 || entries[1].Target != "profile:P-1" || entries[1].Actor != "staff1" || entries[1].Role != "agent" {
			t.Errorf("audit %+v", entries)
		}
		list, total, _ = e.svc.Prospects(ctx, ProspectFilter{PolicyID: "MEAL"}, 0, 0)
		if total != 1 || list[0].ProfileID != "P-2" {
			t.Errorf("after outreach: %+v", list)
		}
		served, _, _ := e.svc.Prospects(ctx, ProspectFilter{PolicyID: "MEAL", Served: true, IDs: []string{"P-1"}}, 0, 0)
		if len(served) != 1 || len(served[0].Served) != 1 || served[0].Served[0] != "上门办 "+rep.Requests[0] {
			t.Errorf("served %+v", served)
		}
		// Again: already served.
		rep, _ = e.svc.Outreach(ctx, OutreachRequest{PolicyID: "MEAL", ProfileIDs: []string{"P-1", "P-2"}, Channel: ChannelNotify, Actor: "staff1"})
		if rep.Notified != 1 || len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0].Reason, "已服务") {
			t.Errorf("notify: %+v", rep)
		}
		// A policy whose item is not door-to-door: refused as a whole.
		if _, err := e.svc.Outreach(ctx, OutreachRequest{PolicyID: "START", ProfileIDs: []string{"E-1"}, Channel: ChannelDoorstep, Actor: "s"}); err == nil {
			t.Errorf("outreach without a door-to-door item went through")
		}
	})
}

// TestBatches: 免申即享 from computed list to approval, frozen, counted.
func TestBatches(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		e := setup(t, db)
		if _, err := e.svc.CreateBatch(ctx, "MEAL", "", "maker"); !errors.Is(err, ErrInput) {
			t.Errorf("batch of an apply policy: %v", err)
		}
		rep, err := e.svc.CreateBatch(ctx, "OLD", "2026-12", "maker")
		if err != nil {
			t.Fatal(err)
		}
		b := rep.Batch
		if b.People != 1 || b.AmountFen != 50000 || rep.Excluded != 1 || b.Status != BatchReview {
			t.Fatalf("batch %+v", rep)
		}
		_, lines, err := e.svc.Batch(ctx, b.ID)
		if err != nil || len(lines) != 1 || lines[0].ProfileID != "P-2" || lines[0].Name != "李*" || len(lines[0].Reasons) != 2 {
			t.Fatalf("lines %+v %v", lines, err)
		}
		if err := e.svc.ApproveBatch(ctx, b.ID, "maker", ""); !errors.Is(err, ErrSameActor) {
			t.Errorf("self-approval: %v", err)
		}
		if err := e.svc.ApproveBatch(ctx, b.ID, "reviewer", "核对无误"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ReturnBatch(ctx, b.ID, "reviewer", "x"); !errors.Is(err, ErrState) {
			t.Errorf("return an approved batch: %v", err)
		}
		// Frozen in the database, not only in this package.
		if _, err := db.Exec(ctx, `UPDATE eligibility_batch_lines SET amount_fen = 1 WHERE batch_id = ?`, b.ID); err == nil {
			t.Errorf("an approved batch's line was changed")
		}
		if _, err := db.Exec(ctx, `UPDATE eligibility_batches SET amount_fen = 1 WHERE id = ?`, b.ID); err == nil {
			t.Errorf("an approved batch was changed")
		}
		// Served now; a second batch for the month finds nobody new.
		rep, err = e.svc.CreateBatch(ctx, "OLD", "2026-12", "maker")
		if err != nil || rep.Batch.People != 0 || rep.AlreadyListed != 1 {
			t.Fatalf("second batch %+v %v", rep, err)
		}
		if err := e.svc.ReturnBatch(ctx, rep.Batch.ID, "reviewer", ""); !errors.Is(err, ErrInput) {
			t.Errorf("return without a reason: %v", err)
		}
		if err := e.svc.ReturnBatch(ctx, rep.Batch.ID, "reviewer", "名单为空"); err != nil {
			t.Fatal(err)
		}
		ent, err := e.svc.CreateBatch(ctx, "START", "2026-11", "maker")
		if err != nil || ent.Batch.Enterprises != 1 {
			t.Fatalf("enterprise batch %+v %v", ent, err)
		}
		if err := e.svc.ApproveBatch(ctx, ent.Batch.ID, "reviewer", ""); err != nil {
			t.Fatal(err)
		}
		st, err := e.svc.Stats(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if st.All.People != 1 || st.All.Enterprises != 1 || st.All.AmountFen != 1050000 || st.All.Batches != 2 ||
			len(st.ByPolicy) != 2 || st.ByPolicy[0].Key != "START" || len(st.ByMonth) != 2 || st.ByMonth[0].Key != "2026-11" ||
			len(st.ByStreet) != 2 || st.ByStreet[0].Key != "华强北" {
			t.Errorf("stats %+v", st)
		}
		if st, _ := e.svc.Stats(ctx, "2026-12", "2026-12"); st.All.AmountFen != 50000 {
			t.Errorf("December: %+v", st.All)
		}
		cov, err := e.svc.Coverage(ctx)
		if err != nil || len(cov) != 4 || cov[0].PolicyID != "OLD" || cov[0].Eligible != 1 || cov[0].Served != 1 {
			t.Errorf("coverage %+v %v", cov, err)
		}
		var xl bytes.Buffer
		if err := e.svc.ExportBatch(ctx, &xl, b.ID); err != nil || xl.Len() == 0 {
			t.Errorf("export batch: %v", err)
		}
	})
}

// TestFollowAcrossReplicas: on PostgreSQL two replicas follow the same
// database; one leads and re-matches a profile changed through the
// other, and the stored row is current for both.
func TestFollowAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, store.Postgres)
	open := func() *store.DB {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx, sets...); err != nil {
			t.Fatal(err)
		}
		return db
	}
	a, b := open(), open()
	ea, eb := setup(t, a), setupReplica(t, b)
	if _, err := ea.svc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, e := range []*env{ea, eb} {
		pc, rc := e.db.Subscribe(policy.Topic), e.db.Subscribe(registry.Topic)
		wg.Add(1)
		go func() { defer wg.Done(); e.svc.Follow(fctx, pc, rc, time.Hour) }()
	}
	defer func() { cancel(); wg.Wait() }()
	// Replica b changes P-4; whoever leads re-matches it.
	if err := eb.reg.UpdateFields(ctx, "P-4", map[string]any{"hukou_district": "福田区"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(eb.results(t), "P-4 MEAL eligible\n") })
	// A policy published through b reaches a's live set and the store.
	p := policy.Policy{ID: "NEW", Title: "新政策", Target: policy.Person, Mode: policy.Apply,
		Conditions: []policy.Condition{{Label: "南园", Expr: `street == "南园"`}}}
	if _, err := eb.lib.Import(ctx, strings.NewReader(jsonLine(t, p)), "x", policy.ImportOptions{State: policy.Published, Actor: "b"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(ea.results(t), "P-4 NEW eligible\n") })
	waitFor(t, func() bool { _, ok := ea.svc.Live().Set().Lookup("NEW"); return ok })
	// Only one replica leads.
	la, lb := &lead{db: a}, &lead{db: b}
	defer la.release()
	defer lb.release()
	if la.hold(ctx) || lb.hold(ctx) {
		t.Errorf("a third claimant got the lead while a follower holds it")
	}
}

// setupReplica is a second handle on a database setup already filled.
func setupReplica(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	clk := newClock()
	keys, _ := privacy.NewKeys(bytes.Repeat([]byte{3}, 32))
	lib := policy.NewLibrary(db).WithClock(clk.Now, nil)
	reg := registry.New(db, keys, audit.New(db)).WithClock(clk.Now)
	live, err := policy.NewLive(ctx, lib)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, lib: lib, reg: reg, clk: clk, svc: New(db, live, reg, nil, audit.New(db), Config{Now: clk.Now})}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-deadline:
			t.Fatal("condition never held")
		case <-time.After(10 * time.Millisecond):
		}
	}
}
