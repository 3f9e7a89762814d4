package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
)

// findingRow is one row of the findings table as the page shows it.
type findingRow struct{ n, rule, text, sugg, where string }

var findingRowRE = regexp.MustCompile(`(?s)<tr id="f(\d+)" class="sev-\w+" data-rule="([^"]+)">.*?<td class="orig" data-label="原文">(.*?)</td><td class="fix" data-label="建议">(.*?)</td>\s*<td class="where"><a href="#m\d+">(.*?)</a></td></tr>`)

func findingRows(page string) []findingRow {
	var out []findingRow
	for _, m := range findingRowRE.FindAllStringSubmatch(page, -1) {
		sugg := m[4]
		if strings.Contains(sugg, `class="none"`) {
			sugg = ""
		}
		out = append(out, findingRow{m[1], m[2], html.UnescapeString(m[3]), html.UnescapeString(sugg), m[5]})
	}
	return out
}

// postMultipart sends a form with an optional file like the check page.
func (c *client) postMultipart(path string, fields map[string]string, fileName string, file []byte) resp {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func staffClient(t *testing.T, e *env, role auth.Role) *client {
	t.Helper()
	name := string(role) + "1"
	if _, err := e.auth.AddUser(context.Background(), name, "", role, name+" password"); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := c.login(name, name+" password"); r.code != 303 {
		t.Fatalf("login %s = %d", name, r.code)
	}
	return c
}

// The golden planted document, pasted: exactly the expected findings,
// each with its position, and each marked in the document view.
func TestDocsCheckPasted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	if r := e.client().get("/admin/docs/check"); r.code != 303 {
		t.Errorf("anonymous check page = %d", r.code)
	}
	c := staffClient(t, e, auth.Agent) // any staff role
	if r := c.get("/admin/docs"); r.code != 200 || !strings.Contains(r.body, `href="/admin/docs/check"`) {
		t.Fatalf("docs home = %d", r.code)
	}
	text, err := os.ReadFile("../gongwen/testdata/check/planted_notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want [][2]string
	f, _ := os.Open("../gongwen/testdata/check/planted_notice.expect")
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			rule, txt, _ := strings.Cut(l, "\t")
			want = append(want, [2]string{rule, txt})
		}
	}
	tok := c.csrf("/admin/docs/check")
	r := c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {string(text)}})
	if r.code != 200 {
		t.Fatalf("check = %d %.300s", r.code, r.body)
	}
	rows := findingRows(r.body)
	if len(rows) != len(want) {
		t.Fatalf("%d findings shown, want %d: %+v", len(rows), len(want), rows)
	}
	// The golden file lists the planted errors; the page shows each once.
	left := map[[2]string]int{}
	for _, w := range want {
		left[w]++
	}
	for i, row := range rows {
		k := [2]string{row.rule, row.text}
		if left[k] == 0 {
			t.Errorf("unexpected finding %d: %s %q", i+1, row.rule, row.text)
		}
		left[k]--
		if !strings.HasPrefix(row.where, "第") || !strings.Contains(row.where, "行第") {
			t.Errorf("finding %d position %q", i+1, row.where)
		}
		// Marked where it stands; the row links to the mark.
		if !strings.Contains(r.body, fmt.Sprintf(`<span class="anchor" id="m%s"></span>`, row.n)) {
			t.Errorf("finding %d (%s) not marked in the document", i+1, row.rule)
		}
	}
	// The 发文字号 line, marked piece by piece.
	if !strings.Contains(r.body, `<p data-para="3"><span class="pn" aria-hidden="true">3</span>福政数<span class="anchor" id="m1"></span><a class="mark sev-`) {
		t.Errorf("doc number line not marked: %s", r.body[strings.Index(r.body, `data-para="3"`):][:300])
	}
	if !strings.Contains(r.body, "〔") || !strings.Contains(r.body, "sev-summary") {
		t.Error("no suggestions or summary")
	}
	// A clean text: said so.
	clean, _ := os.ReadFile("../gongwen/testdata/check/clean_request.txt")
	r = c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {string(clean)}})
	if r.code != 200 || !strings.Contains(r.body, `id="no-findings"`) {
		t.Errorf("clean document = %d, %d findings", r.code, len(findingRows(r.body)))
	}
	// A snippet without problems checks only part of the rules: no green
	// all-clear, and what was not checked is listed.
	r = c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {"各单位要认真安排参训人员。"}})
	if r.code != 200 || strings.Contains(r.body, `id="no-findings"`) || !strings.Contains(r.body, `id="partial"`) ||
		!strings.Contains(r.body, "未检查各文种的规则") {
		t.Errorf("snippet = %d: %.2000s", r.code, r.body[strings.Index(r.body, "<h1>"):])
	}
	// The notice: every basic slip found, the message said once.
	basics, _ := os.ReadFile("../gongwen/testdata/check/planted_basics.txt")
	r = c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {string(basics)}})
	if rows := findingRows(r.body); len(rows) != 12 || strings.Contains(r.body, `id="no-findings"`) || strings.Contains(r.body, "是错别字，应为") {
		t.Errorf("basics: %d findings %+v", len(rows), rows)
	}
	// Nothing to check, or too much.
	if r := c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {"  \n"}}); r.code != 400 || !strings.Contains(r.body, "请粘贴要校核的公文文本") {
		t.Errorf("empty = %d", r.code)
	}
	long := strings.Repeat("各单位要认真落实防汛责任制。\n", maxCheckChars/14+10)
	if r := c.postMultipart("/admin/docs/check", map[string]string{"csrf": tok, "text": long}, "", nil); r.code != 413 || !strings.Contains(r.body, "文档过长") {
		t.Errorf("long text = %d", r.code)
	}
}

