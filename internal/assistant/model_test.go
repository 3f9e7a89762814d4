package assistant_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// scriptedModel plays a fixed reply token by token, or fails.
type scriptedModel struct {
	tokens    []string
	delay     time.Duration // before each token
	failAfter int           // fail after this many tokens (0 = never)
	err       error

	mu        sync.Mutex
	seen      [][]assistant.Message
	cancelled bool // the assistant gave up on it
}

func (m *scriptedModel) Stream(ctx context.Context, msgs []assistant.Message, onToken func(string)) (string, error) {
	m.mu.Lock()
	m.seen = append(m.seen, msgs)
	m.mu.Unlock()
	if m.err != nil && m.failAfter == 0 {
		return "", m.err
	}
	var b strings.Builder
	for i, tok := range m.tokens {
		if m.failAfter > 0 && i == m.failAfter {
			return b.String(), errors.New("stream closed mid-answer")
		}
		select {
		case <-time.After(m.delay):
		case <-ctx.Done():
			m.mu.Lock()
			m.cancelled = true
			m.mu.Unlock()
			return b.String(), ctx.Err()
		}
		onToken(tok)
		b.WriteString(tok)
	}
	return b.String(), nil
}

func split(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); i += 3 {
		out = append(out, string(rs[i:min(i+3, len(rs))]))
	}
	return out
}

const goodAnswer = "新生儿入户需要准备出生医学证明、父母双方居民户口簿、父母双方居民身份证和父母结婚证，均为原件 [FT-001]。可网上办理：https://fuwu.example/guide/FT-001"

func TestModelAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		model     *scriptedModel
		generated bool
		notice    bool
	}{
		{"good answer is streamed and labelled", &scriptedModel{tokens: split(goodAnswer)}, true, false},
		{"invented link falls back", &scriptedModel{tokens: split("可在 https://evil.example/apply 办理 [FT-001]。")}, false, false},
		{"invented material falls back", &scriptedModel{tokens: split("请带上出生医学证明和收入证明 [FT-001]。")}, false, false},
		{"invented figure falls back", &scriptedModel{tokens: split("办理需要 15 个工作日 [FT-001]。")}, false, false},
		{"missing citation falls back", &scriptedModel{tokens: split("请带上出生医学证明。")}, false, false},
		{"citing another item falls back", &scriptedModel{tokens: split("请带上出生医学证明 [FT-002]。")}, false, false},
		{"garbage falls back", &scriptedModel{tokens: split("{\"error\": null}")}, false, false},
		{"server error falls back with a notice", &scriptedModel{err: errors.New("500 Internal Server Error")}, false, true},
		{"closed mid-stream falls back", &scriptedModel{tokens: split(goodAnswer), failAfter: 4}, false, true},
		{"no first token in time falls back", &scriptedModel{tokens: split(goodAnswer), delay: 2 * time.Second}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			as := demoAssistant(t, func(c *assistant.Config) {
				c.Model, c.ModelName = tc.model, "test-model"
				c.FirstTokenTimeout = 300 * time.Millisecond
			})
			var streamed strings.Builder
			r, err := as.Stream(context.Background(), assistant.Request{Message: "新生儿上户口要带什么材料，我电话13812345678"}, func(s string) { streamed.WriteString(s) })
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != assistant.Answered || len(r.Citations) != 1 || r.Citations[0].ID != "FT-001" {
				t.Fatalf("reply %+v", r)
			}
			if r.Generated != tc.generated {
				t.Fatalf("generated = %v, want %v; answer %q", r.Generated, tc.generated, r.Answer)
			}
			hasLabel := strings.HasSuffix(r.Answer, assistant.AILabel)
			if hasLabel != tc.generated {
				t.Fatalf("AI label present = %v, want %v", hasLabel, tc.generated)
			}
			if !tc.generated && !strings.Contains(r.Answer, "出生医学证明（原件，1份）") {
				t.Fatalf("fallback is not the composed answer: %q", r.Answer)
			}
			if (r.Notice != "") != tc.notice {
				t.Fatalf("notice %q, want notice: %v", r.Notice, tc.notice)
			}
			if strings.Contains(r.Answer, "evil.example") || strings.Contains(r.Answer, "收入证明") {
				t.Fatalf("invented content survived: %q", r.Answer)
			}
			if streamed.Len() == 0 {
				t.Fatal("nothing streamed")
			}
			// The model never saw the phone number.
			for _, msgs := range tc.model.seen {
				for _, m := range msgs {
					if strings.Contains(m.Content, "13812345678") {
						t.Fatalf("unmasked phone number sent to the model: %q", m.Content)
					}
				}
			}
			if tc.model.delay > 0 && !tc.model.cancelled {
				t.Fatal("a slow model was not cut off")
			}
			if len(tc.model.seen) != 1 {
				t.Fatalf("model called %d times", len(tc.model.seen))
			}
		})
	}
}

