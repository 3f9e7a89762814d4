package auth

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var fastHash = HashParams{Time: 1, Memory: 1024, Threads: 1}

func TestHashPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery", fastHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := HashPassword("correct horse battery", fastHash)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := CheckPassword(tc.pw, h)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$a$b", "$argon2id$v=19$m=99999999,t=1,p=1$YWJj$YWJj", "$argon2id$v=19$m=1024,t=1,p=1$!!$YWJj"} {
		if _, err := CheckPassword("x", bad); err == nil {
			t.Errorf("CheckPassword accepted malformed hash %q", bad)
		}
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role Role
		perm Permission
		want bool
	}{
		{Admin, ManageUsers, true}, {Editor, ManageUsers, false}, {Editor, EditKnowledge, true},
		{Editor, Publish, false}, {Reviewer, Publish, true}, {Agent, EditKnowledge, false},
		{Agent, HandleTickets, true}, {Reviewer, HandleTickets, false}, {"", ViewConsole, false},
		{Admin, EditLexicon, true}, {Reviewer, EditLexicon, true}, {Editor, EditLexicon, false}, {Agent, EditLexicon, false},
		// Teachers: the library and the teachers' assistant, nothing of residents' data.
		{Teacher, Teach, true}, {Teacher, ReadLibrary, true}, {Teacher, ImportLibrary, true}, {Teacher, ManageLibrary, false},
		{Teacher, ReadQuality, false}, {Teacher, HandleTickets, false}, {Teacher, ManageBookings, false}, {Teacher, EditKnowledge, false},
		{Agent, Teach, false}, {Editor, Teach, false}, {Admin, Teach, true}, {Agent, ReadLibrary, true}, {Agent, ImportLibrary, false},
		{Reviewer, ManageLibrary, true}, {Editor, ManageLibrary, false},
		{Agent, VideoGuide, true}, {Admin, VideoGuide, true}, {Editor, VideoGuide, false}, {Teacher, VideoGuide, false}, {Operator, VideoGuide, false},
		{Admin, VideoRecordings, true}, {Agent, VideoRecordings, false}, {Reviewer, VideoRecordings, false},
	} {
		if got := tc.role.Can(tc.perm); got != tc.want {
			t.Errorf("%s.Can(%s) = %v", tc.role, tc.perm, got)
		}
	}
	if r, err := ParseRole("审核员"); err != nil || r != Reviewer {
		t.Errorf("ParseRole(审核员) = %v, %v", r, err)
	}
	if r, err := ParseRole("教师"); err != nil || r != Teacher {
		t.Errorf("ParseRole(教师) = %v, %v", r, err)
	}
	if _, err := ParseRole("root"); err == nil {
		t.Error("ParseRole(root) succeeded")
	}
	if (User{Role: Admin, Disabled: true}).Can(ViewConsole) {
		t.Error("a disabled admin can view the console")
	}
}

