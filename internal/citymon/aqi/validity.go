package aqi

import "math"

// Validity holds the data-validity rules of GB 3095 / HJ 663 used to turn
// hourly values into daily and 8-hour means. An average from too few
// values is invalid: reported as missing, never as a number.
type Validity struct {
	// MinHoursDaily: a 24-hour mean needs at least this many valid hourly
	// values (20, commonly cited; unverified for the 2026 edition).
	MinHoursDaily int
	// MinHours8h: an 8-hour mean needs at least this many (6, likewise).
	MinHours8h int
	// MinO3Windows: the day's maximum 8-hour O3 needs at least this many
	// valid 8-hour means among the 17 that end within the day. 14 is the
	// usual HJ 663 practice; it is not in the standards note: unverified.
	MinO3Windows int
}

// DefaultValidity is the commonly cited rule set.
var DefaultValidity = Validity{MinHoursDaily: 20, MinHours8h: 6, MinO3Windows: 14}

// Unverified explains, in Chinese, which of the rules are not confirmed
// for ed, for display beside daily figures.
func (v Validity) Unverified(ed Edition) []string {
	out := []string{"臭氧日最大 8 小时平均至少 14 个有效 8 小时值：HJ 663 通行做法，未经核实"}
	if ed == HJ633_2026 {
		out = append(out, "日均值至少 20 个有效小时值、8 小时均值至少 6 个有效小时值：通行规定，2026 版未经核实")
	}
	return out
}

// Hours is a day's or a longer run's hourly values in order, one per hour,
// NaN where the hour has no valid value.
type Hours []float64

// Mean is the mean of the valid values, and whether there were at least
// min of them.
func (h Hours) Mean(min int) (float64, bool) {
	sum, n := 0.0, 0
	for _, v := range h {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 || n < min {
		return math.NaN(), false
	}
	return sum / float64(n), true
}

// Moving8h returns the 8-hour moving means of h: out[i] covers hours
// i-7..i and is NaN when fewer than min of those hours are valid (or i < 7).
func (h Hours) Moving8h(min int) Hours {
	out := make(Hours, len(h))
	for i := range h {
		if i < 7 {
			out[i] = math.NaN()
			continue
		}
		m, ok := h[i-7 : i+1].Mean(min)
		if !ok {
			m = math.NaN()
		}
		out[i] = m
	}
	return out
}

// DailyO3Max8h is the day's maximum 8-hour O3 mean from the day's 24
// hourly values (hour starts 00 … 23). The 8-hour means considered are the
// 17 that lie within the day, windows 00–07 … 16–23 (labelled by their end,
// 08:00 … 24:00, as reports do).
func (v Validity) DailyO3Max8h(day Hours) (float64, bool) {
	if len(day) != 24 {
		return math.NaN(), false
	}
	m := day.Moving8h(v.MinHours8h)
	best, n := math.Inf(-1), 0
	for i := 7; i < 24; i++ {
		if !math.IsNaN(m[i]) {
			n++
			best = max(best, m[i])
		}
	}
	if n == 0 || n < v.MinO3Windows {
		return math.NaN(), false
	}
	return best, true
}
