package convo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Score is a rating on the five-level 好差评 scale of government services.
type Score int

const (
	VeryDissatisfied Score = 1 // 非常不满意
	Dissatisfied     Score = 2 // 不满意
	Fair             Score = 3 // 基本满意
	Satisfied        Score = 4 // 满意
	VerySatisfied    Score = 5 // 非常满意
)

// Scores lists the scale best first, as residents see it.
var Scores = []Score{VerySatisfied, Satisfied, Fair, Dissatisfied, VeryDissatisfied}

var scoreLabels = [...]string{"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"}

// Valid reports whether s is on the scale.
func (s Score) Valid() bool { return s >= VeryDissatisfied && s <= VerySatisfied }

// Label is the scale's wording (非常满意 … 非常不满意).
func (s Score) Label() string {
	if !s.Valid() {
		return ""
	}
	return scoreLabels[s]
}

// Bad reports a 差评 (不满意 or 非常不满意).
func (s Score) Bad() bool { return s == Dissatisfied || s == VeryDissatisfied }

// ParseScore reads "1" … "5" or a label such as "基本满意".
func ParseScore(v string) (Score, error) {
	if n, err := strconv.Atoi(v); err == nil && Score(n).Valid() {
		return Score(n), nil
	}
	for i, l := range scoreLabels {
		if i > 0 && l == v {
			return Score(i), nil
		}
	}
	return 0, fmt.Errorf("%w: score %q: want 1–5 or 非常满意/满意/基本满意/不满意/非常不满意", ErrInput, v)
}

// MaxComment is the longest feedback comment, in characters.
const MaxComment = 1000

// Feedback is a resident's rating of one answer.
type Feedback struct {
	TurnID         int64      `json:"turn_id"`
	ConversationID string     `json:"conversation_id"`
	Score          Score      `json:"score"`
	Comment        string     `json:"comment,omitempty"`
	CreatedAt      store.Time `json:"created_at"`
}

// ErrRated refuses a second rating of the same answer.
var ErrRated = errors.New("convo: this answer is already rated")

// SetFeedback records the rating of a turn. An answer is rated once: a
// second rating is refused with ErrRated, so re-posting cannot inflate the
// counts. The turn must belong to conversationID (the web checks the
// resident holds the conversation). The comment is masked.
func (s *Store) SetFeedback(ctx context.Context, conversationID string, turnID int64, score Score, comment string) (Feedback, error) {
	if !score.Valid() {
		return Feedback{}, fmt.Errorf("feedback: %w: score %d not in 1–5", ErrInput, score)
	}
	if n := utf8.RuneCountInString(comment); n > MaxComment {
		return Feedback{}, fmt.Errorf("feedback: %w: comment of %d characters (at most %d)", ErrInput, n, MaxComment)
	}
	now, day := s.clock()
	f := Feedback{TurnID: turnID, ConversationID: conversationID, Score: score, Comment: mask(comment), CreatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var owner string
		err := tx.QueryRow(ctx, `SELECT conversation_id FROM convo_turns WHERE id = ?`, turnID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != conversationID {
			return fmt.Errorf("turn %d of conversation %q: %w", turnID, conversationID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO convo_feedback (turn_id, conversation_id, score, comment, day, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (turn_id) DO NOTHING`,
			turnID, conversationID, int(score), f.Comment, day, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return ErrRated
		}
		return err
	})
	if err != nil {
		return Feedback{}, fmt.Errorf("feedback: %w", err)
	}
	return f, nil
}

// DayStats counts the ratings given on one day.
type DayStats struct {
	Day     string  `json:"day"`    // YYYY-MM-DD (or "" for a sum)
	Counts  [6]int  `json:"counts"` // Counts[score], index 0 unused
	Total   int     `json:"total"`
	Average float64 `json:"average"` // 0 when Total is 0
}

// Satisfied is the share rated 基本满意 or better (0 when none).
func (d DayStats) Satisfied() float64 {
	if d.Total == 0 {
		return 0
	}
	return float64(d.Counts[3]+d.Counts[4]+d.Counts[5]) / float64(d.Total)
}

// Sum adds days up into one DayStats with Day "".
func Sum(days []DayStats) DayStats {
	var out DayStats
	for _, d := range days {
		for i, n := range d.Counts {
			out.Counts[i] += n
		}
	}
	out.finish()
	return out
}

func (d *DayStats) finish() {
	d.Total, d.Average = 0, 0
	sum := 0
	for sc := 1; sc <= 5; sc++ {
		d.Total += d.Counts[sc]
		sum += sc * d.Counts[sc]
	}
	if d.Total > 0 {
		d.Average = float64(sum) / float64(d.Total)
	}
}

// MaxDays bounds a statistics range.
const MaxDays = 3660

// FeedbackStats returns one DayStats per day from fromDay to toDay
// (inclusive, YYYY-MM-DD in the store's zone), days without ratings included.
func (s *Store) FeedbackStats(ctx context.Context, fromDay, toDay string) ([]DayStats, error) {
	from, to, err := dayRange(fromDay, toDay, true)
	if err != nil {
		return nil, fmt.Errorf("feedback stats: %w", err)
	}
	days := []DayStats{}
	index := map[string]int{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		index[d.Format(time.DateOnly)] = len(days)
		days = append(days, DayStats{Day: d.Format(time.DateOnly)})
	}
	rows, err := s.db.Query(ctx, `SELECT day, score, COUNT(*) FROM convo_feedback WHERE day >= ? AND day <= ? GROUP BY day, score`,
		fromDay, toDay)
	if err != nil {
		return nil, fmt.Errorf("feedback stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		var score, n int
		if err := rows.Scan(&day, &score, &n); err != nil {
			return nil, fmt.Errorf("feedback stats: %w", err)
		}
		if i, ok := index[day]; ok && Score(score).Valid() {
			days[i].Counts[score] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback stats: %w", err)
	}
	for i := range days {
		days[i].finish()
	}
	return days, nil
}

// dayRange checks YYYY-MM-DD bounds. Without required, an empty bound is
// open.
func dayRange(fromDay, toDay string, required bool) (time.Time, time.Time, error) {
	var from, to time.Time
	var err error
	if fromDay != "" || required {
		if from, err = time.Parse(time.DateOnly, fromDay); err != nil {
			return from, to, fmt.Errorf("%w: from day %q: want YYYY-MM-DD", ErrInput, fromDay)
		}
	}
	if toDay != "" || required {
		if to, err = time.Parse(time.DateOnly, toDay); err != nil {
			return from, to, fmt.Errorf("%w: to day %q: want YYYY-MM-DD", ErrInput, toDay)
		}
	}
	if fromDay != "" && toDay != "" {
		if to.Before(from) {
			return from, to, fmt.Errorf("%w: day range %s–%s is backwards", ErrInput, fromDay, toDay)
		}
		if required && to.Sub(from) > MaxDays*24*time.Hour {
			return from, to, fmt.Errorf("%w: day range %s–%s longer than %d days", ErrInput, fromDay, toDay, MaxDays)
		}
	}
	return from, to, nil
}
