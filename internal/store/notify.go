package store

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgChannelPrefix names Fuwu's PostgreSQL channel; the schema is appended
// so that deployments (and test runs) sharing a database never hear each
// other. The payload carries "topic\tmessage".
const pgChannelPrefix = "fuwu_changes_"

// Resync is delivered to every subscriber when notifications may have been
// missed (a PostgreSQL listener reconnected): reload everything.
const Resync = "*"

// notifier fans change messages out to subscribers. With SQLite every
// replica is this process, so delivery is local; with PostgreSQL messages
// go through NOTIFY, so every replica sharing the database hears them.
type notifier struct {
	db     *DB
	mu     sync.Mutex
	subs   map[string][]chan string
	cancel context.CancelFunc
	done   chan struct{}
	ready  chan struct{} // closed once the first LISTEN is in place
	// local is set when the server refuses NOTIFY or LISTEN (the
	// GaussDB family reports them as not supported): changes are then
	// delivered within this process only, and one warning says so.
	local atomic.Bool
}

func newNotifier(db *DB) *notifier { return &notifier{db: db, subs: map[string][]chan string{}} }

// Publish announces a change on topic (for example "kb" with an item id).
// Call it after the change has committed.
func (db *DB) Publish(ctx context.Context, topic, msg string) error {
	if db.Dialect == Postgres && !db.notify.local.Load() {
		_, err := db.Exec(ctx, `SELECT pg_notify(?, ?)`, db.channel, topic+"\t"+msg)
		if !notSupported(err) {
			return err
		}
		db.notify.goLocal(err)
	}
	db.notify.deliver(topic, msg)
	return nil
}

// notSupported reports whether err is the server refusing a feature
// (SQLSTATE 0A000) or lacking a function (42883, no pg_notify).
func notSupported(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "0A000" || pe.Code == "42883")
}

// goLocal switches to in-process delivery for good.
func (n *notifier) goLocal(err error) {
	if n.local.CompareAndSwap(false, true) {
		slog.Warn("the database has no LISTEN/NOTIFY: changes reach this process only, so run a single replica (docs/databases.md)", "err", err)
	}
}

// Subscribe returns a channel of messages published on topic, by this
// process or (on PostgreSQL) any other. Slow subscribers lose messages but
// get Resync, so they can always catch up. The channel closes with the DB.
// On PostgreSQL the first Subscribe waits (up to listenWait) until the
// listener is connected, so that a change made right after subscribing is
// heard; if the server is slow the listener keeps trying and announces
// Resync when it gets through.
func (db *DB) Subscribe(topic string) <-chan string {
	n := db.notify
	ch := make(chan string, 64)
	n.mu.Lock()
	n.subs[topic] = append(n.subs[topic], ch)
	if db.Dialect == Postgres && n.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		n.cancel = cancel
		n.done = make(chan struct{})
		n.ready = make(chan struct{})
		go n.listen(ctx)
	}
	ready := n.ready
	n.mu.Unlock()
	if ready != nil {
		select {
		case <-ready:
		case <-time.After(listenWait):
		}
	}
	return ch
}

const listenWait = 5 * time.Second

func (n *notifier) deliver(topic, msg string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ch := range n.subs[topic] {
		select {
		case ch <- msg:
		default:
			// Full: drop the message but make sure a resync follows.
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- Resync:
			default:
			}
		}
	}
}

func (n *notifier) deliverAll(msg string) {
	n.mu.Lock()
	topics := make([]string, 0, len(n.subs))
	for t := range n.subs {
		topics = append(topics, t)
	}
	n.mu.Unlock()
	for _, t := range topics {
		n.deliver(t, msg)
	}
}

// listen holds one PostgreSQL connection in LISTEN and reconnects with
// back-off; after every reconnect subscribers get Resync.
func (n *notifier) listen(ctx context.Context) {
	defer close(n.done)
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, n.db.url)
		if err == nil {
			_, err = conn.Exec(ctx, `LISTEN "`+n.db.channel+`"`)
		}
		if notSupported(err) {
			if conn != nil {
				conn.Close(context.Background())
			}
			n.goLocal(err)
			if first {
				close(n.ready)
			}
			return
		}
		if err != nil {
			if conn != nil {
				conn.Close(context.Background())
			}
			if ctx.Err() == nil {
				slog.Warn("change listener: connect failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 10*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if first {
			close(n.ready)
		} else {
			n.deliverAll(Resync)
		}
		first = false
		for {
			note, err := conn.WaitForNotification(ctx)
			if err != nil {
				break
			}
			topic, msg, _ := strings.Cut(note.Payload, "\t")
			n.deliver(topic, msg)
		}
		conn.Close(context.Background())
	}
}

func (n *notifier) close() {
	n.mu.Lock()
	cancel, done := n.cancel, n.done
	n.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	n.mu.Lock()
	for _, list := range n.subs {
		for _, ch := range list {
			close(ch)
		}
	}
	n.subs = map[string][]chan string{}
	n.mu.Unlock()
}
