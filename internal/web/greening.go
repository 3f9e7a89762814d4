package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// GreeningOps is what the greening pages need: the store, the city
// sensors for live conditions (nil: plans adjust to pest reports only),
// and whether the inventory is the synthetic demo (pages then say so).
type GreeningOps struct {
	Store *greening.Store
	City  *citymon.Store
	Demo  bool
}

const (
	maxGreeningImport    = 32 << 20
	maxGreeningPhotoForm = greening.MaxPhoto + 1<<20 // the photo and the form around it
)

// greeningMessages are the console's confirmations and refusals by code.
var greeningMessages = map[string]string{
	"tree-saved":    "树木信息已保存。",
	"species-saved": "树种条目已保存。",
	"plan-issued":   "计划已下达为工单。",
	"order-created": "工单已创建。",
	"assigned":      "工单已派给养护班组。",
	"photo":         "照片已上传。",
	"completed":     "工单已完成，树木健康等级已更新。",
	"notfound":      "没有找到该记录。",
	"input":         "提交的内容不完整或有误，请检查后重试。",
	"photos":        "完成工单须先上传处置前后照片（市民和巡查报告须有处置前照片）。",
	"photo-bad":     "照片须为 JPEG、PNG、WebP 或 GIF 图片，且不超过 5 MB。",
	"failed":        "系统繁忙，操作未完成，请稍后再试。",
}

func (s *Server) greeningPage(r *http.Request, title string, data any) Page {
	return s.sectionPage(r, "greening", title, data, greeningMessages, "/static/echarts.min.js", "/static/greening.js")
}

func greeningBack(w http.ResponseWriter, r *http.Request, path, key, code string) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	http.Redirect(w, r, path+sep+key+"="+url.QueryEscape(code), http.StatusSeeOther)
}

func greeningErrCode(r *http.Request, err error) string {
	switch {
	case errors.Is(err, greening.ErrNotFound):
		return "notfound"
	case errors.Is(err, greening.ErrPhoto):
		return "photo-bad"
	case errors.Is(err, greening.ErrNeedPhotos):
		return "photos"
	case errors.Is(err, greening.ErrInput):
		return "input"
	}
	slog.ErrorContext(r.Context(), "greening console", "path", r.URL.Path, "err", err)
	return "failed"
}

func greeningActor(r *http.Request) string {
	if u := currentUser(r); u != nil {
		return u.Username
	}
	return ""
}

// Overview and map.

type greeningHomeData struct {
	Demo      bool
	Trees     int
	Ancient   int
	Spaces    int
	Open      int
	Overdue   int
	Status    string
	Streets   []greening.Coverage
	Health    []greening.HealthPoint
	Warning   string
	MapStreet string
}

func (s *Server) greeningHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g := s.cfg.Greening
	d := greeningHomeData{Demo: g.Demo}
	var err error
	now := s.now()
	if d.Trees, err = g.Store.CountTrees(ctx, greening.TreeFilter{}); err == nil {
		if d.Ancient, err = g.Store.CountTrees(ctx, greening.TreeFilter{Ancient: true}); err == nil {
			var sps []greening.Space
			if sps, err = g.Store.Spaces(ctx, ""); err == nil {
				d.Spaces = len(sps)
				var open, over []greening.Order
				if open, err = g.Store.Orders(ctx, greening.OrderFilter{Status: greening.StatusAssigned}); err == nil {
					var o2 []greening.Order
					o2, err = g.Store.Orders(ctx, greening.OrderFilter{Status: greening.StatusOpen})
					d.Open = len(open) + len(o2)
					if err == nil {
						over, err = g.Store.Orders(ctx, greening.OrderFilter{Status: "overdue", Overdue: now})
						d.Overdue = len(over)
					}
				}
			}
		}
	}
	if err == nil {
		d.Streets, err = g.Store.Coverages(ctx)
	}
	if err == nil {
		var c greening.Conditions
		if c, err = greening.LiveConditions(ctx, g.City, g.Store, now); err == nil && c.Typhoon > 0 {
			d.Warning = fmt.Sprintf("台风%s预警生效（%s）：本周计划已按倒伏风险重排。", greening.WarningName(c.Typhoon), c.TyphoonSource)
		}
	}
	if err != nil {
		return unavailable(greeningMessages["failed"], fmt.Errorf("greening home: %w", err))
	}
	s.render(w, r, http.StatusOK, "admin_greening.html", s.greeningPage(r, "绿化管养", d))
	return nil
}

