package teaching

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var sets = []store.Migrations{library.Migrations, Migrations}

func fixedNow() time.Time { return time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC) }

// demo opens a library and a store holding the teachers' demo.
func demo(t *testing.T, db *store.DB, model Model) (*Store, *library.Library) {
	t.Helper()
	ctx := context.Background()
	lib, err := library.Open(ctx, db, library.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	teacher := library.Viewer{Staff: true, Role: "teacher"}
	s := NewStore(db, Options{Retriever: FromLibrary(lib, DemoCollection, teacher), Model: model, ModelName: llmtest.ChatModel, Now: fixedNow})
	if err := LoadDemo(ctx, s, lib, data.Library()); err != nil {
		t.Fatal(err)
	}
	return s, lib
}

// docxText is the text of a .docx's body, for assertions.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			raw, _ := io.ReadAll(rc)
			rc.Close()
			var out strings.Builder
			s := string(raw)
			for {
				i := strings.Index(s, "<w:t")
				if i < 0 {
					break
				}
				s = s[i:]
				j := strings.Index(s, ">")
				k := strings.Index(s, "</w:t>")
				if j < 0 || k < 0 {
					break
				}
				if j < k {
					out.WriteString(s[j+1 : k])
				}
				s = s[k+6:]
				if strings.HasPrefix(s, "</w:r></w:p>") {
					out.WriteByte('\n')
				}
			}
			return out.String()
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func TestLessonPlanWithoutModel(t *testing.T) {
	t.Parallel()
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := demo(t, db, nil)
		form := LessonForm{Subject: "数学", Grade: "七年级", Topic: "解一元一次方程（移项）", Periods: 2, ClassProfile: "学生计算基础一般，移项常出错"}
		p, err := s.DraftPlan(ctx, form, "李老师")
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.AI || len(p.Sections) != 8 || len(p.Sources) == 0 {
			t.Fatalf("plan v%d ai=%v sections=%d sources=%d", p.Version, p.AI, len(p.Sections), len(p.Sources))
		}
		for _, key := range []string{"objectives", "key_points", "difficulties", "methods", "process", "homework"} {
			sec, _ := p.Section(key)
			if sec.Unsourced || len(sec.Sources) == 0 {
				t.Errorf("%s: unsourced %v, sources %v, lines %q", key, sec.Unsourced, sec.Sources, sec.Lines)
			}
			for _, i := range sec.Sources {
				if !strings.Contains(p.Sources[i].Document, "一元一次方程") {
					t.Errorf("%s draws on %s", key, p.Sources[i].Cite())
				}
			}
		}
		proc, _ := p.Section("process")
		if !strings.HasPrefix(proc.Lines[0], "第1课时") || !strings.Contains(strings.Join(proc.Lines, ""), "第2课时") || !strings.Contains(proc.Lines[0], "5分钟") {
			t.Errorf("process %q", proc.Lines)
		}
		obj, _ := p.Section("objectives")
		if !strings.Contains(obj.Lines[0], "运算能力") {
			t.Errorf("objectives do not name the core competencies: %q", obj.Lines)
		}
		// Revise a section by instruction (no model: the collection is searched).
		p2, err := s.ReviseSection(ctx, p.ID, "difficulties", "补充学生常见的去分母错误", "李老师")
		if err != nil {
			t.Fatal(err)
		}
		dif, _ := p2.Section("difficulties")
		if p2.Version != 2 || !strings.Contains(strings.Join(dif.Lines, "\n"), "按“补充学生常见的去分母错误”补充") {
			t.Errorf("revised v%d %q", p2.Version, dif.Lines)
		}
		p3, err := s.EditSection(ctx, p.ID, "reflection", []string{"本节课移项错误明显减少。", ""}, "李老师")
		if err != nil {
			t.Fatal(err)
		}
		if ref, _ := p3.Section("reflection"); p3.Version != 3 || len(ref.Lines) != 1 {
			t.Errorf("edit v%d %q", p3.Version, ref.Lines)
		}
		hist, err := s.Versions(ctx, p.ID)
		if err != nil || len(hist) != 3 || hist[0].Note != "初稿" || !strings.Contains(hist[1].Note, "去分母") {
			t.Errorf("history %+v %v", hist, err)
		}
		v1, err := s.Plan(ctx, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if d1, _ := v1.Section("difficulties"); len(d1.Lines) >= len(dif.Lines) {
			t.Errorf("version 1 changed: %q", d1.Lines)
		}
		if _, err := s.Plan(ctx, p.ID, 9); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing version: %v", err)
		}
		var buf bytes.Buffer
		if err := WritePlanDOCX(&buf, p3); err != nil {
			t.Fatal(err)
		}
		text := docxText(t, buf.Bytes())
		for _, want := range []string{"解一元一次方程（移项）（数学 七年级）教案", "一、教学目标（核心素养）", "五、教学过程", "九、参考资料", "《解一元一次方程教学参考（七年级数学·演示资料）》"} {
			if !strings.Contains(text, want) {
				t.Errorf("docx lacks %q", want)
			}
		}
		if strings.Contains(text, "人工智能") {
			t.Error("a template plan carries the AI label")
		}
	})
}

