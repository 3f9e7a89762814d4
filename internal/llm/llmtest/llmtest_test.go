package llmtest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

func cos(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestEmbedSimilarity(t *testing.T) {
	t.Parallel()
	q := llmtest.Embed("生了孩子怎么上户口")
	near := llmtest.Embed("孩子出生后怎么办理上户口")
	far := llmtest.Embed("企业营业执照变更登记")
	if a, b := cos(q, near), cos(q, far); a <= b+0.2 {
		t.Fatalf("cos(near)=%.3f not clearly above cos(far)=%.3f", a, b)
	}
	if a := cos(q, llmtest.Embed("生了孩子怎么上户口")); math.Abs(a-1) > 1e-5 {
		t.Fatalf("same text cos=%f", a)
	}
	if a := cos(llmtest.Embed("ABC"), llmtest.Embed("abc")); math.Abs(a-1) > 1e-5 {
		t.Fatalf("case should not matter: %f", a)
	}
	for _, s := range []string{"", "？！", "x"} {
		v := llmtest.Embed(s)
		if len(v) != llmtest.Dim || math.Abs(cos(v, v)-1) > 1e-5 {
			t.Fatalf("Embed(%q) not a unit vector of Dim", s)
		}
	}
}

func TestScriptAndRecord(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	c := s.Client(t)
	ctx := context.Background()
	ask := func(q string) string {
		r, err := c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: q}}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Content
	}
	s.Enqueue(llmtest.Reply{Text: "一"}, llmtest.Reply{Text: "二"})
	s.Respond(func(r llmtest.Request) llmtest.Reply { return llmtest.Reply{Text: "echo:" + r.Messages[0].Content} })
	if got := []string{ask("a"), ask("b"), ask("c")}; got[0] != "一" || got[1] != "二" || got[2] != "echo:c" {
		t.Fatalf("got %q", got)
	}
	if _, err := c.Embed(ctx, []string{"嵌入文本"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Transcribe(ctx, stringsReader("语音"), "a.ogg", llm.TranscribeOptions{Prompt: "提示"}); err != nil {
		t.Fatal(err)
	}
	texts := s.Texts()
	want := []string{"a", "b", "c", "嵌入文本", "提示"}
	if len(texts) != len(want) {
		t.Fatalf("texts %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Fatalf("texts %q, want %q", texts, want)
		}
	}
	s.Reset()
	if len(s.Requests()) != 0 || ask("d") != llmtest.DefaultText {
		t.Fatal("Reset did not forget")
	}

	// Unknown routes and the model list.
	resp, err := http.Get(s.URL + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/models", nil)
	req.Header.Set("Authorization", "Bearer "+llmtest.APIKey)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("models: %d", resp.StatusCode)
	}
}

// Close releases a request that hangs, so tests never wait on the fake.
func TestCloseReleasesHang(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	cfg := s.Config()
	cfg.FirstTokenTimeout, cfg.Timeout = time.Minute, time.Minute
	c, _ := llm.New(cfg)
	s.Enqueue(llmtest.Reply{Fail: llmtest.HangBeforeFirstToken})
	done := make(chan error, 1)
	go func() {
		_, err := c.Stream(context.Background(), llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "q"}}}, nil)
		done <- err
	}()
	// Closed before the stream's headers were written, the request fails
	// as a refused connection, not as a stream cut short.
	for s.Hanging() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	s.Close()
	if err := <-done; !errors.Is(err, llm.ErrTruncated) {
		t.Fatalf("got %v", err)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}

// AssertNoPersonalData catches what a careless caller sends past the client.
func TestAssertNoPersonalData(t *testing.T) {
	t.Parallel()
	s := llmtest.NewServer(t)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/chat/completions",
		strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"电话13812345678"}]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+llmtest.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := &recorder{TB: t}
	s.AssertNoPersonalData(r)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "mobile") {
		t.Fatalf("errors %q", r.errors)
	}
}
