package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/llm"
)

// The assistant's Booker over the real services: days and times with room,
// a booking that lands on the staff day list, a clear refusal, and a
// door-to-door request filed from the chat.
func TestChatBooker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	sf := storeFlags{data: dir}
	db, err := sf.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kbs := kb.NewStore(db)
	if err := loadDemo(ctx, kbs); err != nil {
		t.Fatal(err)
	}
	r, err := openServices(ctx, db, kbs, &storeFlags{data: dir, log: slog.New(slog.DiscardHandler)}, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil {
		t.Errorf("no secret key in the data folder: %v", err)
	}
	var b assistant.Booker = assistant.ServiceBooker{Booking: r.booking, Doorstep: r.doorstep, Keys: r.keys}
	rec, err := kbs.Item(ctx, "FT-001")
	if err != nil {
		t.Fatal(err)
	}
	hall := rec.Item.Offline.Halls[0]
	days, err := b.Days(ctx, hall, "FT-001")
	if err != nil || len(days) < 5 {
		t.Fatalf("days = %v, %v", days, err)
	}
	times, err := b.Times(ctx, hall, "FT-001", days[1].Day)
	if err != nil || len(times) == 0 || !strings.Contains(times[0], ":") {
		t.Fatalf("times = %v, %v", times, err)
	}
	req := assistant.BookingRequest{ItemID: "FT-001", HallID: hall, Day: days[1].Day, Time: times[0], Name: "陈小红", Mobile: "13512345678", ConversationID: "conv-9"}
	code, err := b.Book(ctx, req)
	if err != nil || len(code) != 8 {
		t.Fatalf("book = %q, %v", code, err)
	}
	list, err := r.booking.DayList(ctx, hall, days[1].Day, 0)
	if err != nil || len(list) != 1 || list[0].Code != code || list[0].Channel != "chat" || list[0].ConversationID != "conv-9" || list[0].Mobile != "135****5678" {
		t.Errorf("day list = %+v, %v", list, err)
	}
	_, err = b.Book(ctx, req)
	var ue interface{ UserMessage() string }
	if !errors.As(err, &ue) || !errors.Is(err, booking.ErrDuplicate) || !strings.Contains(ue.UserMessage(), "只能预约一次") {
		t.Errorf("second booking: %v", err)
	}

	// The calendar's holidays are named; the number is sealed and opened
	// with the data folder's key.
	if err := r.booking.SetCalendarDays(ctx, []booking.CalendarDay{{Day: "2027-01-01", Kind: booking.Holiday, Name: "元旦"}}); err != nil {
		t.Fatal(err)
	}
	if h, err := b.Holiday(ctx, "2027-01-01"); err != nil || h != "元旦" {
		t.Errorf("holiday = %q, %v", h, err)
	}
	if h, _ := b.Holiday(ctx, "2027-01-04"); h != "" {
		t.Errorf("a working day is %q", h)
	}
	sealed, err := b.Seal("13512345678")
	if err != nil || strings.Contains(sealed, "5678") {
		t.Fatalf("seal = %q, %v", sealed, err)
	}
	if plain, err := b.Open(sealed); err != nil || plain != "13512345678" {
		t.Errorf("open = %q, %v", plain, err)
	}
	if st := b.StreetOf("福田区梅林街道梅华路110号"); st != "梅林" || len(b.Streets()) != 10 {
		t.Errorf("street = %q, streets %v", st, b.Streets())
	}

	var item string
	items, _ := kbs.PublishedItems(ctx)
	for _, it := range items {
		if it.Doorstep {
			item = it.ID
			break
		}
	}
	number, err := b.RequestDoorstep(ctx, assistant.DoorstepRequest{ItemID: item, Name: "周大爷", Mobile: "13612345678",
		Address: "深圳市福田区梅林街道梅华路110号3栋", Notes: "腿脚不便，电话13612345678", ConversationID: "conv-9"})
	if err != nil || !strings.HasPrefix(number, "SM-") {
		t.Fatalf("doorstep = %q, %v", number, err)
	}
	open, _ := r.doorstep.List(ctx, doorstep.Filter{Open: true})
	if len(open) != 1 || open[0].Street != "梅林" || open[0].Channel != "chat" || strings.Contains(open[0].Notes, "13612345678") {
		t.Errorf("request = %+v", open)
	}
	_, err = b.RequestDoorstep(ctx, assistant.DoorstepRequest{ItemID: "FT-001", Name: "周大爷", Mobile: "13612345678", Address: "梅林街道某路1号"})
	if !errors.As(err, &ue) || !errors.Is(err, doorstep.ErrNotInCatalogue) {
		t.Errorf("non-doorstep item: %v", err)
	}
}

func TestBookingAndDoorstepCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRun := func(args ...string) string {
		t.Helper()
		code, out, errs := runCmd(t, append(args, "--data", dir, "--actor", "tester")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s%s", args, code, out, errs)
		}
		if strings.Contains(strings.Join(args, " "), "--json") {
			return out
		}
		return strings.Join(strings.Fields(out), " ") // table spacing aside
	}
	mustRun("import", "../../data/kb")
	if out := mustRun("booking", "seed"); !strings.Contains(out, "windows added 8") {
		t.Errorf("seed: %s", out)
	}
	if out := mustRun("booking", "hours", "HALL-07"); !strings.Contains(out, "周一至周五 09:00-12:00，13:30-17:30") {
		t.Errorf("hours: %s", out)
	}
	if out := mustRun("booking", "hours", "HALL-01", "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00", "--slot", "20"); !strings.Contains(out, "周六 09:00-12:00") || !strings.Contains(out, "20 分钟") {
		t.Errorf("set hours: %s", out)
	}
	cal := filepath.Join(dir, "cal.txt")
	os.WriteFile(cal, []byte("2099-10-01 休 国庆节\n2099-10-02 坏\n2099-10-10 班 调休\n"), 0o644)
	code, _, errs := runCmd(t, "booking", "calendar-import", cal, "--data", dir)
	if code != 1 || !strings.Contains(errs, "line 2") {
		t.Errorf("calendar-import exit %d: %s", code, errs)
	}
	if out := mustRun("booking", "calendar"); !strings.Contains(out, "2099-10-01 放假 国庆节") || !strings.Contains(out, "按周一作息") {
		t.Errorf("calendar: %s", out)
	}

	var days []booking.DayInfo
	json.Unmarshal([]byte(mustRun("booking", "days", "HALL-01", "FT-001", "--json")), &days)
	if len(days) < 2 {
		t.Fatalf("days: %v", days)
	}
	var slots []booking.SlotInfo
	json.Unmarshal([]byte(mustRun("booking", "slots", "HALL-01", "FT-001", days[1].Day, "--json")), &slots)
	if len(slots) == 0 || slots[0].End[3:] != "20" {
		t.Fatalf("slots: %v", slots)
	}
	var bk booking.Booking
	json.Unmarshal([]byte(mustRun("booking", "book", "HALL-01", "FT-001", days[1].Day, slots[0].Start, "--name", "林一", "--mobile", "13900001111", "--json")), &bk)
	if bk.Code == "" || bk.Channel != "staff" {
		t.Fatalf("book: %+v", bk)
	}
	if out := mustRun("booking", "list", "HALL-01", days[1].Day); !strings.Contains(out, bk.Code) || !strings.Contains(out, "139****1111") {
		t.Errorf("list: %s", out)
	}
	if out := mustRun("booking", "reveal", bk.Code, "--purpose", "电话确认"); !strings.Contains(out, "13900001111") {
		t.Errorf("reveal: %s", out)
	}
	if out := mustRun("booking", "cancel", bk.Code, "--reason", "改期"); !strings.Contains(out, "已取消") {
		t.Errorf("cancel: %s", out)
	}
	code, _, errs = runCmd(t, "booking", "cancel", bk.Code, "--data", dir)
	if code != 1 || !strings.Contains(errs, "该预约已取消或已办结") {
		t.Errorf("cancel twice: exit %d %s", code, errs)
	}
	if out := mustRun("booking", "history", bk.Code); !strings.Contains(out, "revealed tester 电话确认") {
		t.Errorf("history: %s", out)
	}
	// Times in China time by default (the clock is at 10:00 there), in
	// the --tz zone when given; a zone that is not one is refused.
	if out := mustRun("booking", "history", bk.Code); !strings.Contains(out, "2026-12-02 10:00:00 booked") {
		t.Errorf("history not in Asia/Shanghai: %s", out)
	}
	if out := mustRun("booking", "history", bk.Code, "--tz", "UTC"); !strings.Contains(out, "2026-12-02 02:00:00 booked") {
		t.Errorf("history --tz UTC: %s", out)
	}
	if code, _, errs := runCmd(t, "booking", "history", bk.Code, "--data", dir, "--tz", "Local"); code == 0 || !strings.Contains(errs, "--tz") {
		t.Errorf("--tz Local: exit %d %s", code, errs)
	}

	// Door to door.
	if out := mustRun("doorstep", "sync"); !strings.Contains(out, "added 33") {
		t.Errorf("sync: %s", out)
	}
	if out := mustRun("doorstep", "catalogue"); !strings.Contains(out, "养老服务（6）") {
		t.Errorf("catalogue: %s", out)
	}
	mustRun("doorstep", "specialist-add", "李专员", "--streets", "梅林,莲花", "--themes", "养老服务,残疾人服务", "--phone", "13600000001")
	var cat []doorstep.ThemeGroup
	json.Unmarshal([]byte(mustRun("doorstep", "catalogue", "--json")), &cat)
	var item string
	for _, g := range cat {
		if g.Theme == "养老服务" {
			item = g.Items[0].ID
		}
	}
	var req doorstep.Request
	json.Unmarshal([]byte(mustRun("doorstep", "submit", item, "--name", "周大爷", "--phone", "13612345678",
		"--address", "深圳市福田区梅林街道梅华路110号", "--preferred", "周三上午", "--json")), &req)
	if req.ID == 0 || req.Street != "梅林" {
		t.Fatalf("submit: %+v", req)
	}
	id := req.Number
	mustRun("doorstep", "accept", id)
	if out := mustRun("doorstep", "suggest", id); !strings.Contains(out, "李专员 推荐") {
		t.Errorf("suggest: %s", out)
	}
	mustRun("doorstep", "dispatch", id)
	mustRun("doorstep", "visit", id, "--note", "已上门")
	if out := mustRun("doorstep", "complete", id, "--amount", "1,500.5", "--note", "已办结"); !strings.Contains(out, "发放 1500.50 元") {
		t.Errorf("complete: %s", out)
	}
	if out := mustRun("doorstep", "show", id); !strings.Contains(out, "已上门 → 已办结 tester") {
		t.Errorf("show: %s", out)
	}
	var st doorstep.Stats
	json.Unmarshal([]byte(mustRun("doorstep", "stats", "--json")), &st)
	if st.All.Completed != 1 || st.All.Residents != 1 || st.All.AmountFen != 150050 {
		t.Errorf("stats: %+v", st.All)
	}
	xlsx := filepath.Join(dir, "out.xlsx")
	mustRun("doorstep", "export", xlsx)
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("按街道", "A2"); v != "梅林" {
		t.Errorf("export 按街道 A2 = %q", v)
	}
	code, _, errs = runCmd(t, "doorstep", "reject", id, "--reason", "x", "--data", dir)
	if code != 1 || !strings.Contains(errs, "当前状态下不能进行该操作") {
		t.Errorf("reject a completed request: exit %d %s", code, errs)
	}
}

