package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/teaching"
)

var libraryMigrations = append(append([]store.Migrations{}, testMigrations...), library.Migrations, teaching.Migrations)

// demoLaws are the laws the web tests load (the whole folder takes
// seconds on PostgreSQL and adds nothing these tests look at): the civil
// servants' law, both versions of one law, and a teachers' law.
var demoLaws = []string{"公务员法(2018-12-29).md", "突发事件应对法(2007-08-30).md", "突发事件应对法(2024-06-28).md", "教师法(2009-08-27).md"}

// libraryFS is the demo library with only demoLaws among the laws.
func libraryFS(t testing.TB) fs.FS {
	t.Helper()
	src := data.Library()
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(p, "laws/") {
			keep := false
			for _, n := range demoLaws {
				keep = keep || p == "laws/"+n
			}
			if !keep {
				return nil
			}
		}
		b, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// libraryEnv serves the web with the document library (public laws, the
// staff-only personnel rules, the teachers' collection) and the teachers'
// assistant over the demo, with an account per role; the password is the
// name followed by " password".
func libraryEnv(t *testing.T, db *store.DB) (*env, *library.Library, *teaching.Store) {
	t.Helper()
	ctx := context.Background()
	lib, err := library.Open(ctx, db, library.Options{Now: testNowFunc})
	if err != nil {
		t.Fatal(err)
	}
	fsys := libraryFS(t)
	if err := lib.LoadDemo(ctx, fsys, "法规制度"); err != nil {
		t.Fatal(err)
	}
	teacher := library.Viewer{Staff: true, Role: string(auth.Teacher)}
	st := teaching.NewStore(db, teaching.Options{Retriever: teaching.FromLibrary(lib, teaching.DemoCollection, teacher), Now: testNowFunc})
	if err := teaching.LoadDemo(ctx, st, lib, fsys); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db, &fakeAssistant{}, func(c *Config) { c.Library, c.Teaching = lib, st })
	for _, u := range []struct {
		name    string
		display string
		role    auth.Role
	}{{"admin", "管理员", auth.Admin}, {"editor", "编辑小赵", auth.Editor}, {"agent", "公务员小王", auth.Agent}, {"teacher", "李老师", auth.Teacher}} {
		if _, err := e.auth.AddUser(ctx, u.name, u.display, u.role, u.name+" password"); err != nil {
			t.Fatal(err)
		}
	}
	return e, lib, st
}

func testNowFunc() time.Time { return testNow }

// loggedIn is a client logged in as name.
func loggedIn(t *testing.T, e *env, name string) *client {
	t.Helper()
	c := e.client()
	if r := c.login(name, name+" password"); r.code != http.StatusSeeOther {
		t.Fatalf("login %s = %d", name, r.code)
	}
	return c
}

type upFile struct{ field, name, content string }

// postFiles posts a form with files, with the page's CSRF token.
func (c *client) postFiles(path, tokenPage string, fields url.Values, files ...upFile) resp {
	c.e.t.Helper()
	tok := c.csrf(tokenPage)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", tok)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile(f.field, f.name)
		fw.Write([]byte(f.content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// postForm posts a form with the CSRF token of tokenPage.
func (c *client) postForm(path, tokenPage string, form url.Values) resp {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf(tokenPage))
	return c.post(path, form)
}

var reDataAttr = regexp.MustCompile(`data-law="([^"]*)" data-article="([^"]*)" data-version="([^"]*)"`)

// citations lists the answer's citations as law|article|version.
func citations(body string) []string {
	var out []string
	for _, m := range reDataAttr.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1])+"|"+m[2]+"|"+m[3])
	}
	return out
}

