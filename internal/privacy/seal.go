package privacy

// Sealing: the few places that must keep a personal value in full (the
// mobile number of a booking, the address of a door-to-door request) keep
// it encrypted (AES-256-GCM, or SM4-GCM with --crypto gm) under the
// deployment's secret key, next to the masked form used for display, and
// compare people by keyed fingerprints. Only code that a staff role reaches opens a sealed value.

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

// KeyEnv names the environment variable holding the deployment's secret
// key (base64 of 32 random bytes). Replicas that share one PostgreSQL must
// share the key.
const KeyEnv = "FUWU_SECRET_KEY"

// KeyFile is the key's file inside the data folder when KeyEnv is unset.
const KeyFile = "secret.key"

// Keys seals personal data and fingerprints it. It holds a keyring: every
// key the deployment has sealed with, oldest first, each with its suite
// (see internal/cryptosuite). The newest key seals; any key in the ring
// opens what it sealed, so that a rotated or changed suite leaves existing
// data readable until "fuwu key reseal" has moved it to the newest key.
// The zero value is not usable; make one with NewKeys, ParseKeyring or
// LoadKeys.
type Keys struct {
	ring []ringKey // ids ascending; the last one seals
	mac  []byte    // fingerprint key, derived from the first key
	fp   cryptosuite.Suite
	// source says where the ring came from: the key file's path, or
	// KeyEnv; "" when built in memory.
	source string
}

type ringKey struct {
	id     int
	suite  cryptosuite.Suite
	master []byte
	aead   cipher.AEAD
}

// KeyInfo describes one key of the ring, never its secret.
type KeyInfo struct {
	ID      int
	Suite   cryptosuite.Suite
	Current bool // the key that seals new values
}

func newRingKey(id int, suite cryptosuite.Suite, master []byte) (ringKey, error) {
	if len(master) != 32 {
		return ringKey{}, fmt.Errorf("privacy: secret key must be 32 bytes, got %d", len(master))
	}
	aead, err := suite.AEAD(suite.DeriveKey(master, "fuwu privacy seal v1"))
	if err != nil {
		return ringKey{}, err
	}
	return ringKey{id: id, suite: suite, master: master, aead: aead}, nil
}

func newKeys(ring []ringKey) *Keys {
	// Fingerprints are compared with stored ones, so they stay under the
	// first key whatever is rotated later (reseal cannot recompute them
	// all: some hash values that are never stored in full).
	first := ring[0]
	m := first.suite.MAC(first.master)
	m.Write([]byte("fuwu privacy fingerprint v1"))
	return &Keys{ring: ring, mac: m.Sum(nil), fp: first.suite}
}

// NewKeys makes a ring of one standard (AES-256-GCM) key from a 32-byte
// master key, as every deployment had before key rotation.
func NewKeys(master []byte) (*Keys, error) { return NewKeysSuite(master, cryptosuite.Standard) }

// NewKeysSuite makes a ring of one key of suite.
func NewKeysSuite(master []byte, suite cryptosuite.Suite) (*Keys, error) {
	k, err := newRingKey(0, suite, append([]byte(nil), master...))
	if err != nil {
		return nil, err
	}
	return newKeys([]ringKey{k}), nil
}

// ParseKeyring reads a keyring: either one base64 line (a key file from
// before rotation: key 0, standard) or lines "<id> <suite> <base64>",
// ids ascending, the last sealing. Lines starting with # are comments;
// ";" separates lines too (so comments hold none), so that a ring fits in
// one environment variable.
func ParseKeyring(text string) (*Keys, error) {
	var lines []string
	for _, l := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, errors.New("privacy: keyring is empty")
	}
	if len(lines) == 1 && !strings.Contains(lines[0], " ") {
		b, err := base64.StdEncoding.DecodeString(lines[0])
		if err != nil {
			return nil, fmt.Errorf("privacy: key is not base64: %w", err)
		}
		return NewKeys(b)
	}
	var ring []ringKey
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) != 3 {
			return nil, fmt.Errorf("privacy: keyring line %d: want \"<id> <suite> <base64 key>\"", i+1)
		}
		id, err := strconv.Atoi(f[0])
		if err != nil || id < 0 || (len(ring) > 0 && id <= ring[len(ring)-1].id) {
			return nil, fmt.Errorf("privacy: keyring line %d: id %q must be a number above the previous line's", i+1, f[0])
		}
		suite, err := cryptosuite.Parse(f[1])
		if err != nil {
			return nil, fmt.Errorf("privacy: keyring line %d: %w", i+1, err)
		}
		b, err := base64.StdEncoding.DecodeString(f[2])
		if err != nil {
			return nil, fmt.Errorf("privacy: keyring line %d: key is not base64: %w", i+1, err)
		}
		k, err := newRingKey(id, suite, b)
		if err != nil {
			return nil, fmt.Errorf("privacy: keyring line %d: %w", i+1, err)
		}
		ring = append(ring, k)
	}
	return newKeys(ring), nil
}

