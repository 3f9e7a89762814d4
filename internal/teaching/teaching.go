// Package teaching is the teachers' assistant (教师助手) on the document
// library: lesson plans grounded in a teaching collection, with sources,
// versions, revision by instruction and .docx export; a question bank
// (JSONL/XLSX import) and practice sets by knowledge point, type and
// difficulty with a student copy and an answer key; mastery per student
// per knowledge point from imported results, personal practice sets for
// weak points, peer-help pairs for the teacher to approve and the class
// heat map; and drafts of answers to students' questions that a teacher
// edits before anything is shareable. Everything a model writes is
// labelled; everything drawn from the library names its source.
//
// The API a web handler needs:
//
//	s := teaching.NewStore(db, teaching.Options{Retriever: teaching.FromLibrary(lib, "教学资源", viewer)})
//	plan, err := s.DraftPlan(ctx, form, teacher)
//	set, err := s.BuildSet(ctx, spec)
//	err = teaching.WriteSetDOCX(w, set, teaching.StudentCopy)
//	grid, err := s.HeatMap(ctx, class)
package teaching

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the teachers' assistant's schema.
var Migrations = store.Migrations{Component: "teaching", FS: migrationFS, Dir: "migrations"}

// ErrNotFound is returned for an unknown plan, question, pair or draft.
var ErrNotFound = errors.New("teaching: not found")

// AILabel marks text a model wrote.
const AILabel = "本内容由人工智能生成，须经教师审核后使用"

// Source is a passage of the teaching collection a plan or draft relies on.
type Source struct {
	Document string `json:"document"` // the document's title
	Section  string `json:"section"`  // the section's heading or article number
	Text     string `json:"text"`
	DocID    int64  `json:"document_id,omitempty"`
}

// Cite is how a source is named in a plan or draft: 《title》section.
func (s Source) Cite() string { return "《" + s.Document + "》" + s.Section }

// Retriever finds passages for a text.
type Retriever interface {
	Search(ctx context.Context, text string, k int) ([]Source, error)
}

// Model writes text from a prompt (the library's Model: a one-method
// adapter over internal/llm).
type Model = library.Model

// libraryRetriever searches one collection of the library as a viewer.
type libraryRetriever struct {
	lib        *library.Library
	collection string
	viewer     library.Viewer
}

// FromLibrary makes a Retriever over one collection of the library.
func FromLibrary(lib *library.Library, collection string, v library.Viewer) Retriever {
	return libraryRetriever{lib, collection, v}
}

func (r libraryRetriever) Search(ctx context.Context, text string, k int) ([]Source, error) {
	cits, err := r.lib.Search(ctx, library.Question{Text: text, Collection: r.collection, Viewer: r.viewer, NoModel: true}, k)
	if err != nil {
		return nil, err
	}
	out := make([]Source, 0, len(cits))
	for _, c := range cits {
		section := c.Article
		text := c.Text
		if c.Path != "" && !strings.HasPrefix(c.Article, "第") {
			section = c.Path + " " + c.Article
		}
		out = append(out, Source{Document: c.Law, Section: strings.TrimSpace(section), Text: text, DocID: c.DocID})
	}
	return out, nil
}

// Options configure a store.
type Options struct {
	Retriever Retriever // the teaching collection; nil: nothing to ground on
	Model     Model     // nil: templates and quotations only
	ModelName string
	// ModelTimeout bounds one model call (default 30 s).
	ModelTimeout time.Duration
	Now          func() time.Time // default time.Now
}

// Store is the teachers' assistant over one database.
type Store struct {
	db  *store.DB
	opt Options
}

// NewStore wraps a database migrated with Migrations.
func NewStore(db *store.DB, opt Options) *Store {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ModelTimeout <= 0 {
		opt.ModelTimeout = 30 * time.Second
	}
	return &Store{db: db, opt: opt}
}

func (s *Store) now() store.Time { return store.T(s.opt.Now()) }

// search asks the retriever, if any.
func (s *Store) search(ctx context.Context, text string, k int) ([]Source, error) {
	if s.opt.Retriever == nil {
		return nil, nil
	}
	src, err := s.opt.Retriever.Search(ctx, text, k)
	if err != nil {
		return nil, fmt.Errorf("teaching: search the collection: %w", err)
	}
	return src, nil
}

// complete calls the model with personal data masked and a time limit.
func (s *Store) complete(ctx context.Context, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.ModelTimeout)
	defer cancel()
	masked, _ := privacy.Mask(user)
	out, err := s.opt.Model.Complete(ctx, system, masked)
	if err != nil {
		return "", fmt.Errorf("teaching: model: %w", err)
	}
	return strings.TrimSpace(out), nil
}

// DemoCollection is the teaching collection of the demo.
const DemoCollection = "教学资源"

// LoadDemo loads the teachers' demo (teaching/ of fsys: notes/, a
// question bank and a class's results) when the bank is empty: the notes
// into a staff collection readable by teachers, the rest into the store.
func LoadDemo(ctx context.Context, s *Store, lib *library.Library, fsys fs.FS) error {
	qs, err := s.Questions(ctx)
	if err != nil || len(qs) > 0 {
		return err
	}
	if err := lib.PutCollection(ctx, library.Collection{Name: DemoCollection, Visibility: library.Staff,
		Roles: []string{"teacher", "admin"}, Description: "七年级数学教学参考（演示数据）"}); err != nil {
		return err
	}
	if _, err := lib.ImportFS(ctx, fsys, "teaching/notes", DemoCollection, "demo"); err != nil {
		return fmt.Errorf("teaching demo notes: %w", err)
	}
	for _, f := range []struct {
		name string
		load func(context.Context, string, io.Reader) (ImportReport, error)
	}{{"teaching/questions.jsonl", s.ImportQuestions}, {"teaching/results.jsonl", s.ImportResults}} {
		r, err := fsys.Open(f.name)
		if err != nil {
			return fmt.Errorf("teaching demo: %w", err)
		}
		rep, err := f.load(ctx, f.name, r)
		r.Close()
		if err != nil {
			return err
		}
		if len(rep.Problems) > 0 {
			return fmt.Errorf("teaching demo %s: %v", f.name, rep.Problems[0])
		}
	}
	return nil
}
