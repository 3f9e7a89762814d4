package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the accounts schema.
var Migrations = store.Migrations{Component: "auth", FS: migrationFS, Dir: "migrations"}

// Errors callers tell apart. The refusals (package refusal) carry the
// message staff read.
var (
	ErrNotFound    = errors.New("auth: no such user")
	ErrNoSession   = errors.New("auth: no session")
	ErrBadLogin    = refusal.New("auth", "bad_login", "用户名或密码错误")
	ErrDisabled    = refusal.New("auth", "disabled", "该账号已停用")
	ErrUserExists  = refusal.New("auth", "user_exists", "用户名已存在")
	ErrBadUsername = refusal.New("auth", "bad_username", "用户名只能包含字母、数字、点、横线和下划线（2–64 个字符）")
	ErrLastAdmin   = refusal.New("auth", "last_admin", "不能停用或降级最后一个管理员")
	// ErrBusy: every password-hashing slot is taken; try again shortly.
	ErrBusy = refusal.New("auth", "busy", "登录请求较多，请稍后再试")
)

// User is a staff account.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Role        Role
	Disabled    bool
	CreatedAt   store.Time
	LastLoginAt store.Time
}

// Name is what the console shows: the display name, else the username.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// Can reports whether the user's role holds the permission; a disabled
// user can do nothing.
func (u User) Can(p Permission) bool { return !u.Disabled && u.Role.Can(p) }

// Store keeps accounts and sessions.
type Store struct {
	db *store.DB
	// Hash is the cost of new password hashes (tests lower it).
	Hash HashParams
	// SessionTTL is how long an idle session lives.
	SessionTTL time.Duration
	// Suite hashes session tokens for storage (cryptosuite.GM: SM3).
	Suite cryptosuite.Suite
	// dummy is a hash to check against when the user does not exist, so a
	// login for an unknown name costs as much as one for a known name.
	dummyOnce sync.Once
	dummy     string

	// HashSlots bounds how many password checks run at once (each holds
	// the hash's Memory, 64 MiB by default); a check beyond it is refused
	// with ErrBusy rather than queued. Read on first use; default 4.
	HashSlots int
	slotsOnce sync.Once
	slots     chan struct{}
	checks    atomic.Int64
	check     func(password, encoded string) (bool, error) // CheckPassword; tests hold a check open
}

// PasswordChecks is how many password hashes Authenticate has computed.
func (s *Store) PasswordChecks() int64 { return s.checks.Load() }

// checkPassword runs CheckPassword in one of the bounded slots.
func (s *Store) checkPassword(password, encoded string) (bool, error) {
	s.slotsOnce.Do(func() {
		n := s.HashSlots
		if n <= 0 {
			n = 4
		}
		s.slots = make(chan struct{}, n)
	})
	select {
	case s.slots <- struct{}{}:
	default:
		return false, ErrBusy
	}
	defer func() { <-s.slots }()
	s.checks.Add(1)
	if s.check != nil {
		return s.check(password, encoded)
	}
	return CheckPassword(password, encoded)
}

// NewStore wraps a migrated database.
func NewStore(db *store.DB) *Store {
	return &Store{db: db, Hash: DefaultHashParams, SessionTTL: 12 * time.Hour}
}

func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_')) {
			return false
		}
	}
	return true
}

// AddUser creates an account.
func (s *Store) AddUser(ctx context.Context, username, displayName string, role Role, password string) (User, error) {
	username = strings.TrimSpace(username)
	if !validUsername(username) {
		return User{}, ErrBadUsername
	}
	if _, err := ParseRole(string(role)); err != nil {
		return User{}, err
	}
	if len([]rune(password)) < MinPasswordLen {
		return User{}, ErrWeakPassword
	}
	hash, err := HashPassword(password, s.Hash)
	if err != nil {
		return User{}, err
	}
	now := store.Now()
	var id int64
	err = s.db.QueryRow(ctx, `INSERT INTO auth_users (username, display_name, role, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, username, strings.TrimSpace(displayName), role, hash, now, now).Scan(&id)
	if store.IsUniqueViolation(err) {
		return User{}, ErrUserExists
	}
	if err != nil {
		return User{}, fmt.Errorf("add user %s: %w", username, err)
	}
	return User{ID: id, Username: username, DisplayName: strings.TrimSpace(displayName), Role: role, CreatedAt: now}, nil
}

const userColumns = `id, username, display_name, role, disabled, created_at, last_login_at`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var disabled int
	err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &disabled, &u.CreatedAt, &u.LastLoginAt)
	u.Disabled = disabled != 0
	return u, err
}

// User returns one account by id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM auth_users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// UserByName returns one account by username.
func (s *Store) UserByName(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM auth_users WHERE username = ?`, strings.TrimSpace(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// DB is the database the accounts are kept in.
func (s *Store) DB() *store.DB { return s.db }

// Users lists every account ordered by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM auth_users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes an account's display name, role and disabled flag.
// The last active admin can be neither demoted nor disabled, so the
// console can never lock everyone out.
func (s *Store) UpdateUser(ctx context.Context, id int64, displayName string, role Role, disabled bool) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var oldRole Role
		var oldDisabled int
		err := tx.QueryRow(ctx, `SELECT role, disabled FROM auth_users WHERE id = ?`, id).Scan(&oldRole, &oldDisabled)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if oldRole == Admin && oldDisabled == 0 && (role != Admin || disabled) {
			var admins int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM auth_users WHERE role = 'admin' AND disabled = 0`).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return ErrLastAdmin
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE auth_users SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			strings.TrimSpace(displayName), role, boolInt(disabled), store.Now(), id); err != nil {
			return err
		}
		if disabled {
			_, err = tx.Exec(ctx, `DELETE FROM auth_sessions WHERE user_id = ?`, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return ErrWeakPassword
	}
	hash, err := HashPassword(password, s.Hash)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE auth_users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, store.Now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM auth_sessions WHERE user_id = ?`, id)
		return err
	})
}

