package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSettingsTable: `fuwu help settings` prints every setting, marks the
// secrets, and the table holds every flag of fuwu serve (all of them
// deployment settings) and every FUWU_* variable the program names.
func TestSettingsTable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if code := run(t.Context(), []string{"help", "settings"}, stdio{out: &out, err: &out}); code != 0 {
		t.Fatalf("help settings = %d: %s", code, out.String())
	}
	known := map[string]setting{}
	for _, s := range settings {
		known[s.Env] = s
		line := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, " "+s.Env+" ") {
				line = l
			}
		}
		if line == "" {
			t.Errorf("%s not printed", s.Env)
		} else if s.Secret != strings.Contains(line, "secret") {
			t.Errorf("%s: secret %v, printed %q", s.Env, s.Secret, line)
		}
	}
	for _, name := range []string{"FUWU_BOOKING_HORIZON", "FUWU_SECRET_KEY", "FUWU_LOG_LEVEL", "FUWU_LOG_FORMAT", "FUWU_LLM_API_KEY"} {
		if _, ok := known[name]; !ok {
			t.Errorf("%s is not in the table", name)
		}
	}
	// Every flag of fuwu serve.
	var help bytes.Buffer
	run(t.Context(), []string{"serve", "-h"}, stdio{out: &help, err: &help})
	flags := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(help.String(), -1)
	if len(flags) < 20 {
		t.Fatalf("fuwu serve -h lists %d flags: %s", len(flags), help.String())
	}
	for _, m := range flags {
		if _, ok := known[envName(m[1])]; !ok {
			t.Errorf("fuwu serve --%s is not in the settings table", m[1])
		}
	}
	// Every FUWU_* the program's own files name.
	files, _ := filepath.Glob("*.go")
	v := regexp.MustCompile(`"(FUWU_[A-Z0-9_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range v.FindAllStringSubmatch(string(b), -1) {
			if _, ok := known[m[1]]; !ok {
				t.Errorf("%s names %s, which is not in the settings table", f, m[1])
			}
		}
	}
}

func TestEnvOutsideTheTablePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("env read a variable that is not a setting")
		}
	}()
	env("FUWU_NOT_A_SETTING")
}

// TestFlagThatDoesNotApply: every subcommand has its own flags; one given
// to a subcommand that does not read it is an error (exit 2) naming the
// flag and the subcommand, before anything is opened, not silently
// ignored. A subcommand's help lists its own flags and no other's.
func TestFlagThatDoesNotApply(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"booking", "list", "HALL-01", "2026-12-02", "--name", "张三"},
		{"booking", "checkin", "ABCD1234", "--capacity", "3"},
		{"booking", "hours", "HALL-01", "--window", "2"},
		{"booking", "window-add", "HALL-01", "综合窗口", "--active=false"},
		{"booking", "stats", "--purpose", "核对"},
		{"doorstep", "list", "--amount", "12.50"},
		{"doorstep", "accept", "1", "--reason", "重复"},
		{"doorstep", "submit", "DS-01", "--streets", "园岭"},
		{"doorstep", "catalogue", "--open"},
		{"user", "add", "alice", "--role", "admin", "--disable"},
		{"user", "list", "--role", "admin"},
		{"user", "set", "alice", "--ip", "10.0.0.1"},
		{"key", "list", "--out", "ring.txt"},
		{"key", "rotate", "--batch", "10"},
		{"key", "backup", "--dry-run"},
		{"teach", "set", "--student", "小明"},
		{"teach", "heatmap", "--approve", "1"},
	} {
		code, out, errs := runCmd(t, append(args, "--data", dir)...)
		flag := ""
		for _, a := range args {
			if strings.HasPrefix(a, "--") {
				flag, _, _ = strings.Cut(a, "=")
			}
		}
		if code != 2 || !strings.Contains(errs, flag+" does not apply to "+args[1]) || out != "" {
			t.Errorf("fuwu %s = %d %q %q", strings.Join(args, " "), code, out, errs)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused flag opened the data folder: %v", err)
	}
	// Each subcommand's help: its flags, the shared ones, no other's.
	for _, c := range []struct {
		args     []string
		has, not []string
	}{
		{[]string{"booking", "list", "-h"}, []string{"-window", "-data", "-json", "fuwu booking list HALL DAY"}, []string{"-name", "-capacity", "-purpose"}},
		{[]string{"booking", "book", "-h"}, []string{"-name", "-mobile", "-id"}, []string{"-window", "-reason"}},
		{[]string{"doorstep", "complete", "-h"}, []string{"-amount", "-note"}, []string{"-reason", "-streets"}},
		{[]string{"user", "unlock", "-h"}, []string{"-ip"}, []string{"-role", "-password-stdin"}},
		{[]string{"key", "reseal", "-h"}, []string{"-dry-run", "-batch"}, []string{"-out", "-print"}},
	} {
		code, _, errs := runCmd(t, c.args...)
		if code != 0 {
			t.Errorf("fuwu %s = %d", strings.Join(c.args, " "), code)
		}
		listed := map[string]bool{} // the flags PrintDefaults printed
		for _, l := range strings.Split(errs, "\n") {
			if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(l, "  -") {
				listed[f[0]] = true
			}
		}
		for _, s := range c.has {
			if !listed[s] && !(strings.HasPrefix(s, "fuwu ") && strings.Contains(errs, s)) {
				t.Errorf("fuwu %s: no %q in\n%s", strings.Join(c.args, " "), s, errs)
			}
		}
		for _, s := range c.not {
			if listed[s] {
				t.Errorf("fuwu %s: %q in\n%s", strings.Join(c.args, " "), s, errs)
			}
		}
	}
}
