package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
)

// Embedder turns texts into dense vectors, e.g. an OpenAI-compatible
// /v1/embeddings endpoint.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// VectorCache keeps item vectors across restarts so that a large
// catalogue is not embedded again at every start. Keys are the text's
// hash, so an edited item is embedded anew.
type VectorCache interface {
	GetVectors(ctx context.Context, model string, hashes []string) (map[string][]float32, error)
	PutVectors(ctx context.Context, model string, vecs map[string][]float32) error
}

// VectorOptions configure the dense channel.
type VectorOptions struct {
	Model        string        // names the vectors in the cache
	QueryTimeout time.Duration // embedding the question; on timeout the answer is lexical only
	Batch        int           // texts per embedding request
	Cache        VectorCache   // optional
	// RRFK is reciprocal-rank fusion's constant; Depth is how many
	// candidates of each channel take part.
	RRFK, Depth int
}

// vectorSet is the dense channel: one unit vector per item, compared by
// exact cosine (brute force is fast and exact at catalogue sizes; the
// approximate libraries measured here lost too much recall).
type vectorSet struct {
	e   Embedder
	opt VectorOptions

	mu   sync.RWMutex
	vecs map[string][]float32 // item id → unit vector
	// pending serialises background embedding work.
	work chan []kb.Item
}

// EnableVectors turns on the dense channel. Item vectors are computed in
// the background (the index answers lexically until they are there);
// failures are logged and retried at the next change.
func (ix *Index) EnableVectors(e Embedder, opt VectorOptions) {
	if opt.QueryTimeout <= 0 {
		opt.QueryTimeout = 800 * time.Millisecond
	}
	if opt.Batch <= 0 {
		opt.Batch = 64
	}
	if opt.RRFK <= 0 {
		opt.RRFK = 60
	}
	if opt.Depth <= 0 {
		opt.Depth = 50
	}
	v := &vectorSet{e: e, opt: opt, vecs: map[string][]float32{}, work: make(chan []kb.Item, 16)}
	go v.loop()
	ix.vectors = v
	v.sync(ix.snapshot())
}

func (ix *Index) snapshot() []kb.Item {
	items := ix.Items()
	out := make([]kb.Item, len(items))
	for i, it := range items {
		out[i] = *it
	}
	return out
}

// VectorCount is how many items have a vector (for readiness and tests).
func (ix *Index) VectorCount() int {
	if ix.vectors == nil {
		return 0
	}
	ix.vectors.mu.RLock()
	defer ix.vectors.mu.RUnlock()
	return len(ix.vectors.vecs)
}

func embedText(it *kb.Item) string {
	parts := []string{it.Name}
	parts = append(parts, it.Aliases...)
	parts = append(parts, it.Summary)
	for _, f := range it.FAQ {
		parts = append(parts, f.Q)
	}
	return strings.Join(parts, "\n")
}

func textHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:12])
}

func (v *vectorSet) sync(items []kb.Item) {
	v.mu.Lock()
	keep := make(map[string]bool, len(items))
	for _, it := range items {
		keep[it.ID] = true
	}
	for id := range v.vecs {
		if !keep[id] {
			delete(v.vecs, id)
		}
	}
	v.mu.Unlock()
	select {
	case v.work <- items:
	default:
		slog.Warn("vector channel busy; change will be embedded with the next one")
	}
}

func (v *vectorSet) upsert(it kb.Item) { v.sync1(it) }

func (v *vectorSet) sync1(it kb.Item) {
	select {
	case v.work <- []kb.Item{it}:
	default:
	}
}

func (v *vectorSet) remove(id string) {
	v.mu.Lock()
	delete(v.vecs, id)
	v.mu.Unlock()
}

func (v *vectorSet) loop() {
	for items := range v.work {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		if err := v.embedItems(ctx, items); err != nil {
			slog.Warn("embedding items failed; search stays lexical for them", "items", len(items), "err", err)
		}
		cancel()
	}
}

