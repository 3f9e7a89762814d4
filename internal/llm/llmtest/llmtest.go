// Package llmtest is a fake OpenAI-compatible server for tests across Fuwu:
// scripted chat answers (whole or streamed in timed chunks), the failures a
// real endpoint shows (HTTP 500, hanging before the first token, closing
// mid-stream, garbage), deterministic embeddings in which similar texts get
// similar vectors, and fake transcription. It records every request it
// receives, so tests can assert that nothing unmasked ever reached a model.
// It listens on loopback only; nothing here touches the internet.
package llmtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Model names the fake server reports; any other name is accepted too.
const (
	ChatModel  = "fake-chat"
	EmbedModel = "fake-embed"
	STTModel   = "fake-stt"
	APIKey     = "fake-key"
	// Dim is the length of the fake embeddings.
	Dim = 256
)

// Failure is how the server misbehaves on one request.
type Failure int

const (
	OK                   Failure = iota
	Status500                    // HTTP 500 with an OpenAI error body (Reply.Status overrides the code)
	HangBeforeHeaders            // never answers, until the client gives up or the server closes
	HangBeforeFirstToken         // stream headers and a role-only chunk, then nothing
	CloseMidStream               // half the chunks, then the connection is cut
	EndWithoutDone               // half the chunks, then a clean end without finish reason or [DONE]
	Garbage                      // 200 with a body (or, streaming, an event) that is not JSON
	ErrorInStream                // half the chunks, then an error event
)

var failureNames = [...]string{"OK", "Status500", "HangBeforeHeaders", "HangBeforeFirstToken",
	"CloseMidStream", "EndWithoutDone", "Garbage", "ErrorInStream"}

func (f Failure) String() string {
	if int(f) < len(failureNames) {
		return failureNames[f]
	}
	return fmt.Sprintf("Failure(%d)", int(f))
}

// Reply scripts the answer to one chat request.
type Reply struct {
	Text   string        // the answer
	Chunks []string      // streamed pieces; default: Text in pieces of two characters
	Delay  time.Duration // before each streamed chunk, or before a whole answer
	Fail   Failure
	Status int    // HTTP status for Status500 (default 500)
	Finish string // finish reason (default "stop")
}

// DefaultText answers chat requests nothing was scripted for.
const DefaultText = "这是测试模型的回答。"

// Request is one request as the server received it.
type Request struct {
	Method, Path string
	Header       http.Header
	Body         []byte // raw body (multipart for transcriptions)
	Model        string
	Stream       bool
	Messages     []llm.Message // chat
	Input        []string      // embeddings
	// Transcriptions.
	Audio                      []byte
	Filename, Language, Prompt string
}

// Texts is every piece of text the request carried to the model: message
// contents, embedding inputs, the transcription prompt.
func (r Request) Texts() []string {
	var out []string
	for _, m := range r.Messages {
		out = append(out, m.Content)
	}
	out = append(out, r.Input...)
	if r.Prompt != "" {
		out = append(out, r.Prompt)
	}
	return out
}

// Server is the fake endpoint. Its zero value is not usable; call NewServer.
type Server struct {
	URL string // base URL including /v1, as llm.Config.BaseURL wants it

	srv     *httptest.Server
	closing chan struct{}
	once    sync.Once

	mu         sync.Mutex
	queue      []Reply
	respond    func(Request) Reply
	embedFail  Failure
	sttFail    Failure
	transcript string
	requests   []Request
	hanging    int
}

// NewServer starts a fake endpoint on loopback, closed when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{closing: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.Close)
	return s
}

// Hanging is how many requests have reached their scripted hang: what
// they send before it (a stream's headers and first chunk) is written.
// A test closing the server to release a hang waits for it first; the
// request being recorded is not enough.
func (s *Server) Hanging() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hanging
}

// Close stops the server, releasing requests that hang.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// Config points an llm.Config at the server with every model configured
// and time limits no healthy reply reaches (first token 30 s, total 60 s):
// on a machine loaded by a race-detector run, a first token took more than
// 2 s (TestStream, CI, 5 December 2026). A test about the limits sets
// short ones itself.
func (s *Server) Config() llm.Config {
	return llm.Config{
		BaseURL:           s.URL,
		APIKey:            APIKey,
		Model:             ChatModel,
		EmbedModel:        EmbedModel,
		STTModel:          STTModel,
		FirstTokenTimeout: 30 * time.Second,
		Timeout:           time.Minute,
	}
}

// Client is an llm client for Config.
func (s *Server) Client(t testing.TB) *llm.Client {
	t.Helper()
	c, err := llm.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Enqueue scripts the next chat answers, used in order.
func (s *Server) Enqueue(r ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, r...)
}

