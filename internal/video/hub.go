package video

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Signalling. Each session is a room with at most one resident and one
// clerk connection; a new connection of the same side replaces the old one
// (a reload, a network blip), which is how a call resumes. The clerk is
// always the side that offers: when both are present and the resident
// has consented, the clerk's page makes a fresh offer, and the resident's
// page answers on a fresh RTCPeerConnection. The server relays what one
// side sends to the other and never looks inside SDP or candidates.
//
// The hub lives in one process: run one fuwu serve for video, or route a
// session's connections to the same replica.

// Side is who is on a connection.
type Side string

const (
	ResidentSide Side = "resident"
	ClerkSide    Side = "clerk"
)

// Card is what a clerk pushes into the resident's page.
type Card struct {
	Kind  string   `json:"kind"` // guide / materials / link
	Title string   `json:"title"`
	Lines []string `json:"lines,omitempty"`
	URL   string   `json:"url,omitempty"`
}

// Cards builds guide cards and material lists for an item (from the
// knowledge base).
type Cards interface {
	Card(ctx context.Context, kind, itemID string) (Card, error)
}

// QueueInfo is a waiting resident's place.
type QueueInfo struct {
	Position int `json:"position"` // 1 is next
	WaitS    int `json:"wait_s"`   // estimated seconds until a clerk answers
	Clerks   int `json:"clerks"`   // clerks online
}

// QueueEntry is one waiting request as the console shows it.
type QueueEntry struct {
	ID       string `json:"id"`
	ItemName string `json:"item_name"`
	Channel  string `json:"channel"`
	WaitedS  int    `json:"waited_s"`
	HasConv  bool   `json:"has_conversation"`
	Present  bool   `json:"present"` // the resident's page is connected
}

// Message is one WebSocket frame, either way.
type Message struct {
	Type      string          `json:"type"`
	Seq       int             `json:"seq,omitempty"` // offer/answer: which offer an answer answers
	SDP       json.RawMessage `json:"sdp,omitempty"`
	Candidate json.RawMessage `json:"candidate,omitempty"`
	Text      string          `json:"text,omitempty"`
	From      Side            `json:"from,omitempty"`
	Kind      string          `json:"kind,omitempty"`    // push: guide / materials / link
	ItemID    string          `json:"item_id,omitempty"` // push
	URL       string          `json:"url,omitempty"`     // push: link
	Title     string          `json:"title,omitempty"`   // push: link
	Outcome   Outcome         `json:"outcome,omitempty"` // end
	Card      *Card           `json:"card,omitempty"`
	Queue     *QueueInfo      `json:"queue,omitempty"`
	List      []QueueEntry    `json:"list,omitempty"`
	Session   *Session        `json:"session,omitempty"`
	ICE       *ICEConfig      `json:"ice,omitempty"`
	Present   bool            `json:"present,omitempty"`
	Consented bool            `json:"consented,omitempty"`
	Record    bool            `json:"record,omitempty"`    // consent: the resident agreed to be recorded
	Recording bool            `json:"recording,omitempty"` // record: the clerk's browser records (Text "start"/"stop", Seq the part)
	Backlog   []Message       `json:"backlog,omitempty"`
}

// What each side may send; anything else is ignored.
var allowed = map[Side]map[string]bool{
	ResidentSide: {"answer": true, "ice": true, "chat": true, "consent": true, "leave": true, "restart": true},
	ClerkSide:    {"offer": true, "ice": true, "chat": true, "caption": true, "push": true, "end": true, "record": true},
}

const (
	sendBuffer   = 64
	maxFrame     = 64 << 10
	pingEvery    = 20 * time.Second
	readDeadline = 60 * time.Second
	maxBacklog   = 200
)

type conn struct {
	ws     *websocket.Conn
	send   chan Message
	done   chan struct{}
	once   sync.Once
	clerk  Clerk // console and clerk connections
	side   Side
	roomID string
}

func (c *conn) close() { c.once.Do(func() { close(c.done) }) }

// push queues m; a connection that cannot keep up is dropped (it will
// reconnect and get the state afresh).
func (c *conn) push(m Message) {
	select {
	case c.send <- m:
	case <-c.done:
	default:
		c.close()
	}
}

type room struct {
	status    Status
	resident  *conn
	clerk     *conn
	consented bool
	recordOK  bool          // the resident agreed to be recorded
	recording bool          // the clerk's browser is recording
	joined    map[Side]bool // a side has been here before: the next join is a resume
	backlog   []Message     // chat, captions and pushed cards for a page that (re)joins
	seen      time.Time     // last time a side left or joined
}

