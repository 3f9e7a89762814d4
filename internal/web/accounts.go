package web

// The console's staff accounts and roles.

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

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
