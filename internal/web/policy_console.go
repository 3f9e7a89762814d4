package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/policy"
)

// policyNotices are the console's confirmations, passed by code in the
// redirect (?done=CODE), never as text.
var policyNotices = map[string]string{
	"submitted": "已提交审核。",
	"published": "已发布，政策即刻生效。",
	"returned":  "已退回修改。",
	"withdrawn": "已撤回，政策不再生效。",
	"created":   "已生成发放名单，等待审核。",
	"approved":  "已审核通过，名单已冻结，计入统计。",
	"rejected":  "已退回该名单。",
}

// policyPage is s.page for the policy console, with the notice named by
// ?done= and the console layout.
func (s *Server) policyPage(r *http.Request, title string, data any) Page {
	p := s.page(r, title, data)
	p.Flash = policyNotices[r.URL.Query().Get("done")]
	p.Console, p.Nav = true, "policies"
	return p
}

// policyRefusal turns a refusal of the policy rooms into a status and a
// message for staff; other errors are logged and shown as unavailable.
func (s *Server) policyRefusal(w http.ResponseWriter, r *http.Request, err error) {
	st, msg := http.StatusUnprocessableEntity, ""
	switch {
	case errors.Is(err, policy.ErrNotFound), errors.Is(err, eligibility.ErrNotFound):
		st, msg = http.StatusNotFound, "没有找到该政策或名单。"
	case errors.Is(err, policy.ErrState), errors.Is(err, eligibility.ErrState):
		st, msg = http.StatusConflict, "当前状态下不能执行该操作（可能已被他人处理），请刷新后再看。"
	case errors.Is(err, policy.ErrRevisionChanged), errors.Is(err, policy.ErrStale):
		st, msg = http.StatusConflict, "该政策在您审阅后又被修改，请重新审阅后再发布。"
	case errors.Is(err, eligibility.ErrSameActor):
		st, msg = http.StatusForbidden, "发放名单须由生成人以外的人员审核。"
	case errors.Is(err, eligibility.ErrInput):
		msg = "请求不完整：" + strings.TrimPrefix(err.Error(), "eligibility: ")
	default:
		var ce policy.CompileErrors
		if errors.As(err, &ce) {
			msg = "政策条件无法计算：" + ce.Error()
			break
		}
		slog.ErrorContext(r.Context(), "policy console", "path", r.URL.Path, "err", err)
		st, msg = http.StatusInternalServerError, "系统繁忙，请稍后再试。"
	}
	s.renderError(w, r, st, msg)
}

// adminPoliciesData is the library list.
type adminPoliciesData struct {
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
	ctx := r.Context()
	pr := s.cfg.Policy
	q := r.URL.Query()
	d := adminPoliciesData{State: q.Get("state"), Target: q.Get("target"), Today: policy.DayOf(s.now()),
		States: []policy.State{policy.Draft, policy.Review, policy.Published, policy.Withdrawn}}
	var f policy.Filter
	if d.State == "pending" {
		f.Pending = true
	} else if d.State != "" {
		st, err := policy.ParseState(d.State)
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "没有这个状态。")
			return nil
		}
		f.State = st
	}
	if d.Target != "" {
		t, err := policy.ParseTarget(d.Target)
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "请选择个人或企业。")
			return nil
		}
		f.Target = t
	}
	var err error
	if d.Records, err = pr.Library.List(ctx, f); err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	if d.Expiring, err = pr.Library.Expiring(ctx, d.Today, 30); err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	cov, err := pr.Results.Coverage(ctx)
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	d.Coverage = map[string]eligibility.Coverage{}
	for _, c := range cov {
		d.Coverage[c.PolicyID] = c
	}
	s.render(w, r, http.StatusOK, "admin_policies.html", s.policyPage(r, "政策库", d))
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
		s.policyRefusal(w, r, err)
		return nil
	}
	d := adminPolicyData{Record: rec, Period: s.now().Format("2006-01")}
	if rev, err := pr.Library.Revision(ctx, id); err == nil {
		d.Revision = &rev
	} else if !errors.Is(err, policy.ErrNotFound) {
		s.policyRefusal(w, r, err)
		return nil
	}
	if d.History, err = pr.Library.History(ctx, id); err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	cov, err := pr.Results.Coverage(ctx)
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	for i := range cov {
		if cov[i].PolicyID == id {
			d.Coverage = &cov[i]
		}
	}
	if d.Batches, err = pr.Results.Batches(ctx, eligibility.BatchFilter{PolicyID: id}); err != nil {
		s.policyRefusal(w, r, err)
		return nil
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
			s.renderError(w, r, http.StatusUnprocessableEntity, "退回时请写明原因。")
			return nil
		}
		err, done = lib.Return(ctx, id, actor, note), "returned"
	case "withdraw":
		err, done = lib.Withdraw(ctx, id, actor, note), "withdrawn"
	}
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.audit(r, nil, "policy."+step, "policy:"+id, map[string]any{"note": note})
	if step == "publish" || step == "withdraw" {
		// This replica serves the change at once; the others follow the
		// change notification.
		if err := s.cfg.Policy.Live.Reload(ctx); err != nil {
			slog.ErrorContext(ctx, "reload live policies", "err", err)
		}
	}
	http.Redirect(w, r, "/admin/policies/"+url.PathEscape(id)+"?done="+done, http.StatusSeeOther)
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
	s.renderProspects(w, r, http.StatusOK, nil, "")
	return nil
}

