package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/video"
)

var serviceMigrations = append(append([]store.Migrations{}, testMigrations...), booking.Migrations, doorstep.Migrations, video.Migrations)

// servicesEnv serves the web with appointments and door-to-door service over
// the demo catalogue, plus an agent account, at testNow.
func servicesEnv(t *testing.T, db *store.DB) (*env, *booking.Service, *doorstep.Service) {
	t.Helper()
	return servicesEnvAt(t, db, testNow)
}

// servicesEnvAt is servicesEnv with every clock at the instant at.
func servicesEnvAt(t *testing.T, db *store.DB, at time.Time, mods ...func(*Config)) (*env, *booking.Service, *doorstep.Service) {
	t.Helper()
	ctx := context.Background()
	keys, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	var bk *booking.Service
	var ds *doorstep.Service
	clk := clock.NewManual(at)
	e := newEnvAt(t, db, &fakeAssistant{}, clk, func(c *Config) {
		bk = booking.New(db, c.KB, keys, booking.Config{Now: clk.Now})
		ds = doorstep.New(db, c.KB, keys, doorstep.Config{Now: clk.Now})
		c.Booking, c.Doorstep = bk, ds
		vs, err := video.New(db, video.Config{Key: []byte("0123456789abcdef-video-key"), Cards: VideoCards{KB: c.KB}, Audit: c.Audit, Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(vs.Close)
		c.Video = vs
		c.ChatBurst = 20 // the clock stands still: no token comes back during a test
		for _, m := range mods {
			m(c)
		}
	})
	if _, err := bk.Seed(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.SyncCatalogue(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.AddUser(ctx, "agent", "窗口人员", auth.Agent, "agent password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.AddUser(ctx, "editor", "", auth.Editor, "editor password"); err != nil {
		t.Fatal(err)
	}
	return e, bk, ds
}

var hrefDay = regexp.MustCompile(`href="/booking\?item=FT-001&amp;hall=([A-Z0-9-]+)&amp;day=([0-9-]+)"`)

// instant is a moment, China time, the booking and door-to-door suites
// run at, with what the first free slot of FT-001 at HALL-01 (weekdays
// 9:00–12:00, 14:00–18:00, half-hour slots) is then and whether the
// window may check it in (from an hour before the slot, on its day).
type instant struct {
	name, at        string
	holiday         string // a holiday on the calendar, if any
	firstDay, first string
	checkIn         error // nil: allowed
}

// instants are the hours that once made CI fail depending on when it
// ran: just after midnight, a minute before opening, noon, a minute before
// closing, a minute before midnight, a Friday night and the day before a
// holiday. Every clock in the server stands at the instant.
var instants = []instant{
	{name: "wed-0030", at: "2026-12-02 00:30", firstDay: "2026-12-02", first: "09:00", checkIn: booking.ErrCheckInEarly},
	{name: "wed-0859", at: "2026-12-02 08:59", firstDay: "2026-12-02", first: "09:00"},
	{name: "wed-1200", at: "2026-12-02 12:00", firstDay: "2026-12-02", first: "14:00", checkIn: booking.ErrCheckInEarly},
	{name: "wed-1759", at: "2026-12-02 17:59", firstDay: "2026-12-03", first: "09:00", checkIn: booking.ErrNotToday},
	{name: "wed-2359", at: "2026-12-02 23:59", firstDay: "2026-12-03", first: "09:00", checkIn: booking.ErrNotToday},
	{name: "fri-night", at: "2026-12-04 22:30", firstDay: "2026-12-07", first: "09:00", checkIn: booking.ErrNotToday},
	{name: "eve-of-holiday", at: "2026-12-31 16:00", holiday: "2027-01-01", firstDay: "2026-12-31", first: "16:30"},
}

// eachInstant runs fn at every instant on both engines.
func eachInstant(t *testing.T, fn func(t *testing.T, in instant, e *env, bk *booking.Service, ds *doorstep.Service)) {
	for _, in := range instants {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, serviceMigrations, func(t *testing.T, db *store.DB) {
				e, bk, ds := servicesEnvAt(t, db, clock.At(in.at, nil))
				if in.holiday != "" {
					if err := bk.SetCalendarDays(context.Background(), []booking.CalendarDay{{Day: in.holiday, Kind: booking.Holiday, Name: "元旦"}}); err != nil {
						t.Fatal(err)
					}
				}
				fn(t, in, e, bk, ds)
			})
		})
	}
}

// A resident books without script, finds the booking by its code, and
// cancels it; the staff day list shows it and checks it in when the hour
// allows; the JSON API does the same. At every instant of instants.
func TestBookingPagesAndAPI(t *testing.T) {
	eachInstant(t, func(t *testing.T, in instant, e *env, bk *booking.Service, _ *doorstep.Service) {
		res := e.client()
		r := res.get("/booking?item=FT-001")
		if r.code != 200 || !strings.Contains(r.body, "选择办理大厅") {
			t.Fatalf("booking page = %d %.300s", r.code, r.body)
		}
		hall := regexp.MustCompile(`href="/booking\?item=FT-001&amp;hall=([A-Z0-9-]+)"`).FindStringSubmatch(r.body)
		if hall == nil || hall[1] != "HALL-01" {
			t.Fatalf("no hall link: %s", r.body)
		}
		r = res.get("/booking?item=FT-001&hall=" + hall[1])
		m := hrefDay.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no day link: %s", r.body)
		}
		day := m[2]
		if day != in.firstDay {
			t.Errorf("first day offered = %s, want %s", day, in.firstDay)
		}
		if in.holiday != "" && strings.Contains(r.body, "day="+in.holiday) {
			t.Errorf("the holiday %s is offered", in.holiday)
		}
		page := "/booking?item=FT-001&hall=" + hall[1] + "&day=" + day
		r = res.get(page)
		start := regexp.MustCompile(`name="start" value="([0-9:]+)"`).FindStringSubmatch(r.body)
		if start == nil {
			t.Fatalf("no slot: %s", r.body)
		}
		if start[1] != in.first {
			t.Errorf("first slot = %s, want %s", start[1], in.first)
		}
		book := func(name, mobile string) (resp, url.Values) {
			t.Helper()
			form := url.Values{"csrf": {res.csrf(page)}, "item": {"FT-001"}, "hall": {hall[1]}, "day": {day}, "start": {start[1]}, "name": {name}, "mobile": {mobile}}
			return res.post("/booking", form), form
		}
		r, form := book("陈小红", "135 1234 5678")
		if r.code != 303 || !strings.HasPrefix(r.hdr.Get("Location"), "/booking/lookup?code=") {
			t.Fatalf("book = %d %s %.300s", r.code, r.hdr.Get("Location"), r.body)
		}
		loc, _ := url.Parse(r.hdr.Get("Location"))
		code := loc.Query().Get("code")
		if loc.Query().Get("m") != "5678" {
			t.Errorf("lookup link %s lacks the mobile's last four digits", loc)
		}
		r = res.get(r.hdr.Get("Location"))
		if !strings.Contains(r.body, "预约成功") || !strings.Contains(r.body, code) || !strings.Contains(r.body, "135****5678") || strings.Contains(r.body, "13512345678") ||
			!strings.Contains(r.body, "陈*红") {
			t.Errorf("lookup page: %s", r.body)
		}
		// The same person again: refused with the reason, form kept.
		r = res.post("/booking", form)
		if r.code != 422 || !strings.Contains(r.body, "同一事项每人每天只能预约一次") {
			t.Errorf("duplicate = %d %.400s", r.code, r.body)
		}
		// Without the form token: refused.
		if r := res.post("/booking", url.Values{"item": {"FT-001"}}); r.code != 403 {
			t.Errorf("no csrf = %d", r.code)
		}

		// Staff day list: agents see it, editors do not.
		ed := e.client()
		ed.login("editor", "editor password")
		if r := ed.get("/admin/booking"); r.code != 403 {
			t.Errorf("editor on the day list = %d", r.code)
		}
		ag := e.client()
		ag.login("agent", "agent password")
		list := "/admin/booking?hall=" + hall[1] + "&day=" + day
		r = ag.get(list)
		if r.code != 200 || !strings.Contains(r.body, code) || !strings.Contains(r.body, "陈小红") || !strings.Contains(r.body, "svg class=\"chart\"") {
			t.Fatalf("day list = %d %.500s", r.code, r.body)
		}
		tok := ag.csrf(list)
		r = ag.post("/admin/booking/"+code+"/reveal", url.Values{"csrf": {tok}, "hall": {hall[1]}, "day": {day}, "purpose": {"电话确认"}})
		if r.code != 200 || !strings.Contains(r.body, "13512345678") {
			t.Errorf("reveal = %d", r.code)
		}
		entries, _, _ := e.log.List(context.Background(), audit.Filter{}, audit.Page{})
		if len(entries) == 0 || entries[0].Action != "booking.reveal" || entries[0].Actor != "agent" {
			t.Errorf("audit = %+v", entries)
		}
		// Check-in: on the day, from an hour before the slot.
		r = ag.post("/admin/booking/"+code+"/checkin", url.Values{"csrf": {tok}, "hall": {hall[1]}, "day": {day}})
		where := r.hdr.Get("Location")
		last4 := "5678"
		if in.checkIn == nil {
			if r.code != 303 || strings.Contains(where, "err=") {
				t.Errorf("check-in at %s = %d %s", in.at, r.code, where)
			}
			// Checked in, the booking can no longer be cancelled: cancel
			// another one.
			tok = res.csrf("/booking/lookup?m=5678&code=" + code)
			if r := res.post("/booking/cancel", url.Values{"csrf": {tok}, "code": {code}, "m": {"5678"}}); r.code != 422 || !strings.Contains(r.body, booking.ErrNotActive.UserMessage()) {
				t.Errorf("cancel after check-in = %d", r.code)
			}
			r, _ = book("陈大明", "13512340000")
			loc, _ = url.Parse(r.hdr.Get("Location"))
			code, last4 = loc.Query().Get("code"), "0000"
		} else {
			// The redirect names the refusal; the page shows its message.
			ue, _ := refusal.As(in.checkIn)
			if r.code != 303 || !strings.Contains(where, "err="+ue.Key()) {
				t.Errorf("check-in at %s = %d %s, want %v", in.at, r.code, where, in.checkIn)
			} else if page := ag.get(where).body; !strings.Contains(page, ue.UserMessage()) {
				t.Errorf("check-in at %s: %s does not show %q", in.at, where, ue.UserMessage())
			}
		}

		// Cancel from the lookup page.
		tok = res.csrf("/booking/lookup?m=" + last4 + "&code=" + code)
		r = res.post("/booking/cancel", url.Values{"csrf": {tok}, "code": {code}, "m": {last4}})
		if r.code != 200 || !strings.Contains(r.body, "预约已取消") || !strings.Contains(r.body, "已取消") {
			t.Errorf("cancel = %d %.300s", r.code, r.body)
		}
		if b, _ := bk.Lookup(context.Background(), code); b.Status != booking.Cancelled || b.Channel != "web" {
			t.Errorf("booking = %+v", b)
		}

		// The JSON API.
		var days struct {
			Days []booking.DayInfo `json:"days"`
		}
		r = res.get("/api/v1/booking/days?hall=" + hall[1] + "&item=FT-001")
		if r.code != 200 || json.Unmarshal([]byte(r.body), &days) != nil || len(days.Days) == 0 || days.Days[0].Day != in.firstDay {
			t.Fatalf("api days = %d %s", r.code, r.body)
		}
		var slots struct {
			Slots []booking.SlotInfo `json:"slots"`
		}
		r = res.get("/api/v1/booking/slots?hall=" + hall[1] + "&item=FT-001&day=" + days.Days[len(days.Days)-1].Day)
		if json.Unmarshal([]byte(r.body), &slots) != nil || len(slots.Slots) < 2 {
			t.Fatalf("api slots = %d %s", r.code, r.body)
		}
		sl := slots.Slots[len(slots.Slots)-1]
		r = res.postJSON("/api/v1/bookings", map[string]string{"hall_id": hall[1], "item_id": "FT-001", "day": sl.Day, "start": sl.Start, "name": "王五", "mobile": "13700000000"})
		var got booking.Booking
		if r.code != 201 || json.Unmarshal([]byte(r.body), &got) != nil || got.Code == "" || got.Name != "王*" || got.Mobile != "137****0000" {
			t.Fatalf("api book = %d %s", r.code, r.body)
		}
		r = res.postJSON("/api/v1/bookings", map[string]string{"hall_id": hall[1], "item_id": "FT-001", "day": sl.Day, "start": sl.Start, "name": "王五", "mobile": "12"})
		if r.code != 422 || !strings.Contains(r.body, "手机号码格式不正确") {
			t.Errorf("api bad mobile = %d %s", r.code, r.body)
		}
		if r := res.get("/api/v1/bookings/ZZZZZZZZ?mobile_last4=0000"); r.code != 404 || !strings.Contains(r.body, "预约码或手机号后四位不正确") {
			t.Errorf("api unknown code = %d %s", r.code, r.body)
		}
		other := slots.Slots[len(slots.Slots)-2]
		r = res.postJSON("/api/v1/bookings/"+got.Code+"/reschedule", map[string]string{"day": other.Day, "start": other.Start, "mobile_last4": "0000"})
		if r.code != 200 || !strings.Contains(r.body, `"start":"`+other.Start+`"`) {
			t.Errorf("api reschedule = %d %s", r.code, r.body)
		}
		// The same through the lookup page's form.
		tok = res.csrf("/booking/lookup?code=" + got.Code + "&m=0000&day=" + sl.Day)
		r = res.post("/booking/reschedule", url.Values{"csrf": {tok}, "code": {got.Code}, "m": {"0000"}, "day": {sl.Day}, "start": {sl.Start}})
		if r.code != 200 || !strings.Contains(r.body, "已改约") || !strings.Contains(r.body, sl.Start+"–"+sl.End) {
			t.Errorf("form reschedule = %d %.300s", r.code, r.body)
		}
		if r := res.postJSON("/api/v1/bookings/"+got.Code+"/cancel", map[string]string{"reason": "有事", "mobile_last4": "0000"}); r.code != 200 || !strings.Contains(r.body, `"cancelled"`) {
			t.Errorf("api cancel = %d %s", r.code, r.body)
		}
	})
}

