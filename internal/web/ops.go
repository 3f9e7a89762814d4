package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// bindOps is what operators and their tools call: liveness, readiness and
// the Prometheus metrics (this address only with Config.MetricsToken).
func (s *Server) bindOps() {
	s.public("GET /healthz", s.healthz)
	s.public("GET /readyz", s.readyz)
	s.public("GET /metrics", s.metricsEndpoint)
}

// healthz answers while the process serves at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
	return nil
}

// readyz answers 200 when the service can take traffic (Config.Ready, or
// the catalogue's database answering within 3 s), 503 and the cause when
// not.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var err error
	if s.cfg.Ready != nil {
		err = s.cfg.Ready(ctx)
	} else {
		_, err = s.cfg.KB.Count(ctx)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		// The answer carries the cause for the operator's probe; the log
		// keeps it for whoever reads why the instance left the pool.
		slog.WarnContext(r.Context(), "not ready", "request_id", requestID(r), "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %v\n", err)
		return nil
	}
	_, _ = w.Write([]byte("ready\n"))
	return nil
}

// metricsEndpoint is /metrics on the public address: only for a scraper
// holding the metrics token. Without a token configured it does not exist
// there (404); metrics are then served by MetricsHandler on its own
// address.
func (s *Server) metricsEndpoint(w http.ResponseWriter, r *http.Request) error {
	tok := s.cfg.MetricsToken
	if tok == "" {
		s.renderError(w, r, http.StatusNotFound, "页面不存在。")
		return nil
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "unauthorized\n", http.StatusUnauthorized)
		return nil
	}
	s.metrics.serve(w, r)
	return nil
}

// MetricsHandler serves /metrics alone, without a token, for a listener
// on an internal address (fuwu serve --metrics-addr).
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.metrics.serve)
	return mux
}
