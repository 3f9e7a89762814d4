package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// app is the running program's parts, shared by serve, ask and eval so
// that they answer alike.
type app struct {
	db        *store.DB
	kb        *kb.Store
	convo     *convo.Store
	index     *search.Index
	halls     *kb.HallCache
	assistant *assistant.Assistant
	llm       *llm.Client // nil: no model
	services  *services   // appointments and door-to-door service
	docs      *documents  // document library and teachers' assistant (serve opens them)
	zone      *time.Location
	log       *slog.Logger // the command's
	now       func() time.Time
	policy    *policyEnv // policy library, registries, stored results
	sens      assistant.SensitiveStore
	lexicon   *assistant.Sensitive // the assistant's, following sens
	stop      context.CancelFunc
}

// openApp opens the store, loads the demo catalogue into an empty one when
// demo is set, builds the index and the assistant, and keeps them current
// from change notifications until close.
func openApp(ctx context.Context, sf storeFlags, lc llm.Config, demo bool) (*app, error) {
	zh.Preload() // the dictionary loads while the database opens
	db, err := sf.open(ctx)
	if err != nil {
		return nil, err
	}
	a := &app{db: db, kb: kb.NewStore(db), convo: convo.NewStore(db).WithClock(sf.now(), sf.location()),
		zone: sf.location(), log: sf.logger(), now: sf.now()}
	if demo {
		if err := loadDemo(ctx, a.kb); err != nil {
			db.Close()
			return nil, err
		}
	}
	an, err := zh.Default()
	if err != nil {
		db.Close()
		return nil, err
	}
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	a.index = search.New(an, search.DefaultParams())
	itemChanges, hallChanges := db.Subscribe(kb.Topic), db.Subscribe(kb.Topic)
	if err := search.Load(ctx, a.index, a.kb); err != nil {
		a.close()
		return nil, err
	}
	go search.Follow(bg, a.index, a.kb, itemChanges)
	if a.halls, err = kb.NewHallCache(ctx, a.kb); err != nil {
		a.close()
		return nil, err
	}
	go a.halls.Follow(bg, hallChanges)

	a.sens = assistant.SensitiveStore{DB: db}
	words, err := a.sens.List(ctx)
	if err != nil {
		a.close()
		return nil, err
	}
	lexicon := assistant.NewSensitive(words, an.Normalize)
	a.lexicon = lexicon
	go assistant.FollowSensitive(bg, a.sens, lexicon, db.Subscribe(assistant.SensitiveTopic))

	cfg := assistant.Config{
		Index: a.index, Halls: a.halls, Analyzer: an,
		States: assistant.DBState{DB: db}, Sensitive: lexicon,
		Recorder:          assistant.ConvoRecorder{Store: a.convo},
		FirstTokenTimeout: lc.FirstTokenTimeout, ModelTimeout: lc.Timeout,
		Now: a.now, Location: a.zone,
	}
	if !sf.perTurnCommit {
		g := assistant.GroupTurns{DB: db, Convo: a.convo}
		if db.Dialect == store.SQLite {
			// This process is SQLite's only writer: a turn's state can be
			// kept for the next turn rather than read back.
			g.Cache = assistant.NewStateCache()
			cfg.States = assistant.DBState{DB: db, Cache: g.Cache}
		} else {
			// Other replicas write states too: each turn reads its
			// own, batched with the reads of turns at the same moment.
			cfg.States = assistant.DBState{DB: db, Reader: assistant.NewStateReader(db)}
		}
		cfg.Turns = g
	}
	if a.services, err = openServices(ctx, db, a.kb, &sf, demo); err != nil {
		a.close()
		return nil, err
	}
	cfg.Booking = assistant.ServiceBooker{Booking: a.services.booking, Doorstep: a.services.doorstep, Keys: a.services.keys}
	// The policy library, for the chat's eligibility dialogue (serve also
	// shows it on its pages and keeps the stored results current).
	if a.policy, err = newPolicyEnv(ctx, db, a.services, a.zone); err != nil {
		a.close()
		return nil, err
	}
	if demo {
		if err := loadPolicyDemo(ctx, a.policy); err != nil {
			a.close()
			return nil, err
		}
	}
	cfg.Benefits = &policyChat{live: a.policy.live, keys: a.services.keys, now: a.policy.lib.Today}
	// Residents' tree reports go to the greening report form, which
	// fuwu serve always mounts.
	cfg.TreeReports = &assistant.TreeReportForm{Path: "/greening/report", Streets: greening.StreetNames()}
	if k, err := greening.Starter(); err == nil {
		cfg.TreeReports.Species = k.SpeciesNames()
	} else {
		a.log.Warn("tree reports without species names", "err", err)
	}
	// Communities' waterlogging risk, as serve's assessment cycles store it.
	cfg.Hazards = &hazardChat{store: risk.NewStore(db, a.now)}
	go a.services.housekeep(bg, 10*time.Minute)
	client, err := llm.New(lc)
	if err != nil {
		a.close()
		return nil, err
	}
	a.llm = client
	if client.HasChat() {
		cfg.Model, cfg.ModelName = assistant.ChatModel(client), client.Model()
		cfg.Understand = true // the model settles turns the lexicon could not
	}
	if client.HasEmbeddings() {
		a.index.EnableVectors(client, search.VectorOptions{Model: client.EmbedModel(), Cache: search.DBVectorCache{DB: db}})
	}
	if a.assistant, err = assistant.New(cfg); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// reload rebuilds the index and the hall cache from the store now (after
// a bulk import in the same process, without waiting for notifications).
func (a *app) reload(ctx context.Context) error {
	if err := search.Load(ctx, a.index, a.kb); err != nil {
		return err
	}
	words, err := a.sens.List(ctx)
	if err != nil {
		return err
	}
	a.lexicon.Set(words)
	return a.halls.Reload(ctx)
}

func (a *app) close() {
	if a.stop != nil {
		a.stop()
	}
	a.db.Close()
}

// loadDemo imports the embedded demo catalogue into an empty knowledge base.
func loadDemo(ctx context.Context, s *kb.Store) error {
	counts, err := s.Count(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	if n > 0 {
		return nil
	}
	rep, err := s.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published, Actor: "demo"}})
	if err != nil {
		return fmt.Errorf("load demo catalogue: %w", err)
	}
	_ = rep
	return nil
}
