package greening

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var testNow = time.Date(2026, 7, 15, 10, 0, 0, 0, Zone)

func fixedClock() time.Time { return testNow }

const treesCSV = `编号,树种,胸径,树高,冠幅,倾斜角,种植日期,经度,纬度,街道,社区,道路,健康等级,古树等级,树池面积,腐朽程度,下方目标
T1,榕树,45,12,10,5,2010-03-01,114.05,22.55,莲花街道,莲花北社区,红荔路,A,,1.2,0,road
T2,大叶紫薇,20,7,5,0,2019,114.06,22.55,莲花街道,,红荔路,较健康,,2,0,
T3,凤凰木,60,14,16,12,,114.20,99,莲花街道,,,A,,,0,
T4,木棉,80,20,12,0,,114.07,22.54,福田街道,,,Z,,,0,
T1,榕树,45,12,10,5,,114.05,22.55,莲花街道,,,A,,,0,
T6,榕树,150,18,20,3,,114.08,22.54,福田街道,,,B,一级,6,1,school
T7,木棉,abc,20,12,0,,114.07,22.54,福田街道,,,A,,,0,
T8,秋枫,30,10,8,0,,114.07,22.54,福田街道,,,A,四级,,0,
`

func TestImportTrees(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db, fixedClock)
		var calls []int
		rep, err := s.ImportTrees(ctx, "trees.csv", strings.NewReader(treesCSV), "tester", func(done, total int) { calls = append(calls, done) })
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 8 || rep.Saved != 3 {
			t.Fatalf("rows %d saved %d, want 8 and 3: %v", rep.Rows, rep.Saved, rep.Problems)
		}
		wantLines := []int{4, 5, 6, 8, 9}
		if len(rep.Problems) != len(wantLines) {
			t.Fatalf("problems %v", rep.Problems)
		}
		for i, p := range rep.Problems {
			if p.Line != wantLines[i] {
				t.Errorf("problem %d at line %d, want %d (%s)", i, p.Line, wantLines[i], p.Reason)
			}
		}
		if !strings.Contains(rep.Problems[2].Reason, "第 2 行重复") || !strings.Contains(rep.Problems[3].Reason, "胸径") {
			t.Errorf("reasons: %v", rep.Problems)
		}
		if len(calls) == 0 || calls[len(calls)-1] != 8 {
			t.Errorf("progress calls %v", calls)
		}
		t6, err := s.Tree(ctx, "T6")
		if err != nil {
			t.Fatal(err)
		}
		if !t6.Ancient || t6.AncientGrade != "一级" || t6.Health != "B" || t6.Target != "school" || t6.Decay != 1 {
			t.Errorf("T6 = %+v", t6)
		}
		t2, _ := s.Tree(ctx, "T2")
		if t2.Health != "B" || t2.Planted != "2019" {
			t.Errorf("T2 = %+v", t2)
		}
		n, err := s.CountTrees(ctx, TreeFilter{Street: "莲花街道"})
		if err != nil || n != 2 {
			t.Errorf("count 莲花街道 = %d, %v", n, err)
		}
		anc, _ := s.Trees(ctx, TreeFilter{Ancient: true})
		if len(anc) != 1 || anc[0].ID != "T6" {
			t.Errorf("ancient = %v", anc)
		}
		q, _ := s.Trees(ctx, TreeFilter{Query: "红荔"})
		if len(q) != 2 {
			t.Errorf("query 红荔 = %d trees", len(q))
		}
		if _, err := s.Tree(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing tree: %v", err)
		}
	})
}

func TestImportTreesXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"id", "species", "dbh_cm", "height_m", "crown_m", "lon", "lat", "street", "health"},
		{"X1", "扁桃", 30, 10, 8, 114.05, 22.55, "沙头街道", "A"},
		{"X2", "扁桃", 30, 10, 8, 114.05, 22.55, "", "A"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, store.SQLite, Migrations)
	s := NewStore(db, fixedClock)
	rep, err := s.ImportTrees(context.Background(), "t.xlsx", &buf, "tester", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 1 || len(rep.Problems) != 1 || rep.Problems[0].Line != 3 || !strings.Contains(rep.Problems[0].Reason, "街道") {
		t.Errorf("report %+v", rep)
	}
}

