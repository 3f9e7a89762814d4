package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

type doorstepPageData struct {
	Groups []doorstep.ThemeGroup
	// ForEnterprise marks the catalogue's items that serve enterprises
	// (法人 in the knowledge base's audience); the page promises service to
	// enterprises only when there is one.
	ForEnterprise map[string]bool
	Item          *doorstep.Item
	Streets       []string
	Done          *doorstep.Request
	Form          url.Values
}

func (s *Server) doorstepPage(w http.ResponseWriter, r *http.Request) {
	s.renderDoorstep(w, r, http.StatusOK, r.URL.Query().Get("item"), nil, nil, "")
}

func (s *Server) renderDoorstep(w http.ResponseWriter, r *http.Request, status int, itemID string, form url.Values, done *doorstep.Request, problem string) {
	ctx := r.Context()
	d := doorstepPageData{Streets: doorstep.FutianStreets, Done: done, Form: form}
	if itemID != "" {
		it, err := s.cfg.Doorstep.CatalogueItem(ctx, itemID)
		if err != nil {
			st, msg := userMessage(err)
			if errors.Is(err, doorstep.ErrNotInCatalogue) {
				st = http.StatusNotFound
			}
			s.renderError(w, r, st, msg)
			return
		}
		d.Item = &it
	} else {
		groups, err := s.cfg.Doorstep.Catalogue(ctx, false)
		if err != nil {
			s.renderError(w, r, http.StatusInternalServerError, "读取上门服务目录失败")
			return
		}
		d.Groups, d.ForEnterprise = groups, map[string]bool{}
		for _, g := range groups {
			for _, it := range g.Items {
				if rec, err := s.cfg.KB.Item(ctx, it.ID); err == nil && slices.Contains(rec.Item.Audience, "法人") {
					d.ForEnterprise[it.ID] = true
				}
			}
		}
	}
	p := s.page(r, "上门办", d)
	p.Error = problem
	s.render(w, r, status, "doorstep.html", p)
}

func (s *Server) doorstepSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "表单无效")
		return
	}
	f := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	kind, err := doorstep.ParseKind(f("kind"))
	if err != nil {
		kind = doorstep.Resident
	}
	req, err := s.cfg.Doorstep.Submit(r.Context(), doorstep.NewRequest{Kind: kind, Applicant: f("applicant"), Contact: f("contact"),
		Phone: f("phone"), Street: f("street"), Address: f("address"), ItemID: f("item"), Preferred: f("preferred"), Notes: f("notes"), Channel: "web"})
	if err != nil {
		st, msg := userMessage(err)
		if st == http.StatusInternalServerError {
			s.renderError(w, r, st, msg)
			return
		}
		form := url.Values{}
		for k, v := range r.PostForm {
			if k != "csrf" && k != "phone" {
				form[k] = v
			}
		}
		s.renderDoorstep(w, r, st, f("item"), form, nil, "提交没有成功："+msg)
		return
	}
	s.renderDoorstep(w, r, http.StatusOK, f("item"), nil, &req, "")
}

type doorstepLookupData struct {
	Number  string
	Request *doorstep.Request
}

func (s *Server) doorstepLookupPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "doorstep_lookup.html", s.page(r, "上门办进度查询", doorstepLookupData{Number: r.URL.Query().Get("number")}))
}

// doorstepLookup is a POST so that the phone number never sits in a URL
// (and so in no access log).
func (s *Server) doorstepLookup(w http.ResponseWriter, r *http.Request) {
	d := doorstepLookupData{Number: strings.TrimSpace(r.PostFormValue("number"))}
	req, err := s.cfg.Doorstep.Lookup(r.Context(), d.Number, r.PostFormValue("phone"))
	p := s.page(r, "上门办进度查询", d)
	status := http.StatusOK
	if err != nil {
		status, p.Error = userMessage(err)
	} else {
		d.Request = &req
		p.Data = d
	}
	s.render(w, r, status, "doorstep_lookup.html", p)
}

func (s *Server) doorstepCancel(w http.ResponseWriter, r *http.Request) {
	d := doorstepLookupData{Number: strings.TrimSpace(r.PostFormValue("number"))}
	req, err := s.cfg.Doorstep.CancelByApplicant(r.Context(), d.Number, r.PostFormValue("phone"), strings.TrimSpace(r.PostFormValue("reason")))
	p := s.page(r, "上门办进度查询", d)
	status := http.StatusOK
	if err != nil {
		status, p.Error = userMessage(err)
		p.Error = "取消没有成功：" + p.Error
	} else {
		d.Request = &req
		p.Data, p.Flash = d, "申请已取消。"
	}
	s.render(w, r, status, "doorstep_lookup.html", p)
}

