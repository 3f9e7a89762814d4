package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/web"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "run the web server: residents' chat, catalogue, staff console, API",
		run:     runServe,
	})
}

func runServe(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("serve", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	var lc llm.Config
	lc.RegisterFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	demo := fs.Bool("demo", true, "load the bundled demo catalogue when the knowledge base is empty")
	chatRate := fs.Float64("chat-rate", 20, "chat messages per minute allowed from one client address (0: no limit, for load tests)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client address from X-Forwarded-For (only behind a proxy that sets it)")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure and send HSTS (when served over HTTPS)")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics without a token on this separate address (e.g. 127.0.0.1:9090)")
	metricsToken := fs.String("metrics-token", "", "serve /metrics on the main address to requests with 'Authorization: Bearer TOKEN'")
	fs.BoolVar(&sf.perTurnCommit, "per-turn-commit", false, "commit each chat turn's writes in a transaction of its own instead of grouping concurrent turns' (slower under load; for comparison)")
	var mf mqttFlags // city sensors: ingest from this broker when given
	mf.bind(fs, "fuwu-citymon")
	cityFeed := fs.Bool("city-feed", true, "with the demo and no --mqtt-url, feed the demo sensors simulated live readings (labelled 演示数据)")
	riskModelFile := fs.String("risk-model", "", "JSON waterlogging model configuration (storm formula, river levels); default: the EXAMPLE formula")
	riskEvery := fs.Duration("risk-every", risk.AssessEvery, "re-assess every community's waterlogging risk this often")
	var vf videoFlags
	vf.bind(fs)
	checkSM2 := bindSM2TLS(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkSM2(); err != nil {
		return err
	}
	tuneGC(env)
	start := time.Now()
	a, err := openApp(ctx, sf, lc, *demo)
	if err != nil {
		return err
	}
	defer a.close()
	if a.docs, err = openDocuments(ctx, ctx, a.db, a.llm, *demo); err != nil {
		return err
	}
	city, err := startCity(ctx, a, mf, *demo, *cityFeed)
	if err != nil {
		return err
	}
	defer city.close()
	green, err := startGreening(ctx, a, city, *demo)
	if err != nil {
		return err
	}
	defer green.close()
	rm, err := riskModel(*riskModelFile)
	if err != nil {
		return err
	}
	if *riskEvery < time.Minute {
		return &exitError{code: 2, msg: "--risk-every: at least 1m"}
	}
	rsk, err := startRisk(ctx, a, city, rm, *demo, *riskEvery)
	if err != nil {
		return err
	}
	defer rsk.close()
	policyCtx, stopPolicy := context.WithCancel(context.Background())
	defer stopPolicy() // before a.close: deferred calls run last first
	if err := startPolicyApp(ctx, policyCtx, a.policy, *demo); err != nil {
		return err
	}
	vid, err := startVideo(policyCtx, a, vf)
	if err != nil {
		return err
	}
	defer vid.close()
	rate := *chatRate
	if rate <= 0 {
		rate = -1 // web: a negative rate is no limit
	}
	wc := web.Config{ChatRate: rate, TrustProxy: *trustProxy, SecureCookies: *secure, MetricsToken: *metricsToken, City: city.web(),
		Greening: green.web(), Risk: rsk.web()}
	vid.web(&wc, vf)
	h, err := buildServer(ctx, a, wc)
	if err != nil {
		return err
	}
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics address: %w", err)
		}
		msrv := &http.Server{Handler: h.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		defer msrv.Close()
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				std.log.Error("metrics server", "err", err)
			}
		}()
		std.log.Info("metrics serving", "addr", "http://"+mln.Addr().String()+"/metrics")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	srv.RegisterOnShutdown(h.CloseStreams) // the dashboards' event streams
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	std.log.Info("fuwu serving", "addr", "http://"+ln.Addr().String(), "db", string(a.db.Dialect),
		"model", a.llm.HasChat(), "startup", time.Since(start).Round(time.Millisecond))
	if users, err := auth.NewStore(a.db).Users(ctx); err == nil && len(users) == 0 {
		std.log.Info("no staff account yet: create the first with 'fuwu user add NAME --role admin'")
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

// buildServer puts the web front around the app's parts.
func buildServer(ctx context.Context, a *app, cfg web.Config) (*web.Server, error) {
	conv := web.NewConvoConversations(a.convo, a.kb)
	suite := a.services.keys.Suite() // the keyring's: --crypto made or checked it
	cfg.KB, cfg.Auth, cfg.Search = a.kb, auth.NewStore(a.db), a.index
	cfg.Auth.Suite, cfg.Crypto = suite, suite
	cfg.Assistant, cfg.Conversations, cfg.Convo = conv.Record(a.assistant), conv, a.convo
	cfg.Audit = audit.New(a.db).WithClock(a.now, a.zone).WithSuite(suite)
	cfg.Zone, cfg.Now = a.zone, a.now
	cfg.Lexicon, cfg.Stops = assistant.SensitiveStore{DB: a.db}, a.assistant
	cfg.Booking, cfg.Doorstep = a.services.booking, a.services.doorstep
	if a.policy != nil {
		cfg.Policy = &web.PolicyServices{Library: a.policy.lib, Live: a.policy.live, Results: a.policy.svc}
	}
	if a.docs != nil {
		cfg.Library, cfg.Teaching = a.docs.library, a.docs.teaching
	}
	if a.llm.HasChat() {
		cfg.DocModel = web.DocModel(a.llm)
	}
	if a.llm.HasTranscription() {
		cfg.Transcriber = web.ModelTranscriber(a.llm)
	}
	cfg.Ready = func(ctx context.Context) error {
		if err := a.db.QueryRow(ctx, `SELECT 1`).Scan(new(int)); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if a.index.Len() == 0 {
			return errors.New("the knowledge base has no published items")
		}
		return nil
	}
	return web.New(ctx, cfg)
}
