package doorstep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func sets() []store.Migrations { return []store.Migrations{kb.Migrations, Migrations} }
func phone(i int) string       { return fmt.Sprintf("137%08d", i) }
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

func TestCanTransition(t *testing.T) {
	t.Parallel()
	legal := map[[2]Status]bool{
		{Submitted, Accepted}: true, {Submitted, Rejected}: true, {Submitted, Cancelled}: true,
		{Accepted, Assigned}: true, {Accepted, Rejected}: true, {Accepted, Cancelled}: true,
		{Assigned, Assigned}: true, {Assigned, Visited}: true, {Assigned, Cancelled}: true,
		{Visited, Completed}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if got := CanTransition(from, to); got != legal[[2]Status{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestRank(t *testing.T) {
	t.Parallel()
	sp := func(id int64, streets, themes string, load, max int, active bool) Specialist {
		return Specialist{ID: id, Name: fmt.Sprintf("专员%d", id), Streets: strings.Split(streets, ","), Themes: strings.Split(themes, ","),
			Load: load, MaxLoad: max, Active: active}
	}
	all := []Specialist{
		sp(1, "园岭,南园", "养老服务", 3, 0, true),
		sp(2, "园岭", "养老服务,残疾人服务", 1, 0, true),
		sp(3, "园岭", "养老服务", 0, 0, false), // inactive
		sp(4, "园岭", "户籍", 0, 0, true),    // street only
		sp(5, "梅林", "养老服务", 0, 0, true),  // theme only
		sp(6, "园岭", "养老服务", 2, 2, true),  // full
		sp(7, "园岭", "养老服务", 1, 5, true),  // ties with 2 on load: lower id wins
		sp(8, "沙头", "税务", 0, 0, true),    // neither
	}
	cases := []struct {
		name, street, theme string
		specs               []Specialist
		want                string // candidate ids in order
		best                bool
	}{
		{"both match, least load, lower id on ties", "园岭街道", "养老服务", all, "2 7 1 6 4 5", true},
		{"other theme: then street only, by load, full last", "园岭", "残疾人服务", all, "2 4 7 1 6", true},
		{"street unknown: theme only", "", "养老服务", all, "5 2 7 1 6", false},
		{"no one for the street", "华富", "养老服务", all, "5 2 7 1 6", false},
		{"nobody at all", "沙头", "户籍", all[:3], "", false},
		{"only full ones", "园岭", "养老服务", []Specialist{sp(6, "园岭", "养老服务", 2, 2, true)}, "6", false},
		{"full ranks after free in the same tier", "园岭", "养老服务",
			[]Specialist{sp(6, "园岭", "养老服务", 2, 2, true), sp(9, "园岭", "养老服务", 9, 0, true)}, "9 6", true},
	}
	for _, c := range cases {
		got := Rank(c.specs, c.street, c.theme)
		var ids []string
		for _, x := range got {
			ids = append(ids, fmt.Sprint(x.Specialist.ID))
		}
		if strings.Join(ids, " ") != c.want {
			t.Errorf("%s: ranked %v, want %s", c.name, ids, c.want)
		}
		if b := len(got) > 0 && got[0].Best(); b != c.best {
			t.Errorf("%s: best = %v, want %v", c.name, b, c.best)
		}
	}
	r := Rank(all, "园岭", "养老服务")
	if r[0].Reason != "负责园岭街道，擅长养老服务，当前在办 1 件" || !strings.Contains(r[3].Reason, "已满负荷") || !strings.Contains(r[4].Reason, "不负责“养老服务”主题") {
		t.Errorf("reasons: %q / %q / %q", r[0].Reason, r[3].Reason, r[4].Reason)
	}
}

func TestStreetAndMoney(t *testing.T) {
	t.Parallel()
	s := New(nil, nil, nil, Config{})
	for addr, want := range map[string]string{
		"深圳市福田区园岭街道百花二路23号": "园岭",
		"福田区香蜜湖街道农园路62号":    "香蜜湖",
		"深圳市福田区华强北路1058号":   "华强北",
		"深圳市福田区福田街道福华三路88号": "福田",
		"深圳市福田区某某路1号":       "",
		"福田区莲花街道景田北":        "莲花",
	} {
		if got := s.StreetOf(addr); got != want {
			t.Errorf("StreetOf(%q) = %q, want %q", addr, got, want)
		}
	}
	for in, want := range map[string]int64{"1234.5": 123450, "1,234.56元": 123456, "0": 0, "": 0, "3000": 300000} {
		if got, err := ParseYuan(in); err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"-1", "1.234", "abc", "1.2x", ".5", "1e5"} {
		if _, err := ParseYuan(bad); err == nil {
			t.Errorf("ParseYuan(%q) accepted", bad)
		}
	}
	if Yuan(123405) != "1234.05" {
		t.Error(Yuan(123405))
	}
}

type fixture struct {
	svc *Service
	clk *clock.Manual
	kbs *kb.Store
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	kbs := kb.NewStore(db)
	items := []kb.Item{
		{ID: "D-1", Name: "高龄津贴申领", Theme: "养老服务", Doorstep: true},
		{ID: "D-2", Name: "残疾人证办理", Theme: "残疾人服务", Doorstep: true},
		{ID: "D-3", Name: "企业开办指导", Theme: "企业开办", Doorstep: true},
		{ID: "N-1", Name: "护照办理", Theme: "户籍"},
	}
	if _, err := kbs.UpsertItems(ctx, items, kb.UpsertOptions{Status: kb.Published}); err != nil {
		t.Fatal(err)
	}
	keys, _ := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	clk := clock.NewManual(clock.At("2026-11-30 09:00", nil))
	svc := New(db, kbs, keys, Config{Now: clk.Now})
	rep, err := svc.SyncCatalogue(ctx, "sync")
	if err != nil || rep.Added != 3 {
		t.Fatalf("sync = %+v, %v", rep, err)
	}
	return &fixture{svc: svc, clk: clk, kbs: kbs}
}

func elderly(i int) NewRequest {
	return NewRequest{Applicant: "王阿姨", Phone: phone(i), Address: "深圳市福田区园岭街道百花二路23号5栋301", ItemID: "D-1",
		Preferred: "工作日上午", Notes: "行动不便，请先电话联系 13812345678", Channel: "web"}
}

func TestCatalogue(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.svc
		if _, err := s.AddItem(ctx, Item{ID: "N-1"}, "staff"); err != nil {
			t.Fatal(err)
		}
		custom, err := s.AddItem(ctx, Item{Name: "老年人能力评估", Theme: "养老服务"}, "staff")
		if err != nil || custom.ID != "DS-001" {
			t.Fatalf("custom = %+v, %v", custom, err)
		}
		if _, err := s.AddItem(ctx, Item{Name: "无主题"}, "staff"); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("no theme: %v", err)
		}
		groups, err := s.Catalogue(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		var line []string
		for _, g := range groups {
			var ids []string
			for _, it := range g.Items {
				ids = append(ids, it.ID)
			}
			line = append(line, g.Theme+":"+strings.Join(ids, ","))
		}
		if strings.Join(line, " ") != "户籍:N-1 养老服务:D-1,DS-001 残疾人服务:D-2 企业开办:D-3" {
			t.Errorf("catalogue = %v", line)
		}
		// The knowledge base drops D-2 from doorstep and renames D-1.
		_, err = f.kbs.UpsertItems(ctx, []kb.Item{{ID: "D-1", Name: "高龄老人津贴申领", Theme: "养老服务", Doorstep: true},
			{ID: "D-2", Name: "残疾人证办理", Theme: "残疾人服务"}}, kb.UpsertOptions{Status: kb.Published})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.SyncCatalogue(ctx, "sync")
		if err != nil || rep != (SyncReport{Updated: 1, Deactivated: 1}) {
			t.Errorf("resync = %+v, %v", rep, err)
		}
		if _, err := s.CatalogueItem(ctx, "D-2"); !errors.Is(err, ErrNotInCatalogue) {
			t.Errorf("D-2 still offered: %v", err)
		}
		if it, _ := s.CatalogueItem(ctx, "D-1"); it.Name != "高龄老人津贴申领" {
			t.Errorf("D-1 = %+v", it)
		}
		if _, err := s.CatalogueItem(ctx, "N-1"); err != nil {
			t.Errorf("staff-added kb item dropped by sync: %v", err)
		}
		if err := s.SetItemActive(ctx, "DS-001", false, "staff"); err != nil {
			t.Fatal(err)
		}
		all, _ := s.Catalogue(ctx, true)
		n := 0
		for _, g := range all {
			n += len(g.Items)
		}
		if n != 5 {
			t.Errorf("catalogue with inactive = %d items", n)
		}
		if err := s.SetItemActive(ctx, "nope", true, "staff"); !errors.Is(err, ErrNotInCatalogue) {
			t.Errorf("unknown item: %v", err)
		}
	})
}

func TestWorkflow(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.svc

		li, err := s.AddSpecialist(ctx, Specialist{Name: "李专员", Phone: "13600000001", Streets: []string{"园岭街道", "南园"}, Themes: []string{"养老服务"}})
		if err != nil || li.Phone != "136****0001" || li.Streets[0] != "园岭" {
			t.Fatalf("add specialist = %+v, %v", li, err)
		}
		zhao, _ := s.AddSpecialist(ctx, Specialist{Name: "赵专员", Streets: []string{"园岭"}, Themes: []string{"养老服务", "残疾人服务"}, MaxLoad: 1})
		if _, err := s.AddSpecialist(ctx, Specialist{Name: "无街道", Themes: []string{"养老服务"}}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("specialist without streets: %v", err)
		}
		if _, err := s.AddSpecialist(ctx, Specialist{Name: "外区", Streets: []string{"南山街道"}, Themes: []string{"养老服务"}}); !errors.Is(err, ErrUnknownStreet) {
			t.Errorf("specialist of another district's street: %v", err)
		}

		// Submission checks.
		for _, c := range []struct {
			mod  func(*NewRequest)
			want error
		}{
			{func(n *NewRequest) { n.Applicant = "王" }, ErrInvalidName},
			{func(n *NewRequest) { n.Phone = "0755-1234" }, ErrInvalidPhone},
			{func(n *NewRequest) { n.Address = "" }, ErrInvalidAddress},
			{func(n *NewRequest) { n.Address = "136 1234 5678" }, ErrAddressIsNumber},
			{func(n *NewRequest) { n.Address = "电话13612345678" }, ErrAddressIsNumber},
			{func(n *NewRequest) { n.ItemID = "N-1" }, ErrNotInCatalogue},
			{func(n *NewRequest) { n.Street = "火星" }, ErrUnknownStreet},
			{func(n *NewRequest) { n.Kind = "alien" }, ErrInvalidInput},
		} {
			n := elderly(1)
			c.mod(&n)
			_, err := s.Submit(ctx, n)
			wantErr(t, fmt.Sprintf("%+v", n), err, c.want)
		}

		r, err := s.Submit(ctx, elderly(1))
		if err != nil {
			t.Fatal(err)
		}
		if r.Number != fmt.Sprintf("SM-20261130-%04d", r.ID) || r.Street != "园岭" || r.Phone != "137****0001" ||
			r.Address != "深圳市福田区园岭街道百花二路****" || r.Notes != "行动不便，请先电话联系 138****5678" || r.Theme != "养老服务" ||
			r.Status != Submitted || r.Kind != Resident {
			t.Errorf("request = %+v", r)
		}
		_, err = s.Submit(ctx, elderly(1))
		wantErr(t, "second open request for the same item", err, ErrDuplicate)

		// Applicant lookup needs the phone number too.
		if got, err := s.GetByNumber(ctx, r.Number); err != nil || got.ID != r.ID {
			t.Errorf("by number = %+v, %v", got, err)
		}
		if got, err := s.Lookup(ctx, strings.ToLower(r.Number), "137 0000 0001"); err != nil || got.ID != r.ID {
			t.Errorf("lookup = %+v, %v", got, err)
		}
		_, err = s.Lookup(ctx, r.Number, phone(2))
		wantErr(t, "lookup with another phone", err, ErrPhoneMismatch)

		// The workflow with dispatch.
		_, err = s.Dispatch(ctx, r.ID, "staff")
		wantErr(t, "dispatch before accepting", err, ErrIllegalTransition)
		if _, err := s.Accept(ctx, r.ID, "staff-a", "已电话核实"); err != nil {
			t.Fatal(err)
		}
		cands, err := s.Suggest(ctx, r.ID)
		if err != nil || len(cands) != 2 || cands[0].Specialist.ID != li.ID || !cands[0].Best() {
			t.Fatalf("suggest = %+v, %v", cands, err)
		}
		got, err := s.Dispatch(ctx, r.ID, "staff-a")
		if err != nil || got.Status != Assigned || got.SpecialistID != li.ID || got.SpecialistName != "李专员" {
			t.Fatalf("dispatch = %+v, %v", got, err)
		}
		// Now 李 carries one; the next request goes to 赵 (load 0).
		r2, _ := s.Submit(ctx, elderly(2))
		s.Accept(ctx, r2.ID, "staff-a", "")
		got2, err := s.Dispatch(ctx, r2.ID, "staff-a")
		if err != nil || got2.SpecialistID != zhao.ID {
			t.Errorf("second dispatch = %+v, %v", got2, err)
		}
		// 赵 is full (max 1), 李 has 1: a third goes to 李.
		r3, _ := s.Submit(ctx, elderly(3))
		s.Accept(ctx, r3.ID, "staff-a", "")
		if c, _ := s.Suggest(ctx, r3.ID); c[0].Specialist.ID != li.ID || !c[1].Full {
			t.Errorf("third suggestion = %+v", c)
		}
		// Staff override: assign to 赵 anyway, noted as a manual choice.
		got3, err := s.Assign(ctx, r3.ID, zhao.ID, "staff-b", "熟悉该户情况")
		if err != nil || got3.SpecialistID != zhao.ID {
			t.Fatalf("override = %+v, %v", got3, err)
		}
		// Reassigning an assigned request is allowed.
		if got3, err = s.Assign(ctx, r3.ID, li.ID, "staff-b", "赵专员请假"); err != nil || got3.SpecialistID != li.ID {
			t.Errorf("reassign = %+v, %v", got3, err)
		}
		_, err = s.Assign(ctx, r3.ID, 999, "staff-b", "")
		wantErr(t, "assign to unknown", err, ErrUnknownSpecialist)

		// A request in a street nobody covers: no automatic dispatch.
		far := elderly(4)
		far.Address = "深圳市福田区沙头街道某路1号"
		r4, _ := s.Submit(ctx, far)
		s.Accept(ctx, r4.ID, "staff-a", "")
		_, err = s.Dispatch(ctx, r4.ID, "staff-a")
		wantErr(t, "dispatch nobody fits", err, ErrNoSpecialist)

		if _, err := s.Visit(ctx, r.ID, "李专员", "已上门核实"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Complete(ctx, r.ID, "李专员", Outcome{AmountFen: -1})
		wantErr(t, "negative amount", err, ErrInvalidInput)
		done, err := s.Complete(ctx, r.ID, "李专员", Outcome{AmountFen: 150000, Note: "已办结，津贴按月发放"})
		if err != nil || done.Status != Completed || done.AmountFen != 150000 || done.CompletedAt.IsZero() || done.DueAt.IsZero() == false {
			t.Errorf("complete = %+v, %v", done, err)
		}
		// Once closed, the same item may be requested again.
		if _, err := s.Submit(ctx, elderly(1)); err != nil {
			t.Errorf("new request after completion: %v", err)
		}

		hist, _ := s.History(ctx, r.ID)
		var steps []string
		for _, h := range hist {
			steps = append(steps, fmt.Sprintf("%s>%s@%s", h.From, h.To, h.Actor))
		}
		if strings.Join(steps, " ") != ">submitted@ submitted>accepted@staff-a accepted>assigned@staff-a assigned>visited@李专员 visited>completed@李专员" {
			t.Errorf("history = %v", steps)
		}
		if !strings.Contains(hist[4].Note, "发放金额 1500.00 元") {
			t.Errorf("completion note = %q", hist[4].Note)
		}
		h3, _ := s.History(ctx, r3.ID)
		if !strings.Contains(h3[2].Note, "人工指派（推荐为李专员）") || !strings.Contains(h3[2].Note, "派给赵专员") {
			t.Errorf("override note = %q", h3[2].Note)
		}

		// Reject and cancel need a reason.
		_, err = s.Reject(ctx, r4.ID, "staff", " ")
		wantErr(t, "reject without reason", err, ErrReasonRequired)
		if _, err := s.Reject(ctx, r4.ID, "staff", "不在服务范围"); err != nil {
			t.Error(err)
		}
		cancelled, err := s.CancelByApplicant(ctx, r2.Number, phone(2), "")
		if err != nil || cancelled.Status != Cancelled || cancelled.Reason != "申请人取消" {
			t.Errorf("applicant cancel = %+v, %v", cancelled, err)
		}
		_, err = s.CancelByApplicant(ctx, r3.Number, phone(9), "x")
		wantErr(t, "cancel with wrong phone", err, ErrPhoneMismatch)

		// Reveal opens the contact and leaves a trace.
		c, err := s.Reveal(ctx, r3.ID, "李专员", "上门前联系")
		if err != nil || c.Phone != phone(3) || c.Address != "深圳市福田区园岭街道百花二路23号5栋301" {
			t.Errorf("reveal = %+v, %v", c, err)
		}
		if _, err := s.Reveal(ctx, r3.ID, "", ""); err == nil {
			t.Error("anonymous reveal allowed")
		}

		// Overdue: r3 assigned with a 72 h limit; a fresh submission has 24 h.
		r5, _ := s.Submit(ctx, NewRequest{Kind: Enterprise, Applicant: "深圳某某科技有限公司", Contact: "陈经理", Phone: phone(5),
			Street: "华富街道", Address: "福田区华富路1号", ItemID: "D-3", Channel: "chat", ConversationID: "conv-1"})
		f.clk.Add(25 * time.Hour)
		flagged, err := s.FlagOverdue(ctx)
		// r5 and the resubmission of elderly(1), both submitted 25 h ago.
		if err != nil || len(flagged) != 2 || !flagged[0].Overdue || flagged[0].FlaggedAt.IsZero() || flagged[0].ID+flagged[1].ID != r5.ID+r5.ID-1 {
			t.Fatalf("flagged = %+v, %v", flagged, err)
		}
		if again, _ := s.FlagOverdue(ctx); len(again) != 0 {
			t.Errorf("flagged twice: %+v", again)
		}
		over, _ := s.List(ctx, Filter{OverdueOnly: true})
		if len(over) != 2 || over[0].ID != r5.ID {
			t.Errorf("overdue list = %+v", over)
		}
		f.clk.Add(48 * time.Hour)
		flagged, _ = s.FlagOverdue(ctx)
		if len(flagged) != 1 || flagged[0].ID != r3.ID { // assigned 73 h ago, limit 72 h
			t.Errorf("flagged later = %+v", flagged)
		}
		// A step clears the flag and restarts the clock.
		if a, _ := s.Accept(ctx, r5.ID, "staff", ""); a.Overdue || !a.FlaggedAt.IsZero() {
			t.Errorf("after accepting: %+v", a)
		}
		h5, _ := s.History(ctx, r5.ID)
		if h5[1].Actor != "system" || !strings.Contains(h5[1].Note, "超时未处理") {
			t.Errorf("overdue event = %+v", h5[1])
		}

		// Lists.
		if l, _ := s.List(ctx, Filter{SpecialistID: li.ID, Open: true}); len(l) != 1 || l[0].ID != r3.ID {
			t.Errorf("李's open list = %+v", l)
		}
		if l, _ := s.List(ctx, Filter{Street: "华富街道"}); len(l) != 1 {
			t.Errorf("华富 list = %d", len(l))
		}
		if l, _ := s.List(ctx, Filter{Status: Rejected, Theme: "养老服务"}); len(l) != 1 || l[0].Reason != "不在服务范围" {
			t.Errorf("rejected list = %+v", l)
		}
		sps, _ := s.Specialists(ctx)
		if sps[0].Load != 1 || sps[1].Load != 0 {
			t.Errorf("loads = %d, %d", sps[0].Load, sps[1].Load)
		}
	})
}

// Every transition the workflow does not allow is refused, from every
// status, through the service (not only CanTransition).
func TestIllegalTransitionsRefused(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.svc
		sp, _ := s.AddSpecialist(ctx, Specialist{Name: "李专员", Streets: []string{"园岭"}, Themes: []string{"养老服务"}})
		n := 0
		// reach builds a request in a given status.
		reach := func(st Status) int64 {
			n++
			r, err := s.Submit(ctx, elderly(100+n))
			if err != nil {
				t.Fatal(err)
			}
			steps := map[Status][]func() error{
				Submitted: nil,
				Accepted:  {func() error { _, err := s.Accept(ctx, r.ID, "a", ""); return err }},
				Rejected:  {func() error { _, err := s.Reject(ctx, r.ID, "a", "理由"); return err }},
				Cancelled: {func() error { _, err := s.Cancel(ctx, r.ID, "a", "理由"); return err }},
			}
			accept := func() error { _, err := s.Accept(ctx, r.ID, "a", ""); return err }
			assign := func() error { _, err := s.Assign(ctx, r.ID, sp.ID, "a", ""); return err }
			visit := func() error { _, err := s.Visit(ctx, r.ID, "a", ""); return err }
			steps[Assigned] = []func() error{accept, assign}
			steps[Visited] = []func() error{accept, assign, visit}
			steps[Completed] = []func() error{accept, assign, visit, func() error { _, err := s.Complete(ctx, r.ID, "a", Outcome{}); return err }}
			for _, step := range steps[st] {
				if err := step(); err != nil {
					t.Fatalf("reach %s: %v", st, err)
				}
			}
			return r.ID
		}
		try := func(id int64, to Status) error {
			var err error
			switch to {
			case Submitted:
				_, err = s.move(ctx, id, Submitted, "a", "", nil)
			case Accepted:
				_, err = s.Accept(ctx, id, "a", "")
			case Assigned:
				_, err = s.Assign(ctx, id, sp.ID, "a", "")
			case Visited:
				_, err = s.Visit(ctx, id, "a", "")
			case Completed:
				_, err = s.Complete(ctx, id, "a", Outcome{})
			case Rejected:
				_, err = s.Reject(ctx, id, "a", "理由")
			case Cancelled:
				_, err = s.Cancel(ctx, id, "a", "理由")
			}
			return err
		}
		refused := 0
		for _, from := range Statuses {
			for _, to := range Statuses {
				if CanTransition(from, to) {
					continue
				}
				id := reach(from)
				err := try(id, to)
				wantErr(t, fmt.Sprintf("%s → %s", from, to), err, ErrIllegalTransition)
				if r, _ := s.Get(ctx, id); r.Status != from {
					t.Errorf("%s → %s changed the status to %s", from, to, r.Status)
				}
				refused++
			}
		}
		if refused != 49-10 {
			t.Errorf("tried %d illegal transitions, want 39", refused)
		}
		_, err := s.Accept(ctx, 9999, "a", "")
		wantErr(t, "unknown request", err, ErrNotFound)
	})
}

