package doorstep

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Row is one line of the statistics.
type Row struct {
	Key         string `json:"key"`
	Requests    int    `json:"requests"`    // filed
	Open        int    `json:"open"`        // not yet closed
	Completed   int    `json:"completed"`   // served
	Residents   int    `json:"residents"`   // completed requests of residents
	Enterprises int    `json:"enterprises"` // completed requests of enterprises
	Rejected    int    `json:"rejected"`
	Cancelled   int    `json:"cancelled"`
	Overdue     int    `json:"overdue"` // open and past their time limit now
	AmountFen   int64  `json:"amount_fen"`
}

func (r *Row) add(q statRow, now time.Time) {
	r.Requests++
	switch {
	case q.status == Completed:
		r.Completed++
		r.AmountFen += q.amount
		if q.kind == Enterprise {
			r.Enterprises++
		} else {
			r.Residents++
		}
	case q.status == Rejected:
		r.Rejected++
	case q.status == Cancelled:
		r.Cancelled++
	default:
		r.Open++
		if !q.due.IsZero() && q.due.Before(now) {
			r.Overdue++
		}
	}
}

// Stats are the door-to-door figures for requests filed in a range of
// days (in the service's zone), counted by the month they were filed.
type Stats struct {
	From     string `json:"from"`
	To       string `json:"to"`
	All      Row    `json:"all"`
	ByTheme  []Row  `json:"by_theme"`
	ByStreet []Row  `json:"by_street"`
	ByMonth  []Row  `json:"by_month"`
}

type statRow struct {
	kind   Kind
	status Status
	theme  string
	street string
	month  string
	amount int64
	due    store.Time
}

