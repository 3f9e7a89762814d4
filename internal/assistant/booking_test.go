package assistant_test

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/clock"
)

// fakeBooker is a hall calendar in miniature: every hall opens Monday to
// Friday (today too, until 17:00) for 14 days, except on its holidays;
// each open day has two times. It seals numbers reversibly, unreadably.
type fakeBooker struct {
	now      func() time.Time
	holidays map[string]string // day → name

	mu       sync.Mutex
	booked   []assistant.BookingRequest
	doorstep []assistant.DoorstepRequest
}

func newFakeBooker(now func() time.Time) *fakeBooker {
	return &fakeBooker{now: now, holidays: map[string]string{}}
}

func (f *fakeBooker) Days(context.Context, string, string) ([]assistant.OpenDay, error) {
	n := f.now().In(clock.Default)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, clock.Default)
	var out []assistant.OpenDay
	for i := 0; i <= 14; i++ {
		d := today.AddDate(0, 0, i)
		day := d.Format(time.DateOnly)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || f.holidays[day] != "" || (i == 0 && n.Hour() >= 17) {
			continue
		}
		out = append(out, assistant.OpenDay{Day: day})
	}
	return out, nil
}

func (f *fakeBooker) Times(context.Context, string, string, string) ([]string, error) {
	return []string{"09:00", "14:30"}, nil
}

func (f *fakeBooker) Holiday(_ context.Context, day string) (string, error) {
	return f.holidays[day], nil
}

func (f *fakeBooker) Book(_ context.Context, b assistant.BookingRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.booked = append(f.booked, b)
	return "A7K2Q9", nil
}

func (f *fakeBooker) RequestDoorstep(_ context.Context, d assistant.DoorstepRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.doorstep = append(f.doorstep, d)
	return "SM-0001", nil
}

var fakeStreets = []string{"园岭", "南园", "福田", "沙头", "梅林", "华富", "香蜜湖", "莲花", "华强北", "福保"}

func (f *fakeBooker) StreetOf(address string) string {
	for _, s := range fakeStreets {
		if strings.Contains(address, s+"街道") || (s != "福田" && strings.Contains(address, s)) {
			return s
		}
	}
	return ""
}

func (f *fakeBooker) Streets() []string { return fakeStreets }

func (f *fakeBooker) Seal(p string) (string, error) {
	b := []byte(p)
	for i := range b {
		b[i] ^= 0x55
	}
	return "sealed:" + hex.EncodeToString(b), nil
}

func (f *fakeBooker) Open(s string) (string, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "sealed:"))
	if err != nil || !strings.HasPrefix(s, "sealed:") {
		return "", errors.New("not sealed")
	}
	for i := range b {
		b[i] ^= 0x55
	}
	return string(b), nil
}

// wednesday is the chat tests' instant unless a row names another.
var wednesday = clock.At("2026-12-02 10:00", nil)

// turn is one message of a form and what its reply must and must not say.
type turn struct {
	q        string
	has, not []string
}

// talk plays turns in one conversation, every reply answered.
func talk(t *testing.T, as *assistant.Assistant, turns []turn) []assistant.Reply {
	t.Helper()
	conv := ""
	var out []assistant.Reply
	for i, tt := range turns {
		r, err := as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: tt.q, Channel: "test"})
		if err != nil {
			t.Fatalf("turn %d %q: %v", i, tt.q, err)
		}
		conv = r.ConversationID
		if r.Status != assistant.Answered {
			t.Fatalf("turn %d %q: status %s (answer %q)", i, tt.q, r.Status, r.Answer)
		}
		for _, h := range tt.has {
			if !strings.Contains(r.Answer+"\n"+strings.Join(r.Suggestions, "|"), h) {
				t.Fatalf("turn %d %q: reply lacks %q:\n%s\n%v", i, tt.q, h, r.Answer, r.Suggestions)
			}
		}
		for _, h := range tt.not {
			if strings.Contains(r.Answer, h) {
				t.Fatalf("turn %d %q: reply says %q:\n%s", i, tt.q, h, r.Answer)
			}
		}
		out = append(out, r)
	}
	return out
}

