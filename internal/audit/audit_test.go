package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func each(t *testing.T, fn func(t *testing.T, db *store.DB, l *Log, at *time.Time)) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		l := New(db)
		at := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		l.now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			at = at.Add(time.Hour)
			return at
		}
		fn(t, db, l, &at)
	})
}

func TestRecordList(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB, l *Log, at *time.Time) {
		ctx := context.Background()
		rec := func(e Entry) Entry {
			t.Helper()
			got, err := l.Record(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		first := rec(Entry{Actor: "admin", Role: "admin", Action: "user.create", Target: "user:editor1", IP: "10.0.0.1"})
		if first.ID != 1 || first.At.IsZero() || first.Details == nil {
			t.Fatalf("first %+v", first)
		}
		rec(Entry{Actor: "editor1", Role: "editor", Action: "kb.edit", Target: "item:FT-001",
			Details: map[string]any{"fields": []string{"materials"}, "version": 3}})
		rec(Entry{Actor: "reviewer1", Role: "reviewer", Action: "kb.publish", Target: "item:FT-001"})
		// Personal data in details is masked, numbers included.
		rep := rec(Entry{Actor: "agent1", Role: "agent", Action: "handoff.reply", Target: "handoff:7",
			Details: map[string]any{"text": "已致电13812345678", "callback": 13912345678, "nested": map[string]any{"id": "110101199003071233"},
				"n": 3, "ok": true}})
		js, _ := json.Marshal(rep.Details)
		for _, leak := range []string{"13812345678", "13912345678", "110101199003071233"} {
			if strings.Contains(string(js), leak) {
				t.Errorf("details leak %s: %s", leak, js)
			}
		}
		if !strings.Contains(string(js), `"n":3`) || !strings.Contains(string(js), `"ok":true`) || !strings.Contains(string(js), "139****5678") {
			t.Errorf("details %s", js)
		}
		for i := 0; i < 6; i++ {
			rec(Entry{Actor: "editor1", Role: "editor", Action: "kb.edit", Target: fmt.Sprintf("item:FT-%03d", i+10)})
		}

		list := func(f Filter, p Page) ([]int64, int) {
			t.Helper()
			es, total, err := l.List(ctx, f, p)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			return ids, total
		}
		for _, tc := range []struct {
			f    Filter
			want []int64
		}{
			{Filter{Actor: "reviewer1"}, []int64{3}},
			{Filter{Action: "kb.publish"}, []int64{3}},
			{Filter{Action: "kb."}, []int64{10, 9, 8, 7, 6, 5, 3, 2}},
			{Filter{Action: "kb"}, nil},
			{Filter{Target: "item:FT-001"}, []int64{3, 2}},
			{Filter{Actor: "editor1", Target: "item:FT-001"}, []int64{2}},
			// One entry an hour from 02:00Z: 11-01 in China ends at 16:00Z.
			{Filter{ToDay: "2026-11-01"}, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
			{Filter{FromDay: "2026-11-02"}, nil},
		} {
			got, total := list(tc.f, Page{})
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("%+v: %v (total %d), want %v", tc.f, got, total, tc.want)
			}
		}
		if got, total := list(Filter{}, Page{Limit: 3, Offset: 2}); !slices.Equal(got, []int64{8, 7, 6}) || total != 10 {
			t.Errorf("page %v total %d", got, total)
		}
		es, _, _ := l.List(ctx, Filter{Target: "item:FT-001", Actor: "editor1"}, Page{})
		if e := es[0]; e.Role != "editor" || fmt.Sprint(e.Details["version"]) != "3" || fmt.Sprint(e.Details["fields"]) != "[materials]" {
			t.Errorf("entry %+v", e)
		}
		if _, _, err := l.List(ctx, Filter{FromDay: "11/01"}, Page{}); !errors.Is(err, ErrInput) {
			t.Errorf("bad day: %v", err)
		}
		for _, bad := range []Entry{{Action: "x"}, {Actor: "a"}, {Actor: " ", Action: "x"}} {
			if _, err := l.Record(ctx, bad); !errors.Is(err, ErrInput) {
				t.Errorf("Record(%+v): %v", bad, err)
			}
		}
		if n, err := l.Verify(ctx); err != nil || n != 10 {
			t.Fatalf("verify: %d %v", n, err)
		}
	})
}

