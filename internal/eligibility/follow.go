package eligibility

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Follow keeps the stored results current until ctx ends. Every replica
// reloads its live policy set on each change announced on policy.Topic;
// the one replica that holds the lead (a PostgreSQL advisory lock, taken
// over by another replica if its holder goes away; always this process
// on SQLite) also matches again: the row of each changed profile, the
// column of each changed policy, everything when a notification may have
// been missed (store.Resync) or the day turns (checked every interval).
// Subscribe to both topics before the service's first Sync so that no
// change falls in between.
func (s *Service) Follow(ctx context.Context, policyChanges, registryChanges <-chan string, every time.Duration) {
	l := &lead{db: s.db}
	defer l.release()
	tick := time.NewTicker(every)
	defer tick.Stop()
	leading := false
	check := func() bool {
		now := l.hold(ctx)
		if now && !leading {
			s.syncLogged(ctx) // what happened while another replica led is in the store
		}
		leading = now
		return now
	}
	check()
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-policyChanges:
			if !ok {
				return
			}
			if err := s.live.Reload(ctx); err != nil {
				slog.Warn("eligibility: policy reload failed", "err", err)
				continue
			}
			if !check() {
				continue
			}
			kind, ids, _ := strings.Cut(msg, ":")
			var err error
			switch kind {
			case "policy":
				err = s.RematchPolicies(ctx, strings.Split(ids, ",")...)
			case "fields":
			default:
				_, err = s.Sync(ctx)
			}
			if err != nil && ctx.Err() == nil {
				slog.Warn("eligibility: rematch after a policy change failed; matching everything", "change", msg, "err", err)
				s.matchAllLogged(ctx)
			}
		case msg, ok := <-registryChanges:
			if !ok {
				return
			}
			if !check() {
				continue
			}
			kind, ids, _ := strings.Cut(msg, ":")
			var err error
			if kind == "profile" {
				err = s.RematchProfiles(ctx, strings.Split(ids, ",")...)
			} else {
				_, err = s.Sync(ctx)
			}
			if err != nil && ctx.Err() == nil {
				slog.Warn("eligibility: rematch after a registry change failed; matching everything", "change", msg, "err", err)
				s.matchAllLogged(ctx)
			}
		case <-tick.C:
			if check() {
				s.syncLogged(ctx)
			}
		}
	}
}

func (s *Service) syncLogged(ctx context.Context) {
	if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
		slog.Error("eligibility: sync failed", "err", err)
	}
}

func (s *Service) matchAllLogged(ctx context.Context) {
	if err := s.MatchAll(ctx); err != nil && ctx.Err() == nil {
		slog.Error("eligibility: matching everything failed", "err", err)
	}
}

// lead is the right to maintain the stored results. On PostgreSQL it is
// a session advisory lock, keyed by the schema so that deployments (and
// tests) sharing a database each have their own; it lasts as long as the
// connection holding it.
type lead struct {
	db   *store.DB
	conn *sql.Conn
}

const leadKey = 7262012

func (l *lead) hold(ctx context.Context) bool {
	if l.db.Dialect != store.Postgres {
		return true
	}
	if l.conn != nil {
		if err := l.conn.PingContext(ctx); err == nil {
			return true
		}
		l.release()
	}
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return false
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`, leadKey).Scan(&got); err != nil || !got {
		conn.Close()
		return false
	}
	l.conn = conn
	return true
}

func (l *lead) release() {
	if l.conn == nil {
		return
	}
	_, _ = l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, leadKey)
	l.conn.Close()
	l.conn = nil
}
