package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/library"
)

// The two JSON contracts of issue 14, through the command line.
func TestLibraryEvalJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := runCmd(t, "library", "eval", "--docs", "../../data/library/laws",
		"--cases", "../../internal/library/testdata/dev.jsonl", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]float64
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&m); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object (%v): %s", err, out)
	}
	for _, k := range []string{"article_top1", "article_recall3", "notfound_recall", "notfound_false", "turns"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
	if len(m) != 5 || m["turns"] != 60 || m["article_top1"] < 0.5 {
		t.Errorf("metrics %v", m)
	}
}

func TestLibraryImportAndAsk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	law, err := os.ReadFile("../../data/library/laws/公务员法(2018-12-29).md")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"公务员法(2018-12-29).md": law, "坏文件.docx": []byte("not a zip")} {
		if err := os.WriteFile(filepath.Join(docs, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	code, out, errs := runCmd(t, "library", "import", docs, "--collection", "人事制度", "--data", data)
	if code != 3 || !strings.Contains(out, "《中华人民共和国公务员法》2018-12-29版 113 条") || !strings.Contains(out, "坏文件.docx: 失败") {
		t.Fatalf("import exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "library", "ask", "新录用的公务员试用期多长", "--collection", "人事制度", "--data", data, "--json", "--demo=false")
	if code != 0 {
		t.Fatalf("ask exit %d: %s", code, errs)
	}
	var ans struct {
		Status    string `json:"status"`
		Answer    string `json:"answer"`
		Citations []struct {
			Law, Article, Version, Text string
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if ans.Status != string(library.Answered) || len(ans.Citations) == 0 || ans.Citations[0].Law != "中华人民共和国公务员法" ||
		ans.Citations[0].Article != "第三十四条" || ans.Citations[0].Version != "2018-12-29" || !strings.Contains(ans.Citations[0].Text, "试用期为一年") {
		t.Errorf("answer %+v", ans)
	}
}

func TestTeachCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	plan, set, key := filepath.Join(dir, "plan.docx"), filepath.Join(dir, "set.docx"), filepath.Join(dir, "key.docx")
	code, out, errs := runCmd(t, "teach", "plan", "--subject", "数学", "--grade", "七年级", "--topic", "解一元一次方程", "--out", plan, "--data", data)
	if code != 0 || !strings.Contains(out, "教学重点") {
		t.Fatalf("plan exit %d: %s %s", code, out, errs)
	}
	code, out, errs = runCmd(t, "teach", "set", "--points", "移项,去分母", "--types", "单选=2,解答=2", "--out", set, "--key", key, "--data", data)
	if code != 0 || strings.Count(out, "\n") < 5 {
		t.Fatalf("set exit %d: %s %s", code, out, errs)
	}
	for _, f := range []string{plan, set, key} {
		if st, err := os.Stat(f); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
	code, out, errs = runCmd(t, "teach", "pairs", "--data", data, "--json")
	if code != 0 || !strings.Contains(out, `"status":"proposed"`) {
		t.Errorf("pairs exit %d: %s %s", code, out, errs)
	}
}
