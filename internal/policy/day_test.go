package policy

import (
	"strings"
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, err string
	}{
		{"2024-02-29", ""},
		{"2023-02-29", "not a day of the calendar"},
		{"2024-13-01", "not a day of the calendar"},
		{"2024-1-01", "not a date YYYY-MM-DD"},
		{"2024/01/01", "not a date YYYY-MM-DD"},
		{"0000-01-01", "not a day of the calendar"},
		{"２０２４-01-01", "not a date"},
		{"", "not a date"},
	} {
		_, err := ParseDay(c.in)
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseDay(%q) = %v, want %q", c.in, err, c.err)
		}
	}
}

func TestOrdinalRoundTrip(t *testing.T) {
	t.Parallel()
	if MustDay("1970-01-01").Ordinal() != 0 || MustDay("2000-03-01").Ordinal() != 11017 {
		t.Fatal("ordinal anchors")
	}
	// Every day from 1600 to 2400 against the standard library.
	base := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 800*366; i += 7 {
		tm := base.AddDate(0, 0, i)
		d := DayOf(tm)
		if got := FromOrdinal(d.Ordinal()); got != d {
			t.Fatalf("%s round-trips to %s", d, got)
		}
		if want := int(tm.Unix() / 86400); d.Ordinal() != want {
			t.Fatalf("%s: ordinal %d, want %d", d, d.Ordinal(), want)
		}
	}
}

func TestDateHelpers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		fn      string
		d, asOf string
		want    int
	}{
		{"age", "1941-06-02", "2021-06-01", 79},
		{"age", "1941-06-02", "2021-06-02", 80},
		{"age", "2000-02-29", "2021-02-28", 20}, // a 29 February birthday comes on 1 March
		{"age", "2000-02-29", "2021-03-01", 21},
		{"age", "2000-02-29", "2024-02-29", 24},
		{"age", "2030-05-01", "2026-01-01", -4},
		{"age", "2026-01-01", "2026-01-01", 0},
		{"months", "2024-01-31", "2024-02-29", 0},
		{"months", "2024-01-31", "2024-03-01", 1},
		{"months", "2024-01-15", "2025-01-14", 11},
		{"months", "2024-01-15", "2025-01-15", 12},
		{"months", "2025-01-15", "2024-01-15", -12},
		{"days", "2026-12-31", "2026-12-01", 30},
		{"days", "2026-01-01", "2026-12-01", -334},
	} {
		d, asOf := MustDay(c.d), MustDay(c.asOf)
		var got int
		switch c.fn {
		case "age":
			got = YearsSince(d, asOf)
		case "months":
			got = MonthsSince(d, asOf)
		case "days":
			got = DaysUntil(d, asOf)
		}
		if got != c.want {
			t.Errorf("%s(%s) at %s = %d, want %d", c.fn, c.d, c.asOf, got, c.want)
		}
	}
}

func TestBirthDayForAge(t *testing.T) {
	t.Parallel()
	for _, on := range []string{"2026-03-01", "2024-02-29", "2026-12-31"} {
		asOf := MustDay(on)
		for _, age := range []int{0, 1, 80, 85, 100} {
			if got := YearsSince(BirthDayForAge(age, asOf), asOf); got != age {
				t.Errorf("on %s, age %d: born %s is %d", on, age, BirthDayForAge(age, asOf), got)
			}
		}
	}
}

func TestToday(t *testing.T) {
	t.Parallel()
	// 16:30 UTC is already the next day in Beijing.
	if got := Today(time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC), nil); got != MustDay("2026-03-02") {
		t.Errorf("Today = %s", got)
	}
}
