package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/risk"
)

// RiskOps is what the risk console (/admin/risk) needs: the risk store
// (static picture, stored assessments, checklists, fire records and
// tasks), the runner that re-assesses on demand, the city store whose
// weather devices may post forecasts, and whether the areas are the
// synthetic demo (pages then say so).
type RiskOps struct {
	Store  *risk.Store
	Runner *risk.Runner
	City   *citymon.Store
	Demo   bool
}

// riskMessages are the console's confirmations and refusals by code.
var riskMessages = map[string]string{
	"assessed":      "已重新评估全部社区和网格。",
	"checked":       "已记录该项处置。",
	"unchecked":     "已撤销该项记录。",
	"task-closed":   "巡查任务已办结。",
	"alarm-closed":  "报警已处置，不再计入该社区的消防风险指数。",
	"alarm-missing": "该报警不存在或已处置。",
	"notfound":      "没有找到该记录。",
	"input":         "提交的内容不完整或有误，请检查后重试。",
	"failed":        "系统繁忙，操作未完成，请稍后再试。",
	"assess-fail":   "评估未完成，请检查监测数据后重试；页面仍显示上一次的结果。",
	"no-areas":      "尚未录入社区，无法评估。",
	"task-missing":  "该任务不存在或已办结。",
	"area-saved":    "基础数据已保存，下一次评估起生效。",
}

func (s *Server) riskPage(r *http.Request, title string, data any) Page {
	return s.sectionPage(r, "risk", title, data, riskMessages, "/static/echarts.min.js", "/static/risk.js")
}

