package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/llm"
)

func init() {
	register(&command{
		name:    "doc",
		summary: "official documents: check (校核), draft, export, eval-csc",
		run:     runDoc,
	})
}

func docUsage(w io.Writer) {
	fmt.Fprintln(w, `Usage: fuwu doc <subcommand> [flags] [args]

Subcommands:
  check FILE [--json] [--model] proofread a .docx or .txt document (智能校核); --model adds the chat model
  draft --type 通知 …          draft a document from a form (templates; no model needed)
  export FILE --out OUT        lay a .txt or .docx document out to GB/T 9704 (.docx, .txt or .md)
  eval-csc FILE [--json]       score the spelling checker on a JSONL test set {"source","target"}`)
}

func runDoc(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		docUsage(std.err)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	switch args[0] {
	case "check":
		return runDocCheck(ctx, args[1:], std)
	case "draft":
		return runDocDraft(ctx, args[1:], std)
	case "export":
		return runDocExport(args[1:], std)
	case "eval-csc":
		return runDocEvalCSC(args[1:], std)
	}
	docUsage(std.err)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", args[0])}
}

func readDocFile(path string, std stdio) (*gongwen.Source, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(std.in, 64<<20))
		if err != nil {
			return nil, err
		}
		return gongwen.ReadFile("stdin", bytes.NewReader(data), int64(len(data)))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return gongwen.ReadFile(path, f, st.Size())
}

func runDocCheck(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("doc check", std.err)
	asJSON := fs.Bool("json", false, `print {"findings":[…]} as one JSON object and nothing else`)
	useModel := fs.Bool("model", false, "also ask the configured chat model for typos; its findings have rules model.* and messages 【模型建议】")
	lc, err := llm.ConfigFromEnv(llmEnv)
	if err != nil {
		return err
	}
	lc.RegisterFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu doc check FILE [--json] [--model]\n\nFILE is .docx or text (UTF-8 or GB18030); - reads standard input.\nThe exit status is 0 whether or not there are findings; if the model fails,\nthe local findings are printed and a warning goes to standard error.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	src, err := readDocFile(pos[0], std)
	if err != nil {
		return err
	}
	findings, unchecked := gongwen.Check(src), gongwen.Unchecked(src)
	if *useModel {
		client, err := llm.New(lc)
		if err != nil {
			return err
		}
		if !client.HasChat() {
			return errors.New("--model: no chat model configured (--llm-base-url and --llm-model, or FUWU_LLM_BASE_URL and FUWU_LLM_MODEL)")
		}
		if findings, err = gongwen.CheckWithModel(ctx, src, chatModel{client}); err != nil {
			fmt.Fprintf(std.err, "fuwu doc check: %v; showing the local findings only\n", err)
			unchecked = append(unchecked, "大模型校核：模型暂不可用，未完成")
		}
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(struct {
			Findings  []gongwen.Finding `json:"findings"`
			Unchecked []string          `json:"unchecked"` // checks that could not run; empty for a full check
		}{findings, append([]string{}, unchecked...)})
	}
	for _, f := range findings {
		where := fmt.Sprintf("第%d段第%d字", f.Paragraph, f.Offset+1)
		if f.Line > 0 {
			where = fmt.Sprintf("%d:%d", f.Line, f.Column)
		}
		fmt.Fprintf(std.out, "%s:%s [%s %s] %s\n", src.Name, where, f.Severity, f.Rule, findingLine(f))
	}
	fmt.Fprintf(std.out, "%d 处问题\n", len(findings))
	for _, u := range unchecked {
		fmt.Fprintf(std.out, "未能检查：%s\n", u)
	}
	return nil
}

// findingLine says a finding once: the message, then the text and the
// suggestion unless the message already quotes them.
func findingLine(f gongwen.Finding) string {
	line := f.Message
	if f.Text != "" && !strings.Contains(line, "“"+f.Text+"”") {
		line += "：“" + f.Text + "”"
	}
	if f.Suggestion != "" && !strings.Contains(line, "“"+f.Suggestion+"”") {
		line += "，建议：" + f.Suggestion
	}
	return line
}

// chatModel lets the llm client serve as a gongwen.Model: one system and
// one user message, greedy decoding.
type chatModel struct{ c *llm.Client }

func (m chatModel) Complete(ctx context.Context, system, user string) (string, error) {
	r, err := m.c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: system}, {Role: llm.RoleUser, Content: user}},
		Temperature: llm.Temperature(0)})
	return r.Content, err
}

// stringList is a repeatable or comma-separated flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, "，") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

