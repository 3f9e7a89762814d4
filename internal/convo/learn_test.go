package convo

import (
	"context"
	"testing"
	"time"
)

// Answers given with little confidence join the questions to review;
// confident answers and follow-ups (confidence not measured) do not; a
// declined follow-up is listed with the item its conversation was about. Both
// the one-by-one write and the write that creates the conversation (RecordTurn, one statement on PostgreSQL) keep it.
func TestUnansweredLowConfidence(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		c.set(time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC))
		conv, err := s.NewConversation(ctx, "web")
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range []Turn{
			{Question: "娃落地了咋整", Status: StatusAnswered, ItemIDs: []string{"FT-001"}, Confidence: 0.31},
			{Question: "那要带啥", Status: StatusAnswered, ItemIDs: []string{"FT-001"}},
			{Question: "那身份证呢", Status: StatusOutOfScope},
			{Question: "新生儿入户怎么办", Status: StatusAnswered, ItemIDs: []string{"FT-001"}, Confidence: 0.92},
		} {
			tn.ConversationID = conv.ID
			if _, err := s.AddTurn(ctx, tn); err != nil {
				t.Fatal(err)
			}
		}
		_, err = s.RecordTurn(ctx, "web", Turn{ConversationID: "recorded-at-once", Question: "社保卡丢了咋整", Status: StatusAnswered,
			ItemIDs: []string{"FT-020"}, Confidence: 0.2})
		if err != nil {
			t.Fatal(err)
		}
		groups, err := s.Unanswered(ctx, "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]QuestionGroup{}
		for _, g := range groups {
			got[g.Question] = g
		}
		if g := got["娃落地了咋整"]; g.Count != 1 || g.Reasons[ReasonLowConfidence] != 1 || g.ItemID != "FT-001" {
			t.Errorf("low-confidence group %+v (all %+v)", g, groups)
		}
		if g := got["社保卡丢了咋整"]; g.Count != 1 || g.ItemID != "FT-020" {
			t.Errorf("group-written low-confidence turn %+v (all %+v)", g, groups)
		}
		// A follow-up is listed with the item its conversation was about.
		if g := got["那身份证呢"]; g.Count != 1 || g.Thread != "FT-001" || g.ItemID != "" {
			t.Errorf("declined follow-up %+v (all %+v)", g, groups)
		}
		if g := got["娃落地了咋整"]; g.Thread != "" {
			t.Errorf("a first turn with a thread: %+v", g)
		}
		if len(groups) != 3 {
			t.Errorf("confident answers or follow-ups listed: %+v", groups)
		}
	})
}

// Questions alike in words but resolved to different items stay apart:
// the alias or FAQ one group needs is not the other's.
func TestGroupQuestionsByItem(t *testing.T) {
	t.Parallel()
	qs := []Question{
		{TurnID: 1, Text: "卡丢了咋整", Status: ReasonLowConfidence, ItemID: "FT-020"},
		{TurnID: 2, Text: "卡丢了咋整呀", Status: ReasonLowConfidence, ItemID: "FT-020"},
		{TurnID: 3, Text: "卡丢了咋整啊", Status: ReasonBadFeedback, ItemID: "FT-030"},
		{TurnID: 4, Text: "卡丢了怎么整", Status: StatusClarify},
	}
	groups := GroupQuestions(qs, 0)
	if len(groups) != 2 || groups[0].Count != 3 || groups[0].ItemID != "FT-020" || groups[1].ItemID != "FT-030" {
		t.Fatalf("groups %+v", groups)
	}
}
