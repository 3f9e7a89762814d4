package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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

const hallsDown = "暂时无法读取服务大厅。"

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

type uploadData struct {
	Report   *kb.Report
	File     string
	Err      string
	Publish  bool
	Problems []kb.Problem
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) error {
	d := uploadData{Publish: currentUser(r).Can(auth.Publish)}
	s.render(w, r, http.StatusOK, "upload.html", s.consolePage(r, "upload", "批量导入", d))
	return nil
}

var uploadExts = map[string]bool{".jsonl": true, ".csv": true, ".xlsx": true}

// upload imports a JSONL, CSV or XLSX file and reports line by line what
// was skipped. Everything uploaded goes to the chosen state, so a file
// from someone who may not publish waits for review; a published item
// keeps serving and its uploaded content waits as a pending revision.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := uploadData{Publish: u.Can(auth.Publish)}
	show := func(status int) {
		p := s.consolePage(r, "upload", "批量导入", d)
		s.render(w, r, status, "upload.html", p)
	}
	st, err := kb.ParseStatus(r.FormValue("status"))
	if err != nil || st == kb.Withdrawn {
		st = kb.Review
	}
	if st == kb.Published && !d.Publish {
		st = kb.Review
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		d.Err = "请选择要上传的文件（.jsonl、.csv 或 .xlsx，不超过 25 MB）。"
		show(http.StatusBadRequest)
		return nil
	}
	defer f.Close()
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	d.File = name
	if !uploadExts[strings.ToLower(filepath.Ext(name))] || strings.HasPrefix(name, ".") {
		d.Err = "不支持的文件类型：请上传 .jsonl、.csv 或 .xlsx 文件。"
		show(http.StatusBadRequest)
		return nil
	}
	dir, err := os.MkdirTemp("", "fuwu-upload-")
	if err != nil {
		return broken("服务器无法保存上传文件。", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	out, err := os.Create(path)
	if err == nil {
		_, err = io.Copy(out, f)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		d.Err = "上传失败：文件过大或连接中断。"
		show(http.StatusBadRequest)
		return nil
	}
	rep, err := s.cfg.KB.ImportPath(r.Context(), path, "", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: st, ForceStatus: true, Revise: true, Actor: u.Username}})
	for i := range rep.Problems {
		rep.Problems[i].File = strings.TrimPrefix(rep.Problems[i].File, dir+string(filepath.Separator))
	}
	d.Report = &rep
	if err != nil {
		d.Err = "导入中止：" + strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		slog.WarnContext(r.Context(), "upload import", "file", name, "err", err)
	}
	s.audit(r, nil, "kb.upload", "file:"+name, map[string]any{"status": string(st), "created": rep.Items.Created,
		"updated": rep.Items.Updated, "revised": rep.Items.Revised, "halls": rep.Halls, "skipped": rep.Skipped()})
	show(http.StatusOK)
	return nil
}

type faqData struct {
	Entries []kb.Entry
	Edit    kb.Entry
	States  []kb.Status
	Items   []kb.Record
}

func (s *Server) faqPage(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.cfg.KB.Entries(r.Context(), "")
	if err != nil {
		return unavailable("暂时无法读取问答。", err)
	}
	items, err := s.cfg.KB.Items(r.Context(), kb.Filter{})
	if err != nil {
		return unavailable(kbDown, err)
	}
	d := faqData{Entries: entries, States: allStates, Items: items, Edit: kb.Entry{Status: kb.Draft}}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("edit"), 10, 64); err == nil {
		for _, e := range entries {
			if e.ID == id {
				d.Edit = e
			}
		}
	} else {
		// "Make an FAQ from this" links arrive with the question filled in.
		d.Edit.Question, d.Edit.ItemID = q.Get("question"), q.Get("item")
	}
	p := s.consolePage(r, "faq", "高频问答", d)
	s.render(w, r, http.StatusOK, "faq.html", p)
	return nil
}

func (s *Server) faqSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	st, err := kb.ParseStatus(r.FormValue("status"))
	if err != nil {
		st = kb.Draft
	}
	if (st == kb.Published || st == kb.Withdrawn) && !u.Can(auth.Publish) {
		st = kb.Review
	}
	e := kb.Entry{ItemID: strings.TrimSpace(r.FormValue("item_id")), Question: strings.TrimSpace(r.FormValue("question")),
		Answer: strings.TrimSpace(r.FormValue("answer")), Status: st}
	if e.Question == "" || e.Answer == "" {
		s.backError(w, r, "/admin/faq", "faq.incomplete")
		return nil
	}
	if id, perr := strconv.ParseInt(r.FormValue("id"), 10, 64); perr == nil && id > 0 {
		e.ID = id
		err = s.cfg.KB.UpdateEntry(r.Context(), e)
	} else {
		e.ID, err = s.cfg.KB.AddEntry(r.Context(), e, u.Username)
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/faq", err)
	}
	s.audit(r, nil, "kb.faq.save", "faq:"+strconv.FormatInt(e.ID, 10), map[string]any{"status": string(st), "item": e.ItemID})
	s.back(w, r, "/admin/faq", "faq.saved", strconv.FormatInt(e.ID, 10), st.Label())
	return nil
}

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
