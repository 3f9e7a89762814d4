package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestPolicyMatchGolden")

// TestPolicyMatchGolden runs "fuwu policy match" on each folder of
// testdata/match — policies.jsonl, profiles.jsonl, the extra arguments in
// args — and compares standard output with want.json byte for byte, the
// exit status with code (default 0), and checks that standard error has
// every line of stderr (PROFILES standing for the profiles file, and a
// policies error line prefixed by the policies file). The cases cover
// each rule of ../shared/policy/README.md; the golden files were checked
// by hand against it.
func TestPolicyMatchGolden(t *testing.T) {
	t.Parallel()
	dirs, err := os.ReadDir(filepath.Join("testdata", "match"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		dir := filepath.Join("testdata", "match", d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			read := func(name string) string {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				return string(b)
			}
			pol, prof := filepath.Join(dir, "policies.jsonl"), filepath.Join(dir, "profiles.jsonl")
			args := append([]string{"policy", "match", "--policies", pol, "--profiles", prof}, strings.Fields(read("args"))...)
			code, out, errs := runCmd(t, args...)
			want := 0
			if c := strings.TrimSpace(read("code")); c != "" {
				want, _ = strconv.Atoi(c)
			}
			if code != want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, out, errs)
			}
			for _, line := range strings.Split(strings.TrimSpace(read("stderr")), "\n") {
				if line == "" {
					continue
				}
				line = strings.ReplaceAll(line, "PROFILES", prof)
				if strings.HasPrefix(line, "line ") {
					line = pol + " " + line
				}
				if !strings.Contains(errs, line) {
					t.Errorf("stderr lacks %q:\n%s", line, errs)
				}
			}
			if want == 1 {
				if out != "" {
					t.Errorf("something was matched before the error:\n%s", out)
				}
				return
			}
			var doc struct {
				Results []json.RawMessage `json:"results"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Results == nil {
				t.Fatalf("stdout is not {\"results\":[…]}: %v\n%s", err, out)
			}
			golden := filepath.Join(dir, "want.json")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if w := read("want.json"); out != w {
				t.Errorf("stdout differs from %s:\n%s\nwant:\n%s", golden, out, w)
			}
		})
	}
}

// TestPolicyCommands drives the library, registry, results and batch
// commands as staff would, on both engines.
func TestPolicyCommands(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			db := []string{"--data", dir, "--db", storetest.URL(t, d)}
			cmd := func(args ...string) (int, string, string) {
				return runCmd(t, append(args, db...)...)
			}
			code, out, errs := cmd("policy", "fields", "--set", "../../data/policy/fields.json")
			if code != 0 || !strings.Contains(out, "出生日期") {
				t.Fatalf("fields: %d %s %s", code, out, errs)
			}
			code, out, errs = cmd("policy", "import", "../../data/policy/policies.jsonl", "--actor", "editor")
			if code != 0 || !strings.Contains(out, "新增 29") {
				t.Fatalf("import: %d %s %s", code, out, errs)
			}
			if code, out, _ = cmd("policy", "list", "--state", "review"); code != 0 || strings.Count(out, "\n") != 29 {
				t.Fatalf("list review: %d\n%s", code, out)
			}
			if code, _, errs = cmd("policy", "publish", "POL-101", "--hash", "nothing-reviewed", "--actor", "reviewer"); code != 1 || !strings.Contains(errs, "changed after it was reviewed") {
				t.Errorf("publish with a wrong hash: %d %s", code, errs)
			}
			if code, out, errs = cmd("policy", "publish", "POL-101", "--actor", "reviewer"); code != 0 || !strings.Contains(out, "已发布") {
				t.Fatalf("publish: %d %s %s", code, out, errs)
			}
			if code, _, errs = cmd("policy", "return", "POL-102"); code != 2 || !strings.Contains(errs, "--note") {
				t.Errorf("return without a note: %d %s", code, errs)
			}
			people := filepath.Join(dir, "people.csv")
			csv := "姓名,身份证号,联系电话,住址,街道,社区,户籍城市,出生日期\n" +
				"张三,110105194101010015,13800000001,深圳市福田区园岭街道百花二路1号,园岭,百花社区,深圳,1941-01-01\n" +
				"李四,110105194101010014,13800000002,深圳市福田区园岭街道1号,园岭,百花社区,深圳,1941-01-01\n"
			if err := os.WriteFile(people, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs = cmd("registry", "import", people, "--kind", "person")
			if code != 3 || !strings.Contains(out, "新增 1") || !strings.Contains(errs, "line 3: 公民身份号码校验码错误") {
				t.Fatalf("registry import: %d %s %s", code, out, errs)
			}
			code, out, _ = cmd("registry", "list", "--json")
			var list struct {
				Profiles []struct{ ID, Name, Phone string }
			}
			if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list.Profiles) != 1 || list.Profiles[0].Name != "张*" {
				t.Fatalf("registry list: %d %s", code, out)
			}
			id := list.Profiles[0].ID
			if code, out, _ = cmd("policy", "results", id); code != 0 || !strings.Contains(out, "POL-101") {
				t.Errorf("results: %d %s", code, out)
			}
			// The store as the source of both files.
			code, out, _ = cmd("policy", "match", "--as-of", "2026-12-01", "--json")
			if code != 0 || !strings.Contains(out, `"profile":"`+id+`","policy":"POL-101","status":"eligible","amount":200`) {
				t.Errorf("match from the store: %d %s", code, out)
			}
			code, out, errs = cmd("policy", "batch", "create", "POL-101", "--period", "2026-12", "--actor", "maker")
			if code != 0 || !strings.Contains(out, "个人 1") {
				t.Fatalf("batch create: %d %s %s", code, out, errs)
			}
			if code, _, errs = cmd("policy", "batch", "approve", "1", "--actor", "maker"); code != 1 || !strings.Contains(errs, "someone other") {
				t.Errorf("self-approval: %d %s", code, errs)
			}
			if code, out, errs = cmd("policy", "batch", "approve", "1", "--actor", "reviewer"); code != 0 || !strings.Contains(out, "已批准") {
				t.Fatalf("approve: %d %s %s", code, out, errs)
			}
			if code, out, _ = cmd("policy", "stats", "--json"); code != 0 || !strings.Contains(out, `"amount_fen": 20000`) {
				t.Errorf("stats: %d %s", code, out)
			}
			if code, out, _ = cmd("registry", "reveal", id, "--purpose", "核实", "--actor", "staff"); code != 0 || !strings.Contains(out, "110105194101010015") {
				t.Errorf("reveal: %d %s", code, out)
			}
			code, out, _ = cmd("policy", "check", "--target", "person", "birth_date=1941年6月2日", "hukou_city=深圳")
			if code != 0 || !strings.Contains(out, "POL-101") {
				t.Errorf("check: %d %s", code, out)
			}
			if code, _, errs = cmd("policy", "check", "disability_level=很重"); code != 2 || !strings.Contains(errs, "残疾等级：请填写数字") {
				t.Errorf("check with a bad answer: %d %s", code, errs)
			}
			x := filepath.Join(dir, "p.xlsx")
			if code, _, errs = cmd("policy", "export", x); code != 0 {
				t.Fatalf("export: %s", errs)
			}
			if code, out, errs = cmd("policy", "import", x, "--status", "published"); code != 0 || !strings.Contains(out, "未变 1") {
				t.Errorf("re-import of the export: %d %s %s", code, out, errs)
			}
		})
	}
}
