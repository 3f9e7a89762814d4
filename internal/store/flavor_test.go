package store

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestPostgresURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		flavor   Flavor
		ok       bool
	}{
		{"postgres://u@h:5432/db", "postgres://u@h:5432/db", PostgreSQL, true},
		{"postgresql://u@h/db", "postgres://u@h/db", PostgreSQL, true},
		{"opengauss://fuwu:pw@10.0.0.5:26000/fuwu?sslmode=disable", "postgres://fuwu:pw@10.0.0.5:26000/fuwu?sslmode=disable", OpenGauss, true},
		{"kingbase://system@kb.local/fuwu", "postgres://system@kb.local:54321/fuwu", Kingbase, true},
		{"KingbaseES://system@kb.local:5432/fuwu", "postgres://system@kb.local:5432/fuwu", Kingbase, true},
		{"sqlite:/tmp/x.db", "", "", false},
		{"mysql://u@h/db", "", "", false},
	} {
		got, f, ok := postgresURL(c.in)
		if got != c.want || f != c.flavor || ok != c.ok {
			t.Errorf("postgresURL(%q) = %q %q %v, want %q %q %v", c.in, got, f, ok, c.want, c.flavor, c.ok)
		}
	}
}

// A .opengauss file replaces the .postgres file of its number on
// openGauss only, whichever the directory lists first.
func TestOpenGaussMigrationVariant(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"m/001_a.sql":           {Data: []byte("CREATE TABLE a (id AUTO_ID);")},
		"m/002_b.postgres.sql":  {Data: []byte("-- pg")},
		"m/002_b.opengauss.sql": {Data: []byte("-- og")},
		"m/002_b.sqlite.sql":    {Data: []byte("-- lite")},
		"m/003_c.postgres.sql":  {Data: []byte("-- pg only")},
	}
	m := Migrations{Component: "t", FS: fsys, Dir: "m"}
	for _, c := range []struct {
		d    Dialect
		f    Flavor
		want []string
	}{
		{Postgres, PostgreSQL, []string{"CREATE TABLE a (id BIGSERIAL PRIMARY KEY);", "-- pg", "-- pg only"}},
		{Postgres, Kingbase, []string{"CREATE TABLE a (id BIGSERIAL PRIMARY KEY);", "-- pg", "-- pg only"}},
		{Postgres, OpenGauss, []string{"CREATE TABLE a (id BIGSERIAL PRIMARY KEY);", "-- og", "-- pg only"}},
		{SQLite, "", []string{"CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);", "-- lite"}},
	} {
		steps, err := m.steps(c.d, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range steps {
			got = append(got, s.sql)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s/%s: %q, want %q", c.d, c.f, got, c.want)
		}
	}
}

// A server without NOTIFY (SQLSTATE 0A000, as the GaussDB family answers)
// leaves changes delivered within the process.
func TestNotifyFallsBackToLocal(t *testing.T) {
	t.Parallel()
	if !notSupported(&pgconn.PgError{Code: "0A000"}) || !notSupported(&pgconn.PgError{Code: "42883"}) || notSupported(&pgconn.PgError{Code: "23505"}) || notSupported(nil) {
		t.Fatal("notSupported misclassifies")
	}
	db := openTestPostgres(t)
	db.notify.goLocal(&pgconn.PgError{Code: "0A000", Message: "NOTIFY statement is not yet supported."})
	ch := db.Subscribe("kb")
	if err := db.Publish(context.Background(), "kb", "FT-001"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-ch:
		if got != "FT-001" {
			t.Fatalf("got %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no local delivery")
	}
}

// Every SQL statement the store runs stays within what openGauss and
// KingbaseES take (docs/databases.md): the constructs below are not in
// any migration or Go source, except where a flavor check guards them.
func TestSQLStaysPortable(t *testing.T) {
	t.Parallel()
	forbidden := []struct {
		re      *regexp.Regexp
		why     string
		allowed map[string]bool // files where a flavor check guards it
	}{
		{regexp.MustCompile(`(?i)EXECUTE\s+FUNCTION`), "openGauss triggers take EXECUTE PROCEDURE", nil},
		{regexp.MustCompile(`(?i)GENERATED\s+(BY\s+DEFAULT|ALWAYS)\s+AS\s+IDENTITY`), "openGauss has no identity columns (AUTO_ID is BIGSERIAL)", nil},
		{regexp.MustCompile(`(?i)PARTITION\s+OF\b`), "openGauss has no declarative PARTITION OF", map[string]bool{"citymon/readings.go": true}},
		{regexp.MustCompile(`(?i)PARTITION\s+BY\s+RANGE`), "openGauss partitions differ: needs an .opengauss variant", map[string]bool{"citymon/migrations/002_readings.postgres.sql": true}},
		{regexp.MustCompile(`(?i)CREATE\s+EXTENSION`), "no extension may be required", nil},
		{regexp.MustCompile(`(?i)\bjsonb\b`), "JSON is kept as TEXT on every engine", nil},
		{regexp.MustCompile(`(?i)MERGE\s+INTO`), "not on PostgreSQL before 15", nil},
		{regexp.MustCompile(`(?i)\bLISTEN\s+"`), "LISTEN only in the notifier, which falls back when refused", map[string]bool{"store/notify.go": true}},
	}
	var files []string
	for _, pat := range []string{"../*/*.go", "../*/migrations/*.sql", "../../cmd/fuwu/*.go"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 100 {
		t.Fatalf("only %d files found", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(filepath.ToSlash(f), "../")
		for _, fb := range forbidden {
			if fb.re.Match(b) && !fb.allowed[rel] {
				t.Errorf("%s: %s (%s)", rel, fb.re, fb.why)
			}
		}
	}
}

// openTestPostgres opens the test server (no tables needed).
func openTestPostgres(t *testing.T) *DB {
	t.Helper()
	u := os.Getenv("FUWU_TEST_POSTGRES")
	if u == "skip" {
		t.Skip("FUWU_TEST_POSTGRES=skip")
	}
	if u == "" {
		u = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	db, err := Open(context.Background(), u)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
