package web

import (
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/library"
)

// The document library's pages (文库): the collections a visitor may
// read, questions answered with quoted articles (law title, article
// number, the version in force; a superseded version on request), one
// document with its articles, and for staff the import of files and the
// collections' visibility. Residents see the public collections at
// /library; staff see theirs at /admin/library.

// maxLibraryUpload is the request body limit of the import page: the
// library reads files up to library.MaxFileSize, plus the form around them.
const maxLibraryUpload = library.MaxFileSize + 1<<20

// libraryViewer is who reads: a resident on the public pages; on the
// console the staff member's role, or every collection for those who
// manage the library.
func libraryViewer(r *http.Request) library.Viewer {
	u := currentUser(r)
	if u == nil || !strings.HasPrefix(r.URL.Path, "/admin/") {
		return library.Viewer{}
	}
	if u.Can(auth.ManageLibrary) {
		return library.Everyone
	}
	return library.Viewer{Staff: true, Role: string(u.Role)}
}

// libraryBase is the prefix of the library's pages for this visitor.
func libraryBase(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/admin/") {
		return "/admin/library"
	}
	return "/library"
}

// libraryLayout is a page in the console's layout or the residents'.
func (s *Server) libraryLayout(r *http.Request, title string, data any) Page {
	if strings.HasPrefix(r.URL.Path, "/admin/") {
		return s.consolePage(r, "library", title, data)
	}
	return s.page(r, title, data)
}

// collectionView is a collection as its list shows it.
type collectionView struct {
	library.Collection
	Documents int
	Access    string // who may read it, in words
}

func accessLabel(c library.Collection) string {
	if c.Visibility == library.Public {
		return "公开（居民可查）"
	}
	if len(c.Roles) == 0 {
		return "全体工作人员"
	}
	var names []string
	for _, r := range c.Roles {
		names = append(names, auth.Role(r).Label())
	}
	return "仅" + strings.Join(names, "、")
}

type libraryHomeData struct {
	Base        string
	Collections []collectionView
	Q           string
	Collection  string
	Version     string
	Asked       bool
	Answer      library.Answer
	CanImport   bool
	CanManage   bool
	Roles       []auth.Role
	// Documents are the chosen collection's, when one is chosen.
	Documents []library.DocumentInfo
}

// libraryHome lists the readable collections and answers a question
// (q), in one collection or all of them, at a version when asked.
func (s *Server) libraryHome(w http.ResponseWriter, r *http.Request) error {
	lib := s.cfg.Library
	v := libraryViewer(r)
	u := currentUser(r)
	d := libraryHomeData{Base: libraryBase(r), Q: strings.TrimSpace(r.URL.Query().Get("q")),
		Collection: r.URL.Query().Get("collection"), Version: strings.TrimSpace(r.URL.Query().Get("version")), Roles: auth.Roles}
	if d.Base == "/admin/library" && u != nil {
		d.CanImport, d.CanManage = u.Can(auth.ImportLibrary), u.Can(auth.ManageLibrary)
	}
	for _, c := range lib.Collections(v) {
		docs, err := lib.Documents(c.Name, v)
		if err != nil {
			return unavailable(libraryBusy, fmt.Errorf("library documents: %w", err))
		}
		d.Collections = append(d.Collections, collectionView{Collection: c, Documents: len(docs), Access: accessLabel(c)})
	}
	status := http.StatusOK
	var msg string
	if d.Collection != "" {
		docs, err := lib.Documents(d.Collection, v)
		switch {
		case errors.Is(err, library.ErrNotFound), errors.Is(err, library.ErrForbidden):
			// A collection the visitor may not read is not said to exist.
			p := s.libraryLayout(r, "文库", d)
			p.Error = "没有这个文库。"
			s.render(w, r, http.StatusNotFound, "library.html", p)
			return nil
		case err != nil:
			return unavailable(libraryBusy, fmt.Errorf("library documents: %w", err))
		}
		d.Documents = docs
	}
	if d.Q != "" {
		ans, err := lib.Ask(r.Context(), library.Question{Text: d.Q, Collection: d.Collection, Version: d.Version, Viewer: v})
		switch {
		case err == nil:
			d.Asked, d.Answer = true, ans
		case errors.Is(err, library.ErrNotFound), errors.Is(err, library.ErrForbidden):
			status, msg = http.StatusNotFound, "没有这个文库。"
		default:
			return unavailable(libraryBusy, fmt.Errorf("library ask: %w", err))
		}
	}
	p := s.libraryLayout(r, "文库", d)
	p.Error = msg
	s.render(w, r, status, "library.html", p)
	return nil
}

