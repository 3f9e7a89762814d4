// Package refusal is the one error type for a request the service declines
// for a reason the caller can act on: a stable code, a Simplified Chinese
// message fit to show a resident or staff member as is, and a kind that
// says whether the thing asked for is missing or the request cannot be
// taken. Anything that is not a refusal is a failure of the service.
//
// Domain packages declare their refusals as package variables
//
//	var ErrFull = refusal.New("booking", "full", "该时段已约满，请选择其他时段")
//
// and return them (wrapped or not); errors.Is matches them through any
// wrapping. Every declared refusal is kept in one table by its code, so a
// page can be told which message to show ("?err=booking.full") without the
// URL ever carrying the text itself.
package refusal

import (
	"errors"
	"slices"
	"strings"
	"sync"
)

// Kind decides how a refusal is answered (over HTTP: 422, 404, 400, 409).
type Kind int

const (
	// Invalid: the request cannot be taken as it is (input, state).
	Invalid Kind = iota
	// NotFound: what was asked for does not exist (or is not shown to
	// this caller).
	NotFound
	// Malformed: the request itself is broken (not a form a person
	// filled in wrong).
	Malformed
	// Conflict: the step clashes with the state the thing is in now.
	Conflict
)

// Error is a refusal. Compare with errors.Is against the declared values.
type Error struct {
	scope, code, msg string
	kind             Kind
}

// Error is "scope: code", English, for logs.
func (e *Error) Error() string { return e.scope + ": " + e.code }

// UserMessage is the Simplified Chinese message fit to show as is.
func (e *Error) UserMessage() string { return e.msg }

// Code is a stable English name for APIs ("full", "duplicate" …).
func (e *Error) Code() string { return e.code }

// Key is the refusal's name in the table: "scope.code".
func (e *Error) Key() string { return e.scope + "." + e.code }

// Kind says how the refusal is answered.
func (e *Error) Kind() Kind { return e.kind }

var (
	mu    sync.RWMutex
	table = map[string]*Error{}
)

// New declares an Invalid refusal and enters it in the table; declare
// refusals as package variables, never per request.
func New(scope, code, msg string) *Error { return declare(scope, code, msg, Invalid) }

// Missing declares a NotFound refusal.
func Missing(scope, code, msg string) *Error { return declare(scope, code, msg, NotFound) }

// Bad declares a Malformed refusal.
func Bad(scope, code, msg string) *Error { return declare(scope, code, msg, Malformed) }

// Clash declares a Conflict refusal.
func Clash(scope, code, msg string) *Error { return declare(scope, code, msg, Conflict) }

func declare(scope, code, msg string, k Kind) *Error {
	e := &Error{scope: scope, code: code, msg: msg, kind: k}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := table[e.Key()]; dup {
		panic("refusal: " + e.Key() + " declared twice") // a programming error, at package init
	}
	table[e.Key()] = e
	return e
}

// Lookup finds a declared refusal by its key ("booking.full").
func Lookup(key string) (*Error, bool) {
	mu.RLock()
	defer mu.RUnlock()
	e, ok := table[key]
	return e, ok
}

// As finds the refusal in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// All lists every declared refusal, by key.
func All() []*Error {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]*Error, 0, len(table))
	for _, e := range table {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *Error) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}
