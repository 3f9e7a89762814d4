package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations is one component's embedded schema history. Files are named
// NNN_name.sql (both engines), NNN_name.sqlite.sql or NNN_name.postgres.sql
// (one engine only); each number runs once, in order, in a transaction.
// NNN_name.opengauss.sql, where present, replaces the .postgres file of
// its number on openGauss (whose syntax differs in a few places; see
// docs/databases.md).
// Components have their own numbering so packages never collide. In a file
// for both engines, the word AUTO_ID stands for an auto-numbered 64-bit
// primary key column type, the one difference most tables have.
type Migrations struct {
	Component string
	FS        fs.FS  // usually the package's embed.FS
	Dir       string // the folder of FS holding the files ("" for the root)
}

// autoID is each engine's auto-numbered 64-bit primary key. BIGSERIAL
// rather than an identity column: openGauss has no GENERATED … AS IDENTITY.
var autoID = map[Dialect]string{
	SQLite:   "INTEGER PRIMARY KEY AUTOINCREMENT",
	Postgres: "BIGSERIAL PRIMARY KEY",
}

var migrationName = regexp.MustCompile(`^(\d+)_([a-z0-9_]+?)(\.sqlite|\.postgres|\.opengauss)?\.sql$`)

type migrationStep struct {
	version int
	name    string
	engine  string // "", "sqlite", "postgres" or "opengauss"
	sql     string
}

func (m Migrations) steps(d Dialect, f Flavor) ([]migrationStep, error) {
	dir := m.Dir
	if dir == "" {
		dir = "."
	}
	entries, err := fs.ReadDir(m.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", m.Component, err)
	}
	byVersion := map[int]migrationStep{}
	for _, e := range entries {
		mm := migrationName.FindStringSubmatch(e.Name())
		if mm == nil {
			continue
		}
		eng := strings.TrimPrefix(mm[3], ".")
		switch {
		case eng == "opengauss":
			if f != OpenGauss {
				continue
			}
		case eng != "" && Dialect(eng) != d:
			continue
		}
		v, _ := strconv.Atoi(mm[1])
		body, err := fs.ReadFile(m.FS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrations %s: %w", m.Component, err)
		}
		if prev, dup := byVersion[v]; dup {
			// The openGauss variant of a number wins over its .postgres file.
			switch {
			case prev.engine == "opengauss" && eng == "postgres":
				continue
			case prev.engine == "postgres" && eng == "opengauss":
			default:
				return nil, fmt.Errorf("migrations %s: version %d twice (%s, %s)", m.Component, v, prev.name, mm[2])
			}
		}
		byVersion[v] = migrationStep{version: v, name: mm[2], engine: eng, sql: strings.ReplaceAll(string(body), "AUTO_ID", autoID[d])}
	}
	steps := make([]migrationStep, 0, len(byVersion))
	for _, s := range byVersion {
		steps = append(steps, s)
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })
	return steps, nil
}

// Migrate brings every component's schema up to date, components in the
// order given. On PostgreSQL an advisory lock keeps replicas that start at
// the same time from migrating twice.
func (db *DB) Migrate(ctx context.Context, sets ...Migrations) error {
	if _, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL,
		version INTEGER NOT NULL,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL,
		PRIMARY KEY (component, version))`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, set := range sets {
		steps, err := set.steps(db.Dialect, db.Flavor)
		if err != nil {
			return err
		}
		for _, s := range steps {
			err := db.InTx(ctx, func(tx *Tx) error {
				if db.Dialect == Postgres {
					if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7262001)`); err != nil {
						return err
					}
				}
				var n int
				if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE component = ? AND version = ?`,
					set.Component, s.version).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return nil
				}
				if _, err := tx.Tx.ExecContext(ctx, s.sql); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)`,
					set.Component, s.version, s.name, time.Now().UTC().Format(time.RFC3339))
				return err
			})
			if err != nil {
				return fmt.Errorf("migrate %s %03d_%s: %w", set.Component, s.version, s.name, err)
			}
		}
	}
	return nil
}

// Pending lists the migrations of sets not yet applied to db, as
// "component NNN_name", without applying anything (fuwu doctor).
func (db *DB) Pending(ctx context.Context, sets ...Migrations) ([]string, error) {
	applied := map[string]bool{}
	rows, err := db.Query(ctx, `SELECT component, version FROM schema_migrations`)
	// Both engines name the table when it is missing: nothing applied yet.
	if err != nil && !strings.Contains(err.Error(), "schema_migrations") {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	if err == nil {
		for rows.Next() {
			var c string
			var v int
			if err := rows.Scan(&c, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("pending migrations: %w", err)
			}
			applied[c+"/"+strconv.Itoa(v)] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
	}
	var out []string
	for _, set := range sets {
		steps, err := set.steps(db.Dialect, db.Flavor)
		if err != nil {
			return nil, err
		}
		for _, s := range steps {
			if !applied[set.Component+"/"+strconv.Itoa(s.version)] {
				out = append(out, fmt.Sprintf("%s %03d_%s", set.Component, s.version, s.name))
			}
		}
	}
	return out, nil
}
