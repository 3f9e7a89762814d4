package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the fifteenth round (probes-rime and probes-drizzle), each tested on
// sentences of our own.

// TestCueInTheAskingClauses checks, on made-up messages, that when a
// described life situation's cues name several items across a long
// spoken story, the item cued in the last two clauses, where the question
// is, is answered.
func TestCueInTheAskingClauses(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我老公深圳户口 我是河南人 宝宝上周刚出生 出生证办好了 宝宝户口报在他爸那边 要带什么", assistant.Answered, "FT-001"},
		{"我是深圳户口 老婆是广西人 孩子上周在医院出生 出生证已经拿到 孩子户口落我这边 需要什么材料", assistant.Answered, "FT-001"},
		{"我们俩都是深圳户口 孩子上个月出生 出生证拿到了 准备给孩子报户口 去哪个窗口", assistant.Answered, "FT-001"},
	})
}

// TestPartOfADocumentIsNoDocument checks, on made-up messages, that a
// part of the document said before (半本, 整本) is not read as a document
// the catalogue lacks.
func TestPartOfADocumentIsNoDocument(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"家里水管爆了 户口本泡烂了半本 要去哪补办", assistant.Answered, "FT-009"},
		{"孩子把结婚证撕了半本 能重新领吗", assistant.Answered, "FT-057"},
	})
}

// TestServiceElsewhereNamingAnItem checks, on made-up messages, that a
// service another body provides (a car's transfer, the traffic police's)
// is declined though a catalogue item is named by a word inside it (过户
// of the flat's transfer), and that the item named outside it stays.
func TestServiceElsewhereNamingAnItem(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"把旧车卖给朋友了 车辆过户去哪里弄", assistant.OutOfScope, ""},
		{"二手车过户需要本人到场吗", assistant.OutOfScope, ""},
		{"买的二手房过户要本人到场吗", assistant.Answered, "FT-081"},
	})
}

// TestAnotherPlaceReadAsAway checks, on made-up messages, that another
// city a resident goes to for treatment reads as 外地 does for the
// synonym table (外地…医院 → 异地就医), and that the other city's own
// service stays declined.
func TestAnotherPlaceReadAsAway(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"要转院到长沙的医院 深圳的医保到时候怎么用", assistant.Answered, "FT-019"},
		{"去武汉医院看病 医保卡能刷吗", assistant.Answered, "FT-019"},
		{"杭州的居住证怎么办", assistant.OutOfScope, ""},
	})
}

// TestOppositeInTheName checks, on made-up messages, that an item whose
// name holds the opposite of what the resident says (民办 for 公办) is not
// the answer.
func TestOppositeInTheName(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{"想帮娃申请公办学校的学位", "孩子想读公办学校 学位怎么申请"} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Citations) > 0 && r.Citations[0].ID == "FT-074" {
			t.Errorf("%q → %s %s, the 民办 school subsidy", msg, r.Status, r.Citations[0].ID)
		}
	}
}
