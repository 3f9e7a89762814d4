package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

type adminItemsData struct {
	Items  []kb.Record
	Status string
	Theme  string
	Query  string
	Themes []string
	States []kb.Status
}

var allStates = []kb.Status{kb.Draft, kb.Review, kb.Published, kb.Withdrawn}

// pendingFilter is the item list's status choice for items with a
// pending revision.
const pendingFilter = "pending"

func (s *Server) adminItems(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminItemsData{Status: q.Get("status"), Theme: q.Get("theme"), Query: strings.TrimSpace(q.Get("q")),
		Themes: kb.Themes, States: allStates}
	f := kb.Filter{Status: kb.Status(d.Status), Theme: d.Theme}
	if d.Status == pendingFilter {
		f.Status, f.Pending = "", true
	}
	recs, err := s.cfg.KB.Items(r.Context(), f)
	if err != nil {
		return unavailable(kbDown, err)
	}
	for _, rec := range recs {
		if d.Query == "" || strings.Contains(rec.Item.ID, d.Query) || matchesName(rec.Item, d.Query) {
			d.Items = append(d.Items, rec)
		}
	}
	s.render(w, r, http.StatusOK, "admin_items.html", s.consolePage(r, "items", "事项管理", d))
	return nil
}

// editData feeds the item editor.
type editData struct {
	New       bool
	Record    kb.Record
	Item      kb.Item
	History   []kb.History
	Halls     []kb.Hall
	Themes    []string
	Kinds     []string
	Depths    []string
	Forms     []string
	Materials []kb.Material // the item's plus blank rows
	FAQ       []kb.FAQ
	Audiences []string

	// Revising: the item is published, so saving makes (or replaces) its
	// pending revision and the published version keeps serving.
	Revising bool
	Revision *kb.Revision // the pending revision, if any
	Changes  []fieldDiff  // the revision against the published version
	Stale    bool         // the published version changed after the revision was made
}

// setForm puts an item in the editor's fields, with blank rows to add to.
func (d *editData) setForm(it kb.Item) {
	d.Item = it
	d.Materials = append(append([]kb.Material(nil), it.Materials...), make([]kb.Material, 3)...)
	d.FAQ = append(append([]kb.FAQ(nil), it.FAQ...), make([]kb.FAQ, 2)...)
}

var (
	itemKinds = []string{"行政许可", "行政确认", "行政给付", "行政裁决", "公共服务", "其他行政权力"}
	depths    = []string{"全程网办", "一次到场", "需到现场"}
	forms     = []string{"原件", "复印件", "原件及复印件", "电子", "原件或电子证照"}
)

func (s *Server) editorData(r *http.Request, rec kb.Record, isNew bool) (editData, error) {
	halls, err := s.cfg.KB.Halls(r.Context())
	if err != nil {
		return editData{}, err
	}
	d := editData{New: isNew, Record: rec, Halls: sortedHalls(halls), Themes: kb.Themes,
		Kinds: itemKinds, Depths: depths, Forms: forms, Audiences: []string{"个人", "法人"}}
	d.setForm(rec.Item)
	if isNew {
		return d, nil
	}
	if d.History, err = s.cfg.KB.ItemHistory(r.Context(), rec.Item.ID); err != nil {
		return editData{}, err
	}
	d.Revising = rec.Status == kb.Published
	if rec.Pending != "" {
		rev, err := s.cfg.KB.Revision(r.Context(), rec.Item.ID)
		switch {
		case errors.Is(err, kb.ErrNotFound): // published or discarded meanwhile
		case err != nil:
			return editData{}, err
		default:
			d.Revision = &rev
			d.Changes = itemDiffs(rec.Item, rev.Item)
			d.Stale = rev.BaseVersion != rec.Version
			if d.Revising {
				d.setForm(rev.Item) // the editor continues the revision
			}
		}
	}
	return d, nil
}

func (s *Server) itemNew(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editorData(r, kb.Record{Status: kb.Draft, Item: kb.Item{Audience: []string{"个人"}}}, true)
	if err != nil {
		return unavailable(kbDown, err)
	}
	s.render(w, r, http.StatusOK, "item_edit.html", s.consolePage(r, "items", "新建事项", d))
	return nil
}

// The console's refusals for what a URL names.
var (
	errNoItem = refusal.Missing("web", "no_item", "事项不存在。")
	errNoHall = refusal.Missing("web", "no_hall", "服务大厅不存在。")
	// errNoRevision: the step was for a revision that is gone.
	errNoRevision   = refusal.Missing("web", "no_revision", "没有待处理的修订（可能已被发布或放弃）。")
	errNoHallChange = refusal.Missing("web", "no_hall_change", "该大厅没有待审核的修改。")
	// errUnknownStep is a revision or hall-change form naming no step.
	errUnknownStep         = refusal.Bad("web", "unknown_step", "未知操作。")
	errUnknownRevisionStep = refusal.Bad("web", "unknown_revision_step", "未知的修订操作。")
	errUnknownStatus       = refusal.Bad("web", "unknown_status", "未知的状态（草稿、待审核、已发布、已撤回）。")
)