// greeningMapAPI is the map layer: the schematic district map of the city
// dashboard and every tree as [lon, lat, species index, health grade
// index, typhoon risk], compact for 20 000 points.
func (s *Server) greeningMapAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g := s.cfg.Greening
	trees, err := g.Store.Trees(ctx, greening.TreeFilter{Street: r.URL.Query().Get("street")})
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	k, err := g.Store.Knowledge(ctx)
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	species := []string{}
	idx := map[string]int{}
	grade := map[string]int{"A": 0, "B": 1, "C": 2, "D": 3}
	pts := make([][5]float64, 0, len(trees))
	var ancient [][3]any
	for _, t := range trees {
		i, ok := idx[t.Species]
		if !ok {
			i = len(species)
			idx[t.Species] = i
			species = append(species, t.Species)
		}
		sp, known := k.Species[t.Species]
		risk := greening.TyphoonRisk(t, sp, known).Score
		pts = append(pts, [5]float64{t.Lon, t.Lat, float64(i), float64(grade[t.Health]), risk})
		if t.Ancient {
			ancient = append(ancient, [3]any{t.Lon, t.Lat, t.ID + " " + t.Species + "（" + t.AncientGrade + "）"})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]any{"map": futianMap, "species": species, "grades": []string{"健康", "较健康", "衰弱", "濒死"},
		"trees": pts, "ancient": ancient, "demo": g.Demo})
}

// Inventory.

type greeningTreesData struct {
	Demo     bool
	Filter   greening.TreeFilter
	Trees    []greening.Tree
	Total    int
	Page     int
	Pages    int
	Streets  []string
	Species  []string
	Grades   []struct{ Grade, Name string }
	Report   *greening.ImportReport
	File     string
	Problem  string
	Columns  string
	Spaces   bool
	PrevLink string
	NextLink string
}

func streetNames() []string { return greening.StreetNames() }

func (s *Server) greeningTreesPage(w http.ResponseWriter, r *http.Request, status int, d greeningTreesData) error {
	ctx := r.Context()
	g := s.cfg.Greening
	q := r.URL.Query()
	d.Demo = g.Demo
	d.Filter = greening.TreeFilter{Street: q.Get("street"), Species: q.Get("species"), Health: q.Get("health"), Ancient: q.Get("ancient") == "1", Query: q.Get("q")}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	const per = 50
	var err error
	if d.Total, err = g.Store.CountTrees(ctx, d.Filter); err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d.Pages = max(1, (d.Total+per-1)/per)
	d.Page = min(d.Page, d.Pages)
	f := d.Filter
	f.Limit, f.Offset = per, (d.Page-1)*per
	if d.Trees, err = g.Store.Trees(ctx, f); err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	k, err := g.Store.Knowledge(ctx)
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d.Species, d.Streets, d.Grades = k.SpeciesNames(), streetNames(), greening.Grades
	link := func(p int) string {
		v := url.Values{}
		for _, key := range []string{"street", "species", "health", "ancient", "q"} {
			if x := q.Get(key); x != "" {
				v.Set(key, x)
			}
		}
		v.Set("page", strconv.Itoa(p))
		return "/admin/greening/trees?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevLink = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextLink = link(d.Page + 1)
	}
	var cols []string
	for _, c := range greening.TreeColumns {
		cols = append(cols, c[1])
	}
	d.Columns = strings.Join(cols, ", ")
	s.render(w, r, status, "admin_greening_trees.html", s.greeningPage(r, "树木清单", d))
	return nil
}

func (s *Server) greeningTrees(w http.ResponseWriter, r *http.Request) error {
	return s.greeningTreesPage(w, r, http.StatusOK, greeningTreesData{})
}