// A resident asks for door-to-door service; staff accept, dispatch, visit
// and complete it; statistics and the Excel export show it. At every
// instant of instants, the request's number and every time shown are
// China time's, whatever the process's zone (TestMain sets UTC).
func TestDoorstepPagesAndAPI(t *testing.T) {
	eachInstant(t, func(t *testing.T, in instant, e *env, _ *booking.Service, ds *doorstep.Service) {
		ctx := context.Background()
		at := clock.At(in.at, nil)
		stamp, ymd := at.Format("2006-01-02 15:04"), at.Format("20060102")
		if _, err := ds.AddSpecialist(ctx, doorstep.Specialist{Name: "李专员", Streets: []string{"梅林"}, Themes: kb.Themes}); err != nil {
			t.Fatal(err)
		}
		groups, _ := ds.Catalogue(ctx, false)
		item := groups[0].Items[0]
		res := e.client()
		if r := res.get("/doorstep"); r.code != 200 || !strings.Contains(r.body, item.Name) {
			t.Fatalf("catalogue = %d", r.code)
		}
		tok := res.csrf("/doorstep?item=" + item.ID)
		r := res.post("/doorstep", url.Values{"csrf": {tok}, "item": {item.ID}, "kind": {"resident"}, "applicant": {"周大爷"},
			"phone": {"13612345678"}, "address": {"深圳市福田区梅林街道梅华路110号3栋"}, "notes": {"电话 13612345678 白天在家"}})
		number := regexp.MustCompile(`SM-\d{8}-\d{4}`).FindString(r.body)
		if r.code != 200 || number == "" || strings.Contains(r.body, "13612345678") {
			t.Fatalf("submit = %d %.400s", r.code, r.body)
		}
		if !strings.HasPrefix(number, "SM-"+ymd+"-") {
			t.Errorf("number %s is not of %s", number, in.at)
		}
		// Progress by number and phone (POST: the phone stays out of URLs).
		tok = res.csrf("/doorstep/lookup")
		if r := res.post("/doorstep/lookup", url.Values{"csrf": {tok}, "number": {number}, "phone": {"13612345678"}}); r.code != 200 || !strings.Contains(r.body, "已提交") ||
			!strings.Contains(r.body, "<dt>提交时间</dt><dd>"+stamp+"</dd>") {
			t.Errorf("lookup = %d, want 提交时间 %s: %.2000s", r.code, stamp, r.body)
		}
		if r := res.post("/doorstep/lookup", url.Values{"csrf": {tok}, "number": {number}, "phone": {"13600000000"}}); r.code != 422 {
			t.Errorf("lookup with another phone = %d", r.code)
		}

		ag := e.client()
		ag.login("agent", "agent password")
		r = ag.get("/admin/doorstep?open=1")
		idm := regexp.MustCompile(`href="/admin/doorstep/(\d+)">` + number + `</a></td><td>` + stamp + `</td>`).FindStringSubmatch(r.body)
		if r.code != 200 || idm == nil {
			t.Fatalf("board = %d, want %s at %s: %.500s", r.code, number, stamp, r.body)
		}
		page := "/admin/doorstep/" + idm[1]
		due := at.Add(doorstep.DefaultLimits[doorstep.Submitted]).Format("2006-01-02 15:04")
		if r := ag.get(page); !strings.Contains(r.body, "<dd>"+due+" 前完成当前环节</dd>") {
			t.Errorf("办理时限 is not %s: %.1500s", due, r.body)
		}
		step := func(action string, form url.Values) resp {
			t.Helper()
			form.Set("csrf", ag.csrf(page))
			return ag.post(page+"/"+action, form)
		}
		if r := step("dispatch", url.Values{}); r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "err=") {
			t.Errorf("dispatch before accepting = %d %s", r.code, r.hdr.Get("Location"))
		}
		for _, a := range []struct {
			action string
			form   url.Values
		}{{"accept", url.Values{}}, {"dispatch", url.Values{}}, {"visit", url.Values{"note": {"已上门"}}},
			{"complete", url.Values{"amount": {"1500.50"}, "note": {"已办结"}}}} {
			if r := step(a.action, a.form); r.code != 303 || strings.Contains(r.hdr.Get("Location"), "err=") {
				t.Fatalf("%s = %d %s", a.action, r.code, r.hdr.Get("Location"))
			}
		}
		r = ag.get(page)
		if !strings.Contains(r.body, "已办结") || !strings.Contains(r.body, "1500.50") || !strings.Contains(r.body, "派给李专员") {
			t.Errorf("request page: %.600s", r.body)
		}
		r = ag.get("/admin/doorstep")
		if !strings.Contains(r.body, "服务居民 1") || !strings.Contains(r.body, "1500.50") {
			t.Errorf("stats: %.600s", r.body)
		}
		r = ag.get("/admin/doorstep/export.xlsx")
		if r.code != 200 || !strings.Contains(r.hdr.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export = %d", r.code)
		}
		x, err := excelize.OpenReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := x.GetCellValue("按街道", "A2"); v != "梅林" {
			t.Errorf("export street = %q", v)
		}
		x.Close()

		// The API.
		r = res.postJSON("/api/v1/doorstep/requests", map[string]string{"kind": "enterprise", "applicant": "深圳某某科技有限公司", "phone": "13912345678",
			"address": "福田区华富街道某路1号", "item_id": item.ID})
		if r.code != 201 || !strings.Contains(r.body, `"status":"submitted"`) || !strings.Contains(r.body, `"street":"华富"`) {
			t.Errorf("api submit = %d %s", r.code, r.body)
		}
		var q struct{ Number string }
		json.Unmarshal([]byte(r.body), &q)
		if r := res.postJSON("/api/v1/doorstep/requests/lookup", map[string]string{"number": q.Number, "phone": "13000000000"}); r.code != 404 {
			t.Errorf("api lookup wrong phone = %d", r.code)
		}
		if r := res.get("/api/v1/doorstep/catalogue"); r.code != 200 || !strings.Contains(r.body, item.Name) {
			t.Errorf("api catalogue = %d", r.code)
		}
	})
}

