package main

import (
	"runtime/debug"
)

// The server's live heap is small (~30 MB: the dictionaries, the
// catalogue's index) while each chat turn allocates 40–70 KB, so with Go's
// default GOGC=100 a busy server collects ten times a second, and each
// collection steals CPU from turns in flight and lengthens their tail.
// serve lets the heap grow to five times the live heap instead, under a
// soft ceiling that makes the collector work harder rather than let the
// process grow past it. GOGC and GOMEMLIMIT in the environment win.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 1 << 30 // bytes
)

// gcSettings is what tuneGC sets given the environment (getenv): a
// negative value leaves that setting to the runtime.
func gcSettings(getenv func(string) string) (percent int, limit int64) {
	percent, limit = serveGCPercent, serveMemoryLimit
	if getenv("GOGC") != "" {
		percent = -1
	}
	if getenv("GOMEMLIMIT") != "" {
		limit = -1
	}
	return percent, limit
}

// tuneGC applies gcSettings to this process.
func tuneGC(getenv func(string) string) {
	percent, limit := gcSettings(getenv)
	if percent >= 0 {
		debug.SetGCPercent(percent)
	}
	if limit >= 0 {
		debug.SetMemoryLimit(limit)
	}
}
