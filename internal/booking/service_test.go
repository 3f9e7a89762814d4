package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func bj(s string) time.Time    { return clock.At(s, clock.Default) }
func mobile(i int) string      { return fmt.Sprintf("139%08d", i) }
func sets() []store.Migrations { return []store.Migrations{kb.Migrations, Migrations} }
func testKeys(t testing.TB) *privacy.Keys {
	k, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fixture is a hall H1 (weekdays 9–12, 14–18; Saturday morning) with one
// window serving items T-1 and T-2 at capacity 3, and a clock set to
// Monday 2026-11-30 08:00.
type fixture struct {
	svc    *Service
	db     *store.DB
	clk    *clock.Manual
	window Window
}

func newFixture(t testing.TB, db *store.DB, capacity int) *fixture {
	t.Helper()
	ctx := context.Background()
	kbs := kb.NewStore(db)
	items := []kb.Item{
		{ID: "T-1", Name: "居民身份证换领", Theme: "户籍", Offline: kb.Offline{Halls: []string{"H1"}, Appointment: true}},
		{ID: "T-2", Name: "社保卡补办", Theme: "社保", Offline: kb.Offline{Halls: []string{"H1"}, Appointment: true}},
		{ID: "T-3", Name: "不可预约事项", Theme: "社保", Offline: kb.Offline{Halls: []string{"H1"}}},
	}
	if _, err := kbs.UpsertItems(ctx, items, kb.UpsertOptions{Status: kb.Published, Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := kbs.UpsertHalls(ctx, []kb.Hall{{ID: "H1", Name: "测试大厅", Hours: "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00"}}); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(bj("2026-11-30 08:00"))
	svc := New(db, kbs, testKeys(t), Config{Now: clk.Now, DefaultCapacity: capacity})
	rep, err := svc.Seed(ctx, "test")
	if err != nil || rep.Schedules != 1 || rep.Windows != 1 {
		t.Fatalf("seed = %+v, %v", rep, err)
	}
	ws, err := svc.Windows(ctx, "H1")
	if err != nil || len(ws) != 1 || strings.Join(ws[0].Items, ",") != "T-1,T-2" || ws[0].Capacity != capacity {
		t.Fatalf("windows = %+v, %v", ws, err)
	}
	return &fixture{svc: svc, db: db, clk: clk, window: ws[0]}
}

func req(day, start string, i int) Request {
	return Request{HallID: "H1", ItemID: "T-1", Day: day, Start: start, Name: "张三", Mobile: mobile(i), Channel: "web"}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

func TestBookingRules(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 2)
		s := f.svc

		b, err := s.Book(ctx, Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "09:30", Name: " 李小明 ",
			Mobile: "+86 139-1234-5678", IDNumber: "11010519491231002x", Channel: "chat", ConversationID: "c1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Code) != 8 || strings.ContainsAny(b.Code, "01IO") || b.End != "10:00" || b.ItemName != "居民身份证换领" ||
			b.Mobile != "139****5678" || b.IDNumber != "110105********002X" || b.Name != "李小明" || b.WindowName != "综合受理窗口" {
			t.Errorf("booking = %+v", b)
		}
		got, err := s.Lookup(ctx, strings.ToLower(b.Code[:4])+"-"+b.Code[4:])
		if err != nil || got.ID != b.ID || got.Status != Booked || got.Public().Name != "李*明" {
			t.Errorf("lookup = %+v, %v", got, err)
		}

		// Nothing readable of the mobile or ID number is stored.
		var row string
		if err := db.QueryRow(ctx, `SELECT mobile_masked || mobile_sealed || mobile_fp || id_masked || id_sealed || id_fp
			FROM booking_bookings WHERE id = ?`, b.ID).Scan(&row); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(row, "13912345678") || strings.Contains(row, "1949123100") {
			t.Errorf("plain personal data stored: %s", row)
		}
		if _, err := s.Reveal(ctx, b.Code, "", "call"); err == nil {
			t.Error("anonymous reveal allowed")
		}
		c, err := s.Reveal(ctx, b.Code, "staff-wang", "电话联系改约")
		if err != nil || c.Mobile != "13912345678" || c.IDNumber != "11010519491231002X" {
			t.Errorf("reveal = %+v, %v", c, err)
		}
		if ok, err := s.VerifyID(ctx, b.Code, "11010519491231002X"); !ok || err != nil {
			t.Errorf("verify right id = %v, %v", ok, err)
		}
		if ok, _ := s.VerifyID(ctx, b.Code, "110105194912310021"); ok {
			t.Error("verify accepted an invalid id")
		}

		// One active booking per person per item per day: by mobile or by ID.
		_, err = s.Book(ctx, Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "14:00", Name: "李小明", Mobile: "13912345678"})
		wantErr(t, "same mobile same day", err, ErrDuplicate)
		_, err = s.Book(ctx, Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "14:00", Name: "李小明", Mobile: "13800000000", IDNumber: "11010519491231002X"})
		wantErr(t, "same id same day", err, ErrDuplicate)
		if _, err := s.Book(ctx, Request{HallID: "H1", ItemID: "T-2", Day: "2026-12-01", Start: "14:00", Name: "李小明", Mobile: "13912345678"}); err != nil {
			t.Errorf("same person, other item: %v", err)
		}
		if _, err := s.Book(ctx, Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-02", Start: "14:00", Name: "李小明", Mobile: "13912345678"}); err != nil {
			t.Errorf("same person, other day: %v", err)
		}

		// Time rules.
		_, err = s.Book(ctx, req("2026-11-27", "09:00", 1))
		wantErr(t, "past day", err, ErrPast)
		f.clk.Set(bj("2026-11-30 10:10"))
		_, err = s.Book(ctx, req("2026-11-30", "10:00", 1))
		wantErr(t, "slot begun", err, ErrPast)
		if _, err := s.Book(ctx, req("2026-11-30", "10:30", 1)); err != nil {
			t.Errorf("later today: %v", err)
		}
		if _, err := s.Book(ctx, req("2026-12-14", "09:00", 2)); err != nil {
			t.Errorf("last day of horizon: %v", err)
		}
		_, err = s.Book(ctx, req("2026-12-15", "09:00", 3))
		wantErr(t, "beyond horizon", err, ErrBeyondHorizon)
		_, err = s.Book(ctx, req("2026-12-01", "12:30", 3))
		wantErr(t, "lunch break", err, ErrNoSuchSlot)
		_, err = s.Book(ctx, req("2026-12-01", "09:10", 3))
		wantErr(t, "not a slot start", err, ErrNoSuchSlot)
		_, err = s.Book(ctx, req("2026-12-06", "09:00", 3))
		wantErr(t, "sunday", err, ErrNoSuchSlot)
		_, err = s.Book(ctx, req("2026-12-1", "09:00", 3))
		wantErr(t, "bad day", err, ErrInvalidTime)

		// The calendar: a holiday closes a weekday, a make-up day opens a Sunday.
		if err := s.SetCalendarDays(ctx, []CalendarDay{{Day: "2026-12-03", Kind: Holiday, Name: "测试假日"},
			{Day: "2026-12-06", Kind: Workday, Name: "调休"}}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Book(ctx, req("2026-12-03", "09:00", 3))
		wantErr(t, "holiday", err, ErrNoSuchSlot)
		if _, err := s.Book(ctx, req("2026-12-06", "15:00", 3)); err != nil {
			t.Errorf("make-up working Sunday afternoon: %v", err)
		}

		// Input rules.
		for _, c := range []struct {
			r    Request
			want error
		}{
			{Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "09:00", Name: "张", Mobile: mobile(5)}, ErrInvalidName},
			{Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "09:00", Name: "张三13912345678", Mobile: mobile(5)}, ErrInvalidName},
			{Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "09:00", Name: "张三", Mobile: "12345"}, ErrInvalidMobile},
			{Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "09:00", Name: "张三", Mobile: mobile(5), IDNumber: "110105194912310021"}, ErrInvalidID},
			{Request{HallID: "H1", ItemID: "T-3", Day: "2026-12-01", Start: "09:00", Name: "张三", Mobile: mobile(5)}, ErrNotOffered},
			{Request{HallID: "H9", ItemID: "T-1", Day: "2026-12-01", Start: "09:00", Name: "张三", Mobile: mobile(5)}, ErrNotOffered},
		} {
			_, err := s.Book(ctx, c.r)
			wantErr(t, fmt.Sprintf("%+v", c.r), err, c.want)
		}

		// A withdrawn item cannot be booked even where a window serves it.
		if err := kb.NewStore(db).SetStatus(ctx, "T-2", kb.Withdrawn, "editor", "停办"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Book(ctx, Request{HallID: "H1", ItemID: "T-2", Day: "2026-12-01", Start: "09:00", Name: "张三", Mobile: mobile(6)})
		wantErr(t, "withdrawn item", err, ErrNotOffered)

		// Capacity 2: the 09:30 slot has one booking; one more fits.
		if _, err := s.Book(ctx, req("2026-12-01", "09:30", 10)); err != nil {
			t.Fatal(err)
		}
		_, err = s.Book(ctx, req("2026-12-01", "09:30", 11))
		wantErr(t, "full slot", err, ErrFull)
		var ue interface{ UserMessage() string }
		if !errors.As(err, &ue) || ue.UserMessage() != "该时段已约满，请选择其他时段" {
			t.Errorf("full has no resident message: %v", err)
		}

		// Availability reflects it.
		slots, err := s.Slots(ctx, "H1", "T-1", "2026-12-01")
		if err != nil || len(slots) != 14 || slots[1].Start != "09:30" || slots[1].Free != 0 || slots[1].Booked != 2 || slots[0].Free != 2 {
			t.Errorf("slots = %+v, %v", slots, err)
		}
		days, err := s.Days(ctx, "H1", "T-1")
		if err != nil {
			t.Fatal(err)
		}
		var dl []string
		for _, d := range days {
			dl = append(dl, d.Day[5:]+d.Weekday)
		}
		// Today (afternoon left), weekdays, Saturdays, the make-up Sunday; not the holiday.
		want := "11-30周一 12-01周二 12-02周三 12-04周五 12-05周六 12-06周日 12-07周一 12-08周二 12-09周三 12-10周四 12-11周五 12-12周六 12-14周一"
		if strings.Join(dl, " ") != want {
			t.Errorf("days = %s\nwant   %s", strings.Join(dl, " "), want)
		}

		// Cancel frees the place; twice is refused.
		if _, err := s.Cancel(ctx, b.Code, "", "行程有变"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Cancel(ctx, b.Code, "", "")
		wantErr(t, "cancel twice", err, ErrNotActive)
		_, err = s.Cancel(ctx, "ZZZZZZZZ", "", "")
		wantErr(t, "cancel unknown", err, ErrNotFound)
		if _, err := s.Book(ctx, req("2026-12-01", "09:30", 11)); err != nil {
			t.Errorf("book freed place: %v", err)
		}
		// After cancelling, the person may book the item that day again.
		if _, err := s.Book(ctx, Request{HallID: "H1", ItemID: "T-1", Day: "2026-12-01", Start: "16:00", Name: "李小明", Mobile: "13912345678"}); err != nil {
			t.Errorf("rebook after cancel: %v", err)
		}

		// Reschedule keeps the code and moves the place.
		r, err := s.Book(ctx, req("2026-12-02", "09:00", 20))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Reschedule(ctx, r.Code, "2026-12-01", "09:30", "")
		wantErr(t, "reschedule into full slot", err, ErrFull)
		_, err = s.Reschedule(ctx, r.Code, "2026-12-01", "16:00", "")
		if err != nil {
			t.Fatal(err)
		}
		moved, _ := s.Lookup(ctx, r.Code)
		if moved.Day != "2026-12-01" || moved.Start != "16:00" || moved.End != "16:30" {
			t.Errorf("moved = %+v", moved)
		}
		_, err = s.Reschedule(ctx, r.Code, "2026-12-02", "09:00", "")
		if err != nil {
			t.Errorf("reschedule back: %v", err)
		}
		_, err = s.Reschedule(ctx, r.Code, "2026-12-20", "09:00", "")
		wantErr(t, "reschedule beyond horizon", err, ErrBeyondHorizon)
		// Into a day where the person already holds the item: refused.
		dupe, _ := s.Book(ctx, req("2026-12-04", "09:00", 20))
		_, err = s.Reschedule(ctx, dupe.Code, "2026-12-02", "10:00", "")
		wantErr(t, "reschedule onto own day", err, ErrDuplicate)
		assertConsistent(t, db)

		// Staff: day list, check-in on the day only, no-show after the slot.
		list, err := s.DayList(ctx, "H1", "2026-12-01", 0)
		if err != nil {
			t.Fatal(err)
		}
		var line []string
		for _, x := range list {
			line = append(line, x.Start+":"+string(x.Status))
		}
		if strings.Join(line, " ") != "09:30:cancelled 09:30:booked 09:30:booked 14:00:booked 16:00:booked" {
			t.Errorf("day list = %v", line)
		}
		if l2, _ := s.DayList(ctx, "H1", "2026-12-01", f.window.ID+1); len(l2) != 0 {
			t.Errorf("other window's list = %v", l2)
		}
		target := list[1]
		_, err = s.CheckIn(ctx, target.Code, "staff")
		wantErr(t, "check in the day before", err, ErrNotToday)
		// On the day, check-in opens an hour before the slot, not hours.
		f.clk.Set(bj("2026-12-01 08:29"))
		_, err = s.CheckIn(ctx, target.Code, "staff")
		wantErr(t, "check in 61 minutes early", err, ErrCheckInEarly)
		f.clk.Set(bj("2026-12-01 09:20"))
		_, err = s.CheckIn(ctx, list[4].Code, "staff") // 16:00
		wantErr(t, "check in hours early", err, ErrCheckInEarly)
		_, err = s.MarkNoShow(ctx, target.Code, "staff")
		wantErr(t, "no-show before the slot", err, ErrTooEarly)
		in, err := s.CheckIn(ctx, target.Code, "staff")
		if err != nil || in.Status != CheckedIn || in.CheckedInAt.IsZero() {
			t.Errorf("check in = %+v, %v", in, err)
		}
		_, err = s.CheckIn(ctx, target.Code, "staff")
		wantErr(t, "check in twice", err, ErrNotActive)
		f.clk.Set(bj("2026-12-01 09:40"))
		_, err = s.Cancel(ctx, list[2].Code, "", "")
		wantErr(t, "cancel a begun slot", err, ErrPast)
		_, err = s.Reschedule(ctx, list[2].Code, "2026-12-02", "15:00", "")
		wantErr(t, "reschedule a begun slot", err, ErrPast)
		f.clk.Set(bj("2026-12-01 10:05"))
		ns, err := s.MarkNoShow(ctx, list[2].Code, "staff")
		if err != nil || ns.Status != NoShow {
			t.Errorf("no-show = %+v, %v", ns, err)
		}

		// The next morning the day's unchecked bookings become no-shows.
		f.clk.Set(bj("2026-12-02 08:00"))
		swept, err := s.SweepNoShows(ctx)
		if err != nil || swept != 3 { // 11-30 10:30, 12-01 14:00 and 16:00
			t.Errorf("swept %d, %v", swept, err)
		}
		if again, _ := s.SweepNoShows(ctx); again != 0 {
			t.Errorf("swept again: %d", again)
		}
		if h, _ := s.History(ctx, list[3].Code); h[len(h)-1].Action != "no_show" || h[len(h)-1].Actor != "system" {
			t.Errorf("sweep not recorded: %+v", h)
		}

		hist, err := s.History(ctx, b.Code)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, h := range hist {
			acts = append(acts, h.Action+"/"+h.Actor)
		}
		if strings.Join(acts, " ") != "booked/ revealed/staff-wang cancelled/" {
			t.Errorf("history = %v", acts)
		}

		st, err := s.Stats(ctx, "2026-11-30", "2026-12-14", "")
		if err != nil {
			t.Fatal(err)
		}
		if st.All.Cancelled != 1 || st.All.CheckedIn != 1 || st.All.NoShow != 4 || st.All.NoShowRate() != 0.8 ||
			st.ByHall[0].Label != "测试大厅" || len(st.ByItem) != 2 || st.ByItem[0].Key != "T-1" || st.All.Total != st.ByItem[0].Total+st.ByItem[1].Total {
			t.Errorf("stats = %+v", st)
		}
	})
}

