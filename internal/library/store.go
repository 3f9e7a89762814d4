package library

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the library's schema.
var Migrations = store.Migrations{Component: "library", FS: migrationFS, Dir: "migrations"}

// Topic is the change-notification topic: messages name a collection.
const Topic = "library"

// dbStore reads and writes the library's tables.
type dbStore struct{ db *store.DB }

func (s dbStore) putCollection(ctx context.Context, c Collection, now time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO library_collections (name, title, visibility, roles, description, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET title = excluded.title, visibility = excluded.visibility,
			roles = excluded.roles, description = excluded.description`,
		c.Name, c.Title, string(c.Visibility), strings.Join(c.Roles, ","), c.Description, store.T(now))
	if err != nil {
		return fmt.Errorf("library: save collection %s: %w", c.Name, err)
	}
	return nil
}

func (s dbStore) collections(ctx context.Context) ([]Collection, error) {
	rows, err := s.db.Query(ctx, `SELECT name, title, visibility, roles, description FROM library_collections ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("library: list collections: %w", err)
	}
	defer rows.Close()
	var out []Collection
	for rows.Next() {
		var c Collection
		var vis, roles string
		if err := rows.Scan(&c.Name, &c.Title, &vis, &roles, &c.Description); err != nil {
			return nil, err
		}
		c.Visibility = Visibility(vis)
		if roles != "" {
			c.Roles = strings.Split(roles, ",")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// putDocument stores a document and its articles in one transaction,
// replacing the same version of the same work in the collection. It
// returns the document's id.
func (s dbStore) putDocument(ctx context.Context, d *Document, sum, actor string) (int64, bool, error) {
	notes, _ := json.Marshal(nonNil(d.Notes))
	ocr, _ := json.Marshal(nonNilInts(d.NeedsOCR))
	var id int64
	replaced := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var old int64
		err := tx.QueryRow(ctx, `SELECT id FROM library_documents WHERE collection = ? AND work = ? AND version = ?`,
			d.Collection, d.Work(), d.Version).Scan(&old)
		switch {
		case err == nil:
			replaced = true
			if _, err := tx.Exec(ctx, `DELETE FROM library_articles WHERE document_id = ?`, old); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM library_documents WHERE id = ?`, old); err != nil {
				return err
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO library_documents (collection, work, title, kind, issuer, doc_number,
				promulgated, effective, version, notes, source, format, needs_ocr, sha256, imported_at, imported_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			d.Collection, d.Work(), d.Title, string(d.Kind), d.Issuer, d.DocNumber, d.Promulgated, d.Effective,
			d.Version, string(notes), d.Source, d.Format, string(ocr), sum, store.T(d.ImportedAt), actor).Scan(&id); err != nil {
			return err
		}
		for _, a := range d.Articles {
			path, _ := json.Marshal(nonNil(a.Path))
			paras, _ := json.Marshal(a.Paragraphs)
			if _, err := tx.Exec(ctx, `INSERT INTO library_articles (document_id, seq, label, main_no, sub_no, path, paragraphs)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, a.Seq, a.Label, a.No.Main, a.No.Sub, string(path), string(paras)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("library: store %s: %w", d.Source, err)
	}
	return id, replaced, nil
}

// documents loads every document of a collection ("" for all), articles
// included.
func (s dbStore) documents(ctx context.Context, collection string) ([]*Document, error) {
	q := `SELECT id, collection, title, kind, issuer, doc_number, promulgated, effective, version, notes, source,
		format, needs_ocr, imported_at FROM library_documents`
	var args []any
	if collection != "" {
		q += ` WHERE collection = ?`
		args = append(args, collection)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("library: list documents: %w", err)
	}
	var docs []*Document
	byID := map[int64]*Document{}
	for rows.Next() {
		d := &Document{}
		var kind, notes, ocr string
		var at store.Time
		if err := rows.Scan(&d.ID, &d.Collection, &d.Title, &kind, &d.Issuer, &d.DocNumber, &d.Promulgated,
			&d.Effective, &d.Version, &notes, &d.Source, &d.Format, &ocr, &at); err != nil {
			rows.Close()
			return nil, err
		}
		d.Kind, d.ImportedAt = Kind(kind), at.Time
		_ = json.Unmarshal([]byte(notes), &d.Notes)
		_ = json.Unmarshal([]byte(ocr), &d.NeedsOCR)
		docs = append(docs, d)
		byID[d.ID] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	q = `SELECT a.document_id, a.seq, a.label, a.main_no, a.sub_no, a.path, a.paragraphs
		FROM library_articles a JOIN library_documents d ON d.id = a.document_id`
	if collection != "" {
		q += ` WHERE d.collection = ?`
	}
	rows, err = s.db.Query(ctx, q+` ORDER BY a.document_id, a.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("library: list articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a Article
		var path, paras string
		if err := rows.Scan(&id, &a.Seq, &a.Label, &a.No.Main, &a.No.Sub, &path, &paras); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(path), &a.Path); err != nil {
			return nil, fmt.Errorf("library: article %d/%d path: %w", id, a.Seq, err)
		}
		if err := json.Unmarshal([]byte(paras), &a.Paragraphs); err != nil {
			return nil, fmt.Errorf("library: article %d/%d paragraphs: %w", id, a.Seq, err)
		}
		if d := byID[id]; d != nil {
			d.Articles = append(d.Articles, a)
		}
	}
	return docs, rows.Err()
}

func (s dbStore) deleteDocument(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM library_articles WHERE document_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM library_documents WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

func checksum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}