// Respond answers chat requests when the queue is empty (default: DefaultText).
func (s *Server) Respond(f func(Request) Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.respond = f
}

// FailEmbeddings makes every embeddings request fail with f (OK restores).
func (s *Server) FailEmbeddings(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedFail = f
}

// FailTranscriptions makes every transcription request fail with f.
func (s *Server) FailTranscriptions(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sttFail = f
}

// SetTranscript fixes the transcription result. When unset the uploaded
// audio, if it is UTF-8 text, is "transcribed" as itself, so a test can
// send the words it wants heard.
func (s *Server) SetTranscript(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transcript = text
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Texts is every text all requests carried (see Request.Texts).
func (s *Server) Texts() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Texts()...)
	}
	return out
}

// Reset forgets recorded requests, the queue and every failure setting.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue, s.requests, s.respond = nil, nil, nil
	s.embedFail, s.sttFail, s.transcript = OK, OK, ""
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "" {
		s.parse(&req, r)
	}
	s.record(req)
	if r.Header.Get("Authorization") != "Bearer "+APIKey {
		writeError(w, http.StatusUnauthorized, "invalid api key")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		writeJSON(w, map[string]any{"object": "list", "data": []map[string]string{
			{"id": ChatModel, "object": "model"}, {"id": EmbedModel, "object": "model"}, {"id": STTModel, "object": "model"}}})
	case r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions":
		s.chat(w, r, req)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/embeddings":
		s.embeddings(w, r, req)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/audio/transcriptions":
		s.transcription(w, r, req)
	default:
		writeError(w, http.StatusNotFound, "no route "+r.Method+" "+r.URL.Path)
	}
}

// parse fills the typed fields of req from its body.
func (s *Server) parse(req *Request, r *http.Request) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr := multipart.NewReader(strings.NewReader(string(req.Body)), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(p)
			switch p.FormName() {
			case "file":
				req.Audio, req.Filename = b, p.FileName()
			case "model":
				req.Model = string(b)
			case "language":
				req.Language = string(b)
			case "prompt":
				req.Prompt = string(b)
			}
		}
	}
	var j struct {
		Model    string          `json:"model"`
		Stream   bool            `json:"stream"`
		Messages []llm.Message   `json:"messages"`
		Input    json.RawMessage `json:"input"`
	}
	if json.Unmarshal(req.Body, &j) != nil {
		return
	}
	req.Model, req.Stream, req.Messages = j.Model, j.Stream, j.Messages
	var one string
	if json.Unmarshal(j.Input, &one) == nil {
		req.Input = []string{one}
	} else {
		_ = json.Unmarshal(j.Input, &req.Input)
	}
}

func (s *Server) next(req Request) Reply {
	s.mu.Lock()
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		return r
	}
	f := s.respond
	s.mu.Unlock()
	if f != nil {
		return f(req)
	}
	return Reply{Text: DefaultText}
}

// hang blocks until the client goes away or the server closes.
func (s *Server) hang(r *http.Request) {
	s.mu.Lock()
	s.hanging++
	s.mu.Unlock()
	select {
	case <-r.Context().Done():
	case <-s.closing:
	}
}

// sleep waits d unless the client goes away; it reports whether to go on.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request, req Request) {
	if len(req.Messages) == 0 {
		writeError(w, http.StatusBadRequest, "messages required")
		return
	}
	rep := s.next(req)
	model := req.Model
	if model == "" {
		model = ChatModel
	}
	finish := rep.Finish
	if finish == "" {
		finish = "stop"
	}
	switch rep.Fail {
	case Status500:
		code := rep.Status
		if code == 0 {
			code = http.StatusInternalServerError
		}
		writeError(w, code, "fake server failure")
		return
	case HangBeforeHeaders:
		s.hang(r)
		return
	}
	if !req.Stream {
		if rep.Fail == HangBeforeFirstToken {
			s.hang(r)
			return
		}
		if !s.sleep(r, rep.Delay) {
			return
		}
		if rep.Fail == Garbage {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `<html><body>502 Bad Gateway</body></html>`)
			return
		}
		if rep.Fail == CloseMidStream || rep.Fail == EndWithoutDone {
			// A body cut short: declared longer than what is sent.
			full := completionJSON(model, rep.Text, finish)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(len(full)))
			w.Write(full[:len(full)/2])
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(completionJSON(model, rep.Text, finish))
		return
	}

	chunks := rep.Chunks
	if chunks == nil {
		chunks = split(rep.Text, 2)
	}
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	event := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
			"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	event(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	if rep.Fail == HangBeforeFirstToken {
		s.hang(r)
		return
	}
	n := len(chunks)
	switch rep.Fail {
	case CloseMidStream, EndWithoutDone, ErrorInStream, Garbage:
		n = len(chunks) / 2
	}
	for _, c := range chunks[:n] {
		if !s.sleep(r, rep.Delay) {
			return
		}
		event(chunk(map[string]any{"content": c}, nil))
	}
	switch rep.Fail {
	case CloseMidStream:
		// Cut the connection: the chunked body never ends.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
		return
	case EndWithoutDone:
		return
	case ErrorInStream:
		event(map[string]any{"error": map[string]any{"message": "upstream overloaded", "type": "server_error", "code": 503}})
		return
	case Garbage:
		fmt.Fprint(w, "data: <html>oops</html>\n\n")
		return
	}
	event(chunk(map[string]any{}, finish))
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func completionJSON(model, text, finish string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "model": model,
		"choices": []map[string]any{{"index": 0, "message": map[string]string{"role": "assistant", "content": text}, "finish_reason": finish}},
		"usage":   map[string]int{"prompt_tokens": 10, "completion_tokens": utf8.RuneCountInString(text), "total_tokens": 10 + utf8.RuneCountInString(text)},
	})
	return b
}

