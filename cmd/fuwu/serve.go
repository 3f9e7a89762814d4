package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/web"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "run the web server: residents' chat, catalogue, staff console, API",
		run:     runServe,
	})
}

func runServe(ctx context.Context, args []string) error {
	fs := newFlags("serve", os.Stderr)
	var sf storeFlags
	sf.bind(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	demo := fs.Bool("demo", true, "load the bundled demo catalogue when the knowledge base is empty")
	chatRate := fs.Float64("chat-rate", 20, "chat messages per minute allowed from one client address")
	trustProxy := fs.Bool("trust-proxy", false, "take the client address from X-Forwarded-For (only behind a proxy that sets it)")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure and send HSTS (when served over HTTPS)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	start := time.Now()
	zh.Preload() // the dictionary loads while the database opens
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	kbs := kb.NewStore(db)
	if *demo {
		if err := loadDemo(ctx, kbs); err != nil {
			return err
		}
	}
	h, err := buildServer(ctx, kbs, web.Config{ChatRate: *chatRate, TrustProxy: *trustProxy, SecureCookies: *secure})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("fuwu serving", "addr", "http://"+ln.Addr().String(), "db", string(db.Dialect), "startup", time.Since(start).Round(time.Millisecond))
	if users, err := auth.NewStore(db).Users(ctx); err == nil && len(users) == 0 {
		slog.Info("no staff account yet: create the first with 'fuwu user add NAME --role admin'")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// buildServer wires the assistant over the knowledge base and the web
// front around it. The search index and the hall cache follow knowledge
// changes until ctx ends, so what staff publish reaches the chat at once.
func buildServer(ctx context.Context, kbs *kb.Store, cfg web.Config) (*web.Server, error) {
	db := kbs.DB()
	a, err := zh.Default()
	if err != nil {
		return nil, err
	}
	// Subscribe before loading so no change falls between the two.
	itemChanges, hallChanges := db.Subscribe(kb.Topic), db.Subscribe(kb.Topic)
	ix := search.New(a, search.DefaultParams())
	if err := search.Load(ctx, ix, kbs); err != nil {
		return nil, err
	}
	go search.Follow(ctx, ix, kbs, itemChanges)
	halls, err := kb.NewHallCache(ctx, kbs)
	if err != nil {
		return nil, err
	}
	go halls.Follow(ctx, hallChanges)
	asst, err := assistant.New(assistant.Config{Index: ix, Halls: halls, Analyzer: a, Mask: maskPersonal,
		States: &assistant.DBState{DB: db}})
	if err != nil {
		return nil, err
	}
	// Transcripts are kept in memory until conversations are persisted in
	// the database (they are masked like everything the assistant keeps).
	conv := web.NewMemoryConversations(20000, maskPersonal)
	cfg.KB, cfg.Auth, cfg.Assistant, cfg.Conversations, cfg.Search = kbs, auth.NewStore(db), conv.Record(asst), conv, ix
	cfg.Ready = func(ctx context.Context) error {
		if err := db.QueryRow(ctx, `SELECT 1`).Scan(new(int)); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if ix.Len() == 0 {
			return errors.New("the knowledge base has no published items")
		}
		return nil
	}
	return web.New(ctx, cfg)
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
	slog.Info("loaded demo catalogue", "items", rep.Items.Created, "halls", rep.Halls)
	return nil
}