// API.

func (s *Server) apiDoorstepFail(w http.ResponseWriter, err error) {
	st, msg := userMessage(err)
	if errors.Is(err, doorstep.ErrNotFound) || errors.Is(err, doorstep.ErrNotInCatalogue) {
		st = http.StatusNotFound
	}
	if errors.Is(err, doorstep.ErrPhoneMismatch) {
		st, msg = http.StatusNotFound, doorstep.ErrNotFound.UserMessage() // do not confirm a number exists
	}
	writeJSONError(w, st, msg)
}

func (s *Server) apiDoorstepCatalogue(w http.ResponseWriter, r *http.Request) {
	groups, err := s.cfg.Doorstep.Catalogue(r.Context(), false)
	if err != nil {
		s.apiDoorstepFail(w, err)
		return
	}
	if groups == nil {
		groups = []doorstep.ThemeGroup{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"themes": groups})
}

type apiDoorstepRequest struct {
	Kind      string `json:"kind"` // resident / enterprise
	Applicant string `json:"applicant"`
	Contact   string `json:"contact"`
	Phone     string `json:"phone"`
	Street    string `json:"street"`
	Address   string `json:"address"`
	ItemID    string `json:"item_id"`
	Preferred string `json:"preferred"`
	Notes     string `json:"notes"`
}

func (s *Server) apiDoorstepSubmit(w http.ResponseWriter, r *http.Request) {
	var in apiDoorstepRequest
	if !readJSON(w, r, &in) {
		return
	}
	kind, err := doorstep.ParseKind(in.Kind)
	if err != nil {
		s.apiDoorstepFail(w, err)
		return
	}
	req, err := s.cfg.Doorstep.Submit(r.Context(), doorstep.NewRequest{Kind: kind, Applicant: in.Applicant, Contact: in.Contact,
		Phone: in.Phone, Street: in.Street, Address: in.Address, ItemID: in.ItemID, Preferred: in.Preferred, Notes: in.Notes, Channel: "api"})
	if err != nil {
		s.apiDoorstepFail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, publicRequest(req))
}

func (s *Server) apiDoorstepLookup(w http.ResponseWriter, r *http.Request) {
	var in struct{ Number, Phone string }
	if !readJSON(w, r, &in) {
		return
	}
	req, err := s.cfg.Doorstep.Lookup(r.Context(), in.Number, in.Phone)
	if err != nil {
		s.apiDoorstepFail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, publicRequest(req))
}

// publicRequest is what an applicant sees of their request.
func publicRequest(q doorstep.Request) map[string]any {
	return map[string]any{"number": q.Number, "status": q.Status, "status_label": q.Status.Label(), "item_id": q.ItemID,
		"item_name": q.ItemName, "street": q.Street, "address": q.Address, "phone": q.Phone, "preferred": q.Preferred,
		"reason": q.Reason, "created_at": q.CreatedAt, "updated_at": q.UpdatedAt}
}

// Staff.

type adminDoorstepData struct {
	Filter   doorstep.Filter
	Statuses []doorstep.Status
	Streets  []string
	Themes   []string
	List     []doorstep.Request
	Stats    doorstep.Stats
	From, To string
}

func (s *Server) adminDoorstep(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := adminDoorstepData{Statuses: doorstep.Statuses, Streets: doorstep.FutianStreets, Themes: kb.Themes, From: q.Get("from"), To: q.Get("to")}
	d.Filter = doorstep.Filter{Status: doorstep.Status(q.Get("status")), Street: q.Get("street"), Theme: q.Get("theme"),
		Open: q.Get("open") == "1", OverdueOnly: q.Get("overdue") == "1", Limit: 200}
	var err error
	if d.List, err = s.cfg.Doorstep.List(ctx, d.Filter); err == nil {
		d.Stats, err = s.cfg.Doorstep.Stats(ctx, d.From, d.To)
	}
	if err != nil {
		st, msg := userMessage(err)
		s.renderError(w, r, st, msg)
		return
	}
	p := s.consolePage(r, "doorstep", "上门服务", d)
	p.Flash, p.Error = q.Get("ok"), q.Get("err")
	s.render(w, r, http.StatusOK, "admin_doorstep.html", p)
}

