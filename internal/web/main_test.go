package web

import (
	"os"
	"testing"
	"time"
)

// TestMain runs the web's tests with the process in UTC, as on the CI
// machines, whatever TZ says: every time a page shows must still be the
// display zone's (Asia/Shanghai), never the process's.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
