package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Not parallel: it sets $FUWU_SECRET_KEY. A standard deployment with a
// sealed booking moves to gm: rotate, reseal with progress, backup; the
// ring lists its keys and whether its backup is current; --crypto refuses
// a ring of the other suite.
func TestKeyCommands(t *testing.T) {
	t.Setenv(privacy.KeyEnv, "")
	dir := t.TempDir()
	ctx := context.Background()
	sf := storeFlags{data: dir, tz: "Asia/Shanghai"}
	db, err := sf.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old, err := privacy.LoadKeys(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := old.Seal("13812345678")
	if _, err := db.Exec(ctx, `INSERT INTO booking_bookings (code, hall_id, window_id, item_id, day, slot_start, slot_end, name,
		mobile_masked, mobile_sealed, mobile_fp, status, created_at, updated_at)
		VALUES ('B1', 'H1', 1, 'FT-001', '2026-12-02', '09:00', '09:30', '张三', '138****5678', ?, 'fp', 'booked', 'x', 'x')`, sealed); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errs := runCmd(t, "key", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "key 0\tstandard") || !strings.Contains(out, "尚未备份") {
		t.Fatalf("key list: %d %q %q", code, out, errs)
	}
	if code, _, errs = runCmd(t, "user", "list", "--data", dir, "--crypto", "gm"); code == 0 || !strings.Contains(errs, "fuwu key rotate --crypto gm") {
		t.Fatalf("--crypto gm on a standard ring: %d %q", code, errs)
	}
	if code, out, errs = runCmd(t, "key", "rotate", "--crypto", "gm", "--data", dir); code != 0 || !strings.Contains(out, "已添加 key 1（SM4-GCM") {
		t.Fatalf("rotate: %d %q %q", code, out, errs)
	}
	if code, _, errs = runCmd(t, "user", "list", "--data", dir, "--crypto", "gm"); code != 0 {
		t.Fatalf("--crypto gm after rotation: %d %q", code, errs)
	}
	if code, out, errs = runCmd(t, "key", "reseal", "--dry-run", "--data", dir); code != 0 || !strings.Contains(out, "booking_bookings       读取 1 行，重新加密 1 行") {
		t.Fatalf("reseal dry: %d %q %q", code, out, errs)
	}
	if code, out, errs = runCmd(t, "key", "reseal", "--data", dir); code != 0 || !strings.Contains(errs, "booking_bookings       1/1 行 (100%)") || !strings.Contains(out, "重新加密 1 行") {
		t.Fatalf("reseal: %d %q %q", code, out, errs)
	}
	gm, err := privacy.LoadKeys(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err = sf.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var now string
	if err := db.QueryRow(ctx, `SELECT mobile_sealed FROM booking_bookings`).Scan(&now); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if got, err := gm.Open(now); err != nil || got != "13812345678" || !strings.HasPrefix(now, "v2:1:") {
		t.Fatalf("after reseal: %q %q %v", now, got, err)
	}

	bak := filepath.Join(t.TempDir(), "ring.bak")
	if code, _, errs = runCmd(t, "key", "backup", "--data", dir); code == 0 || !strings.Contains(errs, "--out") {
		t.Errorf("backup without --out: %d %q", code, errs)
	}
	if code, out, errs = runCmd(t, "key", "backup", "--out", bak, "--data", dir); code != 0 || !strings.Contains(out, "已备份") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(bak); err != nil || !strings.Contains(string(b), "1 gm ") {
		t.Fatalf("backup holds %q %v", b, err)
	}
	if code, out, _ = runCmd(t, "key", "list", "--data", dir); code != 0 || !strings.Contains(out, "key 1\tgm (SM4-GCM, SM3, HMAC-SM3)  ← 当前") || !strings.Contains(out, "已备份") {
		t.Fatalf("key list after backup: %q", out)
	}
	runCmd(t, "key", "rotate", "--data", dir)
	if code, out, _ = runCmd(t, "key", "list", "--data", dir); code != 0 || !strings.Contains(out, "key 2\tgm") || !strings.Contains(out, "请重新备份") {
		t.Fatalf("key list after a second rotation: %q", out)
	}
	// A ring from the environment is printed, not written.
	ring, _ := os.ReadFile(filepath.Join(dir, privacy.KeyFile))
	t.Setenv(privacy.KeyEnv, strings.ReplaceAll(string(ring), "\n", ";"))
	if code, _, errs = runCmd(t, "key", "rotate", "--data", dir); code == 0 || !strings.Contains(errs, "--print") {
		t.Errorf("rotate an env ring: %d %q", code, errs)
	}
	if code, out, _ = runCmd(t, "key", "rotate", "--print", "--data", dir); code != 0 || !strings.Contains(out, "3 gm ") {
		t.Errorf("rotate --print: %d %q", code, out)
	}
}

// SM2 HTTPS is refused before
// anything starts, with what to do instead.
func TestServeRefusesSM2TLS(t *testing.T) {
	t.Parallel()
	code, _, errs := runCmd(t, "serve", "--data", t.TempDir(), "--sm2-cert", "sm2.crt", "--sm2-key", "sm2.key")
	if code != 1 || !strings.Contains(errs, "TLCP") || !strings.Contains(errs, "gateway") || !strings.Contains(errs, "docs/crypto.md") {
		t.Fatalf("serve --sm2-cert: %d %q", code, errs)
	}
}

// Not parallel: it sets $FUWU_SECRET_KEY. A fresh install with --crypto gm
// books through the real command path: the mobile is sealed with SM4 key
// 0 (v2:0:), staff reveal it, and the audit chain is SM3 from the start.
func TestBookingUnderGM(t *testing.T) {
	t.Setenv(privacy.KeyEnv, "")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"import", "--data", dir, "--crypto", "gm", "../../data/kb"},
		{"booking", "seed", "--data", dir},
	} {
		if code, _, errs := runCmd(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	code, out, errs := runCmd(t, "booking", "book", "HALL-01", "FT-001", "2026-12-03", "09:00", "--name", "张三", "--mobile", "13812345678", "--data", dir)
	if code != 0 || !strings.Contains(out, "138****5678") {
		t.Fatalf("book: %d %q %q", code, out, errs)
	}
	var bookCode string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "预约码" {
			bookCode = f[1]
		}
	}
	ctx := context.Background()
	sf := storeFlags{data: dir, tz: "Asia/Shanghai"}
	db, err := sf.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sealed, hash string
	if err := db.QueryRow(ctx, `SELECT mobile_sealed FROM booking_bookings WHERE code = ?`, bookCode).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !strings.HasPrefix(sealed, "v2:0:") || strings.Contains(sealed, "13812345678") {
		t.Errorf("sealed mobile %q: want SM4 key 0", sealed)
	}
	if !strings.HasPrefix(hash, "sm3:") {
		t.Errorf("audit hash %q: want SM3", hash)
	}
	if code, out, errs = runCmd(t, "booking", "reveal", bookCode, "--purpose", "电话核实", "--data", dir); code != 0 || !strings.Contains(out, "13812345678") {
		t.Errorf("reveal: %d %q %q", code, out, errs)
	}
}
