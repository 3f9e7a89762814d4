package teaching

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Question types.
const (
	Single    = "单选"
	Multiple  = "多选"
	TrueFalse = "判断"
	Blank     = "填空"
	Answer    = "解答"
)

var questionTypes = []string{Single, Multiple, TrueFalse, Blank, Answer}

// Question is one item of the bank.
type Question struct {
	ID         string   `json:"id"`
	Subject    string   `json:"subject,omitempty"`
	Grade      string   `json:"grade,omitempty"`
	Type       string   `json:"type"`
	Stem       string   `json:"stem"`
	Options    []string `json:"options,omitempty"` // A… in order
	Answer     string   `json:"answer"`
	Analysis   string   `json:"analysis,omitempty"`
	Points     []string `json:"points"`     // knowledge points
	Difficulty int      `json:"difficulty"` // 1 easy … 5 hard
}

// check normalises a question and says what is wrong with it.
func (q *Question) check() error {
	q.ID, q.Stem, q.Answer = strings.TrimSpace(q.ID), strings.TrimSpace(q.Stem), strings.TrimSpace(q.Answer)
	q.Type = normType(q.Type)
	var problems []string
	if q.ID == "" {
		problems = append(problems, "no id")
	}
	if q.Stem == "" {
		problems = append(problems, "no stem")
	}
	if q.Answer == "" {
		problems = append(problems, "no answer")
	}
	if q.Type == "" {
		problems = append(problems, "type must be one of "+strings.Join(questionTypes, "/"))
	}
	if (q.Type == Single || q.Type == Multiple) && len(q.Options) < 2 {
		problems = append(problems, "a choice question needs two or more options")
	}
	if q.Difficulty < 1 || q.Difficulty > 5 {
		problems = append(problems, "difficulty must be 1–5")
	}
	q.Points = nonBlank(q.Points)
	if len(q.Points) == 0 {
		problems = append(problems, "no knowledge point")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func normType(t string) string {
	t = strings.TrimSpace(t)
	switch t {
	case "单选", "单选题", "单项选择", "单项选择题", "choice", "single":
		return Single
	case "多选", "多选题", "多项选择", "多项选择题", "multiple":
		return Multiple
	case "判断", "判断题", "truefalse", "tf":
		return TrueFalse
	case "填空", "填空题", "blank":
		return Blank
	case "解答", "解答题", "计算题", "应用题", "简答", "简答题", "answer":
		return Answer
	}
	return ""
}

// ImportProblem is a line or row that did not import.
type ImportProblem struct {
	Line int    `json:"line"` // JSONL line or sheet row, from 1
	Err  string `json:"error"`
}

func (p ImportProblem) String() string { return fmt.Sprintf("第%d行：%s", p.Line, p.Err) }

// ImportReport says what an import did.
type ImportReport struct {
	Imported int             `json:"imported"`
	Problems []ImportProblem `json:"problems,omitempty"`
}

// ImportQuestions reads a JSONL or .xlsx question bank (by name) and
// upserts every good question; a bad line is reported with its number and
// the rest import.
func (s *Store) ImportQuestions(ctx context.Context, name string, r io.Reader) (ImportReport, error) {
	var (
		qs   []Question
		rows []int
		rep  ImportReport
		err  error
	)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".json":
		qs, rows, rep.Problems, err = readQuestionsJSONL(r)
	case ".xlsx":
		qs, rows, rep.Problems, err = readQuestionsXLSX(r)
	default:
		return rep, fmt.Errorf("teaching: %s: want .jsonl or .xlsx", name)
	}
	if err != nil {
		return rep, fmt.Errorf("teaching: %s: %w", name, err)
	}
	now := s.now()
	for i, q := range qs {
		if err := s.putQuestion(ctx, q, now); err != nil {
			rep.Problems = append(rep.Problems, ImportProblem{rows[i], err.Error()})
			continue
		}
		rep.Imported++
	}
	return rep, nil
}

func readQuestionsJSONL(r io.Reader) ([]Question, []int, []ImportProblem, error) {
	return readJSONL(r, (*Question).check)
}

// sheetColumns maps header cells (Chinese or English) to fields.
var sheetColumns = map[string]string{
	"id": "id", "编号": "id", "题号": "id",
	"stem": "stem", "题干": "stem", "题目": "stem",
	"options": "options", "选项": "options",
	"answer": "answer", "答案": "answer",
	"analysis": "analysis", "解析": "analysis",
	"points": "points", "知识点": "points",
	"difficulty": "difficulty", "难度": "difficulty",
	"type": "type", "题型": "type",
	"subject": "subject", "学科": "subject",
	"grade": "grade", "年级": "grade",
}

func readQuestionsXLSX(r io.Reader) ([]Question, []int, []ImportProblem, error) {
	rows, nums, err := sheetRows(r, sheetColumns, []string{"id", "stem", "answer", "type", "points", "difficulty"},
		"编号 题型 题干 选项 答案 解析 知识点 难度")
	if err != nil {
		return nil, nil, nil, err
	}
	var (
		qs    []Question
		lines []int
		probs []ImportProblem
	)
	for i, c := range rows {
		q := Question{ID: c["id"], Stem: c["stem"], Answer: c["answer"], Analysis: c["analysis"],
			Type: c["type"], Subject: c["subject"], Grade: c["grade"],
			Options: splitCell(c["options"]), Points: splitCell(c["points"])}
		d, err := strconv.Atoi(c["difficulty"])
		if err != nil {
			probs = append(probs, ImportProblem{nums[i], "difficulty is not a number 1–5"})
			continue
		}
		q.Difficulty = d
		if err := q.check(); err != nil {
			probs = append(probs, ImportProblem{nums[i], err.Error()})
			continue
		}
		qs, lines = append(qs, q), append(lines, nums[i])
	}
	return qs, lines, probs, nil
}

// splitCell splits a cell holding several values (one a line, or joined
// by |, ；, ;).
func splitCell(s string) []string {
	return nonBlank(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("\n|；;", r) }))
}

func (s *Store) putQuestion(ctx context.Context, q Question, now store.Time) error {
	opts, _ := json.Marshal(nonNilStrings(q.Options))
	pts, _ := json.Marshal(q.Points)
	_, err := s.db.Exec(ctx, `INSERT INTO teaching_questions (id, subject, grade, qtype, stem, options, answer, analysis, points, difficulty, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, grade = excluded.grade, qtype = excluded.qtype,
			stem = excluded.stem, options = excluded.options, answer = excluded.answer, analysis = excluded.analysis,
			points = excluded.points, difficulty = excluded.difficulty, updated_at = excluded.updated_at`,
		q.ID, q.Subject, q.Grade, q.Type, q.Stem, string(opts), q.Answer, q.Analysis, string(pts), q.Difficulty, now)
	if err != nil {
		return fmt.Errorf("save question %s: %w", q.ID, err)
	}
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Questions lists the bank, by id.
func (s *Store) Questions(ctx context.Context) ([]Question, error) {
	rows, err := s.db.Query(ctx, `SELECT id, subject, grade, qtype, stem, options, answer, analysis, points, difficulty FROM teaching_questions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("teaching: list questions: %w", err)
	}
	defer rows.Close()
	var out []Question
	for rows.Next() {
		var q Question
		var opts, pts string
		if err := rows.Scan(&q.ID, &q.Subject, &q.Grade, &q.Type, &q.Stem, &opts, &q.Answer, &q.Analysis, &pts, &q.Difficulty); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(opts), &q.Options); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(pts), &q.Points); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
