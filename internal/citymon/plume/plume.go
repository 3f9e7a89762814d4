// Package plume estimates how far a ground-level dust source's emissions
// spread: Pasquill–Gifford stability classes from wind speed, cloud cover
// and the sun's elevation (Turner's scheme), Briggs's dispersion
// coefficients (urban or open country), and the Gaussian plume with
// reflection at the ground. It is a screening estimate, as such models
// are: steady wind, flat terrain, no deposition.
package plume

import (
	"math"
	"time"
)

// Class is a Pasquill–Gifford stability class, 'A' (very unstable) …
// 'F' (stable).
type Class byte

// Stability is the class for a 10-m wind speed (m/s), total cloud cover
// (oktas, 0–8) and the sun's elevation (degrees; ≤ 0 is night), after
// Turner (1964). By day the insolation is strong above 60°, moderate from
// 35°, slight below; more than 5 oktas of cloud lowers it one step and an
// overcast sky (8 oktas) is neutral (D) by day and night. Where the table
// gives two classes (A–B, B–C, C–D) the more stable one is taken: for a
// ground-level source that gives the higher concentrations downwind, the
// safer error for schools and hospitals.
func Stability(wind, oktas, sunElevation float64) Class {
	if oktas >= 8 {
		return 'D'
	}
	if sunElevation <= 0 {
		cloudy := oktas >= 4
		switch {
		case wind < 2:
			if cloudy {
				return 'E'
			}
			return 'F'
		case wind < 3:
			if cloudy {
				return 'E'
			}
			return 'F'
		case wind < 5:
			if cloudy {
				return 'D'
			}
			return 'E'
		default:
			return 'D'
		}
	}
	ins := 0 // 0 strong, 1 moderate, 2 slight
	switch {
	case sunElevation > 60:
		ins = 0
	case sunElevation > 35:
		ins = 1
	default:
		ins = 2
	}
	if oktas > 5 {
		ins = min(ins+1, 2)
	}
	// Rows: wind < 2, 2–3, 3–5, 5–6, ≥ 6; columns: strong, moderate, slight.
	table := [5][3]Class{
		{'A', 'B', 'B'}, // A, A–B, B
		{'B', 'B', 'C'}, // A–B, B, C
		{'B', 'C', 'C'}, // B, B–C, C
		{'C', 'D', 'D'}, // C, C–D, D
		{'C', 'D', 'D'},
	}
	row := 4
	switch {
	case wind < 2:
		row = 0
	case wind < 3:
		row = 1
	case wind < 5:
		row = 2
	case wind < 6:
		row = 3
	}
	return table[row][ins]
}

// SunElevation is the sun's elevation in degrees at t and (lon, lat),
// from the declination and the hour angle (good to about a degree).
func SunElevation(t time.Time, lon, lat float64) float64 {
	u := t.UTC()
	n := float64(u.YearDay())
	decl := 23.45 * math.Sin(rad(360.0/365.0*(284+n)))
	solarHour := float64(u.Hour()) + float64(u.Minute())/60 + lon/15
	ha := 15 * (solarHour - 12)
	s := math.Sin(rad(lat))*math.Sin(rad(decl)) + math.Cos(rad(lat))*math.Cos(rad(decl))*math.Cos(rad(ha))
	return deg(math.Asin(s))
}

// Sigmas are Briggs's (1973) σy and σz in metres at x metres downwind,
// for urban or open-country terrain.
func Sigmas(c Class, x float64, urban bool) (sy, sz float64) {
	if urban {
		switch c {
		case 'A', 'B':
			return 0.32 * x / math.Sqrt(1+0.0004*x), 0.24 * x * math.Sqrt(1+0.001*x)
		case 'C':
			return 0.22 * x / math.Sqrt(1+0.0004*x), 0.20 * x
		case 'D':
			return 0.16 * x / math.Sqrt(1+0.0004*x), 0.14 * x / math.Sqrt(1+0.0003*x)
		default: // E, F
			return 0.11 * x / math.Sqrt(1+0.0004*x), 0.08 * x / math.Sqrt(1+0.0015*x)
		}
	}
	sy = map[Class]float64{'A': 0.22, 'B': 0.16, 'C': 0.11, 'D': 0.08, 'E': 0.06, 'F': 0.04}[c] * x / math.Sqrt(1+0.0001*x)
	switch c {
	case 'A':
		sz = 0.20 * x
	case 'B':
		sz = 0.12 * x
	case 'C':
		sz = 0.08 * x / math.Sqrt(1+0.0002*x)
	case 'D':
		sz = 0.06 * x / math.Sqrt(1+0.0015*x)
	case 'E':
		sz = 0.03 * x / (1 + 0.0003*x)
	default:
		sz = 0.016 * x / (1 + 0.0003*x)
	}
	return sy, sz
}

// MinWind is the lowest wind speed the model is used with: below it the
// plume has no direction and the estimate is not made.
const MinWind = 0.5

// Source is a continuous emission.
type Source struct {
	Q     float64 // emission rate, g/s
	H     float64 // effective height, m
	Urban bool
}

// Concentration is the source's contribution in µg/m³ at x metres
// downwind, y metres across the wind and z metres above ground, for wind
// u m/s and class c; 0 upwind (x ≤ 0) or in calm air.
func (s Source) Concentration(c Class, u, x, y, z float64) float64 {
	if x <= 0 || u < MinWind || s.Q <= 0 {
		return 0
	}
	sy, sz := Sigmas(c, x, s.Urban)
	g := math.Exp(-y*y/(2*sy*sy)) * (math.Exp(-(z-s.H)*(z-s.H)/(2*sz*sz)) + math.Exp(-(z+s.H)*(z+s.H)/(2*sz*sz)))
	return s.Q / (2 * math.Pi * u * sy * sz) * g * 1e6
}

// HalfWidth is how far across the wind, at x metres downwind, the
// contribution at height z stays at or above level µg/m³ (0 if nowhere).
func (s Source) HalfWidth(c Class, u, x, z, level float64) float64 {
	c0 := s.Concentration(c, u, x, 0, z)
	if c0 <= level || level <= 0 {
		return 0
	}
	sy, _ := Sigmas(c, x, s.Urban)
	return sy * math.Sqrt(2*math.Log(c0/level))
}

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }
