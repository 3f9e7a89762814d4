package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

const planted = "../../internal/gongwen/testdata/check/planted_notice.txt"

// --json prints exactly one object with the findings in the shape.
func TestDocCheckJSON(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := runDocCheck(context.Background(), []string{planted, "--json"}, stdio{out: &out, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	var v struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("more than one JSON value on stdout")
	}
	if len(v.Findings) != 30 {
		t.Errorf("%d findings, want the 30 planted", len(v.Findings))
	}
	for _, f := range v.Findings {
		for _, k := range []string{"rule", "severity", "message", "text", "suggestion", "paragraph", "offset", "line", "column"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, f)
			}
		}
		if len(f) != 9 {
			t.Errorf("finding has extra keys: %v", f)
		}
	}
	// A clean document gives an empty list, not null.
	out.Reset()
	if err := runDocCheck(context.Background(), []string{"../../internal/gongwen/testdata/check/clean_request.txt", "--json"}, stdio{out: &out, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != `{"findings":[],"unchecked":[]}` {
		t.Errorf("clean document: %s", out.String())
	}
	// A snippet: no findings, but the checks that could not run are named.
	snip := filepath.Join(t.TempDir(), "snip.txt")
	os.WriteFile(snip, []byte("各单位要认真安排参训人员。\n"), 0o644)
	out.Reset()
	if err := runDocCheck(context.Background(), []string{snip, "--json"}, stdio{out: &out, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	var partial struct {
		Findings  []any    `json:"findings"`
		Unchecked []string `json:"unchecked"`
	}
	if json.Unmarshal(out.Bytes(), &partial) != nil || len(partial.Findings) != 0 || len(partial.Unchecked) != 3 {
		t.Errorf("snippet: %s", out.String())
	}
	out.Reset()
	if err := runDocCheck(context.Background(), []string{snip}, stdio{out: &out, err: io.Discard}); err != nil || !strings.Contains(out.String(), "未能检查：文种") {
		t.Errorf("snippet, text output: %s", out.String())
	}
	// Each finding said once: "错别字：“再接再励”，建议：再接再厉".
	out.Reset()
	if err := runDocCheck(context.Background(), []string{"../../internal/gongwen/testdata/check/planted_basics.txt"}, stdio{out: &out, err: io.Discard}); err != nil ||
		!strings.Contains(out.String(), "[error wording.confusable] 错别字：“再接再励”，建议：再接再厉\n") ||
		!strings.Contains(out.String(), "[warning number.date.hao] 公文中的日期不用口语写法：“号”，建议：日\n") {
		t.Errorf("text output: %s", out.String())
	}
	if err := runDocCheck(context.Background(), []string{"no-such-file.docx", "--json"}, stdio{out: &out, err: io.Discard}); err == nil {
		t.Error("a missing file is an error")
	}
}

func TestDocDraftExportEval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	docx := filepath.Join(dir, "d.docx")
	err := runDocDraft(context.Background(), []string{"--type", "通知", "--issuer", "深圳市福田区政务服务和数据管理局",
		"--number", "福政数〔2024〕3号", "--to", "区直各单位、各街道办事处", "--subject", "做好防汛工作",
		"--point", "各单位要落实值班制度", "--point", "发现险情及时报告", "--date", "2024-06-01", "--out", docx}, stdio{out: io.Discard, err: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runDocCheck(context.Background(), []string{docx, "--json"}, stdio{out: &out, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != `{"findings":[],"unchecked":[]}` {
		t.Errorf("drafted .docx has findings: %s", out.String())
	}
	md := filepath.Join(dir, "d.md")
	if err := runDocExport([]string{docx, "--out", md}, stdio{out: io.Discard, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(md)
	if !strings.Contains(string(b), "# 深圳市福田区政务服务和数据管理局关于做好防汛工作的通知") {
		t.Errorf("markdown export:\n%s", b)
	}
	if err := runDocDraft(context.Background(), []string{"--type", "请示", "--issuer", "x局", "--subject", "y", "--point", "z", "--to", "w"}, stdio{out: io.Discard, err: io.Discard}); err == nil || !strings.Contains(err.Error(), "联系人") {
		t.Errorf("a 请示 without contact: %v", err)
	}
	out.Reset()
	if err := runDocEvalCSC([]string{"../../internal/gongwen/testdata/csc_small.jsonl", "--json"}, stdio{out: &out, err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	var score struct {
		Sentences  int `json:"sentences"`
		Correction struct {
			F1 float64 `json:"f1"`
		} `json:"correction"`
		Skipped []struct {
			Line int `json:"line"`
		} `json:"skipped"`
	}
	if err := json.Unmarshal(out.Bytes(), &score); err != nil {
		t.Fatal(err)
	}
	if score.Sentences != 4 || len(score.Skipped) != 2 || score.Skipped[0].Line != 5 {
		t.Errorf("eval-csc: %s", out.String())
	}
}

// --model adds the model's suggestions, marked as such, to the local
// findings; a failing model leaves the local findings.
func TestDocCheckModel(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "d.txt")
	if err := os.WriteFile(doc, []byte("关于做好防汛工作的通知\n请各单位认真贯切执行。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := srv.Config()
	args := []string{doc, "--json", "--model", "--llm-base-url", cfg.BaseURL, "--llm-api-key", cfg.APIKey, "--llm-model", cfg.Model}
	run := func() []gongwen.Finding {
		t.Helper()
		var out bytes.Buffer
		if err := runDocCheck(context.Background(), args, stdio{out: &out, err: io.Discard}); err != nil {
			t.Fatal(err)
		}
		var res struct{ Findings []gongwen.Finding }
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		return res.Findings
	}
	srv.Enqueue(llmtest.Reply{Text: `[{"paragraph":2,"text":"贯切","suggestion":"贯彻","reason":"同音误用"}]`})
	withModel := run()
	var found bool
	for _, f := range withModel {
		if f.Rule == gongwen.ModelRule && f.Text == "贯切" && f.Suggestion == "贯彻" && f.Line == 2 && f.Column == 7 &&
			strings.HasPrefix(f.Message, "【模型建议】") {
			found = true
		}
	}
	if !found {
		t.Errorf("no marked model finding in %+v", withModel)
	}
	if texts := srv.Texts(); len(texts) == 0 || !strings.Contains(strings.Join(texts, ""), "[2] 请各单位认真贯切执行。") {
		t.Errorf("the model was not asked about the text: %q", texts)
	}
	srv.Enqueue(llmtest.Reply{Fail: llmtest.Status500})
	if local := run(); len(local) != len(withModel)-1 {
		t.Errorf("failing model: %d findings, want the %d local ones", len(local), len(withModel)-1)
	}
	// --model without a configured model is an error, not a silent skip.
	if err := runDocCheck(context.Background(), []string{doc, "--model", "--llm-base-url", ""}, stdio{out: io.Discard, err: io.Discard}); err == nil {
		t.Error("--model with no model configured succeeded")
	}
}
