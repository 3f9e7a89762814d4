package citymon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// SystemBroker is the Mosquitto every machine of the project runs
// ($FUWU_TEST_MQTT overrides).
func systemBroker() string {
	if u := os.Getenv("FUWU_TEST_MQTT"); u != "" {
		return u
	}
	return "mqtt://127.0.0.1:1883"
}

func uniq(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// waitFor polls cond until it holds; the deadline only stops a hung test.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runPipeline runs p until the test ends.
func runPipeline(t testing.TB, p *Pipeline) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// A reading published over the real broker is stored once and
// acknowledged; a malformed message is quarantined with its payload.
func TestMQTTIngest(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("M1", "福田街道"))
		p := NewPipeline(s)
		runPipeline(t, p)
		prefix := uniq("fuwutest/") + "/"
		sub, err := Subscribe(ctx, MQTTConfig{URL: systemBroker(), ClientID: uniq("fuwu-test-"), Topic: prefix + "#"}, p)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		pub, err := NewPublisher(ctx, MQTTConfig{URL: systemBroker(), ClientID: uniq("fuwu-pub-")}, prefix)
		if err != nil {
			t.Fatal(err)
		}
		defer pub.Close()
		at := t0.Add(-time.Hour)
		rs := []Reading{{Param: "PM2.5", Time: at, Value: 35}, {Param: "PM10", Time: at, Value: 0.06, Unit: "mg/m3"}}
		for range 2 { // the second is a duplicate
			if err := pub.Publish(ctx, "M1", rs); err != nil {
				t.Fatal(err)
			}
		}
		tok := pub.client.Publish(prefix+"M1", 1, false, []byte(`{"device":"M1","values":`)) // malformed
		tok.Wait()
		waitFor(t, "two readings, one duplicate, one quarantined", func() bool {
			st := p.Stats()
			return st.Stored == 2 && st.Duplicates == 2 && st.Quarantined == 1
		})
		hs, err := s.Hourly(ctx, "M1", "PM10", at, at.Add(time.Hour))
		if err != nil || len(hs) != 1 || hs[0].Mean != 60 || hs[0].N != 1 {
			t.Fatalf("PM10 hour %+v %v", hs, err)
		}
		q, _ := s.Quarantine(ctx, 10)
		if len(q) != 1 || q[0].Reason != ReasonMalformed || q[0].Raw == "" || q[0].Device != "M1" {
			t.Errorf("quarantine %+v", q)
		}
	})
}

// broker is a Mosquitto of the test's own, which it can stop and start.
type broker struct {
	t    testing.TB
	port int
	dir  string
	cmd  *exec.Cmd
}

