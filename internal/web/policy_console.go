package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// The policy console's refusals (the domain packages' errors read for
// staff by policyErr).
var (
	errPolicyNotFound  = refusal.Missing("policy", "not_found", "没有找到该政策或名单。")
	errPolicyState     = refusal.Clash("policy", "state", "当前状态下不能执行该操作（可能已被他人处理），请刷新后再看。")
	errPolicyChanged   = refusal.Clash("policy", "changed", "该政策在您审阅后又被修改，请重新审阅后再发布。")
	errPolicyCompile   = refusal.New("policy", "compile", "政策条件无法按当前字段设置计算，请检查条件和字段类型。")
	errBatchSameActor  = refusal.New("policy", "same_actor", "发放名单须由生成人以外的人员审核。")
	errPolicyInput     = refusal.New("policy", "input", "请求不完整，请检查后再试（如发放名单只能为“免申即享”政策生成）。")
	errPolicyNote      = refusal.New("policy", "note", "退回时请写明原因。")
	errPolicyPick      = refusal.New("policy", "pick", "请先勾选名单中的人员或企业。")
	errPolicyTooMany   = refusal.New("policy", "too_many", "一次最多处理 50 条。")
	errPolicyStateName = refusal.Bad("policy", "state_name", "没有这个状态。")
	errPolicyTarget    = refusal.Bad("policy", "target", "请选择个人或企业。")
	errPolicyMonth     = refusal.Bad("policy", "month", "月份请写成 2026-01 的形式。")
	errPolicyFile      = refusal.Missing("policy", "file", "没有这个文件。")
	errBatchNotFound   = refusal.Missing("policy", "batch_not_found", "没有找到该名单。")
)

// policyErr reads an error of the policy services for staff: the domain's
// refusals become the console's, anything else is a fault for fail to log.
func policyErr(err error) error {
	var ce policy.CompileErrors
	switch {
	case errors.Is(err, policy.ErrNotFound), errors.Is(err, eligibility.ErrNotFound):
		return fmt.Errorf("%w: %w", errPolicyNotFound, err)
	case errors.Is(err, policy.ErrState), errors.Is(err, eligibility.ErrState):
		return fmt.Errorf("%w: %w", errPolicyState, err)
	case errors.Is(err, policy.ErrRevisionChanged), errors.Is(err, policy.ErrStale):
		return fmt.Errorf("%w: %w", errPolicyChanged, err)
	case errors.Is(err, eligibility.ErrSameActor):
		return fmt.Errorf("%w: %w", errBatchSameActor, err)
	case errors.Is(err, eligibility.ErrInput):
		return fmt.Errorf("%w: %w", errPolicyInput, err)
	case errors.As(err, &ce):
		return fmt.Errorf("%w: %w", errPolicyCompile, err)
	}
	return err
}

// policyPage is s.page for the policy console.
func (s *Server) policyPage(r *http.Request, title string, data any) Page {
	p := s.page(r, title, data)
	p.Console, p.Nav = true, "policies"
	return p
}

// adminPoliciesData is the library list.
type adminPoliciesData struct {
	Report   *policy.ImportReport // an upload's outcome
	File     string
	Records  []policy.Record
	Expiring []policy.Record
	Coverage map[string]eligibility.Coverage
	State    string
	Target   string
	States   []policy.State
	Today    policy.Day
}

// ExpiresIn is how many days are left before a policy's expiry day.
func (d adminPoliciesData) ExpiresIn(p policy.Policy) int {
	day, err := policy.ParseDay(p.Expires)
	if err != nil {
		return 0
	}
	return policy.DaysUntil(day, d.Today)
}

func (s *Server) adminPolicies(w http.ResponseWriter, r *http.Request) error {
	return s.renderPolicies(w, r, http.StatusOK, adminPoliciesData{}, "")
}

