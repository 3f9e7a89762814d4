package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// handler is what a route runs: it answers, or returns why it could not,
// and Server.fail turns that into the answer. A handler never writes a
// 5xx itself, so none goes out without its cause in the log.
type handler func(http.ResponseWriter, *http.Request) error

// busy is what a resident reads when the fault is ours.
const busy = "系统繁忙，请稍后再试，或拨打 12345 政务服务便民热线。"

// failure is a fault of ours, with the message the caller reads instead
// of the cause.
type failure struct {
	status int
	msg    string
	err    error
}

func (f *failure) Error() string {
	if f.err == nil {
		return f.msg
	}
	return f.err.Error()
}

func (f *failure) Unwrap() error { return f.err }

// unavailable is storage or another service we depend on failing: 503,
// the one status for "storage unavailable", with msg for the caller.
func unavailable(msg string, err error) error {
	return &failure{status: http.StatusServiceUnavailable, msg: msg, err: err}
}

// upstream is a model or other outside service answering badly: 502.
func upstream(msg string, err error) error {
	return &failure{status: http.StatusBadGateway, msg: msg, err: err}
}

// broken is a fault in the service itself (a page or file that could not
// be generated): 500.
func broken(msg string, err error) error {
	return &failure{status: http.StatusInternalServerError, msg: msg, err: err}
}

// statusOf is the HTTP status of a refusal.
func statusOf(e *refusal.Error) int {
	switch e.Kind() {
	case refusal.NotFound:
		return http.StatusNotFound
	case refusal.Malformed:
		return http.StatusBadRequest
	case refusal.Conflict:
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// explain reads an error for the caller: a refusal's status and message,
// or 503 and busy for anything else (which the caller must pass to fail
// or log: explain logs nothing).
func explain(err error) (status int, msg string) {
	if e, ok := refusal.As(err); ok {
		return statusOf(e), e.UserMessage()
	}
	var f *failure
	if errors.As(err, &f) {
		return f.status, f.msg
	}
	return http.StatusServiceUnavailable, busy
}

// isRefusal reports whether err is the caller's to fix.
func isRefusal(err error) bool {
	_, ok := refusal.As(err)
	return ok
}

// fail is the one place an error becomes an answer: a refusal is its 4xx
// with its message; anything else is logged with its cause and the
// request id, and answered with a 5xx and a message that gives nothing
// away. A client that went away is logged as such, not as our fault.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var lim *tooMany
	if errors.As(err, &lim) {
		s.metrics.rateLimited.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(int(lim.wait/time.Second)+1))
		s.renderError(w, r, http.StatusTooManyRequests, lim.msg)
		return
	}
	status, msg := explain(err)
	if !isRefusal(err) {
		ctx := r.Context()
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			slog.InfoContext(ctx, "client went away", "request_id", requestID(r), "path", r.URL.Path, "err", err)
		} else {
			slog.ErrorContext(ctx, "request failed", "request_id", requestID(r), "method", r.Method,
				"path", r.URL.Path, "status", status, "err", err)
		}
	}
	s.renderError(w, r, status, msg)
}

// serve adapts a handler to the mux through fail.
func (s *Server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// requestID is the id the request is logged under (X-Request-Id on the
// answer), set by the observe middleware.
func requestID(r *http.Request) string {
	if info := requestInfoOf(r.Context()); info != nil {
		return info.id
	}
	return ""
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// tooMany is a rate limit reached: 429 with Retry-After and msg.
type tooMany struct {
	wait time.Duration
	msg  string
}

func (e *tooMany) Error() string { return "rate limited: " + e.msg }

// problem is the message a page shows inline for err (a form kept on
// screen with what went wrong): a refusal's message as is; anything else
// is logged with its cause and read as busy.
func (s *Server) problem(r *http.Request, err error) string {
	_, msg := explain(err)
	if !isRefusal(err) {
		slog.ErrorContext(r.Context(), "request failed; the page shows it inline", "request_id", requestID(r),
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
	return msg
}

// errBadJSON is an API request whose body is not the JSON asked for.
var errBadJSON = refusal.Bad("web", "bad_json", "请求体不是有效的 JSON")

// readJSON decodes an API request's body (at most 64 KiB) into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	return nil
}
