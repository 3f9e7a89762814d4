package assistant_test

import (
	"context"
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestSituationsResolve checks that every item lexicon/situations.txt
// names is in the demo catalogue: a renamed item would silently drop out
// of its situation.
func TestSituationsResolve(t *testing.T) {
	t.Parallel()
	cfg := demoConfig(t)
	names := map[string]bool{}
	for _, it := range cfg.Index.Items() {
		names[it.Name] = true
	}
	for sit, items := range assistant.SituationItems() {
		if len(items) == 0 {
			t.Errorf("situation %s lists no item", sit)
		}
		for _, n := range items {
			if !names[n] {
				t.Errorf("situation %s: no catalogue item is named %q", sit, n)
			}
		}
	}
}

// TestSituationDescribed checks that a life situation described without
// naming any service is met with its items, not declined.
func TestSituationDescribed(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct {
		msg    string
		status assistant.Status
		items  []string // the answer's item or one of the choices is one of these
	}{
		// Care support: the home-care subsidy or the nursing subsidy.
		{"我妈中风以后右手抬不起来 吃饭穿衣都要人帮 政府有什么帮扶", assistant.Clarify, []string{"FT-035", "FT-050"}},
		{"公司裁员了 这个月开始没工作", assistant.Answered, []string{"FT-015"}},
	} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, id := range r.Candidates {
			found = found || slices.Contains(c.items, id)
		}
		for _, cit := range r.Citations {
			found = found || slices.Contains(c.items, cit.ID)
		}
		if r.Status != c.status || !found {
			t.Errorf("%q → %s %v %v, want %s with one of %v", c.msg, r.Status, r.Candidates, r.Citations, c.status, c.items)
		}
	}
}
