package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Load fills the index with the store's published items, and standalone
// FAQ entries tied to them (their questions join the item's FAQ).
func Load(ctx context.Context, ix *Index, s *kb.Store) error {
	seq := ix.beginLoad() // before the store is read: see replace
	items, err := publishedWithEntries(ctx, s)
	if err == nil {
		err = loadLearned(ctx, ix, s)
	}
	if err == nil {
		err = loadScopeLessons(ctx, ix, s)
	}
	if err != nil {
		ix.abandonLoad()
		return err
	}
	ix.replace(items, seq)
	return nil
}

// loadLearned puts the published learned synonyms in the index.
func loadLearned(ctx context.Context, ix *Index, s *kb.Store) error {
	list, err := s.Synonyms(ctx, kb.Published)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	return ix.SetLearned(kb.SynonymRules(list))
}

func publishedWithEntries(ctx context.Context, s *kb.Store) ([]kb.Item, error) {
	items, err := s.PublishedItems(ctx)
	if err != nil {
		return nil, fmt.Errorf("load index: %w", err)
	}
	entries, err := s.Entries(ctx, kb.Published)
	if err != nil {
		return nil, fmt.Errorf("load index: %w", err)
	}
	byItem := map[string][]kb.FAQ{}
	for _, e := range entries {
		if e.ItemID != "" {
			byItem[e.ItemID] = append(byItem[e.ItemID], kb.FAQ{Q: e.Question, A: e.Answer, Entry: true})
		}
	}
	for i := range items {
		// The index serves residents: internal notes stay out of it.
		items[i] = items[i].Public()
		if extra := byItem[items[i].ID]; len(extra) > 0 {
			items[i].FAQ = append(append([]kb.FAQ(nil), items[i].FAQ...), extra...)
		}
	}
	return items, nil
}

// Follow keeps the index current with the store until ctx ends: every
// change announced on kb.Topic — by this process or, on PostgreSQL, by any
// replica — is applied as it arrives. Item changes are applied one by one;
// learned synonyms and scope lessons are reloaded whole; FAQ changes, resyncs and large batches reload the whole catalogue.
// Subscribe before the initial Load so no change falls between the two.
func Follow(ctx context.Context, ix *Index, s *kb.Store, changes <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-changes:
			if !ok {
				return
			}
			if err := apply(ctx, ix, s, msg); err != nil && ctx.Err() == nil {
				slog.Warn("search index update failed; reloading", "change", msg, "err", err)
				if err := Load(ctx, ix, s); err != nil && ctx.Err() == nil {
					slog.Error("search index reload failed", "err", err)
				}
			}
		}
	}
}

// upsertBatch is the largest batch of changed items applied one by one;
// a larger one reloads the catalogue.
const upsertBatch = 16

func apply(ctx context.Context, ix *Index, s *kb.Store, msg string) error {
	kind, ids, _ := strings.Cut(msg, ":")
	switch kind {
	case "item":
		list := strings.Split(ids, ",")
		if len(list) > upsertBatch {
			// An import: one rebuild gives the same index a restart
			// would, where item-by-item updates leave scores computed
			// with the field lengths of the moment each item arrived.
			return Load(ctx, ix, s)
		}
		for _, id := range list {
			rec, err := s.Item(ctx, id)
			switch {
			case errors.Is(err, kb.ErrNotFound):
				ix.Remove(id)
				continue
			case err != nil:
				return err
			}
			if rec.Status != kb.Published {
				ix.Remove(id)
				continue
			}
			it := rec.Item.Public()
			if err := attachEntries(ctx, s, &it); err != nil {
				return err
			}
			ix.Upsert(it)
		}
		return nil
	case "synonym":
		return loadLearned(ctx, ix, s)
	case "scope":
		return loadScopeLessons(ctx, ix, s)
	case "hall", "policy":
		return nil // not indexed
	case "faq":
		for _, idText := range strings.Split(ids, ",") {
			if _, err := strconv.ParseInt(idText, 10, 64); err != nil {
				return fmt.Errorf("faq change %q: %w", idText, err)
			}
		}
		return Load(ctx, ix, s) // an entry may have moved between items
	case store.Resync:
		return Load(ctx, ix, s)
	}
	return Load(ctx, ix, s)
}

func attachEntries(ctx context.Context, s *kb.Store, it *kb.Item) error {
	entries, err := s.Entries(ctx, kb.Published)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.ItemID == it.ID {
			it.FAQ = append(it.FAQ, kb.FAQ{Q: e.Question, A: e.Answer, Entry: true})
		}
	}
	return nil
}