func (s *Server) renderPolicies(w http.ResponseWriter, r *http.Request, status int, d adminPoliciesData, problem string) error {
	ctx := r.Context()
	pr := s.cfg.Policy
	q := r.URL.Query()
	d.State, d.Target, d.Today = q.Get("state"), q.Get("target"), policy.DayOf(s.now())
	d.States = []policy.State{policy.Draft, policy.Review, policy.Published, policy.Withdrawn}
	var f policy.Filter
	if d.State == "pending" {
		f.Pending = true
	} else if d.State != "" {
		st, err := policy.ParseState(d.State)
		if err != nil {
			return errPolicyStateName
		}
		f.State = st
	}
	if d.Target != "" {
		t, err := policy.ParseTarget(d.Target)
		if err != nil {
			return errPolicyTarget
		}
		f.Target = t
	}
	var err error
	if d.Records, err = pr.Library.List(ctx, f); err != nil {
		return policyErr(err)
	}
	if d.Expiring, err = pr.Library.Expiring(ctx, d.Today, 30); err != nil {
		return policyErr(err)
	}
	cov, err := pr.Results.Coverage(ctx)
	if err != nil {
		return policyErr(err)
	}
	d.Coverage = map[string]eligibility.Coverage{}
	for _, c := range cov {
		d.Coverage[c.PolicyID] = c
	}
	p := s.policyPage(r, "政策库", d)
	p.Error = problem
	s.render(w, r, status, "admin_policies.html", p)
	return nil
}

// adminPolicyImport reads an uploaded policies.jsonl or Excel template
// into the library, for review: nothing goes live until a reviewer
// publishes it. Lines that do not read or compile are listed with their
// line, policy and condition; the rest are stored.
func (s *Server) adminPolicyImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.renderPolicies(w, r, http.StatusBadRequest, adminPoliciesData{}, "请选择要导入的文件（.jsonl 或 .xlsx，不超过 1 MB）。")
	}
	defer f.Close()
	name := hdr.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	opt := policy.ImportOptions{State: policy.Review, Actor: currentUser(r).Username}
	var rep policy.ImportReport
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".jsonl"):
		rep, err = s.cfg.Policy.Library.Import(ctx, f, name, opt)
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		rep, err = s.cfg.Policy.Library.ImportXLSX(ctx, f, name, opt)
	default:
		return s.renderPolicies(w, r, http.StatusBadRequest, adminPoliciesData{}, "不支持的文件类型：请上传 .jsonl 或 Excel 模板（.xlsx）。")
	}
	if err != nil {
		var ce policy.CompileErrors
		if errors.As(err, &ce) {
			return s.renderPolicies(w, r, http.StatusUnprocessableEntity, adminPoliciesData{File: name}, "导入失败："+ce.Error())
		}
		slog.ErrorContext(ctx, "policy import", "file", name, "err", err)
		return s.renderPolicies(w, r, http.StatusUnprocessableEntity, adminPoliciesData{File: name}, "导入失败，文件无法读取："+name)
	}
	s.audit(r, nil, "policy.import", "file:"+name, map[string]any{"created": rep.Created, "updated": rep.Updated,
		"revised": rep.Revised, "unchanged": rep.Unchanged, "problems": len(rep.Problems)})
	return s.renderPolicies(w, r, http.StatusOK, adminPoliciesData{Report: &rep, File: name}, "")
}

// adminPolicyExport downloads the published policies as policies.jsonl or
// as the Excel template; template.xlsx is the empty template.
func (s *Server) adminPolicyExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lib := s.cfg.Policy.Library
	var buf bytes.Buffer
	var err error
	name := r.PathValue("file")
	switch name {
	case "policies.jsonl":
		err = lib.Export(ctx, &buf, policy.Published)
	case "policies.xlsx", "template.xlsx":
		var ps []policy.Policy
		if name == "policies.xlsx" {
			ps, err = lib.Published(ctx)
		}
		if err == nil {
			err = policy.WriteXLSX(&buf, ps)
		}
	default:
		return errPolicyFile
	}
	if err != nil {
		return policyErr(err)
	}
	if strings.HasSuffix(name, ".jsonl") {
		w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="policies.jsonl"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
		return nil
	}
	writeXLSX(w, name, name, buf.Bytes())
	return nil
}

// fieldsData is the field schema page.
type fieldsData struct {
	Targets []policy.Target
	Schema  policy.Schema
	Types   []policy.FieldType
	Form    url.Values
}