func TestLessonPlanWithModel(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t)
	s, _ := demo(t, storetest.Open(t, store.SQLite, sets...), chat{srv.Client(t)})
	ctx := context.Background()
	form := LessonForm{Subject: "数学", Grade: "七年级", Topic: "实际问题与一元一次方程", Periods: 1}
	var secs []string
	for _, k := range []string{"objectives", "key_points", "difficulties", "methods", "process", "board", "homework", "reflection"} {
		secs = append(secs, fmt.Sprintf(`{"key":%q,"lines":["%s的内容（见《实际问题与一元一次方程教学参考（七年级数学·演示资料）》教学重点）"]}`, k, k))
	}
	srv.Enqueue(llmtest.Reply{Text: "```json\n{\"sections\":[" + strings.Join(secs, ",") + "]}\n```"})
	p, err := s.DraftPlan(ctx, form, "李老师")
	if err != nil {
		t.Fatal(err)
	}
	if !p.AI || p.Fallback != "" {
		t.Fatalf("ai %v fallback %q", p.AI, p.Fallback)
	}
	for _, sec := range p.Sections {
		if !sec.AI || len(sec.Sources) == 0 {
			t.Errorf("%s: ai %v sources %v", sec.Key, sec.AI, sec.Sources)
		}
	}
	var buf bytes.Buffer
	if err := WritePlanDOCX(&buf, p); err != nil {
		t.Fatal(err)
	}
	if text := docxText(t, buf.Bytes()); !strings.Contains(text, "（AI生成，待审核）") || !strings.Contains(text, "人工智能") {
		t.Errorf("model plan export lacks the AI labels")
	}
	// A reply that leaves sections out falls back to the template.
	srv.Enqueue(llmtest.Reply{Text: `{"sections":[{"key":"objectives","lines":["x"]}]}`})
	p2, err := s.DraftPlan(ctx, form, "李老师")
	if err != nil {
		t.Fatal(err)
	}
	if p2.AI || !strings.Contains(p2.Fallback, "left out") {
		t.Errorf("partial reply: ai %v fallback %q", p2.AI, p2.Fallback)
	}
	srv.Enqueue(llmtest.Reply{Fail: llmtest.Status500})
	if p3, err := s.DraftPlan(ctx, form, "李老师"); err != nil || p3.AI || p3.Fallback == "" {
		t.Errorf("model down: %v %+v", err, p3)
	}
	if _, err := s.DraftPlan(ctx, LessonForm{Subject: "数学"}, "李老师"); err == nil || !strings.Contains(err.Error(), "年级、课题") {
		t.Errorf("empty form: %v", err)
	}
}

type chat struct{ c *llm.Client }

func (m chat) Complete(ctx context.Context, system, user string) (string, error) {
	r, err := m.c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleSystem, Content: system}, {Role: llm.RoleUser, Content: user}}})
	return r.Content, err
}

