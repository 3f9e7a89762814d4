// Package store opens the embedded SQLite database or a PostgreSQL server
// behind one database/sql handle, runs the migrations every domain package
// registers, wraps transactions (one caller's, or concurrent callers'
// sharing one commit: GroupTx) and carries change notifications between
// replicas.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // pure-Go SQLite driver "sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Flavor names the server behind the Postgres dialect: PostgreSQL itself
// or a domestic database derived from it that speaks its protocol
// (docs/databases.md lists what each lacks and how the store avoids it).
type Flavor string

const (
	PostgreSQL Flavor = "postgresql"
	OpenGauss  Flavor = "opengauss"
	Kingbase   Flavor = "kingbase"
)

// pgSchemes maps the --db URL schemes of the Postgres dialect to flavors.
var pgSchemes = map[string]Flavor{
	"postgres": PostgreSQL, "postgresql": PostgreSQL,
	"opengauss": OpenGauss,
	"kingbase":  Kingbase, "kingbasees": Kingbase,
}

// kingbaseDefaultPort is KingbaseES's port when the URL names none.
const kingbaseDefaultPort = "54321"

// postgresURL recognises a URL of the Postgres dialect and returns it with
// the postgres:// scheme the driver reads, and its flavor.
func postgresURL(raw string) (string, Flavor, bool) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", "", false
	}
	f, ok := pgSchemes[strings.ToLower(scheme)]
	if !ok {
		return "", "", false
	}
	out := "postgres://" + rest
	if f == Kingbase {
		if u, err := url.Parse(out); err == nil && u.Port() == "" && u.Host != "" {
			u.Host += ":" + kingbaseDefaultPort
			out = u.String()
		}
	}
	return out, f, true
}

// DB is a database handle that knows its dialect. Queries are written once
// with '?' placeholders; Rebind turns them into '$n' for PostgreSQL.
type DB struct {
	*sql.DB
	Dialect Dialect
	Flavor  Flavor // for Postgres: which server; "" for SQLite
	url     string
	channel string // PostgreSQL NOTIFY channel
	notify  *notifier
	// writeMu queues this process's SQLite writers. SQLite has one writer
	// at a time; waiting here, in order, beats its busy handler, which
	// sleeps in growing steps (measured by the booking benchmark: 12
	// bookings/s with 8 goroutines left to the busy handler, several
	// hundred queued here).
	writeMu sync.Mutex
	group   grouper   // GroupTx's committers
	stmts   stmtCache // statements prepared for Tx.Prepared
}

// DefaultURL is the SQLite database inside the data folder.
func DefaultURL(dataDir string) string {
	return "sqlite:" + filepath.Join(dataDir, "fuwu.db")
}