func (s *Server) adminPolicyFields(w http.ResponseWriter, r *http.Request) error {
	return s.renderFields(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderFields(w http.ResponseWriter, r *http.Request, status int, form url.Values, problem string) error {
	schema, err := s.cfg.Policy.Library.Schema(r.Context())
	if err != nil {
		return policyErr(err)
	}
	d := fieldsData{Targets: policy.Targets, Schema: schema, Form: form,
		Types: []policy.FieldType{policy.TypeText, policy.TypeNumber, policy.TypeBool, policy.TypeDate, policy.TypeChoice, policy.TypeList}}
	p := s.policyPage(r, "字段设置", d)
	p.Error = problem
	s.render(w, r, status, "admin_policy_fields.html", p)
	return nil
}

// adminPolicyFieldSave adds or changes a field of the schema (how the
// self-check and the chat ask for it); a change that would stop a policy
// from compiling is refused.
func (s *Server) adminPolicyFieldSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return errBadForm
	}
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	t, err := policy.ParseTarget(v("target"))
	if err != nil {
		return s.renderFields(w, r, http.StatusUnprocessableEntity, r.PostForm, "请选择个人或企业。")
	}
	f := policy.Field{Key: v("key"), Label: v("label"), Type: policy.FieldType(v("type")), Unit: v("unit"),
		Question: v("question"), Help: v("help")}
	for _, o := range strings.FieldsFunc(v("options"), func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
		if o = strings.TrimSpace(o); o != "" {
			f.Options = append(f.Options, o)
		}
	}
	if msg := fieldProblem(f); msg != "" {
		return s.renderFields(w, r, http.StatusUnprocessableEntity, r.PostForm, msg)
	}
	if err := s.cfg.Policy.Library.PutField(ctx, t, f, currentUser(r).Username); err != nil {
		if errors.Is(err, policy.ErrFieldInUse) {
			return s.renderFields(w, r, http.StatusUnprocessableEntity, r.PostForm, "保存失败：有政策在使用这个字段，改成这个类型后这些政策将无法计算。")
		}
		return s.renderFields(w, r, http.StatusUnprocessableEntity, r.PostForm, "保存失败："+s.problem(r, err))
	}
	s.audit(r, nil, "policy.field.put", "field:"+string(t)+"."+f.Key, map[string]any{"label": f.Label, "type": string(f.Type)})
	if err := s.cfg.Policy.Live.Reload(ctx); err != nil {
		slog.ErrorContext(ctx, "reload live policies", "err", err)
	}
	s.back(w, r, "/admin/policy-fields", "policy.field_saved")
	return nil
}

// fieldProblem is what is wrong with a field typed into the form, in the
// staff's words ("" when nothing is).
func fieldProblem(f policy.Field) string {
	switch {
	case !policy.ValidFieldKey(f.Key):
		return "字段名只能用英文字母、数字和下划线，且不能以数字开头。"
	case f.Label == "":
		return "请填写名称。"
	case !slices.Contains([]policy.FieldType{policy.TypeText, policy.TypeNumber, policy.TypeBool, policy.TypeDate, policy.TypeChoice, policy.TypeList}, f.Type):
		return "请选择类型。"
	case f.Type == policy.TypeChoice && len(f.Options) == 0:
		return "选择类字段请填写选项，用顿号分隔。"
	}
	return ""
}

func (s *Server) adminPolicyFieldDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := policy.ParseTarget(r.PostFormValue("target"))
	if err != nil {
		return s.renderFields(w, r, http.StatusUnprocessableEntity, nil, "请选择个人或企业。")
	}
	key := r.PostFormValue("key")
	if err := s.cfg.Policy.Library.DeleteField(ctx, t, key, currentUser(r).Username); err != nil {
		return s.renderFields(w, r, http.StatusUnprocessableEntity, nil, "删除失败："+s.problem(r, policyErr(err)))
	}
	s.audit(r, nil, "policy.field.delete", "field:"+string(t)+"."+key, nil)
	if err := s.cfg.Policy.Live.Reload(ctx); err != nil {
		slog.ErrorContext(ctx, "reload live policies", "err", err)
	}
	s.back(w, r, "/admin/policy-fields", "policy.field_deleted")
	return nil
}