func TestQuestionImport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db, Options{Now: fixedNow})
		jsonl := `{"id":"Q1","type":"单选","stem":"1+1=","options":["1","2"],"answer":"B","points":["加法"],"difficulty":1}
not json
{"id":"Q2","type":"选择","stem":"x","answer":"A","points":["加法"],"difficulty":1}
{"id":"Q3","type":"填空题","stem":"2+2=____","answer":"4","points":["加法"],"difficulty":7}

{"id":"Q4","type":"解答","stem":"解方程x+1=2","answer":"x=1","points":["方程"],"difficulty":2}`
		rep, err := s.ImportQuestions(ctx, "bank.jsonl", strings.NewReader(jsonl))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported != 2 || len(rep.Problems) != 3 || rep.Problems[0].Line != 2 || rep.Problems[1].Line != 3 || rep.Problems[2].Line != 4 ||
			!strings.Contains(rep.Problems[2].Err, "difficulty") {
			t.Errorf("report %+v", rep)
		}
		buf := xlsxBytes(t, [][]any{
			{"编号", "题型", "题干", "选项", "答案", "解析", "知识点", "难度"},
			{"X1", "单选题", "2×3=", "5|6|7", "B", "乘法口诀", "乘法", 1},
			{"X2", "判断", "0不能作除数。", "", "正确", "", "除法;零", "二"},
			{"Q1", "单选", "1+1=（改）", "1\n2", "B", "", "加法", 2},
		})
		rep, err = s.ImportQuestions(ctx, "bank.xlsx", buf)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported != 2 || len(rep.Problems) != 1 || rep.Problems[0].Line != 3 {
			t.Errorf("xlsx report %+v", rep)
		}
		qs, err := s.Questions(ctx)
		if err != nil || len(qs) != 3 {
			t.Fatalf("%d questions, %v", len(qs), err)
		}
		if qs[0].ID != "Q1" || qs[0].Stem != "1+1=（改）" || qs[0].Difficulty != 2 || len(qs[0].Options) != 2 {
			t.Errorf("upsert: %+v", qs[0])
		}
		if qs[2].ID != "X1" || qs[2].Options[1] != "6" || qs[2].Type != Single {
			t.Errorf("xlsx row: %+v", qs[2])
		}
		if _, err := s.ImportQuestions(ctx, "bank.csv", strings.NewReader("")); err == nil {
			t.Error("csv accepted")
		}
		res := xlsxBytes(t, [][]any{
			{"班级", "姓名", "题号", "得分"},
			{"七(2)", "甲", "X1", 1},
			{"七(2)", "甲", "X9", 1},
			{"七(2)", "乙", "X1", "对"},
			{"七(2)", "乙", "Q1", 0.5},
		})
		rep, err = s.ImportResults(ctx, "results.xlsx", res)
		if err != nil || rep.Imported != 2 || len(rep.Problems) != 2 || rep.Problems[0].Line != 4 || rep.Problems[1].Line != 3 {
			t.Errorf("results xlsx %+v %v", rep, err)
		}
		if _, err := s.ImportResults(ctx, "r.xlsx", xlsxBytes(t, [][]any{{"姓名", "得分"}})); err == nil || !strings.Contains(err.Error(), "no class column") {
			t.Errorf("missing columns: %v", err)
		}
	})
}

