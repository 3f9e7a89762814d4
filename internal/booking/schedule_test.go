package booking

import (
	"strings"
	"testing"
	"time"
)

func TestParseHours(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		want  string // Schedule.String()
		notes []string
		err   bool
	}{
		// The eight fixture halls' hours.
		{in: "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00（部分事项）",
			want: "周一至周五 09:00-12:00，14:00-18:00", notes: []string{"部分事项"}},
		{in: "周一至周五 9:00-12:00，14:00-18:00", want: "周一至周五 09:00-12:00，14:00-18:00"},
		{in: "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-17:00",
			want: "周一至周五 09:00-12:00，14:00-18:00；周六 09:00-17:00"},
		{in: "周一至周五 9:00-12:00，13:30-17:30", want: "周一至周五 09:00-12:00，13:30-17:30"},
		{in: "周一至周五 9:00-12:00，14:00-18:00；征期周六 9:00-12:00",
			want: "周一至周五 09:00-12:00，14:00-18:00", notes: []string{"征期"}},
		// Other ways people write hours.
		{in: "星期一到星期四 8:30—12:00 14:00—17:30；星期五 8:30-12:00",
			want: "周一至周四 08:30-12:00，14:00-17:30；周五 08:30-12:00"},
		{in: "工作日 9：00-17：00", want: "周一至周五 09:00-17:00"},
		{in: "每天 10:00~20:00", want: "周一至周日 10:00-20:00"},
		{in: "周一、周三、周五 9:00-11:30", want: "周一 09:00-11:30；周三 09:00-11:30；周五 09:00-11:30"},
		{in: "周六至周日 9:00-12:00", want: "周六至周日 09:00-12:00"},
		{in: "周一至周五 14:00-18:00，9:00-12:00", want: "周一至周五 09:00-12:00，14:00-18:00"},
		{in: "周一至周五 9:00-12:00；周末 10:00-16:00", want: "周一至周五 09:00-12:00；周六至周日 10:00-16:00"},
		{in: "9:00-12:00；周二 9:00-12:00", want: "周二 09:00-12:00", notes: []string{"未写明星期几"}},
		{in: "周一至周五 9:00-12:00，11:00-13:00", err: true, notes: []string{"重叠"}},
		{in: "周一至周五 18:00-09:00", err: true, notes: []string{"无法识别"}},
		{in: "请电话咨询", err: true, notes: []string{"未写明星期几"}},
		{in: "", err: true},
	}
	for _, c := range cases {
		s, notes, err := ParseHours(c.in)
		if (err != nil) != c.err {
			t.Errorf("ParseHours(%q) error = %v, want error %v", c.in, err, c.err)
			continue
		}
		if !c.err && s.String() != c.want {
			t.Errorf("ParseHours(%q) = %q, want %q", c.in, s.String(), c.want)
		}
		if len(notes) != len(c.notes) {
			t.Errorf("ParseHours(%q) notes = %q, want %d", c.in, notes, len(c.notes))
			continue
		}
		for i, n := range c.notes {
			if !strings.Contains(notes[i], n) {
				t.Errorf("ParseHours(%q) note %q lacks %q", c.in, notes[i], n)
			}
		}
		if !c.err {
			if err := s.Validate(); err != nil {
				t.Errorf("ParseHours(%q) gave an invalid schedule: %v", c.in, err)
			}
			// What String writes, ParseHours reads back the same.
			again, _, err := ParseHours(s.String())
			if err != nil || again.String() != s.String() {
				t.Errorf("round trip of %q: %q, %v", s.String(), again.String(), err)
			}
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00（部分事项）", "工作日 9：00-17：00",
		"周一、周三 8:00-9:00", "每天 00:00-24:00", "周日至周一 1:00-2:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, _, err := ParseHours(in)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseHours(%q) gave an invalid schedule: %v", in, err)
		}
		again, _, err := ParseHours(s.String())
		if err != nil || again.String() != s.String() {
			t.Fatalf("round trip of %q: %q, %v", s.String(), again.String(), err)
		}
	})
}

func TestSlotsSkipLunch(t *testing.T) {
	t.Parallel()
	s, _, err := ParseHours("周一至周五 9:00-12:00，13:30-17:45")
	if err != nil {
		t.Fatal(err)
	}
	got := s.Slots(s.Week[time.Monday])
	var str []string
	for _, c := range got {
		str = append(str, c.String())
	}
	want := "09:00 09:30 10:00 10:30 11:00 11:30 13:30 14:00 14:30 15:00 15:30 16:00 16:30 17:00"
	if strings.Join(str, " ") != want {
		t.Errorf("slots = %v, want %s (none in the lunch break, none running past closing)", str, want)
	}
	s.SlotMinutes = 60
	if n := len(s.Slots(s.Week[time.Monday])); n != 3+4 {
		t.Errorf("hour slots = %d, want 7", n)
	}
}

func TestCalendar(t *testing.T) {
	t.Parallel()
	sched, _, _ := ParseHours("周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00")
	cal := Calendar{
		"2026-10-01": {Day: "2026-10-01", Kind: Holiday, Name: "国庆节"},               // Thursday
		"2026-10-03": {Day: "2026-10-03", Kind: Holiday, Name: "国庆节"},               // Saturday, normally open
		"2026-10-10": {Day: "2026-10-10", Kind: Workday, AsWeekday: time.Monday},    // Saturday make-up day
		"2026-09-20": {Day: "2026-09-20", Kind: Workday, AsWeekday: time.Wednesday}, // Sunday make-up day
	}
	cases := []struct {
		day  string
		want string // periods
	}{
		{"2026-09-30", "09:00-12:00 14:00-18:00"}, // ordinary Wednesday
		{"2026-10-01", ""},                        // holiday on a weekday
		{"2026-10-03", ""},                        // holiday on an open Saturday
		{"2026-10-10", "09:00-12:00 14:00-18:00"}, // 调休 Saturday works a full day
		{"2026-10-17", "09:00-12:00"},             // ordinary Saturday
		{"2026-10-18", ""},                        // ordinary Sunday
		{"2026-09-20", "09:00-12:00 14:00-18:00"}, // 调休 Sunday
	}
	for _, c := range cases {
		d, _ := time.Parse(DayLayout, c.day)
		var got []string
		for _, p := range DayPeriods(&sched, cal, d) {
			got = append(got, p.Start.String()+"-"+p.End.String())
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %v, want %q", c.day, got, c.want)
		}
	}
}

func TestParseCalendar(t *testing.T) {
	t.Parallel()
	in := `# 2026 国庆
2026-10-01 休 国庆节
2026-10-10 班 国庆节调休上班
2026-09-20 workday 调休 周三
2026-13-01 休 坏日期
2026-10-02 休假 不认识
2026-10-03
2026-10-04 holiday 国庆节 星期八
`
	days, errs := ParseCalendar(strings.NewReader(in))
	if len(days) != 3 {
		t.Fatalf("days = %+v", days)
	}
	if days[1].Kind != Workday || days[1].AsWeekday != time.Monday || days[2].AsWeekday != time.Wednesday {
		t.Errorf("workdays = %+v", days[1:])
	}
	wantLines := []string{"line 5", "line 6", "line 7", "line 8"}
	if len(errs) != len(wantLines) {
		t.Fatalf("errors = %v", errs)
	}
	for i, w := range wantLines {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %v, want %s", i, errs[i], w)
		}
	}
}