// adminPolicyData is one policy: its source document, its conditions
// with their clauses, the pending revision, the history, the reach and
// the batches.
type adminPolicyData struct {
	Record   policy.Record
	Revision *policy.Revision
	History  []policy.History
	Coverage *eligibility.Coverage
	Batches  []eligibility.Batch
	Period   string
}

func (s *Server) adminPolicy(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pr := s.cfg.Policy
	id := r.PathValue("id")
	rec, err := pr.Library.Get(ctx, id)
	if err != nil {
		return policyErr(err)
	}
	d := adminPolicyData{Record: rec, Period: s.now().Format("2006-01")}
	if rev, err := pr.Library.Revision(ctx, id); err == nil {
		d.Revision = &rev
	} else if !errors.Is(err, policy.ErrNotFound) {
		return policyErr(err)
	}
	if d.History, err = pr.Library.History(ctx, id); err != nil {
		return policyErr(err)
	}
	cov, err := pr.Results.Coverage(ctx)
	if err != nil {
		return policyErr(err)
	}
	for i := range cov {
		if cov[i].PolicyID == id {
			d.Coverage = &cov[i]
		}
	}
	if d.Batches, err = pr.Results.Batches(ctx, eligibility.BatchFilter{PolicyID: id}); err != nil {
		return policyErr(err)
	}
	s.render(w, r, http.StatusOK, "admin_policy.html", s.policyPage(r, rec.Policy.Title, d))
	return nil
}

// adminPolicyStep moves a policy through review: submit, publish (what
// the reviewer read, by its hash), return, withdraw.
func (s *Server) adminPolicyStep(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lib := s.cfg.Policy.Library
	id := r.PathValue("id")
	step := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	actor := currentUser(r).Username
	note := strings.TrimSpace(r.PostFormValue("note"))
	var err error
	var done string
	switch step {
	case "submit":
		err, done = lib.Submit(ctx, id, actor, note), "submitted"
	case "publish":
		err, done = lib.Publish(ctx, id, r.PostFormValue("hash"), actor, note), "published"
	case "return":
		if note == "" {
			return errPolicyNote
		}
		err, done = lib.Return(ctx, id, actor, note), "returned"
	case "withdraw":
		err, done = lib.Withdraw(ctx, id, actor, note), "withdrawn"
	}
	if err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, "policy."+step, "policy:"+id, map[string]any{"note": note})
	if step == "publish" || step == "withdraw" {
		// This replica serves the change at once; the others follow the
		// change notification.
		if err := s.cfg.Policy.Live.Reload(ctx); err != nil {
			slog.ErrorContext(ctx, "reload live policies", "err", err)
		}
	}
	s.back(w, r, "/admin/policies/"+url.PathEscape(id), "policy."+done)
	return nil
}

// prospectsData is a 政策找人 list.
type prospectsData struct {
	Policy    policy.Policy
	Prospects []eligibility.Prospect
	Total     int
	Street    string
	Community string
	Possible  bool
	Served    bool
	Page      int
	Pages     int
	Query     string // the filter, for the export link and the pager
	Report    *eligibility.OutreachReport
	Channel   string
}

const prospectsPerPage = 50

func (s *Server) prospectFilter(r *http.Request) (eligibility.ProspectFilter, prospectsData) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	d := prospectsData{Street: strings.TrimSpace(q.Get("street")), Community: strings.TrimSpace(q.Get("community")),
		Possible: q.Get("possible") == "1", Served: q.Get("served") == "1"}
	f := eligibility.ProspectFilter{PolicyID: r.PathValue("id"), Street: d.Street, Community: d.Community, Served: d.Served}
	if d.Possible {
		f.Status = policy.Possible
	}
	v := url.Values{}
	for k, val := range map[string]string{"street": d.Street, "community": d.Community} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if d.Possible {
		v.Set("possible", "1")
	}
	if d.Served {
		v.Set("served", "1")
	}
	d.Query = v.Encode()
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	return f, d
}