func riskBack(w http.ResponseWriter, r *http.Request, key, code, anchor string) {
	to := "/admin/risk?" + key + "=" + url.QueryEscape(code)
	if anchor != "" {
		to += "#" + anchor
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// riskCheck is one checklist item as the page shows it: ticked by whom.
type riskCheck struct {
	risk.Action
	Done   bool
	DoneBy string
	DoneAt time.Time
}

// stamp reads a time the risk store keeps as text (store.Time's layout).
func stamp(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05.000Z", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// riskRow is one community on the page.
type riskRow struct {
	risk.Assessment
	Street  string
	Workers []string
	Checks  []riskCheck
	Ticked  int
	NoData  bool // no gauge reported: the level rests on forecasts and static data only
	Grids   []risk.Assessment
}

type riskHomeData struct {
	Demo      bool
	HasAreas  bool
	Assessed  bool
	Cycle     risk.Cycle
	Counts    []riskCount
	Rows      []riskRow
	Grids     int
	GridsHigh int
	Episodes  []risk.Episode
	OpenEps   int
	Fire      []risk.FireScore
	FireCR    float64
	Weather   risk.Weather
	FireSynth bool
	Tasks     []riskTask
	OpenTasks int
	CanManage bool
	// Alarms are the sensor alarms, open first; Hydrant the low-pressure
	// threshold's status line.
	Alarms     []riskAlarm
	OpenAlarms int
	Hydrant    string
}

// riskAlarm is a fire alarm as the page shows it.
type riskAlarm struct {
	risk.FireAlarm
	Name     string // the community's name; empty without a fire record
	KindName string
	Label    string // the device (name and id), or the source of a manual alarm
}

type riskCount struct {
	Level  risk.Level
	Colour string
	N      int
}

type riskTask struct {
	risk.FireTaskRecord
	Name   string
	Closed time.Time
}

// riskHome is the risk map and everything a duty officer acts on.
func (s *Server) riskHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ro := s.cfg.Risk
	d := riskHomeData{Demo: ro.Demo}
	if u := currentUser(r); u != nil {
		d.CanManage = u.Can(auth.ManageCity)
	}
	fail := func(err error) error { return unavailable(riskMessages["failed"], fmt.Errorf("risk console: %w", err)) }
	areas, err := ro.Store.Areas(ctx, false)
	if err != nil {
		return fail(err)
	}
	d.HasAreas = len(areas) > 0
	byID := map[string]risk.Area{}
	for _, a := range areas {
		byID[a.ID] = a
	}
	b, ok, err := ro.Store.LatestBoard(ctx)
	if err != nil {
		return fail(err)
	}
	d.Assessed = ok
	if ok {
		if d.Cycle, _, err = ro.Store.LastCycle(ctx); err != nil {
			return fail(err)
		}
	}
	checks, err := ro.Store.Checks(ctx)
	if err != nil {
		return fail(err)
	}
	gridAreas, err := ro.Store.Areas(ctx, true)
	if err != nil {
		return fail(err)
	}
	gridOf := map[string]string{} // grid cell → its community
	for _, g := range gridAreas {
		gridOf[g.ID] = g.Community
	}
	grids := map[string][]risk.Assessment{}
	for _, g := range b.Grids {
		if c, ok := gridOf[g.Area]; ok {
			grids[c] = append(grids[c], g)
		}
	}
	counts := map[risk.Level]int{}
	for _, a := range b.Communities {
		ar, known := byID[a.Area]
		if !known {
			continue // deleted since the cycle
		}
		row := riskRow{Assessment: a, Street: ar.Street, Workers: ar.Workers, NoData: a.Gauges == 0, Grids: grids[a.Area]}
		// The checklist as the area stands now (its garages, pumps …).
		for _, act := range risk.ChecklistFor(ar, a.Level) {
			c := riskCheck{Action: act}
			if dn, ok := checks[a.Area][act.ID]; ok {
				c.Done, c.DoneBy, c.DoneAt = true, dn.By, stamp(dn.At)
				row.Ticked++
			}
			row.Checks = append(row.Checks, c)
		}
		counts[a.Level]++
		d.Rows = append(d.Rows, row)
	}
	sort.SliceStable(d.Rows, func(i, j int) bool {
		if d.Rows[i].Level != d.Rows[j].Level {
			return d.Rows[i].Level > d.Rows[j].Level
		}
		return d.Rows[i].Score > d.Rows[j].Score
	})
	for i := len(risk.Levels) - 1; i >= 0; i-- {
		l := risk.Levels[i]
		d.Counts = append(d.Counts, riskCount{Level: l, Colour: l.Colour(), N: counts[l]})
	}
	d.Grids = len(b.Grids)
	for _, g := range b.Grids {
		if g.Level >= risk.IncidentLevel {
			d.GridsHigh++
		}
	}
	if d.Episodes, err = ro.Store.Episodes(ctx, 50); err != nil {
		return fail(err)
	}
	for _, e := range d.Episodes {
		if e.Ended.IsZero() {
			d.OpenEps++
		}
	}
	if d.Fire, d.Weather, err = ro.Runner.FireRanking(ctx); err != nil {
		return fail(err)
	}
	d.FireCR = ro.Runner.Fire.AHP.CR
	fcs, err := ro.Store.FireCommunities(ctx)
	if err != nil {
		return fail(err)
	}
	names := map[string]string{}
	for _, c := range fcs {
		names[c.ID] = c.Name
		d.FireSynth = d.FireSynth || c.Synthetic
	}
	alarms, err := ro.Store.FireAlarms(ctx, 20)
	if err != nil {
		return fail(err)
	}
	for _, a := range alarms {
		ra := riskAlarm{FireAlarm: a, Name: names[a.Community], Label: a.Source}
		if a.Kind != "" {
			ra.KindName = citymon.KindName(a.Kind)
			ra.Label = strings.TrimPrefix(a.Source, ra.KindName+" ")
		}
		d.Alarms = append(d.Alarms, ra)
		if a.Open() {
			d.OpenAlarms++
		}
	}
	d.Hydrant = ro.Runner.Live.Model.HydrantLow().Status()
	tasks, err := ro.Store.FireTasks(ctx, 100)
	if err != nil {
		return fail(err)
	}
	for _, t := range tasks {
		d.Tasks = append(d.Tasks, riskTask{FireTaskRecord: t, Name: names[t.Community], Closed: stamp(t.ClosedAt)})
		if t.Status == "open" {
			d.OpenTasks++
		}
	}
	s.render(w, r, http.StatusOK, "admin_risk.html", s.riskPage(r, "内涝与消防风险", d))
	return nil
}

// riskMapPoint is one community on the map.
type riskMapPoint struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Street     string  `json:"street"`
	Lon        float64 `json:"lon"`
	Lat        float64 `json:"lat"`
	Level      int     `json:"level"`
	LevelName  string  `json:"level_name"`
	Colour     string  `json:"colour"`
	Score      float64 `json:"score"`
	Reason     string  `json:"reason"`
	Confidence string  `json:"confidence"`
	NoData     bool    `json:"no_data"`
}

// riskMapAPI is the map layer: the city dashboard's schematic district
// map and every community at its latest level.
func (s *Server) riskMapAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ro := s.cfg.Risk
	areas, err := ro.Store.Areas(ctx, false)
	if err != nil {
		return unavailable(riskMessages["failed"], err)
	}
	b, ok, err := ro.Store.LatestBoard(ctx)
	if err != nil {
		return unavailable(riskMessages["failed"], err)
	}
	latest := map[string]risk.Assessment{}
	for _, a := range b.Communities {
		latest[a.Area] = a
	}
	pts := []riskMapPoint{}
	for _, a := range areas {
		p := riskMapPoint{ID: a.ID, Name: a.Name, Street: a.Street, Lon: a.Lon, Lat: a.Lat, LevelName: "未评估", Colour: "#9e9e9e", NoData: true}
		if as, ok := latest[a.ID]; ok {
			p.Level, p.LevelName, p.Colour, p.Score = int(as.Level), as.Level.Name(), as.Level.Colour(), as.Score
			p.Confidence, p.NoData = as.Confidence, as.Gauges == 0
			if len(as.Factors) > 0 {
				p.Reason = fmt.Sprintf("%s %.0f%%", as.Factors[0].Name, as.Factors[0].Share*100)
			}
		}
		pts = append(pts, p)
	}
	legend := []map[string]string{}
	for _, l := range risk.Levels {
		legend = append(legend, map[string]string{"name": l.Name(), "colour": l.Colour()})
	}
	var at *time.Time
	if ok {
		at = &b.At
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]any{"map": futianMap, "communities": pts, "legend": legend, "at": at, "demo": ro.Demo})
}

