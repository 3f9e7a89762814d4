package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// The load generator's own HTTP/1.1 client sends the body whole, reads
// the full reply (in chunks or by its length), keeps its connection, and
// dials again when the server closes it.
func TestRawPoster(t *testing.T) {
	var conns atomic.Int32
	big := strings.Repeat("答", 20000) // longer than one read buffer
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/chat" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request line or headers", http.StatusBadRequest)
			return
		}
		switch string(body) {
		case "close":
			w.Header().Set("Connection", "close")
		case "short": // a body net/http sends with its length, not in chunks
			w.Header().Set(benchTraceHeader, "traced")
			w.Header().Set("X-Long", strings.Repeat("x", 5000)) // longer than the read buffer
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, "短")
			return
		}
		io.WriteString(w, string(body)+big)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	p, err := newPoster(srv.URL+"/api/v1/chat", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if _, ok := p.(*rawPoster); !ok {
		t.Fatalf("http:// URL got %T", p)
	}
	var out bytes.Buffer
	for i, c := range []struct {
		body  string
		conns int32
	}{
		{"一", 1}, {"二", 1}, {"short", 1}, {"close", 1}, {"三", 2},
	} {
		status, err := p.post(context.Background(), []byte(c.body), &out)
		want, wantStatus, wantTrace := c.body+big, http.StatusOK, ""
		if c.body == "short" {
			want, wantStatus, wantTrace = "短", http.StatusAccepted, "traced"
		}
		if err != nil || status != wantStatus {
			t.Fatalf("post %d: %d, %v", i, status, err)
		}
		if out.String() != want {
			t.Errorf("post %d: reply of %d bytes, want %d", i, out.Len(), len(want))
		}
		if got := p.trace(); got != wantTrace {
			t.Errorf("post %d: trace %q, want %q", i, got, wantTrace)
		}
		if n := conns.Load(); n != c.conns {
			t.Errorf("post %d: %d connections, want %d", i, n, c.conns)
		}
	}
}