// greeningImport reads an uploaded tree (or, with kind=spaces, green
// space) table; bad rows are listed by line and the rest saved.
func (s *Server) greeningImport(w http.ResponseWriter, r *http.Request) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.greeningTreesPage(w, r, http.StatusBadRequest, greeningTreesData{Problem: "请选择 .csv 或 .xlsx 文件。"})
	}
	defer f.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	if ext != ".csv" && ext != ".xlsx" {
		return s.greeningTreesPage(w, r, http.StatusBadRequest, greeningTreesData{Problem: "只接受 .csv 或 .xlsx 文件。"})
	}
	spaces := r.FormValue("kind") == "spaces"
	var rep greening.ImportReport
	if spaces {
		rep, err = s.cfg.Greening.Store.ImportSpaces(r.Context(), hdr.Filename, f)
	} else {
		rep, err = s.cfg.Greening.Store.ImportTrees(r.Context(), hdr.Filename, f, greeningActor(r), nil)
	}
	if err != nil {
		if !errors.Is(err, greening.ErrInput) {
			slog.ErrorContext(r.Context(), "greening import", "err", err)
		}
		return s.greeningTreesPage(w, r, http.StatusUnprocessableEntity, greeningTreesData{Problem: "文件无法读取，请检查格式后重试。", File: hdr.Filename})
	}
	s.audit(r, nil, "greening.import", "file:"+hdr.Filename, map[string]any{"rows": rep.Rows, "saved": rep.Saved, "problems": len(rep.Problems), "spaces": spaces})
	return s.greeningTreesPage(w, r, http.StatusOK, greeningTreesData{Report: &rep, File: hdr.Filename, Spaces: spaces})
}

type greeningTreeData struct {
	Demo    bool
	New     bool
	Tree    greening.Tree
	Risk    greening.Risk
	Pest    greening.Risk
	Species greening.Species
	Known   bool
	Orders  []greening.Order
	Grades  []struct{ Grade, Name string }
	Targets map[string]string
	Levels  []string
	Names   []string
}

func (s *Server) greeningTree(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g := s.cfg.Greening
	d := greeningTreeData{Demo: g.Demo, Grades: greening.Grades, Targets: greening.Targets, Levels: greening.AncientGrades}
	k, err := g.Store.Knowledge(ctx)
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d.Names = k.SpeciesNames()
	if id := r.PathValue("id"); id == "new" {
		d.New = true
		d.Tree = greening.Tree{Health: greening.HealthGood}
	} else {
		if d.Tree, err = g.Store.Tree(ctx, id); err != nil {
			if errors.Is(err, greening.ErrNotFound) {
				s.renderError(w, r, http.StatusNotFound, greeningMessages["notfound"])
				return nil
			}
			return unavailable(greeningMessages["failed"], err)
		}
		d.Species, d.Known = k.Species[d.Tree.Species]
		d.Risk = greening.TyphoonRisk(d.Tree, d.Species, d.Known)
		d.Pest = greening.PestRisk(d.Tree, d.Species, d.Known, int(s.now().In(greening.Zone).Month()), 0)
		if d.Orders, err = g.Store.Orders(ctx, greening.OrderFilter{Tree: d.Tree.ID, Limit: 20}); err != nil {
			return unavailable(greeningMessages["failed"], err)
		}
	}
	s.render(w, r, http.StatusOK, "admin_greening_tree.html", s.greeningPage(r, "树木 "+d.Tree.ID, d))
	return nil
}

func formFloat(r *http.Request, name string) (float64, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0, nil
	}
	return strconv.ParseFloat(v, 64)
}

func (s *Server) greeningTreeSave(w http.ResponseWriter, r *http.Request) error {
	t := greening.Tree{ID: r.FormValue("id"), Species: r.FormValue("species"), Planted: strings.TrimSpace(r.FormValue("planted")),
		Street: r.FormValue("street"), Community: strings.TrimSpace(r.FormValue("community")), Road: strings.TrimSpace(r.FormValue("road")),
		Health: r.FormValue("health"), AncientGrade: r.FormValue("ancient_grade"), Target: r.FormValue("target")}
	back := "/admin/greening/trees/" + url.PathEscape(t.ID)
	if t.ID == "" {
		back = "/admin/greening/trees/new"
	}
	var err error
	for _, f := range []struct {
		dst  *float64
		name string
	}{{&t.DBH, "dbh"}, {&t.Height, "height"}, {&t.Crown, "crown"}, {&t.Lean, "lean"}, {&t.Lon, "lon"}, {&t.Lat, "lat"}, {&t.RootSpace, "root_space"}} {
		if *f.dst, err = formFloat(r, f.name); err != nil {
			greeningBack(w, r, back, "err", "input")
			return nil
		}
	}
	if t.Decay, err = strconv.Atoi(r.FormValue("decay")); err != nil && r.FormValue("decay") != "" {
		greeningBack(w, r, back, "err", "input")
		return nil
	}
	if old, err := s.cfg.Greening.Store.Tree(r.Context(), t.ID); err == nil {
		t.Synthetic = old.Synthetic
	}
	if _, err := s.cfg.Greening.Store.SaveTree(r.Context(), t, greeningActor(r)); err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	s.audit(r, nil, "greening.tree.save", "tree:"+t.ID, nil)
	greeningBack(w, r, "/admin/greening/trees/"+url.PathEscape(t.ID), "ok", "tree-saved")
	return nil
}

