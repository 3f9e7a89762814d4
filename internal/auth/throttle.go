package auth

import (
	"sync"
	"time"
)

// Throttle limits guessing in memory, per replica (booking codes from one
// address): each attempt is counted before it is checked, so concurrent
// guesses cannot slip past the limit, and after Max attempts for a key
// within Window the key is refused until the window has passed. Logins
// use LoginGuard, which is shared by replicas and can be lifted from the
// command line.
type Throttle struct {
	Max    int
	Window time.Duration
	// Now is the clock (tests move it).
	Now func() time.Time

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	start time.Time
	n     int
}

// NewThrottle allows max attempts per window for each key.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{Max: max, Window: window, Now: time.Now, keys: map[string]*attempts{}}
}

// Take counts an attempt against every key and reports whether all of
// them are still within the limit; if not, how long until the first
// refusing key's window ends.
func (t *Throttle) Take(keys ...string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if len(t.keys) > 100000 { // a flood of distinct keys: forget the expired ones
		for k, a := range t.keys {
			if now.Sub(a.start) >= t.Window {
				delete(t.keys, k)
			}
		}
	}
	var wait time.Duration
	for _, k := range keys {
		a := t.keys[k]
		if a == nil || now.Sub(a.start) >= t.Window {
			a = &attempts{start: now}
			t.keys[k] = a
		}
		a.n++
		if a.n > t.Max {
			wait = max(wait, t.Window-now.Sub(a.start))
		}
	}
	return wait == 0, wait
}

// Succeed clears the record of a key (someone who got it right).
func (t *Throttle) Succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.keys, k)
	}
}
