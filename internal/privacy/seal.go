package privacy

// Sealing: the few places that must keep a personal value in full (the
// mobile number of a booking, the address of a door-to-door request) keep
// it encrypted with AES-256-GCM under the deployment's secret key, next to
// the masked form used for display, and compare people by keyed
// fingerprints. Only code that a staff role reaches opens a sealed value.

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// KeyEnv names the environment variable holding the deployment's secret
// key (base64 of 32 random bytes). Replicas that share one PostgreSQL must
// share the key.
const KeyEnv = "FUWU_SECRET_KEY"

// KeyFile is the key's file inside the data folder when KeyEnv is unset.
const KeyFile = "secret.key"

// Keys seals personal data and fingerprints it. The zero value is not
// usable; make one with NewKeys or LoadKeys.
type Keys struct {
	aead cipher.AEAD
	mac  []byte
}

// NewKeys derives the sealing and fingerprint keys from a 32-byte master
// key, so that one secret serves both without reusing it directly.
func NewKeys(master []byte) (*Keys, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("privacy: secret key must be 32 bytes, got %d", len(master))
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("fuwu privacy seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keys{aead: aead, mac: derive("fuwu privacy fingerprint v1")}, nil
}

// LoadKeys reads the master key from $FUWU_SECRET_KEY, else from
// dataDir/secret.key, creating that file (mode 0600) with a fresh random
// key the first time.
func LoadKeys(dataDir string) (*Keys, error) {
	if v := strings.TrimSpace(os.Getenv(KeyEnv)); v != "" {
		k, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("privacy: %s is not base64: %w", KeyEnv, err)
		}
		return NewKeys(k)
	}
	path := filepath.Join(dataDir, KeyFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := createKey(dataDir, path); err != nil && !errors.Is(err, os.ErrExist) {
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
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err == nil && len(k) == 32 {
			return NewKeys(k)
		}
		lastErr = err
		if lastErr == nil {
			lastErr = fmt.Errorf("%d bytes, want 32", len(k))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("privacy: %s is not a base64 32-byte key: %v", path, lastErr)
}

// createKey writes a fresh random key; O_EXCL makes one of two processes
// starting at once the creator (the other gets os.ErrExist).
func createKey(dataDir, path string) error {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("privacy: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("privacy: write %s: %w", path, err)
	}
	return nil
}

const sealPrefix = "v1:"

// Seal encrypts a value for storage. The empty string seals to "".
func (k *Keys) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal produced.
func (k *Keys) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if !strings.HasPrefix(sealed, sealPrefix) {
		return "", errors.New("privacy: unknown sealed format")
	}
	b, err := base64.RawURLEncoding.DecodeString(sealed[len(sealPrefix):])
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("privacy: sealed value is corrupt")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errors.New("privacy: cannot open sealed value (wrong key?)")
	}
	return string(plain), nil
}

// Fingerprint is a keyed hash of a normalised value: equal inputs give
// equal fingerprints, and without the key nobody can test a guess. kind
// keeps a mobile number and an ID number with the same digits apart.
func (k *Keys) Fingerprint(kind Kind, value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(string(kind)))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
