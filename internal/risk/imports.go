package risk

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// ImportReport says what an import did: rows read, rows saved and, by
// line, the rows not taken.
type ImportReport struct {
	Rows     int               `json:"rows"`
	Saved    int               `json:"saved"`
	Problems []citymon.Problem `json:"problems"`
}

// Column names an import accepts, English or Chinese.
var (
	colID          = []string{"id", "编号", "社区编号", "网格编号"}
	colName        = []string{"name", "名称", "社区名称", "网格名称"}
	colStreet      = []string{"street", "街道"}
	colCommunity   = []string{"community", "所属社区"}
	colArea        = []string{"area_hm2", "面积", "面积(公顷)", "面积（公顷）"}
	colImpervious  = []string{"impervious", "不透水率", "不透水面积比例"}
	colDesign      = []string{"design_period", "设计重现期", "排水设计重现期"}
	colConc        = []string{"concentration_min", "concentration", "汇流时间"}
	colTide        = []string{"tide_influence", "潮位影响", "受潮位影响比例"}
	colGarages     = []string{"garages", "地下车库"}
	colUnderpasses = []string{"underpasses", "下穿通道"}
	colPumps       = []string{"pumps", "泵站"}
	colElderly     = []string{"elderly_alone", "独居老人"}
	colGround      = []string{"ground_floor_homes", "ground_floor", "首层住户"}
	colRain        = []string{"rain_gauges", "雨量计"}
	colLevel       = []string{"level_gauges", "水位计"}
	colRiver       = []string{"river_gauge", "河道水位计"}
	colWorkers     = []string{"workers", "网格员"}
	colLon         = []string{"lon", "经度"}
	colLat         = []string{"lat", "纬度"}
	colSynthetic   = []string{"synthetic", "演示数据"}
	colPondArea    = []string{"area", "所属区域", "社区或网格"}
	colMaxDepth    = []string{"max_depth_m", "max_depth", "最深积水", "最深积水(米)"}
	colDate        = []string{"date", "日期"}
	colCause       = []string{"cause", "原因"}
	colGauge       = []string{"gauge", "水位计编号"}
)

// ImportAreas reads communities and grid cells from a .csv or .xlsx table
// (columns id, name, street, community — empty for a community, the
// community's id for a grid cell — area_hm2, impervious, design_period,
// concentration_min, tide_influence, garages, underpasses, pumps,
// elderly_alone, ground_floor_homes, rain_gauges, level_gauges,
// river_gauge, workers, lon, lat, synthetic; Chinese headers 编号, 名称,
// 街道, 所属社区, 面积, 不透水率, 设计重现期 … also work; lists separated by
// ";"). A bad row is reported with its line number and the rest are
// saved.
func (s *Store) ImportAreas(ctx context.Context, name string, r io.Reader, actor string) (ImportReport, error) {
	rows, err := citymon.ReadTable(name, r)
	if err != nil {
		return ImportReport{}, fmt.Errorf("%w: %v", ErrInput, err)
	}
	rep := ImportReport{Rows: len(rows), Problems: []citymon.Problem{}}
	for _, row := range rows {
		a, err := areaFromRow(row)
		if err == nil {
			err = s.SaveArea(ctx, a, actor)
		}
		if err != nil {
			if !errors.Is(err, ErrInput) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, citymon.Problem{Line: row.Line, Reason: reason(err)})
			continue
		}
		rep.Saved++
	}
	return rep, nil
}

// ImportPonding reads ponding points (id, area, name, gauge, max_depth_m,
// date, cause; 编号, 所属区域, 名称, 水位计编号, 最深积水, 日期, 原因) the
// same way; a point must name an area already saved.
func (s *Store) ImportPonding(ctx context.Context, name string, r io.Reader) (ImportReport, error) {
	rows, err := citymon.ReadTable(name, r)
	if err != nil {
		return ImportReport{}, fmt.Errorf("%w: %v", ErrInput, err)
	}
	rep := ImportReport{Rows: len(rows), Problems: []citymon.Problem{}}
	for _, row := range rows {
		p := PondingPoint{ID: row.Get(colID...), Name: row.Get(colName...), Gauge: row.Get(colGauge...),
			Date: row.Get(colDate...), Cause: row.Get(colCause...)}
		var err error
		if p.MaxDepth, err = num(row, colMaxDepth, 0); err == nil {
			err = s.SavePonding(ctx, row.Get(colPondArea...), p)
		}
		if err != nil {
			if !errors.Is(err, ErrInput) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, citymon.Problem{Line: row.Line, Reason: reason(err)})
			continue
		}
		rep.Saved++
	}
	return rep, nil
}

func reason(err error) string { return strings.TrimPrefix(err.Error(), ErrInput.Error()+": ") }

