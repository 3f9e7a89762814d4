//go:build race

package search_test

// raceEnabled: the race detector slows every query tenfold, so latency
// figures mean nothing and the timed passes are cut to one.
const raceEnabled = true
