package privacy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

// A standard ring rotated to gm keeps opening what it sealed before,
// seals new values with SM4 under the new key, and reseals old ones;
// fingerprints do not change.
func TestRotateToGMAndReseal(t *testing.T) {
	t.Parallel()
	old := testKeys(t)
	legacy, err := old.Seal("13812345678")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(legacy, "v1:") {
		t.Fatalf("a standard key 0 must keep the v1 format, got %q", legacy)
	}
	fp := old.Fingerprint(Mobile, "13812345678")

	gm, err := old.Rotate(cryptosuite.GM)
	if err != nil {
		t.Fatal(err)
	}
	if gm.Suite() != cryptosuite.GM || len(gm.Keys()) != 2 || !gm.Keys()[1].Current {
		t.Fatalf("rotated ring: %+v", gm.Keys())
	}
	if got, err := gm.Open(legacy); err != nil || got != "13812345678" {
		t.Fatalf("old value after rotation: %q, %v", got, err)
	}
	if gm.Current(legacy) {
		t.Error("a v1 value counts as under the new key")
	}
	fresh, err := gm.Seal("44030419900101123X")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fresh, "v2:1:") || !gm.Current(fresh) {
		t.Fatalf("new seal %q", fresh)
	}
	if _, err := old.Open(fresh); err == nil {
		t.Error("the old ring opened a value sealed with a key it lacks")
	}
	resealed, changed, err := gm.Reseal(legacy)
	if err != nil || !changed || !strings.HasPrefix(resealed, "v2:1:") {
		t.Fatalf("reseal: %q %v %v", resealed, changed, err)
	}
	if got, _ := gm.Open(resealed); got != "13812345678" {
		t.Fatalf("resealed opens to %q", got)
	}
	if again, changed, _ := gm.Reseal(resealed); changed || again != resealed {
		t.Error("resealing a current value changed it")
	}
	if gm.Fingerprint(Mobile, "13812345678") != fp {
		t.Error("fingerprint changed with rotation")
	}
	// The key id is authenticated: relabelling a value fails.
	if _, err := gm.Open(strings.Replace(fresh, "v2:1:", "v2:0:", 1)); err == nil {
		t.Error("a relabelled value opened")
	}

	// The ring's text reads back to the same ring.
	back, err := ParseKeyring(gm.Keyring())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{legacy, fresh, resealed} {
		if _, err := back.Open(s); err != nil {
			t.Errorf("reparsed ring cannot open %q: %v", s, err)
		}
	}
	// So does a one-line ring in an environment variable.
	if env, err := ParseKeyring(strings.ReplaceAll(gm.Keyring(), "\n", ";")); err != nil || env.Suite() != cryptosuite.GM {
		t.Errorf("ring with ; separators: %v", err)
	}
}

func TestFreshGMRingIsAllSM(t *testing.T) {
	t.Parallel()
	k, err := NewKeysSuite([]byte("0123456789abcdef0123456789abcdef"), cryptosuite.GM)
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.Seal("深圳市福田区福华三路88号")
	if err != nil || !strings.HasPrefix(s, "v2:0:") {
		t.Fatalf("gm seal %q %v", s, err)
	}
	if got, err := k.Open(s); err != nil || got != "深圳市福田区福华三路88号" {
		t.Fatalf("open %q %v", got, err)
	}
	// Same master, other suite: different fingerprints (HMAC-SM3).
	if k.Fingerprint(Mobile, "13812345678") == testKeys(t).Fingerprint(Mobile, "13812345678") {
		t.Error("gm fingerprint equals the standard one")
	}
	// A v1 value cannot claim a gm key 0.
	if _, err := k.Open("v1:" + strings.TrimPrefix(s, "v2:0:")); err == nil {
		t.Error("v1 value opened with an SM4 key")
	}
	if !strings.Contains(k.Keyring(), "0 gm ") {
		t.Errorf("keyring text: %q", k.Keyring())
	}
}

func TestParseKeyringErrors(t *testing.T) {
	t.Parallel()
	good := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	for _, bad := range []string{
		"",
		"# only a comment",
		"not base64!",
		"0 standard " + good + "\n0 gm " + good, // ids must rise
		"0 rsa " + good,
		"0 gm c2hvcnQ=",
		"0 gm",
	} {
		if _, err := ParseKeyring(bad); err == nil {
			t.Errorf("ParseKeyring(%q) accepted", bad)
		}
	}
}

func TestLoadKeysSuite(t *testing.T) {

	dir := t.TempDir()
	k, err := LoadKeysSuite(dir, "", "gm")
	if err != nil || k.Suite() != cryptosuite.GM || k.Source() != filepath.Join(dir, KeyFile) {
		t.Fatalf("fresh gm: %v %v", k, err)
	}
	if _, err := LoadKeysSuite(dir, "", "standard"); err == nil || !strings.Contains(err.Error(), "fuwu key rotate --crypto standard") {
		t.Fatalf("suite mismatch not reported: %v", err)
	}
	if k2, err := LoadKeys(dir, ""); err != nil || k2.Suite() != cryptosuite.GM {
		t.Fatalf("no --crypto follows the ring: %v", err)
	}
	// Rotation written atomically, mode 0600, read back.
	r, err := k.Rotate(cryptosuite.GM)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFile)
	if err := WriteKeyring(path, r); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	back, err := LoadKeys(dir, "")
	if err != nil || len(back.Keys()) != 2 {
		t.Fatalf("rotated ring read back: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestBackupNote(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k := testKeys(t)
	if _, _, _, ok, err := LastBackup(dir, k); ok || err != nil {
		t.Fatalf("no backup yet: %v %v", ok, err)
	}
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "ring.bak")
	if err := Backup(dir, out, k, at); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st, err)
	}
	back, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := ParseKeyring(string(back)); err != nil || r.Fingerprint(Mobile, "13812345678") != k.Fingerprint(Mobile, "13812345678") {
		t.Fatalf("backup does not read back as the ring: %v", err)
	}
	if err := Backup(dir, out, k, at); err == nil {
		t.Error("backup overwrote an existing file")
	}
	got, where, current, ok, err := LastBackup(dir, k)
	if err != nil || !ok || !current || !got.Equal(at) || where != out {
		t.Fatalf("note: %v %q %v %v %v", got, where, current, ok, err)
	}
	r, _ := k.Rotate(cryptosuite.GM)
	if _, _, current, _, _ := LastBackup(dir, r); current {
		t.Error("a rotated ring counts as backed up")
	}
}
