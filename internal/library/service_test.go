package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/llm/llmtest"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// clock is a fixed day for tests: 2026-01-15, when 突发事件应对法 2024 is
// in force.
func clock(day string) func() time.Time {
	return func() time.Time {
		t, err := time.Parse("2006-01-02", day)
		if err != nil {
			panic(err)
		}
		return t
	}
}

func importLaw(t *testing.T, l *Library, collection, file string) ImportResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(lawsDir(), file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Import(context.Background(), collection, file, bytes.NewReader(data), int64(len(data)), "test")
	if err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	return res
}

func TestStoreRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, err := Open(ctx, db, Options{Now: clock("2026-01-15")})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.PutCollection(ctx, Collection{Name: "法规", Visibility: Public}); err != nil {
			t.Fatal(err)
		}
		res := importLaw(t, l, "法规", "公务员法(2018-12-29).md")
		if res.Articles != 113 || res.Version != "2018-12-29" || res.Replaced {
			t.Fatalf("import: %+v", res)
		}
		sample := []byte(sampleLaw)
		if _, err := l.Import(ctx, "法规", "示例法(2023-12-29).md", bytes.NewReader(sample), int64(len(sample)), "test"); err != nil {
			t.Fatal(err)
		}
		docx := buildDOCX(t, []docxPara{{text: "考勤办法", style: "Title"}, {text: "为了规范考勤，制定本办法。", numID: "1"}, {text: "本办法自印发之日起施行。", numID: "1"}})
		if _, err := l.Import(ctx, "法规", "考勤办法.docx", bytes.NewReader(docx), int64(len(docx)), "test"); err != nil {
			t.Fatal(err)
		}
		// Importing a version again replaces it.
		if again := importLaw(t, l, "法规", "公务员法(2018-12-29).md"); !again.Replaced {
			t.Errorf("second import not a replacement: %+v", again)
		}
		// A second library on the same database reads back the same documents.
		l2, err := Open(ctx, db, Options{Now: clock("2026-01-15")})
		if err != nil {
			t.Fatal(err)
		}
		docs, err := l2.Documents("法规", Everyone)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 3 {
			t.Fatalf("%d documents after reload", len(docs))
		}
		var sampleDoc DocumentInfo
		for _, d := range docs {
			if d.Title == "中华人民共和国示例法" {
				sampleDoc = d
			}
		}
		want := parseString(t, "示例法(2023-12-29).md", sampleLaw)
		if len(sampleDoc.Articles) != len(want.Articles) {
			t.Fatalf("reloaded %d articles, want %d", len(sampleDoc.Articles), len(want.Articles))
		}
		for i, a := range sampleDoc.Articles {
			w := want.Articles[i]
			if a.Text() != w.Text() || a.No != w.No || strings.Join(a.Path, "/") != strings.Join(w.Path, "/") {
				t.Errorf("article %d: %q %v %v, want %q %v %v", i, a.Text(), a.No, a.Path, w.Text(), w.No, w.Path)
			}
		}
		if sampleDoc.Issuer != "全国人民代表大会常务委员会" || sampleDoc.Effective != "2024-01-01" || sampleDoc.Format != "md" {
			t.Errorf("metadata %+v", sampleDoc.Document)
		}
		if err := l2.DeleteDocument(ctx, sampleDoc.ID); err != nil {
			t.Fatal(err)
		}
		if err := l.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if docs, _ := l.Documents("法规", Everyone); len(docs) != 2 {
			t.Errorf("%d documents after delete", len(docs))
		}
		if err := l.DeleteDocument(ctx, 999999); !errors.Is(err, ErrNotFound) {
			t.Errorf("delete unknown: %v", err)
		}
	})
}

