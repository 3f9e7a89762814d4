package teaching

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// LessonForm is what a teacher fills in to get a plan.
type LessonForm struct {
	Subject      string `json:"subject"`       // 数学
	Grade        string `json:"grade"`         // 七年级
	Topic        string `json:"topic"`         // 一元一次方程的解法
	Periods      int    `json:"periods"`       // 课时, 45 minutes each
	ClassProfile string `json:"class_profile"` // 学情: 班级情况
}

// Validate reports what a form lacks.
func (f LessonForm) Validate() error {
	var missing []string
	if strings.TrimSpace(f.Subject) == "" {
		missing = append(missing, "学科")
	}
	if strings.TrimSpace(f.Grade) == "" {
		missing = append(missing, "年级")
	}
	if strings.TrimSpace(f.Topic) == "" {
		missing = append(missing, "课题")
	}
	if len(missing) > 0 {
		return fmt.Errorf("teaching: 教案表单缺少%s", strings.Join(missing, "、"))
	}
	if f.Periods < 0 || f.Periods > 20 {
		return fmt.Errorf("teaching: 课时数 %d 不在 1–20 之间", f.Periods)
	}
	return nil
}

// The sections of a plan, in the usual order.
var sectionOrder = []struct{ key, title string }{
	{"objectives", "教学目标（核心素养）"},
	{"key_points", "教学重点"},
	{"difficulties", "教学难点"},
	{"methods", "教学方法"},
	{"process", "教学过程"},
	{"board", "板书设计"},
	{"homework", "作业布置"},
	{"reflection", "教学反思"},
}

// Section is one part of a plan.
type Section struct {
	Key   string   `json:"key"`
	Title string   `json:"title"`
	Lines []string `json:"lines"`
	// Sources are indexes into the plan's Sources this section draws on.
	Sources []int `json:"sources,omitempty"`
	// Unsourced says the collection had nothing for this section: the
	// teacher must fill it.
	Unsourced bool `json:"unsourced,omitempty"`
	// AI says a model wrote this section.
	AI bool `json:"ai,omitempty"`
}

// Plan is one version of a lesson plan.
type Plan struct {
	ID        int64      `json:"id"`
	Version   int        `json:"version"`
	Title     string     `json:"title"`
	Form      LessonForm `json:"form"`
	Sections  []Section  `json:"sections"`
	Sources   []Source   `json:"sources"`
	AI        bool       `json:"ai"` // some section was written by a model
	Note      string     `json:"note,omitempty"`
	CreatedBy string     `json:"created_by"`
	CreatedAt store.Time `json:"created_at"`
	// Fallback says why a model draft was not used.
	Fallback string `json:"fallback,omitempty"`
}

// Section returns the section with a key.
func (p *Plan) Section(key string) (*Section, bool) {
	for i := range p.Sections {
		if p.Sections[i].Key == key {
			return &p.Sections[i], true
		}
	}
	return nil, false
}

// DraftPlan makes a plan from a form, grounded in the collection, and
// saves it as version 1. With a model the sections are the model's,
// labelled; without one (or when the model fails) a template is filled
// from the collection.
func (s *Store) DraftPlan(ctx context.Context, f LessonForm, teacher string) (*Plan, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.Periods == 0 {
		f.Periods = 1
	}
	p, err := s.templatePlan(ctx, f)
	if err != nil {
		return nil, err
	}
	if s.opt.Model != nil {
		if err := s.modelPlan(ctx, p); err != nil {
			p.Fallback = err.Error()
		}
	}
	p.CreatedBy = teacher
	if err := s.savePlan(ctx, p, "初稿"); err != nil {
		return nil, err
	}
	return p, nil
}

// competencies are the core competencies (核心素养) per subject of the
// 2022 compulsory-education curriculum standards.
var competencies = map[string][]string{
	"数学":    {"抽象能力", "运算能力", "推理能力", "模型观念"},
	"语文":    {"文化自信", "语言运用", "思维能力", "审美创造"},
	"英语":    {"语言能力", "文化意识", "思维品质", "学习能力"},
	"物理":    {"物理观念", "科学思维", "科学探究", "科学态度与责任"},
	"化学":    {"化学观念", "科学思维", "科学探究与实践", "科学态度与责任"},
	"生物":    {"生命观念", "科学思维", "探究实践", "态度责任"},
	"历史":    {"唯物史观", "时空观念", "史料实证", "历史解释", "家国情怀"},
	"地理":    {"人地协调观", "综合思维", "区域认知", "地理实践力"},
	"道德与法治": {"政治认同", "道德修养", "法治观念", "健全人格", "责任意识"},
}

