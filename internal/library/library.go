// Package library is the document library (文库): collections of laws,
// regulations and other documents with visibility by role, importers for
// Markdown, text, .docx and PDF, a parser that splits laws into
// 编/章/节/条/款/项 (other documents by their headings), versions of one
// law told apart by date, and article-level answers: the Chinese retrieval
// of internal/search run over articles, one index per collection, quoting
// the best article verbatim with its law and number, or letting a model
// write a short answer whose every citation and quotation is checked
// against the retrieved articles before it counts.
//
// The API a web handler needs:
//
//	lib, err := library.Open(ctx, db, library.Options{})
//	rep, err := lib.Import(ctx, "法规制度", name, r, size)   // one file
//	ans, err := lib.Ask(ctx, library.Question{Text: q, Viewer: v})
//	docs, err := lib.Documents(ctx, collection, v)
package library

import (
	"errors"
	"strings"
	"time"
)

// ErrNotFound is returned for an unknown collection, document or article.
var ErrNotFound = errors.New("library: not found")

// ErrForbidden is returned when a viewer may not read a collection.
var ErrForbidden = errors.New("library: not visible to this viewer")

// Visibility says who may read a collection.
type Visibility string

const (
	// Public collections are read by anyone, residents included.
	Public Visibility = "public"
	// Staff collections are read by any logged-in staff member, or only
	// by the roles listed on the collection when it lists some.
	Staff Visibility = "staff"
)

// Collection is a named set of documents with one search index.
type Collection struct {
	Name        string     `json:"name"`
	Title       string     `json:"title,omitempty"` // display name, defaults to Name
	Visibility  Visibility `json:"visibility"`
	Roles       []string   `json:"roles,omitempty"` // for Staff: who may read; empty means all staff
	Description string     `json:"description,omitempty"`
}

// Viewer is who is asking: a resident (zero Viewer) or a staff member
// with a role (teacher, admin, …).
type Viewer struct {
	Staff bool
	Role  string
}

// Everyone is a viewer who sees every collection (command-line tools run
// by the operator).
var Everyone = Viewer{Staff: true, Role: "*"}

// CanRead reports whether v may read the collection.
func (c Collection) CanRead(v Viewer) bool {
	if c.Visibility == Public || v.Role == "*" {
		return true
	}
	if !v.Staff {
		return false
	}
	if len(c.Roles) == 0 {
		return true
	}
	for _, r := range c.Roles {
		if r == v.Role {
			return true
		}
	}
	return false
}

// Kind says how a document was split.
type Kind string

const (
	// Law documents are split into numbered articles (第X条).
	Law Kind = "law"
	// Sections documents are split by their headings.
	Sections Kind = "sections"
)

// Document is one imported file: one version of one law, or another
// document split by headings.
type Document struct {
	ID         int64  `json:"id"`
	Collection string `json:"collection"`
	// Title is the document's first heading, as written.
	Title  string `json:"title"`
	Kind   Kind   `json:"kind"`
	Issuer string `json:"issuer,omitempty"`
	// DocNumber is the 文号 or the order number (国务院令第711号).
	DocNumber   string `json:"doc_number,omitempty"`
	Promulgated string `json:"promulgated,omitempty"` // YYYY-MM-DD, first adoption
	Effective   string `json:"effective,omitempty"`   // YYYY-MM-DD, this version in force from
	// Version is the date of this version (the file name's, else the last
	// adoption or amendment in the notes, else the effective date).
	Version string   `json:"version,omitempty"`
	Notes   []string `json:"notes,omitempty"` // adoption and amendment notes
	Source  string   `json:"source"`          // file name
	Format  string   `json:"format"`          // md, txt, docx, pdf
	// NeedsOCR lists pages (1-based) of a PDF that hold only images: their
	// text could not be read and is missing from the document.
	NeedsOCR   []int     `json:"needs_ocr,omitempty"`
	Articles   []Article `json:"articles,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
}

// Work is the key that groups the versions of one law: its title
// without 《》 and spaces.
func (d *Document) Work() string { return workKey(d.Title) }

func workKey(title string) string {
	r := strings.NewReplacer("《", "", "》", "", " ", "", "　", "", "〈", "", "〉", "")
	return r.Replace(strings.TrimSpace(title))
}

// ShortTitle is the title without the 中华人民共和国 prefix, as people
// name laws (公务员法).
func (d *Document) ShortTitle() string {
	return strings.TrimPrefix(workKey(d.Title), "中华人民共和国")
}

// Article is the unit of retrieval and citation: a numbered article of a
// law, or a headed section of another document.
type Article struct {
	Seq int `json:"seq"` // position in the document, from 1
	// No is the article number; zero for a headed section.
	No ArticleNo `json:"-"`
	// Label is 第三十条 (or 第三十条之一), or a section's heading.
	Label string `json:"label"`
	// Path lists the headings above it: 第一编 …, 第二章 …, 第一节 ….
	Path []string `json:"path,omitempty"`
	// Paragraphs are its 款, in order.
	Paragraphs []Paragraph `json:"paragraphs"`
}

// Paragraph is one 款, with the items (项) it introduces.
type Paragraph struct {
	Text  string `json:"text"`
	Items []Item `json:"items,omitempty"`
}

// Item is one 项: （一）…
type Item struct {
	Label string `json:"label"` // （一）
	Text  string `json:"text"`  // what follows the label
}

// Body is the article's text without its label, as written: paragraphs
// and items one a line.
func (a *Article) Body() string {
	var b strings.Builder
	for i, p := range a.Paragraphs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Text)
		for _, it := range p.Items {
			b.WriteByte('\n')
			b.WriteString(it.Label)
			b.WriteString(it.Text)
		}
	}
	return b.String()
}

// Text is the article as the law prints it: label, a space, the body.
func (a *Article) Text() string {
	if a.No.Main == 0 {
		return a.Body()
	}
	return a.Label + " " + a.Body()
}

// Paragraph returns the n-th 款 (from 1).
func (a *Article) Paragraph(n int) (Paragraph, bool) {
	if n < 1 || n > len(a.Paragraphs) {
		return Paragraph{}, false
	}
	return a.Paragraphs[n-1], true
}

// Article returns the article with the given label (第三十条), or false.
func (d *Document) Article(label string) (*Article, bool) {
	no, numbered := ParseArticleNo(label)
	for i := range d.Articles {
		a := &d.Articles[i]
		if numbered && a.No == no || a.Label == label {
			return a, true
		}
	}
	return nil, false
}
