package convo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Turns recorded in group transactions come out as recorded one by one,
// however they were merged (one statement for a batch's turns on
// PostgreSQL): several turns of one conversation in one call (the later
// ones go to later statements) and calls of many conversations at once,
// each turn with its index, fields, label and citations, its ID set when
// the call returned.
func TestRecordTurnsMerged(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, _ *testClock) {
		ctx := context.Background()
		labelAt := store.T(time.Date(2026, 11, 1, 2, 0, 30, 0, time.UTC))
		turn := func(conv string, i int) Turn {
			tn := Turn{ConversationID: conv, Question: fmt.Sprintf("问题%d 电话13812345678", i), Status: StatusAnswered,
				Aspect: "materials", Answer: fmt.Sprint("回答", i), LatencyMS: int64(i), Confidence: 0.5}
			switch i % 3 {
			case 0:
				tn.ItemIDs = []string{"FT-001", "FT-002"}
			case 1:
				tn.Generated, tn.Model = true, "qwen3"
				tn.Label = Label{Generator: "Fuwu", Model: "qwen3", Time: labelAt}
				tn.ItemIDs = []string{"FT-003"}
			}
			return tn
		}
		tests := []struct {
			name  string
			calls [][]string // per concurrent call, the conversations of its turns in order
		}{
			{"one call, turns of two conversations interleaved", [][]string{{"a", "b", "a", "a", "b"}}},
			{"many calls, one turn each", func() [][]string {
				var c [][]string
				for i := range 40 {
					c = append(c, []string{fmt.Sprint("c", i)})
				}
				return c
			}()},
		}
		for _, tc := range tests {
			want := map[string]int{} // turns per conversation
			outs := make([][]Turn, len(tc.calls))
			errs := make([]error, len(tc.calls))
			var wg sync.WaitGroup
			for ci, convs := range tc.calls {
				outs[ci] = make([]Turn, len(convs))
				for _, c := range convs {
					want[tc.name+c]++
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					seen := map[string]int{}
					errs[ci] = s.db.GroupQueue(ctx, func(tx *store.Tx) error {
						clear(seen)
						for k, c := range convs {
							id := tc.name + c
							if err := s.RecordMaskedTurnQueued(ctx, tx, "web", MaskTurn(turn(id, seen[id])), &outs[ci][k]); err != nil {
								return err
							}
							seen[id]++
						}
						return nil
					})
				}()
			}
			wg.Wait()
			for ci, err := range errs {
				if err != nil {
					t.Fatalf("%s: call %d: %v", tc.name, ci, err)
				}
				for _, out := range outs[ci] {
					got, err := s.Turn(ctx, out.ID)
					if err != nil || got.Index != out.Index || got.ConversationID != out.ConversationID {
						t.Fatalf("%s: turn %+v read back as %+v (%v)", tc.name, out, got, err)
					}
				}
			}
			for id, n := range want {
				c, turns, err := s.Conversation(ctx, id)
				if err != nil || c.Turns != n || len(turns) != n || c.Channel != "web" {
					t.Fatalf("%s: conversation %s: %+v, %d turns, %v", tc.name, id, c, len(turns), err)
				}
				for i, got := range turns {
					w := turn(id, i)
					if got.Index != i || !strings.HasPrefix(got.Question, fmt.Sprint("问题", i, " ")) || strings.Contains(got.Question, "13812345678") ||
						got.Answer != w.Answer || got.LatencyMS != w.LatencyMS || got.Aspect != w.Aspect ||
						got.Generated != w.Generated || got.Model != w.Model || got.Label.Generator != w.Label.Generator ||
						!got.Label.Time.Equal(w.Label.Time.Time) || strings.Join(got.ItemIDs, ",") != strings.Join(w.ItemIDs, ",") {
						t.Errorf("%s: %s turn %d: %+v, want %+v", tc.name, id, i, got, w)
					}
					var conf float64
					if err := s.db.QueryRow(ctx, `SELECT confidence FROM convo_turns WHERE id = ?`, got.ID).Scan(&conf); err != nil || conf != w.Confidence {
						t.Errorf("%s: %s turn %d: confidence %v (%v), want %v", tc.name, id, i, conf, err, w.Confidence)
					}
				}
			}
		}
	})
}
