package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/video"
)

const (
	sessionCookie = "fuwu_session"
	csrfCookie    = "fuwu_csrf"
	largeCookie   = "fuwu_large"
)

// csp allows nothing from other origins and no inline script or style:
// every script is a file under /static.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// The security headers' values, built once: every response carries them,
// and Header.Set allocates a slice for each. They are canonical keys with
// one value each (len == cap, so an Add elsewhere copies rather than
// writes into them); nothing may change them in place.
var (
	hdrCSP        = []string{csp}
	hdrNoSniff    = []string{"nosniff"}
	hdrDeny       = []string{"DENY"}
	hdrSameOrigin = []string{"same-origin"}
	hdrPermsVideo = []string{"microphone=(self), camera=(self), display-capture=(self), geolocation=()"}
	hdrPerms      = []string{"microphone=(self), camera=(), geolocation=()"}
	hdrHSTS       = []string{"max-age=31536000"}
	hdrJSON       = []string{"application/json; charset=utf-8"}
	hdrNoStore    = []string{"no-store"}
)

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hdrCSP
		h["X-Content-Type-Options"] = hdrNoSniff
		h["X-Frame-Options"] = hdrDeny
		h["Referrer-Policy"] = hdrSameOrigin
		if videoPath(r.URL.Path) { // 视频导办: camera, and the clerk's screen share
			h["Permissions-Policy"] = hdrPermsVideo
		} else {
			h["Permissions-Policy"] = hdrPerms
		}
		h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
		if s.cfg.SecureCookies {
			h["Strict-Transport-Security"] = hdrHSTS
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic serving request", "request_id", w.Header().Get("X-Request-Id"), "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, "服务器内部错误，请稍后再试。", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code; it keeps Flush reachable
// through http.ResponseController for Server-Sent Events.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection to a WebSocket (视频导办's signalling).
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.status = http.StatusSwitchingProtocols
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// observe counts requests and their latency by route pattern (bounded
// label values: never the raw path).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, pattern := s.mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		info := &requestInfo{id: newRequestID()}
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestIDKey, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.metrics.observeRequest(pattern, sw.status, time.Since(start))
	})
}

type ctxKey int

// requestInfo is what the middleware learns of a request that every
// request has: observe stores it in the request's context (requestIDKey)
// with the id, and withIdentity adds the client's address to it rather
// than copying the request once more for a context of its own.
type requestInfo struct {
	id string
	ip string // set by withIdentity
}

func requestInfoOf(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestIDKey).(*requestInfo)
	return info
}

const (
	userKey ctxKey = iota
	seedKey
	requestIDKey
)

