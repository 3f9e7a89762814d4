package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
)

// The official-document pages (公文写作助手) for staff: 智能校核 of pasted
// or uploaded text, and 公文起草 from a form per document type with
// preview and .docx (GB/T 9704), .txt and .md downloads. Everything comes
// from package gongwen; a configured model (Config.DocModel) writes draft
// bodies and may add its typo suggestions to a check.

// docsState holds what the document pages share: the key that signs a
// draft between preview and download, and a bound on checks running at
// once (each is CPU-bound).
type docsState struct {
	mu  sync.Mutex
	key []byte
	sem chan struct{}
}

const (
	// maxDocUpload is the largest .docx or .txt the check page accepts.
	maxDocUpload = 10 << 20
	// maxCheckChars bounds the text checked in one request (about 3 s of
	// work; a long report is checked in parts or with fuwu doc check).
	maxCheckChars = 50000
)

// docsUploadLimit is the request body limit of the check page (the
// upload plus the form around it).
const docsUploadLimit = maxDocUpload + 1<<20

func (s *Server) docsHome(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "docs.html", s.consolePage(r, "docs", "公文写作助手", struct{ Model bool }{s.cfg.DocModel != nil}))
	return nil
}

// --- 智能校核 ---

type checkData struct {
	Text      string
	File      string
	Model     bool // a model is configured: offer the model pass
	UseModel  bool
	Checked   bool
	ModelNote string // the model pass failed or was not used
	// Unchecked are the checks that could not run; with any, an empty
	// list of findings is not shown as an all-clear.
	Unchecked []string
	Findings  []findingView
	Counts    []sevCount
	Paras     []paraView
	Plain     bool // text input (findings carry line and column)
}

type findingView struct {
	N int
	gongwen.Finding
	Kind  string // 格式, 标点, 数字, 用词, 模型建议
	Where string
	Level string // 错误, 警告, 提示
}

type sevCount struct {
	Severity gongwen.Severity
	Label    string
	Count    int
}

// paraView is one paragraph of the checked document, cut into runs with
// the findings' text marked.
type paraView struct {
	N    int
	Segs []markSeg
}

type markSeg struct {
	Text     string
	Finding  int    // the first finding covering the run (0: none)
	Anchors  []int  // the findings whose text starts here: their rows link here
	Severity string // the most severe finding covering the run
	Title    string // the messages of every finding covering it
	Caret    bool   // a finding about a place, not text (nothing to mark)
}

var severityLabels = map[gongwen.Severity]string{gongwen.Error: "错误", gongwen.Warning: "警告", gongwen.Info: "提示"}
var severityRank = map[gongwen.Severity]int{gongwen.Error: 3, gongwen.Warning: 2, gongwen.Info: 1}

func ruleKind(rule string) string {
	switch {
	case strings.HasPrefix(rule, "format."):
		return "格式"
	case strings.HasPrefix(rule, "punct."):
		return "标点"
	case strings.HasPrefix(rule, "number."):
		return "数字"
	case strings.HasPrefix(rule, "wording."):
		return "用词"
	case strings.HasPrefix(rule, "model."):
		return "模型建议"
	}
	return "其他"
}

func (s *Server) docsCheckPage(w http.ResponseWriter, r *http.Request) error {
	d := checkData{Model: s.cfg.DocModel != nil}
	s.render(w, r, http.StatusOK, "docs_check.html", s.consolePage(r, "docs", "智能校核", d))
	return nil
}

