package assistant_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

// The whole path over HTTP: the assistant, the OpenAI-compatible client
// and a fake server speaking the protocol, streaming included.
func TestOverFakeEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		reply     llmtest.Reply
		generated bool
	}{
		{"streams a grounded answer", llmtest.Reply{Text: goodAnswer}, true},
		{"invented link", llmtest.Reply{Text: "请到 https://fake-gov.example/apply 申请 [FT-001]。"}, false},
		{"invented material", llmtest.Reply{Text: "请带出生医学证明和房产证 [FT-001]。"}, false},
		{"server 500", llmtest.Reply{Fail: llmtest.Status500}, false},
		{"hangs before the first token", llmtest.Reply{Text: goodAnswer, Fail: llmtest.HangBeforeFirstToken}, false},
		{"hangs before headers", llmtest.Reply{Text: goodAnswer, Fail: llmtest.HangBeforeHeaders}, false},
		{"closes mid-stream", llmtest.Reply{Text: goodAnswer, Fail: llmtest.CloseMidStream}, false},
		{"ends without done", llmtest.Reply{Text: goodAnswer, Fail: llmtest.EndWithoutDone}, false},
		{"garbage", llmtest.Reply{Fail: llmtest.Garbage}, false},
		{"error event in stream", llmtest.Reply{Text: goodAnswer, Fail: llmtest.ErrorInStream}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t)
			srv.Enqueue(tc.reply)
			cfg := srv.Config()
			cfg.FirstTokenTimeout = 500 * time.Millisecond
			cfg.Timeout = 3 * time.Second
			client, err := llm.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			as := demoAssistant(t, func(c *assistant.Config) {
				c.Model, c.ModelName = assistant.ChatModel(client), client.Model()
				c.FirstTokenTimeout = 500 * time.Millisecond
				c.ModelTimeout = 3 * time.Second
			})
			var pieces int
			r, err := as.Stream(context.Background(), assistant.Request{
				Message: "新生儿上户口要带什么材料？我的手机13812345678，身份证号110101199003071234",
			}, func(string) { pieces++ })
			if err != nil {
				t.Fatal(err)
			}
			if r.Generated != tc.generated || r.Status != assistant.Answered || r.Citations[0].ID != "FT-001" {
				t.Fatalf("generated %v (want %v), status %s: %q", r.Generated, tc.generated, r.Status, r.Answer)
			}
			if tc.generated && (pieces < 5 || !strings.HasSuffix(r.Answer, assistant.AILabel)) {
				t.Fatalf("not streamed token by token (%d pieces) or unlabelled: %q", pieces, r.Answer)
			}
			if !tc.generated && !strings.Contains(r.Answer, "出生医学证明（原件，1份）") {
				t.Fatalf("no complete fallback answer: %q", r.Answer)
			}
			for _, text := range srv.Texts() {
				if strings.Contains(text, "13812345678") || strings.Contains(text, "110101199003071234") {
					t.Fatalf("personal data reached the model: %q", text)
				}
			}
			if len(srv.Requests()) == 0 {
				t.Fatal("the fake server was never called")
			}
		})
	}
}
