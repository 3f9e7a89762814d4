package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/store"
)

func TestUserCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var code int
	var out, errs string
	code, out, errs = runCmdIn(t, "first admin password\n", "user", "add", "alice", "--role", "admin", "--display", "张三", "--password-stdin", "--data", dir)
	if code != 0 || !strings.Contains(out, "已创建账号 alice（管理员）") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, _, errs = runCmdIn(t, "short\n", "user", "add", "bob", "--role", "editor", "--password-stdin", "--data", dir)
	if code == 0 || !strings.Contains(errs, "密码至少需要") {
		t.Errorf("short password accepted: %d %q", code, errs)
	}
	// No terminal and nothing on standard input: the error names the flag.
	code, _, errs = runCmdIn(t, "", "user", "add", "dave", "--role", "admin", "--data", dir)
	if code == 0 || !strings.Contains(errs, "no password on standard input") || !strings.Contains(errs, "--password-stdin") || !strings.Contains(errs, "terminal") {
		t.Errorf("no password: %d %q", code, errs)
	}
	if code, _, errs = runCmd(t, "user", "add", "carol", "--role", "root", "--data", dir); code == 0 || !strings.Contains(errs, "unknown role") {
		t.Errorf("bad role: %d %q", code, errs)
	}
	if code, out, _ = runCmd(t, "user", "list", "--data", dir); code != 0 || !strings.Contains(out, "alice\tadmin\t张三\t启用") {
		t.Errorf("user list: %d %q", code, out)
	}
	if code, _, errs = runCmd(t, "user", "set", "alice", "--role", "editor", "--data", dir); code == 0 || !strings.Contains(errs, "最后一个管理员") {
		t.Errorf("demoting the last admin: %d %q", code, errs)
	}
	code, _, errs = runCmdIn(t, "a brand new password\n", "user", "passwd", "alice", "--password-stdin", "--data", dir)
	if code != 0 {
		t.Fatalf("passwd: %d %q", code, errs)
	}
	db, err := store.Open(context.Background(), store.DefaultURL(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := auth.NewStore(db)
	if _, err := s.Authenticate(context.Background(), "alice", "a brand new password"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir)); err != nil {
		t.Fatal(err)
	}
}

// Issue 10, finding 7: accounts created or changed with "fuwu user" are
// in the audit trail, and an admin lifts a login lock from the command
// line.
func TestUserCommandAuditAndUnlock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var code int
	var out, errs string
	code, _, errs = runCmdIn(t, "first admin password\n", "user", "add", "alice", "--role", "admin", "--password-stdin", "--data", dir)
	if code != 0 {
		t.Fatalf("user add: %d %q", code, errs)
	}
	code, _, errs = runCmdIn(t, "second password ok\n", "user", "add", "bob", "--role", "editor", "--password-stdin", "--data", dir)
	if code != 0 {
		t.Fatalf("user add: %d %q", code, errs)
	}
	if code, _, errs = runCmd(t, "user", "set", "bob", "--role", "reviewer", "--disable", "--data", dir); code != 0 {
		t.Fatalf("user set: %d %q", code, errs)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.DefaultURL(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, _, err := audit.New(db).List(ctx, audit.Filter{Action: "user."}, audit.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Actor, "cli:") || e.Role != "cli" {
			t.Errorf("entry %+v not attributed to the command line", e)
		}
		got = append(got, e.Action+" "+e.Target)
	}
	want := "user.update user:bob,user.add user:bob,user.add user:alice"
	if strings.Join(got, ",") != want {
		t.Errorf("audit trail = %v, want %s", got, want)
	}

	// Lock alice out from one address, then lift it.
	g := auth.NewLoginGuard(db)
	for range g.PerAccount + 1 {
		if _, err := g.Begin(ctx, "alice", "203.0.113.9"); err != nil {
			t.Fatal(err)
		}
	}
	if code, out, _ = runCmd(t, "user", "locks", "--data", dir); code != 0 || !strings.Contains(out, "alice\t203.0.113.9") {
		t.Fatalf("user locks: %d %q", code, out)
	}
	if code, out, errs = runCmd(t, "user", "unlock", "alice", "--data", dir); code != 0 || !strings.Contains(out, "已解除锁定") {
		t.Fatalf("user unlock: %d %q %q", code, out, errs)
	}
	if a, err := g.Begin(ctx, "alice", "203.0.113.9"); err != nil || !a.Allowed {
		t.Fatalf("still locked after unlock: %+v %v", a, err)
	}
	if entries, _, _ := audit.New(db).List(ctx, audit.Filter{Action: "user.unlock"}, audit.Page{}); len(entries) != 1 {
		t.Errorf("unlock not audited: %+v", entries)
	}
}

// Issue 10, finding 12: the data folder (database, sealing key) is the
// owner's alone, created so and tightened if an older version left it
// open.
func TestDataFolderIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fuwu-data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "user", "list", "--data", dir); code != 0 {
		t.Fatalf("user list: %d %q", code, errs)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o700 {
		t.Errorf("data folder mode %o, want 700", m)
	}
	fi, err = os.Stat(filepath.Join(dir, "fuwu.db"))
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("database mode %o, want 600", m)
	}
}