// Plans.

type greeningPlanData struct {
	Demo    bool
	Plan    greening.Plan
	Kind    string
	Street  string
	Streets []string
	Shown   []greening.Task
	More    int
	Teams   []string
	Took    time.Duration
	Summary []struct {
		Name  string
		Trees int
	}
}

func (s *Server) greeningPlan(w http.ResponseWriter, r *http.Request) error {
	g := s.cfg.Greening
	q := r.URL.Query()
	d := greeningPlanData{Demo: g.Demo, Kind: q.Get("kind"), Street: q.Get("street"), Streets: streetNames(), Teams: greening.Teams}
	if d.Kind != "month" {
		d.Kind = "week"
	}
	start := time.Now()
	p, err := g.Store.PlanNow(r.Context(), g.City, d.Kind, d.Street, s.now())
	if err != nil {
		return unavailable(greeningMessages["failed"], fmt.Errorf("greening plan: %w", err))
	}
	d.Took = time.Since(start).Round(time.Millisecond)
	d.Plan = p
	d.Shown = p.Tasks
	if len(d.Shown) > 200 {
		d.More = len(d.Shown) - 200
		d.Shown = d.Shown[:200]
	}
	sum := p.Summary()
	for _, t := range []string{greening.TaskTyphoonPrep, greening.TaskPestInspect, greening.TaskIrrigate, greening.TaskAncientInspect, greening.TaskPrune,
		greening.TaskRejuvenate, greening.TaskFertilize} {
		if sum[t] > 0 {
			d.Summary = append(d.Summary, struct {
				Name  string
				Trees int
			}{greening.TaskName(t), sum[t]})
		}
	}
	s.render(w, r, http.StatusOK, "admin_greening_plan.html", s.greeningPage(r, "养护计划", d))
	return nil
}

// greeningPlanIssue files the plan as it stands now as work orders for a
// team.
func (s *Server) greeningPlanIssue(w http.ResponseWriter, r *http.Request) error {
	g := s.cfg.Greening
	kind, street, team := r.FormValue("kind"), r.FormValue("street"), r.FormValue("team")
	back := "/admin/greening/plan?" + url.Values{"kind": {kind}, "street": {street}}.Encode()
	if !slices.Contains(greening.Teams, team) {
		greeningBack(w, r, back, "err", "input")
		return nil
	}
	p, err := g.Store.PlanNow(r.Context(), g.City, kind, street, s.now())
	if err == nil {
		var n int
		n, err = g.Store.OrdersFromPlan(r.Context(), p, team, greeningActor(r))
		s.audit(r, nil, "greening.plan.issue", "plan:"+kind+":"+street, map[string]any{"orders": n, "team": team})
	}
	if err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	greeningBack(w, r, "/admin/greening/orders", "ok", "plan-issued")
	return nil
}

// Risk.

type greeningRiskData struct {
	Demo    bool
	Kind    string
	Street  string
	Streets []string
	Risks   []greening.Risk
	Month   int
	Total   int
	High    int
}

func (s *Server) greeningRisk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g := s.cfg.Greening
	q := r.URL.Query()
	d := greeningRiskData{Demo: g.Demo, Kind: q.Get("kind"), Street: q.Get("street"), Streets: streetNames(), Month: int(s.now().In(greening.Zone).Month())}
	if d.Kind != "pest" {
		d.Kind = "typhoon"
	}
	k, err := g.Store.Knowledge(ctx)
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	trees, err := g.Store.Trees(ctx, greening.TreeFilter{Street: d.Street})
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	var all []greening.Risk
	if d.Kind == "pest" {
		c, err := greening.LiveConditions(ctx, g.City, g.Store, s.now())
		if err != nil {
			return unavailable(greeningMessages["failed"], err)
		}
		all = greening.RankPest(trees, k, c, d.Month, 0)
	} else {
		all = greening.RankTyphoon(trees, k, 0)
	}
	d.Total = len(all)
	for _, x := range all {
		if x.Level == "高" {
			d.High++
		}
	}
	d.Risks = all[:min(100, len(all))]
	s.render(w, r, http.StatusOK, "admin_greening_risk.html", s.greeningPage(r, "风险预测", d))
	return nil
}

