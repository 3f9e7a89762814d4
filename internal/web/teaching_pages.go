package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/teaching"
)

// The teachers' assistant's pages (教师助手): lesson plans from a form,
// revised section by section, every save a version, exported as .docx;
// the question bank (JSONL/XLSX import) and practice sets with a student
// copy and an answer key; a class's results as a mastery heat map, with
// personal practice sets and peer-help pairs the teacher approves; and
// drafts of answers to students' questions that a teacher edits before
// marking them shareable. Everything a model wrote carries its label.

// maxTeachingUpload is the request body limit of the bank and results
// imports.
const maxTeachingUpload = 10<<20 + 1<<20

func init() {
	for code, msg := range map[string]string{
		"teaching.plan_made":      "已生成教案（第1版），请逐部分审阅修改。",
		"teaching.plan_revised":   "已按要求修改，保存为第%s版。",
		"teaching.plan_edited":    "已保存修改，为第%s版。",
		"teaching.pairs_proposed": "已提出 %s 组待审核的互助建议。",
		"teaching.pair_approved":  "已批准该互助小组。",
		"teaching.pair_rejected":  "已否决该互助建议。",
		"teaching.draft_made":     "已生成草稿：请核对来源、修改后再标记为可共享。",
		"teaching.draft_edited":   "已保存修改。确认无误后可标记为可共享。",
		"teaching.draft_shared":   "已标记为可共享。",
	} {
		notices[code] = msg
	}
}

func (s *Server) teachingPage(r *http.Request, title string, data any) Page {
	return s.consolePage(r, "teaching", title, data)
}

// unreadable is the message for an import file the package could not
// read; the cause goes to the log.
func (s *Server) unreadable(r *http.Request, name string, err error) string {
	if isTeachingInput(err) {
		return "无法读取该文件：" + teachingMessage(err)
	}
	slog.InfoContext(r.Context(), "teaching import: file refused", "file", name, "err", err)
	return "无法读取该文件：请确认它是 UTF-8 编码的 JSONL 文件或 Excel（.xlsx）表格。"
}

// isTeachingInput reports whether err is the teaching package's word to
// the teacher about what they entered (its messages for people are
// Chinese; its failures are English and stay in the log).
func isTeachingInput(err error) bool {
	if err == nil {
		return false
	}
	msg, ok := strings.CutPrefix(err.Error(), "teaching: ")
	if !ok || msg == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(msg)
	return unicode.Is(unicode.Han, r)
}

// teachingMessage is a teaching error's message for the teacher (the
// package's messages are Chinese after their "teaching: " prefix).
func teachingMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "teaching: ")
}

// The teachers' assistant's refusals: what does not exist, and the two
// steps a draft must pass before it is shared.
var (
	errNoPlan    = refusal.Missing("teaching", "no_plan", "没有这份教案。")
	errNoClass   = refusal.Missing("teaching", "no_class", "没有这个班级的成绩，或没有这名学生。")
	errNoDraft   = refusal.Missing("teaching", "no_draft", "没有这份草稿。")
	errNoPair    = refusal.Clash("teaching", "pair_decided", "这组互助建议已经处理过，或不存在。")
	errNotEdited = refusal.Clash("teaching", "not_reviewed", "草稿须经教师修改确认后才能共享。")
	errUnsourced = refusal.Clash("teaching", "unsourced", "草稿没有任何来源，请补充出处后再共享。")
)