// pathItem loads the item named in the path.
func (s *Server) pathItem(r *http.Request) (kb.Record, error) {
	rec, err := s.cfg.KB.Item(r.Context(), r.PathValue("id"))
	if errors.Is(err, kb.ErrNotFound) {
		return rec, errNoItem
	}
	if err != nil {
		return rec, unavailable(kbDown, err)
	}
	return rec, nil
}

func (s *Server) itemEdit(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.pathItem(r)
	if err != nil {
		return err
	}
	d, err := s.editorData(r, rec, false)
	if err != nil {
		return unavailable(kbDown, err)
	}
	p := s.consolePage(r, "items", "编辑："+rec.Item.Name, d)
	s.render(w, r, http.StatusOK, "item_edit.html", p)
	return nil
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func formInt(r *http.Request, name string) (int, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s 须为整数", name)
	}
	return n, nil
}

// itemFromForm applies the editor's fields to it; keys the form does not
// know (Extra) survive. today (YYYY-MM-DD, display zone) stamps Updated.
func itemFromForm(r *http.Request, it *kb.Item, today string) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	it.Name = strings.TrimSpace(f.Get("name"))
	it.Aliases = lines(f.Get("aliases"))
	it.Theme = f.Get("theme")
	it.Audience = f["audience"]
	it.Department = strings.TrimSpace(f.Get("department"))
	it.Kind = f.Get("kind")
	it.Summary = strings.TrimSpace(f.Get("summary"))
	it.Conditions = lines(f.Get("conditions"))
	it.Process = lines(f.Get("process"))
	it.LegalBasis = lines(f.Get("legal_basis"))
	it.Fee = strings.TrimSpace(f.Get("fee"))
	it.Benefit = strings.TrimSpace(f.Get("benefit"))
	it.InternalNotes = strings.TrimSpace(f.Get("internal_notes"))
	it.Contact = strings.TrimSpace(f.Get("contact"))
	it.Doorstep = f.Get("doorstep") == "1"
	it.Updated = today
	var err error
	if it.TimeLimit.LegalDays, err = formInt(r, "legal_days"); err != nil {
		return err
	}
	if it.TimeLimit.PromisedDays, err = formInt(r, "promised_days"); err != nil {
		return err
	}
	it.TimeLimit.Note = strings.TrimSpace(f.Get("time_note"))
	it.Online = kb.Online{Available: f.Get("online_available") == "1", Depth: f.Get("online_depth"), URL: strings.TrimSpace(f.Get("online_url"))}
	it.Offline = kb.Offline{Halls: f["halls"], Appointment: f.Get("appointment") == "1"}
	names, formsIn, copies, notes := f["m_name"], f["m_form"], f["m_copies"], f["m_note"]
	it.Materials = nil
	for i := range names {
		n := strings.TrimSpace(names[i])
		if n == "" {
			continue
		}
		m := kb.Material{Name: n}
		if i < len(formsIn) {
			m.Form = formsIn[i]
		}
		if i < len(notes) {
			m.Note = strings.TrimSpace(notes[i])
		}
		if i < len(copies) && strings.TrimSpace(copies[i]) != "" {
			c, err := strconv.Atoi(strings.TrimSpace(copies[i]))
			if err != nil {
				return fmt.Errorf("材料“%s”的份数须为整数", n)
			}
			m.Copies = c
		}
		it.Materials = append(it.Materials, m)
	}
	qs, as := f["faq_q"], f["faq_a"]
	it.FAQ = nil
	for i := range qs {
		q := strings.TrimSpace(qs[i])
		a := ""
		if i < len(as) {
			a = strings.TrimSpace(as[i])
		}
		if q == "" && a == "" {
			continue
		}
		if q == "" || a == "" {
			return fmt.Errorf("常见问题第 %d 条须同时填写问题和回答", i+1)
		}
		it.FAQ = append(it.FAQ, kb.FAQ{Q: q, A: a})
	}
	return it.Validate()
}

func (s *Server) itemCreate(w http.ResponseWriter, r *http.Request) error {
	it := kb.Item{ID: strings.TrimSpace(r.FormValue("id"))}
	if _, err := s.cfg.KB.Item(r.Context(), it.ID); err == nil {
		s.editorError(w, r, kb.Record{Item: it}, true, fmt.Errorf("事项编码 %s 已存在", it.ID))
		return nil
	}
	s.saveItem(w, r, kb.Record{Status: kb.Draft}, it, true)
	return nil
}

