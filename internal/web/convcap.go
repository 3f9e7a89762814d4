package web

import (
	"crypto/hmac"
	"encoding/base64"
	"hash"
	"net/http"
	"strings"
	"sync"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

// A conversation is read or continued only with the capability the server
// handed out when it created it: a token, the HMAC of the conversation id
// under a server secret. Browsers keep their tokens in an HttpOnly cookie
// (the last few conversations); API clients get the token in the reply and
// send it back as X-Conversation-Token or "conversation_token". An id
// alone — in a link someone was sent, in a log — opens nothing: the page
// starts a fresh conversation and the API answers 404.

const (
	convCookie = "fuwu_conv"
	// convHeader carries an API client's conversation token.
	convHeader = "X-Conversation-Token"
	// maxConvCookie is how many conversations one browser keeps access to.
	maxConvCookie = 5
)

type convCaps struct {
	key   []byte
	suite cryptosuite.Suite // HMAC-SM3 for GM; switching ends old links
	// macs keeps keyed MACs for reuse (nil: a new one each time), each
	// with a buffer for what it hashes. A chat turn checks one token and
	// hands one out, and a new HMAC is two hash states and its padded
	// keys: 1.9 % of the server's CPU under BenchmarkTurn's load before
	// (5 December 2026).
	macs *sync.Pool
}

// convMAC is a keyed MAC of convCaps.macs with the buffers its input is
// written from and its sum read into: through the hash.Hash interface
// both escaped to the heap on every token.
type convMAC struct {
	h        hash.Hash
	buf, sum []byte
}

const convMACPrefix = "conversation\x00"

func newConvCaps(key []byte, suite cryptosuite.Suite) convCaps {
	c := convCaps{key: key, suite: suite}
	c.macs = &sync.Pool{New: func() any { return &convMAC{h: c.suite.MAC(c.key)} }}
	return c
}

// token is the capability for conversation id.
func (c convCaps) token(id string) string {
	var m *convMAC
	if c.macs != nil {
		m = c.macs.Get().(*convMAC)
		defer c.macs.Put(m)
		m.h.Reset()
	} else {
		m = &convMAC{h: c.suite.MAC(c.key)}
	}
	m.buf = append(append(m.buf[:0], convMACPrefix...), id...)
	m.h.Write(m.buf)
	m.sum = m.h.Sum(m.sum[:0])
	var out [32]byte // base64 of the 24 bytes kept
	base64.RawURLEncoding.Encode(out[:], m.sum[:24])
	return string(out[:])
}

func (c convCaps) valid(id, tok string) bool {
	return id != "" && tok != "" && hmac.Equal([]byte(c.token(id)), []byte(tok))
}

// cookieIDs are the conversations whose valid tokens the browser's cookie
// holds, most recent first.
func (s *Server) cookieIDs(r *http.Request) []string {
	var ids []string
	s.cookieConvs(r, func(id, _ string) { ids = append(ids, id) })
	return ids
}

// cookieConvs calls f with each conversation whose valid token the
// browser's cookie holds, and that token, most recent first.
func (s *Server) cookieConvs(r *http.Request, f func(id, tok string)) {
	ck, err := r.Cookie(convCookie)
	if err != nil {
		return
	}
	n := 0
	for _, pair := range strings.Split(ck.Value, "~") {
		id, tok, ok := strings.Cut(pair, ".")
		if ok && n < maxConvCookie && s.convs.valid(id, tok) {
			f(id, tok)
			n++
		}
	}
}

// ownsConversation reports whether the request carries the capability for
// conversation id: the cookie, the header, or tok from the request body.
func (s *Server) ownsConversation(r *http.Request, id, tok string) bool {
	if id == "" {
		return false
	}
	return s.owns(r, id, s.convs.token(id), tok)
}

// owns is ownsConversation for an id whose token want the caller has
// already computed.
func (s *Server) owns(r *http.Request, id, want, tok string) bool {
	if tokenIs(want, tok) || tokenIs(want, r.Header.Get(convHeader)) {
		return true
	}
	for _, c := range s.cookieIDs(r) {
		if c == id {
			return true
		}
	}
	return false
}

// tokenIs is convCaps.valid given the id's token want.
func tokenIs(want, tok string) bool {
	return tok != "" && hmac.Equal([]byte(want), []byte(tok))
}

// grantConversation puts conversation id, whose token is tok, first in
// the browser's cookie. It must run before the response's header is
// written.
func (s *Server) grantConversation(w http.ResponseWriter, r *http.Request, id, tok string) {
	pairs := []string{id + "." + tok}
	// A cookie's valid token is the old conversation's token: it is kept
	// as it came rather than computed again.
	s.cookieConvs(r, func(old, oldTok string) {
		if old != id && len(pairs) < maxConvCookie {
			pairs = append(pairs, old+"."+oldTok)
		}
	})
	http.SetCookie(w, &http.Cookie{Name: convCookie, Value: strings.Join(pairs, "~"), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, MaxAge: 7 * 24 * 3600})
}

// chatRequest turns what a resident sent into the assistant's request: a
// conversation the request holds the capability for is continued; any
// other id (unknown, guessed, or someone else's) is dropped and the server
// issues a fresh one, so the reply never lands in a conversation the
// sender cannot read. It returns the request's conversation's token too,
// computed once for the turn's check, cookie and reply.
func (s *Server) chatRequest(r *http.Request, convID, tok, msg, channel string) (assistant.Request, string) {
	// Either way the id is the server's own (the capability proves it), so
	// the assistant takes it even before it has kept any state under it.
	req := assistant.Request{ConversationID: convID, Message: msg, Channel: channel, NewConversation: true}
	if convID != "" {
		if want := s.convs.token(convID); s.owns(r, convID, want, tok) {
			return req, want
		}
	}
	req.ConversationID = assistant.NewConversationID()
	req.Fresh = true
	return req, s.convs.token(req.ConversationID)
}