// teachingError reads a teaching error for fail: what does not exist as
// its refusal (what names the kind of thing), the draft checks as
// theirs, anything else as storage failing.
func teachingError(what string, err error) error {
	switch {
	case errors.Is(err, teaching.ErrNotFound):
		switch {
		case strings.Contains(what, "教案"):
			return fmt.Errorf("%w (%v)", errNoPlan, err)
		case strings.Contains(what, "草稿"):
			return fmt.Errorf("%w (%v)", errNoDraft, err)
		case strings.Contains(what, "互助"):
			return fmt.Errorf("%w (%v)", errNoPair, err)
		}
		return fmt.Errorf("%w (%v)", errNoClass, err)
	case errors.Is(err, teaching.ErrNotReviewed):
		return errNotEdited
	case errors.Is(err, teaching.ErrUnsourced):
		return errUnsourced
	}
	return unavailable("暂时无法读取教师助手的数据，请稍后再试。", fmt.Errorf("teaching %s: %w", what, err))
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

type teachingHomeData struct {
	Plans     int
	Questions int
	Classes   []teaching.ClassSummary
	Drafts    int
	Pending   int // drafts not yet shareable
}

func (s *Server) teachingHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st := s.cfg.Teaching
	var d teachingHomeData
	plans, err := st.Plans(ctx)
	if err != nil {
		return teachingError("教案", err)
	}
	qs, err := st.Questions(ctx)
	if err != nil {
		return teachingError("题库", err)
	}
	if d.Classes, err = st.Classes(ctx); err != nil {
		return teachingError("班级", err)
	}
	drafts, err := st.Drafts(ctx, "")
	if err != nil {
		return teachingError("答疑草稿", err)
	}
	d.Plans, d.Questions, d.Drafts = len(plans), len(qs), len(drafts)
	for _, x := range drafts {
		if x.Status != teaching.Shareable {
			d.Pending++
		}
	}
	s.render(w, r, http.StatusOK, "teaching.html", s.teachingPage(r, "教师助手", d))
	return nil
}

// --- Lesson plans ---

type plansData struct {
	Plans []teaching.PlanSummary
	Form  teaching.LessonForm
}

func (s *Server) teachingPlans(w http.ResponseWriter, r *http.Request) error {
	plans, err := s.cfg.Teaching.Plans(r.Context())
	if err != nil {
		return teachingError("教案", err)
	}
	d := plansData{Plans: plans, Form: teaching.LessonForm{Periods: 1}}
	s.render(w, r, http.StatusOK, "teaching_plans.html", s.teachingPage(r, "教案", d))
	return nil
}

func lessonForm(r *http.Request) teaching.LessonForm {
	f := teaching.LessonForm{Subject: strings.TrimSpace(r.FormValue("subject")), Grade: strings.TrimSpace(r.FormValue("grade")),
		Topic: strings.TrimSpace(r.FormValue("topic")), ClassProfile: strings.TrimSpace(r.FormValue("class_profile"))}
	f.Periods, _ = strconv.Atoi(strings.TrimSpace(r.FormValue("periods")))
	if f.Periods == 0 {
		f.Periods = 1
	}
	return f
}

func (s *Server) teachingPlanCreate(w http.ResponseWriter, r *http.Request) error {
	f := lessonForm(r)
	if err := f.Validate(); err != nil {
		plans, _ := s.cfg.Teaching.Plans(r.Context())
		p := s.teachingPage(r, "教案", plansData{Plans: plans, Form: f})
		p.Error = teachingMessage(err)
		s.render(w, r, http.StatusBadRequest, "teaching_plans.html", p)
		return nil
	}
	plan, err := s.cfg.Teaching.DraftPlan(r.Context(), f, currentUser(r).Username)
	if err != nil {
		return teachingError("教案", err)
	}
	s.audit(r, nil, "teaching.plan", fmt.Sprintf("plan:%d", plan.ID), map[string]any{"topic": f.Topic, "ai": plan.AI})
	s.back(w, r, fmt.Sprintf("/admin/teaching/plans/%d", plan.ID), "teaching.plan_made")
	return nil
}

type planData struct {
	Plan     *teaching.Plan
	Versions []teaching.PlanVersion
	Latest   int
	AILabel  string
}

func (s *Server) teachingPlan(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份教案。")
		return nil
	}
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	plan, err := s.cfg.Teaching.Plan(r.Context(), id, max(version, 0))
	if err != nil {
		return teachingError("教案", err)
	}
	vs, err := s.cfg.Teaching.Versions(r.Context(), id)
	if err != nil {
		return teachingError("教案", err)
	}
	d := planData{Plan: plan, Versions: vs, Latest: vs[len(vs)-1].Version, AILabel: teaching.AILabel}
	s.render(w, r, http.StatusOK, "teaching_plan.html", s.teachingPage(r, plan.Title, d))
	return nil
}

