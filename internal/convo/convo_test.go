package convo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

const (
	fakeID    = "110101199003071233"
	fakePhone = "13812345678"
)

// testClock is a settable time for tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second) // every event a second apart: a stable order
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func newStore(t *testing.T, db *store.DB) (*Store, *testClock) {
	s := NewStore(db)
	c := &testClock{t: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)}
	s.now = c.now
	return s, c
}

func each(t *testing.T, fn func(t *testing.T, s *Store, c *testClock)) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		s, c := newStore(t, db)
		fn(t, s, c)
	})
}

func TestNewID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newID()
		if len(id) != 22 || seen[id] || strings.ContainsAny(id, "/+=") {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestTurns(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, err := s.NewConversation(ctx, "web")
		if err != nil {
			t.Fatal(err)
		}
		// RecordTurn creates its conversation (one statement on PostgreSQL).
		recorded := Conversation{ID: "recorded-conversation"}
		labelAt := store.T(time.Date(2026, 11, 1, 2, 0, 30, 0, time.UTC))
		in := []Turn{
			{ConversationID: conv.ID, Question: "生了孩子怎么上户口", Status: StatusAnswered, Aspect: "overview",
				ItemIDs: []string{"FT-001", "FT-002"}, Answer: "新生儿入户登记……", LatencyMS: 12},
			{ConversationID: conv.ID, Question: "那要带什么", Status: StatusAnswered, Aspect: "materials",
				ItemIDs: []string{"FT-001"}, Answer: "出生医学证明……", Generated: true, Model: "qwen3",
				Label: Label{Generator: "Fuwu", Model: "qwen3", Time: labelAt}, LatencyMS: 850},
			{ConversationID: conv.ID, Question: "今天天气怎么样", Status: StatusOutOfScope, Answer: "这个问题我回答不了……",
				Model: "qwen3", Label: Label{Generator: "ignored when not generated"}},
		}
		for i, tn := range in {
			got, err := s.AddTurn(ctx, tn)
			if err != nil {
				t.Fatal(err)
			}
			if got.Index != i || got.ID == 0 || got.CreatedAt.IsZero() {
				t.Fatalf("turn %d: %+v", i, got)
			}
			tn.ConversationID = recorded.ID
			got, err = s.RecordTurn(ctx, "web", tn)
			if err != nil {
				t.Fatal(err)
			}
			if got.Index != i || got.ID == 0 || got.CreatedAt.IsZero() {
				t.Fatalf("recorded turn %d: %+v", i, got)
			}
		}
		for _, conv := range []Conversation{recorded, conv} {
			got, turns, err := s.Conversation(ctx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Turns != 3 || got.Channel != "web" || !got.UpdatedAt.After(got.CreatedAt.Time) {
				t.Fatalf("conversation %+v", got)
			}
			if len(turns) != 3 {
				t.Fatalf("%d turns", len(turns))
			}
			if strings.Join(turns[0].ItemIDs, ",") != "FT-001,FT-002" || turns[0].Aspect != "overview" || turns[0].LatencyMS != 12 || turns[0].Generated {
				t.Errorf("turn 0: %+v", turns[0])
			}
			if !turns[1].Generated || turns[1].Model != "qwen3" || turns[1].Label.Generator != "Fuwu" || !turns[1].Label.Time.Equal(labelAt.Time) {
				t.Errorf("turn 1 label: %+v", turns[1])
			}
			if turns[2].Label != (Label{}) || turns[2].Model != "qwen3" || len(turns[2].ItemIDs) != 0 || turns[2].ItemIDs == nil {
				t.Errorf("turn 2: %+v", turns[2])
			}
		}
		_, turns, err := s.Conversation(ctx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		one, err := s.Turn(ctx, turns[1].ID)
		if err != nil || one.Question != "那要带什么" || one.Index != 1 {
			t.Fatalf("Turn: %+v %v", one, err)
		}

		if _, err := s.Turn(ctx, 999999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown turn: %v", err)
		}
		if _, _, err := s.Conversation(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown conversation: %v", err)
		}
		if _, err := s.AddTurn(ctx, Turn{ConversationID: "nope", Status: StatusAnswered}); !errors.Is(err, ErrNotFound) {
			t.Errorf("turn of unknown conversation: %v", err)
		}
		if _, err := s.AddTurn(ctx, Turn{ConversationID: conv.ID}); !errors.Is(err, ErrInput) {
			t.Errorf("turn without status: %v", err)
		}
		// A failed AddTurn leaves the count alone.
		if got, _, _ := s.Conversation(ctx, conv.ID); got.Turns != 3 {
			t.Errorf("turn count %d after failures", got.Turns)
		}
	})
}

func TestConcurrentTurns(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "api")
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: fmt.Sprint("q", i), Status: StatusAnswered}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		_, turns, err := s.Conversation(ctx, conv.ID)
		if err != nil || len(turns) != 20 {
			t.Fatalf("%d turns, %v", len(turns), err)
		}
		for i, tn := range turns {
			if tn.Index != i {
				t.Fatalf("indexes not 0..19: %d at %d", tn.Index, i)
			}
		}
	})
}

