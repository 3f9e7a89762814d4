package llm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, want string }{
		{"http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/chat/completions"},
		{"http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1/chat/completions"},
		{"http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1/chat/completions"},
		{"https://gw.example.gov.cn/v1/", "https://gw.example.gov.cn/v1/chat/completions"},
		{"https://open.example.cn/api/paas/v4", "https://open.example.cn/api/paas/v4/chat/completions"},
		{"127.0.0.1:8000", ""},
		{"ftp://h/v1", ""},
		{"http:///v1", ""},
	} {
		got, err := endpoint(tc.base, "chat/completions")
		if tc.want == "" {
			if err == nil {
				t.Errorf("endpoint(%q) accepted: %s", tc.base, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("endpoint(%q) = %q, %v; want %q", tc.base, got, err, tc.want)
		}
	}
}

// rawClient answers every request with the given body and content type,
// without a network.
func rawClient(t testing.TB, contentType string, body []byte) *Client {
	t.Helper()
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {contentType}},
			Body:       io.NopCloser(bytes.NewReader(body)),
			Request:    r,
		}, nil
	})
	c, err := New(Config{BaseURL: "http://fake.invalid/v1", Model: "m", HTTPClient: &http.Client{Transport: rt},
		FirstTokenTimeout: time.Second, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

const (
	ev1  = `{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`
	ev2  = `{"choices":[{"index":0,"delta":{"content":"你好"}}]}`
	ev3  = `{"choices":[{"index":0,"delta":{"content":"，世界"}}]}`
	evF  = `{"model":"served-model","choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"total_tokens":7}}`
	done = "data: [DONE]\n\n"
)

// The event-stream reader is lenient where servers differ and strict where
// the answer would be incomplete.
func TestStreamFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ctype, body string
		want              string
		wantErr           error
	}{
		{"plain", "text/event-stream", "data: " + ev1 + "\n\ndata: " + ev2 + "\n\ndata: " + ev3 + "\n\n" + done, "你好，世界", nil},
		{"crlf, comments, event names, no space", "text/event-stream; charset=utf-8",
			": ping\r\n\r\nevent: message\r\nid: 1\r\ndata:" + ev2 + "\r\n\r\nretry: 10\r\n\r\ndata: " + ev3 + "\r\n\r\ndata: [DONE]\r\n\r\n", "你好，世界", nil},
		{"finish reason, no [DONE]", "text/event-stream", "data: " + ev2 + "\n\ndata: " + evF + "\n\n", "你好", nil},
		{"last event without blank line", "text/event-stream", "data: " + ev2 + "\n\ndata: [DONE]\n", "你好", nil},
		{"other choices ignored", "text/event-stream", "data: " + strings.Replace(ev3, `"index":0`, `"index":1`, 1) + "\n\ndata: " + ev2 + "\n\n" + done, "你好", nil},
		{"one JSON answer despite stream", "application/json", `{"choices":[{"message":{"content":"整段回答"},"finish_reason":"stop"}]}`, "整段回答", nil},
		{"nothing", "text/event-stream", "", "", ErrTruncated},
		{"no end", "text/event-stream", "data: " + ev2 + "\n\n", "你好", ErrTruncated},
		{"cut mid-line", "text/event-stream", "data: " + ev2 + "\n\ndata: {\"choices\":[{\"in", "你好", ErrTruncated},
		{"not JSON", "text/event-stream", "data: " + ev2 + "\n\ndata: {oops}\n\n" + done, "你好", ErrMalformed},
		{"HTML", "text/html", "<html>502</html>", "", ErrMalformed},
		{"JSON garbage", "application/json", "{]", "", ErrMalformed},
		{"junk lines only", "text/plain", "hello\nworld\n", "", ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := rawClient(t, tc.ctype, []byte(tc.body))
			var streamed strings.Builder
			resp, err := c.Stream(context.Background(), ChatRequest{Messages: []Message{{Role: RoleUser, Content: "q"}}}, func(d string) error {
				streamed.WriteString(d)
				return nil
			})
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if resp.Content != tc.want || streamed.String() != tc.want {
				t.Fatalf("content %q, streamed %q, want %q", resp.Content, streamed.String(), tc.want)
			}
		})
	}
	// Model, finish reason and usage come from the stream.
	c := rawClient(t, "text/event-stream", []byte("data: "+ev2+"\n\ndata: "+evF+"\n\n"+done))
	resp, err := c.Stream(context.Background(), ChatRequest{Messages: []Message{{Role: RoleUser, Content: "q"}}}, nil)
	if err != nil || resp.Model != "served-model" || resp.FinishReason != "length" || resp.Usage.TotalTokens != 7 {
		t.Fatalf("resp %+v, %v", resp, err)
	}
}

func TestParseAPIError(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"error":{"message":"model not found","type":"invalid_request_error","code":"model_not_found"}}`: "model not found",
		`{"error":"rate limited"}`:              "rate limited",
		`{"detail":"Not Found"}`:                "Not Found",
		`<html>Bad Gateway</html>`:              "<html>Bad Gateway</html>",
		strings.Repeat("x", 1000):               strings.Repeat("x", 300) + "…",
		`{"detail":[{"msg":"field required"}]}`: `[{"msg":"field required"}]`,
	} {
		if got := parseAPIError("chat", 502, []byte(body)).Message; got != want {
			t.Errorf("parseAPIError(%.40q) = %q, want %q", body, got, want)
		}
	}
}

// FuzzStream: whatever bytes the server sends, Stream never panics, every
// failure is one of the typed errors, and the content handed out in pieces
// is the content returned.
func FuzzStream(f *testing.F) {
	f.Add([]byte("data: " + ev2 + "\n\n" + done))
	f.Add([]byte("data: " + ev2 + "\r\n\r\ndata: " + evF + "\r\n"))
	f.Add([]byte("data: {\"error\":{\"message\":\"x\"}}\n\n"))
	f.Add([]byte("data: {oops\n\n"))
	f.Add([]byte(":\n\ndata:\ndata:\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := rawClient(t, "text/event-stream", body)
		var streamed strings.Builder
		resp, err := c.Stream(context.Background(), ChatRequest{Messages: []Message{{Role: RoleUser, Content: "q"}}}, func(d string) error {
			streamed.WriteString(d)
			return nil
		})
		if resp.Content != streamed.String() {
			t.Fatalf("content %q != streamed %q", resp.Content, streamed.String())
		}
		var ae *APIError
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.As(err, &ae) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