// instants are the hours (China time) the chat's booking and door-to-door
// flows are run at: after midnight, a minute before opening, noon, a
// minute before closing, a minute before midnight, a Friday night, the
// day before a holiday (元旦, on no calendar: the halls' hours alone).
var instants = []string{"2026-12-02 00:30", "2026-12-02 08:59", "2026-12-02 12:00", "2026-12-02 17:59",
	"2026-12-02 23:59", "2026-12-04 22:30", "2026-12-31 16:00"}

// Book through the chat and see it on the staff day list; ask for
// door-to-door service through the chat and see it on the dispatch list.
// (The same through a browser is the web's test.) At every instant.
func TestChatToDayList(t *testing.T) {
	t.Parallel()
	for _, in := range instants {
		t.Run(strings.ReplaceAll(in, " ", "T"), func(t *testing.T) {
			t.Parallel()
			chatToDayList(t, clock.Fixed(clock.At(in, nil)))
		})
	}
}

func chatToDayList(t *testing.T, now func() time.Time) {
	ctx := context.Background()
	a, err := openApp(ctx, storeFlags{data: t.TempDir(), clock: now}, llm.Config{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	convs := map[string]string{} // test name → the assistant's conversation id
	say := func(conv, msg string) assistant.Reply {
		t.Helper()
		r, err := a.assistant.Ask(ctx, assistant.Request{ConversationID: convs[conv], Message: msg, Channel: "test"})
		if err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		convs[conv] = r.ConversationID
		return r
	}
	say("c1", "身份证丢了怎么补办")
	say("c1", "我要预约办理")
	say("c1", "1")   // the first hall
	say("c1", "2")   // the second day offered
	say("c1", "1")   // the first time
	say("c1", "张三丰") // name
	if r := say("c1", "13812345678"); !strings.Contains(r.Answer, "请核对预约信息") {
		t.Fatalf("no read-back: %s", r.Answer)
	}
	if list, _ := a.services.booking.Stats(ctx, "2026-01-01", "2027-12-31", ""); list.All.Total != 0 {
		t.Fatalf("booked before the read-back was confirmed: %+v", list.All)
	}
	r := say("c1", "确认预约")
	if !strings.Contains(r.Answer, "预约成功") {
		t.Fatalf("no booking: %s", r.Answer)
	}
	var code string
	for _, line := range strings.Split(r.Answer, "\n") {
		if c, ok := strings.CutPrefix(line, "预约码："); ok {
			code = c
		}
	}
	b, err := a.services.booking.Lookup(ctx, code)
	if err != nil {
		t.Fatalf("code %q: %v", code, err)
	}
	list, _ := a.services.booking.DayList(ctx, b.HallID, b.Day, 0)
	if len(list) != 1 || list[0].Code != code || list[0].Name != "张三丰" || list[0].Mobile != "138****5678" || list[0].Channel != "chat" || list[0].ConversationID != convs["c1"] {
		t.Errorf("day list = %+v", list)
	}

	var item kb.Item
	items, _ := a.kb.PublishedItems(ctx)
	for _, it := range items {
		if it.Doorstep {
			item = it
			break
		}
	}
	say("c2", item.Name)
	say("c2", "申请上门办理")
	say("c2", "周大爷")
	say("c2", "深圳市福田区梅林街道梅华路110号3栋502")
	if r := say("c2", "13612345678"); !strings.Contains(r.Answer, "请核对上门办理申请") {
		t.Fatalf("no read-back: %s", r.Answer)
	}
	r = say("c2", "确认提交")
	if !strings.Contains(r.Answer, "申请已提交") {
		t.Fatalf("no request: %s", r.Answer)
	}
	open, _ := a.services.doorstep.List(ctx, doorstep.Filter{Open: true})
	if len(open) != 1 || open[0].ItemID != item.ID || open[0].Street != "梅林" || open[0].Phone != "136****5678" ||
		!strings.Contains(r.Answer, open[0].Number) {
		t.Errorf("requests = %+v\nanswer %s", open, r.Answer)
	}
}

// Staff changes made from the command line are in the audit log.
func TestServiceCommandsAudited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "import", "--data", dir, "../../data/kb"); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"booking", "seed"},
		{"booking", "hours", "HALL-02", "工作日 9:00-17:00"},
		{"booking", "hours", "HALL-02"}, // only reads
		{"doorstep", "sync"},
	} {
		if code, _, errs := runCmd(t, append(args, "--data", dir, "--actor", "王科员")...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	ctx := context.Background()
	db, err := (&storeFlags{data: dir}).open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, _, err := audit.New(db).List(ctx, audit.Filter{}, audit.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Actor+" "+e.Action+" "+e.Target)
	}
	want := "王科员 doorstep.sync |王科员 booking.hours HALL-02 工作日 9:00-17:00|王科员 booking.seed "
	if strings.Join(got, "|") != want {
		t.Errorf("audit = %q\nwant    %q", strings.Join(got, "|"), want)
	}
}
