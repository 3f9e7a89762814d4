package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// newFlags makes a subcommand's flag set; errors go to the caller.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fuwu "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags parses args allowing flags after positional arguments
// ("fuwu search 上户口 --json"), then fills every flag not given on the
// command line from its FUWU_* environment variable. It returns the
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, e)
			}
		}
	})
	return pos, err
}

func envName(flagName string) string {
	return "FUWU_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// now is the commands' clock when storeFlags.clock is not set. TestMain
// fixes it; nothing else changes it (a test wanting another instant sets
// storeFlags.clock).
var now = time.Now

// storeFlags are the flags every command that touches data shares, so that
// "fuwu import" and "fuwu search" in the same folder see the same store,
// and every command shows times and counts days in the same zone.
type storeFlags struct {
	data   string
	db     string
	tz     string
	crypto string         // "" follows the keyring; see privacy.LoadKeysSuite
	zone   *time.Location // tz loaded by open; clock.Default before
	// perTurnCommit commits each chat turn's writes alone, as before group
	// commit (serve's --per-turn-commit, for measuring the difference).
	perTurnCommit bool
	// clock is what the opened parts take for now; nil: now.
	clock func() time.Time
	// log is where what the command opens logs (the command's std.log);
	// nil: slog's default.
	log *slog.Logger
}

// now is the command's clock.
func (s *storeFlags) now() func() time.Time {
	if s.clock == nil {
		return now
	}
	return s.clock
}

// logger is s.log, or slog's default when the command set none.
func (s *storeFlags) logger() *slog.Logger {
	if s.log == nil {
		return slog.Default()
	}
	return s.log
}

func (s *storeFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&s.data, "data", "./fuwu-data", "data folder (SQLite database, uploads)")
	fs.StringVar(&s.db, "db", "", "database URL: postgres://… or sqlite:PATH (default: SQLite in the data folder)")
	fs.StringVar(&s.crypto, "crypto", "", "algorithms for personal data, the audit chain and signed tokens: standard (AES-256-GCM, SHA-256) or gm (SM4-GCM, SM3, HMAC-SM3); default: what the keyring holds, standard when new")
	fs.StringVar(&s.tz, "tz", clock.DefaultZoneName, "time zone every page, list and export shows times in, and days begin in (stored times are UTC)")
}

// location is the configured zone.
func (s *storeFlags) location() *time.Location {
	if s.zone == nil {
		return clock.Default
	}
	return s.zone
}

func (s *storeFlags) url() string {
	if s.db != "" {
		return s.db
	}
	return store.DefaultURL(s.data)
}

// open loads the zone, then opens and migrates the store. The data
// folder holds the database and the sealing key: only its owner may read
// it (0700).
func (s *storeFlags) open(ctx context.Context) (*store.DB, error) {
	zone, err := clock.Zone(s.tz)
	if err != nil {
		return nil, fmt.Errorf("--tz: %w", err)
	}
	s.zone = zone
	if s.db == "" {
		if err := os.MkdirAll(s.data, 0o700); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		if err := os.Chmod(s.data, 0o700); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	if s.crypto != "" {
		// Makes a fresh keyring of that suite, or refuses a keyring that
		// seals with the other one; the commands then follow the keyring.
		if _, err := privacy.LoadKeysSuite(s.data, env(privacy.KeyEnv), s.crypto); err != nil {
			return nil, fmt.Errorf("--crypto: %w", err)
		}
	}
	db, err := store.Open(ctx, s.url())
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, allMigrations()...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// parseSub parses a subcommand's own flag set (fs named "fuwu CMD SUB")
// with parseFlags and checks there are at least min positional arguments
// (argsUsage describes them, for the usage line). A flag the subcommand
// does not define is refused by name, with exit status 2: it belongs to
// another subcommand, or to none, and is never silently ignored.
func parseSub(fs *flag.FlagSet, args []string, errOut io.Writer, min int, argsUsage string) ([]string, error) {
	usage := fs.Name()
	if argsUsage != "" {
		usage += " " + argsUsage
	}
	fs.Usage = func() {
		fmt.Fprintf(errOut, "Usage: %s\n\nFlags:\n", usage)
		fs.SetOutput(errOut)
		fs.PrintDefaults()
	}
	// The flag package prints its own message for a bad flag; ours, from
	// run, says which subcommand refused it.
	fs.SetOutput(io.Discard)
	pos, err := parseFlags(fs, args)
	fs.SetOutput(errOut)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, err
	case err != nil:
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
			sub := fs.Name()[strings.LastIndex(fs.Name(), " ")+1:]
			return nil, &exitError{code: 2, msg: fmt.Sprintf("--%s does not apply to %s (%s -h lists its flags)", strings.TrimLeft(name, "-"), sub, fs.Name())}
		}
		return nil, &exitError{code: 2, msg: err.Error()}
	case len(pos) < min:
		return nil, &exitError{code: 2, msg: "usage: " + usage}
	}
	return pos, nil
}
