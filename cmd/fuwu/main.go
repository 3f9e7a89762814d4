// Command fuwu is the whole of Fuwu (福务) in one binary: the citizen
// assistant's server, the knowledge-base importer, search, evaluation and
// the staff tools, each a subcommand.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"golang.org/x/term"
)

// command is one subcommand. Each lives in its own file and registers
// itself from init, so adding one never touches this file.
type command struct {
	name    string
	summary string
	// run parses args (everything after the subcommand name) and does the
	// work, writing to std only: the tests run commands side by side.
	run func(ctx context.Context, args []string, std stdio) error
}

// stdio is where a command reads and writes: the process's standard
// streams in main, buffers in the tests. Commands log through log (on err,
// personal data masked), never through slog's default: the tests run
// commands side by side, each with its own.
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
	log *slog.Logger
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("fuwu: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// exitError carries a specific exit status, for commands such as import
// that finish their work but must still report failure.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	std := stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, log: newLogger(os.Stderr)}
	// The packages under internal log through slog's default: in the
	// program it is the command's logger. Only main sets it.
	slog.SetDefault(std.log)
	code := run(ctx, os.Args[1:], std)
	stop()
	os.Exit(code)
}

// run runs the command args name with the streams of std and returns the
// exit status. It changes no global state.
func run(ctx context.Context, args []string, std stdio) int {
	stdout, stderr := std.out, std.err
	if std.in == nil {
		std.in = strings.NewReader("")
	}
	if std.log == nil {
		std.log = newLogger(stderr)
	}
	if len(args) == 2 && args[0] == "help" && args[1] == "settings" {
		printSettings(stdout)
		return 0
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "fuwu: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := c.run(ctx, args[1:], std)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "fuwu %s: %s\n", c.name, ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "fuwu %s: %v\n", c.name, explain(err))
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "fuwu — 福务: a district's government-service assistant grounded in its own knowledge")
	fmt.Fprintln(w, "\nUsage: fuwu <command> [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set as an environment variable: --db → FUWU_DB, --llm-base-url → FUWU_LLM_BASE_URL.")
	fmt.Fprintln(w, "Run 'fuwu <command> -h' for a command's flags, 'fuwu help settings' for every setting.")
}

// isTerminal reports whether w is a terminal (progress bars are drawn only
// there; a test's buffer never is).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newLogger writes structured logs to w at $FUWU_LOG_LEVEL (info), as
// $FUWU_LOG_FORMAT says, personal data masked.
func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if v := env("FUWU_LOG_LEVEL"); v != "" {
		_ = level.UnmarshalText([]byte(v))
	}
	var h slog.Handler = slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	if strings.EqualFold(env("FUWU_LOG_FORMAT"), "json") {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	}
	// Personal data never reaches a log line, whoever logs it.
	return slog.New(privacy.NewHandler(h))
}