func (s *Server) teachingPlanRevise(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份教案。")
		return nil
	}
	key := r.FormValue("key")
	plan, err := s.cfg.Teaching.ReviseSection(r.Context(), id, key, r.FormValue("instruction"), currentUser(r).Username)
	switch {
	case errors.Is(err, teaching.ErrNotFound):
		return teachingError("教案", err)
	case isTeachingInput(err):
		// The instruction was empty or found nothing to add: say so on the plan.
		return s.planWithError(w, r, id, teachingMessage(err))
	case err != nil:
		return teachingError("教案", err)
	}
	s.back(w, r, fmt.Sprintf("/admin/teaching/plans/%d", id), "teaching.plan_revised", strconv.Itoa(plan.Version))
	return nil
}

// planWithError shows the latest version of a plan with a message.
func (s *Server) planWithError(w http.ResponseWriter, r *http.Request, id int64, msg string) error {
	plan, err := s.cfg.Teaching.Plan(r.Context(), id, 0)
	if err != nil {
		return teachingError("教案", err)
	}
	vs, err := s.cfg.Teaching.Versions(r.Context(), id)
	if err != nil {
		return teachingError("教案", err)
	}
	p := s.teachingPage(r, plan.Title, planData{Plan: plan, Versions: vs, Latest: vs[len(vs)-1].Version, AILabel: teaching.AILabel})
	p.Error = msg
	s.render(w, r, http.StatusBadRequest, "teaching_plan.html", p)
	return nil
}

func (s *Server) teachingPlanEdit(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份教案。")
		return nil
	}
	key := r.FormValue("key")
	plan, err := s.cfg.Teaching.EditSection(r.Context(), id, key, strings.Split(r.FormValue("lines"), "\n"), currentUser(r).Username)
	if err != nil {
		return teachingError("教案", err)
	}
	s.back(w, r, fmt.Sprintf("/admin/teaching/plans/%d", id), "teaching.plan_edited", strconv.Itoa(plan.Version))
	return nil
}

// sendDOCX writes a generated .docx as a download.
func sendDOCX(w http.ResponseWriter, name string, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename=\"download.docx\"; filename*=UTF-8''"+url.PathEscape(name+".docx"))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) teachingPlanDOCX(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份教案。")
		return nil
	}
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	plan, err := s.cfg.Teaching.Plan(r.Context(), id, max(version, 0))
	if err != nil {
		return teachingError("教案", err)
	}
	if err := sendDOCX(w, fmt.Sprintf("%s（第%d版）", plan.Title, plan.Version), func(b *bytes.Buffer) error { return teaching.WritePlanDOCX(b, plan) }); err != nil {
		return broken("文件生成失败，请稍后再试。", fmt.Errorf("teaching plan docx: %w", err))
	}
	return nil
}

// --- Question bank and practice sets ---

type bankData struct {
	Questions []teaching.Question
	Points    []string
	Types     []string
	Report    *teaching.ImportReport
	File      string
}

func (s *Server) bankData(r *http.Request) (bankData, error) {
	qs, err := s.cfg.Teaching.Questions(r.Context())
	if err != nil {
		return bankData{}, err
	}
	d := bankData{Questions: qs, Types: []string{teaching.Single, teaching.Multiple, teaching.TrueFalse, teaching.Blank, teaching.Answer}}
	seen := map[string]bool{}
	for _, q := range qs {
		for _, p := range q.Points {
			if !seen[p] {
				seen[p] = true
				d.Points = append(d.Points, p)
			}
		}
	}
	sort.Strings(d.Points)
	return d, nil
}

func (s *Server) teachingBank(w http.ResponseWriter, r *http.Request) error {
	d, err := s.bankData(r)
	if err != nil {
		return teachingError("题库", err)
	}
	s.render(w, r, http.StatusOK, "teaching_bank.html", s.teachingPage(r, "题库与组卷", d))
	return nil
}