// sectionSources say, per section, what to search the collection for
// and which headings of the found passages belong to it.
var sectionSources = map[string]struct {
	query    string
	headings []string
}{
	"objectives":   {"教学目标 核心素养", []string{"教学目标", "素养"}},
	"key_points":   {"教学重点", []string{"重点"}},
	"difficulties": {"教学难点 易错点", []string{"难点", "易错"}},
	"methods":      {"教学方法 教学建议", []string{"教学方法", "方法建议", "教学建议", "教学策略"}},
	"process":      {"情境导入 例题 活动", []string{"例题", "情境", "导入", "活动"}},
	"board":        {"知识要点 概念 步骤", []string{"知识要点", "要点", "概念", "步骤"}},
	"homework":     {"作业建议 练习", []string{"作业", "练习", "巩固"}},
}

// templatePlan fills the plan's sections from the collection: for each
// section a search for the topic and the section's name, keeping the
// passages whose headings name that section (教学目标, 重点, 难点, 例题 …);
// a section the collection says nothing about is marked for the teacher.
func (s *Store) templatePlan(ctx context.Context, f LessonForm) (*Plan, error) {
	p := &Plan{Title: f.Topic + "（" + f.Subject + " " + f.Grade + "）教案", Form: f}
	index := map[string]int{}
	pick := func(key string) ([]int, error) {
		spec := sectionSources[key]
		found, err := s.search(ctx, f.Subject+" "+f.Grade+" "+f.Topic+" "+spec.query, 8)
		if err != nil {
			return nil, err
		}
		var out []int
		for _, src := range found {
			match := false
			for _, h := range spec.headings {
				match = match || strings.Contains(src.Section, h)
			}
			if !match {
				continue
			}
			k := src.Cite()
			i, ok := index[k]
			if !ok {
				i = len(p.Sources)
				index[k] = i
				p.Sources = append(p.Sources, src)
			}
			out = append(out, i)
		}
		return out, nil
	}
	sources := func() []Source { return p.Sources }
	lines := func(idx []int, max int) []string {
		var out []string
		for _, i := range idx {
			for _, l := range strings.Split(body(sources()[i]), "\n") {
				if l = strings.TrimSpace(l); l != "" && len(out) < max {
					out = append(out, l+"（见"+sources()[i].Cite()+"）")
				}
			}
		}
		return out
	}
	add := func(key string, ls []string, src []int) {
		sec := Section{Key: key, Lines: ls, Sources: src}
		for _, so := range sectionOrder {
			if so.key == key {
				sec.Title = so.title
			}
		}
		if len(ls) == 0 {
			sec.Unsourced, sec.Sources = true, nil
			sec.Lines = []string{"（教学资源库中没有相关材料，请教师补充。）"}
		}
		p.Sections = append(p.Sections, sec)
	}
	picked := map[string][]int{}
	for _, so := range sectionOrder {
		if _, ok := sectionSources[so.key]; !ok {
			continue
		}
		idx, err := pick(so.key)
		if err != nil {
			return nil, err
		}
		picked[so.key] = idx
	}
	objLines := lines(picked["objectives"], 6)
	if len(objLines) > 0 {
		if comp := competencies[f.Subject]; len(comp) > 0 {
			objLines = append([]string{"围绕" + strings.Join(comp, "、") + "等核心素养："}, objLines...)
		}
	}
	add("objectives", objLines, picked["objectives"])
	add("key_points", lines(picked["key_points"], 4), picked["key_points"])
	add("difficulties", lines(picked["difficulties"], 4), picked["difficulties"])
	methods := lines(picked["methods"], 4)
	if prof := strings.TrimSpace(f.ClassProfile); prof != "" && len(methods) > 0 {
		methods = append(methods, "结合学情："+prof)
	}
	add("methods", methods, picked["methods"])
	add("process", processLines(f, p.Sources, picked["process"]), picked["process"])
	var boardLines []string
	for _, i := range picked["board"] {
		if first := firstSentence(body(p.Sources[i])); first != "" && len(boardLines) < 4 {
			boardLines = append(boardLines, first)
		}
	}
	if len(boardLines) > 0 {
		boardLines = append([]string{f.Topic}, boardLines...)
	}
	add("board", boardLines, picked["board"])
	add("homework", lines(picked["homework"], 4), picked["homework"])
	p.Sections = append(p.Sections, Section{Key: "reflection", Title: "教学反思",
		Lines: []string{"（课后由教师填写：目标达成情况、学生易错点、改进措施。）"}})
	return p, nil
}