// Open opens the database named by rawURL: "postgres://…" (or
// "postgresql://…") for PostgreSQL, "opengauss://…" and "kingbase://…"
// for those servers (same protocol; port 54321 when a KingbaseES URL names
// none), "sqlite:PATH" or a plain file path for SQLite. SQLite runs in WAL mode with a busy timeout, and write
// transactions take the write lock at BEGIN so that two writers never
// deadlock on a lock upgrade.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	var (
		db      *sql.DB
		dialect Dialect
		flavor  Flavor
		err     error
	)
	pgURL, pgFlavor, isPG := postgresURL(rawURL)
	switch {
	case isPG:
		dialect, flavor, rawURL = Postgres, pgFlavor, pgURL
		db, err = sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// As many idle as open: with fewer, a burst's connections are
		// closed when they come back and opened again by the next burst,
		// each a new server process (fork, catalog caches, statements
		// prepared again). Under BenchmarkTurn's load at 3,000 turns/s,
		// 10 idle let ~100 connections be opened in a 20,000-turn run and
		// doubled the server's CPU per turn (0.46 → 0.21 ms, 4 December
		// 2026, README "Where it stands").
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
	default:
		dialect = SQLite
		path := strings.TrimPrefix(rawURL, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, errors.New("open sqlite: empty path")
		}
		if path != ":memory:" {
			if err := privateFiles(path); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(ON)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		db, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		// One writer at a time is SQLite's rule; a small pool keeps readers
		// concurrent under WAL without piling up busy writers.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8) // the default 2 closes and reopens connections (schema re-read) under load
		if path == ":memory:" {
			db.SetMaxOpenConns(1)
		}
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	d := &DB{DB: db, Dialect: dialect, Flavor: flavor, url: rawURL}
	d.group.db = d
	if dialect == Postgres {
		var schema string
		if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			db.Close()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		d.channel = pgChannelPrefix + schema
	}
	d.notify = newNotifier(d)
	return d, nil
}

// privateFiles makes the SQLite database readable by its owner only: a
// folder it creates is 0700, the database is created 0600 (SQLite gives
// its -wal and -shm files the database's mode), and files an older
// version left world-readable are tightened.
func privateFiles(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close stops listening for notifications, finishes the group
// transactions under way and closes the pool.
func (db *DB) Close() error {
	db.group.close()
	db.notify.close()
	return db.DB.Close()
}

// Rebind rewrites '?' placeholders as '$1', '$2' … for PostgreSQL. Question
// marks inside single-quoted literals are left alone.
func (db *DB) Rebind(query string) string {
	if db.Dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Exec, Query and QueryRow take '?' placeholders on either dialect. Exec
// is taken to write: on SQLite it queues behind the other writers.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if db.Dialect == SQLite {
		db.writeMu.Lock()
		defer db.writeMu.Unlock()
	}
	return db.DB.ExecContext(ctx, db.Rebind(query), args...)
}

func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.DB.QueryContext(ctx, db.Rebind(query), args...)
}

func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.DB.QueryRowContext(ctx, db.Rebind(query), args...)
}

// Tx is a transaction that takes '?' placeholders on either dialect.
type Tx struct {
	*sql.Tx
	db       *DB
	prepared bool // see Prepared
	// grouped: a group transaction, whose statements outlive their
	// caller's cancellation (see stmtCtx).
	grouped bool
	// pipe, in a pipelined group transaction (GroupQueue), queues the
	// statements of Queue; the embedded *sql.Tx is nil then.
	pipe *pgx.Batch
	// merges, with pipe, holds the rows of QueueMerged (merge.go).
	merges *mergeSet
	// bound, in a group transaction, holds the prepared statements
	// already bound to it (see txStmt).
	bound *boundStmts
}

// stmtCtx is the context a statement of tx runs with. In a group
// transaction a caller's cancellation no longer reaches its statements:
// they are short writes of a batch that others wait on, interrupting one
// would roll back the whole batch and run every call again, and the call
// is abandoned before it starts if its context has ended. It also spares
// the SQLite driver a watcher goroutine per statement (the driver starts
// one for every context that can be cancelled).
func (tx *Tx) stmtCtx(ctx context.Context) context.Context {
	if tx.grouped {
		if tx.bound != nil {
			return tx.bound.detach(ctx)
		}
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.stmtCtx(ctx)
	query = tx.db.Rebind(query)
	if s := tx.txStmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.stmtCtx(ctx)
	query = tx.db.Rebind(query)
	if s := tx.txStmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = tx.stmtCtx(ctx)
	query = tx.db.Rebind(query)
	if s := tx.txStmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// Dialect reports the engine the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.db.Dialect }

// InTx runs fn in a transaction and commits it when fn returns nil; any
// error or panic rolls everything back, so a failure mid-write leaves the
// database as it was.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.Dialect == SQLite {
		db.writeMu.Lock()
		defer db.writeMu.Unlock()
	}
	return db.runTx(ctx, db.DB.BeginTx, false, fn)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || // SQLite
		strings.Contains(s, "SQLSTATE 23505") // PostgreSQL
}