// Whatever a careless caller passes, no personal data reaches the tables.
func TestRemaskOnWrite(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		s, _ := newStore(t, db)
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "web")
		tn, err := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: "我的身份证" + fakeID + "，电话" + fakePhone,
			Status: StatusHandoff, Answer: "已为您转人工，将致电" + fakePhone})
		if err != nil {
			t.Fatal(err)
		}
		if tn.Question != "我的身份证110101********1233，电话138****5678" {
			t.Fatalf("returned question %q", tn.Question)
		}
		if _, err := s.SetFeedback(ctx, conv.ID, tn.ID, Dissatisfied, "请回电"+fakePhone); err != nil {
			t.Fatal(err)
		}
		h, err := s.OpenHandoff(ctx, conv.ID, tn.ID, "居民要求人工，身份证"+fakeID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReplyHandoff(ctx, h.ID, "agent1", "已联系"+fakePhone); err != nil {
			t.Fatal(err)
		}
		// Read every text column straight from the tables.
		for _, q := range []string{
			`SELECT question || answer FROM convo_turns`,
			`SELECT comment FROM convo_feedback`,
			`SELECT reason || transcript FROM convo_handoffs`,
			`SELECT body FROM convo_handoff_replies`,
		} {
			rows, err := db.Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var text string
				if err := rows.Scan(&text); err != nil {
					t.Fatal(err)
				}
				n++
				if strings.Contains(text, fakeID) || strings.Contains(text, fakePhone) || !strings.Contains(text, "*") {
					t.Errorf("%s: stored %q", q, text)
				}
			}
			rows.Close()
			if n == 0 {
				t.Errorf("%s: no rows", q)
			}
		}
	})
}

func TestFeedback(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "web")
		other, _ := s.NewConversation(ctx, "web")
		tn, _ := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: "q", Status: StatusAnswered})

		if _, err := s.SetFeedback(ctx, conv.ID, tn.ID, Satisfied, ""); err != nil {
			t.Fatal(err)
		}
		// Issue 10, finding 9: one rating per answer; a second is refused
		// and the first stands, so re-posting cannot inflate the counts.
		if _, err := s.SetFeedback(ctx, conv.ID, tn.ID, VeryDissatisfied, "材料清单不全"); !errors.Is(err, ErrRated) {
			t.Fatalf("second rating: %v, want ErrRated", err)
		}
		got, _ := s.Turn(ctx, tn.ID)
		if got.Feedback == nil || got.Feedback.Score != Satisfied || got.Feedback.Comment != "" {
			t.Fatalf("feedback %+v", got.Feedback)
		}
		day := c.t.In(clock.Default).Format(time.DateOnly)
		if stats, err := s.FeedbackStats(ctx, day, day); err != nil || stats[0].Total != 1 {
			t.Fatalf("stats after a re-post = %+v, %v", stats, err)
		}
		for _, tc := range []struct {
			conv  string
			turn  int64
			score Score
			text  string
			want  error
		}{
			{other.ID, tn.ID, Satisfied, "", ErrNotFound}, // not this resident's turn
			{conv.ID, 424242, Satisfied, "", ErrNotFound},
			{conv.ID, tn.ID, 0, "", ErrInput},
			{conv.ID, tn.ID, 6, "", ErrInput},
			{conv.ID, tn.ID, Fair, strings.Repeat("长", MaxComment+1), ErrInput},
		} {
			if _, err := s.SetFeedback(ctx, tc.conv, tc.turn, tc.score, tc.text); !errors.Is(err, tc.want) {
				t.Errorf("SetFeedback(%d, %d): %v, want %v", tc.turn, tc.score, err, tc.want)
			}
		}
	})
}

