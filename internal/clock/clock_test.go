package clock

import (
	"testing"
	"time"
)

func TestZone(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name, want string
	}{
		{"", "2026-12-05 00:30"},
		{"Asia/Shanghai", "2026-12-05 00:30"},
		{"UTC", "2026-12-04 16:30"},
		{"UTC+8", "2026-12-05 00:30"},
		{"+05:30", "2026-12-04 22:00"},
		{"America/New_York", "2026-12-04 11:30"},
	} {
		z, err := Zone(c.name)
		if err != nil {
			t.Errorf("Zone(%q): %v", c.name, err)
			continue
		}
		if got := at.In(z).Format("2006-01-02 15:04"); got != c.want {
			t.Errorf("Zone(%q): %s, want %s", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"Local", "local", "Mars/Olympus", "UTC+99"} {
		if _, err := Zone(bad); err == nil {
			t.Errorf("Zone(%q) accepted", bad)
		}
	}
}

func TestDayAndClocks(t *testing.T) {
	t.Parallel()
	if got := Day("2026-12-05"); got != "12月5日（周六）" {
		t.Errorf("Day = %q", got)
	}
	if got := Day("soon"); got != "soon" {
		t.Errorf("Day(bad) = %q", got)
	}
	at := At("2026-12-02 08:59", nil)
	if at.UTC().Format(time.RFC3339) != "2026-12-02T00:59:00Z" {
		t.Errorf("At = %s", at.UTC())
	}
	if Fixed(at)() != at {
		t.Error("Fixed moved")
	}
	m := NewManual(at)
	m.Add(time.Minute)
	if !m.Now().Equal(at.Add(time.Minute)) {
		t.Errorf("Manual = %s", m.Now())
	}
	m.Set(at)
	if !m.Now().Equal(at) {
		t.Errorf("Manual.Set = %s", m.Now())
	}
}