type hub struct {
	svc      *Service
	mu       sync.Mutex
	rooms    map[string]*room
	consoles map[*conn]bool
	pending  bool // a queue broadcast is running
	again    bool // and another is due
	closed   bool // Service.Close: no more broadcasts
	bg       sync.WaitGroup
	upgrader websocket.Upgrader
}

func newHub(s *Service) *hub {
	return &hub{svc: s, rooms: map[string]*room{}, consoles: map[*conn]bool{},
		upgrader: websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}} // same-origin check by default
}

func (h *hub) room(id string) *room {
	r := h.rooms[id]
	if r == nil {
		r = &room{joined: map[Side]bool{}}
		h.rooms[id] = r
	}
	return r
}

// lastSeen is when a session last had a connection (now if it has one).
func (h *hub) lastSeen(id string, created time.Time) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil {
		return created
	}
	if r.resident != nil || (r.status == Active && r.clerk != nil) {
		return h.svc.cfg.Now()
	}
	return r.seen
}

// accepted tells the resident who answers.
func (h *hub) accepted(sess Session) {
	h.mu.Lock()
	r := h.room(sess.ID)
	r.status = Active
	res := r.resident
	h.mu.Unlock()
	if res != nil {
		res.push(Message{Type: "accepted", Session: &sess})
	}
}

// ended tells both sides the call is over, and reports whether it was
// being recorded.
func (h *hub) ended(id string) (wasRecording bool) {
	h.mu.Lock()
	r := h.rooms[id]
	var peers []*conn
	if r != nil {
		r.status = Ended
		peers = []*conn{r.resident, r.clerk}
		wasRecording, r.recording = r.recording, false
	}
	h.mu.Unlock()
	for _, p := range peers {
		if p != nil {
			p.push(Message{Type: "ended"})
		}
	}
	return wasRecording
}

// queueChanged recomputes and pushes the queue to waiting residents and
// to clerks' consoles. Changes that come while one push runs are folded
// into one more.
func (h *hub) queueChanged() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	if h.pending {
		h.again = true
		h.mu.Unlock()
		return
	}
	h.pending = true
	h.bg.Add(1)
	h.mu.Unlock()
	go func() {
		defer h.bg.Done()
		for {
			h.pushQueue(context.Background())
			h.mu.Lock()
			if !h.again {
				h.pending = false
				h.mu.Unlock()
				return
			}
			h.again = false
			h.mu.Unlock()
		}
	}()
}

func (h *hub) pushQueue(ctx context.Context) {
	waiting, err := h.svc.Waiting(ctx)
	if err != nil {
		slog.ErrorContext(ctx, "video: queue", "err", err)
		return
	}
	avg := h.svc.avgHandle(ctx)
	now := h.svc.cfg.Now()
	h.mu.Lock()
	online, busy := h.clerksLocked()
	list := make([]QueueEntry, len(waiting))
	type target struct {
		c *conn
		q QueueInfo
	}
	var targets []target
	for i, w := range waiting {
		r := h.rooms[w.ID]
		list[i] = QueueEntry{ID: w.ID, ItemName: w.ItemName, Channel: w.Channel, WaitedS: int(now.Sub(w.CreatedAt.Time).Seconds()),
			HasConv: w.ConversationID != "", Present: r != nil && r.resident != nil}
		if r != nil && r.resident != nil {
			targets = append(targets, target{r.resident, QueueInfo{Position: i + 1, WaitS: estimate(i, online, busy, avg), Clerks: online}})
		}
	}
	consoles := make([]*conn, 0, len(h.consoles))
	for c := range h.consoles {
		consoles = append(consoles, c)
	}
	h.mu.Unlock()
	for _, t := range targets {
		t.c.push(Message{Type: "queue", Queue: &t.q})
	}
	for _, c := range consoles {
		c.push(Message{Type: "queue", List: list})
	}
}

// clerksLocked counts the clerks online (console open or in a call) and
// those in a call.
func (h *hub) clerksLocked() (online, busy int) {
	on, inCall := map[string]bool{}, map[string]bool{}
	for c := range h.consoles {
		on[c.clerk.User] = true
	}
	for _, r := range h.rooms {
		if r.clerk != nil && r.status == Active {
			on[r.clerk.clerk.User] = true
			inCall[r.clerk.clerk.User] = true
		}
	}
	return len(on), len(inCall)
}

// estimate is the expected wait of the resident with ahead people before
// them: nothing while a free clerk remains for them, else the rounds of
// calls the clerks online must finish first.
func estimate(ahead, online, busy int, avg time.Duration) int {
	if online == 0 {
		return int(((time.Duration(ahead) + 1) * avg).Seconds())
	}
	free := online - busy
	if ahead < free {
		return 0
	}
	rounds := (ahead-free)/online + 1
	return int((time.Duration(rounds) * avg).Seconds())
}

