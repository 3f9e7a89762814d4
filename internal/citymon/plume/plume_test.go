package plume

import (
	"math"
	"testing"
	"time"
)

func TestStability(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		wind, oktas, elev float64
		want              Class
	}{
		{1.5, 0, 70, 'A'}, // strong sun, light wind
		{1.5, 0, 45, 'B'}, // moderate: A–B → B
		{2.5, 0, 20, 'C'}, // slight
		{4, 2, 70, 'B'},
		{4, 2, 45, 'C'}, // B–C → C
		{5.5, 2, 70, 'C'},
		{7, 2, 70, 'C'},
		{7, 2, 20, 'D'},
		{1.5, 7, 70, 'B'}, // 7 oktas lowers strong to moderate
		{3, 8, 70, 'D'},   // overcast
		{1, 2, -10, 'F'},  // clear night, calm
		{1, 5, -10, 'E'},  // cloudy night
		{4, 2, -10, 'E'},
		{4, 5, -10, 'D'},
		{6, 0, -10, 'D'},
	} {
		if got := Stability(tc.wind, tc.oktas, tc.elev); got != tc.want {
			t.Errorf("Stability(%v m/s, %v oktas, %v°) = %c, want %c", tc.wind, tc.oktas, tc.elev, got, tc.want)
		}
	}
}

func TestSunElevation(t *testing.T) {
	t.Parallel()
	// Shenzhen (114.06 E, 22.54 N): near the zenith at solar noon on the
	// June solstice, low in winter, below the horizon at midnight.
	noonJune := time.Date(2026, 6, 21, 12, 24, 0, 0, time.FixedZone("CST", 8*3600))
	if e := SunElevation(noonJune, 114.06, 22.54); e < 88 || e > 90 {
		t.Errorf("June noon elevation %.1f", e)
	}
	noonDec := time.Date(2026, 12, 21, 12, 24, 0, 0, time.FixedZone("CST", 8*3600))
	if e := SunElevation(noonDec, 114.06, 22.54); math.Abs(e-44) > 1.5 {
		t.Errorf("December noon elevation %.1f, want about 44", e)
	}
	if e := SunElevation(time.Date(2026, 6, 21, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), 114.06, 22.54); e > 0 {
		t.Errorf("midnight elevation %.1f", e)
	}
}

func TestSigmasAndConcentration(t *testing.T) {
	t.Parallel()
	sy, sz := Sigmas('D', 1000, true)
	if math.Abs(sy-0.16*1000/math.Sqrt(1.4)) > 1e-9 || math.Abs(sz-0.14*1000/math.Sqrt(1.3)) > 1e-9 {
		t.Errorf("urban D at 1 km: %v %v", sy, sz)
	}
	s := Source{Q: 1, H: 0, Urban: true}
	// A ground source seen at the ground: Q / (π u σy σz).
	c := s.Concentration('D', 2, 1000, 0, 0)
	if want := 1 / (math.Pi * 2 * sy * sz) * 1e6; math.Abs(c-want) > 1e-9*want {
		t.Errorf("ground-level centreline %v, want %v", c, want)
	}
	if s.Concentration('D', 2, -10, 0, 0) != 0 || s.Concentration('D', 0.2, 100, 0, 0) != 0 {
		t.Error("upwind or calm must give 0")
	}
	if a, b := s.Concentration('D', 2, 500, 50, 1.5), s.Concentration('D', 2, 500, -50, 1.5); a != b || a >= s.Concentration('D', 2, 500, 0, 1.5) {
		t.Error("not symmetric across the wind, or not highest on the centreline")
	}
	if s.Concentration('F', 2, 500, 0, 1.5) <= s.Concentration('B', 2, 500, 0, 1.5) {
		t.Error("a stable atmosphere must carry more to the ground downwind than an unstable one")
	}
	w := s.HalfWidth('D', 2, 500, 1.5, 5)
	if got := s.Concentration('D', 2, 500, w, 1.5); math.Abs(got-5) > 1e-6 {
		t.Errorf("at the half-width the contribution is %v, want 5", got)
	}
}
