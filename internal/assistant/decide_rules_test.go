package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// decisionCase is a made-up message of one kind and the decision it
// should get: an answer with item, or a question (Clarify) or a decline.
type decisionCase struct {
	msg    string
	status assistant.Status
	item   string // the answer's item, for Answered
}

func checkDecisions(t *testing.T, cases []decisionCase) {
	t.Helper()
	as := demoAssistant(t, nil)
	for _, c := range cases {
		r, err := as.Ask(context.Background(), assistant.Request{Message: c.msg})
		if err != nil {
			t.Fatal(err)
		}
		got := firstCited(r)
		if r.Status != c.status || c.item != "" && got != c.item {
			t.Errorf("%q → %s %s %v, want %s %s", c.msg, r.Status, got, r.Candidates, c.status, c.item)
		}
	}
}

// firstCited is the item a reply cites first, "" when it cites none.
func firstCited(r assistant.Reply) string {
	if len(r.Citations) == 0 {
		return ""
	}
	return r.Citations[0].ID
}

// TestSituationCues checks that a word naming one item of a described
// life situation (lexicon/situations.txt, cue) answers with that item,
// not with the situation's choices or the best-ranked neighbour; and that
// a cue does not override an asked variant or a material asked about.
func TestSituationCues(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		// birth + 户口: the newborn's registration.
		{"媳妇刚剖腹产生完 孩子户口要去哪报", assistant.Answered, "FT-001"},
		// birth + 出生证, asking no 补: the certificate's first issue.
		{"小孩出生三天了 出生证什么时候发", assistant.Answered, "FT-061"},
		// opening a shop + 残疾: the disabled persons' business support.
		{"我是残疾人 想开个小店 有没有扶持", assistant.Answered, "FT-052"},
		// moving city + 医保 / 养老保险: the transfers.
		{"刚来深圳 医保要转过来吗", assistant.Answered, "FT-024"},
		{"刚搬来深圳上班 以前交的养老保险能转过来吗", assistant.Answered, "FT-013"},
		// A variant asked (补) is not overridden by the cue 出生医学证明.
		{"刚生了孩子 出生医学证明弄丢了 怎么补", assistant.Answered, "FT-062"},
		// A material asked about (户口本) is not the cue 户口.
		{"打算下个月去领结婚证 要带户口本吗", assistant.Answered, "FT-055"},
	})
}

// TestDistinguishLongerWord checks that close candidates are told apart
// by the longest word of the question a name holds: 养老金 names
// 基本养老金申领, not every item whose name holds 养老.
func TestDistinguishLongerWord(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"养老金到哪儿申请呀", assistant.Answered, "FT-014"},
		{"想问养老金要去哪里申请", assistant.Answered, "FT-014"},
		{"请问生育津贴在哪办", assistant.Answered, "FT-064"},
	})
}

// TestAskedVariantVerb checks that a question asking a variant by its
// verb (换, 补) picks, among several variants, the one whose name says
// that verb, instead of asking which.
func TestAskedVariantVerb(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"身份证照片不好看能换吗", assistant.Answered, "FT-004"},
		{"身份证上的照片不满意 可以换吗", assistant.Answered, "FT-004"},
		{"身份证不见了要补吗", assistant.Answered, "FT-005"},
	})
}

// TestShortVerb checks that a verb said by its first character alone
// ("能报吗" for 报销) picks the one close candidate whose name has it.
func TestShortVerb(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"在外地住院的钱可以报吗", assistant.Answered, "FT-020"},
		{"异地就医的钱能报吗", assistant.Answered, "FT-020"},
	})
}

// TestBareThingAsked checks that a message naming only a document, or
// only the case an item is for (the bracketed part of its name), is asked
// back: it says what about, not what to do.
func TestBareThingAsked(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		// only a document whose item is a variant (补领换领, 补发)
		{"户口簿", assistant.Clarify, ""},
		{"不动产权证书", assistant.Clarify, ""},
		// only the case of 住房公积金提取（租房）, with other rent items near
		{"我想问租房的", assistant.Clarify, ""},
		// the same words with the task said are answered
		{"户口簿丢了怎么补", assistant.Answered, "FT-009"},
		{"租房提取公积金", assistant.Answered, "FT-082"},
	})
}

// TestEverydayCueGivesWayToDominantItem checks that an everyday cue
// (医生说) does not decline a question whose best item stands far above
// the rest and whose name the question says in part (门诊 of 门诊大病),
// while a health tip with the same cue is still declined.
func TestEverydayCueGivesWayToDominantItem(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"医生说我是尿毒症 要长期透析 门诊能报吗", assistant.Answered, "FT-022"},
		{"医生说我血压高 门诊开什么药好", assistant.OutOfScope, ""},
		{"医生说孩子缺钙 吃什么补好", assistant.OutOfScope, ""},
	})
}

// TestFollowUpAboutACopy checks that a yes/no follow-up about a copy or
// an original of a document ("X复印件可以吗") is a materials question
// about the item being discussed, not a new question about X.
func TestFollowUpAboutACopy(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, c := range []struct{ first, item, follow string }{
		{"结婚登记", "FT-055", "户口本复印件可以吗"},
		{"我想办居住证", "FT-002", "身份证复印件行吗"},
		{"我想办居住证", "FT-002", "租房合同原件可不可以"},
	} {
		play(t, as, []step{
			{q: c.first, status: assistant.Answered, item: c.item},
			{q: c.follow, status: assistant.Answered, item: c.item, aspect: assistant.Materials},
		})
	}
}
