package teaching

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Result is one student's score on one question (0 wrong … 1 right).
type Result struct {
	Class    string  `json:"class"`
	Student  string  `json:"student"`
	Question string  `json:"question"`
	Score    float64 `json:"score"`
	Date     string  `json:"date,omitempty"`
}

// ImportResults reads results (JSONL {"class","student","question","score"}
// or .xlsx with 班级 学生 题号 得分 columns); a row naming a question the
// bank does not hold, or a score outside 0–1, is reported and skipped.
func (s *Store) ImportResults(ctx context.Context, name string, r io.Reader) (ImportReport, error) {
	var (
		rs    []Result
		lines []int
		rep   ImportReport
		err   error
	)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".json":
		rs, lines, rep.Problems, err = readResultsJSONL(r)
	case ".xlsx":
		rs, lines, rep.Problems, err = readResultsXLSX(r)
	default:
		return rep, fmt.Errorf("teaching: %s: want .jsonl or .xlsx", name)
	}
	if err != nil {
		return rep, fmt.Errorf("teaching: %s: %w", name, err)
	}
	bank, err := s.Questions(ctx)
	if err != nil {
		return rep, err
	}
	known := map[string]bool{}
	for _, q := range bank {
		known[q.ID] = true
	}
	for i, res := range rs {
		if !known[res.Question] {
			rep.Problems = append(rep.Problems, ImportProblem{lines[i], "题库中没有题目 " + res.Question})
			continue
		}
		_, err := s.db.Exec(ctx, `INSERT INTO teaching_results (class, student, question_id, score, taken_on) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (class, student, question_id) DO UPDATE SET score = excluded.score, taken_on = excluded.taken_on`,
			res.Class, res.Student, res.Question, res.Score, res.Date)
		if err != nil {
			return rep, fmt.Errorf("teaching: save result: %w", err)
		}
		rep.Imported++
	}
	return rep, nil
}

func (r *Result) check() error {
	r.Class, r.Student, r.Question = strings.TrimSpace(r.Class), strings.TrimSpace(r.Student), strings.TrimSpace(r.Question)
	switch {
	case r.Class == "" || r.Student == "" || r.Question == "":
		return errors.New("class, student and question are required")
	case r.Score < 0 || r.Score > 1:
		return fmt.Errorf("score %v is not between 0 and 1", r.Score)
	}
	return nil
}

func readResultsJSONL(r io.Reader) ([]Result, []int, []ImportProblem, error) {
	return readJSONL(r, (*Result).check)
}

var resultColumns = map[string]string{
	"班级": "class", "class": "class", "学生": "student", "姓名": "student", "student": "student",
	"题号": "question", "编号": "question", "question": "question", "得分": "score", "得分率": "score", "score": "score",
	"日期": "date", "date": "date",
}

func readResultsXLSX(r io.Reader) ([]Result, []int, []ImportProblem, error) {
	rows, nums, err := sheetRows(r, resultColumns, []string{"class", "student", "question", "score"}, "班级 学生 题号 得分")
	if err != nil {
		return nil, nil, nil, err
	}
	var (
		out   []Result
		lines []int
		probs []ImportProblem
	)
	for i, c := range rows {
		score, err := strconv.ParseFloat(c["score"], 64)
		if err != nil {
			probs = append(probs, ImportProblem{nums[i], "score is not a number"})
			continue
		}
		res := Result{Class: c["class"], Student: c["student"], Question: c["question"], Score: score, Date: c["date"]}
		if err := res.check(); err != nil {
			probs = append(probs, ImportProblem{nums[i], err.Error()})
			continue
		}
		out, lines = append(out, res), append(lines, nums[i])
	}
	return out, lines, probs, nil
}

// Mastery thresholds: below Weak a point needs practice; from Strong a
// student can help a classmate with it.
const (
	Weak   = 0.6
	Strong = 0.85
)

// Mastery is one student's command of one knowledge point.
type Mastery struct {
	Student  string  `json:"student"`
	Point    string  `json:"point"`
	Level    float64 `json:"level"`    // 0 … 1
	Attempts int     `json:"attempts"` // questions answered on the point
}

// masteryOf smooths a student's scores on a point towards one half with
// the weight of one question, harder questions counting more: two right
// answers on easy questions are not yet mastery.
func masteryOf(scores []float64, diffs []int) float64 {
	sum, weight := 0.5, 1.0
	for i, s := range scores {
		w := 0.5 + 0.25*float64(diffs[i])
		sum += w * s
		weight += w
	}
	return sum / weight
}

// classData is a class's results joined with the bank.
type classData struct {
	students []string
	points   []string
	mastery  map[string]map[string]Mastery // student → point → mastery
	done     map[string]map[string]float64 // student → question → score
}