// Work orders.

type greeningOrdersData struct {
	Demo     bool
	Status   string
	Orders   []greening.Order
	Now      time.Time
	Statuses map[string]string
	Sources  map[string]string
	Tasks    map[string]string
	Teams    []string
}

func (s *Server) greeningOrders(w http.ResponseWriter, r *http.Request) error {
	g := s.cfg.Greening
	st := r.URL.Query().Get("status")
	if _, ok := greening.StatusNames[st]; !ok && st != "overdue" {
		st = ""
	}
	now := s.now()
	os, err := g.Store.Orders(r.Context(), greening.OrderFilter{Status: st, Overdue: now, Source: r.URL.Query().Get("source"), Limit: 300})
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d := greeningOrdersData{Demo: g.Demo, Status: st, Orders: os, Now: now, Statuses: greening.StatusNames, Sources: greening.SourceNames, Tasks: greening.TaskNames, Teams: greening.Teams}
	s.render(w, r, http.StatusOK, "admin_greening_orders.html", s.greeningPage(r, "养护工单", d))
	return nil
}

// greeningOrderNew files an order from a patrol (or a prediction) on a
// tree.
func (s *Server) greeningOrderNew(w http.ResponseWriter, r *http.Request) error {
	src := r.FormValue("source")
	if src != greening.FromPatrol && src != greening.FromPrediction {
		src = greening.FromPatrol
	}
	o, err := s.cfg.Greening.Store.CreateOrder(r.Context(), greening.Order{Source: src, Task: r.FormValue("task"), Title: r.FormValue("title"),
		Detail: maskText(r.FormValue("detail")), Tree: strings.TrimSpace(r.FormValue("tree")), Team: r.FormValue("team"), Reporter: greeningActor(r)})
	if err != nil {
		greeningBack(w, r, "/admin/greening/orders", "err", greeningErrCode(r, err))
		return nil
	}
	s.audit(r, nil, "greening.order.create", fmt.Sprintf("order:%d", o.ID), map[string]any{"source": src, "tree": o.Tree})
	greeningBack(w, r, fmt.Sprintf("/admin/greening/orders/%d", o.ID), "ok", "order-created")
	return nil
}

type greeningOrderData struct {
	Demo    bool
	Order   greening.Order
	Overdue bool
	Teams   []string
	Grades  []struct{ Grade, Name string }
	Status  string
	Source  string
	Task    string
	Before  []greening.Photo
	After   []greening.Photo
}

func orderID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil
}

func (s *Server) greeningOrder(w http.ResponseWriter, r *http.Request) error {
	id, ok := orderID(r)
	var o greening.Order
	var err error
	if ok {
		o, err = s.cfg.Greening.Store.Order(r.Context(), id)
	}
	if !ok || errors.Is(err, greening.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, greeningMessages["notfound"])
		return nil
	}
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d := greeningOrderData{Demo: s.cfg.Greening.Demo, Order: o, Overdue: o.Overdue(s.now()), Teams: greening.Teams, Grades: greening.Grades,
		Status: greening.StatusNames[o.Status], Source: greening.SourceNames[o.Source], Task: greening.TaskName(o.Task)}
	for _, p := range o.Photos {
		if p.Phase == "before" {
			d.Before = append(d.Before, p)
		} else {
			d.After = append(d.After, p)
		}
	}
	s.render(w, r, http.StatusOK, "admin_greening_order.html", s.greeningPage(r, fmt.Sprintf("工单 %d", o.ID), d))
	return nil
}

func (s *Server) greeningOrderAssign(w http.ResponseWriter, r *http.Request) error {
	id, _ := orderID(r)
	back := fmt.Sprintf("/admin/greening/orders/%d", id)
	team := r.FormValue("team")
	if !slices.Contains(greening.Teams, team) {
		greeningBack(w, r, back, "err", "input")
		return nil
	}
	if err := s.cfg.Greening.Store.Assign(r.Context(), id, team); err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	s.audit(r, nil, "greening.order.assign", fmt.Sprintf("order:%d", id), map[string]any{"team": team})
	greeningBack(w, r, back, "ok", "assigned")
	return nil
}

