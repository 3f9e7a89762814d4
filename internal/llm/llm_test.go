package llm_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

// The client satisfies search.Embedder without importing it.
var _ interface {
	Embed(context.Context, []string) ([][]float32, error)
} = (*llm.Client)(nil)

func userMsg(s string) []llm.Message { return []llm.Message{{Role: llm.RoleUser, Content: s}} }

func TestNoModel(t *testing.T) {
	t.Parallel()
	c, err := llm.New(llm.Config{})
	if c != nil || err != nil {
		t.Fatalf("New(zero) = %v, %v; want nil, nil", c, err)
	}
	ctx := context.Background()
	if c.HasChat() || c.HasEmbeddings() || c.HasTranscription() || c.Model() != "" {
		t.Fatal("nil client claims a model")
	}
	if _, err := c.Chat(ctx, llm.ChatRequest{Messages: userMsg("hi")}); !errors.Is(err, llm.ErrNotConfigured) {
		t.Errorf("Chat: %v", err)
	}
	if _, err := c.Stream(ctx, llm.ChatRequest{Messages: userMsg("hi")}, nil); !errors.Is(err, llm.ErrNotConfigured) {
		t.Errorf("Stream: %v", err)
	}
	if _, err := c.Embed(ctx, []string{"x"}); !errors.Is(err, llm.ErrNotConfigured) {
		t.Errorf("Embed: %v", err)
	}
	if _, err := c.Transcribe(ctx, strings.NewReader("x"), "a.wav", llm.TranscribeOptions{}); !errors.Is(err, llm.ErrNotConfigured) {
		t.Errorf("Transcribe: %v", err)
	}
	// An endpoint with a chat model only has no embeddings.
	s := llmtest.NewServer(t)
	cfg := s.Config()
	cfg.EmbedModel, cfg.STTModel = "", ""
	c, err = llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasChat() || c.HasEmbeddings() || c.HasTranscription() {
		t.Fatal("capabilities wrong")
	}
	if _, err := c.Embed(ctx, []string{"x"}); !errors.Is(err, llm.ErrNotConfigured) {
		t.Errorf("Embed without model: %v", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"FUWU_LLM_BASE_URL":            "http://127.0.0.1:8000/v1",
		"FUWU_LLM_MODEL":               "qwen3-8b",
		"FUWU_LLM_API_KEY":             "k",
		"FUWU_EMBED_MODEL":             "bge-m3",
		"FUWU_STT_MODEL":               "whisper",
		"FUWU_LLM_FIRST_TOKEN_TIMEOUT": "3s",
		"FUWU_LLM_TIMEOUT":             "1m",
	}
	cfg, err := llm.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := llm.Config{BaseURL: env["FUWU_LLM_BASE_URL"], Model: "qwen3-8b", APIKey: "k", EmbedModel: "bge-m3",
		STTModel: "whisper", FirstTokenTimeout: 3 * time.Second, Timeout: time.Minute}
	if cfg.BaseURL != want.BaseURL || cfg.Model != want.Model || cfg.APIKey != want.APIKey || cfg.EmbedModel != want.EmbedModel ||
		cfg.STTModel != want.STTModel || cfg.FirstTokenTimeout != want.FirstTokenTimeout || cfg.Timeout != want.Timeout {
		t.Fatalf("got %+v", cfg)
	}
	env["FUWU_LLM_TIMEOUT"] = "soon"
	if _, err := llm.ConfigFromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "FUWU_LLM_TIMEOUT") {
		t.Fatalf("bad duration: %v", err)
	}
	if _, err := llm.New(llm.Config{BaseURL: "127.0.0.1:8000"}); err == nil {
		t.Fatal("base URL without scheme accepted")
	}
}