// The database itself refuses to change or remove entries.
func TestTamperingRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB, l *Log, at *time.Time) {
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			if _, err := l.Record(ctx, Entry{Actor: "editor1", Action: "kb.edit", Target: fmt.Sprint("item:", i)}); err != nil {
				t.Fatal(err)
			}
		}
		attempts := []string{
			`UPDATE audit_log SET actor = 'someone else' WHERE id = 2`,
			`UPDATE audit_log SET details = '{}'`,
			`DELETE FROM audit_log WHERE id = 3`,
			`DELETE FROM audit_log`,
		}
		if db.Dialect == store.Postgres {
			attempts = append(attempts, `TRUNCATE audit_log`)
		}
		for _, q := range attempts {
			_, err := db.Exec(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE actor = 'editor1'`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("after attempts: %d entries, %v", n, err)
		}
		if n, err := l.Verify(ctx); err != nil || n != 3 {
			t.Fatalf("verify: %d %v", n, err)
		}
	})
}

// Someone able to drop the triggers can change rows, but not unseen.
func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change string
		wantID int64
	}{
		{"edit", `UPDATE audit_log SET target = 'item:other' WHERE id = 3`, 3},
		{"delete middle", `DELETE FROM audit_log WHERE id = 2`, 2},
		{"delete latest", `DELETE FROM audit_log WHERE id = 5`, 5},
		{"rewrite hash", `UPDATE audit_log SET actor = 'x', hash = 'deadbeef' WHERE id = 4`, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			each(t, func(t *testing.T, db *store.DB, l *Log, at *time.Time) {
				ctx := context.Background()
				for i := 0; i < 5; i++ {
					if _, err := l.Record(ctx, Entry{Actor: "editor1", Action: "kb.edit", Target: fmt.Sprint("item:", i)}); err != nil {
						t.Fatal(err)
					}
				}
				disable := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
				if db.Dialect == store.Postgres {
					disable = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
				}
				for _, q := range append(disable, tc.change) {
					if _, err := db.Exec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				_, err := l.Verify(ctx)
				var te *TamperError
				if !errors.As(err, &te) || !errors.Is(err, ErrTampered) || te.ID != tc.wantID {
					t.Fatalf("verify: %v, want tampering at %d", err, tc.wantID)
				}
			})
		})
	}
}

func TestConcurrentRecord(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB, l *Log, at *time.Time) {
		ctx := context.Background()
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := l.Record(ctx, Entry{Actor: fmt.Sprint("u", i), Action: "user.login"}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n, err := l.Verify(ctx); err != nil || n != 20 {
			t.Fatalf("verify after concurrent writes: %d %v", n, err)
		}
	})
}

// A log moved to SM3 keeps verifying its SHA-256 entries, chains every
// later entry with SM3 even from a writer without the gm suite, and
// refuses an entry rewritten back to SHA-256.
func TestSM3Chain(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB, l *Log, at *time.Time) {
		ctx := context.Background()
		record := func(l *Log, i int) {
			if _, err := l.Record(ctx, Entry{Actor: "editor1", Action: "kb.edit", Target: fmt.Sprint("item:", i)}); err != nil {
				t.Fatal(err)
			}
		}
		record(l, 1)
		record(l, 2)
		gm := New(db).WithClock(l.now, nil).WithSuite(cryptosuite.GM)
		record(gm, 3)
		record(l, 4) // a standard writer after the switch
		rows, err := db.Query(ctx, `SELECT id, prev_hash, hash FROM audit_log ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var hashes []string
		for rows.Next() {
			var id int64
			var prev, h string
			if err := rows.Scan(&id, &prev, &h); err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, h)
		}
		rows.Close()
		for i, h := range hashes {
			if sm3 := strings.HasPrefix(h, "sm3:"); sm3 != (i >= 2) {
				t.Errorf("entry %d hash %q: want SM3 from entry 3 on", i+1, h)
			}
		}
		if n, err := l.Verify(ctx); err != nil || n != 4 {
			t.Fatalf("verify: %d %v", n, err)
		}
		// Entry 4 rewritten as if chained with SHA-256.
		var at4, actor, role, action, target, details, ip string
		if err := db.QueryRow(ctx, `SELECT at, actor, role, action, target, details, ip FROM audit_log WHERE id = 4`).
			Scan(&at4, &actor, &role, &action, &target, &details, &ip); err != nil {
			t.Fatal(err)
		}
		forged := chainHash(cryptosuite.Standard, hashes[2], 4, at4, actor, role, action, target, details, ip)
		disable := []string{`DROP TRIGGER audit_log_no_update`}
		if db.Dialect == store.Postgres {
			disable = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
		}
		for _, q := range disable {
			if _, err := db.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(ctx, `UPDATE audit_log SET hash = ? WHERE id = 4`, forged); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, forged); err != nil {
			t.Fatal(err)
		}
		var te *TamperError
		if _, err := l.Verify(ctx); !errors.As(err, &te) || te.ID != 4 {
			t.Fatalf("downgrade not found: %v", err)
		}
	})
}

// The SM3 chain hash is SM3 over the same framing as the SHA-256 one.
func TestChainHashSM3(t *testing.T) {
	t.Parallel()
	got := chainHash(cryptosuite.GM, "", 1, "a", "b")
	want := "sm3:" + hex.EncodeToString(cryptosuite.GM.Sum([]byte("0:|1|1:a|1:b|")))
	if got != want {
		t.Fatalf("chainHash = %s, want %s", got, want)
	}
	if std := chainHash(cryptosuite.Standard, "", 1, "a", "b"); std != hex.EncodeToString(cryptosuite.Standard.Sum([]byte("0:|1|1:a|1:b|"))) {
		t.Fatalf("standard chainHash changed: %s", std)
	}
}