// An appointment in the chat: days shown with their weekday, every answer
// read back before anything is booked, booked only on a yes; the mobile
// number sealed in the state meanwhile and nowhere in the record.
func TestBookInChat(t *testing.T) {
	t.Parallel()
	fb := newFakeBooker(clock.Fixed(wednesday))
	states := &assistant.MemoryState{}
	rec := &memRecorder{}
	as := demoAssistant(t, func(c *assistant.Config) {
		c.Booking, c.States, c.Recorder, c.Now = fb, states, rec, clock.Fixed(wednesday)
	})
	rs := talk(t, as, []turn{
		{q: "新生儿落户要预约吗"},
		{q: assistant.BookSuggestion, has: []string{"请选择办理大厅", "福田街道党群服务中心"}},
		{q: "2", has: []string{"12月2日（周三）", "12月3日（周四）", "12月7日（周一）"}, not: []string{"12月5日", "2026-12"}},
		{q: "12月4号", has: []string{"12月4日（周五） 可预约的时段", "14:30"}},
		{q: "下午2点半", has: []string{"姓名"}},
		{q: "申请预约", has: []string{"请告诉我办事人的姓名"}}, // not a name
		{q: "我叫张三", has: []string{"手机"}},
		{q: "138 1234 5678", has: []string{"请核对预约信息", "事项：新生儿入户登记", "福田街道党群服务中心", "时间：12月4日（周五） 14:30",
			"姓名：张三", "电话：138****5678", "确认预约吗", "确认预约", "修改"}},
	})
	if len(fb.booked) != 0 {
		t.Fatalf("booked before the read-back was confirmed: %+v", fb.booked)
	}
	ctx := context.Background()
	conv := rs[0].ConversationID
	st, _, _ := states.Load(ctx, conv)
	if st.Booking == nil || st.Booking.Step != "confirm" || st.Booking.MobileSealed == "" || strings.Contains(st.Booking.MobileSealed, "5678") {
		t.Fatalf("draft before confirming: %+v", st.Booking)
	}
	// Change the time from the read-back, then confirm.
	for _, tt := range []turn{
		{q: "修改", has: []string{"请问要修改哪一项", "修改时间"}},
		{q: "修改时间", has: []string{"12月4日（周五） 可预约的时段"}},
		{q: "9点", has: []string{"时间：12月4日（周五） 09:00", "电话：138****5678"}},
		{q: "确认", has: []string{"预约成功", "A7K2Q9", "12月4日（周五） 09:00"}},
	} {
		r, err := as.Ask(ctx, assistant.Request{ConversationID: conv, Message: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range tt.has {
			if !strings.Contains(r.Answer+"|"+strings.Join(r.Suggestions, "|"), h) {
				t.Fatalf("%q: reply lacks %q:\n%s %v", tt.q, h, r.Answer, r.Suggestions)
			}
		}
	}
	if len(fb.booked) != 1 {
		t.Fatalf("booked %d", len(fb.booked))
	}
	b := fb.booked[0]
	if b.ItemID != "FT-001" || b.HallID != "HALL-03" || b.Day != "2026-12-04" || b.Time != "09:00" || b.Name != "张三" || b.Mobile != "13812345678" {
		t.Fatalf("booking %+v", b)
	}
	// The number went to the booking only: not into the dialogue state,
	// not into the record.
	st, _, _ = states.Load(ctx, conv)
	if st.Booking != nil {
		t.Fatalf("draft left in state: %+v", st.Booking)
	}
	for _, tr := range rec.turns {
		if strings.Contains(tr.Question, "1234 5678") || strings.Contains(tr.Question, "13812345678") || strings.Contains(tr.Answer, "13812345678") {
			t.Fatalf("mobile recorded: %q / %q", tr.Question, tr.Answer)
		}
	}
}

// Days as residents say them, read against the hall's calendar at the
// instant of the row (China time), with the reason when the hall cannot
// take that day.
func TestChatSpokenDays(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		at, say string
		has     []string
	}{
		{"2026-12-02 10:00", "明天", []string{"12月3日（周四） 可预约的时段"}},
		{"2026-12-02 10:00", "今天", []string{"12月2日（周三） 可预约的时段"}},
		{"2026-12-02 10:00", "周五", []string{"12月4日（周五） 可预约的时段"}},
		{"2026-12-02 10:00", "这周六", []string{"这周六（12月5日）该大厅不办公", "12月7日（周一）"}},
		{"2026-12-02 10:00", "下周一", []string{"12月7日（周一） 可预约的时段"}},
		{"2026-12-02 10:00", "下个星期三", []string{"12月9日（周三） 可预约的时段"}},
		{"2026-12-02 10:00", "下下周一", []string{"12月14日（周一） 可预约的时段"}},
		{"2026-12-02 10:00", "5号", []string{"12月5日（周六）该大厅不办公"}},
		{"2026-12-02 10:00", "十二月八号", []string{"12月8日（周二） 可预约的时段"}},
		{"2026-12-02 10:00", "12月1日", []string{"12月1日（周二）已经过去了"}},
		{"2026-12-02 10:00", "12月25日", []string{"12月25日（周五）超出了可预约的范围（目前可预约到12月16日（周三））"}},
		{"2026-12-02 10:00", "这周一", []string{"这周一（11月30日）已经过去了"}},
		{"2026-12-02 00:30", "今天", []string{"12月2日（周三） 可预约的时段"}},
		{"2026-12-02 08:59", "明天", []string{"12月3日（周四） 可预约的时段"}},
		{"2026-12-02 12:00", "后天", []string{"12月4日（周五） 可预约的时段"}},
		{"2026-12-02 17:59", "今天", []string{"今天（12月2日）该大厅不办公"}}, // closed for the day
		{"2026-12-02 23:59", "明天", []string{"12月3日（周四） 可预约的时段"}},
		{"2026-12-04 22:30", "明天", []string{"明天（12月5日）该大厅不办公", "12月7日（周一）"}},
		{"2026-12-04 22:30", "下周一", []string{"12月7日（周一） 可预约的时段"}},
		{"2026-12-06 09:00", "这周六", []string{"这周六（12月5日）已经过去了"}}, // Sunday: this week's Saturday was yesterday
		{"2026-12-06 09:00", "周一", []string{"12月7日（周一） 可预约的时段"}},
		{"2026-12-31 16:00", "明天", []string{"明天（1月1日）是元旦假期，大厅不办公", "1月4日（周一）"}},
		{"2026-12-31 16:00", "1月4日", []string{"1月4日（周一） 可预约的时段"}}, // next year's January
	} {
		t.Run(c.at+" "+c.say, func(t *testing.T) {
			t.Parallel()
			now := clock.Fixed(clock.At(c.at, nil))
			fb := newFakeBooker(now)
			fb.holidays["2027-01-01"] = "元旦"
			as := demoAssistant(t, func(cf *assistant.Config) { cf.Booking, cf.Now = fb, now })
			// 结婚登记 is done at one hall: the form starts at the day.
			talk(t, as, []turn{
				{q: "结婚登记"},
				{q: "我要预约", has: []string{"请选择预约日期", "明天"}},
				{q: c.say, has: c.has},
			})
		})
	}
}

// A door-to-door request: each answer checked (a name is a name, a phone
// number is not an address, the street is asked when the address lacks
// it), everything read back, an answer changed from the read-back, filed
// only on a yes.
func TestDoorstepInChat(t *testing.T) {
	t.Parallel()
	fb := newFakeBooker(clock.Fixed(wednesday))
	states := &assistant.MemoryState{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.States, c.Now = fb, states, clock.Fixed(wednesday) })
	rs := talk(t, as, []turn{
		{q: "我爸满80了想申请高龄津贴，他行动不便", has: []string{"高龄老人津贴申领", assistant.DoorstepSuggestion}},
		{q: assistant.DoorstepSuggestion, has: []string{"高龄老人津贴申领", "姓名", "核对"}},
		{q: "申请上门办理", has: []string{"请告诉我办事人的姓名"}},
		{q: "李四", has: []string{"地址"}},
		{q: "13912345678", has: []string{"这看起来是电话号码"}},
		{q: "在家", has: []string{"说得具体一些"}},
		{q: "幸福小区3栋502", has: []string{"哪个街道", "梅林", "香蜜湖"}},
		{q: "火星街道", has: []string{"没有找到这个街道"}},
		{q: "梅林", has: []string{"手机"}},
		{q: "13912345678", has: []string{"请核对上门办理申请", "事项：高龄老人津贴申领", "姓名：李四", "地址：梅林街道幸福小区3栋502", "电话：139****5678", "确认提交"}},
		{q: "地址不对", has: []string{"请告诉我上门地址"}},
		{q: "福田街道福华三路88号幸福小区3栋502", has: []string{"地址：福田街道福华三路88号幸福小区3栋502", "电话：139****5678", "确认提交吗"}},
	})
	if len(fb.doorstep) != 0 {
		t.Fatalf("filed before the read-back was confirmed: %+v", fb.doorstep)
	}
	conv := rs[0].ConversationID
	r, err := as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: "确认提交"})
	if err != nil || !strings.Contains(r.Answer, "SM-0001") {
		t.Fatalf("confirm = %q, %v", r.Answer, err)
	}
	if len(fb.doorstep) != 1 || fb.doorstep[0].Mobile != "13912345678" || fb.doorstep[0].Address != "福田街道福华三路88号幸福小区3栋502" ||
		fb.doorstep[0].ItemID != "FT-034" || fb.doorstep[0].Name != "李四" {
		t.Fatalf("doorstep %+v", fb.doorstep)
	}
	if rs[0].Suggestions[len(rs[0].Suggestions)-2] != assistant.DoorstepSuggestion {
		t.Fatalf("doorstep not offered: %v", rs[0].Suggestions)
	}
}

