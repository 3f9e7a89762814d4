package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// Model writes text from a prompt: the one method the library needs of a
// chat model (wrap internal/llm's client in a one-method adapter).
type Model interface {
	Complete(ctx context.Context, system, user string) (string, error)
}

// Options configure a library.
type Options struct {
	Analyzer *zh.Analyzer // default zh.Default()
	// Model, when set, writes short answers from the retrieved articles;
	// they are checked and fall back to quoting when the check fails.
	Model     Model
	ModelName string
	// ModelTimeout bounds one model call (default 20 s).
	ModelTimeout time.Duration
	// MinCoverage is the share of a question the best article must
	// explain for an answer (default DefaultMinCoverage; negative: always
	// answer).
	MinCoverage float64
	// MinScore is the engine's raw score the best article must reach
	// (default DefaultMinScore; negative: always answer).
	MinScore float64
	// Now is the clock deciding which version of a law is in force
	// (default time.Now).
	Now func() time.Time
}

// Library is the document library: collections, documents and one index
// per collection. Safe for concurrent use.
type Library struct {
	db    *store.DB
	store dbStore
	an    *zh.Analyzer
	opt   Options

	mu      sync.RWMutex
	colls   map[string]Collection
	indexes map[string]*collIndex
	docs    map[string][]*Document // collection → documents
}

// Open loads the library from a migrated database and indexes it.
func Open(ctx context.Context, db *store.DB, opt Options) (*Library, error) {
	if opt.Analyzer == nil {
		a, err := zh.Default()
		if err != nil {
			return nil, err
		}
		opt.Analyzer = a
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MinCoverage == 0 {
		opt.MinCoverage = DefaultMinCoverage
	}
	if opt.MinScore == 0 {
		opt.MinScore = DefaultMinScore
	}
	if opt.ModelTimeout <= 0 {
		opt.ModelTimeout = 20 * time.Second
	}
	l := &Library{db: db, store: dbStore{db}, an: opt.Analyzer, opt: opt,
		colls: map[string]Collection{}, indexes: map[string]*collIndex{}, docs: map[string][]*Document{}}
	if err := l.Reload(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// Reload reads every collection from the database and rebuilds the indexes.
func (l *Library) Reload(ctx context.Context) error {
	colls, err := l.store.collections(ctx)
	if err != nil {
		return err
	}
	docs, err := l.store.documents(ctx, "")
	if err != nil {
		return err
	}
	byColl := map[string][]*Document{}
	for _, d := range docs {
		byColl[d.Collection] = append(byColl[d.Collection], d)
	}
	now := l.opt.Now()
	indexes := map[string]*collIndex{}
	cm := map[string]Collection{}
	for _, c := range colls {
		cm[c.Name] = c
		indexes[c.Name] = buildIndex(l.an, byColl[c.Name], now)
	}
	l.mu.Lock()
	l.colls, l.indexes, l.docs = cm, indexes, byColl
	l.mu.Unlock()
	return nil
}

// reloadCollection rebuilds one collection's index from the database.
func (l *Library) reloadCollection(ctx context.Context, name string) error {
	colls, err := l.store.collections(ctx)
	if err != nil {
		return err
	}
	docs, err := l.store.documents(ctx, name)
	if err != nil {
		return err
	}
	ix := buildIndex(l.an, docs, l.opt.Now())
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range colls {
		l.colls[c.Name] = c
	}
	l.indexes[name], l.docs[name] = ix, docs
	return nil
}

// Follow keeps the indexes current with changes other replicas publish,
// until ctx ends.
func (l *Library) Follow(ctx context.Context, changes <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-changes:
			if !ok {
				return
			}
			var err error
			if msg == store.Resync {
				err = l.Reload(ctx)
			} else {
				err = l.reloadCollection(ctx, msg)
			}
			if err != nil && ctx.Err() == nil {
				slog.Warn("library: reload after change", "collection", msg, "err", err)
			}
		}
	}
}

// PutCollection creates or updates a collection.
func (l *Library) PutCollection(ctx context.Context, c Collection) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return errors.New("library: a collection needs a name")
	}
	if c.Visibility == "" {
		c.Visibility = Staff
	}
	if c.Visibility != Public && c.Visibility != Staff {
		return fmt.Errorf("library: visibility %q: want public or staff", c.Visibility)
	}
	if err := l.store.putCollection(ctx, c, l.opt.Now()); err != nil {
		return err
	}
	l.mu.Lock()
	l.colls[c.Name] = c
	if l.indexes[c.Name] == nil {
		l.indexes[c.Name] = buildIndex(l.an, nil, l.opt.Now())
	}
	l.mu.Unlock()
	return l.db.Publish(ctx, Topic, c.Name)
}

