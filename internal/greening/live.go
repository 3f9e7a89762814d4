package greening

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// TyphoonParam is the weather feed's parameter carrying the typhoon
// warning signal (0 none, 1 white … 5 red).
const TyphoonParam = "typhoon_warning"

// warningLife is how long a posted warning stays in force without a new
// reading (the weather service re-posts or lifts it with 0).
const warningLife = 24 * time.Hour

// LiveConditions reads the conditions a plan adapts to at now: rain in the
// last 48 hours per street from the rain gauges (streets without one get
// the district mean), the district's daily rain over 30 days, the typhoon
// warning last posted to any weather station within a day, and pest
// reports from patrols and residents in the last 30 days. city may be nil
// (no sensor pipeline): then only the pest reports are read, and the
// notes say so.
func LiveConditions(ctx context.Context, city *citymon.Store, g *Store, now time.Time) (Conditions, error) {
	c := Conditions{At: now, Rain48h: map[string]float64{}}
	pests, err := g.PestReports(ctx, now.AddDate(0, 0, -30))
	if err != nil {
		return c, err
	}
	c.Pests = pests
	if city == nil {
		c.Notes = append(c.Notes, "未接入城市感知数据：降雨、干旱和台风预警调整不可用")
		return c, nil
	}
	gauges, err := city.Devices(ctx, citymon.RainGauge)
	if err != nil {
		return c, fmt.Errorf("live conditions: %w", err)
	}
	days := 30
	startDay := time.Date(now.In(Zone).Year(), now.In(Zone).Month(), now.In(Zone).Day(), 0, 0, 0, 0, Zone).AddDate(0, 0, -(days - 1))
	daily := make([]float64, days)
	var sum48 float64
	used := 0
	for _, gd := range gauges {
		pts, err := city.Raw(ctx, gd.ID, "rain", startDay, now.Add(time.Second))
		if err != nil {
			return c, fmt.Errorf("live conditions rain %s: %w", gd.ID, err)
		}
		if len(pts) == 0 {
			continue
		}
		used++
		var r48 float64
		for _, p := range pts {
			// Each reading is the rain in its interval, so sums are totals.
			if i := int(p.Time.Sub(startDay).Hours() / 24); i >= 0 && i < days {
				daily[i] += p.Value
			}
			if now.Sub(p.Time) <= 48*time.Hour {
				r48 += p.Value
			}
		}
		c.Rain48h[gd.Street] = math.Max(c.Rain48h[gd.Street], math.Round(r48*10)/10)
		sum48 += r48
	}
	if used > 0 {
		c.Rain48h[""] = math.Round(sum48/float64(used)*10) / 10
		for i := range daily {
			daily[i] = math.Round(daily[i]/float64(used)*10) / 10
		}
		c.DailyRain = daily
		c.Notes = append(c.Notes, fmt.Sprintf("降雨：%d 个雨量站，近 48 小时全区平均 %.1f mm", used, c.Rain48h[""]))
	} else {
		c.Notes = append(c.Notes, "降雨：无雨量站数据，不做降雨和干旱调整")
	}
	weather, err := city.Devices(ctx, citymon.Weather)
	if err != nil {
		return c, fmt.Errorf("live conditions: %w", err)
	}
	var latest time.Time
	for _, w := range weather {
		pts, err := city.Raw(ctx, w.ID, TyphoonParam, now.Add(-warningLife), now.Add(time.Second))
		if err != nil {
			return c, fmt.Errorf("live conditions warning %s: %w", w.ID, err)
		}
		if len(pts) > 0 && pts[len(pts)-1].Time.After(latest) {
			latest = pts[len(pts)-1].Time
			c.Typhoon = int(pts[len(pts)-1].Value)
			c.TyphoonSource = fmt.Sprintf("%s %s 发布", w.Name, pts[len(pts)-1].Time.In(Zone).Format("01-02 15:04"))
		}
	}
	if c.Typhoon > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("台风%s预警（%s）", WarningName(c.Typhoon), c.TyphoonSource))
	} else {
		c.Notes = append(c.Notes, "无台风预警")
	}
	if len(c.Pests) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("近 30 天虫害报告 %d 起", len(c.Pests)))
	}
	return c, nil
}

// PlanNow generates the plan of the period holding now ("week" or
// "month") for one street or the district, from the stored inventory and
// knowledge and the live conditions.
func (s *Store) PlanNow(ctx context.Context, city *citymon.Store, kind, street string, now time.Time) (Plan, error) {
	k, err := s.Knowledge(ctx)
	if err != nil {
		return Plan{}, err
	}
	trees, err := s.Trees(ctx, TreeFilter{Street: street})
	if err != nil {
		return Plan{}, err
	}
	c, err := LiveConditions(ctx, city, s, now)
	if err != nil {
		return Plan{}, err
	}
	period := Week(now)
	if kind == "month" {
		period = Month(now)
	}
	return Generate(PlanInput{Trees: trees, Knowledge: k, Conditions: c, Period: period, Street: street, Now: now}), nil
}