// Stats counts requests filed from day from to day to inclusive
// (YYYY-MM-DD; empty means unbounded).
func (s *Service) Stats(ctx context.Context, from, to string) (Stats, error) {
	st := Stats{From: from, To: to, All: Row{Key: "合计"}}
	lo, hi, err := s.bounds(from, to)
	if err != nil {
		return st, err
	}
	rows, err := s.db.Query(ctx, `SELECT kind, status, theme, street, amount_fen, created_at, due_at FROM doorstep_requests
		WHERE created_at >= ? AND created_at < ?`, lo, hi)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	now := s.cfg.Now()
	themes, streets, months := map[string]*Row{}, map[string]*Row{}, map[string]*Row{}
	bump := func(m map[string]*Row, key string, q statRow) {
		r, ok := m[key]
		if !ok {
			r = &Row{Key: key}
			m[key] = r
		}
		r.add(q, now)
	}
	for rows.Next() {
		var q statRow
		var kind, status string
		var created store.Time
		if err := rows.Scan(&kind, &status, &q.theme, &q.street, &q.amount, &created, &q.due); err != nil {
			return st, err
		}
		q.kind, q.status = Kind(kind), Status(status)
		q.month = created.In(s.cfg.Location).Format("2006-01")
		if q.street == "" {
			q.street = "未注明"
		}
		st.All.add(q, now)
		bump(themes, q.theme, q)
		bump(streets, q.street, q)
		bump(months, q.month, q)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	st.ByTheme, st.ByStreet, st.ByMonth = sortRows(themes, true), sortRows(streets, true), sortRows(months, false)
	return st, nil
}

// bounds turns two days into the instants [lo, hi).
func (s *Service) bounds(from, to string) (store.Time, store.Time, error) {
	// Not year 1 for "unbounded": the zero Time is stored as NULL.
	lo := store.T(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
	hi := store.T(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if from != "" {
		t, err := time.ParseInLocation("2006-01-02", from, s.cfg.Location)
		if err != nil {
			return lo, hi, fmt.Errorf("from %q: %w", from, ErrInvalidInput)
		}
		lo = store.T(t)
	}
	if to != "" {
		t, err := time.ParseInLocation("2006-01-02", to, s.cfg.Location)
		if err != nil {
			return lo, hi, fmt.Errorf("to %q: %w", to, ErrInvalidInput)
		}
		hi = store.T(t.AddDate(0, 0, 1))
	}
	return lo, hi, nil
}

func sortRows(m map[string]*Row, byRequests bool) []Row {
	out := make([]Row, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if byRequests && out[i].Requests != out[j].Requests {
			return out[i].Requests > out[j].Requests
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// ExportExcel writes the statistics and the list of requests filed in the
// range as an .xlsx workbook: sheets 汇总, 按主题, 按街道, 按月份, 明细.
// Phone numbers and addresses stay masked.
func (s *Service) ExportExcel(ctx context.Context, w io.Writer, from, to string) error {
	st, err := s.Stats(ctx, from, to)
	if err != nil {
		return err
	}
	reqs, err := s.requestsIn(ctx, from, to)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	header, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	put := func(sheet string, rows [][]any, moneyCols ...int) error {
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return err
			}
		}
		if len(rows) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
			_ = f.SetCellStyle(sheet, "A1", last, header)
			for _, c := range moneyCols {
				top, _ := excelize.CoordinatesToCellName(c, 2)
				bottom, _ := excelize.CoordinatesToCellName(c, len(rows))
				if len(rows) > 1 {
					_ = f.SetCellStyle(sheet, top, bottom, money)
				}
			}
			lastCol, _ := excelize.ColumnNumberToName(len(rows[0]))
			_ = f.SetColWidth(sheet, "A", lastCol, 14)
		}
		return nil
	}
	period := "全部"
	if from != "" || to != "" {
		period = strings.TrimSpace(from + " 至 " + to)
	}
	summary := [][]any{
		{"指标", "数值"},
		{"统计期间（按申请日期）", period},
		{"申请总数", st.All.Requests},
		{"办结数", st.All.Completed},
		{"服务居民（办结）", st.All.Residents},
		{"服务企业（办结）", st.All.Enterprises},
		{"在办", st.All.Open},
		{"其中超时", st.All.Overdue},
		{"不予受理", st.All.Rejected},
		{"已取消", st.All.Cancelled},
		{"发放金额（元）", float64(st.All.AmountFen) / 100},
	}
	if err := f.SetSheetName("Sheet1", "汇总"); err != nil {
		return err
	}
	if err := put("汇总", summary); err != nil {
		return err
	}
	_ = f.SetCellStyle("汇总", "B11", "B11", money)
	_ = f.SetColWidth("汇总", "A", "A", 24)
	table := func(name, keyTitle string, rows []Row) error {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		out := [][]any{{keyTitle, "申请数", "在办", "超时", "办结", "服务居民", "服务企业", "不予受理", "已取消", "发放金额（元）"}}
		for _, r := range append(rows, st.All) {
			out = append(out, []any{r.Key, r.Requests, r.Open, r.Overdue, r.Completed, r.Residents, r.Enterprises, r.Rejected, r.Cancelled,
				float64(r.AmountFen) / 100})
		}
		return put(name, out, 10)
	}
	if err := table("按主题", "主题", st.ByTheme); err != nil {
		return err
	}
	if err := table("按街道", "街道", st.ByStreet); err != nil {
		return err
	}
	if err := table("按月份", "月份", st.ByMonth); err != nil {
		return err
	}
	if _, err := f.NewSheet("明细"); err != nil {
		return err
	}
	detail := [][]any{{"编号", "申请日期", "类型", "申请人", "联系电话", "街道", "地址", "事项", "主题", "状态", "服务专员", "期望时间", "发放金额（元）", "办理结果", "原因"}}
	for _, r := range reqs {
		detail = append(detail, []any{r.Number, r.CreatedAt.In(s.cfg.Location).Format("2006-01-02"), r.Kind.Label(), r.Applicant, r.Phone,
			r.Street, r.Address, r.ItemName, r.Theme, r.Status.Label(), r.SpecialistName, r.Preferred, float64(r.AmountFen) / 100, r.Outcome, r.Reason})
	}
	if err := put("明细", detail, 13); err != nil {
		return err
	}
	return f.Write(w)
}

func (s *Service) requestsIn(ctx context.Context, from, to string) ([]Request, error) {
	lo, hi, err := s.bounds(from, to)
	if err != nil {
		return nil, err
	}
	return s.queryRequests(ctx, "export", `SELECT `+requestColumns+requestFrom+` WHERE r.created_at >= ? AND r.created_at < ? ORDER BY r.id`, lo, hi)
}