func (s *Store) classData(ctx context.Context, class string) (*classData, error) {
	bank, err := s.Questions(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]Question{}
	for _, q := range bank {
		byID[q.ID] = q
	}
	rows, err := s.db.Query(ctx, `SELECT student, question_id, score FROM teaching_results WHERE class = ? ORDER BY student, question_id`, class)
	if err != nil {
		return nil, fmt.Errorf("teaching: results of %s: %w", class, err)
	}
	defer rows.Close()
	type acc struct {
		scores []float64
		diffs  []int
	}
	per := map[string]map[string]*acc{}
	cd := &classData{mastery: map[string]map[string]Mastery{}, done: map[string]map[string]float64{}}
	pointSet := map[string]bool{}
	for rows.Next() {
		var student, qid string
		var score float64
		if err := rows.Scan(&student, &qid, &score); err != nil {
			return nil, err
		}
		q, ok := byID[qid]
		if !ok {
			continue // the question left the bank
		}
		if per[student] == nil {
			per[student] = map[string]*acc{}
			cd.done[student] = map[string]float64{}
			cd.students = append(cd.students, student)
		}
		cd.done[student][qid] = score
		for _, p := range q.Points {
			a := per[student][p]
			if a == nil {
				a = &acc{}
				per[student][p] = a
			}
			a.scores, a.diffs = append(a.scores, score), append(a.diffs, q.Difficulty)
			pointSet[p] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cd.students) == 0 {
		return nil, fmt.Errorf("class %q has no results: %w", class, ErrNotFound)
	}
	for p := range pointSet {
		cd.points = append(cd.points, p)
	}
	sort.Strings(cd.points)
	for st, m := range per {
		cd.mastery[st] = map[string]Mastery{}
		for p, a := range m {
			cd.mastery[st][p] = Mastery{Student: st, Point: p, Level: masteryOf(a.scores, a.diffs), Attempts: len(a.scores)}
		}
	}
	return cd, nil
}

// StudentMastery lists one student's mastery by point, weakest first.
func (s *Store) StudentMastery(ctx context.Context, class, student string) ([]Mastery, error) {
	cd, err := s.classData(ctx, class)
	if err != nil {
		return nil, err
	}
	m, ok := cd.mastery[student]
	if !ok {
		return nil, fmt.Errorf("student %q in %q: %w", student, class, ErrNotFound)
	}
	var out []Mastery
	for _, x := range m {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Level != out[j].Level {
			return out[i].Level < out[j].Level
		}
		return out[i].Point < out[j].Point
	})
	return out, nil
}

// PersonalSet builds a practice set aimed at a student's weak points (up
// to three, weakest first), leaving out questions the student already got
// right and easing the difficulty where mastery is lowest.
func (s *Store) PersonalSet(ctx context.Context, class, student string, n int) (*PracticeSet, error) {
	ms, err := s.StudentMastery(ctx, class, student)
	if err != nil {
		return nil, err
	}
	var weak []string
	lowest := 1.0
	for _, m := range ms {
		if m.Level < Weak && len(weak) < 3 {
			weak = append(weak, m.Point)
			lowest = min(lowest, m.Level)
		}
	}
	if len(weak) == 0 {
		return nil, fmt.Errorf("teaching: %s 没有薄弱知识点（掌握度都不低于%.0f%%）", student, Weak*100)
	}
	cd, err := s.classData(ctx, class)
	if err != nil {
		return nil, err
	}
	var exclude []string
	for q, score := range cd.done[student] {
		if score >= 1 {
			exclude = append(exclude, q)
		}
	}
	sort.Strings(exclude)
	prof := DefaultProfile
	if lowest < 0.4 {
		prof = Profile{0.5, 0.4, 0.1}
	}
	return s.BuildSet(ctx, SetSpec{Title: student + "的个人练习：" + strings.Join(weak, "、"), Points: weak,
		Total: n, Profile: prof, Exclude: exclude, Seed: student})
}

// Pair is a proposed peer-help pair: a classmate strong on a point helps
// one weak on it, once the teacher approves.
type Pair struct {
	ID             int64      `json:"id"`
	Class          string     `json:"class"`
	Point          string     `json:"point"`
	Helper         string     `json:"helper"`
	Learner        string     `json:"learner"`
	HelperMastery  float64    `json:"helper_mastery"`
	LearnerMastery float64    `json:"learner_mastery"`
	Status         string     `json:"status"` // proposed, approved, rejected
	DecidedBy      string     `json:"decided_by,omitempty"`
	DecidedAt      store.Time `json:"decided_at"`
}

// maxPairsPerHelper keeps one strong student from tutoring half the class.
const maxPairsPerHelper = 2