type libraryDocData struct {
	Base     string
	Doc      library.DocumentInfo
	Versions []library.DocumentInfo // every version of the same work, newest first
	Articles []articleView
	Manage   bool
}

// articleView is an article with the headings that start above it.
type articleView struct {
	*library.Article
	Headings []string
	Anchor   string
}

func articleAnchor(label string) string {
	return "a-" + strings.Join(strings.Fields(label), "_")
}

func (s *Server) libraryDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "没有这份文件。")
		return nil
	}
	v := libraryViewer(r)
	doc, err := s.cfg.Library.Document(id, v)
	if errors.Is(err, library.ErrNotFound) || errors.Is(err, library.ErrForbidden) {
		s.renderError(w, r, http.StatusNotFound, "没有这份文件。")
		return nil
	}
	if err != nil {
		return unavailable(libraryBusy, fmt.Errorf("library document: %w", err))
	}
	all, err := s.cfg.Library.Documents(doc.Collection, v)
	if err != nil {
		return unavailable(libraryBusy, fmt.Errorf("library documents: %w", err))
	}
	d := libraryDocData{Base: libraryBase(r), Doc: doc}
	for _, o := range all {
		if o.Work() == doc.Work() {
			d.Versions = append(d.Versions, o)
		}
	}
	var last []string
	for i := range doc.Articles {
		a := &doc.Articles[i]
		av := articleView{Article: a, Anchor: articleAnchor(a.Label)}
		for j, h := range a.Path {
			if j >= len(last) || last[j] != h {
				av.Headings = append(av.Headings, a.Path[j:]...)
				break
			}
		}
		last = a.Path
		d.Articles = append(d.Articles, av)
	}
	if u := currentUser(r); u != nil && d.Base == "/admin/library" {
		d.Manage = u.Can(auth.ManageLibrary)
	}
	s.render(w, r, http.StatusOK, "library_document.html", s.libraryLayout(r, doc.Title, d))
	return nil
}

type libraryImportData struct {
	Targets    []library.Collection // collections this user may import into
	CanCreate  bool
	Roles      []auth.Role
	Collection string
	Results    []importRow
	Imported   int
	Failed     int
}

// importRow is one uploaded file's outcome.
type importRow struct {
	library.ImportResult
	Problem string // in Chinese, when the file did not import
}

// canImportInto says whether u may add documents to c: those who manage
// the library anywhere; others only where they read, and a collection
// limited to some roles only when it names theirs (a teacher adds to the
// teachers' collection, not to the public laws).
func canImportInto(u *auth.User, c library.Collection) bool {
	if u.Can(auth.ManageLibrary) {
		return true
	}
	if slices.Contains(c.Roles, string(u.Role)) {
		return true
	}
	return u.Can(auth.EditKnowledge) && c.CanRead(library.Viewer{Staff: true, Role: string(u.Role)})
}

