package booking

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// DayKind says how the calendar overrides a date.
type DayKind string

const (
	// Holiday closes every hall on a date that would be a working day.
	Holiday DayKind = "holiday"
	// Workday opens halls on a weekend date (调休, a make-up working day),
	// with the hours of the weekday it stands in for.
	Workday DayKind = "workday"
)

// CalendarDay is one override of the weekly rhythm.
type CalendarDay struct {
	Day       string       `json:"day"` // YYYY-MM-DD
	Kind      DayKind      `json:"kind"`
	Name      string       `json:"name"`       // 国庆节, 国庆节调休上班 …
	AsWeekday time.Weekday `json:"as_weekday"` // for a Workday: whose hours apply (default Monday)
}

// Calendar holds overrides by day.
type Calendar map[string]CalendarDay

// ParseDayKind accepts holiday/workday and 休/班 and their Chinese names.
func ParseDayKind(s string) (DayKind, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "holiday", "休", "休息", "放假", "节假日":
		return Holiday, nil
	case "workday", "班", "上班", "调休上班", "补班", "工作日":
		return Workday, nil
	}
	return "", fmt.Errorf("unknown day kind %q (holiday/休, workday/班)", s)
}

// Label is the kind as staff read it.
func (k DayKind) Label() string {
	switch k {
	case Holiday:
		return "放假"
	case Workday:
		return "调休上班"
	}
	return string(k)
}

// Validate checks the date and kind.
func (c *CalendarDay) Validate() error {
	if _, err := time.Parse(DayLayout, c.Day); err != nil {
		return fmt.Errorf("day %q is not YYYY-MM-DD", c.Day)
	}
	if c.Kind != Holiday && c.Kind != Workday {
		return fmt.Errorf("day %s: unknown kind %q", c.Day, c.Kind)
	}
	if c.AsWeekday < time.Sunday || c.AsWeekday > time.Saturday {
		return fmt.Errorf("day %s: weekday %d out of range", c.Day, c.AsWeekday)
	}
	return nil
}

// ParseCalendar reads lines "2026-10-01 休 国庆节" or
// "2026-10-10 workday 国庆节调休上班 周一" (the optional last field names
// the weekday whose hours apply; Monday by default). Blank lines and lines
// starting with # are skipped. Bad lines are reported with their number;
// the good ones are still returned.
func ParseCalendar(r io.Reader) ([]CalendarDay, []error) {
	var out []CalendarDay
	var errs []error
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			errs = append(errs, fmt.Errorf("line %d: want DAY KIND [NAME] [WEEKDAY]", n))
			continue
		}
		kind, err := ParseDayKind(f[1])
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", n, err))
			continue
		}
		c := CalendarDay{Day: f[0], Kind: kind, AsWeekday: time.Monday}
		if len(f) > 2 {
			c.Name = f[2]
		}
		if len(f) > 3 {
			wd, ok := parseWeekday(f[3])
			if !ok {
				errs = append(errs, fmt.Errorf("line %d: unknown weekday %q", n, f[3]))
				continue
			}
			c.AsWeekday = wd
		}
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", n, err))
			continue
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("line %d: %w", n+1, err))
	}
	return out, errs
}

func parseWeekday(s string) (time.Weekday, bool) {
	if m := weekdayRe.FindStringSubmatch(s); m != nil {
		return time.Weekday(dayNumbers[m[1]]), true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) || strings.EqualFold(s, d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}
