package video

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Day is one day's figures (or the total, Day "合计").
type Day struct {
	Day       string          `json:"day"`
	Requests  int             `json:"requests"`  // joined the queue
	Answered  int             `json:"answered"`  // a clerk accepted
	Abandoned int             `json:"abandoned"` // left before an answer
	WaitS     int             `json:"wait_s"`    // mean wait of answered requests
	MaxWaitS  int             `json:"max_wait_s"`
	DurationS int             `json:"duration_s"` // mean length of ended calls
	Outcomes  map[Outcome]int `json:"outcomes"`
	Rated     int             `json:"rated"`
	Stars     float64         `json:"stars"`     // mean rating, 1..5
	Satisfied int             `json:"satisfied"` // rated 4 or 5

	waitSum, durSum, ended, starSum int
}

// Stats are the figures of the sessions requested in a range of days.
type Stats struct {
	From  string `json:"from"`
	To    string `json:"to"`
	All   Day    `json:"all"`
	Days  []Day  `json:"days"`
	Clerk []Day  `json:"by_clerk"` // Day holds the clerk's name
}

func (d *Day) add(x Session) {
	d.Requests++
	if d.Outcomes == nil {
		d.Outcomes = map[Outcome]int{}
	}
	if x.Status == Abandoned {
		d.Abandoned++
	}
	if !x.AcceptedAt.IsZero() {
		d.Answered++
		w := int(x.AcceptedAt.Sub(x.CreatedAt.Time).Seconds())
		d.waitSum += w
		d.MaxWaitS = max(d.MaxWaitS, w)
	}
	if x.Status == Ended && !x.AcceptedAt.IsZero() && !x.EndedAt.IsZero() {
		d.ended++
		d.durSum += int(x.EndedAt.Sub(x.AcceptedAt.Time).Seconds())
		if x.Outcome != "" {
			d.Outcomes[x.Outcome]++
		}
	}
	if x.Rating > 0 {
		d.Rated++
		d.starSum += x.Rating
		if x.Rating >= 4 {
			d.Satisfied++
		}
	}
}

func (d *Day) finish() {
	if d.Answered > 0 {
		d.WaitS = d.waitSum / d.Answered
	}
	if d.ended > 0 {
		d.DurationS = d.durSum / d.ended
	}
	if d.Rated > 0 {
		d.Stars = float64(d.starSum*10/d.Rated) / 10
	}
}

// Stats counts the sessions requested from day from to day to inclusive
// (YYYY-MM-DD in the service's zone; empty means unbounded).
func (s *Service) Stats(ctx context.Context, from, to string) (Stats, error) {
	st := Stats{From: from, To: to, All: Day{Day: "合计"}}
	sessions, err := s.between(ctx, from, to)
	if err != nil {
		return st, err
	}
	days, clerks := map[string]*Day{}, map[string]*Day{}
	for _, x := range sessions {
		day := x.CreatedAt.In(s.cfg.Location).Format(time.DateOnly)
		if days[day] == nil {
			days[day] = &Day{Day: day}
		}
		days[day].add(x)
		st.All.add(x)
		if x.ClerkName != "" {
			if clerks[x.ClerkName] == nil {
				clerks[x.ClerkName] = &Day{Day: x.ClerkName}
			}
			clerks[x.ClerkName].add(x)
		}
	}
	st.All.finish()
	for _, d := range days {
		d.finish()
		st.Days = append(st.Days, *d)
	}
	sort.Slice(st.Days, func(i, j int) bool { return st.Days[i].Day < st.Days[j].Day })
	for _, d := range clerks {
		d.finish()
		st.Clerk = append(st.Clerk, *d)
	}
	sort.Slice(st.Clerk, func(i, j int) bool {
		if st.Clerk[i].Answered != st.Clerk[j].Answered {
			return st.Clerk[i].Answered > st.Clerk[j].Answered
		}
		return st.Clerk[i].Day < st.Clerk[j].Day
	})
	return st, nil
}

// between lists the sessions (not waiting) requested in a range of days.
func (s *Service) between(ctx context.Context, from, to string) ([]Session, error) {
	where, args := `WHERE status <> ?`, []any{Waiting}
	if from != "" {
		d, err := time.ParseInLocation(time.DateOnly, from, s.cfg.Location)
		if err != nil {
			return nil, fmt.Errorf("video: from %q is not YYYY-MM-DD: %w", from, ErrBadDate)
		}
		where += ` AND created_at >= ?`
		args = append(args, store.T(d))
	}
	if to != "" {
		d, err := time.ParseInLocation(time.DateOnly, to, s.cfg.Location)
		if err != nil {
			return nil, fmt.Errorf("video: to %q is not YYYY-MM-DD: %w", to, ErrBadDate)
		}
		where += ` AND created_at < ?`
		args = append(args, store.T(d.AddDate(0, 0, 1)))
	}
	return s.list(ctx, where+` ORDER BY created_at, id`, args...)
}

// ExportExcel writes the figures and the list of sessions (metadata only)
// as an .xlsx workbook.
func (s *Service) ExportExcel(ctx context.Context, w io.Writer, from, to string) error {
	st, err := s.Stats(ctx, from, to)
	if err != nil {
		return err
	}
	sessions, err := s.between(ctx, from, to)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const days, list = "按日统计", "通话明细"
	if err := f.SetSheetName("Sheet1", days); err != nil {
		return fmt.Errorf("video: export: %w", err)
	}
	head := []any{"日期", "请求", "接通", "放弃", "平均等待（秒）", "最长等待（秒）", "平均通话（秒）"}
	for _, o := range Outcomes {
		head = append(head, o.Label())
	}
	head = append(head, "评价数", "平均星级", "满意（4-5 星）")
	rows := [][]any{head}
	for _, d := range append(st.Days, st.All) {
		row := []any{d.Day, d.Requests, d.Answered, d.Abandoned, d.WaitS, d.MaxWaitS, d.DurationS}
		for _, o := range Outcomes {
			row = append(row, d.Outcomes[o])
		}
		rows = append(rows, append(row, d.Rated, d.Stars, d.Satisfied))
	}
	if err := writeRows(f, days, rows); err != nil {
		return err
	}
	if _, err := f.NewSheet(list); err != nil {
		return fmt.Errorf("video: export: %w", err)
	}
	now := s.cfg.Now()
	rows = [][]any{{"请求时间", "事项", "来源", "状态", "工作人员", "工号", "大厅", "等待（秒）", "通话（秒）", "结果", "评价"}}
	for _, x := range sessions {
		rating := ""
		if x.Rating > 0 {
			rating = fmt.Sprintf("%d 星 %s", x.Rating, Ratings[x.Rating])
		}
		rows = append(rows, []any{x.CreatedAt.In(s.cfg.Location).Format("2006-01-02 15:04:05"), x.ItemName, x.Channel, x.Status.Label(),
			x.ClerkName, x.ClerkNumber, x.Hall, int(x.Wait(now).Seconds()), int(x.Duration(now).Seconds()), x.Outcome.Label(), rating})
	}
	if err := writeRows(f, list, rows); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("video: export: %w", err)
	}
	return nil
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("video: export %s: %w", sheet, err)
		}
	}
	return nil
}
