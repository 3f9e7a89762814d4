package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
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
// connection: it writes the request, and reads the whole response
// (status line, headers, the full body, by its length or in chunks)
// itself: net/http's ReadResponse built a header map and a Response for
// every reply, a twelfth of the process's CPU going to the load
// generator. https:// goes through net/http's client.

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
	long []byte // a header line longer than r's buffer (line)
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
	return p.readResponse(into)
}

// readResponse reads one HTTP/1.1 response into into (its body) and
// p.last (its benchTraceHeader); keep is false when the server closes
// the connection after it.
func (p *rawPoster) readResponse(into *bytes.Buffer) (status int, keep bool, err error) {
	line, err := p.line()
	if err != nil {
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, fmt.Errorf("bench: bad status line %.100q", line)
	}
	keep = line[7] == '1'
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, fmt.Errorf("bench: bad status line %.100q", line)
	}
	length, chunked := int64(-1), false
	p.last = ""
	for {
		if line, err = p.line(); err != nil {
			return 0, false, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, fmt.Errorf("bench: bad header line %.100q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return 0, false, fmt.Errorf("bench: bad Content-Length %.100q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
			if !chunked {
				return 0, false, fmt.Errorf("bench: Transfer-Encoding %.100q", value)
			}
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				keep = false
			}
		case bytes.EqualFold(name, []byte(benchTraceHeader)):
			p.last = string(value)
		}
	}
	into.Reset()
	switch {
	case status/100 == 1 || status == http.StatusNoContent || status == http.StatusNotModified:
		// no body
	case chunked:
		for {
			if line, err = p.line(); err != nil {
				return 0, false, err
			}
			if i := bytes.IndexByte(line, ';'); i >= 0 {
				line = line[:i]
			}
			n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
			if err != nil || n < 0 {
				return 0, false, fmt.Errorf("bench: bad chunk size %.100q", line)
			}
			if n == 0 {
				break
			}
			if _, err := io.CopyN(into, p.r, n); err != nil {
				return 0, false, err
			}
			if line, err = p.line(); err != nil || len(line) != 0 {
				return 0, false, fmt.Errorf("bench: chunk not ended by CRLF: %v", err)
			}
		}
		for { // trailers, up to the empty line
			if line, err = p.line(); err != nil {
				return 0, false, err
			}
			if len(line) == 0 {
				break
			}
		}
	case length >= 0:
		if _, err := io.CopyN(into, p.r, length); err != nil {
			return 0, false, err
		}
	default: // the body runs to the connection's end
		if _, err := into.ReadFrom(p.r); err != nil {
			return 0, false, err
		}
		keep = false
	}
	return status, keep, nil
}

// line reads one line without its CRLF (or LF); it is valid until the
// next read.
func (p *rawPoster) line() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull { // longer than the buffer: gather it
		p.long = append(p.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = p.r.ReadSlice('\n')
			p.long = append(p.long, line...)
		}
		line = p.long
	}
	if err != nil {
		return nil, err
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
	return line, nil
}

func (p *rawPoster) close() {
	if p.conn != nil {
		p.conn.Close()
		p.conn = nil
	}
}