// Twenty staff press "accept" on one request at once: one wins, the rest
// are told the step is no longer possible.
func TestConcurrentTransitions(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		r, err := f.svc.Submit(ctx, elderly(1))
		if err != nil {
			t.Fatal(err)
		}
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := f.svc.Accept(ctx, r.ID, fmt.Sprint("staff", i), "")
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrIllegalTransition):
					refused.Add(1)
				default:
					t.Errorf("unexpected: %v", err)
				}
			}(i)
		}
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 19 {
			t.Errorf("ok %d, refused %d", ok.Load(), refused.Load())
		}
		hist, _ := f.svc.History(ctx, r.ID)
		if len(hist) != 2 {
			t.Errorf("history has %d events, want 2", len(hist))
		}
	})
}

func TestStatsAndExport(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.svc
		li, _ := s.AddSpecialist(ctx, Specialist{Name: "李专员", Streets: FutianStreets, Themes: []string{"养老服务", "企业开办", "残疾人服务"}})
		complete := func(n NewRequest, fen int64) {
			r, err := s.Submit(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range []func() (Request, error){
				func() (Request, error) { return s.Accept(ctx, r.ID, "a", "") },
				func() (Request, error) { return s.Assign(ctx, r.ID, li.ID, "a", "") },
				func() (Request, error) { return s.Visit(ctx, r.ID, "a", "") },
				func() (Request, error) { return s.Complete(ctx, r.ID, "a", Outcome{AmountFen: fen}) },
			} {
				if _, err := step(); err != nil {
					t.Fatal(err)
				}
			}
		}
		// November: two residents served in 园岭 (1500 + 200.50 yuan), one open.
		complete(elderly(1), 150000)
		complete(elderly(2), 20050)
		s.Submit(ctx, elderly(3))
		// December: an enterprise in 华富, served; one resident cancelled.
		f.clk.Add(3 * 24 * time.Hour)
		complete(NewRequest{Kind: Enterprise, Applicant: "深圳某某科技有限公司", Phone: phone(9), Street: "华富", Address: "福田区华富路1号", ItemID: "D-3"}, 0)
		r, _ := s.Submit(ctx, elderly(4))
		s.Cancel(ctx, r.ID, "a", "已自行办理")

		st, err := s.Stats(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		a := st.All
		if a.Requests != 5 || a.Completed != 3 || a.Residents != 2 || a.Enterprises != 1 || a.AmountFen != 170050 ||
			a.Open != 1 || a.Overdue != 1 || a.Cancelled != 1 {
			t.Errorf("all = %+v", a)
		}
		if len(st.ByMonth) != 2 || st.ByMonth[0].Key != "2026-11" || st.ByMonth[0].Completed != 2 || st.ByMonth[1].Enterprises != 1 {
			t.Errorf("by month = %+v", st.ByMonth)
		}
		if st.ByTheme[0].Key != "养老服务" || st.ByTheme[0].AmountFen != 170050 || st.ByStreet[0].Key != "园岭" || st.ByStreet[1].Key != "华富" {
			t.Errorf("by theme %+v, by street %+v", st.ByTheme, st.ByStreet)
		}
		dec, _ := s.Stats(ctx, "2026-12-01", "2026-12-31")
		if dec.All.Requests != 2 || dec.All.Enterprises != 1 {
			t.Errorf("december = %+v", dec.All)
		}
		if _, err := s.Stats(ctx, "2026/12/01", ""); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad day: %v", err)
		}

		var buf bytes.Buffer
		if err := s.ExportExcel(ctx, &buf, "", ""); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if got := strings.Join(x.GetSheetList(), ","); got != "汇总,按主题,按街道,按月份,明细" {
			t.Errorf("sheets = %s", got)
		}
		cell := func(sheet, ref string) string { v, _ := x.GetCellValue(sheet, ref); return v }
		if cell("汇总", "A5") != "服务居民（办结）" || cell("汇总", "B5") != "2" || cell("汇总", "B6") != "1" || cell("汇总", "B11") != "1,700.50" {
			t.Errorf("summary B5 %q B6 %q B11 %q", cell("汇总", "B5"), cell("汇总", "B6"), cell("汇总", "B11"))
		}
		if cell("按月份", "A2") != "2026-11" || cell("按月份", "J2") != "1,700.50" || cell("按月份", "A4") != "合计" {
			t.Errorf("by month row: %q %q %q", cell("按月份", "A2"), cell("按月份", "J2"), cell("按月份", "A4"))
		}
		rows, _ := x.GetRows("明细")
		if len(rows) != 6 || rows[1][4] != "137****0001" || rows[1][9] != "已办结" || rows[4][2] != "企业" || rows[5][14] != "已自行办理" {
			t.Errorf("detail rows = %q", rows)
		}
		for _, row := range rows {
			for _, c := range row {
				if strings.Contains(c, "13700000001") || strings.Contains(c, "23号") {
					t.Errorf("unmasked personal data exported: %q", c)
				}
			}
		}
	})
}

// The same applicant pressing "submit" many times at once (web and chat
// together) files one request; the rest are told it is already open.
func TestConcurrentSubmit(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var ok, dup atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 30; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := f.svc.Submit(ctx, elderly(1))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrDuplicate):
					dup.Add(1)
				default:
					t.Errorf("unexpected: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if ok.Load() != 1 || dup.Load() != 29 {
			t.Errorf("filed %d, duplicates %d", ok.Load(), dup.Load())
		}
	})
}