// Keyring is the ring's text, as ParseKeyring reads it: what the key
// file holds. A ring of one standard key 0 is written as one base64 line,
// readable by older versions.
func (k *Keys) Keyring() string {
	if len(k.ring) == 1 && k.ring[0].id == 0 && k.ring[0].suite == cryptosuite.Standard {
		return base64.StdEncoding.EncodeToString(k.ring[0].master) + "\n"
	}
	var b strings.Builder
	b.WriteString("# Fuwu keyring: <id> <suite> <key>, oldest first, the last line seals. Keep a copy offline (fuwu key backup).\n")
	for _, r := range k.ring {
		fmt.Fprintf(&b, "%d %s %s\n", r.id, r.suite, base64.StdEncoding.EncodeToString(r.master))
	}
	return b.String()
}

// Rotate returns a ring with a fresh random key of suite added, which
// seals from then on. The receiver is unchanged.
func (k *Keys) Rotate(suite cryptosuite.Suite) (*Keys, error) {
	master := make([]byte, 32)
	if _, err := rand.Read(master); err != nil {
		return nil, fmt.Errorf("privacy: %w", err)
	}
	nk, err := newRingKey(k.ring[len(k.ring)-1].id+1, suite, master)
	if err != nil {
		return nil, err
	}
	out := newKeys(append(append([]ringKey(nil), k.ring...), nk))
	out.source = k.source
	return out, nil
}

// Suite is the suite of the key that seals.
func (k *Keys) Suite() cryptosuite.Suite { return k.ring[len(k.ring)-1].suite }

// Source is where the ring was loaded from: the key file, KeyEnv, or "".
func (k *Keys) Source() string { return k.source }

// Keys lists the ring, oldest first.
func (k *Keys) Keys() []KeyInfo {
	out := make([]KeyInfo, len(k.ring))
	for i, r := range k.ring {
		out[i] = KeyInfo{ID: r.id, Suite: r.suite, Current: i == len(k.ring)-1}
	}
	return out
}

// LoadKeys reads the keyring from secret (the value of $FUWU_SECRET_KEY,
// which the caller reads), else from dataDir/secret.key, creating that
// file (mode 0600) with a fresh random standard key the first time.
func LoadKeys(dataDir, secret string) (*Keys, error) { return LoadKeysSuite(dataDir, secret, "") }

// LoadKeysSuite is LoadKeys for a deployment run with --crypto want:
// a first key is made of that suite, and a ring whose sealing key is of
// another suite is an error that says how to move (rotate, then reseal),
// rather than data silently sealed the old way. want "" takes the ring as
// it is.
func LoadKeysSuite(dataDir, secret, want string) (*Keys, error) {
	suite, err := cryptosuite.Parse(want)
	if err != nil {
		return nil, err
	}
	k, err := loadKeys(dataDir, secret, suite)
	if err != nil {
		return nil, err
	}
	if want != "" && k.Suite() != suite {
		return nil, fmt.Errorf("privacy: --crypto %s, but the keyring (%s) seals with %s: run \"fuwu key rotate --crypto %s\", then \"fuwu key reseal\"",
			suite, k.source, k.Suite(), suite)
	}
	return k, nil
}

