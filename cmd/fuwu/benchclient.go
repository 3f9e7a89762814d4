package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The load generator runs on the machine it loads, so what it spends is
// taken from the server: net/http's client costs two goroutines and their
// hand-offs per connection and request. For http:// URLs each
// conversation therefore speaks HTTP/1.1 itself over one kept-alive TCP
// connection: it writes the request, and reads and parses the whole
// response (status line, headers, the full body) with net/http's
// ReadResponse. https:// goes through net/http's client.

// poster sends one chat request and reads the full response body into
// into, returning the status code.
type poster interface {
	post(ctx context.Context, body []byte, into *bytes.Buffer) (int, error)
	// trace is the last response's benchTraceHeader, if any.
	trace() string
	close()
}

// benchTraceHeader is a response header a traced load run reads (see
// loadSpec.trace); servers do not send it.
const benchTraceHeader = "X-Fuwu-Bench-Trace"

// newPoster returns the client one conversation of the load uses.
func newPoster(rawURL string, shared *http.Client) (poster, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bench: url: %w", err)
	}
	if u.Scheme != "http" {
		return &stdPoster{url: rawURL, client: shared}, nil
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	path := u.RequestURI()
	head := "POST " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: fuwu-bench\r\nContent-Type: application/json\r\nContent-Length: "
	return &rawPoster{addr: host, head: head}, nil
}

// stdPoster is net/http's client.
type stdPoster struct {
	url    string
	client *http.Client
	last   string
}

func (p *stdPoster) trace() string { return p.last }

func (p *stdPoster) post(ctx context.Context, body []byte, into *bytes.Buffer) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	p.last = resp.Header.Get(benchTraceHeader)
	into.Reset()
	_, err = into.ReadFrom(resp.Body)
	return resp.StatusCode, err
}

func (p *stdPoster) close() {}

// rawPoster is HTTP/1.1 over one connection, redialled when the server
// closes it.
type rawPoster struct {
	addr string
	head string // request line and headers up to the Content-Length value
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	last string
}

func (p *rawPoster) trace() string { return p.last }

// rawTimeout bounds one request, as the standard client's Timeout did.
const rawTimeout = 30 * time.Second

func (p *rawPoster) post(ctx context.Context, body []byte, into *bytes.Buffer) (int, error) {
	if p.conn == nil {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", p.addr)
		if err != nil {
			return 0, err
		}
		p.conn = c
		if p.r == nil {
			p.r, p.w = bufio.NewReader(c), bufio.NewWriter(c)
		} else {
			p.r.Reset(c)
			p.w.Reset(c)
		}
	}
	status, keep, err := p.roundTrip(body, into)
	if err != nil || !keep {
		p.close()
	}
	return status, err
}

func (p *rawPoster) roundTrip(body []byte, into *bytes.Buffer) (status int, keep bool, err error) {
	if err := p.conn.SetDeadline(time.Now().Add(rawTimeout)); err != nil {
		return 0, false, err
	}
	p.w.WriteString(p.head)
	p.w.WriteString(strconv.Itoa(len(body)))
	p.w.WriteString("\r\n\r\n")
	p.w.Write(body)
	if err := p.w.Flush(); err != nil {
		return 0, false, err
	}
	resp, err := http.ReadResponse(p.r, nil)
	if err != nil {
		return 0, false, err
	}
	p.last = resp.Header.Get(benchTraceHeader)
	into.Reset()
	_, err = into.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, false, err
	}
	return resp.StatusCode, !resp.Close, nil
}

func (p *rawPoster) close() {
	if p.conn != nil {
		p.conn.Close()
		p.conn = nil
	}
}
