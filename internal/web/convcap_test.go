package web

import (
	"crypto/hmac"
	"encoding/base64"
	"sync"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

// A token is the HMAC of the conversation id, the same from a reused MAC
// as from a fresh one, under concurrent use, and under either suite.
func TestConvTokenReusedMAC(t *testing.T) {
	for _, suite := range []cryptosuite.Suite{cryptosuite.Standard, cryptosuite.GM} {
		key := []byte("0123456789abcdef0123456789abcdef")
		c := newConvCaps(key, suite)
		want := func(id string) string {
			m := hmac.New(suite.NewHash, key)
			m.Write([]byte("conversation\x00" + id))
			return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
		}
		ids := []string{"abcdefgh", "conversation2", "x1234567", "abcdefgh"}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					for _, id := range ids {
						if got := c.token(id); got != want(id) {
							t.Errorf("%v token(%q) = %q, want %q", suite, id, got, want(id))
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		if !c.valid("abcdefgh", want("abcdefgh")) || c.valid("abcdefgh", want("x1234567")) {
			t.Errorf("%v: valid does not tell the right token from another's", suite)
		}
	}
}
