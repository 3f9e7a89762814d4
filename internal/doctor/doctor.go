// Package doctor checks a Fuwu installation, one line per concern, for
// "fuwu doctor": the architecture, the database (reachable, migrated), the
// data folder, the secret keyring and its backup, fonts for exported
// documents, the model endpoint, the MQTT broker, and the clock and time
// zone. Each check says OK, or what is wrong and what to do. Checks only
// look: none creates a database, a key or a folder.
package doctor

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Status is a check's verdict.
type Status int

const (
	OK   Status = iota
	Warn        // works, but should be looked at
	Fail        // will not work as configured
	Skip        // not configured, nothing to check
)

func (s Status) String() string {
	return [...]string{"OK", "WARN", "FAIL", "SKIP"}[s]
}

// Result is one check's outcome: Detail says what was found, Fix what to
// do (empty when nothing).
type Result struct {
	Name   string
	Status Status
	Detail string
	Fix    string
}

// Check is one concern.
type Check struct {
	Name string
	Run  func(ctx context.Context) Result
}

// Run runs the checks in order, each bounded by timeout, and writes a line
// per result (the fix indented below). It returns the results.
func Run(ctx context.Context, w io.Writer, checks []Check, timeout time.Duration) []Result {
	var out []Result
	for _, c := range checks {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		r := c.Run(cctx)
		cancel()
		if r.Name == "" {
			r.Name = c.Name
		}
		out = append(out, r)
		fmt.Fprintf(w, "%-4s  %s %s\n", r.Status, pad(r.Name, 8), r.Detail)
		if r.Fix != "" {
			for _, l := range strings.Split(r.Fix, "\n") {
				fmt.Fprintf(w, "                → %s\n", l)
			}
		}
	}
	return out
}

// Worst is the most serious status among results (Skip counts as OK).
func Worst(rs []Result) Status {
	w := OK
	for _, r := range rs {
		if r.Status == Fail {
			return Fail
		}
		if r.Status == Warn {
			w = Warn
		}
	}
	return w
}

// pad fills s with spaces to width columns, a Chinese character taking two.
func pad(s string, width int) string {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}
