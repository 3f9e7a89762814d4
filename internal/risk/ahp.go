package risk

import (
	"fmt"
	"math"
)

// randomIndex is Saaty's random consistency index RI by matrix order.
var randomIndex = []float64{0, 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.54, 1.56, 1.57, 1.59}

// AHP is the result of the analytic hierarchy process on one pairwise
// comparison matrix.
type AHP struct {
	Weights []float64 `json:"weights"` // principal eigenvector, summing to 1
	Lambda  float64   `json:"lambda_max"`
	CI      float64   `json:"ci"` // (λmax − n)/(n − 1)
	CR      float64   `json:"cr"` // CI/RI; acceptable below 0.1
}

// MaxCR is the consistency ratio above which judgments must be revised.
const MaxCR = 0.10

// Weigh runs the AHP on judgments given as the upper triangle of the
// pairwise comparison matrix on Saaty's 1–9 scale: upper[i][k] is how
// much more important criterion i is than criterion i+1+k (a value below
// 1 means less important). The lower triangle is the reciprocals. It
// returns an error when the judgments are malformed or inconsistent
// (CR ≥ 0.1).
func Weigh(n int, upper [][]float64) (AHP, error) {
	if n < 1 || n >= len(randomIndex) {
		return AHP{}, fmt.Errorf("%w: AHP needs 1–%d criteria, got %d", ErrInput, len(randomIndex)-1, n)
	}
	if len(upper) != n-1 && !(n == 1 && len(upper) == 0) {
		return AHP{}, fmt.Errorf("%w: AHP: %d criteria need %d rows of judgments, got %d", ErrInput, n, n-1, len(upper))
	}
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n)
		a[i][i] = 1
	}
	for i, row := range upper {
		if len(row) != n-1-i {
			return AHP{}, fmt.Errorf("%w: AHP: judgment row %d needs %d values, got %d", ErrInput, i+1, n-1-i, len(row))
		}
		for k, v := range row {
			if !(v >= 1.0/9-1e-9 && v <= 9+1e-9) {
				return AHP{}, fmt.Errorf("%w: AHP: judgment %v outside Saaty's 1/9–9", ErrInput, v)
			}
			j := i + 1 + k
			a[i][j], a[j][i] = v, 1/v
		}
	}
	// Power iteration converges on the principal eigenvector of a positive
	// matrix (Perron–Frobenius).
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	next := make([]float64, n)
	for range 1000 {
		var sum float64
		for i := range n {
			next[i] = 0
			for j := range n {
				next[i] += a[i][j] * w[j]
			}
			sum += next[i]
		}
		var diff float64
		for i := range n {
			next[i] /= sum
			diff = math.Max(diff, math.Abs(next[i]-w[i]))
		}
		w, next = next, w
		if diff < 1e-12 {
			break
		}
	}
	var lambda float64
	for i := range n {
		var aw float64
		for j := range n {
			aw += a[i][j] * w[j]
		}
		lambda += aw / w[i]
	}
	lambda /= float64(n)
	res := AHP{Weights: w, Lambda: lambda}
	if n > 2 {
		res.CI = (lambda - float64(n)) / float64(n-1)
		res.CR = res.CI / randomIndex[n]
	}
	if res.CR >= MaxCR {
		return res, fmt.Errorf("%w: AHP judgments inconsistent: CR = %.3f ≥ %.2f; revise them", ErrInput, res.CR, MaxCR)
	}
	return res, nil
}
