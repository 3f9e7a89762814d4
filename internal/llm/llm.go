// Package llm talks to a language model: a small client for any
// OpenAI-compatible HTTP endpoint (vLLM, Ollama, llama.cpp server, DeepSeek,
// Qwen, a gateway) with chat completions, streamed token by token,
// embeddings and audio transcription.
//
// Every text sent (chat messages, embedding inputs, transcription prompts)
// passes through privacy.Mask first: callers mask too, this is the last
// line of defence.
//
// A nil *Client means "no model configured": every method then returns
// ErrNotConfigured, so callers fall back to their retrieval-only path
// without special cases.
//
// The client is written on net/http rather than on an SDK because the
// assistant depends on the edge cases SDKs blur: a time limit to the first
// token separate from the overall one, and a stream that stops before its
// [DONE] marker reported as truncated instead of as a normal end.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the time limits.
const (
	DefaultFirstTokenTimeout = 5 * time.Second
	DefaultTimeout           = 60 * time.Second
	DefaultEmbedBatch        = 64
	// DefaultMaxAudioBytes is the largest upload Transcribe sends (the
	// OpenAI limit).
	DefaultMaxAudioBytes = 25 << 20
)

// Config says which endpoint and models to use. The zero Config (no
// BaseURL) means no model.
type Config struct {
	BaseURL string // e.g. http://127.0.0.1:8000/v1; a bare host gets /v1
	APIKey  string // sent as "Authorization: Bearer …" when set
	Model   string // chat model; empty disables chat

	EmbedModel   string // empty disables embeddings
	EmbedBaseURL string // optional: embeddings served elsewhere
	EmbedBatch   int    // texts per embeddings request (default 64)

	STTModel   string // speech-to-text model; empty disables transcription
	STTBaseURL string // optional: transcription served elsewhere

	// FirstTokenTimeout bounds the wait from sending a streamed request to
	// its first content token; Timeout bounds a whole call.
	FirstTokenTimeout time.Duration
	Timeout           time.Duration

	// HTTPClient is used when set (tests, custom proxies); its own Timeout
	// should be zero, the limits above apply.
	HTTPClient *http.Client
}

// ConfigFromEnv reads FUWU_LLM_BASE_URL, FUWU_LLM_API_KEY, FUWU_LLM_MODEL,
// FUWU_EMBED_MODEL, FUWU_EMBED_BASE_URL, FUWU_STT_MODEL, FUWU_STT_BASE_URL,
// FUWU_LLM_FIRST_TOKEN_TIMEOUT and FUWU_LLM_TIMEOUT (Go durations, "5s").
// getenv is the caller's reading of the environment (cmd/fuwu reads its
// settings in one place); nil reads nothing.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	c := Config{
		BaseURL:      getenv("FUWU_LLM_BASE_URL"),
		APIKey:       getenv("FUWU_LLM_API_KEY"),
		Model:        getenv("FUWU_LLM_MODEL"),
		EmbedModel:   getenv("FUWU_EMBED_MODEL"),
		EmbedBaseURL: getenv("FUWU_EMBED_BASE_URL"),
		STTModel:     getenv("FUWU_STT_MODEL"),
		STTBaseURL:   getenv("FUWU_STT_BASE_URL"),
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{
		{"FUWU_LLM_FIRST_TOKEN_TIMEOUT", &c.FirstTokenTimeout},
		{"FUWU_LLM_TIMEOUT", &c.Timeout},
	} {
		if v := getenv(d.env); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x < 0 {
				return Config{}, fmt.Errorf("%s=%q: want a duration such as 5s", d.env, v)
			}
			*d.dst = x
		}
	}
	return c, nil
}

// RegisterFlags binds the configuration to command-line flags whose names
// match the environment variables (--llm-base-url ↔ FUWU_LLM_BASE_URL), so
// the command's usual "flag, else FUWU_* variable" rule applies.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, "llm-base-url", c.BaseURL, "OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (empty: no model)")
	fs.StringVar(&c.APIKey, "llm-api-key", c.APIKey, "API key for the endpoint")
	fs.StringVar(&c.Model, "llm-model", c.Model, "chat model name")
	fs.StringVar(&c.EmbedModel, "embed-model", c.EmbedModel, "embedding model name (empty: no embeddings)")
	fs.StringVar(&c.EmbedBaseURL, "embed-base-url", c.EmbedBaseURL, "embeddings endpoint when not the chat one")
	fs.StringVar(&c.STTModel, "stt-model", c.STTModel, "speech-to-text model name (empty: no transcription)")
	fs.StringVar(&c.STTBaseURL, "stt-base-url", c.STTBaseURL, "transcription endpoint when not the chat one")
	fs.DurationVar(&c.FirstTokenTimeout, "llm-first-token-timeout", c.FirstTokenTimeout, "longest wait for the first streamed token")
	fs.DurationVar(&c.Timeout, "llm-timeout", c.Timeout, "longest model call")
}