func (s *Server) importTargets(u *auth.User) []library.Collection {
	var out []library.Collection
	for _, c := range s.cfg.Library.Collections(library.Everyone) {
		if canImportInto(u, c) {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) libraryImportPage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := libraryImportData{Targets: s.importTargets(u), CanCreate: u.Can(auth.ManageLibrary), Roles: auth.Roles,
		Collection: r.URL.Query().Get("collection")}
	s.render(w, r, http.StatusOK, "library_import.html", s.importPage(r, d))
	return nil
}

// importPage is the import page with its upload-progress script.
func (s *Server) importPage(r *http.Request, d libraryImportData) Page {
	p := s.consolePage(r, "library", "导入文件", d)
	p.Scripts = append(p.Scripts, "/static/library.js")
	return p
}

// libraryImport reads the uploaded files into a collection one by one: a
// file that fails is reported with the reason and the others import.
func (s *Server) libraryImport(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := libraryImportData{Targets: s.importTargets(u), CanCreate: u.Can(auth.ManageLibrary), Roles: auth.Roles}
	fail := func(status int, msg string) {
		p := s.importPage(r, d)
		p.Error = msg
		s.render(w, r, status, "library_import.html", p)
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		if tooLarge(err) {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("上传的文件过大（每次合计不超过 %d MB）。", library.MaxFileSize>>20))
			return nil
		}
		fail(http.StatusBadRequest, "请选择要导入的文件。")
		return nil
	}
	d.Collection = strings.TrimSpace(r.FormValue("collection"))
	if nc := strings.TrimSpace(r.FormValue("new_collection")); nc != "" {
		if !d.CanCreate {
			fail(http.StatusForbidden, "您的角色不能新建文库，请选择已有文库。")
			return nil
		}
		c, msg := collectionForm(r, nc)
		if msg != "" {
			fail(http.StatusBadRequest, msg)
			return nil
		}
		if err := s.cfg.Library.PutCollection(r.Context(), c); err != nil {
			return unavailable(libraryBusy, fmt.Errorf("library collection: %w", err))
		}
		s.audit(r, nil, "library.collection", "collection:"+c.Name, map[string]any{"visibility": string(c.Visibility), "roles": strings.Join(c.Roles, ",")})
		d.Collection, d.Targets = c.Name, s.importTargets(u)
	}
	c, err := s.cfg.Library.Collection(d.Collection, library.Everyone)
	if err != nil || !canImportInto(u, c) {
		fail(http.StatusForbidden, "请选择您有权导入的文库。")
		return nil
	}
	files := r.MultipartForm.File["files"]
	if len(files) == 0 {
		fail(http.StatusBadRequest, "请选择要导入的文件（.md、.txt、.docx 或 .pdf）。")
		return nil
	}
	for _, fh := range files {
		row := s.importFile(r, c.Name, fh)
		if row.Problem != "" {
			d.Failed++
		} else {
			d.Imported++
		}
		d.Results = append(d.Results, row)
	}
	p := s.importPage(r, d)
	status := http.StatusOK
	if d.Imported == 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "library_import.html", p)
	return nil
}

// importFile imports one uploaded file and audits the outcome, refused
// files included.
func (s *Server) importFile(r *http.Request, collection string, fh *multipart.FileHeader) importRow {
	row := s.readUpload(r, collection, fh)
	if row.Problem != "" {
		s.audit(r, nil, "library.import.failed", "collection:"+collection, map[string]any{"file": row.File, "reason": row.Problem})
		return row
	}
	s.audit(r, nil, "library.import", fmt.Sprintf("document:%d", row.ID), map[string]any{"collection": collection, "file": row.File,
		"title": row.Title, "version": row.Version, "articles": row.Articles, "replaced": row.Replaced, "needs_ocr": fmt.Sprint(row.NeedsOCR)})
	return row
}

func (s *Server) readUpload(r *http.Request, collection string, fh *multipart.FileHeader) importRow {
	ctx := r.Context()
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	row := importRow{ImportResult: library.ImportResult{File: name}}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown", ".txt", ".docx", ".pdf":
	case ".doc", ".wps":
		row.Problem = "不支持旧版 Word 格式：请另存为 .docx 后再导入。"
		return row
	default:
		row.Problem = "不支持的文件类型：请导入 .md、.txt、.docx 或 .pdf 文件。"
		return row
	}
	f, err := fh.Open()
	if err != nil {
		row.Problem = "无法读取上传的文件，请重试。"
		return row
	}
	defer f.Close()
	res, err := s.cfg.Library.Import(ctx, collection, name, f, fh.Size, currentUser(r).Username)
	row.ImportResult = res
	row.File = name
	var oe *library.OCRError
	switch {
	case errors.As(err, &oe):
		row.Problem = fmt.Sprintf("全部 %d 页都是扫描图像，没有可读取的文字：需要先做 OCR 文字识别再导入。", len(oe.Pages))
	case errors.Is(err, library.ErrFormat):
		row.Problem = "不支持的文件类型。"
	case err != nil && res.ID == 0:
		slog.InfoContext(ctx, "library import: file refused", "file", name, "err", err)
		row.Problem = "无法读取该文件：" + importReason(err)
	case err != nil:
		// Stored, but the collection's index could not be rebuilt: the
		// next change or restart rebuilds it.
		slog.ErrorContext(ctx, "library import: reindex", "file", name, "err", err)
	}
	return row
}

