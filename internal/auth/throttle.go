package auth

import (
	"sync"
	"time"
)

// Throttle slows down password guessing: after Max failed logins for a key
// (a client address, a username) within Window, that key is refused until
// the window has passed. It lives in memory, per replica; that bounds a
// guesser to Max × replicas tries per window, which is what it is for.
type Throttle struct {
	Max    int
	Window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	start time.Time
	n     int
}

// NewThrottle allows max failures per window for each key.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{Max: max, Window: window, now: time.Now, keys: map[string]*attempts{}}
}

// Blocked reports whether any of the keys is locked out, and for how long.
func (t *Throttle) Blocked(keys ...string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		a := t.keys[k]
		if a == nil {
			continue
		}
		if now.Sub(a.start) >= t.Window {
			delete(t.keys, k)
			continue
		}
		if a.n >= t.Max {
			if w := t.Window - now.Sub(a.start); w > wait {
				wait = w
			}
		}
	}
	return wait > 0, wait
}

// Fail records a failed attempt against every key.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.keys) > 100000 { // a flood of distinct keys: forget the expired ones
		for k, a := range t.keys {
			if now.Sub(a.start) >= t.Window {
				delete(t.keys, k)
			}
		}
	}
	for _, k := range keys {
		a := t.keys[k]
		if a == nil || now.Sub(a.start) >= t.Window {
			a = &attempts{start: now}
			t.keys[k] = a
		}
		a.n++
	}
}

// Succeed clears the record of a key (a user who finally got it right).
func (t *Throttle) Succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.keys, k)
	}
}