// docsCheck proofreads a pasted text or an uploaded .docx or .txt file.
func (s *Server) docsCheck(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := checkData{Model: s.cfg.DocModel != nil, Text: r.FormValue("text"), UseModel: r.FormValue("model") == "1"}
	fail := func(status int, msg string) {
		p := s.consolePage(r, "docs", "智能校核", d)
		p.Error = msg
		s.render(w, r, status, "docs_check.html", p)
	}
	var src *gongwen.Source
	f, hdr, err := r.FormFile("file")
	switch {
	case err == nil:
		defer f.Close()
		name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
		d.File = name
		switch strings.ToLower(filepath.Ext(name)) {
		case ".docx", ".txt":
		case ".doc", ".wps", ".pdf":
			fail(http.StatusBadRequest, "不支持 "+filepath.Ext(name)+" 文件：请在办公软件中另存为 .docx 或 .txt 后再上传。")
			return nil
		default:
			fail(http.StatusBadRequest, "不支持的文件类型：请上传 .docx 或 .txt 文件，或直接粘贴文本。")
			return nil
		}
		if hdr.Size > maxDocUpload {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("文件过大（%.1f MB）：请上传不超过 %d MB 的文件。", float64(hdr.Size)/(1<<20), maxDocUpload>>20))
			return nil
		}
		src, err = gongwen.ReadFile(name, f, hdr.Size)
		if err != nil {
			slog.InfoContext(ctx, "docs check: unreadable upload", "file", name, "err", err)
			msg := "无法读取该文件：请确认它是 Word（.docx）文档或 UTF-8 / GB18030 编码的文本文件。"
			if errors.Is(err, gongwen.ErrFormat) && strings.EqualFold(filepath.Ext(name), ".txt") {
				msg = "无法读取该文本文件：请保存为 UTF-8 或 GB18030 编码的纯文本后再上传。"
			}
			fail(http.StatusBadRequest, msg)
			return nil
		}
		d.Text = ""
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart):
		if strings.TrimSpace(d.Text) == "" {
			fail(http.StatusBadRequest, "请粘贴要校核的公文文本，或上传 .docx / .txt 文件。")
			return nil
		}
		src, err = gongwen.ReadFile("粘贴文本.txt", strings.NewReader(d.Text), int64(len(d.Text)))
		if err != nil {
			fail(http.StatusBadRequest, "无法读取粘贴的文本。")
			return nil
		}
	default:
		fail(http.StatusBadRequest, "上传失败：文件过大或连接中断，请重试。")
		return nil
	}
	n := 0
	for _, p := range src.Paragraphs {
		n += utf8.RuneCountInString(p)
	}
	if n > maxCheckChars {
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("文档过长（%d 字）：网页校核每次不超过 %d 字，请分段校核，或使用命令 fuwu doc check。", n, maxCheckChars))
		return nil
	}
	if n == 0 {
		fail(http.StatusBadRequest, "文档中没有文字。")
		return nil
	}
	select {
	case s.docs.sem <- struct{}{}:
	case <-ctx.Done():
		return nil
	}
	var findings []gongwen.Finding
	d.Unchecked = gongwen.Unchecked(src)
	if d.UseModel && s.cfg.DocModel != nil {
		findings, err = gongwen.CheckWithModel(ctx, src, s.cfg.DocModel)
		if err != nil {
			slog.WarnContext(ctx, "docs check: model pass failed", "err", err)
			d.ModelNote = "大模型校核未完成（模型暂不可用），以下仅为规则校核结果。"
			d.Unchecked = append(d.Unchecked, "大模型校核：模型暂不可用，未完成")
		}
	} else {
		findings = gongwen.Check(src)
	}
	<-s.docs.sem
	d.Checked, d.Plain = true, src.Text
	d.Findings, d.Counts = findingViews(findings)
	d.Paras = markParagraphs(src.Paragraphs, d.Findings)
	// Names and titles go in the details, which the audit log masks.
	s.audit(r, nil, "docs.check", "docs", map[string]any{"file": firstNonEmpty(d.File, "粘贴文本"), "chars": n, "findings": len(findings), "model": d.UseModel})
	s.render(w, r, http.StatusOK, "docs_check.html", s.consolePage(r, "docs", "智能校核结果", d))
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func findingViews(fs []gongwen.Finding) ([]findingView, []sevCount) {
	counts := map[gongwen.Severity]int{}
	out := make([]findingView, len(fs))
	for i, f := range fs {
		where := fmt.Sprintf("第%d段第%d字", f.Paragraph, f.Offset+1)
		if f.Line > 0 {
			where = fmt.Sprintf("第%d行第%d列", f.Line, f.Column)
		}
		out[i] = findingView{N: i + 1, Finding: f, Kind: ruleKind(f.Rule), Where: where, Level: severityLabels[f.Severity]}
		counts[f.Severity]++
	}
	var cs []sevCount
	for _, sv := range []gongwen.Severity{gongwen.Error, gongwen.Warning, gongwen.Info} {
		cs = append(cs, sevCount{sv, severityLabels[sv], counts[sv]})
	}
	return out, cs
}

