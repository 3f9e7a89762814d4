package citymon

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// MQTT ingestion uses github.com/eclipse/paho.mqtt.golang, the Eclipse
// project's Go client (MQTT 3.1.1): QoS 1, a persistent session (clean
// session off, a stable client id) and manual acknowledgement, so that the
// broker keeps every message until it is stored — through a restart of
// Fuwu or, with persistence on, of the broker. No embedded broker: the
// candidate Go broker library is served only from an earlier copy, not an
// approved release, so a deployment runs Mosquitto (or EMQX), and without
// --mqtt-url devices send over HTTP.

// DefaultTopic is where devices publish: fuwu/city/<device id>.
const DefaultTopic = "fuwu/city/#"

// MQTTConfig says which broker to use and how.
type MQTTConfig struct {
	// URL is mqtt://[user:password@]host:port (tcp:// and ssl:// too).
	URL string
	// ClientID must stay the same across restarts: the broker keeps the
	// session, and the messages queued in it, under this id.
	ClientID string
	// Topic is the subscription filter (default DefaultTopic). For several
	// Fuwu replicas use a shared subscription, "$share/fuwu/fuwu/city/#".
	Topic string
}

func (c MQTTConfig) options() (*mqtt.ClientOptions, error) {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: MQTT URL %q: want mqtt://host:port", ErrInput, c.URL)
	}
	scheme := u.Scheme
	switch scheme {
	case "mqtt", "tcp":
		scheme = "tcp"
	case "mqtts", "ssl", "tls":
		scheme = "ssl"
	default:
		return nil, fmt.Errorf("%w: MQTT URL %q: scheme %q (want mqtt, tcp or ssl)", ErrInput, c.URL, u.Scheme)
	}
	o := mqtt.NewClientOptions().AddBroker(scheme + "://" + u.Host)
	if u.User != nil {
		o.SetUsername(u.User.Username())
		if pw, ok := u.User.Password(); ok {
			o.SetPassword(pw)
		}
	}
	o.SetClientID(c.ClientID)
	o.SetProtocolVersion(4)
	o.SetConnectTimeout(5 * time.Second)
	o.SetKeepAlive(15 * time.Second)
	o.SetAutoReconnect(true)
	o.SetConnectRetry(true)
	o.SetConnectRetryInterval(500 * time.Millisecond)
	o.SetMaxReconnectInterval(5 * time.Second)
	return o, nil
}

// Subscriber receives readings from an MQTT broker into a Pipeline.
type Subscriber struct {
	cfg    MQTTConfig
	p      *Pipeline
	client mqtt.Client
}

// Subscribe connects to the broker with a persistent session and feeds
// every message on cfg.Topic to p, acknowledging it once stored. It
// returns once connected (or with the error that stopped it) and keeps
// reconnecting until Close.
func Subscribe(ctx context.Context, cfg MQTTConfig, p *Pipeline) (*Subscriber, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = "fuwu-citymon"
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	o, err := cfg.options()
	if err != nil {
		return nil, err
	}
	s := &Subscriber{cfg: cfg, p: p}
	o.SetCleanSession(false)
	o.SetAutoAckDisabled(true)
	o.SetResumeSubs(true)
	// The handler runs on the client's goroutine, in order; Submit blocks
	// when the pipeline is behind, which holds back the broker.
	handler := func(_ mqtt.Client, m mqtt.Message) {
		device := m.Topic()
		if i := strings.LastIndexByte(device, '/'); i >= 0 {
			device = device[i+1:]
		}
		rs, bad := ParseMessages(m.Payload(), device)
		err := p.Submit(ctx, Batch{Source: "mqtt:" + m.Topic(), Readings: rs, Rejected: bad}, func(_ Result, err error) {
			if err == nil {
				m.Ack()
			}
		})
		if err != nil {
			slog.Debug("citymon: message left unacknowledged", "topic", m.Topic(), "err", err)
		}
	}
	subscribed := make(chan error, 1)
	o.SetOnConnectHandler(func(c mqtt.Client) {
		tok := c.Subscribe(cfg.Topic, 1, handler)
		tok.Wait()
		if err := tok.Error(); err != nil {
			slog.Error("citymon: MQTT subscribe failed", "topic", cfg.Topic, "err", err)
		}
		select {
		case subscribed <- tok.Error():
		default:
		}
	})
	o.SetConnectionLostHandler(func(_ mqtt.Client, err error) {
		slog.Warn("citymon: MQTT connection lost; reconnecting", "broker", redactURL(cfg.URL), "err", err)
	})
	// Messages the broker resends for the session before the subscription
	// is renewed arrive here.
	o.SetDefaultPublishHandler(handler)
	s.client = mqtt.NewClient(o)
	tok := s.client.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		s.client.Disconnect(0)
		return nil, ctx.Err()
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("MQTT connect %s: %w", redactURL(cfg.URL), err)
	}
	// Return once subscribed: from then on the broker keeps the messages.
	select {
	case err := <-subscribed:
		if err != nil {
			s.client.Disconnect(0)
			return nil, fmt.Errorf("MQTT subscribe %s: %w", cfg.Topic, err)
		}
	case <-ctx.Done():
		s.client.Disconnect(0)
		return nil, ctx.Err()
	}
	slog.Info("citymon: MQTT subscribed", "broker", redactURL(cfg.URL), "topic", cfg.Topic, "client_id", cfg.ClientID)
	return s, nil
}