// importReason puts a reader's error in words staff can act on.
func importReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "over "):
		return fmt.Sprintf("文件超过 %d MB。", library.MaxFileSize>>20)
	case strings.Contains(msg, "encoding") || strings.Contains(msg, "UTF-8"):
		return "文本编码无法识别，请另存为 UTF-8 或 GB18030 编码。"
	case strings.Contains(msg, "zip") || strings.Contains(msg, "docx"):
		return "不是有效的 Word（.docx）文档。"
	case strings.Contains(msg, "pdf") || strings.Contains(msg, "PDF"):
		return "不是有效的 PDF 文件，或文件已加密。"
	case strings.Contains(msg, "no text") || strings.Contains(msg, "empty"):
		return "文件中没有文字。"
	}
	return "文件内容无法解析。"
}

// collectionForm reads a collection's name, visibility and roles.
func collectionForm(r *http.Request, name string) (library.Collection, string) {
	c := library.Collection{Name: name, Title: strings.TrimSpace(r.FormValue("title")), Description: strings.TrimSpace(r.FormValue("description"))}
	switch r.FormValue("visibility") {
	case "public":
		c.Visibility = library.Public
	case "staff", "":
		c.Visibility = library.Staff
	default:
		return c, "可见范围只能是“公开”或“工作人员”。"
	}
	if utf8Len := len([]rune(name)); utf8Len > 40 {
		return c, "文库名称不超过 40 个字。"
	}
	if c.Visibility == library.Staff {
		for _, role := range r.Form["roles"] {
			ro, err := auth.ParseRole(role)
			if err != nil {
				return c, "未知的角色：" + role
			}
			c.Roles = append(c.Roles, string(ro))
		}
		if len(c.Roles) > 0 && !slices.Contains(c.Roles, string(auth.Admin)) {
			c.Roles = append(c.Roles, string(auth.Admin)) // the administrator keeps sight of every collection
		}
	}
	return c, ""
}

// libraryCollectionSave creates a collection or changes its visibility.
func (s *Server) libraryCollectionSave(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.FormValue("name"))
	if name == "" {
		s.renderError(w, r, http.StatusBadRequest, "请填写文库名称。")
		return nil
	}
	c, msg := collectionForm(r, name)
	if msg != "" {
		s.renderError(w, r, http.StatusBadRequest, msg)
		return nil
	}
	if err := s.cfg.Library.PutCollection(r.Context(), c); err != nil {
		return unavailable(libraryBusy, fmt.Errorf("library collection: %w", err))
	}
	s.audit(r, nil, "library.collection", "collection:"+c.Name, map[string]any{"visibility": string(c.Visibility), "roles": strings.Join(c.Roles, ",")})
	s.back(w, r, "/admin/library", "library.collection_saved", c.Name, accessLabel(c))
	return nil
}

func (s *Server) libraryDocumentDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "没有这份文件。")
		return nil
	}
	doc, err := s.cfg.Library.Document(id, library.Everyone)
	if errors.Is(err, library.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "没有这份文件。")
		return nil
	}
	if err != nil {
		return unavailable(libraryBusy, fmt.Errorf("library document: %w", err))
	}
	if err := s.cfg.Library.DeleteDocument(r.Context(), id); err != nil {
		return unavailable(libraryBusy, fmt.Errorf("library delete: %w", err))
	}
	s.audit(r, nil, "library.delete", fmt.Sprintf("document:%d", id), map[string]any{"collection": doc.Collection, "title": doc.Title, "version": doc.Version})
	s.back(w, r, "/admin/library", "library.deleted", doc.Title, doc.Version)
	return nil
}

// standingLabel is a version's legal standing in words.
func standingLabel(s library.Standing) string {
	switch s {
	case library.InForce:
		return "现行有效"
	case library.Superseded:
		return "已被取代"
	case library.NotYet:
		return "尚未施行"
	}
	return string(s)
}

// libraryBusy is what a visitor reads when the library's storage fails.
const libraryBusy = "暂时无法读取文库，请稍后再试。"

func init() {
	notices["library.collection_saved"] = "已保存文库“%s”：%s。"
	notices["library.deleted"] = "已删除《%s》（%s版本）。"
	funcs["standing"] = standingLabel
	funcs["anchor"] = articleAnchor
	funcs["accessLabel"] = accessLabel
	funcs["hasRole"] = func(c library.Collection, r auth.Role) bool { return slices.Contains(c.Roles, string(r)) }
}