// Uploads: a .docx (positions by paragraph), a GB18030 .txt, and the
// files the page refuses, with reasons in Chinese.
func TestDocsCheckUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := staffClient(t, e, auth.Editor)
	tok := c.csrf("/admin/docs/check")
	res, err := gongwen.Draft(context.Background(), gongwen.Form{Type: gongwen.Circular, Issuer: "深圳市福田区政务服务和数据管理局",
		DocNumber: "福政数（2024）第3号", Recipients: []string{"区直各单位"}, Subject: "做好防汛工作", Points: []string{"落实值班制度"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var docx bytes.Buffer
	if err := gongwen.WriteDOCX(&docx, res.Document); err != nil {
		t.Fatal(err)
	}
	r := c.postMultipart("/admin/docs/check", map[string]string{"csrf": tok}, "通知.docx", docx.Bytes())
	if r.code != 200 || !strings.Contains(r.body, "校核结果：通知.docx") {
		t.Fatalf("docx = %d %.300s", r.code, r.body)
	}
	rules := map[string]findingRow{}
	for _, row := range findingRows(r.body) {
		rules[row.rule] = row
	}
	for _, rule := range []string{"format.docnum.bracket", "format.docnum.di"} {
		row, ok := rules[rule]
		if !ok || !strings.HasPrefix(row.where, "第") || !strings.Contains(row.where, "段第") {
			t.Errorf("docx finding %s = %+v", rule, row)
		}
	}
	if rules["format.docnum.di"].text != "第" {
		t.Errorf("第 finding text %q", rules["format.docnum.di"].text)
	}
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().String("福政数[2024]3号\n关于做好防汛工作的通知\n")
	r = c.postMultipart("/admin/docs/check", map[string]string{"csrf": tok}, "旧文件.txt", []byte(gbk))
	if rows := findingRows(r.body); r.code != 200 || len(rows) == 0 || rows[0].rule != "format.docnum.bracket" || rows[0].text != "[" {
		t.Errorf("GB18030 text = %d %+v", r.code, rows)
	}
	for _, bad := range []struct {
		name, content, want string
		code                int
	}{
		{"旧格式.doc", "\xd0\xcf\x11\xe0", "另存为 .docx 或 .txt", 400},
		{"图片.png", "\x89PNG", "不支持的文件类型", 400},
		{"坏文件.docx", "not a zip", "无法读取该文件", 400},
		{"二进制.txt", "\x00\x01\x02\xff\xfe", "无法读取该文本文件", 400},
	} {
		r := c.postMultipart("/admin/docs/check", map[string]string{"csrf": tok}, bad.name, []byte(bad.content))
		if r.code != bad.code || !strings.Contains(r.body, bad.want) {
			t.Errorf("%s = %d, want %d %q", bad.name, r.code, bad.code, bad.want)
		}
	}
	// Over the upload limit: refused as too large, not as an expired page.
	big := bytes.Repeat([]byte("a"), maxDocUpload+2<<20)
	if r := c.postMultipart("/admin/docs/check", map[string]string{"csrf": tok}, "大文件.txt", big); r.code != 413 || !strings.Contains(r.body, "提交的内容过大（上限 10 MB）") {
		t.Errorf("oversized upload = %d %.200s", r.code, r.body)
	}
}

// A 通知 drafted from the form, previewed, downloaded in the three formats;
// a tampered download is refused; a form lacking its essentials says what.
func TestDocsDraft(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := staffClient(t, e, auth.Reviewer)
	page := c.get("/admin/docs/draft?type=" + url.QueryEscape("请示"))
	for _, want := range []string{`id="signer"`, "联系人及电话 *", `aria-current="page">请示</a>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("请示 form lacks %s", want)
		}
	}
	if p := c.get("/admin/docs/draft?type=" + url.QueryEscape("公告")).body; strings.Contains(p, `id="recipients"`) || strings.Contains(p, `id="signer"`) {
		t.Error("公告 form asks for 主送机关 or 签发人")
	}
	tok := c.csrf("/admin/docs/draft")
	form := url.Values{"csrf": {tok}, "type": {"通知"}, "issuer": {"深圳市福田区政务服务和数据管理局"}, "doc_number": {"福政数〔2024〕3号"},
		"recipients": {"区直各单位、各街道办事处"}, "subject": {"做好2024年防汛工作"}, "points": {"各单位要落实防汛值班制度\n各街道要排查辖区内涝点"},
		"attachments": {"防汛值班表"}, "date": {"2024-05-06"}, "cc": {"区委办公室、区政府办公室"}, "printed_by": {"深圳市福田区政务服务和数据管理局办公室"}}
	r := c.post("/admin/docs/draft", form)
	if r.code != 200 {
		t.Fatalf("draft = %d %.300s", r.code, r.body)
	}
	title := "深圳市福田区政务服务和数据管理局关于做好2024年防汛工作的通知"
	for _, want := range []string{`id="doc-title">` + title, "区直各单位、各街道办事处：", "各单位要落实防汛值班制度", "2024年5月6日", "附件：防汛值班表", `id="template-body"`, "抄送：区委办公室，区政府办公室。"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(r.body, gongwen.AILabel) {
		t.Error("template draft labelled as AI-generated")
	}
	payload := html.UnescapeString(regexp.MustCompile(`name="doc" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	sig := html.UnescapeString(regexp.MustCompile(`name="sig" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	export := func(format, p, s string) resp {
		return c.post("/admin/docs/export", url.Values{"csrf": {tok}, "doc": {p}, "sig": {s}, "format": {format}})
	}
	r = export("docx", payload, sig)
	if r.code != 200 || !strings.Contains(r.hdr.Get("Content-Type"), "wordprocessingml") ||
		!strings.Contains(r.hdr.Get("Content-Disposition"), "filename*=UTF-8''"+url.PathEscape(title+".docx")) {
		t.Fatalf("docx = %d %s %s", r.code, r.hdr.Get("Content-Type"), r.hdr.Get("Content-Disposition"))
	}
	src, err := gongwen.ReadDOCX([]byte(r.body))
	if err != nil || !strings.Contains(strings.Join(src.Paragraphs, "\n"), title) {
		t.Fatalf("docx read back: %v %+v", err, src)
	}
	if r := export("txt", payload, sig); r.code != 200 || !strings.Contains(r.body, title) || !strings.Contains(r.body, "　　一、各单位要落实防汛值班制度") {
		t.Errorf("txt = %d %.200s", r.code, r.body)
	}
	if r := export("md", payload, sig); r.code != 200 || !strings.Contains(r.body, "# "+title) {
		t.Errorf("md = %d %.200s", r.code, r.body)
	}
	// A changed payload (say, the AI label removed) is refused.
	if r := export("docx", payload[:len(payload)-2]+"xx", sig); r.code != 400 || !strings.Contains(r.body, "草稿已失效或被改动") {
		t.Errorf("tampered = %d", r.code)
	}
	if r := export("pdf", payload, sig); r.code != 400 {
		t.Errorf("unknown format = %d", r.code)
	}
	// The draft can go straight to the checker.
	txt := html.UnescapeString(regexp.MustCompile(`name="text" value="([^"]*)"`).FindStringSubmatch(c.post("/admin/docs/draft", form).body)[1])
	if r := c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {txt}}); r.code != 200 || !strings.Contains(r.body, "校核结果") {
		t.Errorf("check the draft = %d", r.code)
	}
	// Missing essentials, said in Chinese; what was typed stays.
	form.Del("points")
	form.Set("date", "2024/5/6")
	if r := c.post("/admin/docs/draft", form); r.code != 422 || !strings.Contains(r.body, "成文日期格式不正确") || !strings.Contains(r.body, `value="做好2024年防汛工作"`) {
		t.Errorf("bad date = %d", r.code)
	}
	form.Set("date", "")
	if r := c.post("/admin/docs/draft", form); r.code != 422 || !strings.Contains(r.body, "表单缺少：要点") {
		t.Errorf("no points = %d", r.code)
	}
	req := url.Values{"csrf": {tok}, "type": {"请示"}, "issuer": {"福田区某局"}, "subject": {"申请经费"}, "points": {"申请经费"}, "recipients": {"区政府"}}
	if r := c.post("/admin/docs/draft", req); r.code != 422 || !strings.Contains(r.body, "联系人及电话") {
		t.Errorf("请示 without contact = %d", r.code)
	}
	// Every draft and download is in the audit trail.
	es, _, _ := e.log.List(context.Background(), audit.Filter{Action: "docs."}, audit.Page{})
	if len(es) < 6 {
		t.Errorf("%d docs audit entries", len(es))
	}
}

// With a model behind a fake OpenAI-compatible endpoint, the body is the
// model's and the draft says so in the page and in the .docx; a model that
// invents a figure, or fails, leaves the template body and the reason.
func TestDocsDraftWithModel(t *testing.T) {
	t.Parallel()
	fake := llmtest.NewServer(t)
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, func(c *Config) { c.DocModel = DocModel(fake.Client(t)) })
	c := staffClient(t, e, auth.Editor)
	tok := c.csrf("/admin/docs/draft")
	form := url.Values{"csrf": {tok}, "type": {"通知"}, "issuer": {"深圳市福田区政务服务和数据管理局"}, "model": {"1"},
		"recipients": {"区直各单位"}, "subject": {"做好防汛工作"}, "points": {"各单位要落实防汛值班制度\n值班负责人手机13812345678"}, "contact": {"张三，0755-12345678"}}
	fake.Enqueue(llmtest.Reply{Text: "为切实做好防汛工作，现将有关事项通知如下：\n一、落实值班制度\n各单位要落实防汛值班制度。\n特此通知。"})
	r := c.post("/admin/docs/draft", form)
	if r.code != 200 || !strings.Contains(r.body, `id="ai-generated"`) || !strings.Contains(r.body, "各单位要落实防汛值班制度。") {
		t.Fatalf("model draft = %d %.500s", r.code, r.body)
	}
	for _, req := range fake.Requests() {
		if strings.Contains(string(req.Body), "13812345678") {
			t.Error("a mobile number in the key points reached the model")
		}
	}
	payload := html.UnescapeString(regexp.MustCompile(`name="doc" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	sig := html.UnescapeString(regexp.MustCompile(`name="sig" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	d := c.post("/admin/docs/export", url.Values{"csrf": {tok}, "doc": {payload}, "sig": {sig}, "format": {"docx"}})
	if src, err := gongwen.ReadDOCX([]byte(d.body)); err != nil || !strings.Contains(strings.Join(src.Paragraphs, "\n"), gongwen.AILabel) {
		t.Errorf("model-written .docx lacks the AI label: %v", err)
	}
	// The model invents a figure: the template body is used, and why.
	fake.Enqueue(llmtest.Reply{Text: "各单位要在3日内落实防汛值班制度。"})
	r = c.post("/admin/docs/draft", form)
	if !strings.Contains(r.body, `id="fallback"`) || !strings.Contains(r.body, "3") || strings.Contains(r.body, `id="ai-generated"`) {
		t.Errorf("invented figure not refused: %.500s", r.body[strings.Index(r.body, `id="preview"`):])
	}
	// Unchecked, no model is asked.
	n := len(fake.Requests())
	form.Del("model")
	if r := c.post("/admin/docs/draft", form); !strings.Contains(r.body, `id="template-body"`) || len(fake.Requests()) != n {
		t.Error("model used although not asked for")
	}
	// The check page offers the model pass; a failing model leaves the rules' findings.
	if !strings.Contains(c.get("/admin/docs/check").body, `name="model"`) {
		t.Error("no model option on the check page")
	}
	fake.Enqueue(llmtest.Reply{Fail: llmtest.Status500})
	r = c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {"福政数[2024]3号"}, "model": {"1"}})
	if r.code != 200 || !strings.Contains(r.body, "大模型校核未完成") || len(findingRows(r.body)) == 0 {
		t.Errorf("check with a failing model = %d", r.code)
	}
	// A clean document whose model pass failed is not a green all-clear.
	clean, _ := os.ReadFile("../gongwen/testdata/check/clean_request.txt")
	fake.Enqueue(llmtest.Reply{Fail: llmtest.Status500})
	r = c.post("/admin/docs/check", url.Values{"csrf": {tok}, "text": {string(clean)}, "model": {"1"}})
	if r.code != 200 || strings.Contains(r.body, `id="no-findings"`) || !strings.Contains(r.body, `id="partial"`) || !strings.Contains(r.body, "<li>大模型校核：模型暂不可用，未完成</li>") {
		t.Errorf("clean document, failed model pass = %d: %.1500s", r.code, r.body[strings.Index(r.body, `id="result"`):])
	}
}