// Authenticate checks a username and password. Unknown names and wrong
// passwords give the same error after the same work.
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	var hash string
	var id int64
	var disabled int
	err := s.db.QueryRow(ctx, `SELECT id, password_hash, disabled FROM auth_users WHERE username = ?`,
		strings.TrimSpace(username)).Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		s.dummyOnce.Do(func() { s.dummy, _ = HashPassword("no such user", s.Hash) })
		if _, err := s.checkPassword(password, s.dummy); errors.Is(err, ErrBusy) {
			return User{}, err
		}
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	ok, err := s.checkPassword(password, hash)
	if errors.Is(err, ErrBusy) {
		return User{}, err
	}
	if err != nil {
		return User{}, fmt.Errorf("login %s: %w", username, err)
	}
	if !ok {
		return User{}, ErrBadLogin
	}
	if disabled != 0 {
		return User{}, ErrDisabled
	}
	if _, err := s.db.Exec(ctx, `UPDATE auth_users SET last_login_at = ? WHERE id = ?`, store.Now(), id); err != nil {
		return User{}, err
	}
	return s.User(ctx, id)
}

// Session is a logged-in staff member's session.
type Session struct {
	Token     string // the cookie value; only known when the session is created
	User      User
	ExpiresAt time.Time
}

// CreateSession starts a session for a user and returns its token.
func (s *Store) CreateSession(ctx context.Context, u User, ip string) (Session, error) {
	token, hash, err := newToken(s.Suite)
	if err != nil {
		return Session{}, err
	}
	now := store.Now()
	exp := store.T(now.Add(s.SessionTTL))
	if _, err := s.db.Exec(ctx, `INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, last_seen, ip)
		VALUES (?, ?, ?, ?, ?, ?)`, hash, u.ID, now, exp, now, ip); err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	// Expired sessions are swept now and then rather than by a timer.
	_, _ = s.db.Exec(ctx, `DELETE FROM auth_sessions WHERE expires_at < ?`, now)
	return Session{Token: token, User: u, ExpiresAt: exp.Time}, nil
}

// Lookup returns the session for a cookie token, sliding its expiry.
func (s *Store) Lookup(ctx context.Context, token string) (Session, error) {
	if len(token) < 20 {
		return Session{}, ErrNoSession
	}
	hash := hashToken(s.Suite, token)
	var uid int64
	var exp, seen store.Time
	err := s.db.QueryRow(ctx, `SELECT user_id, expires_at, last_seen FROM auth_sessions WHERE token_hash = ?`, hash).Scan(&uid, &exp, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	now := store.Now()
	if now.After(exp.Time) {
		_, _ = s.db.Exec(ctx, `DELETE FROM auth_sessions WHERE token_hash = ?`, hash)
		return Session{}, ErrNoSession
	}
	u, err := s.User(ctx, uid)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	// Slide the expiry at most once a minute, to keep reads cheap.
	if now.Sub(seen.Time) > time.Minute {
		exp = store.T(now.Add(s.SessionTTL))
		_, _ = s.db.Exec(ctx, `UPDATE auth_sessions SET last_seen = ?, expires_at = ? WHERE token_hash = ?`, now, exp, hash)
	}
	return Session{User: u, ExpiresAt: exp.Time}, nil
}

// EndSession logs a session out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM auth_sessions WHERE token_hash = ?`, hashToken(s.Suite, token))
	return err
}

// Secret returns a named 32-byte server secret, creating it on first use.
// Replicas sharing a database share the secret.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO auth_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, hex.EncodeToString(b)); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	var v string
	if err := s.db.QueryRow(ctx, `SELECT value FROM auth_secrets WHERE name = ?`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return hex.DecodeString(v)
}

// CSRF makes and checks form tokens. A token is the HMAC of a per-browser
// random value (kept in an HttpOnly cookie) under the server secret, so a
// page on another site can neither read nor forge it, and a cookie planted
// by another site is useless without the matching token.
type CSRF struct {
	key   []byte
	suite cryptosuite.Suite
}

// NewCSRF uses key as the HMAC key, with HMAC-SHA256.
func NewCSRF(key []byte) *CSRF { return &CSRF{key: key} }

// WithSuite makes tokens with the suite's HMAC (HMAC-SM3 for GM).
func (c *CSRF) WithSuite(s cryptosuite.Suite) *CSRF {
	c.suite = s
	return c
}

// NewSeed returns a fresh per-browser value for the CSRF cookie.
func (c *CSRF) NewSeed() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Token is the form token for a cookie seed.
func (c *CSRF) Token(seed string) string {
	m := c.suite.MAC(c.key)
	m.Write([]byte("csrf\x00" + seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Valid reports whether token matches seed.
func (c *CSRF) Valid(seed, token string) bool {
	if len(seed) < 16 || token == "" {
		return false
	}
	return hmac.Equal([]byte(c.Token(seed)), []byte(token))
}