// Client calls an OpenAI-compatible endpoint. It is safe for concurrent
// use. A nil *Client is valid and has no model.
type Client struct {
	cfg      Config
	chatURL  string
	embedURL string
	sttURL   string
	hc       *http.Client
}

// New checks cfg and returns a client, or nil (and no error) when cfg
// names no endpoint at all: that is the "no model" configuration.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" && cfg.EmbedBaseURL == "" && cfg.STTBaseURL == "" {
		return nil, nil
	}
	if cfg.FirstTokenTimeout <= 0 {
		cfg.FirstTokenTimeout = DefaultFirstTokenTimeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.EmbedBatch <= 0 {
		cfg.EmbedBatch = DefaultEmbedBatch
	}
	c := &Client{cfg: cfg, hc: cfg.HTTPClient}
	if c.hc == nil {
		// The transport's own proxy rules apply (loopback is never proxied).
		c.hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	var err error
	if cfg.BaseURL != "" {
		if c.chatURL, err = endpoint(cfg.BaseURL, "chat/completions"); err != nil {
			return nil, err
		}
	}
	if c.embedURL, err = endpoint(firstOf(cfg.EmbedBaseURL, cfg.BaseURL), "embeddings"); err != nil {
		return nil, err
	}
	if c.sttURL, err = endpoint(firstOf(cfg.STTBaseURL, cfg.BaseURL), "audio/transcriptions"); err != nil {
		return nil, err
	}
	return c, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// endpoint joins base and the API path. A base with no path ("http://h:8000")
// gets the conventional /v1; any other path is kept as given, since gateways
// use their own prefixes (/api/paas/v4).
func endpoint(base, path string) (string, error) {
	if base == "" {
		return "", nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("llm: base URL %q: want http(s)://host[:port][/path]", base)
	}
	p := strings.TrimRight(u.Path, "/")
	if p == "" {
		p = "/v1"
	}
	u.Path = p + "/" + path
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// HasChat, HasEmbeddings and HasTranscription report what is configured;
// they are false on a nil client.
func (c *Client) HasChat() bool          { return c != nil && c.chatURL != "" && c.cfg.Model != "" }
func (c *Client) HasEmbeddings() bool    { return c != nil && c.embedURL != "" && c.cfg.EmbedModel != "" }
func (c *Client) HasTranscription() bool { return c != nil && c.sttURL != "" && c.cfg.STTModel != "" }

// Model is the configured chat model ("" on a nil client).
func (c *Client) Model() string {
	if c == nil {
		return ""
	}
	return c.cfg.Model
}

// EmbedModel is the configured embedding model ("" on a nil client).
func (c *Client) EmbedModel() string {
	if c == nil {
		return ""
	}
	return c.cfg.EmbedModel
}

// Config returns the effective configuration (defaults filled in).
func (c *Client) Config() Config {
	if c == nil {
		return Config{}
	}
	return c.cfg
}

// ErrNotConfigured is returned by a nil client, or when the model the call
// needs is not configured.
var ErrNotConfigured = errors.New("llm: no model configured")

// ErrTimeout is matched (errors.Is) by every *TimeoutError.
var ErrTimeout = errors.New("llm: timeout")

// ErrMalformed means the endpoint answered something that is not the
// OpenAI-compatible format: garbage JSON, HTML from a proxy, a wrong count
// of embeddings.
var ErrMalformed = errors.New("llm: malformed response")

// ErrTruncated means a streamed answer ended before its end marker: the
// connection closed or the server stopped mid-stream.
var ErrTruncated = errors.New("llm: stream truncated")

// TimeoutError is one of the client's own time limits running out. (The
// caller's context ending is reported as the context's error instead.)
type TimeoutError struct {
	Op    string        // "chat", "chat stream", "embeddings", "transcription"
	Stage string        // "first token" or "total"
	Limit time.Duration // the limit that ran out
}

func (e *TimeoutError) Error() string {
	if e.Stage == "first token" {
		return fmt.Sprintf("llm %s: no first token within %s", e.Op, e.Limit)
	}
	return fmt.Sprintf("llm %s: not complete within %s", e.Op, e.Limit)
}

// Is makes errors.Is(err, ErrTimeout) and errors.Is(err,
// context.DeadlineExceeded) true.
func (e *TimeoutError) Is(target error) bool {
	return target == ErrTimeout || target == context.DeadlineExceeded
}

// APIError is an error the endpoint reported: a non-2xx HTTP status, or an
// error object inside a stream (StatusCode 0 then).
type APIError struct {
	Op         string
	StatusCode int
	Message    string
	Type, Code string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "llm %s: ", e.Op)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	} else {
		b.WriteString("error in stream")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Temporary reports whether trying again later may succeed (rate limits,
// server errors, errors inside a stream).
func (e *APIError) Temporary() bool {
	return e.StatusCode == 0 || e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// apiErrorBody is the OpenAI error envelope; servers vary, so message may
// also be a top-level string or FastAPI's "detail".
type apiErrorBody struct {
	Error  json.RawMessage `json:"error"`
	Detail json.RawMessage `json:"detail"`
}

type apiErrorObject struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Code    any    `json:"code"`
}

// parseAPIError builds an APIError from an error body, best effort.
func parseAPIError(op string, status int, body []byte) *APIError {
	e := &APIError{Op: op, StatusCode: status}
	var env apiErrorBody
	if json.Unmarshal(body, &env) == nil {
		var obj apiErrorObject
		var s string
		switch {
		case len(env.Error) > 0 && json.Unmarshal(env.Error, &obj) == nil && obj.Message != "":
			e.Message, e.Type = obj.Message, obj.Type
			if obj.Code != nil {
				e.Code = fmt.Sprint(obj.Code)
			}
		case len(env.Error) > 0 && json.Unmarshal(env.Error, &s) == nil:
			e.Message = s
		case len(env.Detail) > 0:
			if json.Unmarshal(env.Detail, &s) != nil {
				s = string(env.Detail)
			}
			e.Message = s
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
	}
	e.Message = clip(e.Message, 300)
	return e
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// limits runs one call under the client's time limits. Stop the first-token
// timer with gotFirst; err translates a failure into a TimeoutError when one
// of our own limits, not the caller's context, caused it.
type limits struct {
	ctx    context.Context
	cancel context.CancelFunc
	op     string
	first  *time.Timer
	total  *time.Timer
	fired  chan string // stage that fired, buffered 1
	cfg    *Config
}

func (c *Client) startLimits(ctx context.Context, op string, firstToken bool) *limits {
	l := &limits{op: op, fired: make(chan string, 1), cfg: &c.cfg}
	l.ctx, l.cancel = context.WithCancel(ctx)
	fire := func(stage string) func() {
		return func() {
			select {
			case l.fired <- stage:
			default:
			}
			l.cancel()
		}
	}
	l.total = time.AfterFunc(c.cfg.Timeout, fire("total"))
	if firstToken && c.cfg.FirstTokenTimeout < c.cfg.Timeout {
		l.first = time.AfterFunc(c.cfg.FirstTokenTimeout, fire("first token"))
	}
	return l
}

func (l *limits) gotFirst() {
	if l.first != nil {
		l.first.Stop()
	}
}

func (l *limits) stop() {
	l.total.Stop()
	if l.first != nil {
		l.first.Stop()
	}
	l.cancel()
}

// err wraps a failure: our own timer beats everything, then the caller's
// context, then the failure itself.
func (l *limits) err(what string, err error) error {
	select {
	case stage := <-l.fired:
		l.fired <- stage // keep it for later calls
		lim := l.cfg.Timeout
		if stage == "first token" {
			lim = l.cfg.FirstTokenTimeout
		}
		return &TimeoutError{Op: l.op, Stage: stage, Limit: lim}
	default:
	}
	if l.ctx.Err() != nil {
		return fmt.Errorf("llm %s: %w", l.op, context.Cause(l.ctx))
	}
	if what != "" {
		return fmt.Errorf("llm %s: %s: %w", l.op, what, err)
	}
	return fmt.Errorf("llm %s: %w", l.op, err)
}

// post sends a request and returns the response when it is 2xx; any other
// status becomes an *APIError.
func (c *Client) post(l *limits, url, contentType string, body io.Reader, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(l.ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, fmt.Errorf("llm %s: %w", l.op, err)
	}
	req.Header.Set("Content-Type", contentType)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, l.err("", err)
	}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
		resp.Body.Close()
		return nil, parseAPIError(l.op, resp.StatusCode, b)
	}
	return resp, nil
}
