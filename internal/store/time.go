package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeLayout is fixed-width UTC with milliseconds, so that text comparison
// orders instants correctly on both engines.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Time is an instant stored as fixed-width UTC text. It reads and writes the
// same on SQLite and PostgreSQL; the zero Time is stored as NULL.
type Time struct{ time.Time }

// Now is the current instant, truncated to what the database keeps.
func Now() Time { return Time{time.Now().UTC().Truncate(time.Millisecond)} }

// T wraps a time.Time.
func T(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UTC().Format(timeLayout), nil
}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = x.UTC()
		return nil
	case string:
		return t.parse(x)
	case []byte:
		return t.parse(string(x))
	}
	return fmt.Errorf("store.Time: cannot scan %T", v)
}

func (t *Time) parse(s string) error {
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("store.Time: %w", err)
	}
	t.Time = p.UTC()
	return nil
}

// String formats the instant the way it is stored.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}