// uploaded is the one file of an import form, or a message saying why not.
func uploaded(r *http.Request, exts ...string) (name string, data []byte, msg string) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		if tooLarge(err) {
			return "", nil, fmt.Sprintf("文件过大（不超过 %d MB）。", maxTeachingUpload>>20)
		}
		return "", nil, "请选择要导入的文件。"
	}
	defer f.Close()
	name = filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		return name, nil, "不支持的文件类型：请导入 " + strings.Join(exts, " 或 ") + " 文件。"
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return name, nil, "上传失败，请重试。"
	}
	return name, buf.Bytes(), ""
}

func (s *Server) teachingBankImport(w http.ResponseWriter, r *http.Request) error {
	name, data, msg := uploaded(r, ".jsonl", ".xlsx")
	status := http.StatusOK
	var rep teaching.ImportReport
	if msg == "" {
		var err error
		rep, err = s.cfg.Teaching.ImportQuestions(r.Context(), name, bytes.NewReader(data))
		if err != nil {
			msg, status = s.unreadable(r, name, err), http.StatusBadRequest
		} else {
			s.audit(r, nil, "teaching.bank.import", "bank", map[string]any{"file": name, "imported": rep.Imported, "problems": len(rep.Problems)})
		}
	} else {
		status = http.StatusBadRequest
	}
	d, err := s.bankData(r)
	if err != nil {
		return teachingError("题库", err)
	}
	if msg == "" {
		d.Report, d.File = &rep, name
	}
	p := s.teachingPage(r, "题库与组卷", d)
	p.Error = msg
	s.render(w, r, status, "teaching_bank.html", p)
	return nil
}

// setSpec reads a practice set's description from the query: points,
// n_<type> counts (or total), the easy:medium:hard profile, title, seed.
func setSpec(q url.Values) (teaching.SetSpec, string) {
	spec := teaching.SetSpec{Title: strings.TrimSpace(q.Get("title")), Points: q["points"], Types: map[string]int{}, Seed: q.Get("seed")}
	if spec.Title == "" {
		spec.Title = "课堂练习"
	}
	for _, t := range []string{teaching.Single, teaching.Multiple, teaching.TrueFalse, teaching.Blank, teaching.Answer} {
		if v := strings.TrimSpace(q.Get("n_" + t)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 50 {
				return spec, t + "题的数量应为 0–50 的整数。"
			}
			if n > 0 {
				spec.Types[t] = n
			}
		}
	}
	if len(spec.Types) == 0 {
		spec.Types = nil
		spec.Total, _ = strconv.Atoi(q.Get("total"))
		if spec.Total <= 0 || spec.Total > 100 {
			return spec, "请填写各题型的题数，或总题数（1–100）。"
		}
	}
	spec.Profile = teaching.DefaultProfile
	if e, m, h := q.Get("easy"), q.Get("medium"), q.Get("hard"); e+m+h != "" {
		var p [3]float64
		for i, v := range []string{e, m, h} {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if v != "" && (err != nil || f < 0) {
				return spec, "难度比例应为非负数，如 3 : 5 : 2。"
			}
			p[i] = f
		}
		if p[0]+p[1]+p[2] == 0 {
			return spec, "难度比例不能都为 0。"
		}
		spec.Profile = teaching.Profile{Easy: p[0], Medium: p[1], Hard: p[2]}
	}
	return spec, ""
}

type setData struct {
	bankData
	Set *teaching.PracticeSet
	// Query is the set's description, for the download links (the same
	// bank, description and seed build the same set).
	Query template.URL
	Spec  url.Values
}

func (s *Server) teachingSet(w http.ResponseWriter, r *http.Request) error {
	bd, err := s.bankData(r)
	if err != nil {
		return teachingError("题库", err)
	}
	q := r.URL.Query()
	q.Del("copy")
	d := setData{bankData: bd, Query: template.URL(q.Encode()), Spec: q}
	spec, msg := setSpec(r.URL.Query())
	if msg == "" {
		set, err := s.cfg.Teaching.BuildSet(r.Context(), spec)
		switch {
		case isTeachingInput(err):
			msg = teachingMessage(err)
		case err != nil:
			return teachingError("题库", err)
		default:
			d.Set = set
		}
	}
	p := s.teachingPage(r, "组卷", d)
	status := http.StatusOK
	if msg != "" {
		p.Error, status = msg, http.StatusBadRequest
	}
	s.render(w, r, status, "teaching_set.html", p)
	return nil
}

