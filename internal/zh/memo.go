package zh

import (
	"strings"
	"sync"
	"sync/atomic"
)

// cutMode is the way the segmenter cuts a run.
type cutMode uint8

const (
	cutHMM    cutMode = iota // precise mode, new words guessed (Segment)
	cutDict                  // precise mode, dictionary words only (Words, WordSpans)
	cutSearch                // search mode (TermsNormalized)
)

// memoSize bounds the cut memo: one turn cuts its question's runs about
// three times (understanding, retrieval, coverage each analyse the same
// text), so a few hundred recent runs catch those repeats and the catalogue
// names a turn looks at, in bounded memory.
const memoSize = 512

// memoRun is the longest run (bytes) kept: long runs rarely repeat.
const memoRun = 96

// cutMemo remembers the segmenter's output for recent runs, per mode.
// Entries are evicted first in, first out; the slices it hands out are
// shared and must not be modified.
type cutMemo struct {
	mu    sync.Mutex
	m     map[memoKey][]string
	ring  [memoSize]memoKey
	next  int
	hits  atomic.Int64
	calls atomic.Int64
}

type memoKey struct {
	mode cutMode
	run  string
}

// cut returns the segmenter's words for run in mode, from the memo when
// the same run was cut recently. A nil memo cuts every time.
func (c *cutMemo) cut(mode cutMode, run string, do func() []string) []string {
	if c == nil {
		return do()
	}
	c.calls.Add(1)
	if len(run) > memoRun {
		return do()
	}
	k := memoKey{mode, run}
	c.mu.Lock()
	ws, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		c.hits.Add(1)
		return ws
	}
	// Cut outside the lock: two turns cutting the same new run both do
	// the work once, which is cheaper than holding others back.
	ws = do()
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[memoKey][]string, memoSize)
	}
	if _, ok := c.m[k]; !ok {
		// The run is a piece of the caller's whole text: a copy keeps
		// only the run alive.
		k.run = strings.Clone(run)
		if old := c.ring[c.next]; old.run != "" {
			delete(c.m, old)
		}
		c.ring[c.next] = k
		c.next = (c.next + 1) % memoSize
		c.m[k] = ws
	}
	c.mu.Unlock()
	return ws
}

// MemoStats tells how many runs the analyser was asked to cut and how many
// of those came from its memo of recent cuts.
func (a *Analyzer) MemoStats() (calls, hits int64) {
	if a.memo == nil {
		return 0, 0
	}
	return a.memo.calls.Load(), a.memo.hits.Load()
}