// assertConsistent checks every slot's counter against the bookings that
// hold it, and that no slot is over its capacity.
func assertConsistent(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT s.window_id, s.day, s.slot_start, s.capacity, s.booked,
		(SELECT COUNT(*) FROM booking_bookings b WHERE b.window_id = s.window_id AND b.day = s.day
			AND b.slot_start = s.slot_start AND b.status <> 'cancelled')
		FROM booking_slots s`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var w int64
		var day, start string
		var capacity, booked, held int
		if err := rows.Scan(&w, &day, &start, &capacity, &booked, &held); err != nil {
			t.Fatal(err)
		}
		if booked != held || booked > capacity {
			t.Errorf("slot %d %s %s: counter %d, bookings %d, capacity %d", w, day, start, booked, held, capacity)
		}
	}
}

func TestWindowsAndSchedules(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 1)
		s := f.svc
		// A second window for T-1 doubles the places at each slot.
		w2, err := s.AddWindow(ctx, Window{HallID: "H1", Name: "2号窗口", Capacity: 2, Items: []string{"T-1", " T-1", ""}}, "admin")
		if err != nil || w2.ID == 0 || len(w2.Items) != 1 {
			t.Fatalf("add window = %+v, %v", w2, err)
		}
		slots, _ := s.Slots(ctx, "H1", "T-1", "2026-12-01")
		if slots[0].Capacity != 3 {
			t.Errorf("capacity over two windows = %d", slots[0].Capacity)
		}
		for i := 0; i < 3; i++ {
			if _, err := s.Book(ctx, req("2026-12-01", "09:00", i)); err != nil {
				t.Fatalf("booking %d: %v", i, err)
			}
		}
		_, err = s.Book(ctx, req("2026-12-01", "09:00", 9))
		wantErr(t, "both windows full", err, ErrFull)
		list, _ := s.DayList(ctx, "H1", "2026-12-01", w2.ID)
		if len(list) != 2 || list[0].WindowName != "2号窗口" {
			t.Errorf("window 2 list = %+v", list)
		}
		// Raising a window's capacity opens the full slot again.
		w2.Capacity = 3
		w2.Items = []string{"T-1", "T-2"}
		w2.Active = true
		if err := s.UpdateWindow(ctx, w2, "admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Book(ctx, req("2026-12-01", "09:00", 9)); err != nil {
			t.Errorf("after raising capacity: %v", err)
		}
		// An inactive window takes no bookings.
		w2.Active = false
		if err := s.UpdateWindow(ctx, w2, "admin"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Book(ctx, req("2026-12-01", "09:00", 10))
		wantErr(t, "inactive window", err, ErrFull)
		if err := s.UpdateWindow(ctx, Window{ID: 999, HallID: "H1", Name: "x", Capacity: 1}, "admin"); !errors.Is(err, ErrNotFound) {
			t.Errorf("update unknown window: %v", err)
		}
		if _, err := s.AddWindow(ctx, Window{HallID: "H1", Name: " ", Capacity: 1}, "admin"); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("nameless window: %v", err)
		}

		// Staff set the hours explicitly; the schedule text is readable.
		sched, _, _ := ParseHours("周一至周五 8:30-11:30，13:00-17:00")
		sched.SlotMinutes = 60
		if err := s.SetSchedule(ctx, "H1", sched, SourceStaff, nil, "admin"); err != nil {
			t.Fatal(err)
		}
		hs, err := s.HallSchedule(ctx, "H1")
		if err != nil || hs.Source != SourceStaff || hs.Text != "周一至周五 08:30-11:30，13:00-17:00" || hs.UpdatedBy != "admin" {
			t.Errorf("schedule = %+v, %v", hs, err)
		}
		slots, _ = s.Slots(ctx, "H1", "T-2", "2026-12-01")
		if len(slots) != 3+4 || slots[0].Start != "08:30" || slots[0].End != "09:30" {
			t.Errorf("hour slots = %+v", slots)
		}
		_, err = s.Slots(ctx, "H1", "T-2", "2026-12-05")
		if err != nil {
			t.Errorf("closed Saturday: %v", err)
		}
		bad := sched
		bad.SlotMinutes = 1
		if err := s.SetSchedule(ctx, "H1", bad, SourceStaff, nil, "admin"); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad schedule: %v", err)
		}

		if err := s.SetCalendarDays(ctx, []CalendarDay{{Day: "2026-12-24", Kind: Holiday}, {Day: "2026-12-24", Kind: Workday}}); err != nil {
			t.Fatal(err)
		}
		cal, _ := s.CalendarDays(ctx, "", "")
		if len(cal) != 1 || cal[0].Kind != Workday || cal[0].AsWeekday != time.Monday {
			t.Errorf("calendar = %+v", cal)
		}
		if err := s.SetCalendarDays(ctx, []CalendarDay{{Day: "2026/12/24", Kind: Holiday}}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad calendar day: %v", err)
		}
		if err := s.DeleteCalendarDay(ctx, "2026-12-24"); err != nil {
			t.Error(err)
		}
		if err := s.DeleteCalendarDay(ctx, "2026-12-24"); !errors.Is(err, ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
	})
}
