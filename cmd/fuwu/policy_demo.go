package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// The demo registries' seed and size (illustrative; see data/policy).
const (
	demoSeed        = 1
	demoPersons     = 10000
	demoEnterprises = 2000
)

// openPolicyApp opens the policy rooms for a running server: with demo,
// an empty library gets the bundled policies and field schema, and —
// in the background, so that the server starts at once — empty registries
// get the generated residents and enterprises; the stored results are
// then kept current from change notifications until bg ends.
func openPolicyApp(ctx, bg context.Context, db *store.DB, dataDir string, zone *time.Location, demo bool) (*policyEnv, error) {
	e, err := openPolicyRooms(ctx, db, dataDir, zone)
	if err != nil {
		return nil, err
	}
	if demo {
		if err := loadPolicyDemo(ctx, e); err != nil {
			return nil, err
		}
	}
	// Subscribed before the first match, so no change falls in between.
	pc, rc := db.Subscribe(policy.Topic), db.Subscribe(registry.Topic)
	go func() {
		if demo {
			if err := loadRegistryDemo(bg, e, e.lib.Today()); err != nil && bg.Err() == nil {
				slog.Error("demo registries not loaded", "err", err)
			}
		}
		e.svc.Follow(bg, pc, rc, 10*time.Minute)
	}()
	return e, nil
}

// loadPolicyDemo fills an empty library with the bundled, illustrative
// policies and field schema.
func loadPolicyDemo(ctx context.Context, e *policyEnv) error {
	start := time.Now()
	recs, err := e.lib.List(ctx, policy.Filter{})
	if err != nil {
		return err
	}
	s, err := e.lib.Schema(ctx)
	if err != nil {
		return err
	}
	if len(s.Person)+len(s.Enterprise) == 0 {
		f, err := data.Policy().Open("fields.json")
		if err != nil {
			return err
		}
		s, err = policy.ReadSchema(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("demo field schema: %w", err)
		}
		if err := e.lib.SetSchema(ctx, s, "demo"); err != nil {
			return fmt.Errorf("demo field schema: %w", err)
		}
	}
	if len(recs) == 0 {
		b, err := fs.ReadFile(data.Policy(), "policies.jsonl")
		if err != nil {
			return err
		}
		rep, err := e.lib.Import(ctx, bytes.NewReader(b), "demo policies", policy.ImportOptions{State: policy.Published, Actor: "demo"})
		if err != nil {
			return fmt.Errorf("load demo policies: %w", err)
		}
		if len(rep.Problems) > 0 {
			return fmt.Errorf("load demo policies: %s", rep.Problems[0])
		}
		if err := e.live.Reload(ctx); err != nil {
			return err
		}
	}
	if len(recs) == 0 {
		slog.Info("demo policy library loaded (illustrative)", "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// loadRegistryDemo fills empty registries with the generated, illustrative
// residents and enterprises.
func loadRegistryDemo(ctx context.Context, e *policyEnv, asOf policy.Day) error {
	s, err := e.lib.Schema(ctx)
	if err != nil {
		return err
	}
	counts, err := e.reg.Count(ctx)
	if err != nil {
		return err
	}
	for _, r := range []struct {
		kind policy.Target
		n    int
		gen  func(*bytes.Buffer) error
	}{
		{policy.Person, demoPersons, func(b *bytes.Buffer) error { return registry.GeneratePersons(b, demoSeed, demoPersons, asOf) }},
		{policy.Enterprise, demoEnterprises, func(b *bytes.Buffer) error { return registry.GenerateEnterprises(b, demoSeed, demoEnterprises, asOf) }},
	} {
		if counts[r.kind] > 0 {
			continue
		}
		var b bytes.Buffer
		if err := r.gen(&b); err != nil {
			return err
		}
		rep, err := e.reg.Import(ctx, &b, "jsonl", "demo "+string(r.kind)+"s", 0,
			registry.ImportOptions{Kind: r.kind, Schema: s, Source: "demo (illustrative)", BatchSize: 1000})
		if err != nil {
			return fmt.Errorf("load demo registry: %w", err)
		}
		slog.Info("demo registry loaded (illustrative, generated)", "kind", r.kind, "profiles", rep.Created)
	}
	return nil
}
