package web

import (
	"net/http"
	"sort"

	"github.com/fuwu-gov/fuwu/internal/kb"
)

// consolePage is s.page for the staff layout.
func (s *Server) consolePage(r *http.Request, nav, title string, data any) Page {
	p := s.page(r, title, data)
	p.Console, p.Nav = true, nav
	p.Scripts = []string{"/static/common.js"}
	return p
}

// sectionPage is a console page of a section whose redirects carry ?ok=
// and ?err= codes of its own fixed table (never the text itself), and
// which loads its own scripts.
func (s *Server) sectionPage(r *http.Request, nav, title string, data any, messages map[string]string, scripts ...string) Page {
	p := s.consolePage(r, nav, title, data)
	p.Flash = messages[r.URL.Query().Get("ok")]
	p.Error = messages[r.URL.Query().Get("err")]
	p.Scripts = append(p.Scripts, scripts...)
	return p
}

// What staff read when the accounts' or catalogue's storage fails.
const (
	loginDown = "暂时无法登录，请稍后再试。"
	kbDown    = "暂时无法读取知识库。"
)

// sortedHalls returns halls by id (for checkboxes).
func sortedHalls(hs []kb.Hall) []kb.Hall {
	sort.Slice(hs, func(i, j int) bool { return hs[i].ID < hs[j].ID })
	return hs
}
