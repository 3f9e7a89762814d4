package privacy

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKeys(t *testing.T) *Keys {
	t.Helper()
	k, err := NewKeys([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealRoundTrip(t *testing.T) {
	t.Parallel()
	k := testKeys(t)
	for _, v := range []string{"", "13812345678", "44030419900101123X", "深圳市福田区福华三路88号"} {
		s, err := k.Seal(v)
		if err != nil {
			t.Fatal(err)
		}
		if v != "" && strings.Contains(s, v) {
			t.Errorf("sealed %q shows the plain value", v)
		}
		got, err := k.Open(s)
		if err != nil || got != v {
			t.Errorf("Open(Seal(%q)) = %q, %v", v, got, err)
		}
	}
	s, _ := k.Seal("13812345678")
	s2, _ := k.Seal("13812345678")
	if s == s2 {
		t.Error("two seals of one value are equal: nonce reused")
	}
	other, _ := NewKeys([]byte("ffffffffffffffffffffffffffffffff"))
	if _, err := other.Open(s); err == nil {
		t.Error("opened with the wrong key")
	}
	if _, err := k.Open(s[:len(s)-3]); err == nil {
		t.Error("opened a truncated value")
	}
	if _, err := k.Open("plain"); err == nil {
		t.Error("opened an unsealed value")
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	k := testKeys(t)
	a := k.Fingerprint(Mobile, "13812345678")
	if a != k.Fingerprint(Mobile, "13812345678") || a == "" {
		t.Error("fingerprint not stable")
	}
	if a == k.Fingerprint(IDCard, "13812345678") {
		t.Error("kinds not separated")
	}
	if a == k.Fingerprint(Mobile, "13812345679") {
		t.Error("different values collide")
	}
	if k.Fingerprint(Mobile, "") != "" {
		t.Error("empty value fingerprinted")
	}
}

func TestLoadKeys(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadKeys(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	k2, err := LoadKeys(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := k1.Seal("x")
	if v, err := k2.Open(s); err != nil || v != "x" {
		t.Error("second load has a different key")
	}
	k3, err := LoadKeys(t.TempDir(), base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	if err != nil {
		t.Fatal(err)
	}
	if k3.Fingerprint(Mobile, "1") != testKeys(t).Fingerprint(Mobile, "1") {
		t.Error("env key not used")
	}
	if _, err := LoadKeys(dir, "not base64!"); err == nil {
		t.Error("bad env key accepted")
	}
	if _, err := LoadKeys(dir, base64.StdEncoding.EncodeToString([]byte("short"))); err == nil {
		t.Error("short key accepted")
	}
}

func TestNormalizeFields(t *testing.T) {
	t.Parallel()
	mobiles := []struct {
		in   string
		want string
		ok   bool
	}{
		{"13812345678", "13812345678", true},
		{"138 1234 5678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"８６13812345678", "13812345678", true},
		{"１３８１２３４５６７８", "13812345678", true},
		{"12812345678", "12812345678", false},
		{"1381234567", "1381234567", false},
		{"0755-12345678", "075512345678", false},
	}
	for _, c := range mobiles {
		got, ok := NormalizeMobile(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	ids := []struct {
		in string
		ok bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"440304199001011236", false}, // wrong check digit
		{"44030419900101123", false},
		{"4403041990010112AX", false},
	}
	for _, c := range ids {
		if _, ok := NormalizeID(c.in); ok != c.ok {
			t.Errorf("NormalizeID(%q) ok = %v, want %v", c.in, ok, c.ok)
		}
	}
}

func TestMaskFields(t *testing.T) {
	t.Parallel()
	cases := []struct{ got, want string }{
		{MaskMobile("13812345678"), "138****5678"},
		{MaskMobile("123"), "***"},
		{MaskID("11010519491231002X"), "110105********002X"},
		{MaskName("张三"), "张*"},
		{MaskName("李小明"), "李*明"},
		{MaskName("欧阳娜娜"), "欧**娜"},
		{MaskName("王"), "*"},
		{MaskAddress("深圳市福田区福华三路88号2栋301"), "深圳市福田区福华三路****"},
		{MaskAddress("福田区某小区"), "福田区某小区"},
		{MaskAddress("深圳市福田区莲花街道某某花园"), "深圳市福田区****"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// A field masked alone reads the same as the value masked inside text.
func TestFieldMasksAgreeWithMask(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ field, text string }{
		{MaskMobile("13812345678"), "13812345678"},
		{MaskID("11010519491231002X"), "11010519491231002X"},
		{MaskID("110101199003071233"), "110101199003071233"},
	} {
		if m, _ := Mask(c.text); m != c.field {
			t.Errorf("field mask %q, text mask %q", c.field, m)
		}
	}
}

// Two processes starting on a fresh data folder at once end up with one key.
func TestLoadKeysConcurrently(t *testing.T) {

	dir := t.TempDir()
	keys := make([]*Keys, 8)
	errs := make([]error, 8)
	done := make(chan int)
	for i := range keys {
		go func(i int) { keys[i], errs[i] = LoadKeys(dir, ""); done <- i }(i)
	}
	for range keys {
		<-done
	}
	for i, k := range keys {
		if errs[i] != nil {
			t.Fatalf("load %d: %v", i, errs[i])
		}
		if k.Fingerprint(Mobile, "1") != keys[0].Fingerprint(Mobile, "1") {
			t.Errorf("load %d got another key", i)
		}
	}
}