// xlsxBytes writes rows to the first sheet of a new workbook.
func xlsxBytes(t *testing.T, rows [][]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestBuildSet(t *testing.T) {
	t.Parallel()
	s, _ := demo(t, storetest.Open(t, store.SQLite, sets...), nil)
	ctx := context.Background()
	spec := SetSpec{Title: "解方程练习", Points: []string{"移项", "去括号", "去分母"},
		Types: map[string]int{"单选": 3, "解答": 3, "填空": 2}, Profile: Profile{0.3, 0.4, 0.3}, Seed: "a"}
	set, err := s.BuildSet(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	seen := map[string]bool{}
	for _, q := range set.Questions {
		count[q.Type]++
		if seen[q.ID] {
			t.Errorf("%s twice", q.ID)
		}
		seen[q.ID] = true
		ok := false
		for _, p := range q.Points {
			ok = ok || p == "移项" || p == "去括号" || p == "去分母"
		}
		if !ok {
			t.Errorf("%s is off the points: %v", q.ID, q.Points)
		}
	}
	if count["单选"] != 3 || count["解答"] != 3 || count["填空"] != 2 {
		t.Errorf("types %v, notes %v", count, set.Notes)
	}
	if set.Questions[0].Type != Single || set.Questions[len(set.Questions)-1].Type != Answer {
		t.Errorf("not grouped by type: %v", set.Questions)
	}
	again, _ := s.BuildSet(ctx, spec)
	if fmt.Sprint(ids(again)) != fmt.Sprint(ids(set)) {
		t.Errorf("not deterministic: %v vs %v", ids(again), ids(set))
	}
	// More than the bank holds: the shortfall is reported, not hidden.
	big, err := s.BuildSet(ctx, SetSpec{Points: []string{"工程问题"}, Types: map[string]int{"解答": 5}})
	if err != nil {
		t.Fatal(err)
	}
	if len(big.Questions) != 1 || len(big.Notes) == 0 {
		t.Errorf("shortfall: %v %v", ids(big), big.Notes)
	}
	if _, err := s.BuildSet(ctx, SetSpec{Points: []string{"三角形"}, Total: 3}); err == nil {
		t.Error("a set from nothing")
	}
	var student, key bytes.Buffer
	if err := WriteSetDOCX(&student, set, StudentCopy); err != nil {
		t.Fatal(err)
	}
	if err := WriteSetDOCX(&key, set, AnswerKey); err != nil {
		t.Fatal(err)
	}
	st, kt := docxText(t, student.Bytes()), docxText(t, key.Bytes())
	if !strings.Contains(st, "一、单选题") || !strings.Contains(st, "姓名") || strings.Contains(st, "答案：") {
		t.Errorf("student copy:\n%s", st)
	}
	if !strings.Contains(kt, "解方程练习（答案与解析）") || strings.Count(kt, "答案：") != len(set.Questions) || !strings.Contains(kt, "知识点：") {
		t.Errorf("answer key:\n%s", kt)
	}
}

func ids(s *PracticeSet) []string {
	var out []string
	for _, q := range s.Questions {
		out = append(out, q.ID)
	}
	return out
}

func TestSplitByProfile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		p    Profile
		want [3]int
	}{
		{10, DefaultProfile, [3]int{3, 5, 2}},
		{3, DefaultProfile, [3]int{1, 1, 1}},
		{4, Profile{1, 1, 1}, [3]int{2, 1, 1}},
		{5, Profile{}, [3]int{2, 2, 1}},
	} {
		if got := splitByProfile(c.n, c.p); got != c.want {
			t.Errorf("splitByProfile(%d, %v) = %v, want %v", c.n, c.p, got, c.want)
		}
	}
}

