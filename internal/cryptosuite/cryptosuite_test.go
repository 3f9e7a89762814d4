package cryptosuite

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The two examples of GB/T 32905-2016 (SM3), appendix A.
func TestSM3StandardVectors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"},
		{strings.Repeat("abcd", 16), "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"},
	} {
		if got := GM.Sum([]byte(c.in)); !bytes.Equal(got, unhex(t, c.want)) {
			t.Errorf("SM3(%q) = %x, want %s", c.in, got, c.want)
		}
	}
	if got := hex.EncodeToString(Standard.Sum([]byte("abc"))); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("SHA-256(abc) = %s", got)
	}
}

// GB/T 32907-2016 (SM4), appendix A: example 1 (one block) and example 2
// (the same block encrypted 1,000,000 times).
func TestSM4StandardVectors(t *testing.T) {
	t.Parallel()
	key := unhex(t, "01 23 45 67 89 ab cd ef fe dc ba 98 76 54 32 10")
	c, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	block := append([]byte(nil), key...)
	c.Encrypt(block, block)
	if want := unhex(t, "68 1e df 34 d2 06 96 5e 86 b3 e9 4f 53 6e 42 46"); !bytes.Equal(block, want) {
		t.Fatalf("SM4 example 1 = %x, want %x", block, want)
	}
	c.Decrypt(block, block)
	if !bytes.Equal(block, key) {
		t.Fatalf("SM4 decrypt = %x, want %x", block, key)
	}
	if testing.Short() {
		return
	}
	for range 1_000_000 {
		c.Encrypt(block, block)
	}
	if want := unhex(t, "59 52 98 c7 c6 fd 27 1f 04 02 f8 04 c3 3d 3f 66"); !bytes.Equal(block, want) {
		t.Fatalf("SM4 example 2 = %x, want %x", block, want)
	}
}

// SM4-GCM through the suite, on the example of RFC 8998 appendix A.1
// (there is no GB/T example for GCM mode).
func TestSM4GCMVector(t *testing.T) {
	t.Parallel()
	aead, err := GM.AEAD(unhex(t, "0123456789abcdeffedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	nonce := unhex(t, "00001234567800000000abcd")
	plain := unhex(t, "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa")
	aad := unhex(t, "feedfacedeadbeeffeedfacedeadbeefabaddad2")
	want := unhex(t, "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d83de3541e4c2b58177e065a9bf7b62ec")
	got := aead.Seal(nil, nonce, plain, aad)
	if !bytes.Equal(got, want) {
		t.Fatalf("SM4-GCM = %x\nwant      %x", got, want)
	}
	back, err := aead.Open(nil, nonce, got, aad)
	if err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("open: %v", err)
	}
	got[0] ^= 1
	if _, err := aead.Open(nil, nonce, got, aad); err == nil {
		t.Fatal("a changed ciphertext opened")
	}
}

// HMAC-SM3 is RFC 2104 over SM3: checked against the construction
// written out by hand, since no GB/T text gives an HMAC-SM3 example.
func TestMACIsHMAC(t *testing.T) {
	t.Parallel()
	key := []byte("fuwu test key")
	msg := []byte("conversation\x00c-1")
	manual := func(sum func([]byte) []byte) []byte {
		k := make([]byte, 64)
		copy(k, key)
		ipad, opad := make([]byte, 64), make([]byte, 64)
		for i := range k {
			ipad[i], opad[i] = k[i]^0x36, k[i]^0x5c
		}
		inner := sum(append(ipad, msg...))
		return sum(append(opad, inner...))
	}
	sm3sum := func(b []byte) []byte { s := sm3.Sum(b); return s[:] }
	shasum := func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }
	for _, c := range []struct {
		s   Suite
		sum func([]byte) []byte
	}{{GM, sm3sum}, {Standard, shasum}} {
		m := c.s.MAC(key)
		m.Write(msg)
		if got, want := m.Sum(nil), manual(c.sum); !hmac.Equal(got, want) {
			t.Errorf("%s MAC = %x, want %x", c.s, got, want)
		}
	}
}

func TestParseAndKeys(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Suite{"": Standard, "standard": Standard, "GM": GM, " gm ": GM} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := Parse("rsa"); err == nil {
		t.Error("Parse(rsa) accepted")
	}
	master := bytes.Repeat([]byte{7}, 32)
	for _, s := range []Suite{Standard, GM} {
		k := s.DeriveKey(master, "purpose")
		if len(k) != s.KeySize() {
			t.Fatalf("%s derived %d bytes", s, len(k))
		}
		if _, err := s.AEAD(k); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AEAD(k[:len(k)-1]); err == nil {
			t.Errorf("%s accepted a short key", s)
		}
	}
	// Standard's derivation is the one sealing has always used.
	m := hmac.New(sha256.New, master)
	m.Write([]byte("purpose"))
	if !bytes.Equal(Standard.DeriveKey(master, "purpose"), m.Sum(nil)) {
		t.Error("Standard.DeriveKey changed")
	}
}
