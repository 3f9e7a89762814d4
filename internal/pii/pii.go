// Package pii is where personal data is handled: residents' mobile numbers,
// ID card numbers, names and addresses. It checks them, masks them for
// display and logs, seals the full value for the few staff who need it
// (AES-256-GCM under the deployment's secret key) and makes keyed
// fingerprints so that rules such as "one booking per person" can compare
// people without keeping readable numbers.
package pii

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
	"regexp"
	"strings"
	"unicode"
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
		return nil, fmt.Errorf("pii: secret key must be 32 bytes, got %d", len(master))
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("fuwu pii seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keys{aead: aead, mac: derive("fuwu pii fingerprint v1")}, nil
}

// LoadKeys reads the master key from $FUWU_SECRET_KEY, else from
// dataDir/secret.key, creating that file (mode 0600) with a fresh random
// key the first time.
func LoadKeys(dataDir string) (*Keys, error) {
	if v := strings.TrimSpace(os.Getenv(KeyEnv)); v != "" {
		k, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("pii: %s is not base64: %w", KeyEnv, err)
		}
		return NewKeys(k)
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("pii: %w", err)
		}
		enc := base64.StdEncoding.EncodeToString(k) + "\n"
		// O_EXCL: when two processes start at once, one creates and the other reads.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.WriteString(enc)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("pii: write %s: %w", path, err)
			}
			return NewKeys(k)
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("pii: create %s: %w", path, err)
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("pii: read %s: %w", path, err)
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("pii: %s is not base64: %w", path, err)
	}
	return NewKeys(k)
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
		return "", errors.New("pii: unknown sealed format")
	}
	b, err := base64.RawURLEncoding.DecodeString(sealed[len(sealPrefix):])
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("pii: sealed value is corrupt")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errors.New("pii: cannot open sealed value (wrong key?)")
	}
	return string(plain), nil
}

// Fingerprint is a keyed hash of a normalised value: equal inputs give
// equal fingerprints, and without the key nobody can test a guess. kind
// keeps a mobile number and an ID number with the same digits apart.
func (k *Keys) Fingerprint(kind, value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizeMobile returns the 11-digit mainland mobile number in s
// (spaces, dashes and a +86 prefix allowed) and whether it is one.
func NormalizeMobile(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "0086")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s, mobileRe.MatchString(s)
}

// NormalizeID returns the 18-character resident ID number in s (upper-case
// X) and whether its GB 11643-1999 check digit is right.
func NormalizeID(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(s) != 18 {
		return s, false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return s, false
		}
		sum += int(c-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	return s, s[17] == check
}

// MaskMobile shows the first three and last four digits: 138****5678.
func MaskMobile(m string) string {
	r := []rune(m)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// MaskID shows the first four and last four characters of an ID number.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) < 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}

// MaskName keeps the surname (and the last character of longer names):
// 张* , 李*明, 欧**娜.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// MaskAddress keeps the address up to its first digit (district, street,
// road) and hides the house number and everything after it.
func MaskAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	i := strings.IndexFunc(addr, func(r rune) bool { return unicode.IsDigit(r) })
	if i < 0 {
		r := []rune(addr)
		if len(r) <= 6 {
			return addr
		}
		return string(r[:6]) + "****"
	}
	return addr[:i] + "****"
}

var (
	// Longest first: an 18-character ID number, a 16–19 digit bank card,
	// an 11-digit mobile; digits not part of a longer number.
	idInText     = regexp.MustCompile(`(^|[^0-9])([1-9][0-9]{16}[0-9Xx])([^0-9]|$)`)
	cardInText   = regexp.MustCompile(`(^|[^0-9])([0-9]{16,19})([^0-9]|$)`)
	mobileInText = regexp.MustCompile(`(^|[^0-9])(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})([^0-9]|$)`)
)

// MaskText hides ID, bank-card and mobile numbers inside free text (a
// request's notes), for storing and showing it.
func MaskText(s string) string {
	repl := func(re *regexp.Regexp, mask func(string) string) {
		// Loop: adjacent matches share their boundary character.
		for {
			out := re.ReplaceAllStringFunc(s, func(m string) string {
				sub := re.FindStringSubmatch(m)
				return sub[1] + mask(sub[2]) + sub[3]
			})
			if out == s {
				return
			}
			s = out
		}
	}
	repl(idInText, MaskID)
	repl(cardInText, func(c string) string { return c[:4] + strings.Repeat("*", len(c)-8) + c[len(c)-4:] })
	repl(mobileInText, func(m string) string {
		m = strings.NewReplacer(" ", "", "-", "").Replace(m)
		return MaskMobile(m)
	})
	return s
}