// avgHandle is the mean length of the last 50 calls, or
// Config.DefaultHandle without history.
func (s *Service) avgHandle(ctx context.Context) time.Duration {
	rows, err := s.db.Query(ctx, `SELECT accepted_at, ended_at FROM video_sessions WHERE status = ? AND accepted_at IS NOT NULL
		ORDER BY ended_at DESC LIMIT 50`, Ended)
	if err != nil {
		return s.cfg.DefaultHandle
	}
	defer rows.Close()
	var sum time.Duration
	n := 0
	for rows.Next() {
		var a, e Session
		if rows.Scan(&a.AcceptedAt, &e.EndedAt) == nil && !e.EndedAt.IsZero() {
			sum += e.EndedAt.Sub(a.AcceptedAt.Time)
			n++
		}
	}
	if n == 0 || sum <= 0 {
		return s.cfg.DefaultHandle
	}
	return sum / time.Duration(n)
}

// ServeResident joins session id as its resident; the caller has checked
// the token. Errors come before the upgrade.
func (s *Service) ServeResident(w http.ResponseWriter, r *http.Request, id string) error {
	sess, err := s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return s.hub.serve(w, r, sess, ResidentSide, Clerk{})
}

// ServeClerk joins session id as its clerk.
func (s *Service) ServeClerk(w http.ResponseWriter, r *http.Request, id string, c Clerk) error {
	sess, err := s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if sess.Clerk != c.User {
		return ErrNotYourCall
	}
	return s.hub.serve(w, r, sess, ClerkSide, c)
}

// ServeConsole is a clerk's queue feed; while it is open the clerk counts
// as online.
func (s *Service) ServeConsole(w http.ResponseWriter, r *http.Request, c Clerk) error {
	ws, err := s.hub.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return nil // the upgrader answered
	}
	cn := &conn{ws: ws, send: make(chan Message, sendBuffer), done: make(chan struct{}), clerk: c}
	s.hub.mu.Lock()
	s.hub.consoles[cn] = true
	s.hub.mu.Unlock()
	s.hub.queueChanged()
	go cn.writeLoop()
	cn.readLoop(func(Message) {})
	s.hub.mu.Lock()
	delete(s.hub.consoles, cn)
	s.hub.mu.Unlock()
	s.hub.queueChanged()
	return nil
}

func (h *hub) serve(w http.ResponseWriter, r *http.Request, sess Session, side Side, c Clerk) error {
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return nil // the upgrader answered
	}
	ctx := context.WithoutCancel(r.Context())
	cn := &conn{ws: ws, send: make(chan Message, sendBuffer), done: make(chan struct{}), clerk: c, side: side, roomID: sess.ID}
	go cn.writeLoop()

	h.mu.Lock()
	rm := h.room(sess.ID)
	if rm.status == "" || sess.Status != Active {
		rm.status = sess.Status
	}
	var old, other *conn
	if side == ResidentSide {
		old, rm.resident, other = rm.resident, cn, rm.clerk
	} else {
		old, rm.clerk, other = rm.clerk, cn, rm.resident
	}
	resume := rm.joined[side] && rm.status == Active
	rm.joined[side] = true
	rm.seen = h.svc.cfg.Now()
	if rm.status == Active && !sess.ConsentAt.IsZero() {
		rm.consented = true
	}
	if rm.status == Active && !sess.RecordConsentAt.IsZero() {
		rm.recordOK = true
	}
	hello := Message{Type: "hello", Session: &sess, From: side, Present: other != nil, Consented: rm.consented,
		Record: rm.recordOK, Recording: rm.recording, Backlog: append([]Message(nil), rm.backlog...)}
	recordOK := rm.recordOK
	h.mu.Unlock()

	if old != nil {
		old.close()
	}
	if resume {
		h.svc.resumed(ctx, sess.ID)
	}
	ice := h.svc.cfg.ICE.Config(string(side))
	hello.ICE = &ice
	cn.push(hello)
	if other != nil {
		other.push(Message{Type: "peer", From: side, Present: true, Consented: hello.Consented, Record: recordOK})
	}
	if side == ResidentSide && sess.Status == Waiting {
		h.queueChanged()
	}

	cn.readLoop(func(m Message) { h.relay(ctx, cn, m) })

	h.mu.Lock()
	var peer *conn
	if side == ResidentSide && rm.resident == cn {
		rm.resident, peer = nil, rm.clerk
		rm.seen = h.svc.cfg.Now()
	} else if side == ClerkSide && rm.clerk == cn {
		rm.clerk, peer = nil, rm.resident
		rm.seen = h.svc.cfg.Now()
	}
	h.mu.Unlock()
	if peer != nil {
		peer.push(Message{Type: "peer", From: side, Present: false})
	}
	if side == ResidentSide {
		h.queueChanged()
	}
	return nil
}

