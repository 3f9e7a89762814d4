package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// TestFailMapsEveryError pins the one error path: each kind of error a
// handler returns becomes one status and one message, and every fault of
// ours is in the log with its cause and the request id (WeKnora pins each
// error → status the same way). Not parallel: it swaps the default logger.
func TestFailMapsEveryError(t *testing.T) {
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	logged := &recordLines{}
	old := slog.Default()
	slog.SetDefault(slog.New(logged))
	t.Cleanup(func() { slog.SetDefault(old) })

	cause := errors.New("database is locked")
	for _, c := range []struct {
		name   string
		err    error
		status int
		msg    string
		logged bool
	}{
		{"booking refusal", fmt.Errorf("book: %w", booking.ErrFull), 422, booking.ErrFull.UserMessage(), false},
		{"booking not found", booking.ErrNotFound, 404, booking.ErrNotFound.UserMessage(), false},
		{"booking code or digits wrong", booking.ErrNoMatch, 404, booking.ErrNoMatch.UserMessage(), false},
		{"doorstep refusal", doorstep.ErrDuplicate, 422, doorstep.ErrDuplicate.UserMessage(), false},
		{"doorstep not found", doorstep.ErrNotFound, 404, doorstep.ErrNotFound.UserMessage(), false},
		{"malformed request", errBadJSON, 400, errBadJSON.UserMessage(), false},
		{"state conflict", kb.ErrIllegalMove, 409, kb.ErrIllegalMove.UserMessage(), false},
		{"account refusal", auth.ErrLastAdmin, 422, auth.ErrLastAdmin.UserMessage(), false},
		{"storage unavailable", unavailable(kbDown, cause), 503, kbDown, true},
		{"plain error", cause, 503, busy, true},
		{"outside service", upstream("语音识别暂时不可用，请改用文字输入。", cause), 502, "语音识别暂时不可用", true},
		{"our own fault", broken("文件生成失败，请稍后再试。", cause), 500, "文件生成失败", true},
		{"rate limit", &tooMany{wait: 90e9, msg: "查询次数过多"}, 429, "查询次数过多", false},
	} {
		for _, path := range []string{"/api/v1/x", "/x"} {
			logged.reset()
			req := httptest.NewRequest("GET", path, nil)
			req = req.WithContext(context.WithValue(req.Context(), requestIDKey, &requestInfo{id: "rid-" + c.name}))
			w := httptest.NewRecorder()
			e.s.fail(w, req, c.err)
			body := w.Body.String()
			if w.Code != c.status || !strings.Contains(body, c.msg) {
				t.Errorf("%s at %s = %d %.200s, want %d %q", c.name, path, w.Code, body, c.status, c.msg)
			}
			if strings.Contains(body, "database is locked") {
				t.Errorf("%s at %s shows the cause: %.200s", c.name, path, body)
			}
			got := logged.text()
			if c.logged != strings.Contains(got, "database is locked") || c.logged != strings.Contains(got, "rid-"+c.name) {
				t.Errorf("%s at %s: logged %q, want the cause and request id logged = %v", c.name, path, got, c.logged)
			}
		}
	}
}

// TestEveryRefusalIsA4xx walks every refusal the packages behind the web
// declare: each answers a 4xx with its own message, and none is logged as
// a fault.
func TestEveryRefusalIsA4xx(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	all := refusal.All()
	if len(all) < 50 {
		t.Fatalf("only %d refusals declared", len(all))
	}
	for _, r := range all {
		w := httptest.NewRecorder()
		e.s.fail(w, httptest.NewRequest("GET", "/api/v1/x", nil), fmt.Errorf("wrapped: %w", r))
		if w.Code < 400 || w.Code > 499 || w.Code == 429 || !strings.Contains(w.Body.String(), jsonText(r.UserMessage())) {
			t.Errorf("%s = %d %s", r.Key(), w.Code, w.Body.String())
		}
	}
}

// jsonText is s as encoding/json writes it without HTML escaping.
func jsonText(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }

// recordLines collects every record at ERROR or above with its attributes.
type recordLines struct {
	errorLines
}

func (h *recordLines) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, b.String())
	return nil
}

func (h *recordLines) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = nil
}

func (h *recordLines) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}

func (h *recordLines) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordLines) WithGroup(string) slog.Handler      { return h }

var _ http.Handler = (*Server)(nil)