// processLines lays the periods out with timing: 导入, 新授, 练习, 小结,
// 作业 in a 45-minute period, the collection's examples and activities in
// the middle.
func processLines(f LessonForm, sources []Source, ex []int) []string {
	var out []string
	for period := 1; period <= max(f.Periods, 1); period++ {
		prefix := ""
		if f.Periods > 1 {
			prefix = fmt.Sprintf("第%d课时 ", period)
		}
		out = append(out, prefix+"环节一 情境导入（5分钟）：从生活实例引出“"+f.Topic+"”。")
		activity := "讲解概念与方法，师生共同完成例题"
		if len(ex) > 0 {
			i := ex[(period-1)%len(ex)]
			activity += "：" + firstSentence(body(sources[i])) + "（见" + sources[i].Cite() + "）"
		}
		out = append(out, prefix+"环节二 新知探究（18分钟）："+activity+"。")
		out = append(out, prefix+"环节三 巩固练习（12分钟）：分层练习，教师巡视，针对性讲评。")
		out = append(out, prefix+"环节四 课堂小结（5分钟）：学生归纳本课要点，教师补充。")
		out = append(out, prefix+"环节五 布置作业（5分钟）：见“作业布置”。")
	}
	return out
}

// body is a source's text without a leading article label.
func body(s Source) string {
	t := s.Text
	if strings.HasPrefix(t, s.Section) {
		t = strings.TrimSpace(strings.TrimPrefix(t, s.Section))
	}
	return t
}

func firstSentence(s string) string {
	s = strings.TrimSpace(strings.Split(s, "\n")[0])
	if i := strings.IndexAny(s, "。；"); i > 0 {
		return s[:i]
	}
	return s
}

const planSystem = `你是中学教研员，帮助教师写教案。只能依据给出的教学资料和表单，不得编造资料中没有的事实、数据或出处。
输出一个 JSON 对象，不要输出其他文字：{"sections":[{"key":"objectives","lines":["…"]},…]}
key 依次为 objectives（教学目标，按核心素养写）、key_points（教学重点）、difficulties（教学难点）、methods（教学方法）、process（教学过程，每个环节注明分钟数）、board（板书设计）、homework（作业布置）、reflection（教学反思提纲）。
每行引用资料时在行末用（见《文档名》章节）注明来源。`

// modelPlan replaces the template's sections with the model's, keeping
// the template when the reply is unusable.
func (s *Store) modelPlan(ctx context.Context, p *Plan) error {
	var user strings.Builder
	f := p.Form
	fmt.Fprintf(&user, "学科：%s\n年级：%s\n课题：%s\n课时：%d（每课时45分钟）\n学情：%s\n\n教学资料：\n", f.Subject, f.Grade, f.Topic, f.Periods, f.ClassProfile)
	for _, src := range p.Sources {
		fmt.Fprintf(&user, "%s：%s\n", src.Cite(), body(src))
	}
	reply, err := s.complete(ctx, planSystem, user.String())
	if err != nil {
		return err
	}
	secs, err := parseSections(reply)
	if err != nil {
		return err
	}
	for _, so := range sectionOrder {
		got, ok := secs[so.key]
		if !ok || len(got) == 0 {
			return fmt.Errorf("teaching: model left out %s", so.title)
		}
	}
	for i := range p.Sections {
		sec := &p.Sections[i]
		sec.Lines, sec.AI, sec.Unsourced = secs[sec.Key], true, false
		sec.Sources = citedSources(sec.Lines, p.Sources)
	}
	p.AI = true
	return nil
}