func TestChat(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	s.Enqueue(llmtest.Reply{Text: "可以在网上办理。"})
	got, err := c.Chat(context.Background(), llm.ChatRequest{
		Messages:    []llm.Message{{Role: llm.RoleSystem, Content: "只根据资料回答"}, {Role: llm.RoleUser, Content: "能在网上办吗"}},
		Temperature: llm.Temperature(0),
		MaxTokens:   200,
		Extra:       map[string]any{"chat_template_kwargs": map[string]bool{"enable_thinking": false}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Content != "可以在网上办理。" || got.Model != llmtest.ChatModel || got.FinishReason != "stop" || got.Usage.TotalTokens == 0 {
		t.Fatalf("got %+v", got)
	}
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/v1/chat/completions" || r.Stream || r.Model != llmtest.ChatModel || len(r.Messages) != 2 ||
		r.Messages[1].Content != "能在网上办吗" || r.Header.Get("Authorization") != "Bearer "+llmtest.APIKey {
		t.Fatalf("request %+v", r)
	}
	for _, want := range []string{`"temperature":0`, `"max_tokens":200`, `"enable_thinking":false`} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("body lacks %s: %s", want, r.Body)
		}
	}
}

func TestStream(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	chunks := []string{"您", "可以", "携带", "身份证", "到", "福田区", "行政服务大厅", "办理。"}
	s.Enqueue(llmtest.Reply{Chunks: chunks, Delay: 5 * time.Millisecond})
	var got []string
	resp, err := c.Stream(context.Background(), llm.ChatRequest{Messages: userMsg("要带什么")}, func(d string) error {
		got = append(got, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != strings.Join(chunks, "|") {
		t.Fatalf("deltas %q, want %q", got, chunks)
	}
	if resp.Content != strings.Join(chunks, "") || resp.FinishReason != "stop" || resp.FirstToken <= 0 {
		t.Fatalf("resp %+v", resp)
	}
	if r := s.Requests()[0]; !r.Stream || r.Header.Get("Accept") != "text/event-stream" {
		t.Fatalf("request not streamed: %+v", r)
	}
}

// Every way the endpoint can fail ends in a typed error, quickly, with
// whatever arrived before it.
func TestStreamFailures(t *testing.T) {
	t.Parallel()
	text := "第一句。第二句。第三句。第四句。"
	cases := []struct {
		name        string
		reply       llmtest.Reply
		stream      bool
		check       func(error) bool
		wantPartial bool
	}{
		{"500", llmtest.Reply{Fail: llmtest.Status500}, true, isAPIError(500, true), false},
		{"429", llmtest.Reply{Fail: llmtest.Status500, Status: 429}, true, isAPIError(429, true), false},
		{"hang before headers", llmtest.Reply{Fail: llmtest.HangBeforeHeaders}, true, isTimeout("first token"), false},
		{"hang before first token", llmtest.Reply{Fail: llmtest.HangBeforeFirstToken}, true, isTimeout("first token"), false},
		{"slow overall", llmtest.Reply{Text: strings.Repeat(text, 5), Delay: 100 * time.Millisecond}, true, isTimeout("total"), true},
		{"close mid-stream", llmtest.Reply{Text: text, Fail: llmtest.CloseMidStream}, true, is(llm.ErrTruncated), true},
		{"end without done", llmtest.Reply{Text: text, Fail: llmtest.EndWithoutDone}, true, is(llm.ErrTruncated), true},
		{"garbage", llmtest.Reply{Text: text, Fail: llmtest.Garbage}, true, is(llm.ErrMalformed), true},
		{"error event", llmtest.Reply{Text: text, Fail: llmtest.ErrorInStream}, true, isAPIError(0, true), true},
		// The same failures without streaming.
		{"chat 500", llmtest.Reply{Fail: llmtest.Status500}, false, isAPIError(500, true), false},
		{"chat hang", llmtest.Reply{Fail: llmtest.HangBeforeHeaders}, false, isTimeout("total"), false},
		{"chat garbage", llmtest.Reply{Fail: llmtest.Garbage}, false, is(llm.ErrMalformed), false},
		{"chat cut short", llmtest.Reply{Text: text, Fail: llmtest.CloseMidStream}, false, is(llm.ErrTruncated), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := llmtest.NewServer(t)
			cfg := s.Config()
			// Short limits only where the case is about them, so that a
			// loaded machine does not turn other failures into timeouts.
			cfg.FirstTokenTimeout, cfg.Timeout = 5*time.Second, 10*time.Second
			switch {
			case tc.stream && (tc.reply.Fail == llmtest.HangBeforeHeaders || tc.reply.Fail == llmtest.HangBeforeFirstToken):
				// Only the first-token limit is short: with the total one
				// near it, a loaded machine could wake the total's timer
				// first (CI, 5 December 2026).
				cfg.FirstTokenTimeout = 300 * time.Millisecond
			case tc.reply.Fail == llmtest.HangBeforeHeaders || tc.reply.Fail == llmtest.HangBeforeFirstToken:
				cfg.FirstTokenTimeout, cfg.Timeout = 300*time.Millisecond, 600*time.Millisecond
			case tc.reply.Delay > 0:
				// The total only (the first token's limit, 5 s, is longer):
				// a first limit near the total failed the case on a loaded
				// machine (CI, 5 December 2026, the first token past 1 s).
				// The stream takes 4 s; the total ends it half-way.
				cfg.Timeout = 2 * time.Second
			}
			c, err := llm.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			s.Enqueue(tc.reply)
			var resp llm.ChatResponse
			var streamed strings.Builder
			if tc.stream {
				resp, err = c.Stream(context.Background(), llm.ChatRequest{Messages: userMsg("q")}, func(d string) error {
					streamed.WriteString(d)
					return nil
				})
			} else {
				resp, err = c.Chat(context.Background(), llm.ChatRequest{Messages: userMsg("q")})
			}
			if err == nil {
				t.Fatalf("no error; got %+v", resp)
			}
			if !tc.check(err) {
				t.Fatalf("wrong error %T: %v", err, err)
			}
			if resp.Content != streamed.String() {
				t.Fatalf("partial content %q differs from streamed %q", resp.Content, streamed.String())
			}
			full := tc.reply.Text
			if tc.wantPartial && (resp.Content == "" || !strings.HasPrefix(full, resp.Content) || resp.Content == full) {
				t.Fatalf("partial content %q is not a proper prefix of %q", resp.Content, full)
			}
			if !tc.wantPartial && resp.Content != "" {
				t.Fatalf("unexpected content %q", resp.Content)
			}
		})
	}
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

func isTimeout(stage string) func(error) bool {
	return func(err error) bool {
		var te *llm.TimeoutError
		return errors.As(err, &te) && te.Stage == stage && errors.Is(err, llm.ErrTimeout) && errors.Is(err, context.DeadlineExceeded)
	}
}

func isAPIError(status int, temporary bool) func(error) bool {
	return func(err error) bool {
		var ae *llm.APIError
		return errors.As(err, &ae) && ae.StatusCode == status && ae.Temporary() == temporary && ae.Message != ""
	}
}

func TestStreamCallerStops(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	text := strings.Repeat("很长的回答。", 20)

	// The caller's context ends: its error, not a timeout.
	s.Enqueue(llmtest.Reply{Text: text, Delay: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := c.Stream(ctx, llm.ChatRequest{Messages: userMsg("q")}, func(string) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	var te *llm.TimeoutError
	if !errors.Is(err, context.Canceled) || errors.As(err, &te) {
		t.Fatalf("cancel: %v", err)
	}

	// The caller's own deadline: DeadlineExceeded, not our TimeoutError.
	s.Enqueue(llmtest.Reply{Fail: llmtest.HangBeforeFirstToken})
	ctx, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, err = c.Stream(ctx, llm.ChatRequest{Messages: userMsg("q")}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) {
		t.Fatalf("caller deadline: %v", err)
	}

	// onDelta's error stops the stream and comes back.
	stop := errors.New("client went away")
	s.Enqueue(llmtest.Reply{Text: text})
	resp, err := c.Stream(context.Background(), llm.ChatRequest{Messages: userMsg("q")}, func(string) error { return stop })
	if !errors.Is(err, stop) || resp.Content == "" || resp.Content == text {
		t.Fatalf("onDelta error: %v, content %q", err, resp.Content)
	}
}

func TestWrongKey(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	cfg := s.Config()
	cfg.APIKey = "wrong"
	c, _ := llm.New(cfg)
	_, err := c.Chat(context.Background(), llm.ChatRequest{Messages: userMsg("q")})
	if !isAPIError(401, false)(err) {
		t.Fatalf("got %v", err)
	}
}

func TestConcurrentStreams(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	s.Respond(func(r llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Text: "回答：" + r.Messages[0].Content}
	})
	c := s.Client(t)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := strings.Repeat("问", i+1)
			resp, err := c.Stream(context.Background(), llm.ChatRequest{Messages: userMsg(q)}, nil)
			if err != nil || resp.Content != "回答："+q {
				t.Errorf("stream %d: %q %v", i, resp.Content, err)
			}
		}()
	}
	wg.Wait()
	if n := len(s.Requests()); n != 40 {
		t.Fatalf("%d requests recorded", n)
	}
}

func TestEmbed(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	cfg := s.Config()
	cfg.EmbedBatch = 3
	c, _ := llm.New(cfg)
	texts := []string{"生了孩子怎么上户口", "新生儿入户", "", "营业执照", "居住证", "社保卡", "公积金提取"}
	vecs, err := c.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("%d vectors", len(vecs))
	}
	for i, v := range vecs {
		want := llmtest.Embed(texts[i])
		if texts[i] == "" {
			want = llmtest.Embed(" ")
		}
		for j := range want {
			if v[j] != want[j] {
				t.Fatalf("vector %d (%q) out of order or wrong", i, texts[i])
			}
		}
	}
	var sizes []int
	for _, r := range s.Requests() {
		if r.Path != "/v1/embeddings" || r.Model != llmtest.EmbedModel {
			t.Fatalf("request %+v", r)
		}
		sizes = append(sizes, len(r.Input))
	}
	if len(sizes) != 3 || sizes[0] != 3 || sizes[1] != 3 || sizes[2] != 1 {
		t.Fatalf("batches %v, want [3 3 1]", sizes)
	}
	if v, err := c.Embed(context.Background(), nil); err != nil || len(v) != 0 {
		t.Fatalf("empty input: %v %v", v, err)
	}
}

func TestEmbedFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fail  llmtest.Failure
		check func(error) bool
	}{
		{llmtest.Status500, isAPIError(500, true)},
		{llmtest.Garbage, is(llm.ErrMalformed)},
		{llmtest.CloseMidStream, is(llm.ErrTruncated)},
		{llmtest.HangBeforeHeaders, isTimeout("total")},
	} {
		t.Run(tc.fail.String(), func(t *testing.T) {
			t.Parallel()
			s := llmtest.NewServer(t)
			cfg := s.Config()
			if tc.fail == llmtest.HangBeforeHeaders {
				cfg.Timeout = 300 * time.Millisecond
			}
			c, _ := llm.New(cfg)
			s.FailEmbeddings(tc.fail)
			if _, err := c.Embed(context.Background(), []string{"a", "b"}); !tc.check(err) {
				t.Fatalf("got %T %v", err, err)
			}
		})
	}
}

func TestTranscribe(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	ctx := context.Background()
	// The fake hears UTF-8 "audio" as itself.
	got, err := c.Transcribe(ctx, strings.NewReader(" 我想办居住证 "), "voice.webm", llm.TranscribeOptions{Language: "zh", Prompt: "福田区 居住证"})
	if err != nil || got != "我想办居住证" {
		t.Fatalf("got %q, %v", got, err)
	}
	r := s.Requests()[0]
	if r.Path != "/v1/audio/transcriptions" || r.Model != llmtest.STTModel || r.Filename != "voice.webm" ||
		r.Language != "zh" || r.Prompt != "福田区 居住证" || string(r.Audio) != " 我想办居住证 " {
		t.Fatalf("request %+v", r)
	}
	s.SetTranscript("营业执照怎么办")
	if got, err := c.Transcribe(ctx, strings.NewReader("\xff\xfe binary"), "", llm.TranscribeOptions{}); err != nil || got != "营业执照怎么办" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := c.Transcribe(ctx, strings.NewReader(""), "a.wav", llm.TranscribeOptions{}); err == nil {
		t.Fatal("empty audio accepted")
	}
	big := io.LimitReader(zeros{}, llm.DefaultMaxAudioBytes+1)
	if _, err := c.Transcribe(ctx, big, "a.wav", llm.TranscribeOptions{}); !errors.Is(err, llm.ErrAudioTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	s.FailTranscriptions(llmtest.Status500)
	if _, err := c.Transcribe(ctx, strings.NewReader("x"), "a.wav", llm.TranscribeOptions{}); !isAPIError(500, true)(err) {
		t.Fatalf("500: %v", err)
	}
	s.FailTranscriptions(llmtest.Garbage)
	if _, err := c.Transcribe(ctx, strings.NewReader("x"), "a.wav", llm.TranscribeOptions{}); !errors.Is(err, llm.ErrMalformed) {
		t.Fatalf("garbage: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// The client masks personal data itself before anything leaves.
func TestMasksBeforeSending(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	ctx := context.Background()
	const id, phone = "110101199003071233", "13812345678"
	if _, err := c.Stream(ctx, llm.ChatRequest{Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "大厅电话0755-83988110"},
		{Role: llm.RoleUser, Content: "我的身份证" + id + "，电话" + phone},
	}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Embed(ctx, []string{"电话" + phone}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Transcribe(ctx, strings.NewReader("语音"), "a.wav", llm.TranscribeOptions{Prompt: "身份证" + id}); err != nil {
		t.Fatal(err)
	}
	s.AssertNoPersonalData(t)
	all := strings.Join(s.Texts(), "\n")
	for _, want := range []string{"110101********1233", "138****5678", "0755-83988110"} {
		if !strings.Contains(all, want) {
			t.Errorf("server did not get %s: %s", want, all)
		}
	}
}