func (v *vectorSet) embedItems(ctx context.Context, items []kb.Item) error {
	texts := make([]string, len(items))
	hashes := make([]string, len(items))
	for i := range items {
		texts[i] = embedText(&items[i])
		hashes[i] = textHash(texts[i])
	}
	cached := map[string][]float32{}
	if v.opt.Cache != nil {
		var err error
		if cached, err = v.opt.Cache.GetVectors(ctx, v.opt.Model, hashes); err != nil {
			slog.Warn("vector cache read failed", "err", err)
			cached = map[string][]float32{}
		}
	}
	var todo []int
	for i := range items {
		if vec, ok := cached[hashes[i]]; ok {
			v.set(items[i].ID, vec)
		} else {
			todo = append(todo, i)
		}
	}
	for start := 0; start < len(todo); start += v.opt.Batch {
		batch := todo[start:min(start+v.opt.Batch, len(todo))]
		in := make([]string, len(batch))
		for j, i := range batch {
			in[j] = texts[i]
		}
		out, err := v.e.Embed(ctx, in)
		if err != nil {
			return err
		}
		fresh := map[string][]float32{}
		for j, i := range batch {
			if j < len(out) && len(out[j]) > 0 {
				fresh[hashes[i]] = normalise(out[j])
			}
		}
		// Cached before used, so a restart never embeds what was embedded.
		if v.opt.Cache != nil && len(fresh) > 0 {
			if err := v.opt.Cache.PutVectors(ctx, v.opt.Model, fresh); err != nil {
				slog.Warn("vector cache write failed", "err", err)
			}
		}
		for _, i := range batch {
			if vec, ok := fresh[hashes[i]]; ok {
				v.set(items[i].ID, vec)
			}
		}
	}
	return nil
}

func (v *vectorSet) set(id string, vec []float32) {
	v.mu.Lock()
	v.vecs[id] = vec
	v.mu.Unlock()
}

func normalise(x []float32) []float32 {
	var s float64
	for _, f := range x {
		s += float64(f) * float64(f)
	}
	out := make([]float32, len(x))
	if s == 0 {
		return out
	}
	inv := float32(1 / math.Sqrt(s))
	for i, f := range x {
		out[i] = f * inv
	}
	return out
}

// fuse embeds the question and merges the dense ranking with the lexical
// one by reciprocal-rank fusion. Any failure — endpoint down, slow,
// garbage — returns the lexical result unchanged.
func (v *vectorSet) fuse(ctx context.Context, text string, lex Result, k int, lexDeep []Hit) Result {
	ctx, cancel := context.WithTimeout(ctx, v.opt.QueryTimeout)
	defer cancel()
	out, err := v.e.Embed(ctx, []string{text})
	if err != nil || len(out) != 1 || len(out[0]) == 0 {
		if err != nil {
			slog.Debug("question embedding failed; lexical only", "err", err)
		}
		return lex
	}
	q := normalise(out[0])
	type cand struct {
		id  string
		sim float32
	}
	v.mu.RLock()
	cands := make([]cand, 0, len(v.vecs))
	for id, vec := range v.vecs {
		if len(vec) != len(q) {
			continue
		}
		var dot float32
		for i := range q {
			dot += q[i] * vec[i]
		}
		cands = append(cands, cand{id, dot})
	}
	v.mu.RUnlock()
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].sim != cands[j].sim {
			return cands[i].sim > cands[j].sim
		}
		return cands[i].id < cands[j].id
	})
	if len(cands) > v.opt.Depth {
		cands = cands[:v.opt.Depth]
	}
	// Only near neighbours vote: items far below the best similarity would
	// add rank noise (in RRF every rank counts, however poor the match).
	for i, c := range cands {
		if len(cands) > 0 && c.sim < cands[0].sim*0.8 {
			cands = cands[:i]
			break
		}
	}
	rrf := map[string]float64{}
	hits := map[string]Hit{}
	for r, h := range lexDeep {
		rrf[h.ID] += 1 / float64(v.opt.RRFK+r+1)
		hits[h.ID] = h
	}
	for r, c := range cands {
		rrf[c.id] += 1 / float64(v.opt.RRFK+r+1)
		if h, ok := hits[c.id]; ok {
			h.Fields = append(h.Fields, "vector")
			hits[c.id] = h
		} else {
			hits[c.id] = Hit{ID: c.id, Fields: []string{"vector"}}
		}
	}
	ids := make([]string, 0, len(rrf))
	for id := range rrf {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if rrf[ids[i]] != rrf[ids[j]] {
			return rrf[ids[i]] > rrf[ids[j]]
		}
		return ids[i] < ids[j]
	})
	res := Result{Terms: lex.Terms}
	for _, id := range ids {
		if len(res.Hits) == k {
			break
		}
		h := hits[id]
		h.Score = rrf[id]
		res.Hits = append(res.Hits, h)
	}
	return res
}
