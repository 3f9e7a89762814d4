package greening

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
)

// Report is the monthly maintenance report.
type Report struct {
	Month     string          `json:"month"`
	Generated time.Time       `json:"generated"`
	Trees     int             `json:"trees"`
	Ancient   int             `json:"ancient"`
	Spaces    int             `json:"spaces"`
	Synthetic bool            `json:"synthetic"`
	Orders    OrderStats      `json:"orders"`
	Planned   []DoneVsPlanned `json:"planned"`
	Health    []HealthPoint   `json:"health"`
	Coverage  []Coverage      `json:"coverage"`
	Risks     []Risk          `json:"risks"` // the highest typhoon risks
	Recurring []Recurrence    `json:"recurring"`
}

// OrderStats counts a month's work orders.
type OrderStats struct {
	Created  int            `json:"created"`
	Done     int            `json:"done"`
	Overdue  int            `json:"overdue"` // unfinished past due now
	BySource map[string]int `json:"by_source"`
}

// MonthlyReport gathers the report of month (YYYY-MM) as of now.
func (s *Store) MonthlyReport(ctx context.Context, month string, now time.Time) (Report, error) {
	start, err := time.ParseInLocation("2006-01", month, Zone)
	if err != nil {
		return Report{}, fmt.Errorf("%w: 月份 %q 应为 2006-01", ErrInput, month)
	}
	r := Report{Month: month, Generated: now, Orders: OrderStats{BySource: map[string]int{}}}
	if r.Trees, err = s.CountTrees(ctx, TreeFilter{}); err != nil {
		return r, err
	}
	if r.Ancient, err = s.CountTrees(ctx, TreeFilter{Ancient: true}); err != nil {
		return r, err
	}
	sps, err := s.Spaces(ctx, "")
	if err != nil {
		return r, err
	}
	r.Spaces = len(sps)
	var syn int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM greening_trees WHERE synthetic = 1`).Scan(&syn); err != nil {
		return r, fmt.Errorf("report: %w", err)
	}
	r.Synthetic = syn > 0
	orders, err := s.Orders(ctx, OrderFilter{Since: start})
	if err != nil {
		return r, err
	}
	end := start.AddDate(0, 1, 0)
	for _, o := range orders {
		if !o.Created.Before(end) {
			continue
		}
		r.Orders.Created++
		r.Orders.BySource[o.Source]++
		if o.Status == StatusDone {
			r.Orders.Done++
		}
		if o.Overdue(now) {
			r.Orders.Overdue++
		}
	}
	ref := end.Add(-time.Hour)
	if now.Before(ref) {
		ref = now
	}
	if r.Planned, err = s.DoneVsPlannedSeries(ctx, "", 6, ref); err != nil {
		return r, err
	}
	if r.Health, err = s.HealthSeries(ctx, "", ""); err != nil {
		return r, err
	}
	if r.Coverage, err = s.Coverages(ctx); err != nil {
		return r, err
	}
	k, err := s.Knowledge(ctx)
	if err != nil {
		return r, err
	}
	trees, err := s.Trees(ctx, TreeFilter{})
	if err != nil {
		return r, err
	}
	r.Risks = RankTyphoon(trees, k, 20)
	if r.Recurring, err = s.Recurrences(ctx, 90*24*time.Hour); err != nil {
		return r, err
	}
	return r, nil
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

// WriteXLSX writes the report as a workbook, a sheet per part.
func (r Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	put := func(sheet string, rows [][]any) error {
		if sheet != "Sheet1" {
			if _, err := f.NewSheet(sheet); err != nil {
				return err
			}
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return err
			}
		}
		return nil
	}
	mark := ""
	if r.Synthetic {
		mark = "（含合成演示数据）"
	}
	summary := [][]any{
		{"福田区绿化管养月报 " + r.Month + mark},
		{"生成时间", r.Generated.In(Zone).Format("2006-01-02 15:04")},
		{"树木（株）", r.Trees}, {"古树名木（株）", r.Ancient}, {"绿地（处）", r.Spaces},
		{"本月工单", r.Orders.Created}, {"本月已完成", r.Orders.Done}, {"逾期未完成", r.Orders.Overdue},
	}
	for src, n := range r.Orders.BySource {
		summary = append(summary, []any{"来源：" + SourceNames[src], n})
	}
	if err := put("Sheet1", summary); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "概况"); err != nil {
		return err
	}
	rows := [][]any{{"月份", "计划（株）", "完成（株）", "完成率"}}
	for _, p := range r.Planned {
		rows = append(rows, []any{p.Month, p.Planned, p.Done, pct(p.Rate)})
	}
	if err := put("计划完成", rows); err != nil {
		return err
	}
	rows = [][]any{{"月份", "健康", "较健康", "衰弱", "濒死", "合计", "健康+较健康占比"}}
	for _, h := range r.Health {
		rows = append(rows, []any{h.Month, h.Grades["A"], h.Grades["B"], h.Grades["C"], h.Grades["D"], h.Trees, pct(h.GoodShare)})
	}
	if err := put("健康等级", rows); err != nil {
		return err
	}
	rows = [][]any{{"街道", "面积（km²）", "人口", "绿地面积（m²）", "行道树冠（m²）", "绿化覆盖率", "公共绿地（m²）", "人均公共绿地（m²）"}}
	for _, c := range r.Coverage {
		rows = append(rows, []any{c.Street, c.AreaKm2, c.Population, c.GreenM2, c.CrownM2, pct(c.Coverage), c.PublicM2, c.PerCapita})
	}
	if err := put("绿化覆盖", rows); err != nil {
		return err
	}
	rows = [][]any{{"树木", "树种", "街道", "倒伏风险", "等级", "主要因素"}}
	for _, k := range r.Risks {
		rows = append(rows, []any{k.Tree, k.Species, k.Street, k.Score, k.Level, factorText(k.Factors, 3)})
	}
	if err := put("台风倒伏风险", rows); err != nil {
		return err
	}
	rows = [][]any{{"问题类型", "处置（株次）", "90 天内复发", "复发率"}}
	for _, c := range r.Recurring {
		rows = append(rows, []any{TaskName(c.Task), c.Treated, c.Recurred, pct(c.Rate)})
	}
	if err := put("复发", rows); err != nil {
		return err
	}
	return f.Write(w)
}

func factorText(fs []Factor, n int) string {
	s := ""
	for i, f := range fs {
		if i == n {
			break
		}
		if i > 0 {
			s += "；"
		}
		s += fmt.Sprintf("%s %s（+%.0f）", f.Name, f.Value, f.Points)
	}
	return s
}

// WriteDOCX writes the report as a 报告 laid out to GB/T 9704 (through
// internal/gongwen).
func (r Report) WriteDOCX(w io.Writer) error {
	t, _ := time.ParseInLocation("2006-01", r.Month, Zone)
	body := []string{"一、总体情况",
		fmt.Sprintf("全区在册树木%d株，其中古树名木%d株；绿地%d处。%s月共生成养护工单%d件，已完成%d件，逾期未完成%d件。",
			r.Trees, r.Ancient, r.Spaces, t.Format("1"), r.Orders.Created, r.Orders.Done, r.Orders.Overdue)}
	if len(r.Planned) > 0 {
		p := r.Planned[len(r.Planned)-1]
		body = append(body, "二、计划完成情况", fmt.Sprintf("本月计划养护%d株，已完成%d株，完成率%s。", p.Planned, p.Done, pct(p.Rate)))
	}
	if n := len(r.Health); n > 0 {
		h := r.Health[n-1]
		line := fmt.Sprintf("本月健康和较健康树木占%s", pct(h.GoodShare))
		if n > 1 {
			line += fmt.Sprintf("，上月为%s", pct(r.Health[n-2].GoodShare))
		}
		body = append(body, "三、树木健康", line+"。")
	}
	body = append(body, "四、绿化覆盖")
	for _, c := range r.Coverage {
		body = append(body, fmt.Sprintf("%s绿化覆盖率%s，人均公共绿地%.2f平方米。", c.Street, pct(c.Coverage), c.PerCapita))
	}
	if len(r.Risks) > 0 {
		body = append(body, "五、台风倒伏风险")
		for i, k := range r.Risks {
			if i == 5 {
				break
			}
			body = append(body, fmt.Sprintf("%s（%s，%s）风险%.0f分：%s。", k.Tree, k.Species, k.Street, k.Score, factorText(k.Factors, 3)))
		}
	}
	if len(r.Recurring) > 0 {
		body = append(body, "六、问题复发")
		for _, c := range r.Recurring {
			body = append(body, fmt.Sprintf("%s处置%d株次，90天内复发%d株次，复发率%s。", TaskName(c.Task), c.Treated, c.Recurred, pct(c.Rate)))
		}
	}
	remark := ""
	if r.Synthetic {
		remark = "本报告数据含合成演示数据，不代表真实情况"
	}
	d := &gongwen.Document{Type: gongwen.Report, Title: fmt.Sprintf("关于%s年%s月绿化管养工作情况的报告", t.Format("2006"), t.Format("1")),
		Recipients: []string{"区城市管理和综合执法局"}, Body: body, Issuer: "福田区绿化管养中心",
		Date: r.Generated.In(Zone).Format("2006年1月2日"), Remark: remark}
	return gongwen.WriteDOCX(w, d)
}