func servicesDB(t *testing.T) *store.DB { return storetest.Open(t, store.SQLite, serviceMigrations...) }

// The printed guide links to the booking page for the halls that take
// appointments here, and to the door-to-door form.
func TestItemPageLinksServices(t *testing.T) {
	e, _, ds := servicesEnv(t, servicesDB(t))
	c := e.client()
	r := c.get("/items/FT-001")
	if r.code != 200 || !strings.Contains(r.body, `href="/booking?item=FT-001&amp;hall=HALL-01"`) {
		t.Errorf("item page lacks the booking link: %d", r.code)
	}
	groups, _ := ds.Catalogue(context.Background(), false)
	id := groups[0].Items[0].ID
	if r := c.get("/items/" + id); !strings.Contains(r.body, `href="/doorstep?item=`+id+`"`) {
		t.Errorf("item page %s lacks the door-to-door link", id)
	}
}

// The staff day list shows one hall's bookings, or every hall's with the
// hall on each line.
func TestBookingDayListAllHalls(t *testing.T) {
	e, bk, _ := servicesEnv(t, servicesDB(t))
	ctx := context.Background()
	day := "2026-12-03"
	var codes []string
	for i, hall := range []string{"HALL-01", "HALL-03"} {
		b, err := bk.Book(ctx, booking.Request{HallID: hall, ItemID: "FT-001", Day: day, Start: "09:00", Name: "陈小红", Mobile: fmt.Sprintf("1351234567%d", i), Channel: "web"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, b.Code)
	}
	ag := e.client()
	ag.login("agent", "agent password")
	one := ag.get("/admin/booking?hall=HALL-01&day=" + day).body
	if !strings.Contains(one, codes[0]) || strings.Contains(one, codes[1]) {
		t.Errorf("one hall's list: %.2000s", one)
	}
	all := ag.get("/admin/booking?hall=all&day=" + day).body
	for _, want := range []string{codes[0], codes[1], `<option value="all" selected>全部大厅</option>`, "<td>福田区政务服务中心</td>", "<td>福田街道党群服务中心（便民服务大厅）</td>", "12月3日（周四） 全部大厅预约名单（2）"} {
		if !strings.Contains(all, want) {
			t.Errorf("all halls' list lacks %q: %.3000s", want, all)
		}
	}
	// An action from the all-halls list comes back to it.
	tok := ag.csrf("/admin/booking?hall=all&day=" + day)
	r := ag.post("/admin/booking/"+codes[1]+"/cancel", url.Values{"csrf": {tok}, "hall": {"all"}, "day": {day}, "reason": {"电话取消"}})
	if r.code != 303 || !strings.Contains(r.hdr.Get("Location"), "hall=all") {
		t.Errorf("cancel from the all-halls list = %d %s", r.code, r.hdr.Get("Location"))
	}
}