func runDocDraft(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("doc draft", std.err)
	var form gongwen.Form
	var recipients, cc, attach, points stringList
	formFile := fs.String("form", "", "read the form from a JSON file (fields as gongwen.Form)")
	typ := fs.String("type", "", "document type: 通知, 请示, 报告, 函, 批复 … (or circular, request …)")
	fs.StringVar(&form.Issuer, "issuer", "", "发文机关")
	fs.StringVar(&form.DocNumber, "number", "", "发文字号, e.g. 福政数〔2024〕12号")
	fs.StringVar(&form.Signer, "signer", "", "签发人 (请示, 报告)")
	fs.StringVar(&form.Subject, "subject", "", "事由, e.g. 做好2024年防汛工作")
	fs.StringVar(&form.Title, "title", "", "title (default: 发文机关关于事由的文种)")
	fs.StringVar(&form.Contact, "contact", "", "联系人及电话 (附注; required for 请示)")
	fs.StringVar(&form.PrintedBy, "printed-by", "", "印发机关")
	fs.StringVar(&form.ReplyTo, "reply-to", "", "title of the document a 批复 or 复函 answers")
	date := fs.String("date", "", "成文日期 YYYY-MM-DD (default today)")
	fs.Var(&recipients, "to", "主送机关 (repeat or separate with 、)")
	fs.Var(&cc, "cc", "抄送机关")
	fs.Var(&attach, "attach", "附件名称")
	fs.Var(&points, "point", "a key point (repeat for each)")
	out := fs.String("out", "", "write to this file: .docx, .txt or .md (default: text on std.out)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu doc draft --type 通知 --issuer … --subject … --point … [--out draft.docx]\n\nDrafts from the type's template; no model is used.")
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *formFile != "" {
		data, err := os.ReadFile(*formFile)
		if err != nil {
			return err
		}
		var ff gongwen.Form
		if err := json.Unmarshal(data, &ff); err != nil {
			return fmt.Errorf("%s: %w", *formFile, err)
		}
		form = ff
	}
	if *typ != "" {
		t, err := gongwen.ParseType(*typ)
		if err != nil {
			return err
		}
		form.Type = t
	} else if form.Type != "" {
		t, err := gongwen.ParseType(string(form.Type))
		if err != nil {
			return err
		}
		form.Type = t
	}
	form.Recipients = append(form.Recipients, recipients...)
	form.CC = append(form.CC, cc...)
	form.Points = append(form.Points, points...)
	for _, a := range attach {
		form.Attachments = append(form.Attachments, gongwen.Attachment{Name: a})
	}
	if *date != "" {
		t, err := time.Parse("2006-01-02", *date)
		if err != nil {
			return fmt.Errorf("--date: %w", err)
		}
		form.Date = t
	}
	res, err := gongwen.Draft(ctx, form, nil)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	return writeDoc(res.Document, *out, std)
}

func writeDoc(d *gongwen.Document, out string, std stdio) error {
	var write func(io.Writer, *gongwen.Document) error
	switch strings.ToLower(filepath.Ext(out)) {
	case ".docx":
		write = gongwen.WriteDOCX
	case ".md":
		write = gongwen.WriteMarkdown
	case ".txt", "":
		write = gongwen.WriteText
	default:
		return fmt.Errorf("--out %s: use .docx, .txt or .md", out)
	}
	if out == "" {
		return write(std.out, d)
	}
	var b bytes.Buffer
	if err := write(&b, d); err != nil {
		return err
	}
	// Write beside, then rename: a failure never leaves half a file.
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(std.err, "wrote %s\n", out)
	return nil
}

func runDocExport(args []string, std stdio) error {
	fs := newFlags("doc export", std.err)
	out := fs.String("out", "", "output file: .docx, .txt or .md")
	typ := fs.String("type", "", "document type when the title does not say it")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu doc export FILE --out OUT.docx\n\nReads a .txt or .docx document, finds its elements (标题, 主送机关, 正文, 落款 …)\nand lays it out to GB/T 9704-2012.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	src, err := readDocFile(pos[0], std)
	if err != nil {
		return err
	}
	d := gongwen.Parse(src)
	if *typ != "" {
		t, err := gongwen.ParseType(*typ)
		if err != nil {
			return err
		}
		d.Type = t
	}
	return writeDoc(d, *out, std)
}

func runDocEvalCSC(args []string, std stdio) error {
	fs := newFlags("doc eval-csc", std.err)
	asJSON := fs.Bool("json", false, "print the scores as one JSON object")
	threshold := fs.Float64("threshold", gongwen.DefaultThreshold, "speller threshold (nats); higher is more cautious")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: fuwu doc eval-csc FILE [--json]

FILE has one JSON object a line: {"source": "…", "target": "…"} of equal length.
Reports sentence-level detection and correction precision, recall and F1.`)
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	pairs, probs, err := gongwen.ReadCSC(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	for _, p := range probs {
		fmt.Fprintf(std.err, "%s line %d skipped: %s\n", pos[0], p.Line, p.Message)
	}
	if len(pairs) == 0 {
		return errors.New(pos[0] + ": no usable sentence pair")
	}
	sp := gongwen.DefaultSpeller()
	sp.Threshold = *threshold
	start := time.Now()
	score, _ := gongwen.EvalCSC(sp, pairs)
	elapsed := time.Since(start)
	if *asJSON {
		return json.NewEncoder(std.out).Encode(struct {
			File      string               `json:"file"`
			Threshold float64              `json:"threshold"`
			Skipped   []gongwen.CSCProblem `json:"skipped"`
			Seconds   float64              `json:"seconds"`
			gongwen.CSCScore
		}{pos[0], *threshold, append([]gongwen.CSCProblem{}, probs...), elapsed.Seconds(), score})
	}
	fmt.Fprintf(std.out, "%s: %d sentences (%d with errors), %d skipped, %.1fs\n", pos[0], score.Sentences, score.WithErrors, len(probs), elapsed.Seconds())
	fmt.Fprintf(std.out, "detection   P %.3f  R %.3f  F1 %.3f\n", score.Detection.Precision, score.Detection.Recall, score.Detection.F1)
	fmt.Fprintf(std.out, "correction  P %.3f  R %.3f  F1 %.3f\n", score.Correction.Precision, score.Correction.Recall, score.Correction.F1)
	fmt.Fprintf(std.out, "false-positive rate %.3f  accuracy %.3f\n", score.FalsePositiveRate, score.Accuracy)
	return nil
}