func TestMasteryPairsHeatMap(t *testing.T) {
	t.Parallel()
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db, Options{Now: fixedNow})
		var bank strings.Builder
		for i := 1; i <= 6; i++ {
			for _, p := range []string{"移项", "去分母"} {
				fmt.Fprintf(&bank, `{"id":"%s%d","type":"填空","stem":"题%d","answer":"1","points":["%s"],"difficulty":%d}`+"\n", p, i, i, p, 1+i%3)
			}
		}
		if rep, err := s.ImportQuestions(ctx, "b.jsonl", strings.NewReader(bank.String())); err != nil || rep.Imported != 12 {
			t.Fatalf("%+v %v", rep, err)
		}
		// 甲 strong on both, 乙 weak on 移项, 丙 weak on 去分母, 丁 weak on both; 戊 has no 去分母 results.
		right := map[string]map[string]int{
			"甲": {"移项": 4, "去分母": 4}, "乙": {"移项": 0, "去分母": 4}, "丙": {"移项": 4, "去分母": 1},
			"丁": {"移项": 1, "去分母": 0}, "戊": {"移项": 4},
		}
		var res strings.Builder
		for st, m := range right {
			for p, n := range m {
				for i := 1; i <= 4; i++ {
					score := 0
					if i <= n {
						score = 1
					}
					fmt.Fprintf(&res, `{"class":"七(1)","student":"%s","question":"%s%d","score":%d}`+"\n", st, p, i, score)
				}
			}
		}
		res.WriteString(`{"class":"七(1)","student":"甲","question":"不存在","score":1}` + "\n" + `{"class":"七(1)","student":"甲","question":"移项1","score":2}` + "\n")
		rep, err := s.ImportResults(ctx, "r.jsonl", strings.NewReader(res.String()))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported != 36 || len(rep.Problems) != 2 {
			t.Errorf("results report %+v", rep)
		}
		ms, err := s.StudentMastery(ctx, "七(1)", "丁")
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Point != "去分母" || ms[0].Level >= Weak || ms[1].Level >= Weak || ms[0].Attempts != 4 {
			t.Errorf("丁 %+v", ms)
		}
		set, err := s.PersonalSet(ctx, "七(1)", "乙", 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range set.Questions {
			if q.Points[0] != "移项" {
				t.Errorf("乙's set has %s", q.ID)
			}
		}
		if !strings.Contains(set.Title, "乙的个人练习：移项") || len(set.Questions) != 2 {
			t.Errorf("乙's set %q %v", set.Title, ids(set))
		}
		if _, err := s.PersonalSet(ctx, "七(1)", "甲", 3); err == nil {
			t.Error("a personal set for a student with no weak point")
		}
		pairs, err := s.ProposePairs(ctx, "七(1)")
		if err != nil {
			t.Fatal(err)
		}
		load := map[string]int{}
		var got []string
		for _, p := range pairs {
			load[p.Helper]++
			got = append(got, p.Point+":"+p.Helper+"→"+p.Learner)
			if p.Helper == p.Learner || p.HelperMastery < Strong || p.LearnerMastery >= Weak || p.Status != "proposed" {
				t.Errorf("pair %+v", p)
			}
		}
		for h, n := range load {
			if n > maxPairsPerHelper {
				t.Errorf("%s helps %d", h, n)
			}
		}
		want := "去分母:乙→丁 去分母:甲→丙 移项:丙→乙 移项:戊→丁"
		if strings.Join(got, " ") != want {
			t.Errorf("pairs %q, want %q", strings.Join(got, " "), want)
		}
		if err := s.DecidePair(ctx, pairs[0].ID, true, "李老师"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecidePair(ctx, pairs[0].ID, false, "李老师"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second decision: %v", err)
		}
		// Proposing again keeps the decision.
		again, _ := s.ProposePairs(ctx, "七(1)")
		if len(again) != 4 || again[0].Status != "approved" || again[0].DecidedBy != "李老师" || !again[0].DecidedAt.Equal(fixedNow()) {
			t.Errorf("after re-proposing: %+v", again[0])
		}
		h, err := s.HeatMap(ctx, "七(1)")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(h.Students, "") != "丁丙乙戊甲" {
			t.Errorf("students %v", h.Students)
		}
		if len(h.Points) != 2 || len(h.Cells) != 5 || len(h.Average) != 2 {
			t.Fatalf("heat map %+v", h)
		}
		for i, st := range h.Students {
			if st == "戊" && h.Cells[i][0] != -1 {
				t.Errorf("戊 on 去分母: %v", h.Cells[i][0])
			}
		}
		if _, err := s.HeatMap(ctx, "八(2)"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown class: %v", err)
		}
	})
}

