package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// runCmd runs the program in-process with its output captured and
// nothing on standard input.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCmdIn(t, "", args...)
}

// runCmdIn runs the program in-process reading stdin, its output (logs
// included) captured. Commands read and write only the streams run gives
// them, so tests run side by side.
func runCmdIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb lockedBuffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// lockedBuffer is a bytes.Buffer safe for a command's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestEvalJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := runCmd(t, "eval", "--kb", "../../data/kb", "--cases", "../../data/eval/dev.jsonl", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]float64
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one object on stdout: %s", out)
	}
	for _, k := range []string{"item_top1", "item_recall5", "aspect_acc", "oos_recall", "oos_false", "clarify_recall", "p50_ms", "p99_ms", "turns"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
	if len(m) != 9 || m["turns"] != 524 {
		t.Fatalf("metrics %v", m)
	}
}

// TestReviewRoundJSONCounts checks that a review round printed as JSON
// holds the counts and metrics only, as its text output does: the turns'
// and lessons' texts only with -v, so that scoring a never-read set does
// not show its sentences.
func TestReviewRoundJSONCounts(t *testing.T) {
	t.Parallel()
	set := "../../internal/assistant/testdata/review-round.jsonl"
	for _, c := range []struct {
		args  []string
		texts bool
	}{
		{[]string{"--json"}, false},
		{[]string{"--json", "-v"}, true},
	} {
		args := append([]string{"eval", "--kb", "../../data/kb", "--cases", set, "--review-round"}, c.args...)
		code, out, errs := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		var got struct {
			Round map[string]json.RawMessage `json:"round"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		if _, ok := got.Round["fixed"]; !ok {
			t.Errorf("%v: no counts in %s", c.args, out)
		}
		if _, ok := got.Round["taught"]; ok != c.texts {
			t.Errorf("%v: lessons' texts printed %v, want %v", c.args, ok, c.texts)
		}
	}
}

func TestImportThenSearch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "import", "--data", dir, "../../data/kb"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "search", "--data", dir, "娃刚出生怎么上户口")
	if code != 0 || !strings.HasPrefix(out, "FT-001\t") {
		t.Fatalf("search exit %d, out %q, err %s", code, out, errs)
	}
	code, out, _ = runCmd(t, "search", "--data", dir, "--json", "公基金怎么提取")
	var res struct {
		Hits []struct{ ID string } `json:"hits"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Hits) == 0 || !strings.HasPrefix(res.Hits[0].ID, "FT-08") {
		t.Fatalf("search --json exit %d: %s", code, out)
	}
	// A bad line is reported with its number and the exit status says so.
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"id\":\"X-1\",\"name\":\"好事项\"}\nnot json\n"), 0o644)
	code, _, errs = runCmd(t, "import", "--data", dir, "--items", bad)
	if code == 0 || !strings.Contains(errs, "bad.jsonl line 2") {
		t.Fatalf("bad import exit %d: %s", code, errs)
	}
}

func TestAsk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errs := runCmd(t, "ask", "--data", dir, "--json", "社保卡丢了怎么补")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Status    string
		Citations []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != "answered" || r.Citations[0].ID != "FT-011" {
		t.Fatalf("ask: %v %s", err, out)
	}
}

// cmdTestNow is the commands' clock in these tests unless one sets
// another: Wednesday 2 December 2026, 10:00 in Asia/Shanghai.
var cmdTestNow = clock.At("2026-12-02 10:00", nil)

// TestMain fixes the commands' clock and runs them with the process in
// UTC, as on the CI machines: nothing may depend on the wall clock or on
// the machine's zone.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	now = clock.Fixed(cmdTestNow)
	if args := os.Getenv(subprocessEnv); args != "" {
		// The test binary as the program, for tests that need it in a
		// process of its own (to kill it).
		// As main does.
		std := stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, log: newLogger(os.Stderr)}
		slog.SetDefault(std.log)
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), std))
	}
	os.Exit(m.Run())
}

// subprocessEnv holds the arguments (separated by U+001F) the test binary
// runs as the program instead of running tests.
const subprocessEnv = "FUWU_TEST_RUN_ARGS"

// startServe runs `fuwu serve args…` in a process of its own (the test
// binary as the program) and hands each line it logs to line, on a
// goroutine of its own; the caller stops the process.
func startServe(t *testing.T, args []string, line func(string)) *exec.Cmd {
	t.Helper()
	if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--turn-addr") }) {
		// Not the default UDP port: another server may hold it.
		args = append(args, "--turn-addr=127.0.0.1:0")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), subprocessEnv+"="+strings.Join(append([]string{"serve"}, args...), "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line(sc.Text())
		}
	}()
	return cmd
}

// servingAt is the address in serve's "fuwu serving" log line.
var servingAt = regexp.MustCompile(`"fuwu serving" addr=(http://\S+)`)

// A turn analyses its question in several places (understanding,
// retrieval, coverage); the analyser's memo must spare the repeated cuts.
// Not parallel: the memo's counters are the process's.
func TestEvalCutsOnce(t *testing.T) {
	an, err := zh.Default()
	if err != nil {
		t.Fatal(err)
	}
	calls0, hits0 := an.MemoStats()
	if code, _, errs := runCmd(t, "eval", "--kb", "../../data/kb", "--cases", "../../data/eval/dev.jsonl", "--json"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	calls, hits := an.MemoStats()
	share := float64(hits-hits0) / float64(max(calls-calls0, 1))
	t.Logf("%d cuts, %.0f %% from the memo", calls-calls0, 100*share)
	if share < 0.4 {
		t.Errorf("%.0f %% of cuts came from the memo, want ≥ 40 %% (each question is analysed about three times)", 100*share)
	}
}
