package convo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// seed fills a store with conversations on three days (China time).
func seed(t *testing.T, s *Store, c *testClock) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	type turn struct {
		q, status string
		items     []string
		score     Score
	}
	n := 0
	add := func(name, channel string, day time.Time, turns ...turn) {
		n++
		c.set(day.Add(time.Duration(n) * time.Minute)) // conversations a minute apart
		conv, err := s.NewConversation(ctx, channel)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = conv.ID
		for _, tn := range turns {
			got, err := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: tn.q, Status: tn.status, ItemIDs: tn.items, Answer: "答：" + tn.q})
			if err != nil {
				t.Fatal(err)
			}
			if tn.score != 0 {
				if _, err := s.SetFeedback(ctx, conv.ID, got.ID, tn.score, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	d1 := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	d3 := d1.AddDate(0, 0, 2)
	add("hukou", "web", d1,
		turn{"生了孩子怎么上户口", StatusAnswered, []string{"FT-001"}, VerySatisfied},
		turn{"那要带什么", StatusAnswered, []string{"FT-001"}, 0})
	add("passport", "web", d1,
		turn{"护照加急怎么办", StatusOutOfScope, nil, 0},
		turn{"转人工", StatusHandoff, nil, 0})
	add("permit", "api", d2,
		turn{"居住证", StatusClarify, []string{"FT-010", "FT-011"}, 0},
		turn{"居住证怎么办理", StatusAnswered, []string{"FT-010"}, Dissatisfied})
	add("percent", "web", d2,
		turn{"社保缴费比例是8%吗", StatusAnswered, []string{"FT-020"}, 0})
	add("baby2", "web", d3,
		turn{"孩子出生后怎么办理上户口？", StatusOutOfScope, nil, 0},
		turn{"今天天气怎么样", StatusOutOfScope, nil, 0})
	add("baby3", "web", d3,
		turn{"生了孩子怎么上户口", StatusClarify, []string{"FT-001", "FT-002"}, 0})
	if _, err := s.OpenHandoff(ctx, ids["passport"], 0, "resident asked"); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestConversationsFilter(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ids := seed(t, s, c)
		ctx := context.Background()
		names := map[string]string{}
		for n, id := range ids {
			names[id] = n
		}
		list := func(f Filter, p Page) ([]string, int) {
			t.Helper()
			got, total, err := s.Conversations(ctx, f, p)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, sm := range got {
				out = append(out, names[sm.ID])
			}
			return out, total
		}
		for _, tc := range []struct {
			f    Filter
			want []string // most recently active first
		}{
			{Filter{}, []string{"baby3", "baby2", "percent", "permit", "passport", "hukou"}},
			{Filter{Status: StatusOutOfScope}, []string{"baby2", "passport"}},
			{Filter{Status: StatusClarify}, []string{"baby3", "permit"}},
			{Filter{BadFeedback: true}, []string{"permit"}},
			{Filter{FromDay: "2026-11-02"}, []string{"baby3", "baby2", "percent", "permit"}},
			{Filter{FromDay: "2026-11-01", ToDay: "2026-11-02"}, []string{"percent", "permit", "passport", "hukou"}},
			{Filter{ItemID: "FT-001"}, []string{"baby3", "hukou"}},
			{Filter{Text: "户口"}, []string{"baby3", "baby2", "hukou"}},
			{Filter{Text: "8%"}, []string{"percent"}},
			{Filter{Text: "%"}, []string{"percent"}}, // LIKE wildcards are literal
			{Filter{Text: "_"}, nil},
			{Filter{Channel: "api"}, []string{"permit"}},
			{Filter{Status: StatusAnswered, ToDay: "2026-11-01"}, []string{"hukou"}},
		} {
			got, total := list(tc.f, Page{})
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("%+v: got %v (total %d), want %v", tc.f, got, total, tc.want)
			}
		}
		// Paging.
		page, total := list(Filter{}, Page{Limit: 2, Offset: 2})
		if total != 6 || !slices.Equal(page, []string{"percent", "permit"}) {
			t.Errorf("page: %v total %d", page, total)
		}
		// Summaries.
		all, _, _ := s.Conversations(ctx, Filter{}, Page{})
		for _, sm := range all {
			switch names[sm.ID] {
			case "permit":
				if sm.FirstQuestion != "居住证" || sm.LastStatus != StatusAnswered || sm.WorstScore != Dissatisfied || sm.Turns != 2 || sm.Handoff {
					t.Errorf("permit summary %+v", sm)
				}
			case "passport":
				if !sm.Handoff || sm.LastStatus != StatusHandoff || sm.WorstScore != 0 {
					t.Errorf("passport summary %+v", sm)
				}
			}
		}
		if _, _, err := s.Conversations(ctx, Filter{FromDay: "yesterday"}, Page{}); err == nil {
			t.Error("bad day accepted")
		}
	})
}

