package web

// Staff login and logout; attempts are limited by auth.LoginGuard.

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/auth"
)

type loginData struct {
	Next     string
	Username string
}

func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/admin"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/admin", http.StatusSeeOther)
		return nil
	}
	p := s.consolePage(r, "", "登录", loginData{Next: safeNext(r.URL.Query().Get("next"))})
	s.render(w, r, http.StatusOK, "login.html", p)
	return nil
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.FormValue("username"))
	d := loginData{Next: safeNext(r.FormValue("next")), Username: name}
	fail := func(status int, msg string) {
		p := s.consolePage(r, "", "登录", d)
		p.Error = msg
		s.render(w, r, status, "login.html", p)
	}
	ctx := r.Context()
	claimed := &auth.User{Username: name} // the audit's actor: who the attempt claimed to be
	// The attempt is counted before its password is hashed: a burst of
	// simultaneous guesses stops at the limit.
	at, err := s.login.Begin(ctx, name, clientIP(r))
	if err != nil {
		return unavailable(loginDown, fmt.Errorf("login guard: %w", err))
	}
	if !at.Allowed {
		s.metrics.loginBlocked.Add(1)
		mins := int(at.Wait/time.Minute) + 1
		w.Header().Set("Retry-After", fmt.Sprint(int(at.Wait/time.Second)+1))
		fail(http.StatusTooManyRequests, fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试。", mins))
		return nil
	}
	u, err := s.cfg.Auth.Authenticate(ctx, name, r.FormValue("password"))
	if err != nil {
		switch {
		case errors.Is(err, auth.ErrBusy):
			if err := s.login.Withdraw(ctx, at); err != nil {
				slog.WarnContext(ctx, "login guard", "err", err)
			}
			w.Header().Set("Retry-After", "5")
			fail(http.StatusTooManyRequests, auth.ErrBusy.UserMessage())
		case errors.Is(err, auth.ErrBadLogin) || errors.Is(err, auth.ErrDisabled):
			s.metrics.loginFailed.Add(1)
			slog.WarnContext(ctx, "login failed", "user", name, "ip", clientIP(r))
			s.audit(r, claimed, "user.login_failed", "user:"+name, nil)
			if at.LastAccount {
				s.audit(r, claimed, "user.lockout", "user:"+name, map[string]any{"minutes": int(s.login.Window / time.Minute)})
			}
			if at.LastAddress {
				s.audit(r, claimed, "user.lockout", "ip:"+clientIP(r), map[string]any{"minutes": int(s.login.Window / time.Minute)})
			}
			_, msg := explain(err)
			fail(http.StatusUnauthorized, msg)
		default:
			return unavailable(loginDown, fmt.Errorf("login: %w", err))
		}
		return nil
	}
	if err := s.login.Succeeded(ctx, at); err != nil {
		slog.WarnContext(ctx, "login guard", "err", err)
	}
	sess, err := s.cfg.Auth.CreateSession(ctx, u, clientIP(r))
	if err != nil {
		return unavailable(loginDown, err)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/admin", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.cfg.SecureCookies})
	s.audit(r, &u, "user.login", "user:"+u.Username, nil)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.cfg.Auth.EndSession(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.cfg.SecureCookies})
	if u := currentUser(r); u != nil {
		s.audit(r, u, "user.logout", "user:"+u.Username, nil)
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}
