package assistant_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

var treeForm = &assistant.TreeReportForm{Path: "/greening/report", Streets: []string{"梅林街道", "福田街道", "莲花街道"},
	Species: []string{"木棉", "三角梅", "扁桃"}}

func treeAssistant(t *testing.T) *assistant.Assistant {
	t.Helper()
	return demoAssistant(t, func(c *assistant.Config) { c.TreeReports = treeForm })
}

func ask(t *testing.T, as *assistant.Assistant, conv, q string) assistant.Reply {
	t.Helper()
	rep, err := as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: q, Channel: "test"})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return rep
}

// formValues are the prefilled fields of a report card's link.
func formValues(t *testing.T, c *assistant.ReportCard) url.Values {
	t.Helper()
	u, err := url.Parse(c.URL)
	if err != nil || u.Path != treeForm.Path {
		t.Fatalf("card link %q: %v", c.URL, err)
	}
	return u.Query()
}

// A tree report is a tree word near a hazard word in one clause; a
// question about a procedure, a permit or money, or a tree word far from
// any hazard, is not one.
func TestTreeReportRecognised(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	for _, c := range []struct {
		q      string
		report bool
	}{
		{"小区门口的树快倒了", true},
		{"楼下的树倒了", true},
		{"路边树枝断了挂在半空", true},
		{"我家门口那棵大树要倒了，很危险", true},
		{"台风把路边好几棵树吹倒了", true},
		{"倒了一棵大树压在车上", true},
		{"这棵榕树长虫了，叶子都被吃光", true},
		{"人行道上的树挡路了", true},
		{"公园里的树干裂开一大条缝", true},
		{"树枝伸到我家阳台上了", true},
		{"學校旁邊的樹歪了", true}, // traditional characters fold
		{"楼下那排树有虫害", true},
		{"路边的木棉被风吹歪了", true}, // a species the library knows
		{"小区的三角梅枯死了一大片", true},
		{"绿化带里的灌木长虫了", true},
		{"扁桃体发炎了怎么办", false},
		{"绿化补贴政策", false},
		{"古树名木迁移审批要什么材料", false},
		{"砍伐城市树木需要办理什么手续", false},
		{"树木病虫害防治有补贴吗", false},
		{"植树节在哪天", false},
		{"小区种的树是什么品种，长得很好，门口保安说下周会来修剪", false}, // no hazard near the tree
		{"怎么办理居住证", false},
		{"要树立正确的价值观", false},
		{"荔枝烂了能退吗", false},
		{"孩子生病了去哪看病", false},
	} {
		rep := ask(t, as, "", c.q)
		if got := rep.Report != nil; got != c.report {
			t.Errorf("%q: report = %v, want %v (status %s, answer %.40q)", c.q, got, c.report, rep.Status, rep.Answer)
			continue
		}
		if !c.report {
			continue
		}
		if rep.Status != assistant.Answered || rep.Report.Kind != "tree" || len(rep.Citations) != 0 {
			t.Errorf("%q: status %s, card %+v, citations %v", c.q, rep.Status, rep.Report, rep.Citations)
		}
		if v := formValues(t, rep.Report); v.Get("text") != c.q {
			t.Errorf("%q: form prefilled with %q", c.q, v.Get("text"))
		}
	}
}

// Without the form configured the chat takes no reports.
func TestTreeReportOffWithoutForm(t *testing.T) {
	t.Parallel()
	rep := ask(t, demoAssistant(t, nil), "", "小区门口的树快倒了")
	if rep.Report != nil {
		t.Fatalf("card without a form: %+v", rep.Report)
	}
}

// The chat asks where the tree is; the answer goes into the form with the
// street it names, and the card leads there.
func TestTreeReportAsksWhere(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	first := ask(t, as, "", "小区门口的树快倒了")
	if first.Report == nil || !strings.Contains(first.Answer, "这棵树在哪里") || !strings.Contains(first.Answer, "12345") {
		t.Fatalf("first turn: %+v", first)
	}
	second := ask(t, as, first.ConversationID, "在梅林街道梅林一村东门")
	if second.Report == nil {
		t.Fatalf("the place was not taken: %+v", second)
	}
	v := formValues(t, second.Report)
	if v.Get("text") != "小区门口的树快倒了" || v.Get("place") != "梅林街道梅林一村东门" || v.Get("street") != "梅林街道" {
		t.Errorf("form prefilled with %v", v)
	}
	if !strings.Contains(second.Answer, "位置：梅林街道梅林一村东门") || strings.Contains(second.Answer, "在哪里") {
		t.Errorf("second answer %q", second.Answer)
	}
	// The place is asked once: a third message is a question again.
	third := ask(t, as, first.ConversationID, "梅林一村门口")
	if third.Report != nil {
		t.Errorf("the place asked twice: %+v", third.Report)
	}
}

// A report naming its street is not asked where; the form has the street.
func TestTreeReportNamingStreet(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	rep := ask(t, as, "", "莲花街道彩田路上的树被台风吹歪了")
	if rep.Report == nil || strings.Contains(rep.Answer, "在哪里") {
		t.Fatalf("reply %+v", rep)
	}
	if v := formValues(t, rep.Report); v.Get("street") != "莲花街道" {
		t.Errorf("street %q", v.Get("street"))
	}
	// "福田区" is the district, not 福田街道.
	rep = ask(t, as, "", "福田区的树倒了")
	if rep.Report == nil || rep.Report.Street != "" {
		t.Errorf("district read as a street: %+v", rep.Report)
	}
}

// Asked where, the resident asks something else: the report is left, the
// question answered.
func TestTreeReportLeftForAQuestion(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	first := ask(t, as, "", "楼下的树枝断了")
	next := ask(t, as, first.ConversationID, "居住证怎么办理")
	if next.Report != nil || next.Status != assistant.Answered || len(next.Citations) == 0 {
		t.Fatalf("the question after a report: %+v", next)
	}
	ended := ask(t, as, "", "门口的树歪了")
	bye := ask(t, as, ended.ConversationID, "不知道")
	if bye.Report == nil || bye.Report.Place != "" || !strings.Contains(bye.Answer, "不再追问") {
		t.Errorf("ending the report: %+v", bye)
	}
}

// Personal data never reaches the form's link or the transcript.
func TestTreeReportMasksPersonalData(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	rep := ask(t, as, "", "门口的树快倒了，我电话13812345678")
	if rep.Report == nil {
		t.Fatal("not a report")
	}
	if strings.Contains(rep.Report.URL, "13812345678") || strings.Contains(rep.Report.Text, "13812345678") || strings.Contains(rep.Answer, "13812345678") {
		t.Errorf("phone number in %+v / %q", rep.Report, rep.Answer)
	}
}

// No question of the development set is taken for a tree report.
func TestTreeReportCapturesNoDevQuestion(t *testing.T) {
	t.Parallel()
	as := treeAssistant(t)
	n := 0
	for _, c := range devCases(t) {
		conv := ""
		for _, turn := range c.Turns {
			rep := ask(t, as, conv, turn.Q)
			conv = rep.ConversationID
			n++
			if rep.Report != nil {
				t.Errorf("%s %q taken for a tree report", c.ID, turn.Q)
			}
		}
	}
	if n < 400 {
		t.Fatalf("only %d turns read", n)
	}
}
