package assistant

import (
	"context"
	"strings"
	"testing"
)

// TestBodiesPointToTheirItems checks that what residents call the body
// handling a service (派出所, 残联, 工商局), for every department of the
// catalogue, points to that department's items, and that a question
// naming a body besides its item is explained and answered: the body is
// neither an unknown word nor a reason to decline.
func TestBodiesPointToTheirItems(t *testing.T) {
	ix := debugIndex(t)
	bodies := map[string][]string{ // department (part of its name) → resident words
		"公安局":        {"派出所", "差馆"},
		"医疗保障局":      {"医保局"},
		"社会保险基金管理局":  {"社保局", "社保中心"},
		"住房公积金管理中心":  {"公积金中心"},
		"残疾人联合会":     {"残联"},
		"民政局":        {"民政所"},
		"税务局":        {"税务所", "办税大厅"},
		"人力资源局":      {"人社局", "劳动局"},
		"住房和建设局":     {"住建局", "房管局"},
		"卫生健康局":      {"卫健局"},
		"市场监督管理局":    {"工商局", "市监局"},
		"规划和自然资源局":   {"国土局"},
		"城市管理和综合执法局": {"城管局"},
		"教育局":        {"教育办"},
		"退役军人事务局":    {"退役军人服务站"},
	}
	covered := map[string]bool{}
	for _, it := range ix.Items() {
		for dep := range bodies {
			if strings.Contains(it.Department, dep) {
				covered[it.Department] = true
			}
		}
		if !covered[it.Department] {
			t.Errorf("department %s of %s has no resident word in the table", it.Department, it.ID)
		}
	}
	for dep, words := range bodies {
		for _, w := range words {
			hits := ix.Search(context.Background(), "去"+w+"办事", 3).Hits
			if len(hits) == 0 {
				t.Errorf("%s: no item", w)
				continue
			}
			it, _ := ix.Item(hits[0].ID)
			if !strings.Contains(it.Department, dep) {
				t.Errorf("%s → %s (%s), want an item of %s", w, it.ID, it.Department, dep)
			}
		}
	}

	as, err := New(Config{Index: ix, Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ kind, msg, item string }{
		{"plain", "准迁证要去派出所办吗", "FT-008"},
		{"plain, the body's own word", "人社局失业登记怎么办", "FT-031"},
		{"voice", "嗯 那个 残联 残联那边 办残疾证 要带啥", "FT-048"},
		{"voice, a front desk", "街道办那边 申请临时救助 要什么材料", "FT-042"},
		{"plain, a health station's doctor", "社康的医生叫我先去做生育登记", "FT-063"},
		{"Cantonese", "去差馆办户口迁出要咩资料", "FT-008"},
		{"Cantonese, a front desk", "居委会嗰度可唔可以办低保", "FT-041"},
	} {
		in, _ := as.guardInput(c.msg)
		ts := &turnState{in: in}
		as.resolve(context.Background(), ts)
		q := ix.Analyse(ts.content)
		if share, unknown := as.explained(ts.content, q, ts.raw); share < explainedShare {
			t.Errorf("%s: %q explained %.2f, %s unknown", c.kind, c.msg, share, unknown)
		}
		if ts.status != Answered || ts.item == nil || ts.item.ID != c.item {
			t.Errorf("%s: %q → %s %v, want %s", c.kind, c.msg, ts.status, ts.item, c.item)
		}
	}
	// A message naming only a body asks which of its services; a word of
	// a department's name that is no body (基金) is not asked back.
	for _, c := range []struct {
		kind, msg, dep string
		status         Status
	}{
		{"plain", "去派出所要带什么", "公安局", Clarify},
		{"voice", "嗯 那个 残联 残联那个", "残疾人联合会", Clarify},
		{"Cantonese", "去差馆要带咩", "公安局", Clarify},
		{"near miss: a word of the name", "基金", "", OutOfScope},
	} {
		in, _ := as.guardInput(c.msg)
		ts := &turnState{in: in}
		as.resolve(context.Background(), ts)
		if ts.status != c.status {
			t.Errorf("%s: %q → %s, want %s", c.kind, c.msg, ts.status, c.status)
			continue
		}
		if c.status == Clarify && len(ts.candidates) < 2 {
			t.Errorf("%s: %q asks without choices", c.kind, c.msg)
		}
		for _, h := range ts.candidates {
			if it, _ := ix.Item(h.ID); !strings.Contains(it.Department, c.dep) {
				t.Errorf("%s: %q offers %s of %s, want %s's", c.kind, c.msg, h.ID, it.Department, c.dep)
			}
		}
	}
}