// Collections lists the collections v may read.
func (l *Library) Collections(v Viewer) []Collection {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []Collection
	for _, c := range l.colls {
		if c.CanRead(v) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Collection returns one collection if v may read it.
func (l *Library) Collection(name string, v Viewer) (Collection, error) {
	l.mu.RLock()
	c, ok := l.colls[name]
	l.mu.RUnlock()
	if !ok {
		return Collection{}, fmt.Errorf("collection %q: %w", name, ErrNotFound)
	}
	if !c.CanRead(v) {
		return Collection{}, fmt.Errorf("collection %q: %w", name, ErrForbidden)
	}
	return c, nil
}

// DocumentInfo is a document's metadata with its standing today.
type DocumentInfo struct {
	*Document
	Standing Standing `json:"standing"`
	// Current is the version in force when this one is not.
	Current string `json:"current,omitempty"`
}

// Documents lists a collection's documents (articles included) with
// their standing, by title and newest version first.
func (l *Library) Documents(collection string, v Viewer) ([]DocumentInfo, error) {
	if _, err := l.Collection(collection, v); err != nil {
		return nil, err
	}
	l.mu.RLock()
	ix := l.indexes[collection]
	l.mu.RUnlock()
	var out []DocumentInfo
	for _, vs := range ix.versions {
		cur := ""
		for _, x := range vs {
			if x.standing == InForce {
				cur = x.doc.Version
			}
		}
		for _, x := range vs {
			di := DocumentInfo{Document: x.doc, Standing: x.standing}
			if x.standing != InForce {
				di.Current = cur
			}
			out = append(out, di)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Title != out[j].Title {
			return out[i].Title < out[j].Title
		}
		return out[i].Version > out[j].Version
	})
	return out, nil
}

// Document returns one document by id if v may read its collection.
func (l *Library) Document(id int64, v Viewer) (DocumentInfo, error) {
	l.mu.RLock()
	var found *Document
	for _, ds := range l.docs {
		for _, d := range ds {
			if d.ID == id {
				found = d
			}
		}
	}
	l.mu.RUnlock()
	if found == nil {
		return DocumentInfo{}, fmt.Errorf("document %d: %w", id, ErrNotFound)
	}
	docs, err := l.Documents(found.Collection, v)
	if err != nil {
		return DocumentInfo{}, err
	}
	for _, d := range docs {
		if d.ID == id {
			return d, nil
		}
	}
	return DocumentInfo{}, fmt.Errorf("document %d: %w", id, ErrNotFound)
}

// DeleteDocument removes a document and its articles.
func (l *Library) DeleteDocument(ctx context.Context, id int64) error {
	d, err := l.Document(id, Everyone)
	if err != nil {
		return err
	}
	if err := l.store.deleteDocument(ctx, id); err != nil {
		return fmt.Errorf("library: delete document %d: %w", id, err)
	}
	if err := l.reloadCollection(ctx, d.Collection); err != nil {
		return err
	}
	return l.db.Publish(ctx, Topic, d.Collection)
}

// ImportResult says what one file became.
type ImportResult struct {
	File     string `json:"file"`
	ID       int64  `json:"id,omitempty"`
	Title    string `json:"title,omitempty"`
	Version  string `json:"version,omitempty"`
	Kind     Kind   `json:"kind,omitempty"`
	Articles int    `json:"articles,omitempty"`
	Replaced bool   `json:"replaced,omitempty"`
	// NeedsOCR lists scanned pages whose text is missing.
	NeedsOCR []int  `json:"needs_ocr,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Import reads one file into a collection (created, staff-only, if new)
// and re-indexes the collection.
func (l *Library) Import(ctx context.Context, collection, name string, r io.Reader, size int64, actor string) (ImportResult, error) {
	res, err := l.importOne(ctx, collection, name, r, size, actor)
	if err != nil {
		return res, err
	}
	if err := l.reloadCollection(ctx, collection); err != nil {
		return res, err
	}
	return res, l.db.Publish(ctx, Topic, collection)
}

func (l *Library) importOne(ctx context.Context, collection, name string, r io.Reader, size int64, actor string) (ImportResult, error) {
	res := ImportResult{File: name}
	if err := l.ensureCollection(ctx, collection); err != nil {
		return res, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return res, fmt.Errorf("read %s: %w", name, err)
	}
	d, err := ReadFile(name, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		var oe *OCRError
		if errors.As(err, &oe) {
			res.NeedsOCR = oe.Pages
		}
		return res, err
	}
	d.Collection = collection
	d.ImportedAt = l.opt.Now()
	id, replaced, err := l.store.putDocument(ctx, d, checksum(data), actor)
	if err != nil {
		return res, err
	}
	res.ID, res.Title, res.Version, res.Kind, res.Articles, res.Replaced, res.NeedsOCR =
		id, d.Title, d.Version, d.Kind, len(d.Articles), replaced, d.NeedsOCR
	return res, nil
}

func (l *Library) ensureCollection(ctx context.Context, name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("library: no collection named")
	}
	l.mu.RLock()
	_, ok := l.colls[name]
	l.mu.RUnlock()
	if ok {
		return nil
	}
	return l.PutCollection(ctx, Collection{Name: name, Visibility: Staff})
}

// ImportFS imports every .md, .txt, .docx and .pdf file under dir of fsys
// into a collection, then indexes it once. A file that fails is reported
// in its result and the others still import; the error is non-nil when
// any file failed.
func (l *Library) ImportFS(ctx context.Context, fsys fs.FS, dir, collection, actor string) ([]ImportResult, error) {
	var names []string
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".md", ".markdown", ".txt", ".docx", ".pdf":
			if !e.IsDir() {
				names = append(names, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("library: list %s: %w", dir, err)
	}
	sort.Strings(names)
	var out []ImportResult
	failed := 0
	for _, p := range names {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		f, err := fsys.Open(p)
		if err != nil {
			out = append(out, ImportResult{File: p, Error: err.Error()})
			failed++
			continue
		}
		var size int64
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		res, err := l.importOne(ctx, collection, path.Base(p), f, size, actor)
		f.Close()
		if err != nil {
			res.Error = err.Error()
			failed++
		}
		out = append(out, res)
	}
	if err := l.reloadCollection(ctx, collection); err != nil {
		return out, err
	}
	if err := l.db.Publish(ctx, Topic, collection); err != nil {
		return out, err
	}
	if failed > 0 {
		return out, fmt.Errorf("library: %d of %d files failed", failed, len(names))
	}
	return out, nil
}

// LoadDemo imports the bundled laws (laws/ of fsys) into a public
// collection, and the personnel rules written for the demo (personnel/,
// when present) into the staff-only PersonnelDemo, when the library holds
// no document yet.
func (l *Library) LoadDemo(ctx context.Context, fsys fs.FS, collection string) error {
	l.mu.RLock()
	n := 0
	for _, ds := range l.docs {
		n += len(ds)
	}
	l.mu.RUnlock()
	if n > 0 {
		return nil
	}
	if err := l.PutCollection(ctx, Collection{Name: collection, Visibility: Public,
		Description: "法律、行政法规和广东省地方性法规（演示数据，公开文本）"}); err != nil {
		return err
	}
	if _, err := l.ImportFS(ctx, fsys, "laws", collection, "demo"); err != nil {
		return fmt.Errorf("load demo laws: %w", err)
	}
	if _, err := fs.Stat(fsys, "personnel"); err != nil {
		return nil
	}
	if err := l.PutCollection(ctx, Collection{Name: PersonnelDemo, Visibility: Staff, Roles: []string{"admin", "editor", "reviewer", "agent", "operator"},
		Description: "机关内部人事管理制度（演示数据，为演示编写，非真实文件）"}); err != nil {
		return err
	}
	if _, err := l.ImportFS(ctx, fsys, "personnel", PersonnelDemo, "demo"); err != nil {
		return fmt.Errorf("load demo personnel rules: %w", err)
	}
	return nil
}

// PersonnelDemo is the demo's staff-only collection: read by the civil
// servants' roles, not by residents nor teachers.
const PersonnelDemo = "人事制度"
