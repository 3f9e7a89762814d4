package doctor

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func run(t *testing.T, c Check) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.Run(ctx)
}

func want(t *testing.T, r Result, s Status, detail ...string) {
	t.Helper()
	if r.Status != s {
		t.Errorf("status %s, want %s: %+v", r.Status, s, r)
	}
	for _, d := range detail {
		if !strings.Contains(r.Detail+"\n"+r.Fix, d) {
			t.Errorf("%q not in %+v", d, r)
		}
	}
}

// A fresh install: no database yet (and doctor does not create one), then
// a migrated one on each engine, one with a migration pending, and one
// that cannot be reached.
func TestDatabase(t *testing.T) {
	t.Parallel()
	sets := []store.Migrations{audit.Migrations}
	path := filepath.Join(t.TempDir(), "fuwu.db")
	want(t, run(t, Database("sqlite:"+path, sets)), Warn, "尚未创建", "fuwu serve")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("doctor created the database")
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		u := storetest.URL(t, d)
		db, err := store.Open(context.Background(), u) // an empty database
		if err != nil {
			t.Fatal(err)
		}
		want(t, run(t, Database(u, sets)), Warn, "尚有迁移未执行", "audit 001_audit")
		if err := db.Migrate(context.Background(), sets...); err != nil {
			t.Fatal(err)
		}
		db.Close()
		r := run(t, Database(u, sets))
		want(t, r, OK, "迁移已全部执行")
		if d == store.Postgres && !strings.Contains(r.Detail, "PostgreSQL") || d == store.SQLite && !strings.Contains(r.Detail, "SQLite 3.") {
			t.Errorf("server not named: %s", r.Detail)
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	want(t, run(t, Database("postgres://x@"+addr+"/db?connect_timeout=2", sets)), Fail, "无法连接")
}

func TestDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want(t, run(t, DataDir(filepath.Join(dir, "none"))), Warn, "不存在")
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	want(t, run(t, DataDir(dir)), Warn, "权限 0755", "chmod 700")
	os.Chmod(dir, 0o700)
	want(t, run(t, DataDir(dir)), OK, "可用空间")
	f := filepath.Join(dir, "file")
	os.WriteFile(f, nil, 0o600)
	want(t, run(t, DataDir(f)), Fail, "不是目录")
}

func TestKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want(t, run(t, Keys(dir, "", "")), Warn, "尚无密钥", "fuwu key backup")
	if _, err := os.Stat(filepath.Join(dir, privacy.KeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("doctor created a key")
	}
	k, err := privacy.LoadKeys(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	want(t, run(t, Keys(dir, "", "")), Warn, "没有备份记录", "AES-256-GCM")
	want(t, run(t, Keys(dir, "", "gm")), Fail, "fuwu key rotate --crypto gm")
	if err := privacy.Backup(dir, filepath.Join(t.TempDir(), "ring"), k, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	want(t, run(t, Keys(dir, "", "standard")), OK, "已于 2026-12-01 备份")
	r, _ := k.Rotate(cryptosuite.GM)
	privacy.WriteKeyring(filepath.Join(dir, privacy.KeyFile), r)
	want(t, run(t, Keys(dir, "", "gm")), Warn, "备份之后密钥环已变化", "SM4-GCM")
	os.WriteFile(filepath.Join(dir, privacy.KeyFile), []byte("garbage!"), 0o600)
	want(t, run(t, Keys(dir, "", "")), Fail, "从备份恢复")
	want(t, run(t, Keys(dir, strings.ReplaceAll(r.Keyring(), "\n", ";"), "gm")), Warn, "$FUWU_SECRET_KEY")
}

func TestFonts(t *testing.T) {
	t.Parallel()
	list := func(s string, err error) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return s, err }
	}
	want(t, run(t, Fonts(list("FangSong\n方正小标宋简体\nSimHei\n楷体\n", nil))), OK, "公文字体齐全")
	want(t, run(t, Fonts(list("Noto Sans CJK SC,Noto Sans CJK SC Regular\nSimHei\n", nil))), Warn, "仿宋_GB2312", "楷体_GB2312", "替代")
	want(t, run(t, Fonts(list("DejaVu Sans\n", nil))), Warn, "没有任何中文字体")
	want(t, run(t, Fonts(list("", errors.New("exec: \"fc-list\": not found")))), Warn, "fontconfig")
}

func TestModel(t *testing.T) {
	t.Parallel()
	want(t, run(t, Model(llm.Config{})), Skip, "只用知识库")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"model":"qwen-test","choices":[{"index":0,"message":{"role":"assistant","content":"你好"},"finish_reason":"stop"}]}`))
	}))
	defer srv.Close()
	want(t, run(t, Model(llm.Config{BaseURL: srv.URL + "/v1", Model: "qwen-test"})), OK, "qwen-test", "「你好」")
	want(t, run(t, Model(llm.Config{BaseURL: srv.URL + "/v1"})), Fail, "--llm-model")
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	want(t, run(t, Model(llm.Config{BaseURL: down.URL + "/v1", Model: "m"})), Fail, "无应答", "退回知识库")
}

// The MQTT check against the broker on 127.0.0.1:1883 (.ci/run starts it)
// and against a port nobody listens on.
func TestMQTT(t *testing.T) {
	t.Parallel()
	want(t, run(t, MQTT("")), Skip)
	want(t, run(t, MQTT("mqtt://127.0.0.1:1883")), OK, "可连接")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	want(t, run(t, MQTT("mqtt://"+addr)), Fail, "--mqtt-url")
	want(t, run(t, MQTT("http://x")), Fail, "scheme")
}

func TestClock(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	yes := func(context.Context) (bool, bool) { return true, true }
	no := func(context.Context) (bool, bool) { return false, true }
	unknown := func(context.Context) (bool, bool) { return false, false }
	want(t, run(t, Clock(at, zone, yes)), OK, "2026-12-04 11:00:00 CST", "UTC+8", "已同步")
	want(t, run(t, Clock(at, zone, no)), Warn, "未同步", "timedatectl set-ntp")
	want(t, run(t, Clock(at, zone, unknown)), Warn, "无法判断")
}

func TestRunAndWorst(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	rs := Run(context.Background(), &b, []Check{
		{Name: "架构", Run: func(context.Context) Result { return Result{Status: OK, Detail: "linux/loong64"} }},
		{Name: "MQTT", Run: func(ctx context.Context) Result {
			if _, ok := ctx.Deadline(); !ok {
				return Result{Status: Fail, Detail: "no deadline"}
			}
			return Result{Status: Warn, Detail: "slow", Fix: "do a\ndo b"}
		}},
	}, time.Second)
	want := "OK    架构     linux/loong64\nWARN  MQTT     slow\n                → do a\n                → do b\n"
	if b.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", b.String(), want)
	}
	if Worst(rs) != Warn || Worst(append(rs, Result{Status: Fail})) != Fail || Worst([]Result{{Status: Skip}}) != OK {
		t.Error("Worst")
	}
}