func TestScore(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Score{"5": VerySatisfied, "非常满意": VerySatisfied, "满意": Satisfied, "基本满意": Fair,
		"不满意": Dissatisfied, "非常不满意": VeryDissatisfied, "1": VeryDissatisfied} {
		if got, err := ParseScore(in); err != nil || got != want {
			t.Errorf("ParseScore(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"0", "6", "", "很好"} {
		if _, err := ParseScore(bad); !errors.Is(err, ErrInput) {
			t.Errorf("ParseScore(%q) accepted", bad)
		}
	}
	if VerySatisfied.Label() != "非常满意" || Score(9).Label() != "" || !Dissatisfied.Bad() || Fair.Bad() {
		t.Error("labels")
	}
	if len(Scores) != 5 || Scores[0] != VerySatisfied {
		t.Error("Scores order")
	}
}

func TestFeedbackStats(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "web")
		rate := func(at time.Time, score Score) {
			c.set(at)
			tn, err := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: "q", Status: StatusAnswered})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetFeedback(ctx, conv.ID, tn.ID, score, ""); err != nil {
				t.Fatal(err)
			}
		}
		// 2026-11-01 in China runs from 10-31T16:00Z to 11-01T16:00Z.
		rate(time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), VerySatisfied)
		rate(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), VerySatisfied)
		rate(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), Dissatisfied)
		rate(time.Date(2026, 11, 1, 17, 0, 0, 0, time.UTC), Fair) // already 11-02 in Shenzhen
		rate(time.Date(2026, 11, 4, 1, 0, 0, 0, time.UTC), Satisfied)
		rate(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), VeryDissatisfied) // outside

		days, err := s.FeedbackStats(ctx, "2026-11-01", "2026-11-04")
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 4 {
			t.Fatalf("%d days", len(days))
		}
		want := []struct {
			day    string
			counts [6]int
			avg    float64
		}{
			{"2026-11-01", [6]int{0, 0, 1, 0, 0, 2}, 4},
			{"2026-11-02", [6]int{0, 0, 0, 1, 0, 0}, 3},
			{"2026-11-03", [6]int{}, 0},
			{"2026-11-04", [6]int{0, 0, 0, 0, 1, 0}, 4},
		}
		for i, w := range want {
			d := days[i]
			if d.Day != w.day || d.Counts != w.counts || d.Average != w.avg || d.Total != w.counts[1]+w.counts[2]+w.counts[3]+w.counts[4]+w.counts[5] {
				t.Errorf("day %d: %+v, want %+v", i, d, w)
			}
		}
		sum := Sum(days)
		if sum.Total != 5 || sum.Average != 3.8 || sum.Satisfied() != 0.8 {
			t.Errorf("sum %+v satisfied %v", sum, sum.Satisfied())
		}
		for _, r := range [][2]string{{"2026-11-04", "2026-11-01"}, {"2026/11/01", "2026-11-04"}, {"", "2026-11-04"}, {"2000-01-01", "2026-01-01"}} {
			if _, err := s.FeedbackStats(ctx, r[0], r[1]); !errors.Is(err, ErrInput) {
				t.Errorf("FeedbackStats(%q, %q): %v", r[0], r[1], err)
			}
		}
	})
}

