package web

// The console's door-to-door service: requests and their workflow,
// specialists, the catalogue, statistics and the Excel export.

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

type adminDoorstepData struct {
	Filter   doorstep.Filter
	Statuses []doorstep.Status
	Streets  []string
	Themes   []string
	List     []doorstep.Request
	Stats    doorstep.Stats
	From, To string
}

func (s *Server) adminDoorstep(w http.ResponseWriter, r *http.Request) error {
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
		return err
	}
	p := s.consolePage(r, "doorstep", "上门服务", d)
	s.render(w, r, http.StatusOK, "admin_doorstep.html", p)
	return nil
}

func (s *Server) adminDoorstepExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var buf bytes.Buffer
	if err := s.cfg.Doorstep.ExportExcel(r.Context(), &buf, q.Get("from"), q.Get("to")); err != nil {
		return err
	}
	s.audit(r, nil, "doorstep.export", "doorstep", map[string]any{"from": q.Get("from"), "to": q.Get("to")})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="doorstep.xlsx"; filename*=UTF-8''`+url.PathEscape("上门服务统计.xlsx"))
	_, _ = w.Write(buf.Bytes())
	return nil
}

type specialistsData struct {
	List    []doorstep.Specialist
	Streets []string
	Themes  []string
	Groups  []doorstep.ThemeGroup
}

func (s *Server) adminSpecialists(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.cfg.Doorstep.Specialists(ctx)
	if err != nil {
		return unavailable("读取服务专员失败", err)
	}
	groups, _ := s.cfg.Doorstep.Catalogue(ctx, true)
	p := s.consolePage(r, "doorstep", "服务专员与上门目录", specialistsData{List: list, Streets: doorstep.FutianStreets, Themes: kb.Themes, Groups: groups})
	s.render(w, r, http.StatusOK, "admin_specialists.html", p)
	return nil
}

// specialistForm is the console's form adding a door-to-door specialist.
type specialistForm struct {
	Name    string   `form:"name"`
	Org     string   `form:"org"`
	Phone   string   `form:"phone"`
	Streets []string `form:"streets"`
	Themes  []string `form:"themes"`
	MaxLoad int      `form:"max_load"` // 0: no limit
}

func (s *Server) adminSpecialistAdd(w http.ResponseWriter, r *http.Request) error {
	var f specialistForm
	err := decodeForm(r, &f)
	var sp doorstep.Specialist
	if err == nil {
		sp, err = s.cfg.Doorstep.AddSpecialist(r.Context(), doorstep.Specialist{Name: f.Name, Org: f.Org, Phone: f.Phone,
			Streets: f.Streets, Themes: f.Themes, MaxLoad: f.MaxLoad})
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/doorstep/specialists", err)
	}
	s.audit(r, nil, "doorstep.specialist_add", "specialist:"+strconv.FormatInt(sp.ID, 10), map[string]any{"name": sp.Name})
	s.back(w, r, "/admin/doorstep/specialists", "doorstep.specialist", sp.Name)
	return nil
}

func (s *Server) adminDoorstepCatalogue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	var err error
	var code string // the notice, and the names it shows
	var args []string
	switch r.PostFormValue("action") {
	case "sync":
		var rep doorstep.SyncReport
		rep, err = s.cfg.Doorstep.SyncCatalogue(ctx, u.Username)
		code, args = "doorstep.synced", []string{strconv.Itoa(rep.Added), strconv.Itoa(rep.Updated), strconv.Itoa(rep.Deactivated)}
	case "add":
		var it doorstep.Item
		it, err = s.cfg.Doorstep.AddItem(ctx, doorstep.Item{ID: r.PostFormValue("id"), Name: r.PostFormValue("name"), Theme: r.PostFormValue("theme")}, u.Username)
		code, args = "doorstep.item_added", []string{it.Name}
	case "off", "on":
		err = s.cfg.Doorstep.SetItemActive(ctx, r.PostFormValue("id"), r.PostFormValue("action") == "on", u.Username)
		code, args = "doorstep.item_updated", []string{r.PostFormValue("id")}
	default:
		return errBadAction
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/doorstep/specialists", err)
	}
	s.audit(r, nil, "doorstep.catalogue_"+r.PostFormValue("action"), "doorstep-item:"+r.PostFormValue("id"), nil)
	s.back(w, r, "/admin/doorstep/specialists", code, args...)
	return nil
}

type doorstepRequestData struct {
	Request    doorstep.Request
	History    []doorstep.Event
	Candidates []doorstep.Candidate
	Others     []doorstep.Specialist
	Contact    *doorstep.Contact
}

// doorstepID is the request the URL names.
func doorstepID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, doorstep.ErrNotFound
	}
	return id, nil
}

func (s *Server) adminDoorstepRequest(w http.ResponseWriter, r *http.Request) error {
	return s.renderDoorstepRequest(w, r, nil)
}

func (s *Server) renderDoorstepRequest(w http.ResponseWriter, r *http.Request, contact *doorstep.Contact) error {
	ctx := r.Context()
	id, err := doorstepID(r)
	var d doorstepRequestData
	if err == nil {
		d.Request, err = s.cfg.Doorstep.Get(ctx, id)
	}
	if err != nil {
		return err
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
	s.render(w, r, http.StatusOK, "admin_doorstep_request.html", p)
	return nil
}

func (s *Server) adminDoorstepAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := doorstepID(r)
	if err != nil {
		return err
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
			return s.renderDoorstepRequest(w, r, &c)
		}
	default:
		return errNoAction
	}
	path := "/admin/doorstep/" + strconv.FormatInt(id, 10)
	if err != nil {
		return s.backRefused(w, r, path, err)
	}
	s.audit(r, nil, "doorstep."+action, "doorstep:"+strconv.FormatInt(id, 10), map[string]any{"status": string(req.Status)})
	s.back(w, r, path, "doorstep.status", req.Status.Label())
	return nil
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
