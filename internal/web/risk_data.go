package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/risk"
)

// maxRiskImport bounds an uploaded table of areas, ponding points or fire
// indicators.
const maxRiskImport = 16 << 20

// riskImportKinds are the tables the console imports, by form value.
var riskImportKinds = []struct{ Kind, Name string }{
	{"areas", "社区和网格"}, {"ponding", "易涝点"}, {"fire", "消防指标"},
}

type riskDataData struct {
	Demo      bool
	Areas     []risk.Area
	Grids     int
	Kinds     []struct{ Kind, Name string }
	Kind      string
	File      string
	Report    *risk.ImportReport
	Problem   string
	CanManage bool
}

// riskDataPage is the static picture: every community as stored, and the
// import of tables.
func (s *Server) riskDataPage(w http.ResponseWriter, r *http.Request, status int, d riskDataData) error {
	ctx := r.Context()
	ro := s.cfg.Risk
	var err error
	if d.Areas, err = ro.Store.Areas(ctx, false); err != nil {
		return unavailable(riskMessages["failed"], fmt.Errorf("risk data: %w", err))
	}
	gs, err := ro.Store.Areas(ctx, true)
	if err != nil {
		return unavailable(riskMessages["failed"], fmt.Errorf("risk data: %w", err))
	}
	d.Grids, d.Demo, d.Kinds = len(gs), ro.Demo, riskImportKinds
	if u := currentUser(r); u != nil {
		d.CanManage = u.Can(auth.ManageCity)
	}
	if d.Kind == "" {
		d.Kind = "areas"
	}
	s.render(w, r, status, "admin_risk_data.html", s.riskPage(r, "社区基础数据", d))
	return nil
}

func (s *Server) riskData(w http.ResponseWriter, r *http.Request) error {
	return s.riskDataPage(w, r, http.StatusOK, riskDataData{})
}

// riskImport takes a .csv or .xlsx of communities and grid cells, ponding
// points or fire indicators: bad rows are listed with their line numbers,
// the others saved.
func (s *Server) riskImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxRiskImport)
	kind := r.FormValue("kind")
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.riskDataPage(w, r, http.StatusBadRequest, riskDataData{Kind: kind, Problem: "请选择 .csv 或 .xlsx 文件（不超过 16 MB）。"})
	}
	defer f.Close()
	if ext := strings.ToLower(filepath.Ext(hdr.Filename)); ext != ".csv" && ext != ".xlsx" {
		return s.riskDataPage(w, r, http.StatusBadRequest, riskDataData{Kind: kind, Problem: "只接受 .csv 或 .xlsx 文件。"})
	}
	st, who := s.cfg.Risk.Store, greeningActor(r)
	var rep risk.ImportReport
	switch kind {
	case "areas":
		rep, err = st.ImportAreas(r.Context(), hdr.Filename, f, who)
	case "ponding":
		rep, err = st.ImportPonding(r.Context(), hdr.Filename, f)
	case "fire":
		rep, err = st.ImportFire(r.Context(), hdr.Filename, f, who)
	default:
		return s.riskDataPage(w, r, http.StatusBadRequest, riskDataData{Problem: "请选择要导入的表。"})
	}
	if err != nil {
		if !errors.Is(err, risk.ErrInput) {
			return unavailable(riskMessages["failed"], fmt.Errorf("risk import: %w", err))
		}
		slog.InfoContext(r.Context(), "risk import refused", "file", hdr.Filename, "err", err)
		return s.riskDataPage(w, r, http.StatusUnprocessableEntity, riskDataData{Kind: kind, File: hdr.Filename, Problem: "文件无法读取，请检查格式和表头后重试。"})
	}
	s.audit(r, nil, "risk.import", "file:"+hdr.Filename, map[string]any{"kind": kind, "rows": rep.Rows, "saved": rep.Saved, "problems": len(rep.Problems)})
	return s.riskDataPage(w, r, http.StatusOK, riskDataData{Kind: kind, File: hdr.Filename, Report: &rep})
}

