package video

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// A pion peer speaking Fuwu's signalling, as the browsers' pages do: the
// clerk offers once the resident is present and has consented, the
// resident answers on a fresh connection each time.

type peer struct {
	tb   testing.TB
	side Side
	ws   *websocket.Conn
	wmu  sync.Mutex
	// sig is held while an offer or answer is made and sent: a candidate
	// gathered meanwhile goes out after it, as in a browser.
	sig sync.Mutex
	api *webrtc.API

	mu       sync.Mutex
	pc       *webrtc.PeerConnection
	ice      ICEConfig
	pending  []webrtc.ICECandidateInit
	gen      int       // peer connections made
	firstAt  time.Time // first inbound packet on the current connection
	inbound  atomic.Int64
	maxSeq   map[uint32]uint16
	received map[uint32]int
	sendGap  time.Duration
	payload  int
	msgs     chan Message
	done     chan struct{}
	quit     chan struct{}
}

func dialPeer(tb testing.TB, base, path string, side Side) *peer {
	tb.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+path, nil)
	if err != nil {
		tb.Fatalf("dial %s: %v", path, err)
	}
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetICETimeouts(5*time.Second, 10*time.Second, time.Second)
	// pion holds relay pairs back 2 s hoping for a direct one; browsers do
	// not, and relay-only calls have nothing else to wait for.
	se.SetRelayAcceptanceMinWait(0)
	p := &peer{tb: tb, side: side, ws: ws, api: webrtc.NewAPI(webrtc.WithSettingEngine(se)), msgs: make(chan Message, 256),
		done: make(chan struct{}), quit: make(chan struct{}), sendGap: 20 * time.Millisecond, payload: 1000,
		maxSeq: map[uint32]uint16{}, received: map[uint32]int{}}
	go p.read()
	return p
}

func (p *peer) send(m Message) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	_ = p.ws.WriteJSON(m)
}

// close drops the WebSocket and the media, as a closed tab does.
func (p *peer) close() {
	select {
	case <-p.quit:
		return
	default:
	}
	close(p.quit)
	p.ws.Close()
	<-p.done
	p.mu.Lock()
	if p.pc != nil {
		_ = p.pc.Close()
	}
	p.mu.Unlock()
}

func (p *peer) read() {
	defer close(p.done)
	for {
		var m Message
		if err := p.ws.ReadJSON(&m); err != nil {
			return
		}
		switch m.Type {
		case "hello":
			p.mu.Lock()
			p.ice = *m.ICE
			p.mu.Unlock()
			if p.side == ClerkSide && m.Present && m.Consented {
				p.offer()
			}
		case "peer":
			if p.side == ClerkSide && m.Present && m.Consented {
				p.offer()
			}
		case "consent":
			if p.side == ClerkSide {
				p.offer()
			}
		case "offer":
			p.answer(m.SDP)
		case "answer":
			var sd webrtc.SessionDescription
			if json.Unmarshal(m.SDP, &sd) == nil {
				p.mu.Lock()
				if p.pc != nil {
					_ = p.pc.SetRemoteDescription(sd)
					p.flushLocked()
				}
				p.mu.Unlock()
			}
		case "ice":
			var c webrtc.ICECandidateInit
			if json.Unmarshal(m.Candidate, &c) == nil {
				p.mu.Lock()
				if p.pc != nil && p.pc.RemoteDescription() != nil {
					_ = p.pc.AddICECandidate(c)
				} else {
					p.pending = append(p.pending, c)
				}
				p.mu.Unlock()
			}
		}
		select {
		case p.msgs <- m:
		default:
		}
	}
}

func (p *peer) flushLocked() {
	for _, c := range p.pending {
		_ = p.pc.AddICECandidate(c)
	}
	p.pending = nil
}

// fresh replaces the peer connection with a new one sending a fake video
// track.
func (p *peer) freshLocked() *webrtc.PeerConnection {
	if p.pc != nil {
		_ = p.pc.Close()
	}
	cfg := webrtc.Configuration{}
	for _, s := range p.ice.Servers {
		cfg.ICEServers = append(cfg.ICEServers, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	if p.ice.Policy == "relay" {
		cfg.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	pc, err := p.api.NewPeerConnection(cfg)
	if err != nil {
		p.tb.Errorf("%s: new peer connection: %v", p.side, err)
		return nil
	}
	p.pc, p.pending, p.firstAt = pc, nil, time.Time{}
	p.gen++
	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", "fuwu-"+string(p.side))
	if err != nil {
		p.tb.Errorf("track: %v", err)
		return nil
	}
	if _, err := pc.AddTrack(track); err != nil {
		p.tb.Errorf("add track: %v", err)
	}
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return
		}
		b, _ := json.Marshal(c.ToJSON())
		p.sig.Lock()
		p.send(Message{Type: "ice", Candidate: b})
		p.sig.Unlock()
	})
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		for {
			pkt, _, err := tr.ReadRTP()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.firstAt.IsZero() {
				p.firstAt = time.Now()
			}
			ssrc := pkt.SSRC
			if d := pkt.SequenceNumber - p.maxSeq[ssrc]; p.received[ssrc] == 0 || (d > 0 && d < 0x8000) {
				p.maxSeq[ssrc] = pkt.SequenceNumber
			}
			p.received[ssrc]++
			p.mu.Unlock()
			p.inbound.Add(1)
		}
	})
	go func(pc *webrtc.PeerConnection) {
		t := time.NewTicker(p.sendGap)
		defer t.Stop()
		payload := make([]byte, p.payload)
		var seq uint16
		for {
			select {
			case <-t.C:
			case <-p.quit:
				return
			}
			if pc.ConnectionState() == webrtc.PeerConnectionStateClosed {
				return
			}
			seq++
			_ = track.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: uint32(seq) * 3000}, Payload: payload})
		}
	}(pc)
	return pc
}