func TestImportSpacesAndKnowledge(t *testing.T) {
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewStore(db, fixedClock)
		csv := "编号,名称,类型,面积,管理单位,街道\nS1,莲花山公园,公共绿地,1500000,公园管理中心,莲花街道\nS2,某小区,居住区,8000,物业,福田街道\nS3,苗圃,林地,100,,福田街道\nS4,防护带,防护绿地,-5,,福田街道\n"
		rep, err := s.ImportSpaces(ctx, "s.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Saved != 2 || len(rep.Problems) != 2 || rep.Problems[0].Line != 4 || rep.Problems[1].Line != 5 {
			t.Fatalf("report %+v", rep)
		}
		sps, _ := s.Spaces(ctx, "福田街道")
		if len(sps) != 1 || sps[0].Category != Residential {
			t.Errorf("spaces %+v", sps)
		}

		k, err := s.Knowledge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(k.Species) < 10 || k.Species["大叶紫薇"].PruneMonths[0] != 12 || !strings.Contains(k.Status, "审核") {
			t.Fatalf("starter knowledge: %d species, status %q", len(k.Species), k.Status)
		}
		sp := k.Species["凤凰木"]
		sp.WindResistance = 2
		if err := s.SaveSpecies(ctx, sp, true, "expert"); err != nil {
			t.Fatal(err)
		}
		bad := sp
		bad.WindResistance = 9
		if err := s.SaveSpecies(ctx, bad, false, "x"); !errors.Is(err, ErrInput) {
			t.Errorf("bad species saved: %v", err)
		}
		if err := s.SaveRule(ctx, Rule{ID: "r", Name: "r", Task: TaskPrune, Condition: "moon", Frequency: "weekly"}, false, "x"); !errors.Is(err, ErrInput) {
			t.Errorf("rule with unknown condition saved: %v", err)
		}
		k2, err := s.Knowledge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := k2.Species["凤凰木"]; got.WindResistance != 2 || !got.Reviewed {
			t.Errorf("edited species %+v", got)
		}
		if len(k2.Rules) != len(k.Rules) || k2.Rules[0].Priority < k2.Rules[len(k2.Rules)-1].Priority {
			t.Errorf("rules %d vs %d, or not by priority", len(k2.Rules), len(k.Rules))
		}
	})
}

// The table reader greening shares with the city imports keeps greening's
// rules: .csv (UTF-8, with a byte-order mark, or GB18030) and .xlsx only,
// rows numbered from the header's line 1, headers matched
// case-insensitively.
func TestReadTableKinds(t *testing.T) {
	t.Parallel()
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("编号,树种\nT1,榕树\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, body string
		err        string
		species    string
		line       int
	}{
		{"a.csv", "ID,Species\nT1,榕树\n", "", "榕树", 2},
		{"a.csv", "\xef\xbb\xbf编号,树种\nT1,木棉\n", "", "木棉", 2},
		{"a.csv", gb, "", "榕树", 2},
		{"a.txt", "id,species\nT0,\nT1,凤凰木\n", "", "凤凰木", 3},
		{"a.json", `[{"id":"T1"}]`, "only .csv and .xlsx are read", "", 0},
		{"a.csv", "\n \n", "empty", "", 0},
	} {
		rows, err := readTable(c.name, strings.NewReader(c.body))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: err %v, want %q", c.name, c.body, err, c.err)
			}
			continue
		}
		if err != nil || len(rows) == 0 {
			t.Errorf("%s %q: %v %v", c.name, c.body, rows, err)
			continue
		}
		last := rows[len(rows)-1]
		if got := last.Get(TreeColumns[1]...); got != c.species || last.Line != c.line {
			t.Errorf("%s %q: species %q at line %d, want %q at %d", c.name, c.body, got, last.Line, c.species, c.line)
		}
	}
}
