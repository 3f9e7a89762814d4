package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// LoginGuard limits password guessing. Every attempt is counted in the
// database before its password is hashed, in one atomic statement, so a
// burst of simultaneous guesses is cut at the limit however many arrive
// at once, and every replica sees the same counts.
//
// It locks an account from one address (PerAccount attempts per Window),
// never an account from everywhere: a stranger who types wrong passwords
// for "admin" locks out only their own address. An address that tries
// many accounts is stopped by PerAddress. Staff lift a lock with
// "fuwu user unlock".
type LoginGuard struct {
	db         *store.DB
	PerAccount int           // attempts per account and address; default 5
	PerAddress int           // attempts per address, all accounts; default 20
	Window     time.Duration // default 15 minutes
	Now        func() time.Time
}

// NewLoginGuard counts attempts in db (migrated with Migrations).
func NewLoginGuard(db *store.DB) *LoginGuard {
	return &LoginGuard{db: db, PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute, Now: time.Now}
}

// Attempt is one counted login attempt.
type Attempt struct {
	Username, IP string
	// Allowed is false when the account (from this address) or the
	// address is locked; Wait is then how long until the window ends.
	Allowed bool
	Wait    time.Duration
	// LastAccount / LastAddress: this attempt is the last one the limit
	// allows; if it fails, the lock starts (for the audit trail).
	LastAccount, LastAddress bool
}

func normUser(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// Begin counts an attempt to log in as username from ip and says whether
// its password may be checked.
func (g *LoginGuard) Begin(ctx context.Context, username, ip string) (Attempt, error) {
	a := Attempt{Username: normUser(username), IP: ip, Allowed: true}
	now := g.Now()
	for _, k := range []struct {
		user  string
		limit int
		last  *bool
	}{{a.Username, g.PerAccount, &a.LastAccount}, {"", g.PerAddress, &a.LastAddress}} {
		n, started, err := g.count(ctx, k.user, ip, now)
		if err != nil {
			return Attempt{}, err
		}
		*k.last = n == k.limit
		if n > k.limit {
			a.Allowed = false
			a.Wait = max(a.Wait, started.Add(g.Window).Sub(now))
		}
	}
	return a, nil
}

// count adds one attempt to the (username, ip) counter, starting a new
// window when the last one has ended, and returns the count and when the
// window started. One statement: concurrent attempts each get their own n.
func (g *LoginGuard) count(ctx context.Context, username, ip string, now time.Time) (int, time.Time, error) {
	t, expired := store.T(now), store.T(now.Add(-g.Window))
	var n int
	var started store.Time
	err := g.db.QueryRow(ctx, `INSERT INTO auth_login_attempts (username, ip, started_at, n) VALUES (?, ?, ?, 1)
		ON CONFLICT (username, ip) DO UPDATE SET
			n = CASE WHEN auth_login_attempts.started_at <= ? THEN 1 ELSE auth_login_attempts.n + 1 END,
			started_at = CASE WHEN auth_login_attempts.started_at <= ? THEN excluded.started_at ELSE auth_login_attempts.started_at END
		RETURNING n, started_at`, username, ip, t, expired, expired).Scan(&n, &started)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count login attempt: %w", err)
	}
	return n, started.Time, nil
}

// Succeeded clears the account's count from the address, and takes the
// successful attempt off the address's count.
func (g *LoginGuard) Succeeded(ctx context.Context, a Attempt) error {
	return g.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM auth_login_attempts WHERE username = ? AND ip = ?`, a.Username, a.IP); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE auth_login_attempts SET n = n - 1 WHERE username = '' AND ip = ? AND n > 0`, a.IP)
		return err
	})
}

// Withdraw takes back an attempt whose password was never checked (the
// server was too busy to hash it).
func (g *LoginGuard) Withdraw(ctx context.Context, a Attempt) error {
	_, err := g.db.Exec(ctx, `UPDATE auth_login_attempts SET n = n - 1 WHERE ip = ? AND (username = ? OR username = '') AND n > 0`,
		a.IP, a.Username)
	return err
}

// Lock is an account (or, with Username "", an address) locked now.
type Lock struct {
	Username string
	IP       string
	Until    time.Time
}

// Locks lists what is locked now.
func (g *LoginGuard) Locks(ctx context.Context) ([]Lock, error) {
	now := g.Now()
	rows, err := g.db.Query(ctx, `SELECT username, ip, started_at, n FROM auth_login_attempts WHERE started_at > ? ORDER BY username, ip`,
		store.T(now.Add(-g.Window)))
	if err != nil {
		return nil, fmt.Errorf("login locks: %w", err)
	}
	defer rows.Close()
	var out []Lock
	for rows.Next() {
		var l Lock
		var started store.Time
		var n int
		if err := rows.Scan(&l.Username, &l.IP, &started, &n); err != nil {
			return nil, fmt.Errorf("login locks: %w", err)
		}
		limit := g.PerAccount
		if l.Username == "" {
			limit = g.PerAddress
		}
		if n >= limit {
			l.Until = started.Add(g.Window)
			out = append(out, l)
		}
	}
	return out, rows.Err()
}

// ErrNoLock is returned by Unlock when nothing matched.
var ErrNoLock = errors.New("auth: no login attempts recorded for that account or address")

// Unlock clears the counts of an account (from every address, or from ip
// only) or, with username "", of an address (its own count and those of
// every account from it).
func (g *LoginGuard) Unlock(ctx context.Context, username, ip string) (int, error) {
	username = normUser(username)
	var q string
	var args []any
	switch {
	case username == "" && ip == "":
		return 0, errors.New("unlock: name an account or an address")
	case username == "":
		q, args = `DELETE FROM auth_login_attempts WHERE ip = ?`, []any{ip}
	case ip == "":
		q, args = `DELETE FROM auth_login_attempts WHERE username = ?`, []any{username}
	default:
		q, args = `DELETE FROM auth_login_attempts WHERE username = ? AND ip = ?`, []any{username, ip}
	}
	res, err := g.db.Exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("unlock: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, ErrNoLock
	}
	return int(n), nil
}
