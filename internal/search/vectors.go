package search

import (
	"context"

	"github.com/fuwu-gov/fuwu/internal/kb"
)

// vectorSet is the optional dense channel (added later).
type vectorSet struct{}

func (v *vectorSet) sync(items []kb.Item)  {}
func (v *vectorSet) upsert(it kb.Item)     {}
func (v *vectorSet) remove(id string)      {}
func (v *vectorSet) fuse(ctx context.Context, text string, r Result, k int) Result { return r }
