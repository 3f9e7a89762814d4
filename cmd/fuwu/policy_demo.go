package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
)

// The demo registries' seed and size (illustrative; see data/policy).
const (
	demoSeed        = 1
	demoPersons     = 10000
	demoEnterprises = 2000
)

// startPolicyApp keeps the policy services of a running server current:
// with demo, empty registries get the generated residents and enterprises
// in the background (the server starts at once); the live set and the
// stored results then follow change notifications until bg ends.
func startPolicyApp(ctx, bg context.Context, e *policyEnv, demo bool) error {
	// Subscribed before the live set is read again and before the first
	// match, so no change falls in between.
	pc, rc := e.db.Subscribe(policy.Topic), e.db.Subscribe(registry.Topic)
	if err := e.live.Reload(ctx); err != nil {
		return err
	}
	go func() {
		if demo {
			if err := loadRegistryDemo(bg, e, e.lib.Today()); err != nil && bg.Err() == nil {
				e.log.Error("demo registries not loaded", "err", err)
			}
		}
		e.svc.Follow(bg, pc, rc, 10*time.Minute)
	}()
	return nil
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
		e.log.Info("demo policy library loaded (illustrative)", "took", time.Since(start).Round(time.Millisecond))
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
		e.log.Info("demo registry loaded (illustrative, generated)", "kind", r.kind, "profiles", rep.Created)
	}
	return nil
}
