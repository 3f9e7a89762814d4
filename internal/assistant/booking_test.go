package assistant_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// fakeBooker has two days with two times each at every hall.
type fakeBooker struct {
	mu       sync.Mutex
	booked   []assistant.BookingRequest
	doorstep []assistant.DoorstepRequest
}

func (f *fakeBooker) Days(context.Context, string, string) ([]string, error) {
	return []string{"2026-12-01", "2026-12-02"}, nil
}

func (f *fakeBooker) Times(context.Context, string, string, string) ([]string, error) {
	return []string{"09:00", "14:30"}, nil
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

func TestBookInChat(t *testing.T) {
	t.Parallel()
	fb := &fakeBooker{}
	states := &assistant.MemoryState{}
	rec := &memRecorder{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.States, c.Recorder = fb, states, rec })
	rs := play(t, as, []step{
		{q: "新生儿落户要预约吗", status: assistant.Answered, item: "FT-001", aspect: assistant.Appointment},
		{q: assistant.BookSuggestion, status: assistant.Answered, item: "FT-001", has: []string{"请选择办理大厅", "福田街道党群服务中心"}},
		{q: "2", status: assistant.Answered, has: []string{"2026-12-01"}},
		{q: "12月2日", status: assistant.Answered, has: []string{"14:30"}},
		{q: "下午2点半", status: assistant.Answered, has: []string{"姓名"}},
		{q: "张三", status: assistant.Answered, has: []string{"手机"}},
		{q: "138 1234 5678", status: assistant.Answered, has: []string{"预约成功", "A7K2Q9", "2026-12-02 14:30"}},
	})
	if len(fb.booked) != 1 {
		t.Fatalf("booked %d", len(fb.booked))
	}
	b := fb.booked[0]
	if b.ItemID != "FT-001" || b.HallID != "HALL-03" || b.Day != "2026-12-02" || b.Time != "14:30" || b.Name != "张三" || b.Mobile != "13812345678" || b.HallID == "" {
		t.Fatalf("booking %+v", b)
	}
	// The number went to the booking only: not into the dialogue state,
	// not into the record.
	st, _, _ := states.Load(context.Background(), rs[0].ConversationID)
	if st.Booking != nil {
		t.Fatalf("draft left in state: %+v", st.Booking)
	}
	for _, tr := range rec.turns {
		if strings.Contains(tr.Question, "1234 5678") || strings.Contains(tr.Question, "13812345678") {
			t.Fatalf("mobile recorded: %q", tr.Question)
		}
	}
}

func TestBookingCancelAndUnsupported(t *testing.T) {
	t.Parallel()
	fb := &fakeBooker{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking = fb })
	play(t, as, []step{
		{q: "结婚登记", status: assistant.Answered, item: "FT-055"},
		{q: "我要预约", status: assistant.Answered, has: []string{"可预约日期"}}, // one hall: straight to the day
		{q: "算了不约了", status: assistant.Answered, has: []string{"已取消"}},
		{q: "要带什么", status: assistant.Answered, item: "FT-055", aspect: assistant.Materials},
	})
	// 社会保障卡申领 takes no appointments.
	play(t, as, []step{{q: "社保卡申领，我要预约", status: assistant.Answered, item: "FT-010", has: []string{"暂不提供线下预约"}}})
	if len(fb.booked) != 0 {
		t.Fatal("booked without finishing")
	}
}

func TestDoorstepInChat(t *testing.T) {
	t.Parallel()
	fb := &fakeBooker{}
	states := &assistant.MemoryState{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.States = fb, states })
	rs := play(t, as, []step{
		{q: "我爸满80了想申请高龄津贴，他行动不便", status: assistant.Answered, item: "FT-034"},
		{q: assistant.DoorstepSuggestion, status: assistant.Answered, has: []string{"姓名"}},
		{q: "李四", status: assistant.Answered, has: []string{"地址"}},
		{q: "福田街道福华三路88号幸福小区3栋502", status: assistant.Answered, has: []string{"手机"}},
		{q: "13912345678", status: assistant.Answered, has: []string{"SM-0001"}},
	})
	if len(fb.doorstep) != 1 || fb.doorstep[0].Mobile != "13912345678" || !strings.Contains(fb.doorstep[0].Address, "幸福小区") || fb.doorstep[0].ItemID != "FT-034" {
		t.Fatalf("doorstep %+v", fb.doorstep)
	}
	if rs[0].Suggestions[len(rs[0].Suggestions)-2] != assistant.DoorstepSuggestion {
		t.Fatalf("doorstep not offered: %v", rs[0].Suggestions)
	}
}

// Issue 10, finding 1: the booking code (which with the mobile's last four
// digits changes the booking), the name and the address are shown to the
// resident in the reply and kept out of the stored transcript.
func TestBookingSecretsNotInTranscript(t *testing.T) {
	t.Parallel()
	fb := &fakeBooker{}
	rec := &memRecorder{}
	as := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.Recorder = fb, rec })
	rs := play(t, as, []step{
		{q: "新生儿落户要预约吗", status: assistant.Answered, item: "FT-001"},
		{q: assistant.BookSuggestion, status: assistant.Answered},
		{q: "2", status: assistant.Answered},
		{q: "12月2日", status: assistant.Answered},
		{q: "下午2点半", status: assistant.Answered},
		{q: "张三丰", status: assistant.Answered, has: []string{"手机"}},
		{q: "13812345678", status: assistant.Answered, has: []string{"A7K2Q9", "手机号后四位"}},
	})
	as2 := demoAssistant(t, func(c *assistant.Config) { c.Booking, c.Recorder = fb, rec })
	play(t, as2, []step{
		{q: "我爸满80了想申请高龄津贴，他行动不便", status: assistant.Answered, item: "FT-034"},
		{q: assistant.DoorstepSuggestion, status: assistant.Answered},
		{q: "李四光", status: assistant.Answered},
		{q: "福田街道福华三路88号幸福小区3栋502", status: assistant.Answered},
		{q: "13912345678", status: assistant.Answered, has: []string{"SM-0001"}},
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