// split cuts s into pieces of n characters.
func split(s string, n int) []string {
	var out []string
	r := []rune(s)
	for i := 0; i < len(r); i += n {
		out = append(out, string(r[i:min(i+n, len(r))]))
	}
	return out
}

// failCommon handles the failures every non-chat endpoint shares; it
// reports whether it answered.
func (s *Server) failCommon(w http.ResponseWriter, r *http.Request, f Failure) bool {
	switch f {
	case OK:
		return false
	case Status500:
		writeError(w, http.StatusInternalServerError, "fake server failure")
	case HangBeforeHeaders, HangBeforeFirstToken:
		s.hang(r)
	case Garbage:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data": [garbage`)
	default: // cut short
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"data": [`)
	}
	return true
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request, req Request) {
	s.mu.Lock()
	f := s.embedFail
	s.mu.Unlock()
	if s.failCommon(w, r, f) {
		return
	}
	if len(req.Input) == 0 {
		writeError(w, http.StatusBadRequest, "input required")
		return
	}
	data := make([]map[string]any, len(req.Input))
	for i, t := range req.Input {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": Embed(t)}
	}
	// Answer in reverse order: clients must sort by index.
	for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
		data[i], data[j] = data[j], data[i]
	}
	writeJSON(w, map[string]any{"object": "list", "model": firstOf(req.Model, EmbedModel), "data": data})
}

func (s *Server) transcription(w http.ResponseWriter, r *http.Request, req Request) {
	s.mu.Lock()
	f, text := s.sttFail, s.transcript
	s.mu.Unlock()
	if s.failCommon(w, r, f) {
		return
	}
	if len(req.Audio) == 0 || req.Model == "" {
		writeError(w, http.StatusBadRequest, "file and model required")
		return
	}
	if text == "" && utf8.Valid(req.Audio) {
		text = string(req.Audio)
	}
	writeJSON(w, map[string]string{"text": text})
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "fake_error", "code": code}})
}

// Embed is the fake embedding of text: character unigrams and bigrams
// (letters and digits only, lower-cased) hashed into Dim dimensions,
// bigrams weighted double, scaled to unit length. Texts that share words
// get similar vectors; the same text always gets the same vector.
func Embed(text string) []float32 {
	v := make([]float64, Dim)
	var rs []rune
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, unicode.ToLower(r))
		}
	}
	h := func(s string) int {
		f := fnv.New32a()
		f.Write([]byte(s))
		return int(f.Sum32() % Dim)
	}
	for i, r := range rs {
		v[h(string(r))]++
		if i+1 < len(rs) {
			v[h(string(rs[i:i+2]))] += 2
		}
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, Dim)
	if norm == 0 {
		out[0] = 1 // a fixed unit vector for texts with no letters
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// AssertNoPersonalData fails t for every text the server received that
// still holds personal data (an ID card, mobile or bank card number, an
// e-mail address), as privacy.Mask sees it.
func (s *Server) AssertNoPersonalData(t testing.TB) {
	t.Helper()
	for i, r := range s.Requests() {
		for _, text := range r.Texts() {
			if _, found := privacy.Mask(text); len(found) > 0 {
				t.Errorf("request %d (%s) carried %v unmasked: %q", i, r.Path, found, text)
			}
		}
	}
}