// The item of a door-to-door request is the one the request is about,
// not the one talked of before, and the read-back lets the resident
// change it.
func TestDoorstepItemOfTheRequest(t *testing.T) {
	t.Parallel()
	fb := newFakeBooker(clock.Fixed(wednesday))
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.Now = fb, clock.Fixed(wednesday) })
	rs := talk(t, as, []turn{
		{q: "我爸今年82岁了，想申请高龄津贴", has: []string{"高龄老人津贴申领"}},
		{q: "他身份证过期了，行动不便，能上门办吗", has: []string{"“居民身份证换领”上门办理"}, not: []string{"高龄"}},
		{q: "李大爷", has: []string{"地址"}},
		{q: "梅林街道梅华路110号3栋502", has: []string{"手机"}},
		{q: "13612345678", has: []string{"事项：居民身份证换领"}},
		{q: "修改事项", has: []string{"要上门办理的事项"}},
		{q: "社保卡申领", has: []string{"暂不在上门办服务范围内"}},
		{q: "高龄津贴", has: []string{"事项：高龄老人津贴申领", "地址：梅林街道梅华路110号3栋502"}},
		{q: "对", has: []string{"申请已提交", "高龄老人津贴申领"}},
	})
	if rs[1].Citations[0].ID != "FT-004" {
		t.Errorf("request cites %v", rs[1].Citations)
	}
	if len(fb.doorstep) != 1 || fb.doorstep[0].ItemID != "FT-034" {
		t.Fatalf("doorstep %+v", fb.doorstep)
	}
}