func TestTopItemsAndUnanswered(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		seed(t, s, c)
		ctx := context.Background()
		top, err := s.TopItems(ctx, "", "", 3)
		if err != nil {
			t.Fatal(err)
		}
		want := []ItemCount{{"FT-001", 3, 2}, {"FT-010", 2, 1}, {"FT-002", 1, 1}}
		if !slices.Equal(top, want) {
			t.Errorf("top items %+v, want %+v", top, want)
		}
		top, _ = s.TopItems(ctx, "2026-11-02", "2026-11-02", 0)
		if len(top) != 3 || top[0] != (ItemCount{"FT-010", 2, 1}) {
			t.Errorf("top items on 11-02: %+v", top)
		}

		groups, err := s.Unanswered(ctx, "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]QuestionGroup{}
		for _, g := range groups {
			got[g.Question] = g
		}
		// The two ways of asking about a newborn's hukou are one group.
		baby, ok := got["孩子出生后怎么办理上户口？"]
		if !ok {
			baby = got["生了孩子怎么上户口"]
		}
		if baby.Count != 2 || baby.Reasons[StatusOutOfScope] != 1 || baby.Reasons[StatusClarify] != 1 || baby.ItemID != "FT-001" || len(baby.Examples) != 1 {
			t.Errorf("baby group %+v (all %+v)", baby, groups)
		}
		// Bad feedback on an answer counts; a good answer does not.
		permit := got["居住证怎么办理"]
		if permit.Count != 2 || permit.Reasons[ReasonBadFeedback] != 1 || permit.Reasons[StatusClarify] != 1 || permit.ItemID != "FT-010" {
			t.Errorf("permit group %+v (all %+v)", permit, groups)
		}
		total := 0
		for _, g := range groups {
			total += g.Count
		}
		// passport (2 turns), weather, baby ×2, permit ×2.
		if total != 7 || len(groups) != 5 {
			t.Errorf("groups %+v", groups)
		}
		late, _ := s.Unanswered(ctx, "2026-11-03", "", 0)
		if n := len(late); n != 2 {
			t.Errorf("from 11-03: %+v", late)
		}
	})
}

func TestGroupQuestions(t *testing.T) {
	t.Parallel()
	at := func(min int) store.Time { return store.T(time.Date(2026, 11, 1, 0, min, 0, 0, time.UTC)) }
	var qs []Question
	add := func(text, status string, n int) {
		for i := 0; i < n; i++ {
			qs = append(qs, Question{TurnID: int64(len(qs) + 1), Text: text, Status: status, At: at(len(qs))})
		}
	}
	add("生了孩子怎么上户口", StatusOutOfScope, 3)
	add("生了孩子怎么上户口？", StatusClarify, 1) // same wording, punctuation aside
	add("孩子出生怎么上户口", StatusOutOfScope, 2)
	add("新生儿上户口要什么材料", StatusOutOfScope, 1)
	add("居住证怎么办", StatusOutOfScope, 2)
	add("怎么办理居住证", StatusClarify, 1)
	add("怎么办理护照", StatusOutOfScope, 1)
	add("公积金怎么提取", StatusOutOfScope, 1)
	add("？？", StatusOutOfScope, 1)
	add("!!", StatusOutOfScope, 1)

	groups := GroupQuestions(qs, 0)
	byLead := map[string]QuestionGroup{}
	var leads []string
	for _, g := range groups {
		byLead[g.Question] = g
		leads = append(leads, g.Question)
	}
	baby := byLead["生了孩子怎么上户口"]
	if baby.Count < 6 || baby.Reasons[StatusClarify] != 1 || baby.TurnIDs[0] <= baby.TurnIDs[len(baby.TurnIDs)-1] {
		t.Errorf("baby group %+v", baby)
	}
	permit := byLead["居住证怎么办"]
	if permit.Count != 3 || !slices.Equal(permit.Examples, []string{"怎么办理居住证"}) {
		t.Errorf("permit group %+v", permit)
	}
	for _, lone := range []string{"怎么办理护照", "公积金怎么提取"} {
		if g := byLead[lone]; g.Count != 1 {
			t.Errorf("%s should stand alone: %+v (groups %v)", lone, g, leads)
		}
	}
	if g := byLead["？？"]; g.Count != 2 {
		t.Errorf("punctuation-only questions: %+v", g)
	}
	if !sort.SliceIsSorted(groups, func(i, j int) bool { return groups[i].Count > groups[j].Count }) {
		t.Errorf("not largest first: %v", leads)
	}
	// Everything accounted for once.
	n := 0
	for _, g := range groups {
		n += g.Count
	}
	if n != len(qs) {
		t.Errorf("%d questions in groups, want %d", n, len(qs))
	}
	// A strict threshold splits more.
	if strict := GroupQuestions(qs, 0.95); len(strict) <= len(groups) {
		t.Errorf("threshold 0.95 gave %d groups, default %d", len(strict), len(groups))
	}
	if s := Similarity("居住证怎么办", "怎么办理居住证"); s < DefaultThreshold {
		t.Errorf("similarity %f", s)
	}
	if s := Similarity("怎么办理护照", "怎么办理居住证"); s >= DefaultThreshold {
		t.Errorf("similarity %f", s)
	}
}

func BenchmarkGroupQuestions(b *testing.B) {
	topics := []string{"上户口", "居住证", "护照", "公积金提取", "社保卡", "营业执照", "结婚登记", "高龄津贴", "残疾人证", "退役军人优待证"}
	forms := []string{"怎么办理%s", "%s需要什么材料", "%s在哪里办", "%s要多久", "请问%s可以网上办吗", "%s收费吗"}
	var qs []Question
	for i := 0; len(qs) < MaxUnanswered; i++ {
		text := fmt.Sprintf(forms[i%len(forms)], topics[(i/len(forms))%len(topics)]) + strings.Repeat("呢", i%3) + fmt.Sprint(i%97)
		qs = append(qs, Question{TurnID: int64(i), Text: text, Status: StatusOutOfScope})
	}
	b.ReportAllocs()
	for b.Loop() {
		GroupQuestions(qs, 0)
	}
}
