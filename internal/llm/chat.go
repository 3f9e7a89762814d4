package llm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is a chat completion request. Zero fields are left to the
// server's defaults.
type ChatRequest struct {
	Model       string // default: the configured chat model
	Messages    []Message
	Temperature *float64 // nil: server default; use Temperature(0) for greedy
	MaxTokens   int
	Stop        []string
	// Extra holds vendor parameters merged into the request body, e.g.
	// {"chat_template_kwargs": {"enable_thinking": false}} for Qwen3 on vLLM.
	Extra map[string]any
}

// Temperature returns a pointer for ChatRequest.Temperature.
func Temperature(t float64) *float64 { return &t }

// Usage is the token accounting a server reports (zero when it does not).
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// ChatResponse is a finished (or, with an error, partial) answer.
type ChatResponse struct {
	Content      string
	Model        string // as reported by the server, else as requested
	FinishReason string // "stop", "length", … ("" when the server sent none)
	Usage        Usage
	// FirstToken is the wait for the first content token (streams only).
	FirstToken time.Duration
}

// maxBody bounds what the client reads from one response or stream line.
const maxBody = 8 << 20

func (c *Client) chatBody(req ChatRequest, stream bool) ([]byte, string, error) {
	if !c.HasChat() {
		return nil, "", ErrNotConfigured
	}
	if len(req.Messages) == 0 {
		return nil, "", errors.New("llm chat: no messages")
	}
	model := req.Model
	if model == "" {
		model = c.cfg.Model
	}
	body := make(map[string]any, len(req.Extra)+6)
	for k, v := range req.Extra {
		body[k] = v
	}
	body["model"] = model
	// Defence in depth: callers mask personal data, and so does the client,
	// so that nothing unmasked ever leaves for a model.
	msgs := make([]Message, len(req.Messages))
	for i, m := range req.Messages {
		m.Content, _ = privacy.Mask(m.Content)
		msgs[i] = m
	}
	body["messages"] = msgs
	body["stream"] = stream
	if req.Temperature != nil {
		body["temperature"] = *req.Temperature
	}
	if req.MaxTokens > 0 {
		body["max_tokens"] = req.MaxTokens
	}
	if len(req.Stop) > 0 {
		body["stop"] = req.Stop
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, "", fmt.Errorf("llm chat: %w", err)
	}
	return b, model, nil
}

