package search_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// conceptEmbedder maps texts to one axis per concept they mention, a
// stand-in for a model that knows 汪星人 means a dog.
type conceptEmbedder struct {
	calls     atomic.Int32
	cancelled atomic.Int32
	fail      bool
	delay     time.Duration
	concept   map[string]int
}

func (e *conceptEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.calls.Add(1)
	if e.delay > 0 {
		select {
		case <-time.After(e.delay):
		case <-ctx.Done():
			e.cancelled.Add(1)
			return nil, ctx.Err()
		}
	}
	if e.fail {
		return nil, errors.New("endpoint down")
	}
	// Character bigrams hashed into 56 dimensions give texts that share
	// words similar vectors; concept axes (weighted more) carry meaning
	// the words do not show.
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, 64)
		rs := []rune(t)
		for j := 0; j+1 < len(rs); j++ {
			h := (uint32(rs[j])*31 + uint32(rs[j+1])) % 56
			v[8+h]++
		}
		for word, axis := range e.concept {
			if strings.Contains(t, word) {
				v[axis] += 10
			}
		}
		out[i] = v
	}
	return out, nil
}

func newDogIndex(t *testing.T, e search.Embedder, opt search.VectorOptions) *search.Index {
	t.Helper()
	ix := demoIndex(t)
	ix.Upsert(kb.Item{ID: "X-DOG", Name: "犬只登记", Summary: "养犬人为犬只办理登记。"})
	ix.EnableVectors(e, opt)
	waitFor(t, "vectors", func() bool { return ix.VectorCount() == 121 })
	return ix
}

func TestVectorsFuse(t *testing.T) {
	t.Parallel()
	e := &conceptEmbedder{concept: map[string]int{"犬": 0, "汪星人": 0}}
	ix := newDogIndex(t, e, search.VectorOptions{Model: "test"})
	// No word of the question is in the catalogue; the vector finds it.
	res := ix.Search(context.Background(), "汪星人要上牌吗", 3)
	if len(res.Hits) == 0 || res.Hits[0].ID != "X-DOG" {
		t.Fatalf("dense channel did not find the item: %+v", res.Hits)
	}
	if res.Hits[0].Name != "犬只登记" || !contains(res.Hits[0].Fields, "vector") {
		t.Fatalf("hit lacks name or vector field: %+v", res.Hits[0])
	}
	// When both channels agree the item is first, matched in both.
	res = ix.Search(context.Background(), "养犬登记要带什么", 3)
	if res.Hits[0].ID != "X-DOG" || !contains(res.Hits[0].Fields, "vector") || !contains(res.Hits[0].Fields, "name") {
		t.Fatalf("agreeing channels: %+v", res.Hits[0])
	}
}

func TestVectorsDegrade(t *testing.T) {
	t.Parallel()
	lexical := demoIndex(t)
	want := lexical.Search(context.Background(), "社保卡丢了怎么补", 5).Hits
	for name, e := range map[string]*conceptEmbedder{
		"down": {fail: true},
		"slow": {delay: 2 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ix := demoIndex(t)
			ix.EnableVectors(e, search.VectorOptions{Model: "test", QueryTimeout: 50 * time.Millisecond})
			got := ix.Search(context.Background(), "社保卡丢了怎么补", 5).Hits
			if e.delay > 0 && e.cancelled.Load() == 0 {
				t.Errorf("search did not give up on the slow endpoint")
			}
			if len(got) != len(want) {
				t.Fatalf("got %d hits, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("hit %d = %s, want lexical %s", i, got[i].ID, want[i].ID)
				}
			}
		})
	}
}

func TestVectorCache(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{search.Migrations}, func(t *testing.T, db *store.DB) {
		cache := search.DBVectorCache{DB: db}
		e := &conceptEmbedder{concept: map[string]int{"犬": 0}}
		newDogIndex(t, e, search.VectorOptions{Model: "m1", Cache: cache})
		first := e.calls.Load()
		// A second start embeds nothing: every vector comes from the cache.
		e2 := &conceptEmbedder{concept: map[string]int{"犬": 0}}
		newDogIndex(t, e2, search.VectorOptions{Model: "m1", Cache: cache})
		if first == 0 || e2.calls.Load() != 0 {
			t.Fatalf("embed calls: first start %d, second start %d (want >0, 0)", first, e2.calls.Load())
		}
	})
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}