func TestMarkParagraphs(t *testing.T) {
	t.Parallel()
	fs, _ := findingViews([]gongwen.Finding{
		{Rule: "a", Severity: gongwen.Info, Text: "甲乙丙", Paragraph: 1, Offset: 1},
		{Rule: "b", Severity: gongwen.Error, Text: "乙", Paragraph: 1, Offset: 2},
		{Rule: "c", Severity: gongwen.Warning, Text: "", Paragraph: 1, Offset: 5},
		{Rule: "d", Severity: gongwen.Error, Text: "不在这里", Paragraph: 1, Offset: 0},
		{Rule: "e", Severity: gongwen.Error, Text: "x", Paragraph: 9, Offset: 0},
	})
	ps := markParagraphs([]string{"〇甲乙丙丁"}, fs)
	var b strings.Builder
	for _, s := range ps[0].Segs {
		if s.Finding != 0 {
			fmt.Fprintf(&b, "[%d%s%v:%s]", s.Finding, s.Severity, s.Anchors, s.Text)
		} else {
			b.WriteString(s.Text)
		}
	}
	if got, want := b.String(), "〇[1info[1]:甲][1error[2]:乙][1info[]:丙]丁[3warning[3]:‸]"; got != want {
		t.Errorf("marked %s\nwant   %s", got, want)
	}
	// Finding 2 is inside finding 1's text: linked from the shared run's title.
	for _, s := range ps[0].Segs {
		if s.Text == "乙" && !strings.Contains(s.Title, "2. ") {
			t.Errorf("overlapping finding missing from the title %q", s.Title)
		}
	}
}

// Whatever the text, marking the checker's findings keeps every
// paragraph's text exactly (carets aside) and marks only real findings.
func FuzzMarkParagraphs(f *testing.F) {
	for _, s := range []string{"福政数[2024]第3号\n关于做好防汛工作的通知。", "各单位要认真的落实，，做好工作", "（一）\n1、\n", "附件：1.清单。\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		src, err := gongwen.ReadText([]byte(text))
		if err != nil {
			return
		}
		fs, _ := findingViews(gongwen.Check(src))
		for i, pv := range markParagraphs(src.Paragraphs, fs) {
			var b strings.Builder
			for _, s := range pv.Segs {
				if s.Finding < 0 || s.Finding > len(fs) {
					t.Fatalf("segment links to finding %d of %d", s.Finding, len(fs))
				}
				if !s.Caret {
					b.WriteString(s.Text)
				}
			}
			if b.String() != src.Paragraphs[i] {
				t.Fatalf("paragraph %d marked as %q, is %q", i+1, b.String(), src.Paragraphs[i])
			}
		}
	})
}