// readPhoto reads the form's photo within the size limit.
func readPhoto(r *http.Request, field string) ([]byte, error) {
	f, _, err := r.FormFile(field)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, greening.MaxPhoto+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}

func (s *Server) greeningOrderPhoto(w http.ResponseWriter, r *http.Request) error {
	id, _ := orderID(r)
	back := fmt.Sprintf("/admin/greening/orders/%d", id)
	data, err := readPhoto(r, "photo")
	if err != nil {
		greeningBack(w, r, back, "err", "photo-bad")
		return nil
	}
	if _, err := s.cfg.Greening.Store.AddPhoto(r.Context(), id, r.FormValue("phase"), data, greeningActor(r)); err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	s.audit(r, nil, "greening.order.photo", fmt.Sprintf("order:%d", id), map[string]any{"phase": r.FormValue("phase"), "bytes": len(data)})
	greeningBack(w, r, back, "ok", "photo")
	return nil
}

func (s *Server) greeningOrderComplete(w http.ResponseWriter, r *http.Request) error {
	id, _ := orderID(r)
	back := fmt.Sprintf("/admin/greening/orders/%d", id)
	g := s.cfg.Greening
	if err := g.Store.Complete(r.Context(), id, greeningActor(r), maskText(r.FormValue("result")), r.FormValue("health")); err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	// The month's survey follows the inventory, so the effect charts move
	// with each re-graded tree.
	if err := g.Store.Survey(r.Context(), s.now().In(greening.Zone).Format("2006-01")); err != nil {
		slog.ErrorContext(r.Context(), "greening survey", "err", err)
	}
	s.audit(r, nil, "greening.order.complete", fmt.Sprintf("order:%d", id), map[string]any{"health": r.FormValue("health")})
	greeningBack(w, r, back, "ok", "completed")
	return nil
}

func (s *Server) greeningPhoto(w http.ResponseWriter, r *http.Request) error {
	id, ok1 := orderID(r)
	pid, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if !ok1 || err != nil {
		s.renderError(w, r, http.StatusNotFound, greeningMessages["notfound"])
		return nil
	}
	data, mime, err := s.cfg.Greening.Store.PhotoData(r.Context(), id, pid)
	if errors.Is(err, greening.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, greeningMessages["notfound"])
		return nil
	}
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	// The type was sniffed when stored; nosniff keeps the browser to it.
	w.Header().Set("Content-Type", mime)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(data)
	return nil
}

// Evaluation and reports.

type greeningEvalData struct {
	Demo      bool
	Coverage  []greening.Coverage
	Recurring []greening.Recurrence
	Planned   []greening.DoneVsPlanned
	Health    []greening.HealthPoint
	Months    []string
	Month     string
	TaskNames map[string]string
}

func (s *Server) greeningEvalData(ctx context.Context) (greeningEvalData, error) {
	g := s.cfg.Greening
	now := s.now()
	d := greeningEvalData{Demo: g.Demo, Month: now.In(greening.Zone).Format("2006-01"), TaskNames: greening.TaskNames}
	var err error
	if d.Coverage, err = g.Store.Coverages(ctx); err != nil {
		return d, err
	}
	if d.Recurring, err = g.Store.Recurrences(ctx, 90*24*time.Hour); err != nil {
		return d, err
	}
	if d.Planned, err = g.Store.DoneVsPlannedSeries(ctx, "", 6, now); err != nil {
		return d, err
	}
	if d.Health, err = g.Store.HealthSeries(ctx, "", ""); err != nil {
		return d, err
	}
	for i := 0; i < 6; i++ {
		d.Months = append(d.Months, greening.Month(now).Start.AddDate(0, -i, 0).Format("2006-01"))
	}
	return d, nil
}

func (s *Server) greeningEvaluation(w http.ResponseWriter, r *http.Request) error {
	d, err := s.greeningEvalData(r.Context())
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	s.render(w, r, http.StatusOK, "admin_greening_eval.html", s.greeningPage(r, "效果评估", d))
	return nil
}