type riskAreaData struct {
	Demo    bool
	Area    risk.Area
	Problem string
}

// riskAreaEdit shows one community's or grid cell's static data as a form.
func (s *Server) riskAreaEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.cfg.Risk.Store.Area(r.Context(), r.PathValue("id"))
	if errors.Is(err, risk.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "没有找到该社区或网格。")
		return nil
	}
	if err != nil {
		return unavailable(riskMessages["failed"], err)
	}
	s.render(w, r, http.StatusOK, "admin_risk_area.html", s.riskPage(r, a.Name, riskAreaData{Demo: a.Synthetic, Area: a}))
	return nil
}

// riskAreaSave saves the form: the area's own fields; its ponding points,
// kind and community stay.
func (s *Server) riskAreaSave(w http.ResponseWriter, r *http.Request) error {
	st := s.cfg.Risk.Store
	a, err := st.Area(r.Context(), r.PathValue("id"))
	if errors.Is(err, risk.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "没有找到该社区或网格。")
		return nil
	}
	if err != nil {
		return unavailable(riskMessages["failed"], err)
	}
	if err := r.ParseForm(); err != nil {
		return s.riskAreaRefuse(w, r, a, "提交的内容无法读取。")
	}
	f := r.PostForm
	a.Name, a.Street, a.RiverGauge = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("street")), strings.TrimSpace(f.Get("river_gauge"))
	list := func(k string) []string {
		var out []string
		for _, x := range strings.FieldsFunc(f.Get(k), func(r rune) bool { return r == ';' || r == ',' || r == '，' || r == '；' || r == '\n' }) {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	a.RainGauges, a.LevelGauges, a.Workers = list("rain_gauges"), list("level_gauges"), list("workers")
	var bad []string
	num := func(k, label string, dst *float64) {
		v, err := strconv.ParseFloat(strings.TrimSpace(f.Get(k)), 64)
		if err != nil {
			bad = append(bad, label)
			return
		}
		*dst = v
	}
	count := func(k, label string, dst *int) {
		v, err := strconv.Atoi(strings.TrimSpace(f.Get(k)))
		if err != nil {
			bad = append(bad, label)
			return
		}
		*dst = v
	}
	num("area_hm2", "面积", &a.AreaHm2)
	num("impervious", "不透水率", &a.Impervious)
	num("design_period", "设计重现期", &a.DesignPeriod)
	num("concentration_min", "汇流时间", &a.Concentration)
	num("tide_influence", "潮位影响", &a.TideInfluence)
	count("garages", "地下车库", &a.Garages)
	count("underpasses", "下穿通道", &a.Underpasses)
	count("pumps", "泵站", &a.Pumps)
	count("elderly_alone", "独居老人", &a.ElderlyAlone)
	count("ground_floor_homes", "首层住户", &a.GroundFloor)
	if len(bad) > 0 {
		return s.riskAreaRefuse(w, r, a, "以下各项须填写数字："+strings.Join(bad, "、")+"。")
	}
	if err := st.SaveArea(r.Context(), a, greeningActor(r)); err != nil {
		if errors.Is(err, risk.ErrInput) {
			return s.riskAreaRefuse(w, r, a, "保存未成功："+strings.TrimPrefix(err.Error(), risk.ErrInput.Error()+": "))
		}
		return unavailable(riskMessages["failed"], err)
	}
	s.audit(r, nil, "risk.area.save", "risk:"+a.ID, map[string]any{"design_period": a.DesignPeriod, "impervious": a.Impervious})
	http.Redirect(w, r, "/admin/risk/areas/"+a.ID+"?ok=area-saved", http.StatusSeeOther)
	return nil
}

func (s *Server) riskAreaRefuse(w http.ResponseWriter, r *http.Request, a risk.Area, msg string) error {
	s.render(w, r, http.StatusUnprocessableEntity, "admin_risk_area.html", s.riskPage(r, a.Name, riskAreaData{Demo: a.Synthetic, Area: a, Problem: msg}))
	return nil
}
