package doorstep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Item is one entry of the door-to-door catalogue.
type Item struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Theme  string `json:"theme"`
	Source string `json:"source"` // kb or staff
	Active bool   `json:"active"`
	Note   string `json:"note,omitempty"`
}

// ThemeGroup is the catalogue's items under one theme.
type ThemeGroup struct {
	Theme string `json:"theme"`
	Items []Item `json:"items"`
}

// Catalogue sources.
const (
	SourceKB    = "kb"
	SourceStaff = "staff"
)

// SyncReport says what SyncCatalogue changed.
type SyncReport struct{ Added, Updated, Deactivated int }

// SyncCatalogue brings the knowledge base's doorstep items into the
// catalogue: new ones are added, names and themes refreshed, and items the
// knowledge base no longer marks doorstep (or no longer publishes) are
// deactivated. Items staff added by hand are left alone, and so is the
// active flag staff set on a knowledge-base item that is still doorstep.
func (s *Service) SyncCatalogue(ctx context.Context, actor string) (SyncReport, error) {
	var rep SyncReport
	items, err := s.kb.PublishedItems(ctx)
	if err != nil {
		return rep, err
	}
	want := map[string]kb.Item{}
	for _, it := range items {
		if it.Doorstep {
			want[it.ID] = it
		}
	}
	have, err := s.items(ctx, true)
	if err != nil {
		return rep, err
	}
	byID := map[string]Item{}
	for _, it := range have {
		byID[it.ID] = it
	}
	now := s.now()
	err = s.inTx(ctx, func(tx *store.Tx) error {
		for id, it := range want {
			cur, ok := byID[id]
			switch {
			case !ok:
				if _, err := tx.Exec(ctx, `INSERT INTO doorstep_items (item_id, name, theme, source, active, updated_at, updated_by)
					VALUES (?, ?, ?, 'kb', 1, ?, ?)`, id, it.Name, it.Theme, now, actor); err != nil {
					return fmt.Errorf("catalogue add %s: %w", id, err)
				}
				rep.Added++
			case cur.Name != it.Name || cur.Theme != it.Theme:
				if _, err := tx.Exec(ctx, `UPDATE doorstep_items SET name = ?, theme = ?, updated_at = ?, updated_by = ? WHERE item_id = ?`,
					it.Name, it.Theme, now, actor, id); err != nil {
					return fmt.Errorf("catalogue update %s: %w", id, err)
				}
				rep.Updated++
			}
		}
		for _, cur := range have {
			if _, ok := want[cur.ID]; !ok && cur.Source == SourceKB && cur.Active {
				if _, err := tx.Exec(ctx, `UPDATE doorstep_items SET active = 0, updated_at = ?, updated_by = ? WHERE item_id = ?`,
					now, actor, cur.ID); err != nil {
					return fmt.Errorf("catalogue deactivate %s: %w", cur.ID, err)
				}
				rep.Deactivated++
			}
		}
		return nil
	})
	return rep, err
}