// markParagraphs cuts each paragraph where findings start and end, so
// the page can mark every finding's text where it stands. A finding
// whose text is not at its stated place is listed but not marked.
func markParagraphs(paras []string, fs []findingView) []paraView {
	type span struct {
		from, to int // runes
		f        *findingView
	}
	byPara := map[int][]span{}
	for i := range fs {
		f := &fs[i]
		p := f.Paragraph - 1
		if p < 0 || p >= len(paras) {
			continue
		}
		rs := []rune(paras[p])
		n := utf8.RuneCountInString(f.Text)
		if f.Offset < 0 || f.Offset+n > len(rs) || string(rs[f.Offset:f.Offset+n]) != f.Text {
			continue
		}
		byPara[p] = append(byPara[p], span{f.Offset, f.Offset + n, f})
	}
	out := make([]paraView, len(paras))
	for p, text := range paras {
		rs := []rune(text)
		spans := byPara[p]
		cuts := map[int]bool{0: true, len(rs): true}
		for _, sp := range spans {
			cuts[sp.from], cuts[sp.to] = true, true
		}
		var at []int
		for c := range cuts {
			at = append(at, c)
		}
		sort.Ints(at)
		pv := paraView{N: p + 1}
		anchored := map[int]bool{}
		// Findings about a place (no text) stand before the text there.
		caret := func(pos int) {
			for _, sp := range spans {
				if sp.from == pos && sp.to == pos && !anchored[sp.f.N] {
					anchored[sp.f.N] = true
					pv.Segs = append(pv.Segs, markSeg{Text: "‸", Finding: sp.f.N, Anchors: []int{sp.f.N}, Severity: string(sp.f.Severity), Title: sp.f.Message, Caret: true})
				}
			}
		}
		for i := 0; i+1 < len(at); i++ {
			from, to := at[i], at[i+1]
			caret(from)
			seg := markSeg{Text: string(rs[from:to])}
			var titles []string
			for _, sp := range spans {
				if sp.from <= from && to <= sp.to && sp.from < sp.to {
					if seg.Finding == 0 || sp.f.N < seg.Finding {
						seg.Finding = sp.f.N
					}
					if severityRank[sp.f.Severity] > severityRank[gongwen.Severity(seg.Severity)] {
						seg.Severity = string(sp.f.Severity)
					}
					title := fmt.Sprintf("%d. %s", sp.f.N, sp.f.Message)
					if sg := sp.f.Suggestion; sg != "" && !strings.Contains(sp.f.Message, "“"+sg+"”") {
						title += "（建议：" + sg + "）"
					}
					titles = append(titles, title)
					if !anchored[sp.f.N] {
						anchored[sp.f.N] = true
						seg.Anchors = append(seg.Anchors, sp.f.N)
					}
				}
			}
			sort.Ints(seg.Anchors)
			seg.Title = strings.Join(titles, "；")
			pv.Segs = append(pv.Segs, seg)
		}
		caret(len(rs))
		out[p] = pv
	}
	return out
}

// --- 公文起草 ---

type draftData struct {
	Types    []gongwen.Type
	Type     gongwen.Type
	Show     map[string]bool // which optional fields this type uses
	Required map[string]bool // which of them it must have
	Form     draftForm
	Model    bool
	Result   *draftResult
}

// draftForm is the form as typed, to fill it in again.
type draftForm struct {
	Issuer, IssuerMark, DocNumber, Signer, Recipients, Subject, Title, Points, Attachments string
	Date, Contact, CC, PrintedBy, ReplyTo, Classification, Urgency, CopyNumber             string
	UseModel                                                                               bool
}

type draftResult struct {
	Doc       *gongwen.Document
	ModelUsed bool
	Fallback  string
	Payload   string // the signed document for the downloads
	Sig       string
	Text      string // the plain-text export, for 校核此稿
	Missing   []gongwen.Element
}

func (s *Server) draftPageData(t gongwen.Type, f draftForm) draftData {
	d := draftData{Types: gongwen.Types, Type: t, Form: f, Model: s.cfg.DocModel != nil,
		Show: map[string]bool{}, Required: map[string]bool{}}
	for key, e := range map[string]gongwen.Element{"signer": gongwen.Signer, "recipients": gongwen.Recipients, "contact": gongwen.Remark} {
		need := gongwen.Requirement(t, e)
		d.Show[key] = need != gongwen.NotUsed
		d.Required[key] = need == gongwen.Required
	}
	d.Show["reply_to"] = t == gongwen.Reply || t == gongwen.Letter
	d.Required["reply_to"] = t == gongwen.Reply
	return d
}

