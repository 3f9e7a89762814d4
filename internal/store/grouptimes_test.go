package store

import (
	"testing"
	"time"
)

// Every duration falls in a bucket whose bound is at or above it and
// within about 9 % (eight buckets per doubling), and the buckets' bounds
// rise with their index; the last bucket holds what is longer (over 35
// minutes).
func TestHistBuckets(t *testing.T) {
	for _, d := range []time.Duration{
		0, time.Microsecond, 7 * time.Microsecond, 8 * time.Microsecond, 9 * time.Microsecond,
		100 * time.Microsecond, 999 * time.Microsecond, time.Millisecond, 49 * time.Millisecond,
		50 * time.Millisecond, 1234567 * time.Microsecond, 30 * time.Minute,
	} {
		i := histBucket(d)
		up := histUpper(i)
		if up < d.Truncate(time.Microsecond) || float64(up) > 1.125*float64(d)+float64(time.Microsecond) {
			t.Errorf("%v: bucket %d up to %v", d, i, up)
		}
		if i > 0 && histUpper(i-1) >= d.Truncate(time.Microsecond) {
			t.Errorf("%v: bucket %d, but %d's bound %v holds it", d, i, i-1, histUpper(i-1))
		}
	}
	if last := len(durHist{}.b) - 1; histBucket(time.Hour) != last {
		t.Errorf("an hour: bucket %d, want the last, %d", histBucket(time.Hour), last)
	}
	for i := 1; i < len(durHist{}.b); i++ {
		if histUpper(i) <= histUpper(i-1) {
			t.Fatalf("bucket %d bound %v not above %d's %v", i, histUpper(i), i-1, histUpper(i-1))
		}
	}
}

func TestDurationsQuantile(t *testing.T) {
	var h durHist
	for range 98 {
		h.add(time.Millisecond)
	}
	h.add(40 * time.Millisecond)
	h.add(40 * time.Millisecond)
	before := Durations{h.snapshot()}
	h.add(time.Second)
	all := Durations{h.snapshot()}
	tests := []struct {
		name string
		d    Durations
		q    float64
		want time.Duration
	}{
		{"median", before, 0.5, histUpper(histBucket(time.Millisecond))},
		{"p98 is the last of the 98", before, 0.98, histUpper(histBucket(time.Millisecond))},
		{"p99 among the two slow ones", before, 0.99, histUpper(histBucket(40 * time.Millisecond))},
		{"max", all, 1, histUpper(histBucket(time.Second))},
		{"since before: the one added", all.Sub(before), 0.5, histUpper(histBucket(time.Second))},
		{"none", Durations{}.Sub(Durations{}), 0.99, 0},
	}
	for _, tt := range tests {
		if got := tt.d.Quantile(tt.q); got != tt.want {
			t.Errorf("%s: Quantile(%g) = %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
}