func (s *Server) adminProspects(w http.ResponseWriter, r *http.Request) error {
	return s.renderProspects(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderProspects(w http.ResponseWriter, r *http.Request, status int, rep *eligibility.OutreachReport, channel string) error {
	ctx := r.Context()
	pr := s.cfg.Policy
	rec, err := pr.Library.Get(ctx, r.PathValue("id"))
	if err != nil {
		return policyErr(err)
	}
	f, d := s.prospectFilter(r)
	d.Policy, d.Report, d.Channel = rec.Policy, rep, channel
	d.Prospects, d.Total, err = pr.Results.Prospects(ctx, f, prospectsPerPage, (d.Page-1)*prospectsPerPage)
	if err != nil {
		return policyErr(err)
	}
	d.Pages = (d.Total + prospectsPerPage - 1) / prospectsPerPage
	s.render(w, r, status, "admin_prospects.html", s.policyPage(r, "政策找人 · "+rec.Policy.Title, d))
	return nil
}

func (s *Server) adminProspectsExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, _ := s.prospectFilter(r)
	var buf bytes.Buffer
	if err := s.cfg.Policy.Results.ExportProspects(ctx, &buf, f); err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, "policy.prospects.export", "policy:"+f.PolicyID,
		map[string]any{"street": f.Street, "community": f.Community, "status": string(f.Status), "served": f.Served})
	writeXLSX(w, "prospects.xlsx", "政策找人-"+f.PolicyID+".xlsx", buf.Bytes())
	return nil
}

// adminOutreach turns the ticked rows into door-to-door requests or a
// notification list.
func (s *Server) adminOutreach(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return errBadForm
	}
	u := currentUser(r)
	ids := r.PostForm["profile"]
	channel := r.PostForm.Get("channel")
	if len(ids) == 0 {
		return errPolicyPick
	}
	if len(ids) > prospectsPerPage {
		return errPolicyTooMany
	}
	rep, err := s.cfg.Policy.Results.Outreach(ctx, eligibility.OutreachRequest{PolicyID: r.PathValue("id"), ProfileIDs: ids,
		Channel: channel, Actor: u.Username, Role: string(u.Role), Purpose: strings.TrimSpace(r.PostForm.Get("purpose"))})
	if err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, "policy.outreach", "policy:"+r.PathValue("id"), map[string]any{"channel": channel, "profiles": ids,
		"requests": rep.Requests, "notified": rep.Notified, "skipped": len(rep.Skipped)})
	return s.renderProspects(w, r, http.StatusOK, &rep, channel)
}

// batchesData lists 免申即享 batches.
type batchesData struct {
	Batches  []eligibility.Batch
	Status   string
	Auto     []policy.Record // auto policies a batch can be made for
	Period   string
	Statuses []eligibility.BatchStatus
}

func (s *Server) adminBatches(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pr := s.cfg.Policy
	d := batchesData{Status: r.URL.Query().Get("status"), Period: s.now().Format("2006-01"),
		Statuses: []eligibility.BatchStatus{eligibility.BatchReview, eligibility.BatchApproved, eligibility.BatchReturned}}
	var err error
	if d.Batches, err = pr.Results.Batches(ctx, eligibility.BatchFilter{Status: eligibility.BatchStatus(d.Status)}); err != nil {
		return policyErr(err)
	}
	if d.Auto, err = pr.Library.List(ctx, policy.Filter{State: policy.Published, Mode: policy.Auto}); err != nil {
		return policyErr(err)
	}
	s.render(w, r, http.StatusOK, "admin_batches.html", s.policyPage(r, "免申即享发放名单", d))
	return nil
}

func (s *Server) adminBatchCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	policyID, period := r.PostFormValue("policy"), strings.TrimSpace(r.PostFormValue("period"))
	rep, err := s.cfg.Policy.Results.CreateBatch(ctx, policyID, period, currentUser(r).Username)
	if err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, "policy.batch.create", "batch:"+strconv.FormatInt(rep.Batch.ID, 10), map[string]any{
		"policy": policyID, "period": rep.Batch.Period, "people": rep.Batch.People, "enterprises": rep.Batch.Enterprises,
		"amount_fen": rep.Batch.AmountFen})
	s.back(w, r, "/admin/policy-batches/"+strconv.FormatInt(rep.Batch.ID, 10), "policy.batch_created")
	return nil
}