// Who sees which collection, and which staff page each role may open.
func TestLibraryVisibility(t *testing.T) {
	storetest.Each(t, libraryMigrations, func(t *testing.T, db *store.DB) {
		e, lib, _ := libraryEnv(t, db)
		personnel, err := lib.Documents(library.PersonnelDemo, library.Everyone)
		if err != nil || len(personnel) != 1 {
			t.Fatalf("personnel demo = %v, %v", personnel, err)
		}
		pid := fmt.Sprint(personnel[0].ID)
		resident := e.client()
		clients := map[string]*client{"resident": resident}
		for _, n := range []string{"admin", "editor", "agent", "teacher"} {
			clients[n] = loggedIn(t, e, n)
		}
		for _, tc := range []struct {
			who, path  string
			code       int
			has, lacks []string
		}{
			{"resident", "/library", 200, []string{`data-collection="法规制度"`}, []string{`data-collection="人事制度"`, `data-collection="教学资源"`}},
			{"resident", "/library?collection=" + url.QueryEscape("人事制度"), 404, []string{"没有这个文库"}, []string{"请休假"}},
			{"resident", "/library/documents/" + pid, 404, nil, []string{"请休假"}},
			{"resident", "/admin/library", 303, nil, nil},
			{"agent", "/admin/library", 200, []string{`data-collection="法规制度"`, `data-collection="人事制度"`}, []string{`data-collection="教学资源"`, `id="go-import"`}},
			{"agent", "/admin/library/documents/" + pid, 200, []string{"机关工作人员请休假管理办法（演示）", "第四条", "（一）一日以内的"}, nil},
			{"agent", "/admin/teaching", 403, nil, nil},
			{"agent", "/admin/library/import", 403, nil, nil},
			{"teacher", "/admin/library", 200, []string{`data-collection="法规制度"`, `data-collection="教学资源"`, `id="go-import"`}, []string{`data-collection="人事制度"`, `href="/admin/conversations"`}},
			{"teacher", "/admin/library/documents/" + pid, 404, nil, []string{"请休假"}},
			{"teacher", "/admin/teaching", 200, []string{`href="/admin/teaching"`, "教案"}, nil},
			{"teacher", "/admin/conversations", 403, nil, nil},
			{"teacher", "/admin/items", 403, nil, nil},
			{"editor", "/admin/library", 200, []string{`id="go-import"`}, []string{`id="collection-form"`}},
			{"editor", "/admin/teaching", 403, nil, nil},
			{"admin", "/admin/library", 200, []string{`data-collection="人事制度"`, `data-collection="教学资源"`, `id="collection-form"`}, nil},
		} {
			r := clients[tc.who].get(tc.path)
			if r.code != tc.code {
				t.Errorf("%s GET %s = %d, want %d", tc.who, tc.path, r.code, tc.code)
				continue
			}
			for _, s := range tc.has {
				if !strings.Contains(r.body, s) {
					t.Errorf("%s GET %s lacks %s", tc.who, tc.path, s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(r.body, s) {
					t.Errorf("%s GET %s shows %s", tc.who, tc.path, s)
				}
			}
		}
		// A teacher may not add to the public laws, nor create a collection.
		r := clients["teacher"].postFiles("/admin/library/import", "/admin/library/import",
			url.Values{"collection": {"法规制度"}}, upFile{"files", "x.md", "# 某法\n\n第一条 内容。"})
		if r.code != 403 {
			t.Errorf("teacher import into 法规制度 = %d", r.code)
		}
		r = clients["teacher"].postFiles("/admin/library/import", "/admin/library/import",
			url.Values{"collection": {"教学资源"}, "new_collection": {"我的文库"}}, upFile{"files", "x.md", "# 某法\n\n第一条 内容。"})
		if r.code != 403 {
			t.Errorf("teacher creating a collection = %d", r.code)
		}
	})
}

// A civil servant's question gets 公务员法's article with its number and
// the version in force; a superseded version answers when asked for.
func TestLibraryAsk(t *testing.T) {
	storetest.Each(t, libraryMigrations, func(t *testing.T, db *store.DB) {
		e, _, _ := libraryEnv(t, db)
		c := loggedIn(t, e, "agent")
		r := c.get("/admin/library?q=" + url.QueryEscape("新录用的公务员试用期多长"))
		if r.code != 200 || !strings.Contains(r.body, `data-status="answered"`) {
			t.Fatalf("ask = %d %.400s", r.code, r.body)
		}
		cs := citations(r.body)
		if len(cs) == 0 || cs[0] != "中华人民共和国公务员法|第三十四条|2018-12-29" {
			t.Fatalf("citations = %v", cs)
		}
		for _, want := range []string{"新录用的公务员试用期为一年", "现行有效", "依据现行有效的2018-12-29版本"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("answer lacks %q", want)
			}
		}
		// The article's link opens the document at the article.
		doc := regexp.MustCompile(`(?i)href="(/admin/library/documents/\d+)#` + regexp.QuoteMeta(url.PathEscape("a-第三十四条")) + `"`).FindStringSubmatch(r.body)
		if doc == nil {
			t.Fatal("no link to the article")
		}
		if r := c.get(doc[1]); r.code != 200 || !strings.Contains(r.body, `id="a-第三十四条"`) || !strings.Contains(r.body, "第四章 录用") {
			t.Errorf("document page = %d", r.code)
		}

		// The law in force, then the superseded one on request (by the
		// version field, and in words).
		q := "突发事件应对法规定突发事件分为哪几类"
		r = c.get("/admin/library?q=" + url.QueryEscape(q))
		if cs := citations(r.body); len(cs) == 0 || !strings.HasSuffix(cs[0], "|2024-06-28") {
			t.Errorf("in force: %v", cs)
		}
		for _, path := range []string{"/admin/library?version=2007-08-30&q=" + url.QueryEscape(q), "/library?q=" + url.QueryEscape("突发事件应对法2007年那版规定突发事件分为哪几类")} {
			r = c.get(path)
			cs := citations(r.body)
			if len(cs) == 0 || !strings.HasSuffix(cs[0], "|2007-08-30") || !strings.Contains(r.body, "已被取代") || !strings.Contains(r.body, "现行有效的是 2024-06-28 版本") {
				t.Errorf("%s: superseded version not answered: %v", path, cs)
			}
		}
		// The superseded version's page says which one is in force and links it.
		r = c.get("/admin/library?collection=" + url.QueryEscape("法规制度"))
		old := regexp.MustCompile(`href="/admin/library/documents/(\d+)">中华人民共和国突发事件应对法</a>(?:[^<]|<small[^>]*>[^<]*</small>)*</td><td>2007-08-30`).FindStringSubmatch(r.body)
		if old == nil {
			t.Fatalf("the 2007 version is not listed: %.2000s", r.body)
		}
		if r := c.get("/admin/library/documents/" + old[1]); !strings.Contains(r.body, "已被取代") || !strings.Contains(r.body, `id="versions"`) {
			t.Errorf("superseded document page: %.300s", r.body)
		}

		// Not covered: an honest not-found with the closest articles.
		r = c.get("/library?q=" + url.QueryEscape("高铁票改签要收多少手续费"))
		if !strings.Contains(r.body, `data-status="not_found"`) || !strings.Contains(r.body, "没有找到") {
			t.Errorf("uncovered question: %.500s", r.body)
		}
	})
}

// Staff import files: each reports what it became; a bad file is
// reported and the others import; a scanned page is named; every import
// is audited.
func TestLibraryImport(t *testing.T) {
	mixed, err := os.ReadFile("../library/testdata/mixed.pdf")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, libraryMigrations, func(t *testing.T, db *store.DB) {
		e, lib, _ := libraryEnv(t, db)
		c := loggedIn(t, e, "admin")
		rule := "# 机关会议管理规定\n\n## 第一章 总则\n\n第一条 为规范会议管理，制定本规定。\n\n第二条 会议应当精简。\n\n第二条之一 视频会议优先。\n"
		r := c.postFiles("/admin/library/import", "/admin/library/import",
			url.Values{"new_collection": {"会议制度"}, "visibility": {"staff"}, "roles": {"agent"}},
			upFile{"files", "机关会议管理规定(2025-03-01).md", rule},
			upFile{"files", "旧文件.doc", "binary"},
			upFile{"files", "坏文件.docx", "not a zip"},
			upFile{"files", "教师资格条例扫描(1995-12-12).pdf", string(mixed)})
		if r.code != 200 {
			t.Fatalf("import = %d %.500s", r.code, r.body)
		}
		for _, want := range []string{"成功 2 个，失败 2 个", "机关会议管理规定", "不支持旧版 Word 格式", "不是有效的 Word", "第5页是扫描图像，需要 OCR 识别"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("import results lack %q", want)
			}
		}
		coll, err := lib.Collection("会议制度", library.Everyone)
		if err != nil || coll.Visibility != library.Staff || strings.Join(coll.Roles, ",") != "agent,admin" {
			t.Fatalf("new collection = %+v, %v", coll, err)
		}
		docs, _ := lib.Documents("会议制度", library.Everyone)
		if len(docs) != 2 {
			t.Fatalf("%d documents imported", len(docs))
		}
		// The agent reads the new collection; the editor does not.
		if r := loggedIn(t, e, "agent").get("/admin/library"); !strings.Contains(r.body, `data-collection="会议制度"`) {
			t.Error("agent does not see the collection made for agents")
		}
		if r := loggedIn(t, e, "editor").get("/admin/library"); strings.Contains(r.body, `data-collection="会议制度"`) {
			t.Error("editor sees a collection for agents only")
		}
		entries, _, err := e.log.List(context.Background(), audit.Filter{Action: "library."}, audit.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, en := range entries {
			got[en.Action]++
			if en.Actor != "admin" {
				t.Errorf("audit actor %q", en.Actor)
			}
		}
		if got["library.import"] != 2 || got["library.import.failed"] != 2 || got["library.collection"] != 1 {
			t.Errorf("audit = %v", got)
		}
		// Deleting a version is for those who manage the library.
		id := fmt.Sprint(docs[0].ID)
		if r := loggedIn(t, e, "editor").postForm("/admin/library/documents/"+id+"/delete", "/admin/library", nil); r.code != 403 {
			t.Errorf("editor delete = %d", r.code)
		}
		if r := c.postForm("/admin/library/documents/"+id+"/delete", "/admin/library", nil); r.code != 303 {
			t.Errorf("admin delete = %d", r.code)
		}
		if docs, _ := lib.Documents("会议制度", library.Everyone); len(docs) != 1 {
			t.Errorf("%d documents after delete", len(docs))
		}
	})
}