// greeningEvalAPI is the evaluation's series for the charts; street and
// species narrow the health series.
func (s *Server) greeningEvalAPI(w http.ResponseWriter, r *http.Request) error {
	d, err := s.greeningEvalData(r.Context())
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	q := r.URL.Query()
	if q.Get("street") != "" || q.Get("species") != "" {
		if d.Health, err = s.cfg.Greening.Store.HealthSeries(r.Context(), q.Get("street"), q.Get("species")); err != nil {
			return unavailable(greeningMessages["failed"], err)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(d)
}

func (s *Server) greeningReportExport(w http.ResponseWriter, r *http.Request) error {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.now().In(greening.Zone).Format("2006-01")
	}
	rep, err := s.cfg.Greening.Store.MonthlyReport(r.Context(), month, s.now())
	if errors.Is(err, greening.ErrInput) {
		s.renderError(w, r, http.StatusBadRequest, "月份格式应为 2006-01。")
		return nil
	}
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	var buf bytes.Buffer
	name := "绿化管养月报-" + month
	if r.URL.Query().Get("format") == "docx" {
		err = rep.WriteDOCX(&buf)
		name += ".docx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	} else {
		err = rep.WriteXLSX(&buf)
		name += ".xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	s.audit(r, nil, "greening.report.export", "month:"+month, nil)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// Knowledge.

type greeningKnowledgeData struct {
	Demo       bool
	Knowledge  greening.Knowledge
	Names      []string
	Conditions map[string]string
	Edit       *greening.Species
	EditJSON   string
}

func (s *Server) greeningKnowledge(w http.ResponseWriter, r *http.Request) error {
	k, err := s.cfg.Greening.Store.Knowledge(r.Context())
	if err != nil {
		return unavailable(greeningMessages["failed"], err)
	}
	d := greeningKnowledgeData{Demo: s.cfg.Greening.Demo, Knowledge: k, Names: k.SpeciesNames(), Conditions: greening.ConditionKinds}
	if sp, ok := k.Species[r.URL.Query().Get("species")]; ok {
		d.Edit = &sp
		b, _ := json.MarshalIndent(sp, "", "  ")
		d.EditJSON = string(b)
	}
	s.render(w, r, http.StatusOK, "admin_greening_knowledge.html", s.greeningPage(r, "养护知识库", d))
	return nil
}

// greeningSpeciesSave saves a species entry edited as JSON (the library
// is data: staff edit it, an expert marks it reviewed).
func (s *Server) greeningSpeciesSave(w http.ResponseWriter, r *http.Request) error {
	var sp greening.Species
	back := "/admin/greening/knowledge"
	if err := json.Unmarshal([]byte(r.FormValue("doc")), &sp); err != nil {
		greeningBack(w, r, back, "err", "input")
		return nil
	}
	if err := s.cfg.Greening.Store.SaveSpecies(r.Context(), sp, r.FormValue("reviewed") == "1", greeningActor(r)); err != nil {
		greeningBack(w, r, back, "err", greeningErrCode(r, err))
		return nil
	}
	s.audit(r, nil, "greening.species.save", "species:"+sp.Name, map[string]any{"reviewed": r.FormValue("reviewed") == "1"})
	greeningBack(w, r, back+"?species="+url.QueryEscape(sp.Name), "ok", "species-saved")
	return nil
}

type greeningAskData struct {
	Question string
	Reply    *greening.Reply
}

// greeningAsk answers a maintenance question from the species library and
// the regulations the staff member may read.
func (s *Server) greeningAsk(w http.ResponseWriter, r *http.Request) error {
	d := greeningAskData{Question: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Question != "" {
		k, err := s.cfg.Greening.Store.Knowledge(r.Context())
		if err != nil {
			return unavailable(greeningMessages["failed"], err)
		}
		var laws greening.LawSearch
		if s.cfg.Library != nil {
			v := library.Viewer{Staff: true}
			if u := currentUser(r); u != nil {
				v.Role = string(u.Role)
			}
			laws = greening.LibrarySearch(s.cfg.Library, v)
		}
		rep, err := greening.Answer(r.Context(), k, laws, maskText(d.Question))
		if err != nil {
			return unavailable(greeningMessages["failed"], err)
		}
		d.Reply = &rep
	}
	s.render(w, r, http.StatusOK, "admin_greening_ask.html", s.greeningPage(r, "养护知识问答", d))
	return nil
}

// Residents' tree reports.

type greeningReportData struct {
	Streets []string
	Text    string
	Place   string // where the tree is, as the resident says it
	Street  string
	Problem string
	Number  int64
}

// maxReportPlace is the longest place a report takes, in characters.
const maxReportPlace = 100

// greeningReportPage is the form, prefilled from its link (the chat's
// card about a reported tree: text, place, street).
func (s *Server) greeningReportPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := greeningReportData{Streets: streetNames(), Text: firstRunes(q.Get("text"), 1000), Place: firstRunes(q.Get("place"), maxReportPlace)}
	if st := q.Get("street"); slices.Contains(d.Streets, st) {
		d.Street = st
	}
	if n, err := strconv.ParseInt(r.URL.Query().Get("no"), 10, 64); err == nil {
		d.Number = n
	}
	p := s.page(r, "树木隐患报告", d)
	p.Scripts = append(p.Scripts, "/static/greening.js")
	s.render(w, r, http.StatusOK, "greening_report.html", p)
	return nil
}

// greeningReportSubmit files a resident's report as a work order: the
// text is masked for personal data before it is stored, the place comes
// from the browser's location when shared (matched to the nearest tree),
// and a photo is optional but checked like the staff's.
func (s *Server) greeningReportSubmit(w http.ResponseWriter, r *http.Request) error {
	d := greeningReportData{Streets: streetNames(), Text: strings.TrimSpace(r.FormValue("text")),
		Place: strings.TrimSpace(r.FormValue("place")), Street: r.FormValue("street")}
	fail := func(msg string) error {
		d.Problem = msg
		p := s.page(r, "树木隐患报告", d)
		p.Scripts = append(p.Scripts, "/static/greening.js")
		s.render(w, r, http.StatusUnprocessableEntity, "greening_report.html", p)
		return nil
	}
	if d.Text == "" || len([]rune(d.Text)) > 1000 {
		return fail("请用 1000 字以内描述树木的情况。")
	}
	if !slices.Contains(d.Streets, d.Street) {
		return fail("请选择所在街道。")
	}
	if len([]rune(d.Place)) > maxReportPlace {
		return fail(fmt.Sprintf("位置请控制在 %d 字以内。", maxReportPlace))
	}
	lon, err1 := formFloat(r, "lon")
	lat, err2 := formFloat(r, "lat")
	if err1 != nil || err2 != nil {
		lon, lat = 0, 0
	}
	task := greening.TaskOther
	switch {
	case strings.ContainsAny(d.Text, "倒歪斜断裂") || strings.Contains(d.Text, "塌"):
		task = greening.TaskTopple
	case strings.ContainsAny(d.Text, "虫蛀") || strings.Contains(d.Text, "病"):
		task = greening.TaskPest
	case strings.Contains(d.Text, "修剪") || strings.Contains(d.Text, "挡") || strings.Contains(d.Text, "遮"):
		task = greening.TaskPrune
	}
	var photo []byte
	if f, _, err := r.FormFile("photo"); err == nil {
		photo, err = io.ReadAll(io.LimitReader(f, greening.MaxPhoto+1))
		f.Close()
		if err != nil || len(photo) > greening.MaxPhoto || !strings.HasPrefix(http.DetectContentType(photo), "image/") {
			return fail("照片须为 JPEG、PNG、WebP 或 GIF 图片，且不超过 5 MB。")
		}
	}
	text := maskText(d.Text)
	detail := text
	if d.Place != "" {
		detail += "\n位置：" + maskText(d.Place)
	}
	o, err := s.cfg.Greening.Store.CreateOrder(r.Context(), greening.Order{Source: greening.FromResident, Task: task,
		Title: firstRunes(text, 40), Detail: detail, Street: d.Street, Lon: lon, Lat: lat})
	if err != nil {
		slog.ErrorContext(r.Context(), "greening report", "err", err)
		return fail("提交失败，请稍后再试。")
	}
	if len(photo) > 0 {
		if _, err := s.cfg.Greening.Store.AddPhoto(r.Context(), o.ID, "before", photo, "resident"); err != nil {
			slog.ErrorContext(r.Context(), "greening report photo", "err", err)
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/greening/report?no=%d", o.ID), http.StatusSeeOther)
	return nil
}

func firstRunes(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// maskText hides ID, phone and bank numbers before text is stored or
// searched.
func maskText(s string) string {
	m, _ := privacy.Mask(s)
	return m
}
