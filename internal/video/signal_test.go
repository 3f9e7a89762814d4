package video

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestCallThroughTURN runs a whole call between two pion peers over the
// signalling relay, forced through the embedded TURN server: queue
// updates, acceptance, consent, media both ways, a pushed card, chat, a
// dropped connection resuming the same session, and the end.
func TestCallThroughTURN(t *testing.T) {
	if testing.Short() {
		t.Skip("WebRTC call: -short")
	}
	ctx := context.Background()
	rg := newRig(t, true)
	sess, tok, err := rg.svc.Request(ctx, NewRequest{ItemID: "FT-001", ItemName: "居民身份证换领", Channel: "item"})
	if err != nil {
		t.Fatal(err)
	}

	// Without the token, or with another session's, nothing opens.
	if _, resp, err := websocket.DefaultDialer.Dial("ws"+rg.url[4:]+"/r/"+sess.ID+"?token=x", nil); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("joined without the token: %v", err)
	}

	res := dialPeer(t, rg.url, "/r/"+sess.ID+"?token="+tok, ResidentSide)
	defer func() { res.close() }()
	hello := res.await("hello", 5*time.Second)
	if hello.Session.Status != Waiting || len(hello.ICE.Servers) != 1 || hello.ICE.Policy != "relay" {
		t.Fatalf("hello %+v", hello)
	}
	q := res.await("queue", 5*time.Second)
	if q.Queue.Position != 1 || q.Queue.Clerks != 0 || q.Queue.WaitS != 300 {
		t.Errorf("queue while nobody is online: %+v", q.Queue)
	}
	console := dialPeer(t, rg.url, "/console", ClerkSide)
	defer console.close()
	waiting := func(m Message) bool { return len(m.List) == 1 && m.List[0].ID == sess.ID && m.List[0].Present }
	if m := console.awaitUntil("queue", 5*time.Second, waiting); !waiting(m) {
		t.Errorf("console queue %+v", m.List)
	}
	online := func(m Message) bool { return m.Queue != nil && m.Queue.Clerks == 1 }
	if q := res.awaitUntil("queue", 5*time.Second, online); q.Queue == nil || q.Queue.Clerks != 1 || q.Queue.WaitS != 0 {
		t.Errorf("queue once a clerk is online: %+v", q.Queue)
	}

	if _, err := rg.svc.Accept(ctx, sess.ID, rigClerk); err != nil {
		t.Fatal(err)
	}
	acc := res.await("accepted", 5*time.Second)
	if acc.Session.ClerkName != "王芳" || acc.Session.ClerkNumber != "FT0123" || acc.Session.Hall != "福田区行政服务大厅" {
		t.Errorf("the resident sees %+v", acc.Session)
	}
	if m := console.awaitUntil("queue", 5*time.Second, func(m Message) bool { return m.Type == "queue" && len(m.List) == 0 }); m.Type != "queue" || len(m.List) != 0 {
		t.Errorf("console queue after accepting: %+v", m.List)
	}

	clerk := dialPeer(t, rg.url, "/c/"+sess.ID, ClerkSide)
	defer func() { clerk.close() }()
	if h := clerk.await("hello", 5*time.Second); !h.Present || h.Consented {
		t.Errorf("clerk's hello: present %v consented %v", h.Present, h.Consented)
	}
	// No media before the resident agrees.
	time.Sleep(300 * time.Millisecond)
	clerk.mu.Lock()
	offered := clerk.gen
	clerk.mu.Unlock()
	if offered != 0 {
		t.Fatal("the clerk offered before the resident consented")
	}
	res.send(Message{Type: "consent"})
	clerk.await("consent", 5*time.Second)
	res.mediaAfter(0, 20*time.Second)
	clerk.mediaAfter(0, 20*time.Second)
	if rg.turn.Allocations() == 0 {
		t.Error("media flowed without a TURN allocation under relay policy")
	}

	clerk.send(Message{Type: "push", Kind: "guide", ItemID: "FT-001"})
	if m := res.await("push", 5*time.Second); m.Card == nil || m.Card.Title != "居民身份证换领 · 办事指南" || m.From != ClerkSide {
		t.Errorf("pushed card %+v", m.Card)
	}
	clerk.send(Message{Type: "push", Kind: "link", URL: "javascript:alert(1)"})
	if m := clerk.await("error", 5*time.Second); m.Text == "" {
		t.Error("a javascript: link was not refused")
	}
	res.send(Message{Type: "chat", Text: "听不太清"})
	if m := clerk.await("chat", 5*time.Second); m.Text != "听不太清" || m.From != ResidentSide {
		t.Errorf("chat %+v", m)
	}
	clerk.send(Message{Type: "caption", Text: "请把身份证放到镜头前"})
	if m := res.await("caption", 5*time.Second); m.Text != "请把身份证放到镜头前" {
		t.Errorf("caption %+v", m)
	}
	// A resident may not push, offer or end.
	res.send(Message{Type: "end"})
	res.send(Message{Type: "push", Kind: "link", URL: "https://example.org"})

	// The resident's connection drops; a new one with the same token
	// resumes the session and media flows again.
	res.close()
	clerk.await("peer", 5*time.Second) // gone
	before := clerk.inbound.Load()
	res = dialPeer(t, rg.url, "/r/"+sess.ID+"?token="+tok, ResidentSide)
	h := res.await("hello", 5*time.Second)
	if h.Session.Status != Active || !h.Consented || len(h.Backlog) != 3 {
		t.Errorf("resumed hello: status %s consented %v backlog %d", h.Session.Status, h.Consented, len(h.Backlog))
	}
	res.mediaAfter(0, 20*time.Second)
	clerk.mediaAfter(before, 20*time.Second)
	if x, _ := rg.svc.Get(ctx, sess.ID); x.Resumes != 1 || x.Status != Active {
		t.Errorf("after the drop: resumes %d status %s", x.Resumes, x.Status)
	}

	clerk.send(Message{Type: "end", Outcome: Resolved})
	res.await("ended", 5*time.Second)
	clerk.await("ended", 5*time.Second)
	if x, _ := rg.svc.Get(ctx, sess.ID); x.Status != Ended || x.Outcome != Resolved || x.EndedBy != "clerk" {
		t.Errorf("ended %+v", x)
	}
}

func TestTURNRefusesBadCredentials(t *testing.T) {
	rg := newRig(t, true)
	ctx := context.Background()
	sess, tok, _ := rg.svc.Request(ctx, NewRequest{ItemName: "x"})
	if _, err := rg.svc.Accept(ctx, sess.ID, rigClerk); err != nil {
		t.Fatal(err)
	}
	rg.svc.cfg.ICE.Secret = []byte("another secret, not the server's") // credentials the server cannot check
	res := dialPeer(t, rg.url, "/r/"+sess.ID+"?token="+tok, ResidentSide)
	defer res.close()
	res.await("hello", 5*time.Second)
	res.send(Message{Type: "consent"})
	clerk := dialPeer(t, rg.url, "/c/"+sess.ID, ClerkSide)
	defer clerk.close()
	time.Sleep(3 * time.Second)
	if n := res.inbound.Load() + clerk.inbound.Load(); n != 0 || rg.turn.Allocations() != 0 {
		t.Errorf("media flowed through TURN with bad credentials: %d packets, %d allocations", n, rg.turn.Allocations())
	}
}