func (s *Server) itemSave(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.pathItem(r)
	if err != nil {
		return err
	}
	if rec.Status == kb.Published {
		base := rec.Item
		if rec.Pending != "" {
			if rev, err := s.cfg.KB.Revision(r.Context(), rec.Item.ID); err == nil {
				base = rev.Item // keys the form does not show come from the revision
			}
		}
		return s.saveRevision(w, r, rec, base)
	}
	return s.saveItem(w, r, rec, rec.Item, false)
}

// saveRevision stores the editor's changes to a published item as its
// pending revision — a draft, or submitted for review; those who may
// publish can publish it at once. The published version serves until then.
func (s *Server) saveRevision(w http.ResponseWriter, r *http.Request, rec kb.Record, it kb.Item) error {
	u := currentUser(r)
	ctx := r.Context()
	action := r.FormValue("action")
	if action == "publish" && !u.Can(auth.Publish) {
		s.renderError(w, r, http.StatusForbidden, "您的角色无权发布，请提交审核。")
		return nil
	}
	if err := itemFromForm(r, &it, s.now().Format(time.DateOnly)); err != nil {
		return s.editorError(w, r, rec, false, err, &it)
	}
	to := kb.Draft
	if action == "review" || action == "publish" {
		to = kb.Review
	}
	note := strings.TrimSpace(r.FormValue("note"))
	err := s.cfg.KB.SaveRevision(ctx, it, to, u.Username, note)
	switch {
	case errors.Is(err, kb.ErrNotPublished):
		return s.editorError(w, r, rec, false, errNotPublishedNow, &it)
	case err != nil:
		return s.editorError(w, r, rec, false, err, &it)
	}
	done := "revision.draft"
	if to == kb.Review {
		done = "revision.review"
	}
	s.audit(r, nil, "kb.item.revise", "item:"+it.ID, map[string]any{"action": action, "note": note})
	if action == "publish" {
		if err := s.cfg.KB.PublishRevision(ctx, it.ID, kb.ContentHash(it), u.Username, note); err != nil {
			if err := revisionRefusal(err); !isRefusal(err) {
				return err
			}
			_, msg := explain(revisionRefusal(err))
			s.backError(w, r, "/admin/items/"+url.PathEscape(it.ID), "revision.publish_failed", msg)
			return nil
		}
		s.audit(r, nil, "kb.item.revision", "item:"+it.ID, map[string]any{"do": "publish", "note": note})
		done = "revision.published"
	}
	s.back(w, r, "/admin/items/"+url.PathEscape(it.ID), done)
	return nil
}

// errNotPublishedNow answers saving a revision of an item withdrawn or
// returned while it was being edited.
var errNotPublishedNow = refusal.New("web", "not_published_now", "该事项刚被撤回或退回，已不在发布状态，请刷新页面后再编辑")

// revisionRefusal reads a refused revision step for staff: a revision
// that is not there is errNoRevision; kb's refusals say the rest.
func revisionRefusal(err error) error {
	if errors.Is(err, kb.ErrNotFound) {
		return errNoRevision
	}
	return err
}

// itemRevision acts on a pending revision: submit it for review, return
// it to draft, publish it, or discard it.
func (s *Server) itemRevision(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	id := r.PathValue("id")
	do := r.FormValue("do")
	note := strings.TrimSpace(r.FormValue("note"))
	if (do == "publish" || do == "return") && !u.Can(auth.Publish) {
		s.metrics.forbidden.Add(1)
		s.renderError(w, r, http.StatusForbidden, fmt.Sprintf("您的角色（%s）无权审核发布修订。", u.Role.Label()))
		return nil
	}
	var err error
	var done string // the notice
	switch do {
	case "submit":
		done = "revision.submitted"
		err = s.cfg.KB.SetRevisionStatus(ctx, id, kb.Review, u.Username, note)
	case "return":
		done = "revision.returned"
		err = s.cfg.KB.SetRevisionStatus(ctx, id, kb.Draft, u.Username, note)
	case "publish":
		done = "revision.published"
		err = s.cfg.KB.PublishRevision(ctx, id, r.FormValue("rev"), u.Username, note)
	case "discard":
		done = "revision.discarded"
		err = s.cfg.KB.DiscardRevision(ctx, id, u.Username, note)
	default:
		return errUnknownRevisionStep
	}
	if err != nil {
		if errors.Is(err, kb.ErrNotFound) {
			if _, ierr := s.cfg.KB.Item(ctx, id); errors.Is(ierr, kb.ErrNotFound) {
				return errNoItem
			}
		}
		if err := revisionRefusal(err); !isRefusal(err) {
			return err
		}
		slog.WarnContext(ctx, "revision step refused", "item", id, "do", do, "err", err)
		_, msg := explain(revisionRefusal(err))
		s.backError(w, r, "/admin/items/"+url.PathEscape(id), "revision.refused", msg)
		return nil
	}
	s.audit(r, nil, "kb.item.revision", "item:"+id, map[string]any{"do": do, "note": note})
	s.back(w, r, "/admin/items/"+url.PathEscape(id), done)
	return nil
}

