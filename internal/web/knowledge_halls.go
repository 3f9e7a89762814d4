package web

// The console's service halls: a new hall is created at once; a live
// hall's changes wait for review (kb.ProposeHall).

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

const hallsDown = "暂时无法读取服务大厅。"

func (s *Server) hallsPage(w http.ResponseWriter, r *http.Request) error {
	halls, err := s.cfg.KB.Halls(r.Context())
	if err != nil {
		return unavailable(hallsDown, err)
	}
	pending, err := s.cfg.KB.PendingHalls(r.Context())
	if err != nil {
		return unavailable(hallsDown, err)
	}
	s.render(w, r, http.StatusOK, "halls.html", s.consolePage(r, "halls", "服务大厅", hallsData{halls, pending}))
	return nil
}

type hallsData struct {
	Halls   []kb.Hall
	Pending map[string]bool // halls with a change waiting for review
}

type hallData struct {
	Hall kb.Hall
	New  bool
	// Pending is the hall's change waiting for review; Live and Changes
	// show what it would change.
	Pending    *kb.HallChange
	Live       kb.Hall
	Changes    []hallFieldChange
	CanPublish bool
}

type hallFieldChange struct{ Field, Old, New string }

// hallChanges lists the fields a pending change alters.
func hallChanges(old, next kb.Hall) []hallFieldChange {
	var out []hallFieldChange
	for _, f := range []struct{ label, a, b string }{
		{"名称", old.Name, next.Name}, {"地址", old.Address, next.Address}, {"办公时间", old.Hours, next.Hours},
		{"电话", old.Phone, next.Phone}, {"预约链接", old.AppointmentURL, next.AppointmentURL},
		{"纬度", strconv.FormatFloat(old.Lat, 'f', -1, 64), strconv.FormatFloat(next.Lat, 'f', -1, 64)},
		{"经度", strconv.FormatFloat(old.Lng, 'f', -1, 64), strconv.FormatFloat(next.Lng, 'f', -1, 64)},
	} {
		if f.a != f.b {
			out = append(out, hallFieldChange{f.label, f.a, f.b})
		}
	}
	return out
}

func (s *Server) hallEdit(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	d := hallData{New: id == "new"}
	if !d.New {
		h, err := s.cfg.KB.Hall(r.Context(), id)
		if errors.Is(err, kb.ErrNotFound) {
			return errNoHall
		}
		if err != nil {
			return unavailable(hallsDown, err)
		}
		d.Hall, d.Live = h, h
		if c, err := s.cfg.KB.HallChange(r.Context(), id); err == nil {
			d.Pending, d.Hall, d.Changes = &c, c.Hall, hallChanges(h, c.Hall)
		} else if !errors.Is(err, kb.ErrNotFound) {
			return unavailable(hallsDown, err)
		}
	}
	d.CanPublish = currentUser(r).Can(auth.Publish)
	p := s.consolePage(r, "halls", "编辑服务大厅", d)
	s.render(w, r, http.StatusOK, "hall_edit.html", p)
	return nil
}

func (s *Server) hallSave(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	isNew := id == "new"
	h := kb.Hall{ID: id}
	if !isNew {
		old, err := s.cfg.KB.Hall(r.Context(), id)
		if errors.Is(err, kb.ErrNotFound) {
			return errNoHall
		}
		if err != nil {
			return unavailable(hallsDown, err)
		}
		h = old
	} else {
		h.ID = strings.TrimSpace(r.FormValue("id"))
		if _, err := s.cfg.KB.Hall(r.Context(), h.ID); err == nil {
			s.renderHallError(w, r, h, isNew, fmt.Sprintf("编号 %s 已存在", h.ID))
			return nil
		}
	}
	h.Name = strings.TrimSpace(r.FormValue("name"))
	h.Address = strings.TrimSpace(r.FormValue("address"))
	h.Hours = strings.TrimSpace(r.FormValue("hours"))
	h.Phone = strings.TrimSpace(r.FormValue("phone"))
	h.AppointmentURL = strings.TrimSpace(r.FormValue("appointment_url"))
	var err error
	if v := strings.TrimSpace(r.FormValue("lat")); v != "" {
		if h.Lat, err = strconv.ParseFloat(v, 64); err != nil {
			s.renderHallError(w, r, h, isNew, "纬度须为数字")
			return nil
		}
	}
	if v := strings.TrimSpace(r.FormValue("lng")); v != "" {
		if h.Lng, err = strconv.ParseFloat(v, 64); err != nil {
			s.renderHallError(w, r, h, isNew, "经度须为数字")
			return nil
		}
	}
	if u := h.AppointmentURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		s.renderHallError(w, r, h, isNew, "预约链接须以 http:// 或 https:// 开头")
		return nil
	}
	if strings.ContainsAny(h.ID, " /?#") {
		s.renderHallError(w, r, h, isNew, "编号不能包含空格或 / ? #")
		return nil
	}
	if !isNew {
		// A live hall's details change only through review (see kb.ProposeHall).
		if err := s.cfg.KB.ProposeHall(r.Context(), h, currentUser(r).Username); err != nil {
			s.renderHallError(w, r, h, isNew, formProblem(err))
			return nil
		}
		s.audit(r, nil, "kb.hall.submit", "hall:"+h.ID, nil)
		s.back(w, r, "/admin/halls/"+url.PathEscape(h.ID), "hall.submitted")
		return nil
	}
	if err := s.cfg.KB.UpsertHalls(r.Context(), []kb.Hall{h}); err != nil {
		s.renderHallError(w, r, h, isNew, formProblem(err))
		return nil
	}
	s.audit(r, nil, "kb.hall.save", "hall:"+h.ID, nil)
	s.back(w, r, "/admin/halls/"+url.PathEscape(h.ID), "hall.created")
	return nil
}

// hallChangeAction publishes or discards a hall's pending change.
func (s *Server) hallChangeAction(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	path := "/admin/halls/" + url.PathEscape(id)
	var err error
	var done string // the notice
	switch r.FormValue("do") {
	case "publish":
		_, err = s.cfg.KB.PublishHallChange(r.Context(), id)
		done = "hall.published"
	case "discard":
		err = s.cfg.KB.DiscardHallChange(r.Context(), id)
		done = "hall.discarded"
	default:
		return errUnknownStep
	}
	if errors.Is(err, kb.ErrNotFound) {
		err = errNoHallChange
	}
	if err != nil {
		return s.backRefused(w, r, path, err) // kb.ErrChanged, errNoHallChange
	}
	s.audit(r, nil, "kb.hall."+r.FormValue("do"), "hall:"+id, nil)
	s.back(w, r, path, done)
	return nil
}

func (s *Server) renderHallError(w http.ResponseWriter, r *http.Request, h kb.Hall, isNew bool, msg string) {
	p := s.consolePage(r, "halls", "编辑服务大厅", hallData{Hall: h, New: isNew})
	p.Error = "未保存：" + msg
	s.render(w, r, http.StatusUnprocessableEntity, "hall_edit.html", p)
}