// docxBody is the text of a .docx's word/document.xml, or a failure.
func docxBody(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a .docx (zip): %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(rc)
			rc.Close()
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(raw), "")
		}
	}
	t.Fatal(".docx without word/document.xml")
	return ""
}

// The teacher's day: a lesson plan revised and exported, a practice set
// with its answer key, a class's results giving personal sets and pairs,
// and a draft answer that is shareable only after the teacher's edit.
func TestTeachingPages(t *testing.T) {
	storetest.Each(t, libraryMigrations, func(t *testing.T, db *store.DB) {
		e, _, st := libraryEnv(t, db)
		ctx := context.Background()
		c := loggedIn(t, e, "teacher")

		// Lesson plan.
		r := c.postForm("/admin/teaching/plans", "/admin/teaching/plans", url.Values{"subject": {"数学"}, "grade": {"七年级"},
			"topic": {"解一元一次方程"}, "periods": {"2"}, "class_profile": {"学生已学过等式的性质"}})
		loc := r.hdr.Get("Location")
		if r.code != 303 || !strings.HasPrefix(loc, "/admin/teaching/plans/") {
			t.Fatalf("plan = %d %s %.300s", r.code, loc, r.body)
		}
		planPath, _, _ := strings.Cut(loc, "?")
		r = c.get(planPath)
		for _, want := range []string{"教学目标（核心素养）", "教学过程", "板书设计", "参考资料", "第 1 版"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("plan page lacks %q", want)
			}
		}
		if r := c.postForm("/admin/teaching/plans", "/admin/teaching/plans", url.Values{"subject": {"数学"}}); r.code != 400 || !strings.Contains(r.body, "缺少年级、课题") {
			t.Errorf("incomplete form = %d", r.code)
		}
		r = c.postForm(planPath+"/revise", planPath, url.Values{"key": {"process"}, "instruction": {"增加移项的例题"}})
		if r.code != 303 {
			t.Fatalf("revise = %d %.300s", r.code, r.body)
		}
		r = c.postForm(planPath+"/edit", planPath, url.Values{"key": {"homework"}, "lines": {"课本习题 3.3 第 1、2 题\n选做：第 5 题"}})
		if r.code != 303 {
			t.Fatalf("edit = %d", r.code)
		}
		r = c.get(planPath)
		if !strings.Contains(r.body, "第 3 版") || !strings.Contains(r.body, "按要求修改") || !strings.Contains(r.body, "选做：第 5 题") {
			t.Errorf("plan after revisions: %.200s", r.body)
		}
		r = c.get(planPath + "/plan.docx")
		if r.code != 200 || !strings.Contains(r.hdr.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("plan.docx = %d %s", r.code, r.hdr.Get("Content-Type"))
		}
		if body := docxBody(t, []byte(r.body)); !strings.Contains(body, "解一元一次方程") || !strings.Contains(body, "选做：第 5 题") {
			t.Errorf("plan .docx: %.300s", body)
		}
		if r := c.get(planPath + "/plan.docx?version=1"); !strings.Contains(docxBody(t, []byte(r.body)), "第1版") {
			t.Error("version 1 not exported as version 1")
		}

		// Question bank: a bad line is reported with its number.
		bank := `{"id":"W1","type":"单选","stem":"方程 x+1=2 的解是","options":["0","1"],"answer":"B","points":["方程的解"],"difficulty":1}` + "\nnot json\n"
		r = c.postFiles("/admin/teaching/bank", "/admin/teaching/bank", nil, upFile{"file", "extra.jsonl", bank})
		if r.code != 200 || !strings.Contains(r.body, "导入 1 题，跳过 1 行") || !strings.Contains(r.body, "第 2 行") {
			t.Errorf("bank import = %d %.400s", r.code, r.body)
		}
		if r := c.postFiles("/admin/teaching/bank", "/admin/teaching/bank", nil, upFile{"file", "x.csv", "a,b"}); r.code != 400 {
			t.Errorf("csv bank = %d", r.code)
		}
		// Practice set and its two copies.
		set := "/admin/teaching/sets?title=" + url.QueryEscape("移项练习") + "&points=" + url.QueryEscape("移项") + "&total=4&easy=3&medium=5&hard=2"
		r = c.get(set)
		if r.code != 200 || !strings.Contains(r.body, `id="set"`) {
			t.Fatalf("set = %d %.300s", r.code, r.body)
		}
		stu := regexp.MustCompile(`id="dl-student" href="([^"]+)"`).FindStringSubmatch(r.body)
		key := regexp.MustCompile(`id="dl-key" href="([^"]+)"`).FindStringSubmatch(r.body)
		if stu == nil || key == nil {
			t.Fatal("no download links")
		}
		sb := docxBody(t, []byte(c.get(html.UnescapeString(stu[1])).body))
		kb := docxBody(t, []byte(c.get(html.UnescapeString(key[1])).body))
		if !strings.Contains(sb, "移项练习") || strings.Contains(sb, "答案：") || !strings.Contains(kb, "答案：") || !strings.Contains(kb, "答案与解析") {
			t.Errorf("student copy %.200s / key %.200s", sb, kb)
		}

		// Results → heat map, personal sets, pairs.
		res := `{"class":"七年级（2）班","student":"甲","question":"W1","score":1}` + "\n" +
			`{"class":"七年级（2）班","student":"乙","question":"W1","score":0}` + "\n" +
			`{"class":"七年级（2）班","student":"乙","question":"NOPE","score":1}` + "\n"
		r = c.postFiles("/admin/teaching/results", "/admin/teaching/classes", nil, upFile{"file", "r.jsonl", res})
		if r.code != 200 || !strings.Contains(r.body, "导入 2 条，跳过 1 行") || !strings.Contains(r.body, "题库中没有题目 NOPE") {
			t.Errorf("results import = %d %.400s", r.code, r.body)
		}
		class := "/admin/teaching/classes/" + url.PathEscape("七年级（1）班")
		r = c.get(class)
		if r.code != 200 || !strings.Contains(r.body, `class="heat"`) || !strings.Contains(r.body, "lv-weak") || !strings.Contains(r.body, "全班平均") {
			t.Fatalf("class page = %d", r.code)
		}
		r = c.postForm(class+"/pairs", class, nil)
		if r.code != 303 {
			t.Fatalf("propose = %d", r.code)
		}
		pairs, err := st.Pairs(ctx, "七年级（1）班")
		if err != nil || len(pairs) == 0 {
			t.Fatalf("pairs = %v, %v", pairs, err)
		}
		r = c.postForm(fmt.Sprintf("/admin/teaching/pairs/%d/approve", pairs[0].ID), class, url.Values{"class": {"七年级（1）班"}})
		if r.code != 303 {
			t.Fatalf("approve = %d", r.code)
		}
		if r := c.postForm(fmt.Sprintf("/admin/teaching/pairs/%d/reject", pairs[0].ID), class, url.Values{"class": {"七年级（1）班"}}); r.code != 409 {
			t.Errorf("deciding twice = %d", r.code)
		}
		if r := c.get(class); !strings.Contains(r.body, fmt.Sprintf(`data-id="%d" data-status="approved"`, pairs[0].ID)) {
			t.Error("the approved pair is not shown approved")
		}
		// A weak student's personal set, downloadable.
		hm, _ := st.HeatMap(ctx, "七年级（1）班")
		weak := ""
		for i, row := range hm.Cells {
			for _, v := range row {
				if v >= 0 && v < teaching.Weak && weak == "" {
					weak = hm.Students[i]
				}
			}
		}
		sp := class + "/students/" + url.PathEscape(weak)
		r = c.get(sp)
		if r.code != 200 || !strings.Contains(r.body, "的个人练习") || !strings.Contains(r.body, `id="dl-student"`) {
			t.Fatalf("student page = %d %.300s", r.code, r.body)
		}
		if b := docxBody(t, []byte(c.get(sp+"/set.docx?copy=key").body)); !strings.Contains(b, weak+"的个人练习") || !strings.Contains(b, "答案：") {
			t.Errorf("personal key: %.200s", b)
		}

		// Draft answers: not shareable before the teacher's edit.
		r = c.postForm("/admin/teaching/drafts", "/admin/teaching/drafts", url.Values{"question": {"老师，移项为什么要变号？"}})
		loc = r.hdr.Get("Location")
		if r.code != 303 {
			t.Fatalf("draft = %d", r.code)
		}
		draft, _, _ := strings.Cut(loc, "?")
		if r := c.get(draft); !strings.Contains(r.body, "来源") || !strings.Contains(r.body, "待教师审核修改") {
			t.Errorf("draft page: %.300s", r.body)
		}
		if r := c.postForm(draft+"/share", draft, nil); r.code != 409 || !strings.Contains(r.body, "须经教师修改") {
			t.Errorf("share before edit = %d", r.code)
		}
		if r := c.postForm(draft, draft, url.Values{"answer": {"移项就是把等式两边同时加上（或减去）同一个数，所以要变号。（见教材）"}}); r.code != 303 {
			t.Fatalf("edit draft = %d", r.code)
		}
		if r := c.postForm(draft+"/share", draft, nil); r.code != 303 {
			t.Fatalf("share = %d", r.code)
		}
		if r := c.get(draft); !strings.Contains(r.body, `data-status="shareable"`) || strings.Contains(r.body, `id="edit-form"`) {
			t.Error("the shared draft is still editable or not shown shared")
		}
		entries, _, err := e.log.List(ctx, audit.Filter{Action: "teaching."}, audit.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, en := range entries {
			got[en.Action]++
		}
		if got["teaching.pair.approve"] != 1 || got["teaching.draft.share"] != 1 || got["teaching.plan"] != 1 || got["teaching.bank.import"] != 1 || got["teaching.results.import"] != 1 {
			t.Errorf("audit = %v", got)
		}
	})
}

