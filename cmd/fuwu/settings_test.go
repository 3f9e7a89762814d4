package main

import (
	"bytes"
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

// TestFlagThatDoesNotApply: a flag given to a subcommand that does not
// read it is an error (exit 2), not silently ignored.
func TestFlagThatDoesNotApply(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"booking", "list", "HALL-01", "2026-12-02", "--name", "张三"},
		{"booking", "checkin", "ABCD1234", "--capacity", "3"},
		{"doorstep", "list", "--amount", "12.50"},
		{"doorstep", "accept", "1", "--reason", "重复"},
	} {
		code, _, errs := runCmd(t, append(args, "--data", dir)...)
		if code != 2 || !strings.Contains(errs, "does not apply to "+args[1]) {
			t.Errorf("fuwu %s = %d %q", strings.Join(args, " "), code, errs)
		}
	}
}
