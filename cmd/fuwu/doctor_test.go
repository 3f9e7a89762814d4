package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Not parallel: it sets $FUWU_SECRET_KEY. A fresh install is reported
// honestly (nothing created by the check), and after the first import and
// a key backup the database and key lines turn OK.
func TestDoctorFreshInstall(t *testing.T) {
	t.Setenv(privacy.KeyEnv, "")
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := runCmd(t, "doctor", "--data", dir)
	if code != 0 {
		t.Fatalf("doctor: %d %q %q", code, out, errs)
	}
	for _, w := range []string{"OK    架构", "WARN  数据库   SQLite 数据库尚未创建", "WARN  数据目录 " + dir + " 不存在", "WARN  密钥     尚无密钥", "SKIP  模型", "SKIP  MQTT", "时钟"} {
		if !strings.Contains(out, w) {
			t.Errorf("%q not in:\n%s", w, out)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("doctor created the data folder")
	}
	if code, _, errs = runCmd(t, "import", "--data", dir, "../../data/kb"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	runCmd(t, "key", "list", "--data", dir) // makes the key as a first start would
	runCmd(t, "key", "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "ring"))
	code, out, _ = runCmd(t, "doctor", "--data", dir, "--mqtt-url", "mqtt://127.0.0.1:1883")
	for _, w := range []string{"OK    数据库   SQLite 3.", "迁移已全部执行", "OK    数据目录", "OK    密钥", "已于", "OK    MQTT"} {
		if !strings.Contains(out, w) {
			t.Errorf("%q not in:\n%s", w, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	// A wrong --crypto is a failure, and the exit code says so.
	if code, out, _ = runCmd(t, "doctor", "--data", dir, "--crypto", "gm"); code != 1 || !strings.Contains(out, "FAIL  密钥") {
		t.Errorf("--crypto gm on a standard ring: %d\n%s", code, out)
	}
}
