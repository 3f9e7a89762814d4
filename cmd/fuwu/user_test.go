package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// withStdin runs fn with standard input reading text.
func withStdin(t *testing.T, text string, fn func()) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.WriteString(text); w.Close() }()
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old; r.Close() }()
	fn()
}

// Not parallel: the tests swap os.Stdin and os.Stdout.
func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	var code int
	var out, errs string
	withStdin(t, "first admin password\n", func() {
		code, out, errs = runCmd(t, "user", "add", "alice", "--role", "admin", "--display", "张三", "--password-stdin", "--data", dir)
	})
	if code != 0 || !strings.Contains(out, "已创建账号 alice（管理员）") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	withStdin(t, "short\n", func() {
		code, _, errs = runCmd(t, "user", "add", "bob", "--role", "editor", "--password-stdin", "--data", dir)
	})
	if code == 0 || !strings.Contains(errs, "密码至少需要") {
		t.Errorf("short password accepted: %d %q", code, errs)
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
	withStdin(t, "a brand new password\n", func() {
		code, _, errs = runCmd(t, "user", "passwd", "alice", "--password-stdin", "--data", dir)
	})
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
