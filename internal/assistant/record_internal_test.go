package assistant

import (
	"context"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// States saved in group transactions are those saved one by one, however
// they were merged (one statement for a batch's states on PostgreSQL):
// of one conversation's states saved in one call, the last; of many
// calls at once, each one's.
func TestSaveStatesMerged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tests := []struct {
			name  string
			calls [][]string // per concurrent call, the conversations of its saves in order
		}{
			{"one call, a conversation saved three times", [][]string{{"a", "b", "a", "a"}}},
			{"many calls", [][]string{{"c1"}, {"c2"}, {"c3"}, {"c4"}, {"c5"}, {"c6"}, {"c7"}, {"c8"}, {"c9", "c9"}}},
		}
		for _, tc := range tests {
			want := map[string]int{} // conversation: the Turns of its last save
			errs := make([]error, len(tc.calls))
			var wg sync.WaitGroup
			for ci, convs := range tc.calls {
				for k, c := range convs {
					want[tc.name+c] = 100*ci + k
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[ci] = db.GroupQueue(ctx, func(tx *store.Tx) error {
						for k, c := range convs {
							raw, err := encodeState(State{Turns: 100*ci + k})
							if err != nil {
								return err
							}
							if err := tx.QueueMerged(ctx, saveStates, savedState{id: tc.name + c, raw: raw, at: store.Now()}); err != nil {
								return err
							}
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
			}
			for id, turns := range want {
				st, ok, err := DBState{DB: db}.Load(ctx, id)
				if err != nil || !ok || st.Turns != turns {
					t.Errorf("%s: %s: state %+v (%v, %v), want the save with Turns %d", tc.name, id, st, ok, err, turns)
				}
			}
		}
	})
}
