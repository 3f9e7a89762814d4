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

// accountForm is the accounts page's form: a new account (username and
// password given) or an account's role, name and state.
type accountForm struct {
	Username    string `form:"username"`
	DisplayName string `form:"display_name"`
	Role        string `form:"role"`
	Password    string `form:"password,raw"` // as typed: spaces count
	Disabled    bool   `form:"disabled"`
}

func (s *Server) userAdd(w http.ResponseWriter, r *http.Request) error {
	var f accountForm
	err := decodeForm(r, &f)
	var role auth.Role
	if err == nil {
		role, err = auth.ParseRole(f.Role)
	}
	if err == nil {
		_, err = s.cfg.Auth.AddUser(r.Context(), f.Username, f.DisplayName, role, f.Password)
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/users", err)
	}
	s.audit(r, nil, "user.add", "user:"+f.Username, map[string]any{"role": string(role)})
	s.back(w, r, "/admin/users", "user.added", f.Username)
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
	var f accountForm
	err = decodeForm(r, &f)
	var role auth.Role
	if err == nil {
		role, err = auth.ParseRole(f.Role)
	}
	if err == nil {
		err = s.cfg.Auth.UpdateUser(r.Context(), u.ID, f.DisplayName, role, f.Disabled)
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/users", err)
	}
	s.audit(r, nil, "user.update", "user:"+u.Username, map[string]any{"role": string(role), "disabled": f.Disabled})
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
