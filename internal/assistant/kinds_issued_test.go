package assistant_test

import (
	"context"
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestIssuedPaperAsks checks that a request for a paper an office issues,
// named by a generic word (缴费证明, 证明) several items' documents answer
// to, is asked back with those items as choices, and that a word picking
// one of them (社保, 公积金, 纳税) is answered.
func TestIssuedPaperAsks(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		kind, msg string
		status    assistant.Status
		want      []string // candidates that must be offered, or the answer
	}{
		{"generic proof, plain", "我要开一份缴费证明", assistant.Clarify, []string{"FT-017", "FT-089"}},
		{"generic proof, voice", "呃 那个 我想开一个缴费证明啊", assistant.Clarify, []string{"FT-017", "FT-089"}},
		{"generic proof, Cantonese", "想攞张缴费证明", assistant.Clarify, []string{"FT-017", "FT-089"}},
		{"bare proof, the items issuing one", "我想开个证明", assistant.Clarify, []string{"FT-110"}},
		{"near miss: social insurance said", "帮我开个社保缴费证明", assistant.Answered, []string{"FT-017"}},
		{"near miss: housing fund said", "开个公积金缴存证明", assistant.Answered, []string{"FT-089"}},
		{"near miss: tax said", "开张纳税证明", assistant.Answered, []string{"FT-110"}},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != c.status {
			t.Errorf("%s: %q → %s, want %s (%s)", c.kind, c.msg, r.Status, c.status, r.Answer)
			continue
		}
		switch c.status {
		case assistant.Clarify:
			if len(r.Candidates) < 2 {
				t.Errorf("%s: %q asks without choices: %v", c.kind, c.msg, r.Candidates)
			}
			for _, w := range c.want {
				if !slices.Contains(r.Candidates, w) {
					t.Errorf("%s: %q offers %v, want %s among them", c.kind, c.msg, r.Candidates, w)
				}
			}
		case assistant.Answered:
			if len(r.Citations) == 0 || r.Citations[0].ID != c.want[0] {
				t.Errorf("%s: %q → %v, want %s", c.kind, c.msg, r.Citations, c.want[0])
			}
		}
	}
}
