package assistant_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// With the database behind it, a conversation continues on another
// replica, and the record keeps every turn masked, with its handoff,
// whether each turn commits its own writes or shares a group commit.
func TestPersistedConversation(t *testing.T) {
	t.Parallel()
	for _, group := range []bool{false, true} {
		t.Run(map[bool]string{false: "per-turn", true: "group"}[group], func(t *testing.T) {
			t.Parallel()
			testPersistedConversation(t, group)
		})
	}
}

func testPersistedConversation(t *testing.T, group bool) {
	storetest.Each(t, []store.Migrations{assistant.Migrations, convo.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cs := convo.NewStore(db)
		replica := func() *assistant.Assistant {
			return demoAssistant(t, func(c *assistant.Config) {
				c.States = assistant.DBState{DB: db}
				c.Recorder = assistant.ConvoRecorder{Store: cs}
				if group {
					c.Turns = assistant.GroupTurns{DB: db, Convo: cs}
				}
			})
		}
		a, b := replica(), replica()
		r1, err := a.Ask(ctx, assistant.Request{Message: "想领失业金，我电话13912345678", Channel: "web"})
		if err != nil {
			t.Fatal(err)
		}
		r2, err := b.Ask(ctx, assistant.Request{ConversationID: r1.ConversationID, Message: "要带什么"})
		if err != nil || r2.Citations[0].ID != "FT-015" || r2.Aspect != assistant.Materials {
			t.Fatalf("second replica lost the thread: %v %+v", err, r2)
		}
		r3, err := a.Ask(ctx, assistant.Request{ConversationID: r1.ConversationID, Message: "转人工"})
		if err != nil || r3.Status != assistant.Handoff || r3.HandoffID == 0 {
			t.Fatalf("handoff: %v %+v", err, r3)
		}
		c, turns, err := cs.Conversation(ctx, r1.ConversationID)
		if err != nil || len(turns) != 3 || c.Channel != "web" {
			t.Fatalf("record: %v %+v %d turns", err, c, len(turns))
		}
		if strings.Contains(turns[0].Question, "13912345678") || turns[0].ItemIDs[0] != "FT-015" || turns[1].Aspect != "materials" {
			t.Fatalf("turn record %+v", turns[0])
		}
		h, err := cs.Handoff(ctx, r3.HandoffID)
		transcript := fmt.Sprint(h.Transcript)
		if err != nil || !strings.Contains(transcript, "失业金") || strings.Contains(transcript, "13912345678") {
			t.Fatalf("ticket %v %+v", err, h)
		}
	})
}

// Concurrent conversations through group commit: every turn's record and
// state are kept, in each conversation's order; with a state cache, what
// it answers is what the database holds.
func TestGroupTurnsConcurrent(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{false, true} {
		t.Run(map[bool]string{false: "uncached", true: "cached"}[cached], func(t *testing.T) {
			t.Parallel()
			testGroupTurnsConcurrent(t, cached)
		})
	}
}

func testGroupTurnsConcurrent(t *testing.T, cached bool) {
	storetest.Each(t, []store.Migrations{assistant.Migrations, convo.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cs := convo.NewStore(db)
		var cache *assistant.StateCache
		if cached {
			cache = assistant.NewStateCache()
		}
		states := assistant.DBState{DB: db, Cache: cache}
		a := demoAssistant(t, func(c *assistant.Config) {
			c.States = states
			c.Recorder = assistant.ConvoRecorder{Store: cs}
			c.Turns = assistant.GroupTurns{DB: db, Convo: cs, Cache: cache}
		})
		dialogue := []string{"想领失业金", "要带什么", "网上能办吗"}
		const n = 24
		ids := make([]string, n)
		errs := make(chan error, n)
		for i := range n {
			go func() {
				conv := ""
				for _, q := range dialogue {
					r, err := a.Ask(ctx, assistant.Request{ConversationID: conv, Message: q, Channel: "api"})
					if err != nil {
						errs <- err
						return
					}
					if r.TurnID == 0 {
						errs <- fmt.Errorf("%q: no turn id", q)
						return
					}
					conv = r.ConversationID
				}
				ids[i] = conv
				errs <- nil
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range ids {
			c, turns, err := cs.Conversation(ctx, id)
			if err != nil || c.Turns != len(dialogue) || len(turns) != len(dialogue) {
				t.Fatalf("%s: %v %+v %d turns", id, err, c, len(turns))
			}
			for i, tn := range turns {
				if tn.Question != dialogue[i] || tn.Index != i {
					t.Fatalf("%s turn %d: %+v", id, i, tn)
				}
			}
			st, ok, err := assistant.DBState{DB: db}.Load(ctx, id)
			if err != nil || !ok || st.Turns != len(dialogue) || st.Item != "FT-015" {
				t.Fatalf("%s state %v %v %+v", id, err, ok, st)
			}
			if st2, ok, err := states.Load(ctx, id); err != nil || !ok || !reflect.DeepEqual(st2, st) {
				t.Fatalf("%s: state through the cache %v %v %+v, stored %+v", id, err, ok, st2, st)
			}
		}
	})
}

// countingStates counts the loads of a StateStore.
type countingStates struct {
	assistant.MemoryState
	loads int
}

func (c *countingStates) Load(ctx context.Context, id string) (assistant.State, bool, error) {
	c.loads++
	return c.MemoryState.Load(ctx, id)
}

// A conversation id issued for the request (Fresh) has no state to look
// up; one the caller continues is looked up and continued.
func TestFreshConversationSkipsLoad(t *testing.T) {
	t.Parallel()
	states := &countingStates{}
	a := demoAssistant(t, func(c *assistant.Config) { c.States = states })
	ctx := context.Background()
	id := assistant.NewConversationID()
	r1, err := a.Ask(ctx, assistant.Request{ConversationID: id, NewConversation: true, Fresh: true, Message: "想领失业金"})
	if err != nil || r1.ConversationID != id || states.loads != 0 {
		t.Fatalf("fresh turn: %v, id %q (want %q), %d loads", err, r1.ConversationID, id, states.loads)
	}
	r2, err := a.Ask(ctx, assistant.Request{ConversationID: id, NewConversation: true, Message: "要带什么"})
	if err != nil || states.loads != 1 || r2.Aspect != assistant.Materials || len(r2.Citations) == 0 || r2.Citations[0].ID != "FT-015" {
		t.Fatalf("continued turn: %v, %d loads, %+v", err, states.loads, r2)
	}
}