func TestHandoffs(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "web")
		t1, _ := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: "护照加急怎么办", Status: StatusOutOfScope, Answer: "抱歉，我没找到。"})
		h, err := s.OpenHandoff(ctx, conv.ID, t1.ID, "repeated failure")
		if err != nil {
			t.Fatal(err)
		}
		if h.State != HandoffOpen || h.TurnID != t1.ID || len(h.Transcript) != 2 || h.Transcript[0].Role != "resident" ||
			h.Transcript[0].Text != "护照加急怎么办" || h.Transcript[1].Role != "assistant" || len(h.Replies) != 0 {
			t.Fatalf("opened %+v", h)
		}
		// Asking again refreshes the same ticket.
		t2, _ := s.AddTurn(ctx, Turn{ConversationID: conv.ID, Question: "转人工", Status: StatusHandoff, Answer: "正在为您转接人工。"})
		h2, err := s.OpenHandoff(ctx, conv.ID, t2.ID, "resident asked")
		if err != nil {
			t.Fatal(err)
		}
		if h2.ID != h.ID || len(h2.Transcript) != 4 || h2.Reason != "resident asked" || h2.TurnID != t2.ID {
			t.Fatalf("re-opened %+v", h2)
		}
		// A second conversation's ticket queues behind.
		conv2, _ := s.NewConversation(ctx, "web")
		hB, err := s.OpenHandoff(ctx, conv2.ID, 0, "resident asked")
		if err != nil || hB.TurnID != 0 || len(hB.Transcript) != 0 {
			t.Fatalf("empty conversation ticket: %+v %v", hB, err)
		}
		if _, err := s.OpenHandoff(ctx, "nope", 0, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown conversation: %v", err)
		}

		q, total, err := s.Queue(ctx, Page{})
		if err != nil || total != 2 || len(q) != 2 || q[0].ID != h.ID || q[1].ID != hB.ID {
			t.Fatalf("queue %+v total %d %v", q, total, err)
		}

		claimed, err := s.ClaimHandoff(ctx, h.ID, "agent1")
		if err != nil || claimed.State != HandoffClaimed || claimed.ClaimedBy != "agent1" || claimed.ClaimedAt.IsZero() {
			t.Fatalf("claim: %+v %v", claimed, err)
		}
		if _, err := s.ClaimHandoff(ctx, h.ID, "agent2"); !errors.Is(err, ErrState) {
			t.Errorf("second claim: %v", err)
		}
		if _, err := s.ReplyHandoff(ctx, h.ID, "agent1", "  您好，护照加急请到出入境大厅。  "); err != nil {
			t.Fatal(err)
		}
		// Replying to an open ticket claims it.
		if _, err := s.ReplyHandoff(ctx, hB.ID, "agent2", "您好"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Handoff(ctx, hB.ID); got.State != HandoffClaimed || got.ClaimedBy != "agent2" || len(got.Replies) != 1 {
			t.Fatalf("reply to open: %+v", got)
		}
		closed, err := s.CloseHandoff(ctx, h.ID, "agent1")
		if err != nil || closed.State != HandoffClosed || closed.ClosedBy != "agent1" || len(closed.Replies) != 1 ||
			closed.Replies[0].Body != "您好，护照加急请到出入境大厅。" {
			t.Fatalf("close: %+v %v", closed, err)
		}
		for name, err := range map[string]error{
			"reply closed": func() error { _, err := s.ReplyHandoff(ctx, h.ID, "agent1", "x"); return err }(),
			"claim closed": func() error { _, err := s.ClaimHandoff(ctx, h.ID, "agent1"); return err }(),
			"close closed": func() error { _, err := s.CloseHandoff(ctx, h.ID, "agent1"); return err }(),
		} {
			if !errors.Is(err, ErrState) {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, err := range map[string]error{
			"claim unknown": func() error { _, err := s.ClaimHandoff(ctx, 99999, "a"); return err }(),
			"reply unknown": func() error { _, err := s.ReplyHandoff(ctx, 99999, "a", "x"); return err }(),
			"get unknown":   func() error { _, err := s.Handoff(ctx, 99999); return err }(),
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := s.ReplyHandoff(ctx, hB.ID, "agent2", "   "); !errors.Is(err, ErrInput) {
			t.Errorf("empty reply: %v", err)
		}
		// After closing, a new request opens a new ticket.
		h3, err := s.OpenHandoff(ctx, conv.ID, 0, "again")
		if err != nil || h3.ID == h.ID || h3.State != HandoffOpen {
			t.Fatalf("new ticket after close: %+v %v", h3, err)
		}
		mine, total, err := s.Handoffs(ctx, HandoffFilter{ConversationID: conv.ID}, Page{})
		if err != nil || total != 2 || mine[0].ID != h.ID || len(mine[0].Replies) != 1 || mine[1].ID != h3.ID {
			t.Fatalf("by conversation: %+v %d %v", mine, total, err)
		}
		closedOnly, total, err := s.Handoffs(ctx, HandoffFilter{States: []HandoffState{HandoffClosed}}, Page{})
		if err != nil || total != 1 || closedOnly[0].ID != h.ID {
			t.Fatalf("closed: %+v %v", closedOnly, err)
		}
	})
}

// Two staff members racing for one ticket: exactly one gets it.
func TestConcurrentClaims(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *testClock) {
		ctx := context.Background()
		conv, _ := s.NewConversation(ctx, "web")
		h, _ := s.OpenHandoff(ctx, conv.ID, 0, "")
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ClaimHandoff(ctx, h.ID, fmt.Sprint("agent", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case !errors.Is(err, ErrState):
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("%d claims succeeded", won)
		}
	})
}

// The queue shows what the resident wrote: not the assistant's "已为您转
// 接…", and not a bare "转人工" when an earlier message says what the matter
// is; complaints are told apart.
func TestHandoffLastQuestion(t *testing.T) {
	t.Parallel()
	line := func(role, text string) TranscriptLine { return TranscriptLine{Role: role, Text: text} }
	for _, c := range []struct {
		lines []TranscriptLine
		want  string
	}{
		{[]TranscriptLine{line("resident", "社保卡丢了怎么补"), line("assistant", "【社会保障卡补换】…"), line("resident", "转人工"), line("assistant", "好的，已为您转接人工客服")}, "社保卡丢了怎么补"},
		{[]TranscriptLine{line("resident", "我的补贴怎么还没到账，帮我转人工"), line("assistant", "好的，已为您转接人工客服")}, "我的补贴怎么还没到账，帮我转人工"},
		{[]TranscriptLine{line("resident", "人工客服！"), line("assistant", "好的，已为您转接人工客服")}, "人工客服！"},
		{nil, ""},
	} {
		if got := (Handoff{Transcript: c.lines}).LastQuestion(); got != c.want {
			t.Errorf("LastQuestion = %q, want %q", got, c.want)
		}
	}
	if !(Handoff{Reason: ReasonComplaint + "：态度差"}).Complaint() || (Handoff{Reason: "居民要求转人工"}).Complaint() {
		t.Error("Complaint")
	}
}