func docxCopy(r *http.Request) (teaching.Copy, string) {
	if r.URL.Query().Get("copy") == "key" {
		return teaching.AnswerKey, "（答案与解析）"
	}
	return teaching.StudentCopy, "（学生版）"
}

func (s *Server) teachingSetDOCX(w http.ResponseWriter, r *http.Request) error {
	spec, msg := setSpec(r.URL.Query())
	if msg != "" {
		s.renderError(w, r, http.StatusBadRequest, msg)
		return nil
	}
	set, err := s.cfg.Teaching.BuildSet(r.Context(), spec)
	if isTeachingInput(err) {
		s.renderError(w, r, http.StatusBadRequest, teachingMessage(err))
		return nil
	}
	if err != nil {
		return teachingError("题库", err)
	}
	c, suffix := docxCopy(r)
	if err := sendDOCX(w, set.Title+suffix, func(b *bytes.Buffer) error { return teaching.WriteSetDOCX(b, set, c) }); err != nil {
		return broken("文件生成失败，请稍后再试。", fmt.Errorf("teaching set docx: %w", err))
	}
	return nil
}

// --- Results, mastery, personal sets, pairs ---

type classesData struct {
	Classes []teaching.ClassSummary
	Report  *teaching.ImportReport
	File    string
}

func (s *Server) teachingClasses(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.cfg.Teaching.Classes(r.Context())
	if err != nil {
		return teachingError("班级", err)
	}
	s.render(w, r, http.StatusOK, "teaching_classes.html", s.teachingPage(r, "学情", classesData{Classes: cs}))
	return nil
}

func (s *Server) teachingResultsImport(w http.ResponseWriter, r *http.Request) error {
	name, data, msg := uploaded(r, ".jsonl", ".xlsx")
	status := http.StatusOK
	var d classesData
	if msg == "" {
		rep, err := s.cfg.Teaching.ImportResults(r.Context(), name, bytes.NewReader(data))
		if err != nil {
			msg = s.unreadable(r, name, err)
		} else {
			d.Report, d.File = &rep, name
			s.audit(r, nil, "teaching.results.import", "results", map[string]any{"file": name, "imported": rep.Imported, "problems": len(rep.Problems)})
		}
	}
	if msg != "" {
		status = http.StatusBadRequest
	}
	cs, err := s.cfg.Teaching.Classes(r.Context())
	if err != nil {
		return teachingError("班级", err)
	}
	d.Classes = cs
	p := s.teachingPage(r, "学情", d)
	p.Error = msg
	s.render(w, r, status, "teaching_classes.html", p)
	return nil
}

type heatCell struct {
	Level float64
	Class string // lv-weak, lv-mid, lv-strong, lv-none
	Text  string
}

type heatRow struct {
	Student string
	Cells   []heatCell
	Weak    int
}

type classData struct {
	Class   string
	Points  []string
	Rows    []heatRow
	Average []heatCell
	Pairs   []teaching.Pair
	Pending int
}

func heat(level float64) heatCell {
	switch {
	case level < 0:
		return heatCell{Level: level, Class: "lv-none", Text: "—"}
	case level < teaching.Weak:
		return heatCell{level, "lv-weak", fmt.Sprintf("%.0f%%", level*100)}
	case level < teaching.Strong:
		return heatCell{level, "lv-mid", fmt.Sprintf("%.0f%%", level*100)}
	}
	return heatCell{level, "lv-strong", fmt.Sprintf("%.0f%%", level*100)}
}

