package web

// The console's view of the audit log, with its hash chain verified on demand.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/audit"
)

type auditData struct {
	List     []audit.Entry
	Total    int
	Filter   audit.Filter
	Verified int64
	Tampered string
	Offset   int
	Prev     int
	Next     int
	HasPrev  bool
	HasNext  bool
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := audit.Filter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Target: strings.TrimSpace(q.Get("target")), FromDay: q.Get("from"), ToDay: q.Get("to")}
	off, _ := strconv.Atoi(q.Get("offset"))
	off = max(off, 0)
	p := s.consolePage(r, "audit", "审计日志", nil)
	list, total, err := s.cfg.Audit.List(r.Context(), f, audit.Page{Limit: pageSize, Offset: off})
	if err != nil {
		p.Error = "查询失败：" + s.problem(r, err)
	}
	d := auditData{List: list, Total: total, Filter: f, Offset: off, Prev: max(off-pageSize, 0), Next: off + pageSize,
		HasPrev: off > 0, HasNext: off+pageSize < total}
	if q.Get("verify") == "1" {
		n, err := s.cfg.Audit.Verify(r.Context())
		d.Verified = n
		if err != nil {
			d.Tampered = err.Error()
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "audit.html", p)
	return nil
}
