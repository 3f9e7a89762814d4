package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Concurrent reads, batched or not, each get their own key's value (a
// key read twice at once included), a missing key is reported missing,
// and a read whose context has ended is refused.
func TestKeyReader(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{testMigrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 50 {
			if _, err := db.Exec(ctx, `INSERT INTO thing (id, n) VALUES (?, ?)`, fmt.Sprint("k", i), i*10); err != nil {
				t.Fatal(err)
			}
		}
		r := db.NewKeyReader(`SELECT id, n FROM thing WHERE id`)
		const reads = 300
		type got struct {
			v     string
			found bool
			err   error
		}
		res := make([]got, reads)
		var wg sync.WaitGroup
		for i := range reads {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, found, err := r.Get(ctx, fmt.Sprint("k", i%70)) // k50…k69 do not exist
				res[i] = got{v, found, err}
			}()
		}
		wg.Wait()
		for i, g := range res {
			k := i % 70
			switch {
			case g.err != nil:
				t.Errorf("read %d: %v", i, g.err)
			case k >= 50 && g.found:
				t.Errorf("read %d: k%d found (%q), want missing", i, k, g.v)
			case k < 50 && (!g.found || g.v != strconv.Itoa(k*10)):
				t.Errorf("read %d: k%d = %q (found %v), want %d", i, k, g.v, g.found, k*10)
			}
		}
		// A write committed before a read is asked for is seen.
		if _, err := db.Exec(ctx, `UPDATE thing SET n = 7 WHERE id = 'k1'`); err != nil {
			t.Fatal(err)
		}
		if v, found, err := r.Get(ctx, "k1"); err != nil || !found || v != "7" {
			t.Errorf("k1 after the update = %q, %v, %v; want 7", v, found, err)
		}
		// Callers giving up while their reads wait neither stop the
		// others' nor keep a runner's slot: reads afterwards are served.
		var wg2 sync.WaitGroup
		for i := range 200 {
			wg2.Add(1)
			go func() {
				defer wg2.Done()
				c, stop := context.WithCancel(ctx)
				defer stop()
				if i%3 == 0 {
					go stop()
				}
				v, found, err := r.Get(c, fmt.Sprint("k", 10+i%5))
				if err == nil && (!found || v != strconv.Itoa((10+i%5)*10)) {
					t.Errorf("read %d: %q, %v", i, v, found)
				}
				if err != nil && (i%3 != 0 || !errors.Is(err, context.Canceled)) {
					t.Errorf("read %d: %v", i, err)
				}
			}()
		}
		wg2.Wait()
		for range 2 * 4 { // more than the runners' slots
			if v, found, err := r.Get(ctx, "k2"); err != nil || !found || v != "20" {
				t.Fatalf("k2 after abandoned reads = %q, %v, %v", v, found, err)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := r.Get(cctx, "k1"); !errors.Is(err, context.Canceled) {
			t.Errorf("read with an ended context: %v, want context.Canceled", err)
		}
	})
}