// Close disconnects; unacknowledged messages stay with the broker.
func (s *Subscriber) Close() { s.client.Disconnect(250) }

// Publisher publishes readings at QoS 1 and retries each message until
// the broker acknowledges it, across broker restarts: a reading is
// published at least once, and the store's key makes that exactly once.
//
// It reconnects by itself rather than through the client's automatic
// reconnection: on reconnecting, paho.mqtt.golang v1.5 completes the
// tokens of messages it re-sends from its store without an error
// (messageIds.claimID), so a waiting caller would take a message that was
// never acknowledged for delivered. A fresh connection per loss keeps
// "acknowledged" meaning acknowledged.
type Publisher struct {
	opts   *mqtt.ClientOptions
	prefix string
	mu     sync.Mutex
	client mqtt.Client
}

// NewPublisher connects a publisher; topics are prefix + device id
// (prefix default "fuwu/city/").
func NewPublisher(ctx context.Context, cfg MQTTConfig, prefix string) (*Publisher, error) {
	if prefix == "" {
		prefix = "fuwu/city/"
	}
	o, err := cfg.options()
	if err != nil {
		return nil, err
	}
	o.SetCleanSession(true)
	o.SetAutoReconnect(false)
	o.SetConnectRetry(false)
	p := &Publisher{opts: o, prefix: prefix}
	if _, err := p.connected(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// connected returns a connected client, connecting a new one if needed.
func (p *Publisher) connected(ctx context.Context) (mqtt.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil && p.client.IsConnectionOpen() {
		return p.client, nil
	}
	if p.client != nil {
		p.client.Disconnect(0)
	}
	c := mqtt.NewClient(p.opts)
	tok := c.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("MQTT connect: %w", err)
	}
	p.client = c
	return c, nil
}

// Publish sends readings of one device and waits for the broker's
// acknowledgement, trying again (on a new connection if the old one is
// gone) until ctx ends.
func (p *Publisher) Publish(ctx context.Context, device string, rs []Reading) error {
	payload := EncodeReadings(device, rs)
	for {
		if c, err := p.connected(ctx); err == nil {
			tok := c.Publish(p.prefix+device, 1, false, payload)
			timer := time.NewTimer(10 * time.Second)
			select {
			case <-tok.Done():
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			}
			timer.Stop()
			if ok, err := doneOK(tok); ok {
				return nil
			} else if err != nil {
				slog.Debug("citymon: publish failed; publishing again", "err", err)
			}
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		select {
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func doneOK(tok mqtt.Token) (bool, error) {
	select {
	case <-tok.Done():
		return tok.Error() == nil, tok.Error()
	default:
		return false, nil
	}
}

// PublishAsync sends without waiting; the returned func waits for the
// acknowledgement and reports whether it came (false: publish again).
func (p *Publisher) PublishAsync(ctx context.Context, device string, rs []Reading) func(ctx context.Context) bool {
	c, err := p.connected(ctx)
	if err != nil {
		return func(context.Context) bool { return false }
	}
	tok := c.Publish(p.prefix+device, 1, false, EncodeReadings(device, rs))
	return func(ctx context.Context) bool {
		select {
		case <-tok.Done():
			return tok.Error() == nil
		case <-ctx.Done():
			return false
		}
	}
}

// Close disconnects.
func (p *Publisher) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.Disconnect(250)
	}
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}
