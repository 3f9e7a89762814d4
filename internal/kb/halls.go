package kb

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// HallCache serves halls from memory, reloaded when a hall changes
// anywhere (Follow), so that answering a question reads no table.
type HallCache struct {
	s     *Store
	mu    sync.RWMutex
	halls map[string]Hall
}

// NewHallCache loads every hall.
func NewHallCache(ctx context.Context, s *Store) (*HallCache, error) {
	c := &HallCache{s: s}
	return c, c.Reload(ctx)
}

// Reload reads every hall again.
func (c *HallCache) Reload(ctx context.Context) error {
	hs, err := c.s.Halls(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]Hall, len(hs))
	for _, h := range hs {
		m[h.ID] = h
	}
	c.mu.Lock()
	c.halls = m
	c.mu.Unlock()
	return nil
}

// Hall returns a hall by id.
func (c *HallCache) Hall(_ context.Context, id string) (Hall, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, ok := c.halls[id]
	return h, ok
}

// Follow reloads on every hall change announced on changes (a
// subscription to Topic) until ctx ends.
func (c *HallCache) Follow(ctx context.Context, changes <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-changes:
			if !ok {
				return
			}
			if strings.HasPrefix(msg, "hall:") || msg == store.Resync {
				if err := c.Reload(ctx); err != nil && ctx.Err() == nil {
					slog.Warn("reload halls", "err", err)
				}
			}
		}
	}
}