// A bad file in a folder is reported with its name and the rest imports.
func TestImportFolderKeepsGoing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := Open(ctx, storetest.Open(t, store.SQLite, Migrations), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, body := range map[string][]byte{
		"a.md":        []byte(sampleLaw),
		"broken.docx": []byte("not a zip"),
		"scan.pdf":    scannedPDF(1),
		"notes.txt":   []byte("会议纪要\n一、议题\n讨论防汛。\n"),
		"ignored.csv": []byte("x,y"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := l.ImportFS(ctx, os.DirFS(dir), ".", "docs", "test")
	if err == nil || !strings.Contains(err.Error(), "2 of 4") {
		t.Fatalf("err = %v", err)
	}
	got := map[string]ImportResult{}
	for _, r := range res {
		got[r.File] = r
	}
	if got["a.md"].Articles != 5 || got["notes.txt"].Kind != Sections || got["broken.docx"].Error == "" {
		t.Errorf("results %+v", res)
	}
	if r := got["scan.pdf"]; !strings.Contains(r.Error, "OCR") || len(r.NeedsOCR) != 1 {
		t.Errorf("scan.pdf: %+v", r)
	}
	docs, err := l.Documents("docs", Everyone)
	if err != nil || len(docs) != 2 {
		t.Errorf("%d documents, %v", len(docs), err)
	}
}

func TestVisibility(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := Open(ctx, storetest.Open(t, store.SQLite, Migrations), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Collection{
		{Name: "法规制度", Visibility: Public},
		{Name: "人事制度", Visibility: Staff},
		{Name: "教学资源", Visibility: Staff, Roles: []string{"teacher"}},
	} {
		if err := l.PutCollection(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	importLaw(t, l, "人事制度", "公务员法(2018-12-29).md")
	names := func(v Viewer) string {
		var out []string
		for _, c := range l.Collections(v) {
			out = append(out, c.Name)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		v    Viewer
		want string
	}{
		{Viewer{}, "法规制度"},
		{Viewer{Staff: true, Role: "editor"}, "人事制度,法规制度"},
		{Viewer{Staff: true, Role: "teacher"}, "人事制度,教学资源,法规制度"},
		{Everyone, "人事制度,教学资源,法规制度"},
	} {
		if got := names(c.v); got != c.want {
			t.Errorf("%+v sees %q, want %q", c.v, got, c.want)
		}
	}
	if _, err := l.Documents("教学资源", Viewer{Staff: true, Role: "editor"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("editor reading 教学资源: %v", err)
	}
	// A resident's question never reaches the staff collection.
	ans, err := l.Ask(ctx, Question{Text: "新录用的公务员试用期多长", Viewer: Viewer{}})
	if err != nil || ans.Status != NotFound || len(ans.Closest) != 0 {
		t.Errorf("resident: %+v, %v", ans, err)
	}
	if _, err := l.Ask(ctx, Question{Text: "试用期", Collection: "人事制度", Viewer: Viewer{}}); !errors.Is(err, ErrForbidden) {
		t.Errorf("resident naming 人事制度: %v", err)
	}
	ans, err = l.Ask(ctx, Question{Text: "新录用的公务员试用期多长", Viewer: Viewer{Staff: true, Role: "editor"}})
	if err != nil || ans.Status != Answered || ans.Citations[0].Article != "第三十四条" {
		t.Errorf("staff: %+v, %v", ans, err)
	}
}

// The example: a civil servant asks about the probation period
// and gets 公务员法's article quoted with its number.
func TestAskQuotes(t *testing.T) {
	t.Parallel()
	l := sharedLaws(t)
	ans, err := l.Ask(context.Background(), Question{Text: "新录用的公务员试用期多长", Viewer: Everyone})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Status != Answered || ans.Generator != "retrieval" || ans.AILabel != "" {
		t.Fatalf("%+v", ans)
	}
	c := ans.Citations[0]
	if c.Law != "中华人民共和国公务员法" || c.Article != "第三十四条" || c.Version != "2018-12-29" ||
		c.Text != "第三十四条 新录用的公务员试用期为一年。试用期满合格的，予以任职；不合格的，取消录用。" {
		t.Errorf("citation %+v", c)
	}
	if !strings.Contains(ans.Answer, "《中华人民共和国公务员法》第三十四条") || !strings.Contains(ans.Answer, "新录用的公务员试用期为一年") ||
		!strings.Contains(ans.Answer, "现行有效的2018-12-29版本") || !strings.Contains(ans.Answer, "相关条文：") {
		t.Errorf("answer %q", ans.Answer)
	}
	// The JSON contract of fuwu library ask --json.
	raw, _ := json.Marshal(ans)
	var shape map[string]any
	_ = json.Unmarshal(raw, &shape)
	cits, _ := shape["citations"].([]any)
	first, _ := cits[0].(map[string]any)
	for _, k := range []string{"law", "article", "version", "text"} {
		if _, ok := first[k].(string); !ok {
			t.Errorf("citation field %q missing in %s", k, raw)
		}
	}
	if shape["status"] != "answered" || shape["answer"] == "" {
		t.Errorf("shape %s", raw)
	}

	nf, err := l.Ask(context.Background(), Question{Text: "护照过期了在哪里换新的", Viewer: Everyone})
	if err != nil {
		t.Fatal(err)
	}
	if nf.Status != NotFound || len(nf.Citations) != 0 || len(nf.Closest) == 0 || !strings.Contains(nf.Answer, "没有找到") {
		t.Errorf("not found: %+v", nf)
	}
}

// Two versions of one law: the one in force answers and says so; the
// superseded one answers when asked for; before the new one takes
// effect, the old one is in force.
func TestVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		day                string
		question           string
		version            string
		wantVersion, stand string
		note               string
	}{
		{"2026-01-15", "员工被抽去参加抢险救灾好几天，单位能扣他这几天的工资吗", "", "2024-06-28", "in_force", "现行有效的2024-06-28版本"},
		{"2026-01-15", "按2007年那版突发事件应对法，编造传播虚假信息怎么处罚", "", "2007-08-30", "superseded", "已被2024-06-28版本取代"},
		{"2026-01-15", "突发事件分为哪几类", "2007-08-30", "2007-08-30", "superseded", "已被2024-06-28版本取代"},
		{"2024-08-01", "突发事件分为哪几类", "", "2007-08-30", "in_force", "现行有效的2007-08-30版本"},
	} {
		l, err := Open(ctx, storetest.Open(t, store.SQLite, Migrations), Options{Now: clock(c.day)})
		if err != nil {
			t.Fatal(err)
		}
		importLaw(t, l, "法规", "突发事件应对法(2007-08-30).md")
		importLaw(t, l, "法规", "突发事件应对法(2024-06-28).md")
		ans, err := l.Ask(ctx, Question{Text: c.question, Version: c.version, Viewer: Everyone})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Status != Answered {
			t.Errorf("%s %q: %s", c.day, c.question, ans.Answer)
			continue
		}
		got := ans.Citations[0]
		if got.Version != c.wantVersion || string(got.Standing) != c.stand || !strings.Contains(ans.Answer, c.note) {
			t.Errorf("%s %q: %s %s, answer %q", c.day, c.question, got.Version, got.Standing, ans.Answer)
		}
		if c.day == "2024-08-01" {
			docs, _ := l.Documents("法规", Everyone)
			if docs[0].Version != "2024-06-28" || docs[0].Standing != NotYet || docs[0].Current != "2007-08-30" {
				t.Errorf("standing before 2024-11-01: %+v", docs[0])
			}
		}
	}
}

// chat adapts the llm client to the library's Model.
type chat struct{ c *llm.Client }

func (m chat) Complete(ctx context.Context, system, user string) (string, error) {
	r, err := m.c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleSystem, Content: system}, {Role: llm.RoleUser, Content: user}}})
	return r.Content, err
}

func TestModelAnswers(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t)
	l := openLaws(t, Options{Model: chat{srv.Client(t)}, ModelName: llmtest.ChatModel})
	q := Question{Text: "新录用的公务员试用期多长？我电话13812345678", Viewer: Everyone}
	for _, c := range []struct {
		name, reply string
		fail        llmtest.Failure
		model       bool
		fallback    string
	}{
		{"verified", "新录用的公务员试用期为一年（《中华人民共和国公务员法》第三十四条）。试用期满不合格的，“取消录用”（《公务员法》第三十四条第一款）。", 0, true, ""},
		{"not retrieved", "试用期为一年（《中华人民共和国公务员法》第九十九条）。", 0, false, "not retrieved"},
		{"misquoted", "依照《中华人民共和国公务员法》第三十四条，“新录用的公务员试用期为六个月”。", 0, false, "quotation"},
		{"uncited sentence", "新录用的公务员试用期为一年（《中华人民共和国公务员法》第三十四条）。期满一般都能转正。", 0, false, "without a citation"},
		{"no such 款", "试用期为一年（《中华人民共和国公务员法》第三十四条第三款）。", 0, false, "does not have"},
		{"refuses", "无法依据所给条文回答。", 0, false, "do not answer"},
		{"server error", "", llmtest.Status500, false, "model error"},
	} {
		srv.Enqueue(llmtest.Reply{Text: c.reply, Fail: c.fail})
		ans, err := l.Ask(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (ans.Generator == "model") != c.model || !strings.Contains(ans.Fallback, c.fallback) {
			t.Errorf("%s: generator %s fallback %q", c.name, ans.Generator, ans.Fallback)
		}
		if c.model {
			if ans.AILabel != AILabel || ans.Model != llmtest.ChatModel || len(ans.Citations) != 1 || ans.Citations[0].Article != "第三十四条" {
				t.Errorf("%s: %+v", c.name, ans)
			}
		} else if ans.Citations[0].Article != "第三十四条" || ans.AILabel != "" {
			t.Errorf("%s: fallback %+v", c.name, ans)
		}
	}
	srv.AssertNoPersonalData(t)
	// The model saw the retrieved articles, numbered.
	reqs := srv.Requests()
	if len(reqs) == 0 || !strings.Contains(reqs[0].Messages[1].Content, "第三十四条") {
		t.Errorf("prompt: %+v", reqs)
	}
}

// A question naming the law and the article gets that article, even when
// its words say little.
func TestNamedArticle(t *testing.T) {
	t.Parallel()
	l := sharedLaws(t)
	for _, c := range []struct{ q, law, art, version string }{
		{"公务员法第三十四条是怎么规定的", "中华人民共和国公务员法", "第三十四条", "2018-12-29"},
		{"教师法第三十九条说了什么", "中华人民共和国教师法", "第三十九条", "2009-08-27"},
		{"2007年那版突发事件应对法第六十五条", "中华人民共和国突发事件应对法", "第六十五条", "2007-08-30"},
	} {
		ans, err := l.Ask(context.Background(), Question{Text: c.q, Viewer: Everyone})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Status != Answered || ans.Citations[0].Law != c.law || ans.Citations[0].Article != c.art || ans.Citations[0].Version != c.version {
			t.Errorf("%q: %+v", c.q, ans.Citations)
		}
	}
}
