package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

type embedResponse struct {
	Model string `json:"model"`
	Data  []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
}

// Embed returns one vector per text, in order, sending EmbedBatch texts per
// request. Every vector has the same length; anything else from the server
// is ErrMalformed. Empty texts are sent as a single space (some servers
// reject ""); personal data is masked before sending.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if !c.HasEmbeddings() {
		return nil, ErrNotConfigured
	}
	out := make([][]float32, 0, len(texts))
	dim := -1
	for start := 0; start < len(texts); start += c.cfg.EmbedBatch {
		end := min(start+c.cfg.EmbedBatch, len(texts))
		vecs, err := c.embedBatch(ctx, texts[start:end])
		if err != nil {
			return nil, fmt.Errorf("%w (texts %d–%d of %d)", err, start+1, end, len(texts))
		}
		for _, v := range vecs {
			if dim == -1 {
				dim = len(v)
			}
			if len(v) != dim || dim == 0 {
				return nil, fmt.Errorf("llm embeddings: %w: vector lengths %d and %d", ErrMalformed, dim, len(v))
			}
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (c *Client) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	in := make([]string, len(texts))
	for i, t := range texts {
		if t == "" {
			t = " "
		}
		in[i], _ = privacy.Mask(t)
	}
	body, err := json.Marshal(map[string]any{"model": c.cfg.EmbedModel, "input": in})
	if err != nil {
		return nil, fmt.Errorf("llm embeddings: %w", err)
	}
	l := c.startLimits(ctx, "embeddings", false)
	defer l.stop()
	resp, err := c.post(l, c.embedURL, "application/json", bytes.NewReader(body), "application/json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, l.err("reading answer", fmt.Errorf("%w: %v", ErrTruncated, err))
	}
	var er embedResponse
	if err := json.Unmarshal(raw, &er); err != nil {
		return nil, fmt.Errorf("llm embeddings: %w: %v (body starts %q)", ErrMalformed, err, clip(string(raw), 60))
	}
	if len(er.Data) != len(texts) {
		return nil, fmt.Errorf("llm embeddings: %w: %d vectors for %d texts", ErrMalformed, len(er.Data), len(texts))
	}
	vecs := make([][]float32, len(texts))
	for _, d := range er.Data {
		if d.Index < 0 || d.Index >= len(texts) || vecs[d.Index] != nil {
			return nil, fmt.Errorf("llm embeddings: %w: bad or repeated index %d", ErrMalformed, d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, fmt.Errorf("llm embeddings: %w: empty vector at %d", ErrMalformed, d.Index)
		}
		vecs[d.Index] = d.Embedding
	}
	return vecs, nil
}