// ProposePairs matches, point by point, each weak learner (weakest first)
// with the least-loaded strong classmate, the strongest among equals (each
// helper at most twice, a learner once per point, never oneself) and stores the pairs not already decided as proposed.
func (s *Store) ProposePairs(ctx context.Context, class string) ([]Pair, error) {
	cd, err := s.classData(ctx, class)
	if err != nil {
		return nil, err
	}
	load := map[string]int{}
	var out []Pair
	for _, p := range cd.points {
		var weak, strong []Mastery
		for _, st := range cd.students {
			m, ok := cd.mastery[st][p]
			if !ok {
				continue
			}
			switch {
			case m.Level < Weak:
				weak = append(weak, m)
			case m.Level >= Strong:
				strong = append(strong, m)
			}
		}
		sort.Slice(weak, func(i, j int) bool { return less(weak[i], weak[j]) })
		sort.Slice(strong, func(i, j int) bool {
			if strong[i].Level != strong[j].Level {
				return strong[i].Level > strong[j].Level
			}
			return strong[i].Student < strong[j].Student
		})
		for _, w := range weak {
			// The least-loaded strong classmate, the strongest among equals,
			// so that help spreads over the class.
			best := -1
			for i, h := range strong {
				if load[h.Student] >= maxPairsPerHelper || h.Student == w.Student {
					continue
				}
				if best < 0 || load[h.Student] < load[strong[best].Student] {
					best = i
				}
			}
			if best < 0 {
				continue
			}
			h := strong[best]
			load[h.Student]++
			out = append(out, Pair{Class: class, Point: p, Helper: h.Student, Learner: w.Student,
				HelperMastery: h.Level, LearnerMastery: w.Level, Status: "proposed"})
		}
	}
	now := s.now()
	for i := range out {
		p := &out[i]
		_, err := s.db.Exec(ctx, `INSERT INTO teaching_pairs (class, point, helper, learner, helper_mastery, learner_mastery, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?) ON CONFLICT (class, point, helper, learner) DO NOTHING`,
			p.Class, p.Point, p.Helper, p.Learner, p.HelperMastery, p.LearnerMastery, now)
		if err != nil {
			return nil, fmt.Errorf("teaching: save pair: %w", err)
		}
	}
	return s.Pairs(ctx, class)
}

func less(a, b Mastery) bool {
	if a.Level != b.Level {
		return a.Level < b.Level
	}
	return a.Student < b.Student
}

// Pairs lists a class's pairs by point.
func (s *Store) Pairs(ctx context.Context, class string) ([]Pair, error) {
	rows, err := s.db.Query(ctx, `SELECT id, class, point, helper, learner, helper_mastery, learner_mastery, status, decided_by, decided_at
		FROM teaching_pairs WHERE class = ? ORDER BY point, id`, class)
	if err != nil {
		return nil, fmt.Errorf("teaching: pairs of %s: %w", class, err)
	}
	defer rows.Close()
	var out []Pair
	for rows.Next() {
		var p Pair
		if err := rows.Scan(&p.ID, &p.Class, &p.Point, &p.Helper, &p.Learner, &p.HelperMastery, &p.LearnerMastery, &p.Status, &p.DecidedBy, &p.DecidedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DecidePair records the teacher's approval or rejection of a proposed pair.
func (s *Store) DecidePair(ctx context.Context, id int64, approve bool, teacher string) error {
	status := "rejected"
	if approve {
		status = "approved"
	}
	res, err := s.db.Exec(ctx, `UPDATE teaching_pairs SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'proposed'`,
		status, teacher, s.now(), id)
	if err != nil {
		return fmt.Errorf("teaching: decide pair %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pair %d is not awaiting a decision: %w", id, ErrNotFound)
	}
	return nil
}

// HeatMap is a class's mastery grid for the console: one row per
// student, one column per knowledge point.
type HeatMap struct {
	Class    string      `json:"class"`
	Students []string    `json:"students"`
	Points   []string    `json:"points"`
	Cells    [][]float64 `json:"cells"` // [student][point], -1 where the student answered nothing on it
	Average  []float64   `json:"average"`
}

// HeatMap computes the class grid.
func (s *Store) HeatMap(ctx context.Context, class string) (*HeatMap, error) {
	cd, err := s.classData(ctx, class)
	if err != nil {
		return nil, err
	}
	h := &HeatMap{Class: class, Students: append([]string(nil), cd.students...), Points: cd.points}
	sort.Strings(h.Students)
	sums, counts := make([]float64, len(h.Points)), make([]int, len(h.Points))
	for _, st := range h.Students {
		row := make([]float64, len(h.Points))
		for j, p := range h.Points {
			m, ok := cd.mastery[st][p]
			if !ok {
				row[j] = -1
				continue
			}
			row[j] = m.Level
			sums[j] += m.Level
			counts[j]++
		}
		h.Cells = append(h.Cells, row)
	}
	for j := range h.Points {
		avg := -1.0
		if counts[j] > 0 {
			avg = sums[j] / float64(counts[j])
		}
		h.Average = append(h.Average, avg)
	}
	return h, nil
}

// ClassSummary is one class with results.
type ClassSummary struct {
	Class    string `json:"class"`
	Students int    `json:"students"`
	Results  int    `json:"results"`
}

// Classes lists the classes that have results, by name.
func (s *Store) Classes(ctx context.Context) ([]ClassSummary, error) {
	rows, err := s.db.Query(ctx, `SELECT class, COUNT(DISTINCT student), COUNT(*) FROM teaching_results GROUP BY class ORDER BY class`)
	if err != nil {
		return nil, fmt.Errorf("teaching: list classes: %w", err)
	}
	defer rows.Close()
	var out []ClassSummary
	for rows.Next() {
		var c ClassSummary
		if err := rows.Scan(&c.Class, &c.Students, &c.Results); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