func startBroker(t testing.TB) *broker {
	t.Helper()
	if _, err := exec.LookPath("mosquitto"); err != nil {
		t.Fatalf("mosquitto is not installed (Debian package mosquitto): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &broker{t: t, port: ln.Addr().(*net.TCPAddr).Port, dir: t.TempDir()}
	ln.Close()
	// Persistence on and no limit on queued messages: what a district's
	// broker needs so that nothing is dropped while Fuwu is down (the
	// default max_queued_messages is 1000).
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 0\nlog_dest file %s/log\n",
		b.port, b.dir, b.dir)
	if os.Geteuid() == 0 {
		conf += "user root\n" // else it drops to user mosquitto, who cannot write the test's folder
	}
	if err := os.WriteFile(filepath.Join(b.dir, "mosquitto.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	b.start()
	t.Cleanup(b.stop)
	return b
}

func (b *broker) url() string { return "mqtt://127.0.0.1:" + strconv.Itoa(b.port) }

func (b *broker) start() {
	b.cmd = exec.Command("mosquitto", "-c", filepath.Join(b.dir, "mosquitto.conf"))
	if err := b.cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	waitFor(b.t, "mosquitto to listen", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(b.port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// stop ends the broker gracefully (it saves its persistence file).
func (b *broker) stop() {
	if b.cmd == nil || b.cmd.Process == nil {
		return
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	_ = b.cmd.Wait()
	b.cmd = nil
}

// stream publishes n readings of device dev, 10 to a message, one a
// minute back from t0, waiting for each acknowledgement and publishing
// again when none came; it returns when all were acknowledged. After
// pauseAt readings it closes paused and waits for resume, so that a test
// can break something in the middle of the stream, not after it.
func stream(ctx context.Context, pub *Publisher, dev string, n int, sent *atomic.Int64, pauseAt int, paused chan<- struct{}, resume <-chan struct{}) error {
	const per = 10
	start := t0.Add(-time.Duration(n) * time.Minute)
	for i := 0; i < n; i += per {
		var rs []Reading
		for j := i; j < min(i+per, n); j++ {
			rs = append(rs, Reading{Param: "PM2.5", Time: start.Add(time.Duration(j) * time.Minute), Value: float64(j%300) + 0.5})
		}
		if err := pub.Publish(ctx, dev, rs); err != nil {
			return err
		}
		if done := sent.Add(int64(len(rs))); done >= int64(pauseAt) && paused != nil {
			close(paused)
			paused = nil
			<-resume
		}
	}
	return nil
}

// startStream publishes a stream of n readings of dev to the broker in
// the background, pausing after pauseAt (paused closes) until resume is
// called; errc reports the end.
func startStream(t *testing.T, url, dev string, n, pauseAt int) (paused <-chan struct{}, resume func(), errc <-chan error) {
	ctx := context.Background()
	pub, err := NewPublisher(ctx, MQTTConfig{URL: url, ClientID: uniq("fuwu-pub-")}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	p, r, e := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() { e <- stream(ctx, pub, dev, n, new(atomic.Int64), pauseAt, p, r) }()
	return p, func() { close(r) }, e
}

// checkExactlyOnce asserts that every one of the n streamed readings is
// stored once: n raw rows with the right values, n counted by the hourly
// aggregates.
func checkExactlyOnce(t *testing.T, s *Store, dev string, n int) {
	t.Helper()
	ctx := context.Background()
	start := t0.Add(-time.Duration(n) * time.Minute)
	raw, err := s.Raw(ctx, dev, "PM2.5", start, t0)
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	got := map[int64]float64{}
	for _, p := range raw {
		got[p.Time.Unix()] = p.Value
	}
	for j := range n {
		v, ok := got[start.Add(time.Duration(j)*time.Minute).Unix()]
		if !ok || v != float64(j%300)+0.5 {
			lost++
			if lost < 20 {
				t.Logf("missing reading %d", j)
			}
		}
	}
	c, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dup := int(c.HourlyN) - n
	t.Logf("readings published %d, stored %d, lost %d, counted twice %d", n, len(raw), lost, dup)
	if lost != 0 || len(raw) != n || dup != 0 || c.Readings != int64(n) {
		t.Fatalf("lost %d, raw %d (want %d), hourly count %d (want %d)", lost, len(raw), n, c.HourlyN, n)
	}
}

// The broker stops and restarts in the middle of a stream: nothing is
// lost and nothing counted twice.
func TestBrokerRestart(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, Device{ID: "R1", Kind: DustMonitor, Name: "工地", Params: []ParamUnit{{"PM2.5", ""}}, Interval: time.Minute})
		b := startBroker(t)
		p := NewPipeline(s)
		runPipeline(t, p)
		sub, err := Subscribe(ctx, MQTTConfig{URL: b.url(), ClientID: uniq("fuwu-restart-"), Topic: "fuwu/city/#"}, p)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		const n = 6000
		paused, resume, errc := startStream(t, b.url(), "R1", n, n/3)
		<-paused // a third published, the rest to come
		b.stop()
		storedAtRestart := p.Stats().Stored
		resume() // the publisher retries until the broker is back
		b.start()
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the whole stream stored", func() bool { return p.Stats().Stored >= n })
		t.Logf("broker restarted after %d of %d readings were published, %d stored", n/3, n, storedAtRestart)
		checkExactlyOnce(t, s, "R1", n)
	})
}

// The ingesting process is killed with SIGKILL in the middle of a stream
// and started again: nothing is lost and nothing counted twice.
func TestKillIngester(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dbURL := storetest.URL(t, d)
			db, err := store.Open(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx, testSets...); err != nil {
				t.Fatal(err)
			}
			c := &clock{t: t0}
			s := NewStore(db, c.Now)
			mustDevice(t, s, Device{ID: "K1", Kind: DustMonitor, Name: "工地", Params: []ParamUnit{{"PM2.5", ""}}, Interval: time.Minute})
			b := startBroker(t)
			clientID := uniq("fuwu-kill-")
			// The ingester's session exists before the stream starts, as
			// it does in production from the first start on.
			prime, err := Subscribe(ctx, MQTTConfig{URL: b.url(), ClientID: clientID}, NewPipeline(s))
			if err != nil {
				t.Fatal(err)
			}
			prime.Close()
			helper := func() *exec.Cmd {
				cmd := exec.Command(os.Args[0], "-test.run=^TestIngestHelper$", "-test.v")
				cmd.Env = append(os.Environ(), "CITYMON_HELPER=1", "CITYMON_DB="+dbURL, "CITYMON_MQTT="+b.url(), "CITYMON_CLIENT="+clientID)
				cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
				return cmd
			}
			count := func() int64 {
				c, err := s.Count(ctx)
				if err != nil {
					return -1
				}
				return c.Readings
			}
			cmd := helper()
			const n = 6000
			paused, resume, errc := startStream(t, b.url(), "K1", n, n/2)
			<-paused // half published, the rest to come
			waitFor(t, "some of the stream stored", func() bool { return count() >= n/10 })
			_ = cmd.Process.Kill() // SIGKILL, mid-stream
			_ = cmd.Wait()
			killedAt := count()
			resume()
			helper()
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the whole stream stored", func() bool { return count() >= n })
			t.Logf("killed with %d of %d stored, %d published", killedAt, n, n/2)
			checkExactlyOnce(t, s, "K1", n)
		})
	}
}

// TestIngestHelper is the process TestKillIngester kills: it ingests from
// the broker into the database until killed.
func TestIngestHelper(t *testing.T) {
	if os.Getenv("CITYMON_HELPER") != "1" {
		t.Skip("run by TestKillIngester")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CITYMON_DB"))
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(db, func() time.Time { return t0 })
	p := NewPipeline(s)
	go p.Run(ctx)
	if _, err := Subscribe(ctx, MQTTConfig{URL: os.Getenv("CITYMON_MQTT"), ClientID: os.Getenv("CITYMON_CLIENT")}, p); err != nil {
		t.Fatal(err)
	}
	// Until killed; and never outlive the test that started it.
	parent := os.Getppid()
	for os.Getppid() == parent {
		time.Sleep(200 * time.Millisecond)
	}
}
