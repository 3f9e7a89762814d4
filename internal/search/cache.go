package search

import (
	"context"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the search room's schema (the vector cache).
var Migrations = store.Migrations{Component: "search", FS: migrationFS, Dir: "migrations"}

// DBVectorCache keeps item vectors in the database.
type DBVectorCache struct{ DB *store.DB }

// GetVectors implements VectorCache.
func (c DBVectorCache) GetVectors(ctx context.Context, model string, hashes []string) (map[string][]float32, error) {
	out := map[string][]float32{}
	const chunk = 200
	for start := 0; start < len(hashes); start += chunk {
		part := hashes[start:min(start+chunk, len(hashes))]
		q := `SELECT hash, vec FROM search_vectors WHERE model = ? AND hash IN (?` + repeat(",?", len(part)-1) + `)`
		args := []any{model}
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := c.DB.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("read vectors: %w", err)
		}
		for rows.Next() {
			var h, enc string
			if err := rows.Scan(&h, &enc); err != nil {
				rows.Close()
				return nil, err
			}
			if v, err := decodeVector(enc); err == nil {
				out[h] = v
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PutVectors implements VectorCache.
func (c DBVectorCache) PutVectors(ctx context.Context, model string, vecs map[string][]float32) error {
	return c.DB.InTx(ctx, func(tx *store.Tx) error {
		now := store.Now()
		for h, v := range vecs {
			if _, err := tx.Exec(ctx, `INSERT INTO search_vectors (model, hash, dims, vec, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (model, hash) DO UPDATE SET dims = excluded.dims, vec = excluded.vec`,
				model, h, len(v), encodeVector(v), now); err != nil {
				return fmt.Errorf("write vector: %w", err)
			}
		}
		return nil
	})
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func encodeVector(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decodeVector(s string) ([]float32, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b)%4 != 0 {
		return nil, fmt.Errorf("bad stored vector")
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}