// editorError shows the editor again with what was typed (form, when
// set) and why it was not saved.
func (s *Server) editorError(w http.ResponseWriter, r *http.Request, rec kb.Record, isNew bool, problem error, form ...*kb.Item) error {
	d, err := s.editorData(r, rec, isNew)
	if err != nil {
		return unavailable(kbDown, err)
	}
	if len(form) > 0 && form[0] != nil {
		d.setForm(*form[0])
	}
	p := s.consolePage(r, "items", "编辑事项", d)
	p.Error = "未保存：" + formProblem(problem)
	s.render(w, r, http.StatusUnprocessableEntity, "item_edit.html", p)
	return nil
}

// formProblem is what staff read of a form that was not saved: a
// refusal's message, or the validation's own words (kb.Item.Validate and
// the editor's field checks write for staff).
func formProblem(err error) string {
	if e, ok := refusal.As(err); ok {
		return e.UserMessage()
	}
	return err.Error()
}

// saveItem stores the edited item. Saving always passes through draft and
// then moves to what the button asked — review, or published for those
// who may publish — so each step is in the history with who and when, and
// a change by someone who may not publish never goes live unreviewed.
func (s *Server) saveItem(w http.ResponseWriter, r *http.Request, rec kb.Record, it kb.Item, isNew bool) error {
	u := currentUser(r)
	ctx := r.Context()
	action := r.FormValue("action")
	if action == "publish" && !u.Can(auth.Publish) {
		s.renderError(w, r, http.StatusForbidden, "您的角色无权发布，请提交审核。")
		return nil
	}
	if err := itemFromForm(r, &it, s.now().Format(time.DateOnly)); err != nil {
		rec.Item = it
		return s.editorError(w, r, rec, isNew, err)
	}
	if _, err := s.cfg.KB.UpsertItems(ctx, []kb.Item{it}, kb.UpsertOptions{Status: kb.Draft, ForceStatus: true, Actor: u.Username}); err != nil {
		rec.Item = it
		return s.editorError(w, r, rec, isNew, err)
	}
	done := "item.draft"
	switch action {
	case "review", "publish":
		to, next := kb.Review, "item.review"
		if action == "publish" {
			to, next = kb.Published, "item.published"
		}
		if err := s.cfg.KB.SetStatus(ctx, it.ID, to, u.Username, r.FormValue("note")); err != nil {
			return statusRefusal(err)
		}
		done = next
	}
	s.audit(r, nil, "kb.item.save", "item:"+it.ID, map[string]any{"action": action, "note": r.FormValue("note")})
	s.back(w, r, "/admin/items/"+url.PathEscape(it.ID), done)
	return nil
}

// statusRefusal reads kb's refusal of a publishing step: an item that is
// not there, or a step its state does not allow (kb.ErrIllegalMove, 409).
func statusRefusal(err error) error {
	if errors.Is(err, kb.ErrNotFound) {
		return errNoItem
	}
	return err
}

func (s *Server) itemStatus(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	id := r.PathValue("id")
	to, err := kb.ParseStatus(r.FormValue("to"))
	if err != nil {
		return fmt.Errorf("%w: %w", errUnknownStatus, err)
	}
	if (to == kb.Published || to == kb.Withdrawn) && !u.Can(auth.Publish) {
		s.metrics.forbidden.Add(1)
		s.renderError(w, r, http.StatusForbidden, fmt.Sprintf("您的角色（%s）无权发布或撤回事项。", u.Role.Label()))
		return nil
	}
	if err := s.cfg.KB.SetStatus(r.Context(), id, to, u.Username, strings.TrimSpace(r.FormValue("note"))); err != nil {
		return statusRefusal(err)
	}
	s.audit(r, nil, "kb.item.status", "item:"+id, map[string]any{"to": string(to), "note": r.FormValue("note")})
	done := "item.status"
	if to == kb.Published {
		done = "item.status_live"
	}
	s.back(w, r, "/admin/items/"+url.PathEscape(id), done, to.Label())
	return nil
}