// parseSections reads the model's JSON, tolerating a code fence.
func parseSections(reply string) (map[string][]string, error) {
	reply = strings.TrimSpace(reply)
	reply = strings.TrimPrefix(strings.TrimPrefix(reply, "```json"), "```")
	reply = strings.TrimSuffix(strings.TrimSpace(reply), "```")
	var v struct {
		Sections []struct {
			Key   string   `json:"key"`
			Lines []string `json:"lines"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(reply), &v); err != nil {
		return nil, fmt.Errorf("teaching: model reply is not the JSON asked for: %w", err)
	}
	out := map[string][]string{}
	for _, s := range v.Sections {
		for _, l := range s.Lines {
			if l = strings.TrimSpace(l); l != "" {
				out[s.Key] = append(out[s.Key], l)
			}
		}
	}
	return out, nil
}

// citedSources lists the sources the lines name.
func citedSources(lines []string, sources []Source) []int {
	var out []int
	all := strings.Join(lines, "\n")
	for i, s := range sources {
		if strings.Contains(all, "《"+s.Document+"》") && strings.Contains(all, s.Section) {
			out = append(out, i)
		}
	}
	return out
}

// EditSection saves a new version with one section replaced by the
// teacher's own lines.
func (s *Store) EditSection(ctx context.Context, planID int64, key string, lines []string, teacher string) (*Plan, error) {
	p, sec, err := s.latestSection(ctx, planID, key)
	if err != nil {
		return nil, err
	}
	sec.Lines, sec.AI, sec.Unsourced = nonBlank(lines), false, false
	p.CreatedBy, p.Fallback = teacher, ""
	if err := s.savePlan(ctx, p, "教师修改："+sec.Title); err != nil {
		return nil, err
	}
	return p, nil
}

// ReviseSection saves a new version with one section revised by an
// instruction (“增加一个生活中的例子”). With a model, the model rewrites
// that section from the instruction and the collection; without one the
// instruction becomes a search of the collection and what it finds is
// added to the section, with its sources.
func (s *Store) ReviseSection(ctx context.Context, planID int64, key, instruction, teacher string) (*Plan, error) {
	instruction = strings.TrimSpace(instruction)
	if instruction == "" {
		return nil, errors.New("teaching: 修改要求为空")
	}
	p, sec, err := s.latestSection(ctx, planID, key)
	if err != nil {
		return nil, err
	}
	found, err := s.search(ctx, p.Form.Topic+" "+instruction, 3)
	if err != nil {
		return nil, err
	}
	base := len(p.Sources)
	p.Sources = append(p.Sources, found...)
	p.Fallback = ""
	if s.opt.Model != nil {
		var user strings.Builder
		fmt.Fprintf(&user, "课题：%s\n要修改的部分：%s\n现有内容：\n%s\n修改要求：%s\n可用资料：\n", p.Form.Topic, sec.Title, strings.Join(sec.Lines, "\n"), instruction)
		for _, src := range p.Sources {
			fmt.Fprintf(&user, "%s：%s\n", src.Cite(), body(src))
		}
		reply, err := s.complete(ctx, "你帮助教师修改教案的一个部分。只依据给出的资料，每行一条，引用资料时在行末注明（见《文档名》章节）。只输出修改后的内容。", user.String())
		if err == nil && strings.TrimSpace(reply) != "" {
			sec.Lines, sec.AI, sec.Unsourced = nonBlank(strings.Split(reply, "\n")), true, false
			sec.Sources = citedSources(sec.Lines, p.Sources)
			p.AI = true
		} else {
			p.Fallback = fmt.Sprint(err)
		}
	}
	if !sec.AI || p.Fallback != "" {
		if len(found) == 0 {
			return nil, fmt.Errorf("teaching: 教学资源库中没有与“%s”相关的材料，请直接编辑该部分", instruction)
		}
		if sec.Unsourced {
			sec.Lines, sec.Unsourced = nil, false
		}
		for i, src := range found {
			sec.Lines = append(sec.Lines, "（按“"+instruction+"”补充）"+firstSentence(body(src))+"（见"+src.Cite()+"）")
			sec.Sources = append(sec.Sources, base+i)
		}
	}
	p.CreatedBy = teacher
	if err := s.savePlan(ctx, p, "按要求修改："+sec.Title+"："+instruction); err != nil {
		return nil, err
	}
	return p, nil
}

// latestSection loads a plan's latest version and one of its sections.
func (s *Store) latestSection(ctx context.Context, planID int64, key string) (*Plan, *Section, error) {
	p, err := s.Plan(ctx, planID, 0)
	if err != nil {
		return nil, nil, err
	}
	sec, ok := p.Section(key)
	if !ok {
		return nil, nil, fmt.Errorf("teaching: plan %d has no section %q", planID, key)
	}
	return p, sec, nil
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

type planBody struct {
	Sections []Section `json:"sections"`
	Sources  []Source  `json:"sources"`
	Fallback string    `json:"fallback,omitempty"`
}

// savePlan stores p as a new plan (ID 0) or the next version of its plan.
func (s *Store) savePlan(ctx context.Context, p *Plan, note string) error {
	form, _ := json.Marshal(p.Form)
	b, _ := json.Marshal(planBody{p.Sections, p.Sources, p.Fallback})
	now := s.now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if p.ID == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO teaching_plans (title, form, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
				p.Title, string(form), p.CreatedBy, now).Scan(&p.ID); err != nil {
				return fmt.Errorf("teaching: save plan: %w", err)
			}
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM teaching_plan_versions WHERE plan_id = ?`, p.ID).Scan(&p.Version); err != nil {
			return err
		}
		p.Note, p.CreatedAt = note, now
		_, err := tx.Exec(ctx, `INSERT INTO teaching_plan_versions (plan_id, version, body, ai, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.Version, string(b), boolInt(p.AI), note, p.CreatedBy, now)
		if err != nil {
			return fmt.Errorf("teaching: save plan version: %w", err)
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Plan loads a plan at a version (0: the latest).
func (s *Store) Plan(ctx context.Context, id int64, version int) (*Plan, error) {
	p := &Plan{ID: id}
	var form, b string
	var ai int
	q := `SELECT p.title, p.form, v.version, v.body, v.ai, v.note, v.created_by, v.created_at
		FROM teaching_plans p JOIN teaching_plan_versions v ON v.plan_id = p.id WHERE p.id = ?`
	args := []any{id}
	if version > 0 {
		q += ` AND v.version = ?`
		args = append(args, version)
	}
	err := s.db.QueryRow(ctx, q+` ORDER BY v.version DESC LIMIT 1`, args...).Scan(&p.Title, &form, &p.Version, &b, &ai, &p.Note, &p.CreatedBy, &p.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("plan %d version %d: %w", id, version, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("teaching: load plan %d: %w", id, err)
	}
	var pb planBody
	if err := json.Unmarshal([]byte(form), &p.Form); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(b), &pb); err != nil {
		return nil, err
	}
	p.Sections, p.Sources, p.Fallback, p.AI = pb.Sections, pb.Sources, pb.Fallback, ai == 1
	return p, nil
}

// PlanVersion is one line of a plan's history.
type PlanVersion struct {
	Version   int        `json:"version"`
	Note      string     `json:"note"`
	AI        bool       `json:"ai"`
	CreatedBy string     `json:"created_by"`
	CreatedAt store.Time `json:"created_at"`
}

// Versions lists a plan's versions, oldest first.
func (s *Store) Versions(ctx context.Context, id int64) ([]PlanVersion, error) {
	rows, err := s.db.Query(ctx, `SELECT version, note, ai, created_by, created_at FROM teaching_plan_versions WHERE plan_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("teaching: plan history: %w", err)
	}
	defer rows.Close()
	var out []PlanVersion
	for rows.Next() {
		var v PlanVersion
		var ai int
		if err := rows.Scan(&v.Version, &v.Note, &ai, &v.CreatedBy, &v.CreatedAt); err != nil {
			return nil, err
		}
		v.AI = ai == 1
		out = append(out, v)
	}
	if len(out) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("plan %d: %w", id, ErrNotFound)
	}
	return out, rows.Err()
}

// PlanSummary is one line of the list of plans.
type PlanSummary struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Versions  int        `json:"versions"`
	CreatedBy string     `json:"created_by"`
	UpdatedAt store.Time `json:"updated_at"`
}

// Plans lists every plan, the latest changed first.
func (s *Store) Plans(ctx context.Context) ([]PlanSummary, error) {
	rows, err := s.db.Query(ctx, `SELECT p.id, p.title, p.created_by, COUNT(*), MAX(v.created_at)
		FROM teaching_plans p JOIN teaching_plan_versions v ON v.plan_id = p.id
		GROUP BY p.id, p.title, p.created_by ORDER BY MAX(v.created_at) DESC, p.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("teaching: list plans: %w", err)
	}
	defer rows.Close()
	var out []PlanSummary
	for rows.Next() {
		var p PlanSummary
		if err := rows.Scan(&p.ID, &p.Title, &p.CreatedBy, &p.Versions, &p.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