// relay handles one frame from a side.
func (h *hub) relay(ctx context.Context, from *conn, m Message) {
	if !allowed[from.side][m.Type] {
		return
	}
	id := from.roomID
	switch m.Type {
	case "leave":
		if _, err := h.svc.Leave(ctx, id); err != nil {
			slog.WarnContext(ctx, "video: leave", "err", err)
		}
		return
	case "end":
		if m.Outcome != "" {
			if _, err := ParseOutcome(string(m.Outcome)); err != nil {
				return
			}
		}
		if _, err := h.svc.End(ctx, id, from.clerk, m.Outcome); err != nil {
			slog.WarnContext(ctx, "video: end", "err", err)
		}
		return
	case "consent":
		rec, err := h.svc.Consent(ctx, id, m.Record)
		if err != nil {
			slog.WarnContext(ctx, "video: consent", "err", err)
			return
		}
		m = Message{Type: "consent", Record: rec}
	case "record":
		start := m.Text == "start"
		if err := h.svc.RecordEvent(ctx, id, from.clerk, start, m.Seq); err != nil {
			from.push(Message{Type: "error", Text: refusalText(err)})
			return
		}
		m = Message{Type: "record", Recording: start, Seq: m.Seq}
	case "push":
		card, err := h.card(ctx, m)
		if err != nil {
			from.push(Message{Type: "error", Text: err.Error()})
			return
		}
		m = Message{Type: "push", Card: &card}
	case "chat", "caption":
		m = Message{Type: m.Type, Text: clip(strings.TrimSpace(m.Text), 1000)}
		if m.Text == "" && m.Type == "chat" {
			return
		}
	}
	m.From = from.side

	h.mu.Lock()
	rm := h.rooms[id]
	if rm == nil || rm.status != Active {
		h.mu.Unlock()
		return
	}
	switch m.Type {
	case "consent":
		rm.consented = true
		rm.recordOK = rm.recordOK || m.Record
	case "record":
		rm.recording = m.Recording
	}
	switch m.Type {
	case "chat", "push", "caption":
		rm.backlog = append(rm.backlog, m)
		if len(rm.backlog) > maxBacklog {
			rm.backlog = rm.backlog[len(rm.backlog)-maxBacklog:]
		}
	}
	to := rm.clerk
	if from.side == ClerkSide {
		to = rm.resident
	}
	h.mu.Unlock()
	if to != nil {
		to.push(m)
	}
	if m.Type == "chat" {
		from.push(m) // echo: the sender sees its line once the server took it
	}
}

// card builds what a clerk pushes.
func (h *hub) card(ctx context.Context, m Message) (Card, error) {
	switch m.Kind {
	case "guide", "materials":
		if h.svc.cfg.Cards == nil || m.ItemID == "" {
			return Card{}, errors.New("没有可推送的事项")
		}
		return h.svc.cfg.Cards.Card(ctx, m.Kind, m.ItemID)
	case "link":
		u, err := url.Parse(strings.TrimSpace(m.URL))
		if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || (u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"))) {
			return Card{}, errors.New("链接须以 http://、https:// 或 / 开头")
		}
		title := clip(strings.TrimSpace(m.Title), 100)
		if title == "" {
			title = "办事链接"
		}
		return Card{Kind: "link", Title: title, URL: u.String()}, nil
	}
	return Card{}, fmt.Errorf("unknown card kind %q", m.Kind)
}

func (c *conn) writeLoop() {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	defer c.ws.Close()
	for {
		select {
		case m := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteJSON(m); err != nil {
				c.close()
				return
			}
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				c.close()
				return
			}
		case <-c.done:
			_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			return
		}
	}
}

// readLoop reads frames until the connection ends or is replaced.
func (c *conn) readLoop(handle func(Message)) {
	defer c.close()
	c.ws.SetReadLimit(maxFrame)
	_ = c.ws.SetReadDeadline(time.Now().Add(readDeadline))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(readDeadline)) })
	go func() { <-c.done; _ = c.ws.SetReadDeadline(time.Now()) }() // a replaced connection stops reading at once
	for {
		var m Message
		if err := c.ws.ReadJSON(&m); err != nil {
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(readDeadline))
		select {
		case <-c.done:
			return
		default:
		}
		handle(m)
	}
}