// Only answered turns go to the model: a refusal is never rewritten.
func TestModelNotAskedForRefusals(t *testing.T) {
	t.Parallel()
	m := &scriptedModel{tokens: split(goodAnswer)}
	as := demoAssistant(t, func(c *assistant.Config) { c.Model = m })
	r, err := as.Ask(context.Background(), assistant.Request{Message: "帮我写首诗"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != assistant.OutOfScope || len(m.seen) != 0 {
		t.Fatalf("status %s, model calls %d", r.Status, len(m.seen))
	}
}

// Issue 10, finding 3: the output guard reads figures and links however
// they are spelled — full-width digits, Chinese numerals, links without a
// scheme — and checks them against the item's facts only, never against
// the resident's question.
func TestModelGuardNormalises(t *testing.T) {
	t.Parallel()
	const question = "新生儿上户口怎么办，我家座机0755-26661234对吗"
	for _, tc := range []struct {
		name   string
		answer string
		keep   bool
	}{
		{"full-width phone number", "咨询电话：４００－８２０－１２３４ [FT-001]。", false},
		{"phone number in Chinese numerals", "咨询电话：四零零八二零一二三四 [FT-001]。", false},
		{"days in Chinese numerals", "承诺十五个工作日内办结 [FT-001]。", false},
		{"link without a scheme", "请登录 www.fuwu-apply.com/new 办理 [FT-001]。", false},
		{"bare domain", "请到 fuwu-help.cn 提交申请 [FT-001]。", false},
		{"full-width link", "请到 ｗｗｗ．ｅｖｉｌ．ｃｎ 办理 [FT-001]。", false},
		{"a figure only the question had", "您家座机0755-26661234已登记，可直接办理 [FT-001]。", false},
		// The facts spelled another way still pass.
		{"facts' phone in full-width", "咨询电话：０７５５－８３９８８１１０ [FT-001]。", true},
		{"facts' phone in Chinese numerals", "咨询电话：零七五五八三九八八一一零 [FT-001]。", true},
		{"facts' days in Chinese numerals", "法定时限三十个工作日，承诺一个工作日办结 [FT-001]。", true},
		{"facts' link without its scheme", "可在 fuwu.example/guide/FT-001 全程网办 [FT-001]。", true},
		{"words that only look like numbers", "十分方便，一般一次即可办结，可全程网办 [FT-001]。", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := &scriptedModel{tokens: split(tc.answer)}
			as := demoAssistant(t, func(c *assistant.Config) { c.Model, c.ModelName = m, "test-model" })
			r, err := as.Ask(context.Background(), assistant.Request{Message: question})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Citations) == 0 || r.Citations[0].ID != "FT-001" {
				t.Fatalf("answered %+v", r.Citations)
			}
			if r.Generated != tc.keep {
				t.Fatalf("model answer kept = %v, want %v (fallback %q)", r.Generated, tc.keep, r.Fallback)
			}
		})
	}
}