type completion struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage Usage           `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// Chat asks for a complete answer in one response. Only the overall
// timeout applies.
func (c *Client) Chat(ctx context.Context, req ChatRequest) (ChatResponse, error) {
	body, model, err := c.chatBody(req, false)
	if err != nil {
		return ChatResponse{}, err
	}
	l := c.startLimits(ctx, "chat", false)
	defer l.stop()
	resp, err := c.post(l, c.chatURL, "application/json", bytes.NewReader(body), "application/json")
	if err != nil {
		return ChatResponse{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return ChatResponse{}, l.err("reading answer", fmt.Errorf("%w: %v", ErrTruncated, err))
	}
	return decodeCompletion("chat", raw, model)
}

func decodeCompletion(op string, raw []byte, model string) (ChatResponse, error) {
	var cp completion
	if err := json.Unmarshal(raw, &cp); err != nil {
		return ChatResponse{}, fmt.Errorf("llm %s: %w: %v (body starts %q)", op, ErrMalformed, err, clip(string(raw), 60))
	}
	if len(cp.Error) > 0 && string(cp.Error) != "null" {
		return ChatResponse{}, parseAPIError(op, 0, raw)
	}
	if len(cp.Choices) == 0 {
		return ChatResponse{}, fmt.Errorf("llm %s: %w: no choices", op, ErrMalformed)
	}
	out := ChatResponse{Model: firstOf(cp.Model, model), FinishReason: cp.Choices[0].FinishReason, Usage: cp.Usage}
	if p := cp.Choices[0].Message.Content; p != nil {
		out.Content = *p
	}
	return out, nil
}

// streamChunk is one "data:" event of a streamed completion.
type streamChunk struct {
	Model   string `json:"model"`
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content *string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *Usage          `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// Stream asks for an answer streamed token by token, calling onDelta with
// each piece of content in order. It returns the whole answer, or an error
// and what arrived before it: an *APIError, a *TimeoutError (nothing
// within FirstTokenTimeout, or not finished within Timeout), ErrTruncated
// (the stream stopped before its end marker), ErrMalformed (the stream is
// not OpenAI-compatible), the caller's context error, or onDelta's own
// error, which stops the stream.
func (c *Client) Stream(ctx context.Context, req ChatRequest, onDelta func(string) error) (ChatResponse, error) {
	body, model, err := c.chatBody(req, true)
	if err != nil {
		return ChatResponse{}, err
	}
	start := time.Now()
	l := c.startLimits(ctx, "chat stream", true)
	defer l.stop()
	resp, err := c.post(l, c.chatURL, "application/json", bytes.NewReader(body), "text/event-stream")
	if err != nil {
		return ChatResponse{}, err
	}
	defer resp.Body.Close()
	out := ChatResponse{Model: model}
	var text strings.Builder
	deliver := func(s string) error {
		if s == "" {
			return nil
		}
		if text.Len() == 0 {
			l.gotFirst()
			out.FirstToken = time.Since(start)
		}
		text.WriteString(s)
		out.Content = text.String()
		if onDelta != nil {
			if err := onDelta(s); err != nil {
				return fmt.Errorf("llm chat stream: %w", err)
			}
		}
		return nil
	}

	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		// Some servers ignore "stream": true and answer in one piece.
		raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return out, l.err("reading answer", fmt.Errorf("%w: %v", ErrTruncated, err))
		}
		cr, err := decodeCompletion("chat stream", raw, model)
		if err != nil {
			return out, err
		}
		if err := deliver(cr.Content); err != nil {
			return out, err
		}
		cr.FirstToken = out.FirstToken
		return cr, nil
	case "text/html":
		return out, fmt.Errorf("llm chat stream: %w: got an HTML page, not an event stream", ErrMalformed)
	}

	sr := newSSEReader(resp.Body)
	for {
		data, err := sr.next()
		if err == io.EOF {
			if out.FinishReason != "" {
				// Ended without [DONE] but after a finish reason: some
				// servers do this; the answer is complete.
				return out, nil
			}
			return out, fmt.Errorf("llm chat stream: %w: ended without [DONE] after %d bytes", ErrTruncated, text.Len())
		}
		if err != nil {
			if errors.Is(err, ErrMalformed) {
				return out, fmt.Errorf("llm chat stream: %w", err)
			}
			return out, l.err("", fmt.Errorf("%w: %v", ErrTruncated, err))
		}
		if string(bytes.TrimSpace(data)) == "[DONE]" {
			return out, nil
		}
		var ch streamChunk
		if err := json.Unmarshal(data, &ch); err != nil {
			return out, fmt.Errorf("llm chat stream: %w: %v (event starts %q)", ErrMalformed, err, clip(string(data), 60))
		}
		if len(ch.Error) > 0 && string(ch.Error) != "null" {
			return out, parseAPIError("chat stream", 0, data)
		}
		if ch.Model != "" {
			out.Model = ch.Model
		}
		if ch.Usage != nil {
			out.Usage = *ch.Usage
		}
		for _, choice := range ch.Choices {
			if choice.Index != 0 {
				continue
			}
			if choice.Delta.Content != nil {
				if err := deliver(*choice.Delta.Content); err != nil {
					return out, err
				}
			}
			if choice.FinishReason != nil && *choice.FinishReason != "" {
				out.FinishReason = *choice.FinishReason
			}
		}
	}
}

// sseReader reads the data of Server-Sent Events: "data:" lines up to a
// blank line make one event; comments and other fields are skipped.
type sseReader struct {
	br   *bufio.Reader
	data []byte
	line []byte
}

func newSSEReader(r io.Reader) *sseReader { return &sseReader{br: bufio.NewReaderSize(r, 16<<10)} }

// next returns the next event's data. At a clean end it returns io.EOF,
// after handing out an event whose blank line never came (lenient: its
// lines were complete). A line cut off by the end of input is an
// io.ErrUnexpectedEOF; an overlong line is ErrMalformed.
func (s *sseReader) next() ([]byte, error) {
	s.data = s.data[:0]
	have := false
	for {
		line, err := s.readLine()
		if err == io.EOF {
			if have {
				return s.data, nil
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			if have {
				return s.data, nil
			}
			continue
		}
		if line[0] == ':' {
			continue // comment / keep-alive
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		if string(field) != "data" {
			continue // event:, id:, retry:, or junk
		}
		value = bytes.TrimPrefix(value, []byte(" "))
		if have {
			s.data = append(s.data, '\n')
		}
		s.data = append(s.data, value...)
		have = true
		if len(s.data) > maxBody {
			return nil, fmt.Errorf("%w: event longer than %d bytes", ErrMalformed, maxBody)
		}
	}
}

// readLine returns one line without its terminator.
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		frag, err := s.br.ReadSlice('\n')
		s.line = append(s.line, frag...)
		if len(s.line) > maxBody {
			return nil, fmt.Errorf("%w: line longer than %d bytes", ErrMalformed, maxBody)
		}
		switch err {
		case nil:
			l := s.line[:len(s.line)-1]
			return bytes.TrimSuffix(l, []byte("\r")), nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(s.line) == 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("last line cut off: %w", io.ErrUnexpectedEOF)
		default:
			return nil, err
		}
	}
}