func TestBookingCancelAndUnsupported(t *testing.T) {
	t.Parallel()
	fb := newFakeBooker(clock.Fixed(wednesday))
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.Now = fb, clock.Fixed(wednesday) })
	play(t, as, []step{
		{q: "结婚登记", status: assistant.Answered, item: "FT-055"},
		{q: "我要预约", status: assistant.Answered, has: []string{"请选择预约日期"}}, // one hall: straight to the day
		{q: "算了不约了", status: assistant.Answered, has: []string{"已取消"}},
		{q: "要带什么", status: assistant.Answered, item: "FT-055", aspect: assistant.Materials},
	})
	// 社会保障卡申领 takes no appointments.
	play(t, as, []step{{q: "社保卡申领，我要预约", status: assistant.Answered, item: "FT-010", has: []string{"暂不提供线下预约"}}})
	// A day said with the request is taken at once.
	play(t, as, []step{
		{q: "结婚登记", status: assistant.Answered, item: "FT-055"},
		{q: "我要预约下周一的", status: assistant.Answered, has: []string{"12月7日（周一） 可预约的时段"}},
	})
	if len(fb.booked) != 0 {
		t.Fatal("booked without finishing")
	}
}

// Issue 10, finding 1: the booking code (which with the mobile's last four
// digits changes the booking), the name and the address are shown to the
// resident in the reply (the read-back included) and kept out of the
// stored transcript.
func TestBookingSecretsNotInTranscript(t *testing.T) {
	t.Parallel()
	fb := newFakeBooker(clock.Fixed(wednesday))
	rec := &memRecorder{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.Recorder, c.Now = fb, rec, clock.Fixed(wednesday) })
	rs := talk(t, as, []turn{
		{q: "新生儿落户要预约吗"},
		{q: assistant.BookSuggestion},
		{q: "2"},
		{q: "12月4日"},
		{q: "下午2点半"},
		{q: "张三丰", has: []string{"手机"}},
		{q: "13812345678", has: []string{"姓名：张三丰"}},
		{q: "确认", has: []string{"A7K2Q9", "手机号后四位"}},
	})
	talk(t, as, []turn{
		{q: "我爸满80了想申请高龄津贴，他行动不便"},
		{q: assistant.DoorstepSuggestion},
		{q: "李四光"},
		{q: "福田街道福华三路88号幸福小区3栋502"},
		{q: "13912345678", has: []string{"姓名：李四光", "幸福小区"}},
		{q: "确认提交", has: []string{"SM-0001"}},
	})
	if !strings.Contains(rs[len(rs)-1].Answer, "A7K2Q9") {
		t.Fatal("the resident was not shown the code")
	}
	for _, tr := range rec.turns {
		for _, secret := range []string{"A7K2Q9", "SM-0001", "张三丰", "李四光", "幸福小区"} {
			if strings.Contains(tr.Question, secret) || strings.Contains(tr.Answer, secret) {
				t.Errorf("transcript keeps %q: %q → %q", secret, tr.Question, tr.Answer)
			}
		}
	}
	if got := rec.turns[len(rec.turns)-1].Answer; !strings.Contains(got, "已隐去") {
		t.Errorf("stored answer %q does not say what was left out", got)
	}
}
