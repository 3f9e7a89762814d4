package greening

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Problem is a line of an import that was not taken, and why.
type Problem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("第 %d 行：%s", p.Line, p.Reason) }

// ImportReport says what an import did.
type ImportReport struct {
	Rows     int       `json:"rows"`
	Saved    int       `json:"saved"`
	Problems []Problem `json:"problems"`
}

// Progress is told how many of the rows are done, after each batch.
type Progress func(done, total int)

// importBatch is the rows saved per transaction: a crash loses at most
// the batch under way, never leaves one half-written.
const importBatch = 2000

// maxTable bounds a CSV file read into memory.
const maxTable = 256 << 20

// readTable reads a .csv (UTF-8 with or without BOM, or GB18030 as Excel
// on Chinese Windows writes it) or .xlsx (first sheet) whose first
// non-empty row is the header, with the city imports' reader
// (citymon.ReadTable); only those two kinds are taken, a CSV up to
// maxTable.
func readTable(name string, r io.Reader) ([]citymon.TableRow, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return citymon.ReadTable(name, r)
	case ".csv", ".txt", "":
		lr := &io.LimitedReader{R: r, N: maxTable + 1}
		rows, err := citymon.ReadTable(name, lr)
		if lr.N == 0 {
			return nil, fmt.Errorf("%s: larger than %d MiB; split the file", name, maxTable>>20)
		}
		return rows, err
	}
	return nil, fmt.Errorf("%s: only .csv and .xlsx are read", name)
}

func num(row citymon.TableRow, what string, names ...string) (float64, error) {
	s := row.Get(names...)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s %q 不是数字", ErrInput, what, s)
	}
	return v, nil
}

// TreeColumns are the tree table's columns (English or Chinese header).
var TreeColumns = [][]string{
	{"id", "编号", "树木编号"}, {"species", "树种"}, {"dbh_cm", "胸径", "胸径cm"}, {"height_m", "树高", "树高m"},
	{"crown_m", "冠幅", "冠幅m"}, {"lean_deg", "倾斜角", "倾斜"}, {"planted", "种植日期"}, {"lon", "经度"}, {"lat", "纬度"},
	{"street", "街道"}, {"community", "社区"}, {"road", "道路", "位置"}, {"health", "健康等级"},
	{"ancient_grade", "古树等级", "保护等级"}, {"root_space_m2", "树池面积"}, {"decay", "腐朽程度"}, {"target", "下方目标"},
}

func treeFromRow(row citymon.TableRow) (Tree, error) {
	t := Tree{ID: row.Get(TreeColumns[0]...), Species: row.Get(TreeColumns[1]...), Planted: row.Get(TreeColumns[6]...),
		Street: row.Get(TreeColumns[9]...), Community: row.Get(TreeColumns[10]...), Road: row.Get(TreeColumns[11]...),
		Health: strings.ToUpper(row.Get(TreeColumns[12]...)), AncientGrade: row.Get(TreeColumns[13]...), Target: row.Get(TreeColumns[16]...)}
	var err error
	for _, f := range []struct {
		dst  *float64
		cols []string
	}{{&t.DBH, TreeColumns[2]}, {&t.Height, TreeColumns[3]}, {&t.Crown, TreeColumns[4]}, {&t.Lean, TreeColumns[5]},
		{&t.Lon, TreeColumns[7]}, {&t.Lat, TreeColumns[8]}, {&t.RootSpace, TreeColumns[14]}} {
		if *f.dst, err = num(row, f.cols[len(f.cols)-1], f.cols...); err != nil {
			return t, err
		}
	}
	d, err := num(row, "腐朽程度", TreeColumns[15]...)
	if err != nil {
		return t, err
	}
	if d != float64(int(d)) {
		return t, fmt.Errorf("%w: 腐朽程度应为 0—3 的整数", ErrInput)
	}
	t.Decay = int(d)
	return t, t.normalise()
}

// ImportTrees reads trees from a .csv or .xlsx table (columns in
// TreeColumns). A bad row is reported with its line number and the rest
// are saved, in transactions of importBatch rows; progress, when not nil,
// is told after each.
func (s *Store) ImportTrees(ctx context.Context, name string, r io.Reader, actor string, progress Progress) (ImportReport, error) {
	rows, err := readTable(name, r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Rows: len(rows), Problems: []Problem{}}
	seen := make(map[string]int, len(rows))
	batch := make([]Tree, 0, importBatch)
	done := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.SaveTrees(ctx, batch, actor); err != nil {
			return err
		}
		rep.Saved += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done, len(rows))
		}
		return nil
	}
	for _, row := range rows {
		done++
		t, err := treeFromRow(row)
		if err == nil {
			if first, dup := seen[t.ID]; dup {
				err = fmt.Errorf("%w: 编号 %s 与第 %d 行重复", ErrInput, t.ID, first)
			}
		}
		if err != nil {
			if !errors.Is(err, ErrInput) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, Problem{row.Line, strings.TrimPrefix(err.Error(), ErrInput.Error()+": ")})
			continue
		}
		seen[t.ID] = row.Line
		batch = append(batch, t)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if progress != nil {
		progress(len(rows), len(rows))
	}
	if rep.Saved > 0 {
		_ = s.db.Publish(ctx, Topic, "trees")
	}
	return rep, nil
}

// ImportSpaces reads green spaces from a .csv or .xlsx table with the
// columns id/编号, name/名称, category/类型, area_m2/面积, unit/管理单位,
// street/街道, lon/经度, lat/纬度. Bad rows are reported by line.
func (s *Store) ImportSpaces(ctx context.Context, name string, r io.Reader) (ImportReport, error) {
	rows, err := readTable(name, r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Rows: len(rows), Problems: []Problem{}}
	var ok []Space
	for _, row := range rows {
		sp := Space{ID: row.Get("id", "编号"), Name: row.Get("name", "名称"), Category: Category(row.Get("category", "类型", "绿地类型")),
			Unit: row.Get("unit", "管理单位"), Street: row.Get("street", "街道")}
		var err error
		if sp.Area, err = num(row, "面积", "area_m2", "面积", "面积m2"); err == nil {
			if sp.Lon, err = num(row, "经度", "lon", "经度"); err == nil {
				if sp.Lat, err = num(row, "纬度", "lat", "纬度"); err == nil {
					err = sp.normalise()
				}
			}
		}
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{row.Line, strings.TrimPrefix(err.Error(), ErrInput.Error()+": ")})
			continue
		}
		ok = append(ok, sp)
	}
	if err := s.SaveSpaces(ctx, ok); err != nil {
		return rep, err
	}
	rep.Saved = len(ok)
	return rep, nil
}
