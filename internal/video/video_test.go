package video

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func sets() []store.Migrations { return []store.Migrations{audit.Migrations, Migrations} }

var testKey = []byte("0123456789abcdef0123456789abcdef")

func newService(t *testing.T, db *store.DB, clk *clock.Manual) (*Service, *audit.Log) {
	t.Helper()
	log := audit.New(db).WithClock(clk.Now, clock.Default)
	s, err := New(db, Config{Key: testKey, Audit: log, Now: clk.Now, Grace: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, log
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	s, err := New(nil, Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	tok := s.Token("abc")
	if !s.Valid("abc", tok) || s.Valid("abd", tok) || s.Valid("abc", "") || s.Valid("", tok) || s.Valid("abc", tok[:len(tok)-1]) {
		t.Error("token accepted for the wrong session or refused for its own")
	}
	if _, err := New(nil, Config{Key: []byte("short")}); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestEstimate(t *testing.T) {
	t.Parallel()
	avg := 4 * time.Minute
	for _, c := range []struct {
		ahead, online, busy, want int
	}{
		{0, 0, 0, 240},   // nobody online: one call's length per person up to and including me
		{2, 0, 0, 720},   //
		{0, 1, 0, 0},     // a free clerk answers me now
		{0, 1, 1, 240},   // the one clerk is busy
		{1, 2, 0, 0},     // two free clerks, one person ahead: the second clerk takes me
		{2, 2, 0, 240},   // both take the two ahead, then one of them me
		{5, 2, 1, 720},   // one free takes the first, then rounds of two: (5-1)/2+1 = 3
		{3, 3, 3, 480},   // all busy: (3-0)/3+1 = 2 rounds
		{0, 3, 3, 240},   // all busy, I am next
		{10, 1, 0, 2400}, // a long queue and one clerk
	} {
		if got := estimate(c.ahead, c.online, c.busy, avg); got != c.want {
			t.Errorf("estimate(%d ahead, %d online, %d busy) = %d s, want %d", c.ahead, c.online, c.busy, got, c.want)
		}
	}
}

func TestSessionLifecycle(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clock.At("2026-12-01 09:00", clock.Default))
		s, log := newService(t, db, clk)

		a, tokA, err := s.Request(ctx, NewRequest{ItemID: "FT-001", ItemName: "居民身份证换领", ConversationID: "c1", Channel: "chat"})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.ID) != 32 || !s.Valid(a.ID, tokA) || a.Status != Waiting {
			t.Fatalf("request: %+v", a)
		}
		clk.Add(30 * time.Second)
		b, _, err := s.Request(ctx, NewRequest{ItemID: "FT-002", ItemName: "高龄津贴申领"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Channel != "request" {
			t.Errorf("default channel %q", b.Channel)
		}
		if q, _ := s.Waiting(ctx); len(q) != 2 || q[0].ID != a.ID || q[1].ID != b.ID {
			t.Fatalf("queue %+v", q)
		}
		pa, _ := s.Place(ctx, a.ID)
		pb, _ := s.Place(ctx, b.ID)
		// Nobody online, no history: 5 minutes per place.
		if pa.Position != 1 || pb.Position != 2 || pa.WaitS != 300 || pb.WaitS != 600 {
			t.Errorf("places %+v %+v", pa, pb)
		}

		clerk := Clerk{User: "agent1", Role: "agent", Name: "王芳", Number: "FT0123", Hall: "福田区行政服务大厅"}
		if _, err := s.Accept(ctx, a.ID, Clerk{User: "agent1"}); !errors.Is(err, ErrClerkRequired) {
			t.Errorf("accept without number and hall: %v", err)
		}
		clk.Add(90 * time.Second) // a waited 2 minutes
		acc, err := s.Accept(ctx, a.ID, clerk)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Status != Active || acc.ClerkName != "王芳" || acc.ClerkNumber != "FT0123" || acc.Wait(clk.Now()) != 2*time.Minute {
			t.Errorf("accepted %+v", acc)
		}
		_, err = s.Accept(ctx, a.ID, Clerk{User: "agent2", Number: "2", Hall: "h"})
		wantErr(t, "accept twice", err, ErrNotWaiting)
		_, err = s.Accept(ctx, "nope", clerk)
		wantErr(t, "accept unknown", err, ErrNotFound)
		if pb, _ = s.Place(ctx, b.ID); pb.Position != 1 {
			t.Errorf("b's place after a was answered: %+v", pb)
		}

		wantErr(t, "rate during the call", s.Rate(ctx, a.ID, 5, ""), ErrNotEnded)
		_, err = s.End(ctx, a.ID, Clerk{User: "agent2"}, Resolved)
		wantErr(t, "another clerk ends", err, ErrNotYourCall)
		_, err = s.End(ctx, a.ID, clerk, "bogus")
		wantErr(t, "bad outcome", err, ErrBadOutcome)
		// Recording is off: a consent to it (as a forged frame might
		// claim) records nothing.
		if rec, err := s.Consent(ctx, a.ID, true); err != nil || rec {
			t.Fatalf("consent: recording agreed %v while off, %v", rec, err)
		}
		if x, _ := s.Get(ctx, a.ID); !x.RecordConsentAt.IsZero() {
			t.Errorf("record consent stored while recording is off: %+v", x)
		}
		clk.Add(7 * time.Minute)
		ended, err := s.Leave(ctx, a.ID) // the resident hangs up
		if err != nil {
			t.Fatal(err)
		}
		if ended.Status != Ended || ended.EndedBy != "resident" || ended.Duration(clk.Now()) != 7*time.Minute || ended.ConsentAt.IsZero() {
			t.Errorf("ended %+v", ended)
		}
		// The clerk fills in the outcome afterwards.
		if x, err := s.End(ctx, a.ID, clerk, Applied); err != nil || x.Outcome != Applied {
			t.Errorf("outcome after the end: %+v, %v", x, err)
		}
		wantErr(t, "rate 0", s.Rate(ctx, a.ID, 0, ""), ErrBadRating)
		wantErr(t, "rate 6", s.Rate(ctx, a.ID, 6, ""), ErrBadRating)
		if err := s.Rate(ctx, a.ID, 5, "很耐心，电话13812345678"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "rate twice", s.Rate(ctx, a.ID, 1, ""), ErrRated)
		got, _ := s.Get(ctx, a.ID)
		if got.Rating != 5 || got.Comment == "" || bytes.Contains([]byte(got.Comment), []byte("13812345678")) {
			t.Errorf("rating stored as %d %q (the phone must be masked)", got.Rating, got.Comment)
		}

		// b leaves the queue.
		if x, err := s.Leave(ctx, b.ID); err != nil || x.Status != Abandoned {
			t.Errorf("leave the queue: %+v %v", x, err)
		}
		if q, _ := s.Waiting(ctx); len(q) != 0 {
			t.Errorf("queue after all left: %+v", q)
		}
		// With one call of 7 minutes behind us, the estimate follows it.
		c, _, _ := s.Request(ctx, NewRequest{ItemName: "x"})
		if p, _ := s.Place(ctx, c.ID); p.WaitS != 420 {
			t.Errorf("estimate after history: %+v", p)
		}

		// The audit log has the metadata: accept and end, who, how long,
		// the item, the outcome; nothing of the call.
		entries, _, err := log.List(ctx, audit.Filter{}, audit.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]audit.Entry{}
		for _, e := range entries {
			actions[e.Action] = e
		}
		end, ok := actions["video.end"]
		if !ok || end.Actor != "resident" || end.Details["item"] != "FT-001" || end.Details["clerk"] != "agent1" {
			t.Errorf("video.end entry %+v", end)
		}
		if d := fmt.Sprint(end.Details["duration_s"]); d != "420" {
			t.Errorf("duration in the audit log: %v", end.Details["duration_s"])
		}
		if acc := actions["video.accept"]; acc.Actor != "agent1" || fmt.Sprint(acc.Details["wait_s"]) != "120" {
			t.Errorf("video.accept entry %+v", acc)
		}
		if out := actions["video.outcome"]; out.Details["outcome"] != "applied" {
			t.Errorf("video.outcome entry %+v", out)
		}
	})
}

func TestSweep(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clock.At("2026-12-01 09:00", clock.Default))
		s, _ := newService(t, db, clk)
		w, _, _ := s.Request(ctx, NewRequest{ItemName: "等待"})
		a, _, _ := s.Request(ctx, NewRequest{ItemName: "通话"})
		if _, err := s.Accept(ctx, a.ID, Clerk{User: "u", Number: "1", Hall: "h"}); err != nil {
			t.Fatal(err)
		}
		clk.Add(30 * time.Second)
		if err := s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if x, _ := s.Get(ctx, w.ID); x.Status != Waiting {
			t.Errorf("swept within the grace: %s", x.Status)
		}
		clk.Add(time.Minute)
		if err := s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if x, _ := s.Get(ctx, w.ID); x.Status != Abandoned {
			t.Errorf("waiting without a page past the grace: %s", x.Status)
		}
		if x, _ := s.Get(ctx, a.ID); x.Status != Ended || x.Outcome != Dropped || x.EndedBy != "system" {
			t.Errorf("call without peers past the grace: %+v", x)
		}
	})
}

