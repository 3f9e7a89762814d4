package web

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// latencyBuckets are the histogram's upper bounds in seconds: chat turns
// in retrieval-only mode take milliseconds, model turns seconds.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; last is +Inf
	sum    float64
	n      uint64
}

func (h *histogram) observe(v float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(latencyBuckets)+1)
	}
	i := sort.SearchFloat64s(latencyBuckets, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

type reqKey struct {
	route string
	code  int
}

// Metrics is a small Prometheus registry written by hand: the text
// exposition format needs no library.
type Metrics struct {
	mu        sync.Mutex
	requests  map[reqKey]uint64
	latency   map[string]*histogram
	answers   map[assistant.Status]uint64
	turnTimes histogram

	generated    atomic.Uint64
	fallbacks    atomic.Uint64
	rateLimited  atomic.Uint64
	csrfRefused  atomic.Uint64
	forbidden    atomic.Uint64
	loginFailed  atomic.Uint64
	loginBlocked atomic.Uint64
	feedback     [6]atomic.Uint64 // by score 1–5
	started      time.Time
}

// NewMetrics makes an empty registry.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{},
		answers: map[assistant.Status]uint64{}, started: time.Now()}
}

func (m *Metrics) observeRequest(route string, code int, d time.Duration) {
	m.mu.Lock()
	m.requests[reqKey{route, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{}
		m.latency[route] = h
	}
	h.observe(d.Seconds())
	m.mu.Unlock()
}

// ObserveReply counts a finished turn: its status, whether a model wrote
// it, and whether the model's answer was replaced by the composed one
// (Fallback: model down, slow, or caught by the output guard).
func (m *Metrics) ObserveReply(rep assistant.Reply, d time.Duration) {
	m.mu.Lock()
	m.answers[rep.Status]++
	m.turnTimes.observe(d.Seconds())
	m.mu.Unlock()
	if rep.Generated {
		m.generated.Add(1)
	}
	if rep.Fallback != "" {
		m.fallbacks.Add(1)
	}
}

// AnswerCounts returns the answers counted so far by status.
func (m *Metrics) AnswerCounts() map[assistant.Status]uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[assistant.Status]uint64, len(m.answers))
	for k, v := range m.answers {
		out[k] = v
	}
	return out
}

// serve writes the Prometheus text exposition as an HTTP answer.
func (m *Metrics) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.Write(w)
}

// Write writes the Prometheus text exposition.
func (m *Metrics) Write(w io.Writer) {
	var b strings.Builder
	m.mu.Lock()
	b.WriteString("# HELP fuwu_http_requests_total HTTP requests by route pattern and status code.\n# TYPE fuwu_http_requests_total counter\n")
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		return keys[i].code < keys[j].code
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "fuwu_http_requests_total{route=%s,code=\"%d\"} %d\n", quote(k.route), k.code, m.requests[k])
	}
	b.WriteString("# HELP fuwu_http_request_duration_seconds HTTP request latency by route pattern.\n# TYPE fuwu_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		writeHistogram(&b, "fuwu_http_request_duration_seconds", "route="+quote(r)+",", m.latency[r])
	}
	b.WriteString("# HELP fuwu_chat_turn_duration_seconds Time to answer one chat message.\n# TYPE fuwu_chat_turn_duration_seconds histogram\n")
	writeHistogram(&b, "fuwu_chat_turn_duration_seconds", "", &m.turnTimes)
	b.WriteString("# HELP fuwu_answers_total Chat answers by status.\n# TYPE fuwu_answers_total counter\n")
	for _, st := range []assistant.Status{assistant.Answered, assistant.Clarify, assistant.OutOfScope, assistant.Handoff} {
		fmt.Fprintf(&b, "fuwu_answers_total{status=%q} %d\n", st, m.answers[st])
	}
	m.mu.Unlock()
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("fuwu_model_answers_total", "Answers written by the language model.", m.generated.Load())
	counter("fuwu_model_fallbacks_total", "Turns where the model was unavailable and the retrieval-only answer was given.", m.fallbacks.Load())
	counter("fuwu_chat_rate_limited_total", "Chat requests refused by the per-address rate limit.", m.rateLimited.Load())
	counter("fuwu_csrf_refused_total", "Form posts refused for a missing or wrong CSRF token.", m.csrfRefused.Load())
	counter("fuwu_forbidden_total", "Console requests refused for lack of a role permission.", m.forbidden.Load())
	counter("fuwu_login_failures_total", "Failed staff logins.", m.loginFailed.Load())
	counter("fuwu_login_throttled_total", "Staff logins refused by the login rate limit.", m.loginBlocked.Load())
	b.WriteString("# HELP fuwu_feedback_total 好差评 ratings by score (1 非常不满意 … 5 非常满意).\n# TYPE fuwu_feedback_total counter\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, "fuwu_feedback_total{score=\"%d\"} %d\n", i, m.feedback[i].Load())
	}
	fmt.Fprintf(&b, "# HELP fuwu_uptime_seconds Seconds since the server started.\n# TYPE fuwu_uptime_seconds gauge\nfuwu_uptime_seconds %.0f\n", time.Since(m.started).Seconds())
	_, _ = io.WriteString(w, b.String())
}

func writeHistogram(b *strings.Builder, name, labels string, h *histogram) {
	var cum uint64
	for i, le := range latencyBuckets {
		if h.counts != nil {
			cum += h.counts[i]
		}
		fmt.Fprintf(b, "%s_bucket{%sle=\"%s\"} %d\n", name, labels, strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	fmt.Fprintf(b, "%s_bucket{%sle=\"+Inf\"} %d\n", name, labels, h.n)
	l := strings.TrimSuffix(labels, ",")
	if l != "" {
		l = "{" + l + "}"
	}
	sum := h.sum
	if math.IsNaN(sum) {
		sum = 0
	}
	fmt.Fprintf(b, "%s_sum%s %g\n%s_count%s %d\n", name, l, sum, name, l, h.n)
}

// quote escapes a label value per the exposition format.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
