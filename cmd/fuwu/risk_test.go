package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped synthetic storm is what the generator writes today, and
// its replay prints the timeline and the back-test.
func TestRiskReplayDemoStorm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "risk", "demo-storm", "--out", dir); code != 0 {
		t.Fatalf("demo-storm: %d %s", code, errs)
	}
	for _, f := range []string{"storm-demo.csv", "storm-demo-incidents.csv", "areas-demo.csv", "ponding-demo.csv"} {
		got, _ := os.ReadFile(filepath.Join(dir, f))
		want, err := os.ReadFile(filepath.Join("../../data/risk", f))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("data/risk/%s is not what 'fuwu risk demo-storm' writes (%v): regenerate it", f, err)
		}
	}
	code, out, errs := runCmd(t, "risk", "replay", "../../data/risk/storm-demo.csv", "--incidents", "../../data/risk/storm-demo-incidents.csv")
	if code != 0 {
		t.Fatalf("replay: %d %s", code, errs)
	}
	for _, want := range []string{"未经核实", "FT-09-1", "福保演示一社区", "回测（预警等级 橙 及以上）", "命中率", "提前量"} {
		if !strings.Contains(out, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out)
		}
	}
	// From the files (areas and ponding points) it gives the same back-test
	// as from the built-in demo.
	_, j1, _ := runCmd(t, "risk", "replay", "../../data/risk/storm-demo.csv", "--incidents", "../../data/risk/storm-demo-incidents.csv", "--json")
	_, j2, errs := runCmd(t, "risk", "replay", "../../data/risk/storm-demo.csv", "--incidents", "../../data/risk/storm-demo-incidents.csv", "--json",
		"--areas", "../../data/risk/areas-demo.csv", "--ponding", "../../data/risk/ponding-demo.csv")
	var r1, r2 struct {
		Backtest struct{ Hits, Misses, FalseAlarms int } `json:"backtest"`
	}
	if err := json.Unmarshal([]byte(j1), &r1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(j2), &r2); err != nil {
		t.Fatalf("%v %s", err, errs)
	}
	if r1 != r2 || r1.Backtest.Hits == 0 {
		t.Errorf("built-in %+v, from files %+v", r1, r2)
	}
}

func TestRiskReplayRefusesBadArguments(t *testing.T) {
	t.Parallel()
	if code, _, _ := runCmd(t, "risk", "replay"); code != 2 {
		t.Errorf("no event file: exit %d", code)
	}
	if code, _, _ := runCmd(t, "risk", "replay", "x.csv", "--alert-level", "紫"); code != 2 {
		t.Errorf("bad level: exit %d", code)
	}
	if code, _, _ := runCmd(t, "risk", "nosuch"); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}

func TestRiskFireDemoValidate(t *testing.T) {
	t.Parallel()
	code, out, errs := runCmd(t, "risk", "fire", "--demo", "--validate", "--top", "3")
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	for _, want := range []string{"层次分析法", "CR = 0.021", "合成火灾记录", "AUC = 0.66", "城中村握手楼占比"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runCmd(t, "risk", "fire", "--validate"); code != 2 {
		t.Errorf("--validate without --demo: exit %d", code)
	}
}
