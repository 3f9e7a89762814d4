package policy

import (
	"fmt"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
)

// Day is a calendar day (the as-of date of a match, a birth date, a
// policy's effective date). It is kept apart from time.Time so that a
// match never depends on a clock or a time zone: the caller says which day
// it is.
type Day struct {
	Y, M, D int
}

// ParseDay reads a YYYY-MM-DD date and checks that the day exists
// (2023-02-29 does not).
func ParseDay(s string) (Day, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Day{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	num := func(b string) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 {
		return Day{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return Day{}, fmt.Errorf("%q is not a day of the calendar", s)
	}
	return Day{y, m, d}, nil
}

// MustDay is ParseDay for literals in tests and demo data.
func MustDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DayOf is the calendar day of t in t's location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day{y, int(m), d}
}

// Today is the day it is at instant now in the district's zone (nil:
// clock.Default, Asia/Shanghai).
func Today(now time.Time, zone *time.Location) Day {
	if zone == nil {
		zone = clock.Default
	}
	return DayOf(now.In(zone))
}

// IsZero reports whether d is the zero Day (no date).
func (d Day) IsZero() bool { return d == Day{} }

func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Y, d.M, d.D)
}

// Chinese is the day as residents read it: 2027年3月2日.
func (d Day) Chinese() string { return fmt.Sprintf("%d年%d月%d日", d.Y, d.M, d.D) }

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool { return d.Ordinal() < e.Ordinal() }

// Ordinal counts days from 1970-01-01 (negative before it), so that days
// can be subtracted. (Howard Hinnant's days_from_civil.)
func (d Day) Ordinal() int {
	y, m := d.Y, d.M
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.D - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// FromOrdinal is the inverse of Ordinal.
func FromOrdinal(z int) Day {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Day{y, m, d}
}

// AddDays is the day n days after d (before, for negative n).
func (d Day) AddDays(n int) Day { return FromOrdinal(d.Ordinal() + n) }

// AddYears is the same day n years later; 29 February becomes 1 March in
// a year without it (the day a person born on 29 February comes of age).
func (d Day) AddYears(n int) Day {
	y := d.Y + n
	if d.M == 2 && d.D == 29 && daysIn(y, 2) == 28 {
		return Day{y, 3, 1}
	}
	return Day{y, d.M, d.D}
}

// AddMonths is the same day of the month n months later, or the first of
// the next month when that month is shorter.
func (d Day) AddMonths(n int) Day {
	m0 := d.Y*12 + (d.M - 1) + n
	y, m := m0/12, m0%12+1
	if d.D > daysIn(y, m) {
		return Day{y, m, 1}.AddMonths(1)
	}
	return Day{y, m, d.D}
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// YearsSince is the number of full years from d to asOf (a person's age
// in 周岁 when d is the birth date): the year count, less one while the
// anniversary has not come. Someone born on 29 February has a birthday on
// 1 March in other years. When d is after asOf the count is negative: the
// full years from asOf to d, negated.
func YearsSince(d, asOf Day) int {
	if asOf.Before(d) {
		return -YearsSince(asOf, d)
	}
	n := asOf.Y - d.Y
	if n > 0 && asOf.Before(d.AddYears(n)) {
		n--
	}
	return n
}

// MonthsSince is the number of full months from d to asOf: a month is
// complete on the same day of a later month (or on the first of the next
// month when that month is shorter). Negative when d is after asOf.
func MonthsSince(d, asOf Day) int {
	if asOf.Before(d) {
		return -MonthsSince(asOf, d)
	}
	n := (asOf.Y-d.Y)*12 + asOf.M - d.M
	if n > 0 && asOf.Before(d.AddMonths(n)) {
		n--
	}
	return n
}

// DaysUntil is the number of days from asOf to d, negative when d is past.
func DaysUntil(d, asOf Day) int { return d.Ordinal() - asOf.Ordinal() }

// BirthDayForAge is a birth date for someone said to be age (周岁) on
// asOf — the chat hears "我爸85岁了", not a date: the latest day that age
// allows, so that age() of it on asOf is exactly age.
// (On 29 February that is 28 February of a year without one.)
func BirthDayForAge(age int, asOf Day) Day {
	d := Day{asOf.Y - age, asOf.M, asOf.D}
	if d.D > daysIn(d.Y, d.M) {
		d.D = daysIn(d.Y, d.M)
	}
	return d
}