func loadKeys(dataDir, secret string, suite cryptosuite.Suite) (*Keys, error) {
	if v := strings.TrimSpace(secret); v != "" {
		k, err := ParseKeyring(v)
		if err != nil {
			return nil, fmt.Errorf("privacy: %s: %w", KeyEnv, err)
		}
		k.source = "$" + KeyEnv
		return k, nil
	}
	path := filepath.Join(dataDir, KeyFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := createKey(dataDir, path, suite); err != nil && !errors.Is(err, os.ErrExist) {
			return nil, err
		}
	}
	// Another process may have just created the file: give it a moment to
	// finish writing before calling the key bad.
	var lastErr error
	for try := 0; try < 20; try++ {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("privacy: read %s: %w", path, err)
		}
		k, err := ParseKeyring(string(b))
		if err == nil {
			k.source = path
			return k, nil
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("privacy: %s: %v", path, lastErr)
}

// WriteKeyring replaces the key file at path with k's ring, atomically
// (a crash leaves the old ring or the new one, never half of either).
func WriteKeyring(path string, k *Keys) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret.key-*")
	if err != nil {
		return fmt.Errorf("privacy: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("privacy: %w", err)
	}
	if _, err := tmp.WriteString(k.Keyring()); err != nil {
		tmp.Close()
		return fmt.Errorf("privacy: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("privacy: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("privacy: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("privacy: %w", err)
	}
	return nil
}

// createKey writes a fresh random key; O_EXCL makes one of two processes
// starting at once the creator (the other gets os.ErrExist).
func createKey(dataDir, path string, suite cryptosuite.Suite) error {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return err
	}
	keys, err := NewKeysSuite(k, suite)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("privacy: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(keys.Keyring())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("privacy: write %s: %w", path, err)
	}
	return nil
}

// Sealed values name their key: "v1:" is key 0 of a standard ring (the
// only format before rotation, still written by such a ring), and
// "v2:<id>:" any key of the ring, its suite given by the ring. The prefix
// is authenticated with the value, so it cannot be swapped.
const (
	sealPrefix   = "v1:"
	sealPrefixV2 = "v2:"
)

// Seal encrypts a value for storage with the ring's newest key. The empty
// string seals to "".
func (k *Keys) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	cur := k.ring[len(k.ring)-1]
	prefix, aad := sealPrefix, []byte(nil)
	if cur.id != 0 || cur.suite != cryptosuite.Standard {
		prefix = sealPrefixV2 + strconv.Itoa(cur.id) + ":"
		aad = []byte(prefix)
	}
	nonce := make([]byte, cur.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := cur.aead.Seal(nonce, nonce, []byte(plain), aad)
	return prefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// sealedKey finds the key a sealed value names, and the value's body and
// associated data.
func (k *Keys) sealedKey(sealed string) (ringKey, string, []byte, error) {
	var id int
	var body string
	var aad []byte
	switch {
	case strings.HasPrefix(sealed, sealPrefix):
		body = sealed[len(sealPrefix):]
	case strings.HasPrefix(sealed, sealPrefixV2):
		n, rest, ok := strings.Cut(sealed[len(sealPrefixV2):], ":")
		var err error
		if id, err = strconv.Atoi(n); !ok || err != nil {
			return ringKey{}, "", nil, errors.New("privacy: sealed value is corrupt")
		}
		body, aad = rest, []byte(sealed[:len(sealed)-len(rest)])
	default:
		return ringKey{}, "", nil, errors.New("privacy: unknown sealed format")
	}
	for _, r := range k.ring {
		if r.id == id {
			if aad == nil && r.suite != cryptosuite.Standard {
				break
			}
			return r, body, aad, nil
		}
	}
	return ringKey{}, "", nil, fmt.Errorf("privacy: sealed with key %d, which the keyring does not hold", id)
}

// Open decrypts what Seal produced, with whichever key of the ring sealed it.
func (k *Keys) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	r, body, aad, err := k.sealedKey(sealed)
	if err != nil {
		return "", err
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(b) < r.aead.NonceSize() {
		return "", errors.New("privacy: sealed value is corrupt")
	}
	n := r.aead.NonceSize()
	plain, err := r.aead.Open(nil, b[:n], b[n:], aad)
	if err != nil {
		return "", errors.New("privacy: cannot open sealed value (wrong key?)")
	}
	return string(plain), nil
}

// Current reports whether sealed is "" or sealed with the newest key:
// what reseal leaves alone.
func (k *Keys) Current(sealed string) bool {
	if sealed == "" {
		return true
	}
	r, _, _, err := k.sealedKey(sealed)
	return err == nil && r.id == k.ring[len(k.ring)-1].id
}

// Reseal opens sealed and seals it again with the newest key; a value
// already under it comes back unchanged with changed false.
func (k *Keys) Reseal(sealed string) (out string, changed bool, err error) {
	if k.Current(sealed) {
		return sealed, false, nil
	}
	plain, err := k.Open(sealed)
	if err != nil {
		return "", false, err
	}
	out, err = k.Seal(plain)
	return out, err == nil, err
}

// Fingerprint is a keyed hash of a normalised value: equal inputs give
// equal fingerprints, and without the key nobody can test a guess. kind
// keeps a mobile number and an ID number with the same digits apart. It
// uses the suite of the ring's first key (HMAC-SHA256 or HMAC-SM3).
func (k *Keys) Fingerprint(kind Kind, value string) string {
	if value == "" {
		return ""
	}
	m := k.fp.MAC(k.mac)
	m.Write([]byte(string(kind)))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
