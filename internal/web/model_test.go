package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

const groundedAnswer = "新生儿入户需要准备出生医学证明、父母双方居民户口簿、父母双方居民身份证和父母结婚证，均为原件 [FT-001]。可网上办理：https://fuwu.example/guide/FT-001"

// The web over the real assistant with a model behind a fake
// OpenAI-compatible endpoint: streamed tokens reach the resident, the AI
// label shows, a failing model falls back and is counted, and voice
// uploads are transcribed by the same endpoint.
func TestWithModel(t *testing.T) {
	t.Parallel()
	fake := llmtest.NewServer(t)
	client := fake.Client(t)
	db := sqliteDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kbs := kb.NewStore(db)
	if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}}); err != nil {
		t.Fatal(err)
	}
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	svc := realAssistant(ctx, t, kbs, ix, func(c *assistant.Config) {
		c.Model, c.ModelName = assistant.ChatModel(client), client.Model()
		c.FirstTokenTimeout, c.ModelTimeout = time.Second, 5*time.Second
	})
	e := newEnv(t, db, svc, func(c *Config) { c.Search, c.Transcriber = ix, ModelTranscriber(client) })
	c := e.client()

	fake.Enqueue(llmtest.Reply{Text: groundedAnswer})
	r := c.postJSON("/api/v1/chat/stream", map[string]string{"message": "新生儿上户口要带什么材料，我电话13812345678"})
	evs := readSSE(t, r.body)
	if len(evs) < 6 || evs[len(evs)-1][0] != "reply" {
		t.Fatalf("stream = %v", evs)
	}
	var rep apiReply
	_ = json.Unmarshal([]byte(evs[len(evs)-1][1]), &rep)
	if !rep.Generated || !strings.HasSuffix(rep.Answer, assistant.AILabel) {
		t.Fatalf("reply = %+v", rep)
	}
	// Nothing unmasked reached the model.
	for _, req := range fake.Requests() {
		if strings.Contains(string(req.Body), "13812345678") {
			t.Fatal("phone number sent to the model")
		}
	}
	page := c.get("/?c=" + rep.ConversationID).body
	if strings.Count(page, assistant.AILabel) != 1 || !strings.Contains(page, "出生医学证明") {
		t.Errorf("page shows the AI label %d times", strings.Count(page, assistant.AILabel))
	}

	fake.Enqueue(llmtest.Reply{Fail: llmtest.Status500})
	r = c.postJSON("/api/v1/chat", map[string]string{"message": "新生儿入户要带什么材料"})
	_ = json.Unmarshal([]byte(r.body), &rep)
	if rep.Generated || rep.Status != assistant.Answered || !strings.Contains(rep.Answer, "出生医学证明") {
		t.Errorf("fallback reply = %+v", rep)
	}
	m := scrape(e)
	for _, want := range []string{"fuwu_model_answers_total 1", "fuwu_model_fallbacks_total 1"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// Voice: the fake endpoint hears the uploaded text as itself.
	r = postAudio(c, []byte("居住证怎么办"))
	if r.code != 200 || !strings.Contains(r.body, "居住证怎么办") {
		t.Errorf("transcribe = %d %s", r.code, r.body)
	}
	fake.FailTranscriptions(llmtest.Status500)
	if r := postAudio(c, []byte("x")); r.code != 502 {
		t.Errorf("failing transcription = %d", r.code)
	}
}