// The library's and the teachers' console routes, walked as bound: each
// refuses the roles without its permission and lets the others past.
func TestLibraryRoutesNeedTheirPermission(t *testing.T) {
	t.Parallel()
	e, _, _ := libraryEnv(t, libraryDB(t))
	as := consoleRoles(t, e)
	n := 0
	for _, rt := range e.s.bound {
		if rt.perm == "" || !strings.HasPrefix(rt.pattern, "GET /admin/library") && !strings.HasPrefix(rt.pattern, "POST /admin/library") &&
			!strings.Contains(rt.pattern, " /admin/teaching") {
			continue
		}
		n++
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = pathValue.ReplaceAllString(path, "x")
		for _, role := range auth.Roles {
			c := as[string(role)]
			r := send(c, method, path, c.csrf("/admin"))
			refused := r.code == 403 && strings.Contains(r.body, "无权访问")
			if role.Can(rt.perm) == refused {
				t.Errorf("%s as %s = %d, permission %s held: %v", rt.pattern, role, r.code, rt.perm, role.Can(rt.perm))
			}
		}
	}
	if n != 29 {
		t.Errorf("%d library and teaching routes walked, want 29", n)
	}
}

// libraryDB is a fresh SQLite database with the library's and teaching's tables.
func libraryDB(t *testing.T) *store.DB { return storetest.Open(t, store.SQLite, libraryMigrations...) }