// withIdentity works out who is asking: the client address, the CSRF seed
// (set as a cookie on first visit), and for console paths the logged-in
// staff member. It refuses unsafe requests without a valid CSRF token,
// except the JSON API, which takes no cookies and needs a JSON body (so a
// cross-site form cannot post to it).
func (s *Server) withIdentity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The client's address goes into observe's requestInfo (always
		// there behind Server.handler): the request is then passed on as
		// it is, unless a path below adds to its context. A handler run
		// without observe in front gets a requestInfo of its own.
		ctx := r.Context()
		info := requestInfoOf(ctx)
		if info == nil {
			info = &requestInfo{}
			ctx = context.WithValue(ctx, requestIDKey, info)
		}
		info.ip = s.clientIP(r)
		withCtx := func(ctx context.Context) *http.Request {
			if ctx == r.Context() {
				return r
			}
			return r.WithContext(ctx)
		}
		p := r.URL.Path
		if strings.HasPrefix(p, "/static/") || p == "/metrics" || p == "/healthz" || p == "/readyz" {
			next.ServeHTTP(w, withCtx(ctx))
			return
		}
		limit, shown := int64(1<<20), 1
		switch p {
		case "/admin/upload", "/api/v1/transcribe":
			limit, shown = 25<<20, 25
		case "/admin/docs/check":
			limit, shown = docsUploadLimit, maxDocUpload>>20
		case "/admin/library/import":
			limit, shown = maxLibraryUpload, maxLibraryUpload>>20
		case "/admin/teaching/bank", "/admin/teaching/results":
			limit, shown = maxTeachingUpload, maxTeachingUpload>>20
		case "/admin/greening/import":
			limit, shown = maxGreeningImport, maxGreeningImport>>20
		case "/greening/report":
			limit, shown = maxGreeningPhotoForm, maxGreeningPhotoForm>>20
		default:
			if strings.HasPrefix(p, "/admin/greening/orders/") && strings.HasSuffix(p, "/photos") {
				limit, shown = maxGreeningPhotoForm, maxGreeningPhotoForm>>20
			}
			if strings.HasPrefix(p, "/admin/video/") && strings.HasSuffix(p, "/recording") {
				limit, shown = video.MaxChunk, video.MaxChunk>>20
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		if strings.HasPrefix(p, "/api/") {
			if unsafe && p != "/api/v1/transcribe" && !isJSON(r) {
				writeJSONError(w, http.StatusUnsupportedMediaType, "请求体必须是 JSON（Content-Type: application/json）")
				return
			}
			if badText(r, unsafe) {
				writeJSONError(w, http.StatusBadRequest, controlMessage)
				return
			}
			next.ServeHTTP(w, withCtx(ctx))
			return
		}
		seed := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 16 {
			seed = c.Value
		} else {
			seed = s.csrf.NewSeed()
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, MaxAge: 365 * 24 * 3600})
		}
		if strings.HasPrefix(p, "/admin") {
			if c, err := r.Cookie(sessionCookie); err == nil {
				sess, err := s.cfg.Auth.Lookup(ctx, c.Value)
				switch {
				case err == nil:
					ctx = context.WithValue(ctx, userKey, &sess.User)
					// A logged-in staff member's form tokens are bound to the
					// login session, not to the CSRF cookie: a cookie planted
					// by someone else (with a token they fetched for it) is
					// worthless on staff pages.
					seed = "session\x00" + c.Value
				case errors.Is(err, auth.ErrNoSession):
					s.clearCookie(w, sessionCookie)
				default:
					s.fail(w, r.WithContext(ctx), unavailable("暂时无法验证登录状态，请稍后再试。", fmt.Errorf("session lookup: %w", err)))
					return
				}
			}
		}
		ctx = context.WithValue(ctx, seedKey, seed)
		if unsafe {
			tok := r.Header.Get("X-CSRF-Token")
			if tok == "" {
				var err error
				if tok, err = formToken(r); tooLarge(err) {
					// Without this the form's token is lost with the body and
					// the refusal would wrongly blame an expired page.
					s.renderError(w, r.WithContext(ctx), http.StatusRequestEntityTooLarge,
						fmt.Sprintf("提交的内容过大（上限 %d MB），请缩小文件后重试。", shown))
					return
				}
			}
			if !s.csrf.Valid(seed, tok) {
				s.metrics.csrfRefused.Add(1)
				s.renderError(w, r.WithContext(ctx), http.StatusForbidden, "页面已过期或请求来源不明，请刷新页面后重试。")
				return
			}
		}
		if badText(r, unsafe) {
			s.renderError(w, r.WithContext(ctx), http.StatusBadRequest, controlMessage)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// formToken parses the form (multipart or not) and returns its csrf field.
func formToken(r *http.Request) (string, error) {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	return r.FormValue("csrf"), err
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func isJSON(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json")
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
}

// currentUser is the logged-in staff member, or nil.
func currentUser(r *http.Request) *auth.User {
	u, _ := r.Context().Value(userKey).(*auth.User)
	return u
}

func clientIP(r *http.Request) string {
	if info := requestInfoOf(r.Context()); info != nil {
		return info.ip
	}
	return ""
}

func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
		if ip := net.ParseIP(strings.TrimSpace(r.Header.Get("X-Real-IP"))); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// require lets through users holding perm. Anonymous GETs go to the login
// page and come back; everything else is refused.
func (s *Server) require(perm auth.Permission, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusUnauthorized, "请先登录。")
			return
		}
		if !u.Can(perm) {
			s.metrics.forbidden.Add(1)
			s.renderError(w, r, http.StatusForbidden, fmt.Sprintf("您的角色（%s）无权访问此页面。", u.Role.Label()))
			return
		}
		h.ServeHTTP(w, r)
	})
}
