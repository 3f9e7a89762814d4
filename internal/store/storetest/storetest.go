// Package storetest gives tests a fresh database on every engine Fuwu
// supports: a temporary SQLite file and a private PostgreSQL schema.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// PostgresURL is the server tests use: $FUWU_TEST_POSTGRES, or the local
// trust-auth server's database "test".
func PostgresURL() string {
	if u := os.Getenv("FUWU_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Each runs fn once per engine as subtests "sqlite" and "postgres", each on
// a fresh database migrated with sets. PostgreSQL being unreachable fails
// the test: storage is only tested when it is tested on both engines.
// (FUWU_TEST_POSTGRES=skip skips the PostgreSQL half on a laptop without one.)
func Each(t *testing.T, sets []store.Migrations, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			db := Open(t, d, sets...)
			fn(t, db)
		})
	}
}

// Open returns a fresh, migrated database of dialect d, closed and removed
// when the test ends.
func Open(t testing.TB, d store.Dialect, sets ...store.Migrations) *store.DB {
	t.Helper()
	ctx := context.Background()
	if d != store.SQLite && d != store.Postgres {
		t.Fatalf("unknown dialect %q", d)
	}
	db, err := store.Open(ctx, URL(t, d))
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() }) // runs before URL's schema drop
	if err := db.Migrate(ctx, sets...); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// URL returns a connection URL for a fresh PostgreSQL schema, for tests
// that must open the database themselves (a second replica, a subprocess).
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	ctx := context.Background()
	base := PostgresURL()
	if base == "skip" {
		t.Skip("FUWU_TEST_POSTGRES=skip")
	}
	admin, err := store.Open(ctx, base)
	if err != nil {
		t.Fatalf("postgres unreachable at %s: %v", base, err)
	}
	schema := "t_" + randomHex(8)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	return withSearchPath(base, schema)
}

func withSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		return base + sep + "search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}