func (s *Server) teachingClass(w http.ResponseWriter, r *http.Request) error {
	class := r.PathValue("class")
	hm, err := s.cfg.Teaching.HeatMap(r.Context(), class)
	if err != nil {
		return teachingError("班级“"+class+"”的成绩", err)
	}
	pairs, err := s.cfg.Teaching.Pairs(r.Context(), class)
	if err != nil {
		return teachingError("互助小组", err)
	}
	d := classData{Class: class, Points: hm.Points, Pairs: pairs}
	for i, st := range hm.Students {
		row := heatRow{Student: st}
		for _, v := range hm.Cells[i] {
			c := heat(v)
			if c.Class == "lv-weak" {
				row.Weak++
			}
			row.Cells = append(row.Cells, c)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, v := range hm.Average {
		d.Average = append(d.Average, heat(v))
	}
	for _, p := range pairs {
		if p.Status == "proposed" {
			d.Pending++
		}
	}
	s.render(w, r, http.StatusOK, "teaching_class.html", s.teachingPage(r, class+" · 学情", d))
	return nil
}

func (s *Server) teachingPropose(w http.ResponseWriter, r *http.Request) error {
	class := r.PathValue("class")
	pairs, err := s.cfg.Teaching.ProposePairs(r.Context(), class)
	if err != nil {
		return teachingError("班级“"+class+"”的成绩", err)
	}
	n := 0
	for _, p := range pairs {
		if p.Status == "proposed" {
			n++
		}
	}
	s.back(w, r, "/admin/teaching/classes/"+url.PathEscape(class), "teaching.pairs_proposed", strconv.Itoa(n))
	return nil
}

func (s *Server) teachingPairDecide(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	action := r.PathValue("action")
	if !ok || action != "approve" && action != "reject" {
		s.renderError(w, r, http.StatusNotFound, "页面不存在。")
		return nil
	}
	class := r.FormValue("class")
	if err := s.cfg.Teaching.DecidePair(r.Context(), id, action == "approve", currentUser(r).Username); err != nil {
		if errors.Is(err, teaching.ErrNotFound) {
			s.renderError(w, r, http.StatusConflict, "这组互助建议已经处理过，或不存在。")
			return nil
		}
		return teachingError("互助小组", err)
	}
	s.audit(r, nil, "teaching.pair."+action, fmt.Sprintf("pair:%d", id), map[string]any{"class": class})
	code := "teaching.pair_approved"
	if action == "reject" {
		code = "teaching.pair_rejected"
	}
	s.back(w, r, "/admin/teaching/classes/"+url.PathEscape(class), code)
	return nil
}

type studentData struct {
	Class   string
	Student string
	Mastery []masteryView
	Set     *teaching.PracticeSet
	NoSet   string
	N       int
}

type masteryView struct {
	teaching.Mastery
	heatCell
}

func personalN(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if n <= 0 || n > 30 {
		n = 5
	}
	return n
}

func (s *Server) teachingStudent(w http.ResponseWriter, r *http.Request) error {
	class, student := r.PathValue("class"), r.PathValue("student")
	ms, err := s.cfg.Teaching.StudentMastery(r.Context(), class, student)
	if err != nil {
		return teachingError("学生“"+student+"”", err)
	}
	d := studentData{Class: class, Student: student, N: personalN(r)}
	for _, m := range ms {
		d.Mastery = append(d.Mastery, masteryView{m, heat(m.Level)})
	}
	set, err := s.cfg.Teaching.PersonalSet(r.Context(), class, student, d.N)
	switch {
	case errors.Is(err, teaching.ErrNotFound):
		return teachingError("学生“"+student+"”", err)
	case isTeachingInput(err):
		d.NoSet = teachingMessage(err)
	case err != nil:
		return teachingError("学生“"+student+"”", err)
	default:
		d.Set = set
	}
	s.render(w, r, http.StatusOK, "teaching_student.html", s.teachingPage(r, student+" · 个人练习", d))
	return nil
}

func (s *Server) teachingStudentDOCX(w http.ResponseWriter, r *http.Request) error {
	class, student := r.PathValue("class"), r.PathValue("student")
	set, err := s.cfg.Teaching.PersonalSet(r.Context(), class, student, personalN(r))
	if errors.Is(err, teaching.ErrNotFound) {
		return teachingError("学生“"+student+"”", err)
	}
	if isTeachingInput(err) {
		s.renderError(w, r, http.StatusConflict, teachingMessage(err))
		return nil
	}
	if err != nil {
		return teachingError("学生“"+student+"”", err)
	}
	c, suffix := docxCopy(r)
	if err := sendDOCX(w, set.Title+suffix, func(b *bytes.Buffer) error { return teaching.WriteSetDOCX(b, set, c) }); err != nil {
		return broken("文件生成失败，请稍后再试。", fmt.Errorf("teaching personal docx: %w", err))
	}
	return nil
}

// --- Drafts of answers to students' questions ---

type draftsData struct {
	Drafts   []*teaching.Draft
	Question string
}

func (s *Server) teachingDrafts(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.cfg.Teaching.Drafts(r.Context(), "")
	if err != nil {
		return teachingError("答疑草稿", err)
	}
	s.render(w, r, http.StatusOK, "teaching_drafts.html", s.teachingPage(r, "学生答疑", draftsData{Drafts: ds}))
	return nil
}

func (s *Server) teachingDraftCreate(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.FormValue("question"))
	if q == "" {
		ds, _ := s.cfg.Teaching.Drafts(r.Context(), "")
		p := s.teachingPage(r, "学生答疑", draftsData{Drafts: ds})
		p.Error = "请粘贴学生的问题。"
		s.render(w, r, http.StatusBadRequest, "teaching_drafts.html", p)
		return nil
	}
	d, err := s.cfg.Teaching.DraftAnswer(r.Context(), q, currentUser(r).Username)
	if err != nil {
		return teachingError("答疑草稿", err)
	}
	s.back(w, r, fmt.Sprintf("/admin/teaching/drafts/%d", d.ID), "teaching.draft_made")
	return nil
}

func (s *Server) teachingDraft(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份草稿。")
		return nil
	}
	d, err := s.cfg.Teaching.Draft(r.Context(), id)
	if err != nil {
		return teachingError("答疑草稿", err)
	}
	s.render(w, r, http.StatusOK, "teaching_draft.html", s.teachingPage(r, "答疑草稿", d))
	return nil
}