func (s *Server) docsDraftPage(w http.ResponseWriter, r *http.Request) error {
	t, err := gongwen.ParseType(r.URL.Query().Get("type"))
	if err != nil {
		t = gongwen.Circular
	}
	f := draftForm{Date: s.now().Format("2006-01-02"), UseModel: true}
	s.render(w, r, http.StatusOK, "docs_draft.html", s.consolePage(r, "docs", "公文起草 · "+string(t), s.draftPageData(t, f)))
	return nil
}

// splitList reads a list typed one a line or separated by 、 or commas.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '、' || r == '，' || r == ',' || r == '；' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) docsDraft(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := draftForm{
		Issuer: r.FormValue("issuer"), IssuerMark: r.FormValue("issuer_mark"), DocNumber: r.FormValue("doc_number"),
		Signer: r.FormValue("signer"), Recipients: r.FormValue("recipients"), Subject: r.FormValue("subject"),
		Title: r.FormValue("title"), Points: r.FormValue("points"), Attachments: r.FormValue("attachments"),
		Date: r.FormValue("date"), Contact: r.FormValue("contact"), CC: r.FormValue("cc"), PrintedBy: r.FormValue("printed_by"),
		ReplyTo: r.FormValue("reply_to"), Classification: r.FormValue("classification"), Urgency: r.FormValue("urgency"),
		CopyNumber: r.FormValue("copy_number"), UseModel: r.FormValue("model") == "1",
	}
	t, err := gongwen.ParseType(r.FormValue("type"))
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "请选择文种。")
		return nil
	}
	d := s.draftPageData(t, f)
	fail := func(msg string) {
		p := s.consolePage(r, "docs", "公文起草 · "+string(t), d)
		p.Error = msg
		s.render(w, r, http.StatusUnprocessableEntity, "docs_draft.html", p)
	}
	form := gongwen.Form{
		Type: t, Issuer: strings.TrimSpace(f.Issuer), IssuerMark: strings.TrimSpace(f.IssuerMark),
		DocNumber: strings.TrimSpace(f.DocNumber), Recipients: splitList(f.Recipients),
		Subject: strings.TrimSpace(f.Subject), Title: strings.TrimSpace(f.Title), Points: lines(f.Points),
		Contact: strings.TrimSpace(f.Contact), CC: splitList(f.CC), PrintedBy: strings.TrimSpace(f.PrintedBy),
		ReplyTo: strings.TrimSpace(f.ReplyTo), Classification: strings.TrimSpace(f.Classification),
		Urgency: strings.TrimSpace(f.Urgency), CopyNumber: strings.TrimSpace(f.CopyNumber),
	}
	if d.Show["signer"] {
		form.Signer = strings.TrimSpace(f.Signer)
	}
	for _, a := range lines(f.Attachments) {
		form.Attachments = append(form.Attachments, gongwen.Attachment{Name: a})
	}
	if v := strings.TrimSpace(f.Date); v != "" {
		dt, err := time.Parse("2006-01-02", v)
		if err != nil {
			fail("成文日期格式不正确，请按“2024-05-06”填写。")
			return nil
		}
		form.Date = dt
	} else {
		form.Date = s.now()
	}
	if form.Urgency != "" && form.Urgency != "特急" && form.Urgency != "加急" {
		fail("紧急程度只能是“特急”或“加急”。")
		return nil
	}
	if t == gongwen.Reply && form.ReplyTo == "" {
		fail("表单缺少：所批复的请示标题")
		return nil
	}
	total := 0
	for _, v := range []string{f.Issuer, f.Subject, f.Title, f.Points, f.Attachments, f.Recipients, f.CC, f.Contact} {
		total += utf8.RuneCountInString(v)
	}
	if total > 20000 {
		fail("内容过长：要点等各项合计不超过 20000 字。")
		return nil
	}
	var model gongwen.Model
	if f.UseModel && s.cfg.DocModel != nil {
		model = s.cfg.DocModel
	}
	res, err := gongwen.Draft(ctx, form, model)
	if err != nil {
		fail(err.Error()) // Validate's messages are written for staff ("表单缺少：…")
		return nil
	}
	if res.Fallback != "" {
		slog.WarnContext(ctx, "docs draft: model text not used", "reason", res.Fallback)
	}
	payload, sig, err := s.signDoc(ctx, res.Document)
	if err != nil {
		slog.ErrorContext(ctx, "docs draft: sign", "err", err)
		fail("暂时无法生成下载，请稍后再试。")
		return nil
	}
	var txt bytes.Buffer
	_ = gongwen.WriteText(&txt, res.Document)
	d.Result = &draftResult{Doc: res.Document, ModelUsed: res.ModelUsed, Fallback: res.Fallback, Payload: payload, Sig: sig,
		Text: txt.String(), Missing: res.Document.Missing()}
	s.audit(r, nil, "docs.draft", "docs", map[string]any{"title": res.Document.Title, "type": string(t), "model": res.ModelUsed})
	s.render(w, r, http.StatusOK, "docs_draft.html", s.consolePage(r, "docs", "公文起草 · "+string(t), d))
	return nil
}

