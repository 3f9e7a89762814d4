package assistant_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

// TestUnderstandWithModel drives the understanding path over the fake
// OpenAI-compatible server: a verified choice among the candidates
// settles a turn the lexicon could only ask about; anything else — an
// item that is not a candidate, prose, a server error, a hang — leaves
// the lexical decision standing.
func TestUnderstandWithModel(t *testing.T) {
	t.Parallel()
	// "居住证" alone is asked about (申领 or 签注): FT-002 and FT-003 are
	// among the candidates.
	const msg = "居住证 我电话13812345678"
	for _, tc := range []struct {
		name   string
		reply  llmtest.Reply
		status assistant.Status
		item   string
	}{
		{"verified choice", llmtest.Reply{Text: `{"question":"居住证快到期了怎么续签","item":"FT-003"}`}, assistant.Answered, "FT-003"},
		{"choice in a code fence", llmtest.Reply{Text: "```json\n{\"question\":\"怎么办居住证\",\"item\":\"FT-002\"}\n```"}, assistant.Answered, "FT-002"},
		{"not a candidate", llmtest.Reply{Text: `{"question":"护照怎么办","item":"FT-999"}`}, assistant.Clarify, ""},
		{"asks back", llmtest.Reply{Text: `{"question":"居住证","item":"ask"}`}, assistant.Clarify, ""},
		{"prose instead of JSON", llmtest.Reply{Text: "您要办的应该是 FT-003。"}, assistant.Clarify, ""},
		{"extra fields", llmtest.Reply{Text: `{"question":"q","item":"FT-003","note":"x"}`}, assistant.Clarify, ""},
		{"server 500", llmtest.Reply{Fail: llmtest.Status500}, assistant.Clarify, ""},
		{"hangs", llmtest.Reply{Text: `{"question":"q","item":"FT-003"}`, Fail: llmtest.HangBeforeFirstToken}, assistant.Clarify, ""},
		{"garbage", llmtest.Reply{Fail: llmtest.Garbage}, assistant.Clarify, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t)
			srv.Respond(func(r llmtest.Request) llmtest.Reply {
				for _, s := range r.Texts() {
					if strings.Contains(s, "政务服务事项分类助手") {
						return tc.reply
					}
				}
				return llmtest.Reply{Text: "x"} // the answer writer: fails the guard, falls back
			})
			cfg := srv.Config()
			cfg.FirstTokenTimeout, cfg.Timeout = 500*time.Millisecond, 3*time.Second
			client, err := llm.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			as := demoAssistant(t, func(c *assistant.Config) {
				c.Model, c.ModelName, c.Understand = assistant.ChatModel(client), client.Model(), true
				c.FirstTokenTimeout, c.ModelTimeout = 500*time.Millisecond, 3*time.Second
			})
			r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status {
				t.Fatalf("status %s, want %s: %q", r.Status, tc.status, r.Answer)
			}
			if tc.item != "" && (len(r.Citations) == 0 || r.Citations[0].ID != tc.item) {
				t.Fatalf("cites %v, want %s", r.Citations, tc.item)
			}
			asked := false
			for _, req := range srv.Requests() {
				for _, s := range req.Texts() {
					if strings.Contains(s, "13812345678") {
						t.Fatal("the phone number reached the model")
					}
					if strings.Contains(s, "FT-002 深圳市居住证申领") && strings.Contains(s, "FT-003") {
						asked = true
					}
				}
			}
			if !asked {
				t.Fatal("the model was not given the candidates")
			}
		})
	}
}

// TestUnderstandOnlyWhenUnsettled checks that a turn the lexicon answers
// confidently, or declines for a reason of scope, never asks the model to
// understand it.
func TestUnderstandOnlyWhenUnsettled(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t)
	var understood atomic.Int32
	srv.Respond(func(r llmtest.Request) llmtest.Reply {
		for _, s := range r.Texts() {
			if strings.Contains(s, "政务服务事项分类助手") {
				understood.Add(1)
			}
		}
		return llmtest.Reply{Text: "x"}
	})
	client := srv.Client(t)
	as := demoAssistant(t, func(c *assistant.Config) {
		c.Model, c.ModelName, c.Understand = assistant.ChatModel(client), client.Model(), true
	})
	for _, m := range []string{"身份证丢了怎么补办", "上海的公积金怎么提取", "帮我写首诗"} {
		if _, err := as.Ask(context.Background(), assistant.Request{Message: m}); err != nil {
			t.Fatal(err)
		}
	}
	if n := understood.Load(); n != 0 {
		t.Errorf("the model was asked to understand %d settled turns", n)
	}
}
