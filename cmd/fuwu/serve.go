package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
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
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	start := time.Now()
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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("fuwu serving", "addr", "http://"+*addr, "db", string(db.Dialect), "startup", time.Since(start).Round(time.Millisecond))
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