// riskAssess runs a cycle now.
func (s *Server) riskAssess(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ro := s.cfg.Risk
	has, err := ro.Store.HasAreas(ctx)
	if err != nil {
		return unavailable(riskMessages["failed"], err)
	}
	if !has {
		riskBack(w, r, "err", "no-areas", "")
		return nil
	}
	who := greeningActor(r)
	res, err := ro.Runner.Cycle(ctx, who)
	if err != nil {
		slog.ErrorContext(ctx, "risk assess", "err", err)
		riskBack(w, r, "err", "assess-fail", "")
		return nil
	}
	counts := map[string]int{}
	for _, a := range res.Board.Communities {
		counts[a.Level.String()]++
	}
	s.audit(r, nil, "risk.assess", "risk:cycle", map[string]any{"communities": len(res.Board.Communities), "grids": len(res.Board.Grids),
		"levels": counts, "fire_tasks": res.NewTasks})
	riskBack(w, r, "ok", "assessed", "")
	return nil
}

// riskCheck ticks or unticks a checklist item of a community for today.
func (s *Server) riskCheckItem(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		riskBack(w, r, "err", "input", "")
		return nil
	}
	area, action := r.PostForm.Get("area"), r.PostForm.Get("action")
	done := r.PostForm.Get("done") != "0"
	err := s.cfg.Risk.Store.Check(r.Context(), area, action, done, greeningActor(r))
	switch {
	case errors.Is(err, risk.ErrNotFound):
		riskBack(w, r, "err", "notfound", "")
		return nil
	case errors.Is(err, risk.ErrInput):
		riskBack(w, r, "err", "input", "")
		return nil
	case err != nil:
		return unavailable(riskMessages["failed"], err)
	}
	s.audit(r, nil, "risk.check", "risk:"+area, map[string]any{"action": action, "done": done})
	code := "checked"
	if !done {
		code = "unchecked"
	}
	riskBack(w, r, "ok", code, "area-"+area)
	return nil
}

// riskTaskClose closes a fire inspection task.
func (s *Server) riskTaskClose(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		riskBack(w, r, "err", "task-missing", "fire-tasks")
		return nil
	}
	err = s.cfg.Risk.Store.CloseFireTask(r.Context(), id, greeningActor(r))
	switch {
	case errors.Is(err, risk.ErrNotFound):
		riskBack(w, r, "err", "task-missing", "fire-tasks")
		return nil
	case err != nil:
		return unavailable(riskMessages["failed"], err)
	}
	s.audit(r, nil, "risk.fire_task.close", fmt.Sprintf("risk:fire-task:%d", id), nil)
	riskBack(w, r, "ok", "task-closed", "fire-tasks")
	return nil
}

// riskAlarmClose is staff handling a fire alarm (处置): it stops counting
// in the community's index at once; the sensor raises no new alarm until
// it has reported normal.
func (s *Server) riskAlarmClose(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		riskBack(w, r, "err", "alarm-missing", "fire-alarms")
		return nil
	}
	a, err := s.cfg.Risk.Runner.CloseAlarm(r.Context(), id, greeningActor(r))
	switch {
	case errors.Is(err, risk.ErrNotFound):
		riskBack(w, r, "err", "alarm-missing", "fire-alarms")
		return nil
	case err != nil:
		return unavailable(riskMessages["failed"], err)
	}
	s.audit(r, nil, "risk.fire_alarm.close", fmt.Sprintf("risk:fire-alarm:%d", id),
		map[string]any{"community": a.Community, "device": a.Device, "source": a.Source, "raised": a.Raised.Unix()})
	riskBack(w, r, "ok", "alarm-closed", "fire-alarms")
	return nil
}
