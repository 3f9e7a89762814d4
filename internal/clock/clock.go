// Package clock holds what Fuwu's parts share about time: the district's
// zone, in which days begin and every time is shown (Asia/Shanghai unless
// fuwu is started with --tz; stored instants stay UTC), and the source of
// "now" each service takes, so that a test fixes the instant instead of
// reading the wall clock or depending on the machine's zone.
package clock

import (
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // --tz names work on machines without /usr/share/zoneinfo (about 450 KB)
)

// DefaultZoneName is the zone used when none is configured.
const DefaultZoneName = "Asia/Shanghai"

// Default is Asia/Shanghai (China Standard Time, UTC+8, no daylight saving
// since 1991).
var Default = mustZone(DefaultZoneName)

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the tz database is embedded above
	}
	return z
}

// Zone loads a zone by IANA name ("Asia/Shanghai") or as a fixed offset
// ("UTC+8", "+08:00"); empty is Default. "Local" is refused: the machine's
// zone is exactly what the display must not depend on.
func Zone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Default, nil
	case strings.EqualFold(name, "local"):
		return nil, fmt.Errorf("time zone %q: name the zone (e.g. %s), not the machine's", name, DefaultZoneName)
	}
	if z, ok := fixedZone(name); ok {
		return z, nil
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return z, nil
}

// fixedZone reads "UTC+8", "UTC-05:30", "+08:00".
func fixedZone(s string) (*time.Location, bool) {
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "UTC"), "GMT")
	if rest == "" || (rest[0] != '+' && rest[0] != '-') {
		return nil, false
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	var h, m int
	if n, _ := fmt.Sscanf(rest[1:], "%d:%d", &h, &m); n == 0 {
		return nil, false
	}
	if h > 14 || m > 59 || h < 0 || m < 0 {
		return nil, false
	}
	return time.FixedZone(s, sign*(h*3600+m*60)), true
}

// Fixed is a clock standing still at t.
func Fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// Manual is a clock a test sets and moves. Safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual starts a Manual clock at t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

// Now returns the clock's instant.
func (m *Manual) Now() time.Time { m.mu.Lock(); defer m.mu.Unlock(); return m.t }

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) { m.mu.Lock(); m.t = t; m.mu.Unlock() }

// Add moves the clock on by d.
func (m *Manual) Add(d time.Duration) { m.mu.Lock(); m.t = m.t.Add(d); m.mu.Unlock() }

// At reads "2006-01-02 15:04" in zone (Default when nil); it panics on a
// malformed literal, being meant for tests' fixed instants.
func At(s string, zone *time.Location) time.Time {
	if zone == nil {
		zone = Default
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, zone)
	if err != nil {
		panic(fmt.Sprintf("clock.At(%q): %v", s, err))
	}
	return t
}

// Weekday is the day's short Chinese name: 周一 … 周日.
func Weekday(d time.Weekday) string { return weekdays[d] }

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// Day formats a YYYY-MM-DD day as residents read it: 12月5日（周六）. A
// malformed day is returned as given.
func Day(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d月%d日（%s）", t.Month(), t.Day(), weekdays[t.Weekday()])
}