func TestStore(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db)
		s.Hash = fastHash
		if _, err := s.AddUser(ctx, "bad name", "", Admin, "long enough password"); !errors.Is(err, ErrBadUsername) {
			t.Errorf("bad username: %v", err)
		}
		if _, err := s.AddUser(ctx, "short", "", Admin, "short"); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("short password: %v", err)
		}
		admin, err := s.AddUser(ctx, "admin", "管理员甲", Admin, "admin password 1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUser(ctx, "admin", "", Editor, "another password"); !errors.Is(err, ErrUserExists) {
			t.Errorf("duplicate: %v", err)
		}
		ed, err := s.AddUser(ctx, "editor1", "", Editor, "editor password")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "admin", "wrong password"); !errors.Is(err, ErrBadLogin) {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "nobody", "wrong password"); !errors.Is(err, ErrBadLogin) {
			t.Errorf("unknown user: %v", err)
		}
		u, err := s.Authenticate(ctx, "admin", "admin password 1")
		if err != nil || u.ID != admin.ID || u.Role != Admin || u.Name() != "管理员甲" || u.LastLoginAt.IsZero() {
			t.Fatalf("login = %+v, %v", u, err)
		}
		sess, err := s.CreateSession(ctx, u, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Lookup(ctx, sess.Token)
		if err != nil || got.User.ID != admin.ID {
			t.Fatalf("lookup = %+v, %v", got, err)
		}
		if _, err := s.Lookup(ctx, sess.Token+"x"); !errors.Is(err, ErrNoSession) {
			t.Errorf("forged token: %v", err)
		}
		// The last admin can be neither demoted nor disabled.
		if err := s.UpdateUser(ctx, admin.ID, "", Editor, false); !errors.Is(err, ErrLastAdmin) {
			t.Errorf("demote last admin: %v", err)
		}
		// Disabling a user ends their sessions and refuses their login.
		es, err := s.CreateSession(ctx, ed, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateUser(ctx, ed.ID, "编辑乙", Editor, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Lookup(ctx, es.Token); !errors.Is(err, ErrNoSession) {
			t.Errorf("disabled user's session still valid: %v", err)
		}
		if _, err := s.Authenticate(ctx, "editor1", "editor password"); !errors.Is(err, ErrDisabled) {
			t.Errorf("disabled login: %v", err)
		}
		// A new password ends sessions.
		if err := s.SetPassword(ctx, admin.ID, "a new admin password"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Lookup(ctx, sess.Token); !errors.Is(err, ErrNoSession) {
			t.Errorf("session survived password change: %v", err)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 2 {
			t.Fatalf("users = %v, %v", users, err)
		}
		// Expired sessions are refused.
		s.SessionTTL = -time.Minute
		old, err := s.CreateSession(ctx, u, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Lookup(ctx, old.Token); !errors.Is(err, ErrNoSession) {
			t.Errorf("expired session: %v", err)
		}
		// Secrets are stable.
		k1, err := s.Secret(ctx, "csrf")
		if err != nil {
			t.Fatal(err)
		}
		k2, _ := s.Secret(ctx, "csrf")
		if len(k1) != 32 || string(k1) != string(k2) {
			t.Errorf("secret not stable")
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	c := NewCSRF([]byte("0123456789abcdef0123456789abcdef"))
	seed := c.NewSeed()
	tok := c.Token(seed)
	if !c.Valid(seed, tok) {
		t.Fatal("own token refused")
	}
	if c.Valid(c.NewSeed(), tok) || c.Valid(seed, "") || c.Valid("", c.Token("")) {
		t.Fatal("foreign or empty token accepted")
	}
	if NewCSRF([]byte("another key.....another key.....")).Valid(seed, tok) {
		t.Fatal("token valid under another key")
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	th := NewThrottle(3, time.Minute)
	now := time.Unix(1000, 0)
	th.Now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if ok, _ := th.Take("ip:1"); !ok {
			t.Fatalf("refused at attempt %d", i+1)
		}
	}
	if ok, wait := th.Take("ip:1"); ok || wait != time.Minute {
		t.Fatalf("fourth attempt = %v %v, want refused for the window", ok, wait)
	}
	if ok, _ := th.Take("ip:2"); !ok {
		t.Fatal("another key refused")
	}
	now = now.Add(59 * time.Second)
	if ok, _ := th.Take("ip:1"); ok {
		t.Fatal("allowed inside the window")
	}
	now = now.Add(time.Second)
	if ok, _ := th.Take("ip:1"); !ok {
		t.Fatal("still refused after the window")
	}
}

// With the gm suite, session tokens are stored as their SM3 digest and a
// session made under one suite is not found under the other.
func TestSessionsGM(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db)
		s.Hash, s.Suite = fastHash, cryptosuite.GM
		u, err := s.AddUser(ctx, "admin", "", Admin, "admin password 1")
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.CreateSession(ctx, u, "")
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := db.QueryRow(ctx, `SELECT token_hash FROM auth_sessions`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if want := hex.EncodeToString(cryptosuite.GM.Sum([]byte(sess.Token))); stored != want {
			t.Fatalf("stored %s, want the SM3 digest %s", stored, want)
		}
		if got, err := s.Lookup(ctx, sess.Token); err != nil || got.User.ID != u.ID {
			t.Fatalf("lookup: %v", err)
		}
		std := NewStore(db)
		if _, err := std.Lookup(ctx, sess.Token); !errors.Is(err, ErrNoSession) {
			t.Errorf("an SM3 session found with SHA-256: %v", err)
		}
	})
}

func TestCSRFGM(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	c := NewCSRF(key).WithSuite(cryptosuite.GM)
	seed := c.NewSeed()
	tok := c.Token(seed)
	m := cryptosuite.GM.MAC(key)
	m.Write([]byte("csrf\x00" + seed))
	if tok != base64.RawURLEncoding.EncodeToString(m.Sum(nil)) || !c.Valid(seed, tok) {
		t.Fatal("gm CSRF token is not HMAC-SM3")
	}
	if NewCSRF(key).Valid(seed, tok) {
		t.Fatal("an HMAC-SM3 token passed as HMAC-SHA256")
	}
}
