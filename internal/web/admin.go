package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// consolePage is s.page for the staff layout.
func (s *Server) consolePage(r *http.Request, nav, title string, data any) Page {
	p := s.page(r, title, data)
	p.Console, p.Nav = true, nav
	p.Scripts = []string{"/static/common.js"}
	return p
}

// What staff read when the accounts' or catalogue's storage fails.
const (
	loginDown = "暂时无法登录，请稍后再试。"
	kbDown    = "暂时无法读取知识库。"
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

type statusCount struct {
	Status kb.Status
	Count  int
}

type dashData struct {
	Quality  bool // the conversation record is available
	Week     convo.DayStats
	Chart    template.HTML
	Queue    int
	Gaps     []convo.QuestionGroup
	GapCount int
	Counts   []statusCount
	Review   []kb.Record
	Revised  []kb.Record // published items whose revision waits for review
	Answers  []answerCount
	Feedback []answerCount
	Total    uint64
}

type answerCount struct {
	Label string
	Count uint64
}

var statusLabels = map[assistant.Status]string{assistant.Answered: "已解答", assistant.Clarify: "追问澄清",
	assistant.OutOfScope: "超出范围", assistant.Handoff: "转人工"}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	counts, err := s.cfg.KB.Count(ctx)
	if err != nil {
		return unavailable(kbDown, err)
	}
	var d dashData
	for _, st := range []kb.Status{kb.Published, kb.Review, kb.Draft, kb.Withdrawn} {
		d.Counts = append(d.Counts, statusCount{st, counts[st]})
	}
	d.Review, err = s.cfg.KB.Items(ctx, kb.Filter{Status: kb.Review})
	if err != nil {
		return unavailable(kbDown, err)
	}
	pending, err := s.cfg.KB.Items(ctx, kb.Filter{Pending: true})
	if err != nil {
		return unavailable(kbDown, err)
	}
	for _, rec := range pending {
		if rec.Pending == kb.Review {
			d.Revised = append(d.Revised, rec)
		}
	}
	ans := s.metrics.AnswerCounts()
	for _, st := range []assistant.Status{assistant.Answered, assistant.Clarify, assistant.OutOfScope, assistant.Handoff} {
		d.Answers = append(d.Answers, answerCount{statusLabels[st], ans[st]})
		d.Total += ans[st]
	}
	for i := 5; i >= 1; i-- {
		d.Feedback = append(d.Feedback, answerCount{ScoreLabels[i], s.metrics.feedback[i].Load()})
	}
	if s.cfg.Convo != nil {
		d.Quality = true
		from, to := s.dayRange(&http.Request{URL: &url.URL{}}, 14)
		if days, err := s.cfg.Convo.FeedbackStats(ctx, from, to); err == nil {
			d.Week = convo.Sum(days)
			if d.Week.Total > 0 {
				d.Chart = feedbackChart(days)
			}
		}
		if _, n, err := s.cfg.Convo.Queue(ctx, convo.Page{Limit: 1}); err == nil {
			d.Queue = n
		}
		if gaps, err := s.cfg.Convo.Unanswered(ctx, from, to, 0); err == nil {
			d.Gaps, d.GapCount = gaps[:min(len(gaps), 5)], len(gaps)
		}
	}
	p := s.consolePage(r, "home", "工作台", d)
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

type usersData struct {
	Users []auth.User
	Roles []auth.Role
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	users, err := s.cfg.Auth.Users(r.Context())
	if err != nil {
		return unavailable("暂时无法读取账号。", err)
	}
	p := s.consolePage(r, "users", "账号与角色", usersData{Users: users, Roles: auth.Roles})
	s.render(w, r, http.StatusOK, "users.html", p)
	return nil
}

func (s *Server) userAdd(w http.ResponseWriter, r *http.Request) error {
	role, err := auth.ParseRole(r.FormValue("role"))
	if err == nil {
		_, err = s.cfg.Auth.AddUser(r.Context(), r.FormValue("username"), r.FormValue("display_name"), role, r.FormValue("password"))
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/users", err)
	}
	s.audit(r, nil, "user.add", "user:"+r.FormValue("username"), map[string]any{"role": string(role)})
	s.back(w, r, "/admin/users", "user.added", r.FormValue("username"))
	return nil
}

// errNoAccount answers a console URL naming an account that does not exist.
var errNoAccount = refusal.Missing("web", "no_account", "账号不存在。")

// userByPath is the account the URL names.
func (s *Server) userByPath(r *http.Request) (auth.User, error) {
	var id int64
	if _, err := fmt.Sscan(r.PathValue("id"), &id); err != nil {
		return auth.User{}, errNoAccount
	}
	u, err := s.cfg.Auth.User(r.Context(), id)
	if errors.Is(err, auth.ErrNotFound) {
		return u, errNoAccount
	}
	if err != nil {
		return u, unavailable("暂时无法读取账号。", err)
	}
	return u, nil
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userByPath(r)
	if err != nil {
		return err
	}
	role, err := auth.ParseRole(r.FormValue("role"))
	if err == nil {
		err = s.cfg.Auth.UpdateUser(r.Context(), u.ID, r.FormValue("display_name"), role, r.FormValue("disabled") == "1")
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/users", err)
	}
	s.audit(r, nil, "user.update", "user:"+u.Username, map[string]any{"role": string(role), "disabled": r.FormValue("disabled") == "1"})
	s.back(w, r, "/admin/users", "user.updated", u.Username)
	return nil
}

func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userByPath(r)
	if err != nil {
		return err
	}
	if err := s.cfg.Auth.SetPassword(r.Context(), u.ID, r.FormValue("password")); err != nil {
		return s.backRefused(w, r, "/admin/users", err)
	}
	s.audit(r, nil, "user.password", "user:"+u.Username, nil)
	s.back(w, r, "/admin/users", "user.password", u.Username)
	return nil
}

// sortedHalls returns halls by id (for checkboxes).
func sortedHalls(hs []kb.Hall) []kb.Hall {
	sort.Slice(hs, func(i, j int) bool { return hs[i].ID < hs[j].ID })
	return hs
}