func TestStudentQuestionDrafts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := demo(t, db, nil)
		d, err := s.DraftAnswer(ctx, "老师，移项的时候为什么要变号？", "李老师")
		if err != nil {
			t.Fatal(err)
		}
		if d.AI || d.Unsourced || len(d.Sources) == 0 || !strings.Contains(d.Answer, "《") || d.Status != DraftNew || d.Label() != "" {
			t.Fatalf("draft %+v", d)
		}
		if _, err := s.MarkShareable(ctx, d.ID, "李老师"); !errors.Is(err, ErrNotReviewed) {
			t.Errorf("sharing an unedited draft: %v", err)
		}
		d, err = s.EditDraft(ctx, d.ID, "移项的依据是等式的性质1：两边同时加减同一个数。", "", "李老师")
		if err != nil || d.Status != Edited || d.EditedBy != "李老师" {
			t.Fatalf("edit: %+v %v", d, err)
		}
		d, err = s.MarkShareable(ctx, d.ID, "李老师")
		if err != nil || d.Status != Shareable || !d.SharedAt.Equal(fixedNow()) {
			t.Fatalf("share: %+v %v", d, err)
		}
		if _, err := s.EditDraft(ctx, d.ID, "改", "", "李老师"); err == nil {
			t.Error("edited a shared answer")
		}
		// A question the collection knows nothing of: flagged, and not
		// shareable until the teacher names a source.
		s2 := NewStore(db, Options{Retriever: emptyRetriever{}, Now: fixedNow})
		u, err := s2.DraftAnswer(ctx, "光合作用需要哪些条件？", "李老师")
		if err != nil || !u.Unsourced || !strings.Contains(u.Answer, "请教师作答") {
			t.Fatalf("unsourced draft %+v %v", u, err)
		}
		if _, err := s2.EditDraft(ctx, u.ID, "需要光照、二氧化碳和水。", "", "李老师"); err != nil {
			t.Fatal(err)
		}
		if _, err := s2.MarkShareable(ctx, u.ID, "李老师"); !errors.Is(err, ErrUnsourced) {
			t.Errorf("sharing an unsourced draft: %v", err)
		}
		u, err = s2.EditDraft(ctx, u.ID, "需要光照、二氧化碳和水。", "生物教材七年级上册第三单元", "李老师")
		if err != nil || u.Unsourced {
			t.Fatalf("%+v %v", u, err)
		}
		if _, err := s2.MarkShareable(ctx, u.ID, "李老师"); err != nil {
			t.Error(err)
		}
		list, err := s.Drafts(ctx, Shareable)
		if err != nil || len(list) != 2 {
			t.Errorf("%d shareable drafts, %v", len(list), err)
		}
	})
}

type emptyRetriever struct{}

func (emptyRetriever) Search(context.Context, string, int) ([]Source, error) { return nil, nil }

func TestStudentQuestionDraftsWithModel(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t)
	s, _ := demo(t, storetest.Open(t, store.SQLite, sets...), chat{srv.Client(t)})
	ctx := context.Background()
	srv.Enqueue(llmtest.Reply{Text: "这个问题问得好！移项其实就是在等式两边同时加上或减去同一个数（见《解一元一次方程教学参考（七年级数学·演示资料）》知识要点）。"})
	d, err := s.DraftAnswer(ctx, "我是学生王小明，电话13812345678，移项为什么要变号？", "李老师")
	if err != nil {
		t.Fatal(err)
	}
	if !d.AI || d.Label() != AILabel || d.Unsourced {
		t.Errorf("model draft %+v", d)
	}
	srv.Enqueue(llmtest.Reply{Text: "移项要变号，这是规定。"})
	d2, err := s.DraftAnswer(ctx, "移项为什么要变号？", "李老师")
	if err != nil {
		t.Fatal(err)
	}
	if d2.AI || !strings.Contains(d2.Fallback, "cites no source") || !strings.Contains(d2.Answer, "《") {
		t.Errorf("uncited model answer kept: %+v", d2)
	}
	srv.AssertNoPersonalData(t)
	if os.Getenv("FUWU_TEACHING_VERBOSE") != "" {
		t.Log(d.Answer)
	}
}

// The lists the console shows: plans with their version counts, classes
// with results.
func TestPlansAndClasses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := demo(t, db, nil)
		if ps, err := s.Plans(ctx); err != nil || len(ps) != 0 {
			t.Fatalf("plans of a fresh store = %v, %v", ps, err)
		}
		p, err := s.DraftPlan(ctx, LessonForm{Subject: "数学", Grade: "七年级", Topic: "解一元一次方程", Periods: 1}, "t1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.EditSection(ctx, p.ID, "homework", []string{"课本习题 1、2"}, "t1"); err != nil {
			t.Fatal(err)
		}
		ps, err := s.Plans(ctx)
		if err != nil || len(ps) != 1 || ps[0].ID != p.ID || ps[0].Versions != 2 || ps[0].Title != p.Title || ps[0].UpdatedAt.IsZero() {
			t.Fatalf("plans = %+v, %v", ps, err)
		}
		cs, err := s.Classes(ctx)
		if err != nil || len(cs) != 1 || cs[0].Class != "七年级（1）班" || cs[0].Students != 12 || cs[0].Results == 0 {
			t.Fatalf("classes = %+v, %v", cs, err)
		}
	})
}