// batchData is one batch with its lines.
type batchData struct {
	Batch eligibility.Batch
	Lines []eligibility.Line
	// Mine: the viewer made the batch, so may not approve it.
	Mine bool
}

func batchID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, errBatchNotFound
	}
	return id, nil
}

func (s *Server) adminBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	b, lines, err := s.cfg.Policy.Results.Batch(r.Context(), id)
	if err != nil {
		return policyErr(err)
	}
	d := batchData{Batch: b, Lines: lines, Mine: b.CreatedBy == currentUser(r).Username}
	s.render(w, r, http.StatusOK, "admin_batch.html", s.policyPage(r, "发放名单 · "+b.Title, d))
	return nil
}

func (s *Server) adminBatchExport(w http.ResponseWriter, r *http.Request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.cfg.Policy.Results.ExportBatch(r.Context(), &buf, id); err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, "policy.batch.export", "batch:"+strconv.FormatInt(id, 10), nil)
	writeXLSX(w, "batch.xlsx", "免申即享名单-"+strconv.FormatInt(id, 10)+".xlsx", buf.Bytes())
	return nil
}

// adminBatchDecide approves a batch (frozen, counted in the statistics)
// or returns it with a reason.
func (s *Server) adminBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	actor := currentUser(r).Username
	note := strings.TrimSpace(r.PostFormValue("note"))
	done, action := "policy.batch_approved", "policy.batch.approve"
	if strings.HasSuffix(r.URL.Path, "/return") {
		done, action = "policy.batch_returned", "policy.batch.return"
		if note == "" {
			return errPolicyNote
		}
		err = s.cfg.Policy.Results.ReturnBatch(ctx, id, actor, note)
	} else {
		err = s.cfg.Policy.Results.ApproveBatch(ctx, id, actor, note)
	}
	if err != nil {
		return policyErr(err)
	}
	s.audit(r, nil, action, "batch:"+strconv.FormatInt(id, 10), map[string]any{"note": note})
	s.back(w, r, "/admin/policy-batches/"+strconv.FormatInt(id, 10), done)
	return nil
}

// policyStatsData is the statistics page.
type policyStatsData struct {
	Stats    eligibility.Stats
	From, To string
	Charts   []statChart
	Tables   []statTable
}

// statTable is one table of the statistics page.
type statTable struct {
	Title, Key string
	Rows       []eligibility.StatRow
}

func (s *Server) adminPolicyStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := policyStatsData{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	for _, m := range []string{d.From, d.To} {
		if m != "" && !validMonth(m) {
			return errPolicyMonth
		}
	}
	st, err := s.cfg.Policy.Results.Stats(r.Context(), d.From, d.To)
	if err != nil {
		return policyErr(err)
	}
	d.Stats = st
	d.Charts = []statChart{
		{ID: "by-policy", Title: "按政策：发放金额（元）", SVG: barChart(st.ByPolicy)},
		{ID: "by-street", Title: "按街道：发放金额（元）", SVG: barChart(st.ByStreet)},
		{ID: "by-month", Title: "按月份：发放金额（元）", SVG: barChart(st.ByMonth)},
	}
	d.Tables = []statTable{{"按政策", "政策", st.ByPolicy}, {"按街道", "街道", st.ByStreet}, {"按月份", "月份", st.ByMonth}}
	s.render(w, r, http.StatusOK, "admin_policy_stats.html", s.policyPage(r, "免申即享统计", d))
	return nil
}

// validMonth reports whether m is YYYY-MM.
func validMonth(m string) bool {
	if len(m) != 7 || m[4] != '-' {
		return false
	}
	y, err1 := strconv.Atoi(m[:4])
	mo, err2 := strconv.Atoi(m[5:])
	return err1 == nil && err2 == nil && y > 1900 && mo >= 1 && mo <= 12
}

// writeXLSX sends a workbook as a download.
func writeXLSX(w http.ResponseWriter, ascii, name string, b []byte) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}