func (s *Server) teachingDraftEdit(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份草稿。")
		return nil
	}
	d, err := s.cfg.Teaching.EditDraft(r.Context(), id, r.FormValue("answer"), r.FormValue("source"), currentUser(r).Username)
	if err != nil && !isTeachingInput(err) {
		return teachingError("答疑草稿", err)
	}
	if err != nil {
		old, lerr := s.cfg.Teaching.Draft(r.Context(), id)
		if lerr != nil {
			return teachingError("答疑草稿", lerr)
		}
		p := s.teachingPage(r, "答疑草稿", old)
		p.Error = teachingMessage(err)
		s.render(w, r, http.StatusBadRequest, "teaching_draft.html", p)
		return nil
	}
	s.back(w, r, fmt.Sprintf("/admin/teaching/drafts/%d", d.ID), "teaching.draft_edited")
	return nil
}

func (s *Server) teachingDraftShare(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "没有这份草稿。")
		return nil
	}
	d, err := s.cfg.Teaching.MarkShareable(r.Context(), id, currentUser(r).Username)
	if errors.Is(err, teaching.ErrNotReviewed) || errors.Is(err, teaching.ErrUnsourced) {
		old, lerr := s.cfg.Teaching.Draft(r.Context(), id)
		if lerr != nil {
			return teachingError("答疑草稿", lerr)
		}
		p := s.teachingPage(r, "答疑草稿", old)
		p.Error = teachingMessage(err)
		s.render(w, r, http.StatusConflict, "teaching_draft.html", p)
		return nil
	}
	if err != nil {
		return teachingError("答疑草稿", err)
	}
	s.audit(r, nil, "teaching.draft.share", fmt.Sprintf("draft:%d", id), map[string]any{"ai": d.AI, "sources": len(d.Sources)})
	s.back(w, r, fmt.Sprintf("/admin/teaching/drafts/%d", id), "teaching.draft_shared")
	return nil
}
