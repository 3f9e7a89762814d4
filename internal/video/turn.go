package video

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // TURN REST credentials are HMAC-SHA1 by specification (coturn's use-auth-secret)
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

// ICEServer is one entry of a browser's RTCConfiguration.iceServers.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// ICEConfig is what a browser's RTCPeerConnection is built from.
type ICEConfig struct {
	Servers []ICEServer `json:"iceServers"`
	Policy  string      `json:"iceTransportPolicy,omitempty"` // "relay" forces TURN
}

// ICE hands out the servers peers use to find each other. TURN
// credentials follow the TURN REST scheme (coturn's use-auth-secret):
// the user name is "<expiry unix time>:<label>" and the password the
// base64 HMAC-SHA1 of the user name under a shared secret, so the
// embedded server and a district's coturn can check them without a
// database, and a leaked credential stops working after TTL.
type ICE struct {
	// Secret is shared with the TURN servers that check the credentials.
	Secret []byte
	// TURN are turn: / turns: URLs given credentials (the embedded
	// server's and the district's); STUN are stun: URLs given as they are.
	// Neither lists a public server by default.
	TURN []string
	STUN []string
	// TTL is how long a credential lasts; default 2 hours (a session may
	// reconnect and gets fresh ones).
	TTL time.Duration
	// Relay forces every call through TURN (iceTransportPolicy "relay").
	Relay bool
	Now   func() time.Time
}

// Config returns the servers for one peer; label names it in the TURN
// user name (a session's role, never a person).
func (c *ICE) Config(label string) ICEConfig {
	var out ICEConfig
	if c == nil {
		return out
	}
	if len(c.STUN) > 0 {
		out.Servers = append(out.Servers, ICEServer{URLs: c.STUN})
	}
	if len(c.TURN) > 0 {
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		ttl := c.TTL
		if ttl <= 0 {
			ttl = 2 * time.Hour
		}
		user := strconv.FormatInt(now().Add(ttl).Unix(), 10) + ":" + label
		out.Servers = append(out.Servers, ICEServer{URLs: c.TURN, Username: user, Credential: turnPassword(c.Secret, user)})
	}
	if c.Relay {
		out.Policy = "relay"
	}
	return out
}

func turnPassword(secret []byte, user string) string {
	m := hmac.New(sha1.New, secret)
	m.Write([]byte(user))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TURNConfig configures the embedded TURN server.
type TURNConfig struct {
	// Listen is the UDP address, e.g. "127.0.0.1:3478" or ":3478".
	Listen string
	// RelayIP is the address peers are told to send relayed media to;
	// default the listening IP (127.0.0.1 when listening on every
	// interface, which suits only one machine).
	RelayIP string
	Realm   string // default "fuwu"
	Secret  []byte // the ICE.Secret
	Now     func() time.Time
}

// TURN is the embedded TURN server.
type TURN struct {
	srv    *turn.Server
	conn   net.PacketConn
	url    string
	denied atomic.Int64
}

// StartTURN listens and serves until Close.
func StartTURN(cfg TURNConfig) (*TURN, error) {
	if len(cfg.Secret) < 16 {
		return nil, errors.New("video: TURN secret must be at least 16 bytes")
	}
	if cfg.Realm == "" {
		cfg.Realm = "fuwu"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	conn, err := net.ListenPacket("udp4", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("video: TURN listen %s: %w", cfg.Listen, err)
	}
	addr := conn.LocalAddr().(*net.UDPAddr)
	listenIP := addr.IP
	relay := net.ParseIP(cfg.RelayIP)
	if relay == nil {
		relay = listenIP
		if listenIP.IsUnspecified() {
			relay = net.IPv4(127, 0, 0, 1)
		}
	}
	t := &TURN{conn: conn, url: "turn:" + net.JoinHostPort(relay.String(), strconv.Itoa(addr.Port)) + "?transport=udp"}
	// Relaying to loopback peers would open the server's own machine to
	// anyone holding a credential: allowed only when the relay itself is
	// on loopback (one machine, tests and measurements).
	permit := func(_ net.Addr, peer net.IP) bool {
		ok := !(peer.IsUnspecified() || peer.IsMulticast() || (peer.IsLoopback() && !relay.IsLoopback()))
		if !ok {
			t.denied.Add(1)
		}
		return ok
	}
	t.srv, err = turn.NewServer(turn.ServerConfig{
		Realm:         cfg.Realm,
		LoggerFactory: quietLogs(),
		AuthHandler: func(ra *turn.RequestAttributes) (string, []byte, bool) {
			exp, label, ok := strings.Cut(ra.Username, ":")
			if !ok {
				return "", nil, false
			}
			e, err := strconv.ParseInt(exp, 10, 64)
			if err != nil || e < cfg.Now().Unix() {
				return "", nil, false
			}
			return label, turn.GenerateAuthKey(ra.Username, ra.Realm, turnPassword(cfg.Secret, ra.Username)), true
		},
		PacketConnConfigs: []turn.PacketConnConfig{{
			PacketConn:            conn,
			RelayAddressGenerator: &turn.RelayAddressGeneratorStatic{RelayAddress: relay, Address: listenIP.String()},
			PermissionHandler:     permit,
		}},
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("video: TURN: %w", err)
	}
	return t, nil
}

// URL is the turn: URL browsers are given.
func (t *TURN) URL() string { return t.url }

// Allocations is how many relays are open.
func (t *TURN) Allocations() int { return t.srv.AllocationCount() }

// Close stops the server.
func (t *TURN) Close() error { return t.srv.Close() }

// quietLogs keeps pion's own logging at errors only.
func quietLogs() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelError
	return f
}