func (p *peer) offer() {
	p.sig.Lock()
	defer p.sig.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := p.freshLocked()
	if pc == nil {
		return
	}
	o, err := pc.CreateOffer(nil)
	if err == nil {
		err = pc.SetLocalDescription(o)
	}
	if err != nil {
		p.tb.Errorf("offer: %v", err)
		return
	}
	b, _ := json.Marshal(o)
	p.send(Message{Type: "offer", SDP: b})
}

func (p *peer) answer(raw json.RawMessage) {
	var sd webrtc.SessionDescription
	if err := json.Unmarshal(raw, &sd); err != nil {
		p.tb.Errorf("offer: %v", err)
		return
	}
	p.sig.Lock()
	defer p.sig.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := p.freshLocked()
	if pc == nil {
		return
	}
	err := pc.SetRemoteDescription(sd)
	var a webrtc.SessionDescription
	if err == nil {
		a, err = pc.CreateAnswer(nil)
	}
	if err == nil {
		err = pc.SetLocalDescription(a)
	}
	if err != nil {
		p.tb.Errorf("answer: %v", err)
		return
	}
	p.flushLocked()
	b, _ := json.Marshal(a)
	p.send(Message{Type: "answer", SDP: b})
}

// await reads messages until one of type typ comes (others are dropped).
func (p *peer) await(typ string, within time.Duration) Message {
	p.tb.Helper()
	deadline := time.After(within)
	for {
		select {
		case m := <-p.msgs:
			if m.Type == typ {
				return m
			}
		case <-deadline:
			p.tb.Fatalf("%s: no %q message within %s", p.side, typ, within)
		}
	}
}

// awaitUntil waits for a typ message for which ok holds, skipping those
// of the type sent before the state ok looks for (a queue update that was
// already on its way when a clerk came online), and returns the last one
// seen when none holds within the time.
func (p *peer) awaitUntil(typ string, within time.Duration, ok func(Message) bool) Message {
	p.tb.Helper()
	deadline := time.After(within)
	var last Message
	for {
		select {
		case m := <-p.msgs:
			if m.Type != typ {
				continue
			}
			if ok(m) {
				return m
			}
			last = m
		case <-deadline:
			return last
		}
	}
}

// mediaAfter waits until more than n packets came in (generously: the
// machine is shared), and returns the count.
func (p *peer) mediaAfter(n int64, within time.Duration) int64 {
	p.tb.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if got := p.inbound.Load(); got > n+10 {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.tb.Fatalf("%s: no media after %d packets within %s (state %s)", p.side, n, within, p.state())
	return 0
}

func (p *peer) state() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pc == nil {
		return "no connection"
	}
	return p.pc.ConnectionState().String()
}

// rig is a Service behind an HTTP server with the embedded TURN server.
type rig struct {
	svc  *Service
	turn *TURN
	url  string
}

var rigClerk = Clerk{User: "agent1", Role: "agent", Name: "王芳", Number: "FT0123", Hall: "福田区行政服务大厅"}

func newRig(tb testing.TB, relay bool) *rig {
	tb.Helper()
	db := storetest.Open(tb, store.SQLite, sets()...)
	tr, err := StartTURN(TURNConfig{Listen: "127.0.0.1:0", Secret: testKey})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { tr.Close() })
	svc, err := New(db, Config{Key: testKey, ICE: &ICE{Secret: testKey, TURN: []string{tr.URL()}, Relay: relay},
		Cards: fakeCards{}})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /r/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !svc.Valid(id, r.URL.Query().Get("token")) {
			http.NotFound(w, r)
			return
		}
		if err := svc.ServeResident(w, r, id); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
		}
	})
	mux.HandleFunc("GET /c/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := svc.ServeClerk(w, r, r.PathValue("id"), rigClerk); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
		}
	})
	mux.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) { _ = svc.ServeConsole(w, r, rigClerk) })
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	tb.Cleanup(svc.Close)
	return &rig{svc: svc, turn: tr, url: srv.URL}
}

type fakeCards struct{}

func (fakeCards) Card(_ context.Context, kind, itemID string) (Card, error) {
	if itemID != "FT-001" {
		return Card{}, fmt.Errorf("no item %s", itemID)
	}
	return Card{Kind: kind, Title: "居民身份证换领 · 办事指南", Lines: []string{"带上旧证", "现场拍照"}, URL: "/items/FT-001"}, nil
}