// AddItem puts an item into the catalogue by hand. An item of the
// knowledge base may be named by its id alone (its name and theme are
// taken from there); any other needs a name and a theme, and gets an id
// "DS-…" when it has none.
func (s *Service) AddItem(ctx context.Context, it Item, actor string) (Item, error) {
	it.ID, it.Name, it.Theme = strings.TrimSpace(it.ID), strings.TrimSpace(it.Name), strings.TrimSpace(it.Theme)
	if it.ID != "" {
		rec, err := s.kb.Item(ctx, it.ID)
		switch {
		case err == nil:
			if it.Name == "" {
				it.Name = rec.Item.Name
			}
			if it.Theme == "" {
				it.Theme = rec.Item.Theme
			}
		case !errors.Is(err, kb.ErrNotFound):
			return Item{}, err
		}
	}
	if it.Name == "" || it.Theme == "" {
		return Item{}, fmt.Errorf("catalogue item needs a name and a theme: %w", ErrInvalidInput)
	}
	if strings.ContainsAny(it.ID, " \t\r\n/?#") {
		return Item{}, fmt.Errorf("catalogue item id %q: %w", it.ID, ErrInvalidInput)
	}
	it.Source, it.Active = SourceStaff, true
	if it.ID == "" {
		// A new id: one more than the staff items so far; a plain INSERT,
		// so that two staff adding at once never overwrite each other.
		var n int
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM doorstep_items WHERE item_id LIKE 'DS-%'`).Scan(&n); err != nil {
			return Item{}, err
		}
		for try := 1; ; try++ {
			it.ID = fmt.Sprintf("DS-%03d", n+try)
			_, err := s.db.Exec(ctx, `INSERT INTO doorstep_items (item_id, name, theme, source, active, note, updated_at, updated_by)
				VALUES (?, ?, ?, 'staff', 1, ?, ?, ?)`, it.ID, it.Name, it.Theme, it.Note, s.now(), actor)
			if err == nil {
				return it, nil
			}
			if !store.IsUniqueViolation(err) || try > 50 {
				return Item{}, fmt.Errorf("catalogue add: %w", err)
			}
		}
	}
	_, err := s.db.Exec(ctx, `INSERT INTO doorstep_items (item_id, name, theme, source, active, note, updated_at, updated_by)
		VALUES (?, ?, ?, 'staff', 1, ?, ?, ?)
		ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, theme = excluded.theme, active = 1, note = excluded.note,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		it.ID, it.Name, it.Theme, it.Note, s.now(), actor)
	if err != nil {
		return Item{}, fmt.Errorf("catalogue add %s: %w", it.ID, err)
	}
	return it, nil
}

// SetItemActive takes an item off the catalogue or puts it back.
func (s *Service) SetItemActive(ctx context.Context, id string, active bool, actor string) error {
	res, err := s.db.Exec(ctx, `UPDATE doorstep_items SET active = ?, updated_at = ?, updated_by = ? WHERE item_id = ?`,
		boolInt(active), s.now(), actor, id)
	if err != nil {
		return fmt.Errorf("catalogue %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("catalogue %s: %w", id, ErrNotInCatalogue)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Service) items(ctx context.Context, all bool) ([]Item, error) {
	q := `SELECT item_id, name, theme, source, active, note FROM doorstep_items`
	if !all {
		q += ` WHERE active = 1`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY item_id`)
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var active int
		if err := rows.Scan(&it.ID, &it.Name, &it.Theme, &it.Source, &active, &it.Note); err != nil {
			return nil, err
		}
		it.Active = active == 1
		out = append(out, it)
	}
	return out, rows.Err()
}

// Catalogue lists the items grouped by theme, themes in the knowledge
// base's order (others after, by name); inactive items only when all.
func (s *Service) Catalogue(ctx context.Context, all bool) ([]ThemeGroup, error) {
	items, err := s.items(ctx, all)
	if err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, t := range kb.Themes {
		order[t] = i
	}
	groups := map[string]*ThemeGroup{}
	var out []*ThemeGroup
	for _, it := range items {
		g, ok := groups[it.Theme]
		if !ok {
			g = &ThemeGroup{Theme: it.Theme}
			groups[it.Theme] = g
			out = append(out, g)
		}
		g.Items = append(g.Items, it)
	}
	rank := func(t string) int {
		if r, ok := order[t]; ok {
			return r
		}
		return len(order)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank(out[i].Theme), rank(out[j].Theme)
		if ri != rj {
			return ri < rj
		}
		return out[i].Theme < out[j].Theme
	})
	res := make([]ThemeGroup, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res, nil
}

// CatalogueItem returns one active catalogue item.
func (s *Service) CatalogueItem(ctx context.Context, id string) (Item, error) {
	var it Item
	var active int
	err := s.db.QueryRow(ctx, `SELECT item_id, name, theme, source, active, note FROM doorstep_items WHERE item_id = ?`, id).
		Scan(&it.ID, &it.Name, &it.Theme, &it.Source, &active, &it.Note)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && active != 1) {
		return Item{}, fmt.Errorf("item %s: %w", id, ErrNotInCatalogue)
	}
	if err != nil {
		return Item{}, fmt.Errorf("catalogue %s: %w", id, err)
	}
	it.Active = true
	return it, nil
}
