package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// Issue 10, finding 2: 60 simultaneous attempts for one account from one
// address are cut at the limit, because each is counted before any
// password is hashed.
func TestLoginGuardBurst(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		g := NewLoginGuard(db)
		g.PerAddress = 1000 // the account's limit alone decides here
		ctx := context.Background()
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		start := make(chan struct{})
		for range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				a, err := g.Begin(ctx, "admin", "203.0.113.9")
				if err != nil {
					t.Error(err)
					return
				}
				if a.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		if allowed != g.PerAccount {
			t.Fatalf("%d of 60 simultaneous attempts allowed, want %d", allowed, g.PerAccount)
		}
	})
}

// Finding 7: a lock holds an account from one address only, lasts one
// window (a fake clock moves it), and "fuwu user unlock" lifts it.
func TestLoginGuardLocksAccountAndAddress(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		g := NewLoginGuard(db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		g.Now = func() time.Time { return now }
		ctx := context.Background()
		begin := func(user, ip string) Attempt {
			t.Helper()
			a, err := g.Begin(ctx, user, ip)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		for i := 1; i <= g.PerAccount; i++ {
			a := begin("admin", "203.0.113.9")
			if !a.Allowed || a.LastAccount != (i == g.PerAccount) {
				t.Fatalf("attempt %d = %+v", i, a)
			}
		}
		if a := begin("Admin", "203.0.113.9"); a.Allowed || a.Wait != g.Window {
			t.Fatalf("sixth attempt = %+v, want locked for the window", a)
		}
		// The account is not locked from another address.
		if a := begin("admin", "198.51.100.7"); !a.Allowed {
			t.Fatal("the account is locked for everyone")
		}
		locks, err := g.Locks(ctx)
		if err != nil || len(locks) != 1 || locks[0].Username != "admin" || locks[0].IP != "203.0.113.9" {
			t.Fatalf("locks = %+v, %v", locks, err)
		}
		// The window ends.
		now = now.Add(g.Window - time.Second)
		if a := begin("admin", "203.0.113.9"); a.Allowed {
			t.Fatal("unlocked before the window ended")
		}
		now = now.Add(time.Second)
		if a := begin("admin", "203.0.113.9"); !a.Allowed {
			t.Fatal("still locked after the window")
		}
		// An address trying many accounts is stopped too.
		for i := 0; i < g.PerAddress; i++ {
			begin(string(rune('a'+i))+"-user", "192.0.2.1")
		}
		if a := begin("someone", "192.0.2.1"); a.Allowed {
			t.Fatal("an address guessing across accounts was not stopped")
		}
		// Unlock from the command line.
		for i := 0; i < g.PerAccount; i++ {
			begin("editor", "192.0.2.50")
		}
		if n, err := g.Unlock(ctx, "editor", ""); err != nil || n != 1 {
			t.Fatalf("unlock = %d, %v", n, err)
		}
		if a := begin("editor", "192.0.2.50"); !a.Allowed {
			t.Fatal("still locked after unlock")
		}
		if _, err := g.Unlock(ctx, "nobody", ""); !errors.Is(err, ErrNoLock) {
			t.Errorf("unlock of nothing = %v", err)
		}
		if n, err := g.Unlock(ctx, "", "192.0.2.1"); err != nil || n == 0 {
			t.Fatalf("unlock address = %d, %v", n, err)
		}
	})
}

// Finding 2: password hashing runs in a bounded number of slots; a check
// beyond them is refused at once (ErrBusy), not queued. Counted, not timed.
func TestHashSlots(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db)
		s.Hash = fastHash
		s.HashSlots = 2
		if _, err := s.AddUser(ctx, "admin", "", Admin, "admin password 1"); err != nil {
			t.Fatal(err)
		}
		entered, release := make(chan struct{}), make(chan struct{})
		s.check = func(pw, enc string) (bool, error) {
			entered <- struct{}{}
			<-release
			return CheckPassword(pw, enc)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = s.Authenticate(ctx, "admin", "wrong password")
			}()
			<-entered
		}
		// Both slots are held: more attempts are refused without hashing.
		for range 10 {
			if _, err := s.Authenticate(ctx, "admin", "wrong password"); !errors.Is(err, ErrBusy) {
				t.Fatalf("attempt beyond the slots = %v, want ErrBusy", err)
			}
		}
		close(release)
		wg.Wait()
		if n := s.PasswordChecks(); n != 2 {
			t.Fatalf("%d hashes computed, want 2", n)
		}
		s.check = nil
		if _, err := s.Authenticate(ctx, "admin", "admin password 1"); err != nil {
			t.Fatalf("login after the burst: %v", err)
		}
	})
}
