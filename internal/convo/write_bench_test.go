package convo

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// BenchmarkRecordTurnGroup records turns as the assistant's group
// transactions do (store.DB.GroupQueue, 16 writers, 200 conversations):
// one op is one recorded turn with two citations, cpu-us/turn the
// process's CPU (user + system) per turn. It measures the store's
// share of a chat turn without the HTTP server and the assistant.
func BenchmarkRecordTurnGroup(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run("db="+string(d), func(b *testing.B) {
			db := storetest.Open(b, d, Migrations)
			s := NewStore(db)
			ctx := context.Background()
			const writers = 200
			b.ReportAllocs()
			cpu0 := cpuTime(b)
			b.ResetTimer()
			var wg sync.WaitGroup
			next := make(chan int, writers)
			go func() {
				for i := 0; i < b.N; i++ {
					next <- i
				}
				close(next)
			}()
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range next {
						m := MaskTurn(Turn{ConversationID: fmt.Sprintf("bench-conv-%03d", w), Status: "answered",
							Question: "怎么办理居住证", Answer: "请携带身份证到派出所办理。", ItemIDs: []string{"item-a", "item-b"}})
						var out Turn
						if err := db.GroupQueue(ctx, func(tx *store.Tx) error {
							return s.RecordMaskedTurnQueued(ctx, tx, "web", m, &out)
						}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-us/turn")
		})
	}
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