func (s *Server) renderProspects(w http.ResponseWriter, r *http.Request, status int, rep *eligibility.OutreachReport, channel string) {
	ctx := r.Context()
	pr := s.cfg.Policy
	rec, err := pr.Library.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.policyRefusal(w, r, err)
		return
	}
	f, d := s.prospectFilter(r)
	d.Policy, d.Report, d.Channel = rec.Policy, rep, channel
	d.Prospects, d.Total, err = pr.Results.Prospects(ctx, f, prospectsPerPage, (d.Page-1)*prospectsPerPage)
	if err != nil {
		s.policyRefusal(w, r, err)
		return
	}
	d.Pages = (d.Total + prospectsPerPage - 1) / prospectsPerPage
	s.render(w, r, status, "admin_prospects.html", s.policyPage(r, "政策找人 · "+rec.Policy.Title, d))
}

func (s *Server) adminProspectsExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, _ := s.prospectFilter(r)
	var buf bytes.Buffer
	if err := s.cfg.Policy.Results.ExportProspects(ctx, &buf, f); err != nil {
		s.policyRefusal(w, r, err)
		return nil
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
		s.renderError(w, r, http.StatusBadRequest, "表单无效")
		return nil
	}
	u := currentUser(r)
	ids := r.PostForm["profile"]
	channel := r.PostForm.Get("channel")
	if len(ids) == 0 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "请先勾选名单中的人员或企业。")
		return nil
	}
	if len(ids) > prospectsPerPage {
		s.renderError(w, r, http.StatusUnprocessableEntity, "一次最多处理 50 条。")
		return nil
	}
	rep, err := s.cfg.Policy.Results.Outreach(ctx, eligibility.OutreachRequest{PolicyID: r.PathValue("id"), ProfileIDs: ids,
		Channel: channel, Actor: u.Username, Role: string(u.Role), Purpose: strings.TrimSpace(r.PostForm.Get("purpose"))})
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.audit(r, nil, "policy.outreach", "policy:"+r.PathValue("id"), map[string]any{"channel": channel, "profiles": ids,
		"requests": rep.Requests, "notified": rep.Notified, "skipped": len(rep.Skipped)})
	s.renderProspects(w, r, http.StatusOK, &rep, channel)
	return nil
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
		s.policyRefusal(w, r, err)
		return nil
	}
	if d.Auto, err = pr.Library.List(ctx, policy.Filter{State: policy.Published, Mode: policy.Auto}); err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.render(w, r, http.StatusOK, "admin_batches.html", s.policyPage(r, "免申即享发放名单", d))
	return nil
}

func (s *Server) adminBatchCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	policyID, period := r.PostFormValue("policy"), strings.TrimSpace(r.PostFormValue("period"))
	rep, err := s.cfg.Policy.Results.CreateBatch(ctx, policyID, period, currentUser(r).Username)
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.audit(r, nil, "policy.batch.create", "batch:"+strconv.FormatInt(rep.Batch.ID, 10), map[string]any{
		"policy": policyID, "period": rep.Batch.Period, "people": rep.Batch.People, "enterprises": rep.Batch.Enterprises,
		"amount_fen": rep.Batch.AmountFen})
	http.Redirect(w, r, "/admin/policy-batches/"+strconv.FormatInt(rep.Batch.ID, 10)+"?done=created", http.StatusSeeOther)
	return nil
}

// batchData is one batch with its lines.
type batchData struct {
	Batch eligibility.Batch
	Lines []eligibility.Line
	// Mine: the viewer made the batch, so may not approve it.
	Mine bool
}

func (s *Server) batchID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "没有找到该名单。")
		return 0, false
	}
	return id, true
}

func (s *Server) adminBatch(w http.ResponseWriter, r *http.Request) error {
	id, ok := s.batchID(w, r)
	if !ok {
		return nil
	}
	b, lines, err := s.cfg.Policy.Results.Batch(r.Context(), id)
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	d := batchData{Batch: b, Lines: lines, Mine: b.CreatedBy == currentUser(r).Username}
	s.render(w, r, http.StatusOK, "admin_batch.html", s.policyPage(r, "发放名单 · "+b.Title, d))
	return nil
}

func (s *Server) adminBatchExport(w http.ResponseWriter, r *http.Request) error {
	id, ok := s.batchID(w, r)
	if !ok {
		return nil
	}
	var buf bytes.Buffer
	if err := s.cfg.Policy.Results.ExportBatch(r.Context(), &buf, id); err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.audit(r, nil, "policy.batch.export", "batch:"+strconv.FormatInt(id, 10), nil)
	writeXLSX(w, "batch.xlsx", "免申即享名单-"+strconv.FormatInt(id, 10)+".xlsx", buf.Bytes())
	return nil
}

// adminBatchDecide approves a batch (frozen, counted in the statistics)
// or returns it with a reason.
func (s *Server) adminBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, ok := s.batchID(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	actor := currentUser(r).Username
	note := strings.TrimSpace(r.PostFormValue("note"))
	var err error
	done, action := "approved", "policy.batch.approve"
	if strings.HasSuffix(r.URL.Path, "/return") {
		done, action = "rejected", "policy.batch.return"
		if note == "" {
			s.renderError(w, r, http.StatusUnprocessableEntity, "退回时请写明原因。")
			return nil
		}
		err = s.cfg.Policy.Results.ReturnBatch(ctx, id, actor, note)
	} else {
		err = s.cfg.Policy.Results.ApproveBatch(ctx, id, actor, note)
	}
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
	}
	s.audit(r, nil, action, "batch:"+strconv.FormatInt(id, 10), map[string]any{"note": note})
	http.Redirect(w, r, "/admin/policy-batches/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
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
			s.renderError(w, r, http.StatusBadRequest, "月份请写成 2026-01 的形式。")
			return nil
		}
	}
	st, err := s.cfg.Policy.Results.Stats(r.Context(), d.From, d.To)
	if err != nil {
		s.policyRefusal(w, r, err)
		return nil
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