func TestStatsAndExport(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clock.At("2026-12-01 09:00", clock.Default))
		s, _ := newService(t, db, clk)
		clerk := Clerk{User: "agent1", Name: "王芳", Number: "FT0123", Hall: "大厅"}
		call := func(wait, talk time.Duration, o Outcome, stars int) {
			x, _, err := s.Request(ctx, NewRequest{ItemID: "FT-001", ItemName: "身份证"})
			if err != nil {
				t.Fatal(err)
			}
			clk.Add(wait)
			if _, err := s.Accept(ctx, x.ID, clerk); err != nil {
				t.Fatal(err)
			}
			clk.Add(talk)
			if _, err := s.End(ctx, x.ID, clerk, o); err != nil {
				t.Fatal(err)
			}
			if stars > 0 {
				if err := s.Rate(ctx, x.ID, stars, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		call(time.Minute, 5*time.Minute, Resolved, 5)
		call(3*time.Minute, 7*time.Minute, Applied, 3)
		x, _, _ := s.Request(ctx, NewRequest{ItemName: "放弃"})
		if _, err := s.Leave(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
		clk.Set(clock.At("2026-12-02 10:00", clock.Default))
		call(0, 2*time.Minute, Booked, 4)
		if _, _, err := s.Request(ctx, NewRequest{ItemName: "还在等"}); err != nil { // waiting: not counted
			t.Fatal(err)
		}

		st, err := s.Stats(ctx, "2026-12-01", "2026-12-02")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Days) != 2 {
			t.Fatalf("days %+v", st.Days)
		}
		d1 := st.Days[0]
		if d1.Day != "2026-12-01" || d1.Requests != 3 || d1.Answered != 2 || d1.Abandoned != 1 || d1.WaitS != 120 || d1.MaxWaitS != 180 ||
			d1.DurationS != 360 || d1.Outcomes[Resolved] != 1 || d1.Outcomes[Applied] != 1 || d1.Rated != 2 || d1.Stars != 4 || d1.Satisfied != 1 {
			t.Errorf("day 1 %+v", d1)
		}
		all := st.All
		if all.Requests != 4 || all.Answered != 3 || all.Rated != 3 || all.Stars != 4 || all.Satisfied != 2 || all.Outcomes[Booked] != 1 {
			t.Errorf("all %+v", all)
		}
		if len(st.Clerk) != 1 || st.Clerk[0].Day != "王芳" || st.Clerk[0].Answered != 3 {
			t.Errorf("by clerk %+v", st.Clerk)
		}
		if st, _ := s.Stats(ctx, "2026-12-02", ""); st.All.Requests != 1 {
			t.Errorf("from day 2: %+v", st.All)
		}
		_, err = s.Stats(ctx, "1.12.2026", "")
		wantErr(t, "bad date", err, ErrBadDate)

		var buf bytes.Buffer
		if err := s.ExportExcel(ctx, &buf, "", ""); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("按日统计")
		if len(rows) != 4 || rows[1][0] != "2026-12-01" || rows[1][1] != "3" || rows[3][0] != "合计" {
			t.Errorf("days sheet %v", rows)
		}
		rows, _ = f.GetRows("通话明细")
		if len(rows) != 5 || rows[1][4] != "王芳" || rows[1][9] != "问题已解答" || rows[1][10] != "5 星 非常满意" {
			t.Errorf("list sheet %v", rows)
		}
	})
}

func TestICEConfig(t *testing.T) {
	t.Parallel()
	var none *ICE
	if c := none.Config("resident"); len(c.Servers) != 0 || c.Policy != "" {
		t.Errorf("no ICE configured: %+v", c)
	}
	now := clock.At("2026-12-01 09:00", clock.Default)
	ice := &ICE{Secret: testKey, TURN: []string{"turn:127.0.0.1:3478?transport=udp"}, STUN: []string{"stun:10.0.0.1:3478"},
		TTL: time.Hour, Relay: true, Now: clock.Fixed(now)}
	c := ice.Config("clerk")
	if len(c.Servers) != 2 || c.Policy != "relay" || c.Servers[0].URLs[0] != "stun:10.0.0.1:3478" || c.Servers[0].Username != "" {
		t.Fatalf("config %+v", c)
	}
	turn := c.Servers[1]
	want := now.Add(time.Hour).Unix()
	if turn.Username != itoa(want)+":clerk" || turn.Credential != turnPassword(testKey, turn.Username) {
		t.Errorf("turn credential %+v", turn)
	}
	for _, s := range c.Servers {
		for _, u := range s.URLs {
			if bytes.Contains([]byte(u), []byte("google")) {
				t.Errorf("public STUN server %s", u)
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