// docKey is the server's key for signing drafts between preview and
// download (so a download is exactly the previewed draft, its AI label
// included).
func (s *Server) docKey(ctx context.Context) ([]byte, error) {
	s.docs.mu.Lock()
	defer s.docs.mu.Unlock()
	if s.docs.key == nil {
		k, err := s.cfg.Auth.Secret(ctx, "gongwen-export")
		if err != nil {
			return nil, err
		}
		s.docs.key = k
	}
	return s.docs.key, nil
}

func (s *Server) signDoc(ctx context.Context, d *gongwen.Document) (payload, sig string, err error) {
	key, err := s.docKey(ctx)
	if err != nil {
		return "", "", err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", "", err
	}
	payload = base64.RawURLEncoding.EncodeToString(b)
	m := s.cfg.Crypto.MAC(key)
	m.Write([]byte(payload))
	return payload, base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func (s *Server) openDoc(ctx context.Context, payload, sig string) (*gongwen.Document, error) {
	key, err := s.docKey(ctx)
	if err != nil {
		return nil, err
	}
	m := s.cfg.Crypto.MAC(key)
	m.Write([]byte(payload))
	want := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return nil, errors.New("signature mismatch")
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, err
	}
	var d gongwen.Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

var exportFormats = map[string]struct {
	ext, mime string
	write     func(io.Writer, *gongwen.Document) error
}{
	"docx": {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", gongwen.WriteDOCX},
	"txt":  {".txt", "text/plain; charset=utf-8", gongwen.WriteText},
	"md":   {".md", "text/markdown; charset=utf-8", gongwen.WriteMarkdown},
}

// unsafeName matches what may not stand in a file name on common systems.
var unsafeName = regexp.MustCompile(`[\\/:*?"<>|\x00-\x1f]+`)

// docsExport writes a previewed draft as a download.
func (s *Server) docsExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fm, ok := exportFormats[r.FormValue("format")]
	if !ok {
		s.renderError(w, r, http.StatusBadRequest, "请选择下载格式（.docx、.txt 或 .md）。")
		return nil
	}
	d, err := s.openDoc(ctx, r.FormValue("doc"), r.FormValue("sig"))
	if err != nil {
		slog.WarnContext(ctx, "docs export refused", "err", err)
		s.renderError(w, r, http.StatusBadRequest, "草稿已失效或被改动，请重新生成后再下载。")
		return nil
	}
	var buf bytes.Buffer
	if err := fm.write(&buf, d); err != nil {
		return broken("文件生成失败，请稍后再试。", fmt.Errorf("docs export: %w", err))
	}
	name := strings.TrimSpace(unsafeName.ReplaceAllString(d.Title, "_"))
	if rs := []rune(name); len(rs) > 60 {
		name = string(rs[:60])
	}
	if name == "" {
		name = "公文"
	}
	s.audit(r, nil, "docs.export", "docs", map[string]any{"title": d.Title, "format": r.FormValue("format"), "ai": d.AIGenerated})
	w.Header().Set("Content-Type", fm.mime)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="gongwen%s"; filename*=UTF-8''%s`, fm.ext, url.PathEscape(name+fm.ext)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// headingClass styles a body paragraph of the preview by its heading
// level (一、 黑体, （一） 楷体).
var (
	reH1 = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	reH2 = regexp.MustCompile(`^（[一二三四五六七八九十]+）`)
)

func headingClass(p string) string {
	switch {
	case reH1.MatchString(p) && utf8.RuneCountInString(p) <= 40:
		return "gw-h1"
	case reH2.MatchString(p) && utf8.RuneCountInString(p) <= 40:
		return "gw-h2"
	}
	return ""
}