func areaFromRow(row citymon.TableRow) (Area, error) {
	a := Area{ID: row.Get(colID...), Name: row.Get(colName...), Street: row.Get(colStreet...), Community: row.Get(colCommunity...),
		RainGauges: splitList(row.Get(colRain...)), LevelGauges: splitList(row.Get(colLevel...)), RiverGauge: row.Get(colRiver...),
		Workers: splitList(row.Get(colWorkers...))}
	var err error
	f := func(dst *float64, cols []string, def float64) {
		if err == nil {
			*dst, err = num(row, cols, def)
		}
	}
	n := func(dst *int, cols []string) {
		var v float64
		f(&v, cols, 0)
		if err == nil && (v != float64(int(v)) || v < 0) {
			err = fmt.Errorf("%w: %s: %v is not a whole number ≥ 0", ErrInput, cols[0], v)
		}
		*dst = int(v)
	}
	f(&a.AreaHm2, colArea, -1)
	f(&a.Impervious, colImpervious, -1)
	f(&a.DesignPeriod, colDesign, -1)
	f(&a.Concentration, colConc, 0)
	f(&a.TideInfluence, colTide, 0)
	f(&a.Lon, colLon, 0)
	f(&a.Lat, colLat, 0)
	n(&a.Garages, colGarages)
	n(&a.Underpasses, colUnderpasses)
	n(&a.Pumps, colPumps)
	n(&a.ElderlyAlone, colElderly)
	n(&a.GroundFloor, colGround)
	if err != nil {
		return Area{}, err
	}
	// A share may be written as a percentage.
	if a.Impervious > 1 && a.Impervious <= 100 {
		a.Impervious /= 100
	}
	if a.TideInfluence > 1 && a.TideInfluence <= 100 {
		a.TideInfluence /= 100
	}
	switch strings.ToLower(row.Get(colSynthetic...)) {
	case "1", "true", "yes", "是":
		a.Synthetic = true
	}
	return a, nil
}

// num reads a number cell; def when the cell is empty (a negative def
// marks the column as required).
func num(row citymon.TableRow, cols []string, def float64) (float64, error) {
	v := strings.TrimSuffix(strings.TrimSpace(row.Get(cols...)), "%")
	if v == "" {
		if def < 0 {
			return 0, fmt.Errorf("%w: %s is required", ErrInput, cols[0])
		}
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %q is not a number", ErrInput, cols[0], v)
	}
	return x, nil
}

// ReadAreas reads an area table (the columns ImportAreas takes) without
// saving it, for the replay; bad rows are returned as problems.
func ReadAreas(name string, r io.Reader) ([]Area, []citymon.Problem, error) {
	rows, err := citymon.ReadTable(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	var out []Area
	var probs []citymon.Problem
	for _, row := range rows {
		a, err := areaFromRow(row)
		if err == nil {
			err = a.Validate()
		}
		if err != nil {
			probs = append(probs, citymon.Problem{Line: row.Line, Reason: reason(err)})
			continue
		}
		out = append(out, a)
	}
	return out, probs, nil
}

// ReadPonding reads a ponding-point table (the columns ImportPonding
// takes) without saving it: points by area.
func ReadPonding(name string, r io.Reader) (map[string][]PondingPoint, []citymon.Problem, error) {
	rows, err := citymon.ReadTable(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	out := map[string][]PondingPoint{}
	var probs []citymon.Problem
	for _, row := range rows {
		p := PondingPoint{ID: row.Get(colID...), Name: row.Get(colName...), Gauge: row.Get(colGauge...),
			Date: row.Get(colDate...), Cause: row.Get(colCause...)}
		area := row.Get(colPondArea...)
		var err error
		p.MaxDepth, err = num(row, colMaxDepth, 0)
		if err == nil && (p.ID == "" || p.Name == "" || area == "") {
			err = fmt.Errorf("%w: a ponding point needs an id, an area and a name", ErrInput)
		}
		if err != nil {
			probs = append(probs, citymon.Problem{Line: row.Line, Reason: reason(err)})
			continue
		}
		out[area] = append(out[area], p)
	}
	return out, probs, nil
}

// WriteAreas writes areas as a CSV that ImportAreas and ReadAreas read.
func WriteAreas(w io.Writer, as []Area) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "name", "street", "community", "area_hm2", "impervious", "design_period", "concentration_min",
		"tide_influence", "garages", "underpasses", "pumps", "elderly_alone", "ground_floor_homes", "rain_gauges",
		"level_gauges", "river_gauge", "workers", "lon", "lat", "synthetic"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, a := range as {
		cw.Write([]string{a.ID, a.Name, a.Street, a.Community, f(a.AreaHm2), f(a.Impervious), f(a.DesignPeriod), f(a.Concentration),
			f(a.TideInfluence), strconv.Itoa(a.Garages), strconv.Itoa(a.Underpasses), strconv.Itoa(a.Pumps),
			strconv.Itoa(a.ElderlyAlone), strconv.Itoa(a.GroundFloor), joinList(a.RainGauges), joinList(a.LevelGauges),
			a.RiverGauge, joinList(a.Workers), f(a.Lon), f(a.Lat), strconv.FormatBool(a.Synthetic)})
	}
	cw.Flush()
	return cw.Error()
}

// WritePonding writes the areas' ponding points as a CSV that
// ImportPonding and ReadPonding read.
func WritePonding(w io.Writer, as []Area) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "area", "name", "gauge", "max_depth_m", "date", "cause"})
	for _, a := range as {
		for _, p := range a.PondingPoints {
			cw.Write([]string{p.ID, a.ID, p.Name, p.Gauge, strconv.FormatFloat(p.MaxDepth, 'f', -1, 64), p.Date, p.Cause})
		}
	}
	cw.Flush()
	return cw.Error()
}