func (s *Server) adminDoorstepExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var buf bytes.Buffer
	if err := s.cfg.Doorstep.ExportExcel(r.Context(), &buf, q.Get("from"), q.Get("to")); err != nil {
		st, msg := userMessage(err)
		s.renderError(w, r, st, msg)
		return
	}
	s.audit(r, nil, "doorstep.export", "doorstep", map[string]any{"from": q.Get("from"), "to": q.Get("to")})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="doorstep.xlsx"; filename*=UTF-8''`+url.PathEscape("上门服务统计.xlsx"))
	_, _ = w.Write(buf.Bytes())
}

type specialistsData struct {
	List    []doorstep.Specialist
	Streets []string
	Themes  []string
	Groups  []doorstep.ThemeGroup
}

func (s *Server) adminSpecialists(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.cfg.Doorstep.Specialists(ctx)
	if err != nil {
		s.renderError(w, r, http.StatusInternalServerError, "读取服务专员失败")
		return
	}
	groups, _ := s.cfg.Doorstep.Catalogue(ctx, true)
	p := s.consolePage(r, "doorstep", "服务专员与上门目录", specialistsData{List: list, Streets: doorstep.FutianStreets, Themes: kb.Themes, Groups: groups})
	p.Flash, p.Error = r.URL.Query().Get("ok"), r.URL.Query().Get("err")
	s.render(w, r, http.StatusOK, "admin_specialists.html", p)
}

func (s *Server) adminSpecialistAdd(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "表单无效")
		return
	}
	maxLoad, _ := strconv.Atoi(r.PostForm.Get("max_load"))
	sp, err := s.cfg.Doorstep.AddSpecialist(r.Context(), doorstep.Specialist{Name: r.PostForm.Get("name"), Org: r.PostForm.Get("org"),
		Phone: r.PostForm.Get("phone"), Streets: r.PostForm["streets"], Themes: r.PostForm["themes"], MaxLoad: maxLoad})
	if err != nil {
		_, msg := userMessage(err)
		http.Redirect(w, r, "/admin/doorstep/specialists?err="+url.QueryEscape(msg), http.StatusSeeOther)
		return
	}
	s.audit(r, nil, "doorstep.specialist_add", "specialist:"+strconv.FormatInt(sp.ID, 10), map[string]any{"name": sp.Name})
	back(w, r, "/admin/doorstep/specialists", "已添加服务专员："+sp.Name)
}

func (s *Server) adminDoorstepCatalogue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	var err error
	var msg string
	switch r.PostFormValue("action") {
	case "sync":
		var rep doorstep.SyncReport
		rep, err = s.cfg.Doorstep.SyncCatalogue(ctx, u.Username)
		msg = "已从知识库同步：新增 " + strconv.Itoa(rep.Added) + " 项，更新 " + strconv.Itoa(rep.Updated) + " 项，下架 " + strconv.Itoa(rep.Deactivated) + " 项"
	case "add":
		var it doorstep.Item
		it, err = s.cfg.Doorstep.AddItem(ctx, doorstep.Item{ID: r.PostFormValue("id"), Name: r.PostFormValue("name"), Theme: r.PostFormValue("theme")}, u.Username)
		msg = "已加入上门目录：" + it.Name
	case "off", "on":
		err = s.cfg.Doorstep.SetItemActive(ctx, r.PostFormValue("id"), r.PostFormValue("action") == "on", u.Username)
		msg = "已更新：" + r.PostFormValue("id")
	default:
		s.renderError(w, r, http.StatusBadRequest, "没有这个操作")
		return
	}
	if err != nil {
		_, m := userMessage(err)
		http.Redirect(w, r, "/admin/doorstep/specialists?err="+url.QueryEscape(m), http.StatusSeeOther)
		return
	}
	s.audit(r, nil, "doorstep.catalogue_"+r.PostFormValue("action"), "doorstep-item:"+r.PostFormValue("id"), nil)
	back(w, r, "/admin/doorstep/specialists", msg)
}

type doorstepRequestData struct {
	Request    doorstep.Request
	History    []doorstep.Event
	Candidates []doorstep.Candidate
	Others     []doorstep.Specialist
	Contact    *doorstep.Contact
}

func (s *Server) requestID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, doorstep.ErrNotFound
	}
	return id, nil
}

func (s *Server) adminDoorstepRequest(w http.ResponseWriter, r *http.Request) {
	s.renderDoorstepRequest(w, r, nil)
}

func (s *Server) renderDoorstepRequest(w http.ResponseWriter, r *http.Request, contact *doorstep.Contact) {
	ctx := r.Context()
	id, err := s.requestID(r)
	var d doorstepRequestData
	if err == nil {
		d.Request, err = s.cfg.Doorstep.Get(ctx, id)
	}
	if err != nil {
		st, msg := userMessage(err)
		if errors.Is(err, doorstep.ErrNotFound) {
			st = http.StatusNotFound
		}
		s.renderError(w, r, st, msg)
		return
	}
	d.History, _ = s.cfg.Doorstep.History(ctx, id)
	d.Candidates, _ = s.cfg.Doorstep.Suggest(ctx, id)
	all, _ := s.cfg.Doorstep.Specialists(ctx)
	for _, sp := range all {
		if sp.Active {
			d.Others = append(d.Others, sp)
		}
	}
	d.Contact = contact
	p := s.consolePage(r, "doorstep", "上门服务申请 "+d.Request.Number, d)
	p.Flash, p.Error = r.URL.Query().Get("ok"), r.URL.Query().Get("err")
	s.render(w, r, http.StatusOK, "admin_doorstep_request.html", p)
}

func (s *Server) adminDoorstepAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := s.requestID(r)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, doorstep.ErrNotFound.UserMessage())
		return
	}
	actor := currentUser(r).Username
	action := r.PathValue("action")
	note := strings.TrimSpace(r.PostFormValue("note"))
	var req doorstep.Request
	switch action {
	case "accept":
		req, err = s.cfg.Doorstep.Accept(ctx, id, actor, note)
	case "reject":
		req, err = s.cfg.Doorstep.Reject(ctx, id, actor, note)
	case "cancel":
		req, err = s.cfg.Doorstep.Cancel(ctx, id, actor, note)
	case "dispatch":
		req, err = s.cfg.Doorstep.Dispatch(ctx, id, actor)
	case "assign":
		sp, perr := strconv.ParseInt(r.PostFormValue("specialist"), 10, 64)
		if perr != nil {
			err = doorstep.ErrUnknownSpecialist
			break
		}
		req, err = s.cfg.Doorstep.Assign(ctx, id, sp, actor, note)
	case "visit":
		req, err = s.cfg.Doorstep.Visit(ctx, id, actor, note)
	case "complete":
		var fen int64
		if fen, err = doorstep.ParseYuan(r.PostFormValue("amount")); err == nil {
			req, err = s.cfg.Doorstep.Complete(ctx, id, actor, doorstep.Outcome{AmountFen: fen, Note: note})
		}
	case "reveal":
		purpose := note
		if purpose == "" {
			purpose = "上门前联系申请人"
		}
		var c doorstep.Contact
		c, err = s.cfg.Doorstep.Reveal(ctx, id, actor, purpose)
		if err == nil {
			s.audit(r, nil, "doorstep.reveal", "doorstep:"+strconv.FormatInt(id, 10), map[string]any{"purpose": purpose})
			s.renderDoorstepRequest(w, r, &c)
			return
		}
	default:
		s.renderError(w, r, http.StatusNotFound, "没有这个操作")
		return
	}
	path := "/admin/doorstep/" + strconv.FormatInt(id, 10)
	if err != nil {
		_, msg := userMessage(err)
		http.Redirect(w, r, path+"?err="+url.QueryEscape(msg), http.StatusSeeOther)
		return
	}
	s.audit(r, nil, "doorstep."+action, "doorstep:"+strconv.FormatInt(id, 10), map[string]any{"status": string(req.Status)})
	back(w, r, path, "操作成功，当前状态："+req.Status.Label())
}

// statsTable is one breakdown of the door-to-door statistics, with the
// largest count for scaling its bars.
type statsTable struct {
	Title, Key string
	Rows       []doorstep.Row
	Max        int
}

func doorstepTables(st doorstep.Stats) []statsTable {
	out := []statsTable{{Title: "按主题", Key: "主题", Rows: st.ByTheme}, {Title: "按街道", Key: "街道", Rows: st.ByStreet}, {Title: "按月份", Key: "月份", Rows: st.ByMonth}}
	for i := range out {
		for _, r := range out[i].Rows {
			out[i].Max = max(out[i].Max, r.Requests)
		}
	}
	return out
}
